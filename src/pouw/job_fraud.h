// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_JOB_FRAUD_H
#define HPIPS_POUW_JOB_FRAUD_H

#include <kernels/pipeline.h>
#include <pouw/job_conv_light.h>
#include <pouw/job_light.h>
#include <pouw/params.h>
#include <pouw/unit.h>
#include <primitives/merkle.h>
#include <util/thread_pool.h>
#include <util/uint256.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

/** Fraud-proof checks of the job market (doc/jobs_units.md §5): a challenger
 *  shows one row of a revealed result, with the inputs that determine it, and
 *  every node recomputes that row. Pure and bounded: in-memory structs (the
 *  wire encoding belongs to the transaction layer); any input, however
 *  malformed, yields a verdict, never a crash. */
namespace hpips::pouw {

/** The outcome of a fraud-proof check. */
enum class FraudVerdict : uint8_t {
    CORRECT,    //!< the proof is well formed and the claimed row is right: no fraud
    WRONG,      //!< the proof is well formed and the claimed row is wrong: fraud proven
    MALFORMED,  //!< sizes, bounds or Merkle proofs do not hold: the proof proves nothing
};

/** Most multiply-accumulates of one GEMM row check: k·n of the largest unit. */
constexpr size_t MAX_GEMM_ROW_CHECK_MACS{size_t{K_REF} * 256};

/** One row of a heavy unit's result, with what determines it. B travels whole
 *  (its column root is recomputed and compared with b_root), which is the
 *  same data as n columns with proofs and cheaper to check. */
struct GemmRowFraudProof {
    uint32_t row{0};                //!< row of the unit's C (0 ≤ row < m)
    std::vector<int8_t> a_row;      //!< k values: row `row` of A
    MerkleProof a_proof;            //!< against descriptor.a_root (domain HPIPS/unit-a)
    std::vector<int8_t> b;          //!< k × n, row-major: the unit's B
    std::vector<int32_t> c_row;     //!< n values: the claimed row of C
    MerkleProof c_proof;            //!< against the revealed result root (domain HPIPS/result)
};

/** Checks a GEMM row fraud proof against a job unit's descriptor (from the
 *  chain) and the result root its miner revealed. MALFORMED when the
 *  descriptor is not a valid job unit under `rules`, k·n exceeds
 *  MAX_GEMM_ROW_CHECK_MACS, a size differs from the shape, or a commitment
 *  does not verify (CheckResultRowCommitments); otherwise CORRECT or WRONG
 *  by ResultRowMatches. Cost O(k·n) plus n + 1 + 2·log2(m) hashes. */
FraudVerdict CheckGemmRowFraud(const UnitDescriptor& descriptor, const ShapeRules& rules, const uint256& result_root,
                               const GemmRowFraudProof& proof);

/** One output row of a light unit, with the input rows it needs. */
struct LightRowFraudProof {
    uint32_t row{0};                         //!< output row of the unit's frame
    std::vector<uint8_t> input_rows;         //!< the rows InputRowsFor({row, row + 1}), concatenated, full width
    std::vector<MerkleProof> input_proofs;   //!< one per input row against the unit's input root; none when
                                             //!< the rows are all of the unit's input rows (root recomputed)
    std::vector<uint8_t> claimed_row;        //!< the claimed output row (width · channels bytes)
    MerkleProof row_proof;                   //!< against the revealed light result root
};

/** Checks a light row fraud proof for unit `unit` of a job planned as `plan`
 *  (PlanLightJob of the job's pipeline and frame shape), whose input root
 *  (domain HPIPS/light-input, the unit's units-root leaf) is `input_root`
 *  and whose revealed result root (domain HPIPS/light-result) is
 *  `result_root`. MALFORMED when the unit or row is outside the plan, the
 *  input exceeds MAX_LIGHT_ROW_CHECK_BYTES, the input rows are not exactly
 *  the rows the row needs, a size differs, or a Merkle proof fails;
 *  otherwise CORRECT or WRONG by recomputing the row (ComputeLightRows).
 *  Cost: one pipeline run over at most MAX_LIGHT_ROW_CHECK_BYTES per stage. */
FraudVerdict CheckLightRowFraud(const Pipeline& pipeline, const LightPlan& plan, uint32_t unit,
                                const uint256& input_root, const uint256& result_root,
                                const LightRowFraudProof& proof, ThreadPool& pool);

/** One final output row of a conv layer run as light units (job_conv_light.h). */
struct ConvRowFraudProof {
    uint32_t row{0};                        //!< final output row (0 ≤ row < final_h), inside the unit
    std::vector<int8_t> input_rows;         //!< the rows ConvInputRowsFor({row, row + 1}), concatenated
    std::vector<MerkleProof> input_proofs;  //!< as in LightRowFraudProof
    std::vector<int8_t> claimed_row;        //!< final_w · n values
    MerkleProof row_proof;                  //!< against the revealed light result root
};

/** Checks a conv row fraud proof for unit `unit` of a layer planned as `plan`
 *  (PlanConvLight), with the layer's weights (k·n) and biases (n) — trusted
 *  inputs the caller takes from the job's committed weights. MALFORMED on
 *  the same conditions as CheckLightRowFraud (input over
 *  MAX_LIGHT_ROW_CHECK_BYTES checked first) or weights/biases of the wrong
 *  size; otherwise CORRECT or WRONG by ComputeConvRows. Cost ≤
 *  MAX_CONV_ROW_CHECK_MACS multiply-accumulates. */
FraudVerdict CheckConvRowFraud(const HeavyJob& job, const ConvLightPlan& plan, uint32_t unit,
                               std::span<const int8_t> weights, std::span<const int32_t> biases,
                               const uint256& input_root, const uint256& result_root, const ConvRowFraudProof& proof);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_JOB_FRAUD_H
