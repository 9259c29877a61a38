// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_fraud.h>

#include <pouw/result_check.h>

#include <algorithm>
#include <span>
#include <vector>

namespace hpips::pouw {

FraudVerdict CheckGemmRowFraud(const UnitDescriptor& descriptor, const ShapeRules& rules, const uint256& result_root,
                               const GemmRowFraudProof& proof)
{
    if (descriptor.kind != static_cast<uint8_t>(UnitKind::JOB) || !ValidateDescriptor(descriptor, rules)) {
        return FraudVerdict::MALFORMED;
    }
    const size_t k{descriptor.shape.k}, n{descriptor.shape.n};
    if (k * n > MAX_GEMM_ROW_CHECK_MACS) return FraudVerdict::MALFORMED;
    // Sizes first, so nothing below reads or hashes an oversized input.
    if (proof.a_row.size() != k || proof.b.size() != k * n || proof.c_row.size() != n) return FraudVerdict::MALFORMED;
    if (!CheckResultRowCommitments(descriptor, result_root, proof.row, proof.a_row, proof.a_proof, proof.b,
                                   proof.c_row, proof.c_proof)) {
        return FraudVerdict::MALFORMED;
    }
    return ResultRowMatches(proof.a_row, proof.b, proof.c_row) ? FraudVerdict::CORRECT : FraudVerdict::WRONG;
}

namespace {

/** Whether `rows` (need.Count() rows of row_bytes) are the unit's input rows
 *  `need`. When need is all of the unit's input rows, the proof list must be
 *  empty and the root is recomputed from the rows (as CheckResultRow does for
 *  B); otherwise one proof per row. Sizes checked by the caller. */
bool InputRowsProven(const LightGroup& group, RowRange need, std::span<const uint8_t> rows, size_t row_bytes,
                     std::span<const MerkleProof> proofs, const uint256& input_root)
{
    const MerkleDomain domain{LIGHT_INPUT_DOMAIN};
    if (need == group.in) {
        if (!proofs.empty()) return false;
        std::vector<uint256> leaves;
        for (uint32_t i = 0; i < need.Count(); ++i) leaves.push_back(domain.HashLeaf(rows.subspan(i * row_bytes, row_bytes)));
        const auto root{ComputeMerkleRoot(domain, leaves)};
        return root && *root == input_root;
    }
    if (proofs.size() != need.Count()) return false;
    for (uint32_t i = 0; i < need.Count(); ++i) {
        const MerkleProof& p{proofs[i]};
        if (p.leaf_index != need.begin + i - group.in.begin || p.leaf_count != group.in.Count() ||
            !VerifyMerkleProof(domain, input_root, domain.HashLeaf(rows.subspan(i * row_bytes, row_bytes)), p)) {
            return false;
        }
    }
    return true;
}

/** Whether `row` is leaf row − out.begin of the unit's result tree. */
bool ResultRowProven(const LightGroup& group, uint32_t row, std::span<const uint8_t> bytes, const MerkleProof& proof,
                     const uint256& result_root)
{
    const MerkleDomain domain{LIGHT_RESULT_DOMAIN};
    return proof.leaf_index == row - group.out.begin && proof.leaf_count == group.out.Count() &&
           VerifyMerkleProof(domain, result_root, domain.HashLeaf(bytes), proof);
}

std::span<const uint8_t> AsBytes(std::span<const int8_t> v) { return {reinterpret_cast<const uint8_t*>(v.data()), v.size()}; }

}  // namespace

FraudVerdict CheckLightRowFraud(const Pipeline& pipeline, const LightPlan& plan, uint32_t unit,
                                const uint256& input_root, const uint256& result_root,
                                const LightRowFraudProof& proof, ThreadPool& pool)
{
    if (unit >= plan.UnitCount()) return FraudVerdict::MALFORMED;
    const LightGroup group{PlaceLightUnit(plan, unit)};
    if (proof.row < group.out.begin || proof.row >= group.out.end) return FraudVerdict::MALFORMED;
    if (proof.input_rows.size() > MAX_LIGHT_ROW_CHECK_BYTES) return FraudVerdict::MALFORMED;
    const RowRange need{InputRowsFor(plan, {proof.row, proof.row + 1})};
    const size_t in_row_bytes{size_t(plan.input.width) * size_t(plan.input.channels)};
    const size_t out_row_bytes{size_t(plan.output.width) * size_t(plan.output.channels)};
    if (proof.input_rows.size() != need.Count() * in_row_bytes || proof.claimed_row.size() != out_row_bytes) {
        return FraudVerdict::MALFORMED;
    }
    if (!InputRowsProven(group, need, proof.input_rows, in_row_bytes, proof.input_proofs, input_root) ||
        !ResultRowProven(group, proof.row, proof.claimed_row, proof.row_proof, result_root)) {
        return FraudVerdict::MALFORMED;
    }
    const ImageView input{proof.input_rows.data(), plan.input.width, int(need.Count()), plan.input.channels,
                          in_row_bytes};
    const auto row{ComputeLightRows(pipeline, plan, input, need.begin, {proof.row, proof.row + 1}, pool)};
    if (!row) return FraudVerdict::MALFORMED;
    const bool same{std::equal(proof.claimed_row.begin(), proof.claimed_row.end(), row->Data())};
    return same ? FraudVerdict::CORRECT : FraudVerdict::WRONG;
}

FraudVerdict CheckConvRowFraud(const HeavyJob& job, const ConvLightPlan& plan, uint32_t unit,
                               std::span<const int8_t> weights, std::span<const int32_t> biases,
                               const uint256& input_root, const uint256& result_root, const ConvRowFraudProof& proof)
{
    if (unit >= plan.UnitCount()) return FraudVerdict::MALFORMED;
    const LightGroup group{PlaceConvLightUnit(job, plan, unit)};
    if (proof.row < group.out.begin || proof.row >= group.out.end) return FraudVerdict::MALFORMED;
    if (proof.input_rows.size() > MAX_LIGHT_ROW_CHECK_BYTES) return FraudVerdict::MALFORMED;
    const RowRange need{ConvInputRowsFor(job, {proof.row, proof.row + 1})};
    const size_t in_row_bytes{size_t{job.in_w} * job.in_c};
    const size_t out_row_bytes{size_t{plan.final_w} * plan.shape.n};
    if (proof.input_rows.size() != need.Count() * in_row_bytes || proof.claimed_row.size() != out_row_bytes ||
        weights.size() != size_t{plan.shape.k} * plan.shape.n ||
        biases.size() != plan.shape.n) {
        return FraudVerdict::MALFORMED;
    }
    if (!InputRowsProven(group, need, AsBytes(proof.input_rows), in_row_bytes, proof.input_proofs, input_root) ||
        !ResultRowProven(group, proof.row, AsBytes(proof.claimed_row), proof.row_proof, result_root)) {
        return FraudVerdict::MALFORMED;
    }
    const auto row{ComputeConvRows(job, plan, proof.input_rows, need.begin, weights, biases, {proof.row, proof.row + 1})};
    if (!row) return FraudVerdict::MALFORMED;
    const bool same{std::equal(proof.claimed_row.begin(), proof.claimed_row.end(), row->data.begin())};
    return same ? FraudVerdict::CORRECT : FraudVerdict::WRONG;
}

}  // namespace hpips::pouw
