// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_JOB_UNITS_H
#define HPIPS_POUW_JOB_UNITS_H

#include <kernels/tensor.h>
#include <pouw/params.h>
#include <pouw/unit.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

/** The units of a heavy job (one int8 conv layer) and the job's units root
 *  (doc/jobs_units.md §1–§3). Pure computation: the layer is described by
 *  HeavyJob, a plain struct of this module (the transaction layer's JobSpec
 *  maps onto it); the data are passed in as spans. The GEMM of the layer is
 *  A = im2col patches (m = out_h·out_w rows, k = kernel_h·kernel_w·in_c)
 *  times B = weights (k × n, n = out_channels); it is cut into units of
 *  allowed shapes (params.h), each padded with zeros. */
namespace hpips::pouw {

/** Merkle domain of a job's units root; leaf = a_root ‖ b_root (heavy units). */
constexpr std::string_view JOB_UNITS_DOMAIN{"HPIPS/job-units"};
/** A unit covers at most this many GEMM rows (the largest allowed m). */
constexpr uint32_t JOB_M_PART{2048};
/** A unit covers at most this many output channels (the largest allowed n). */
constexpr uint32_t JOB_N_PART{256};
/** Most units one heavy job may have (m parts × n parts). */
constexpr uint32_t MAX_HEAVY_JOB_UNITS{4096};

/** A conv layer as a job describes it. Inputs are int8 HWC; weights are
 *  (kernel_h, kernel_w, in_c, out_channels) row-major, i.e. B (k × n); one
 *  int32 bias per output channel. Requantization as kernels' RequantParams. */
struct HeavyJob {
    uint32_t in_h{0};
    uint32_t in_w{0};
    uint32_t in_c{0};
    uint32_t out_channels{0};
    uint32_t kernel_h{0};
    uint32_t kernel_w{0};
    uint32_t stride_h{1};
    uint32_t stride_w{1};
    uint32_t pad_h{0};
    uint32_t pad_w{0};
    int32_t input_zero_point{0};
    int32_t requant_multiplier{0};
    int32_t requant_shift{0};
    int32_t output_zero_point{0};
    int32_t clamp_min{-128};
    int32_t clamp_max{127};
    bool relu{false};
    bool maxpool{false};
};

/** Output geometry and GEMM dimensions of a valid layer (before max-pool). */
struct HeavyLayerShape {
    uint32_t out_h{0};
    uint32_t out_w{0};
    uint32_t m{0};  //!< out_h · out_w
    uint32_t k{0};  //!< kernel_h · kernel_w · in_c
    uint32_t n{0};  //!< out_channels
};

/** The GEMM of a layer and its split into units. */
struct HeavyPlan {
    uint32_t out_h{0};
    uint32_t out_w{0};
    uint32_t m{0};  //!< out_h · out_w
    uint32_t k{0};  //!< kernel_h · kernel_w · in_c
    uint32_t n{0};  //!< out_channels
    uint32_t k_padded{0};
    uint32_t m_parts{0};
    uint32_t n_parts{0};

    uint32_t UnitCount() const { return m_parts * n_parts; }
};

/** Where unit `region` sits in the GEMM: rows [row_begin, row_begin + rows)
 *  and columns [col_begin, col_begin + cols) of the real C, inside a unit of
 *  `shape` (the rest of the unit is zero padding). */
struct UnitPlacement {
    uint32_t row_begin{0};
    uint32_t rows{0};
    uint32_t col_begin{0};
    uint32_t cols{0};
    UnitShape shape;
};

/** Smallest allowed unit k (under `rules`, for some m and n) that is ≥ k;
 *  0 when k > MAIN_K_MAX or k == 0. */
uint32_t PaddedK(uint32_t k, const ShapeRules& rules);

/** Whether a layer of GEMM depth k runs as ticketed (heavy) units: 1 ≤ k ≤
 *  MAIN_K_MAX and k rounded up to a multiple of K_MULTIPLE is at least the
 *  smallest k the rules allow (main 512, so k ≥ 449; regtest 64, so every
 *  k ≥ 1). Below that line the padding would be most of the ticketed work,
 *  and the layer runs as light (unticketed) work instead (doc/jobs_units.md §1). */
bool IsTicketable(uint32_t k, const ShapeRules& rules);

/** Checks a layer whatever its k: kernels' conv bounds, pad < kernel,
 *  kernel ≤ padded input, zero point in int8, requant validity, element
 *  counts ≤ CONV_MAX_ELEMENTS, max-pool only on an output of at least 2×2. */
Result<HeavyLayerShape> CheckHeavyLayer(const HeavyJob& job);

/** CheckHeavyLayer, then ticketability and MAX_HEAVY_JOB_UNITS; returns the plan. */
Result<HeavyPlan> PlanHeavyJob(const HeavyJob& job, const ShapeRules& rules);

/** Placement of unit `region` (region = m_part · n_parts + n_part). The last m
 *  part uses the smallest allowed m ≥ its rows; each n part is padded to a
 *  multiple of 64. Precondition: region < plan.UnitCount(). */
UnitPlacement PlaceUnit(const HeavyPlan& plan, uint32_t region, const ShapeRules& rules);

/** Checks that input has in_h·in_w·in_c values and weights k·n values (the
 *  precondition of BuildUnitData), then the input-range rule of ticketed
 *  units (|A|, |B| ≤ INPUT_BOUND): every
 *  input value and weight lies in [−INPUT_BOUND, INPUT_BOUND], and so does the
 *  input zero point when the layer pads (pad_h > 0 or pad_w > 0), because
 *  padding cells enter A as the zero point. Errors name the failing part. */
Result<void> CheckHeavyInputRange(const HeavyJob& job, std::span<const int8_t> input, std::span<const int8_t> weights);

/** The unit data (A m×k and B k×n of the unit's shape) of unit `region`:
 *  A row i = im2col patch row row_begin + i (conv padding = input zero
 *  point, k padding = 0), zero rows past the real m; B = the weights'
 *  columns col_begin… with zero rows past k and zero columns past n.
 *  Preconditions: plan from PlanHeavyJob(job), input in_h·in_w·in_c values,
 *  weights k·n values, region in range. */
UnitData BuildUnitData(const HeavyJob& job, const HeavyPlan& plan, uint32_t region, std::span<const int8_t> input,
                       std::span<const int8_t> weights, const ShapeRules& rules);

/** The descriptor of a unit: kind JOB, the job id, the region, the shape,
 *  the layer's requant fields, relu, maxpool and the roots of `data`. */
UnitDescriptor MakeJobUnitDescriptor(const HeavyJob& job, const uint256& job_id, uint32_t region, const UnitData& data);

/** Leaf data of the units root for a heavy unit: a_root ‖ b_root. */
std::vector<uint8_t> HeavyUnitLeaf(const uint256& a_root, const uint256& b_root);
/** Merkle root of domain JOB_UNITS_DOMAIN over leaves in region order
 *  (each leaf's bytes hashed as a leaf). Error when there is no leaf. */
Result<uint256> ComputeUnitsRoot(std::span<const std::vector<uint8_t>> leaves);

/** Assembles the layer's int8 output (HWC, after requant/relu and the
 *  optional 2×2 max-pool) from the units' C blocks (blocks[region] is the
 *  unit's m×n int32, row-major): acc = C − input_zero_point·Σ_k w + bias
 *  (mod 2^32, as kernels/conv.h), then kernels' ApplyOutputStage. Equals
 *  kernels' Conv2dReference when every bias is 0. Errors: wrong block count
 *  or sizes, bias count ≠ n, invalid requant params, max-pool below 2×2. */
Result<Int8Tensor> AssembleHeavyOutput(const HeavyJob& job, const HeavyPlan& plan,
                                       std::span<const std::vector<int32_t>> blocks, std::span<const int8_t> weights,
                                       std::span<const int32_t> biases, const ShapeRules& rules);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_JOB_UNITS_H
