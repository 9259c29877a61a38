// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_JOB_CONV_LIGHT_H
#define HPIPS_POUW_JOB_CONV_LIGHT_H

#include <kernels/tensor.h>
#include <pouw/job_light.h>
#include <pouw/job_units.h>
#include <util/result.h>

#include <cstdint>
#include <span>

/** A conv layer run as light (unticketed) units (doc/jobs_units.md §4a): the
 *  layer's final output (after requant and the optional max-pool) is cut
 *  into groups of LIGHT_GROUP_ROWS rows; a group needs the input rows its
 *  conv windows read. Meant for layers that are not ticketable (k = 27 of an
 *  RGB 3×3 layer) but valid for any layer CheckHeavyLayer accepts. The
 *  result and input roots use the light domains of job_light.h, leaf = one
 *  row (final: final_w·n int8; input: in_w·in_c int8). */
namespace hpips::pouw {

/** Most multiply-accumulates of recomputing one final output row
 *  ((maxpool ? 2 : 1) conv rows of out_w·n·k). PlanConvLight refuses more. */
constexpr uint64_t MAX_CONV_ROW_CHECK_MACS{uint64_t{1} << 26};

/** How a conv layer is cut into light units. */
struct ConvLightPlan {
    HeavyLayerShape shape;  //!< the conv output before max-pool
    uint32_t final_h{0};    //!< out_h, or out_h / 2 with max-pool
    uint32_t final_w{0};
    uint32_t groups{0};     //!< ⌈final_h / LIGHT_GROUP_ROWS⌉: the unit count

    uint32_t UnitCount() const { return groups; }
};

/** CheckHeavyLayer, then the unit count (MAX_LIGHT_JOB_UNITS) and the cost
 *  of one row check (MAX_CONV_ROW_CHECK_MACS, and its input rows at most
 *  MAX_LIGHT_ROW_CHECK_BYTES). */
Result<ConvLightPlan> PlanConvLight(const HeavyJob& job);

/** Input rows that final rows `out` read: conv rows c = [b, e) (with max-pool
 *  [2b, 2e)), input rows [max(0, c.begin·stride_h − pad_h),
 *  min(in_h, (c.end − 1)·stride_h − pad_h + kernel_h)).
 *  Precondition: out non-empty, within [0, final_h). */
RowRange ConvInputRowsFor(const HeavyJob& job, RowRange out);

/** Unit `unit`: final rows [64·unit, min(final_h, 64·(unit + 1))) and their
 *  input rows (frame 0). Precondition: unit < plan.UnitCount(). */
LightGroup PlaceConvLightUnit(const HeavyJob& job, const ConvLightPlan& plan, uint32_t unit);

/** Final output rows `out` (out.Count() × final_w × n, int8 HWC) from input
 *  rows [in_begin, in_begin + rows) given as `input_rows` (whole rows of
 *  in_w·in_c values), the weights (k·n) and biases (n): kernels'
 *  Conv2dAccumulateReference on those rows (rows outside the input read as
 *  the zero point, as padding does), + bias, ApplyOutputStage. Equal to the
 *  same rows of the whole layer. Errors: rows missing or sizes wrong. */
Result<Int8Tensor> ComputeConvRows(const HeavyJob& job, const ConvLightPlan& plan, std::span<const int8_t> input_rows,
                                   uint32_t in_begin, std::span<const int8_t> weights,
                                   std::span<const int32_t> biases, RowRange out);

/** Merkle root of `domain` over consecutive rows of row_bytes bytes each.
 *  Error when there is no row or the size is not a multiple of row_bytes. */
Result<uint256> Int8RowsRoot(std::string_view domain, std::span<const int8_t> rows, size_t row_bytes);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_JOB_CONV_LIGHT_H
