// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_fraud.h>

#include <pouw/result_check.h>

#include <algorithm>
#include <span>

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

/** Whether every input row is its leaf of the unit's input tree. */
bool InputRowsProven(const LightGroup& group, RowRange need, size_t row_bytes, const uint256& input_root,
                     const LightRowFraudProof& proof)
{
    const MerkleDomain domain{LIGHT_INPUT_DOMAIN};
    for (uint32_t i = 0; i < need.Count(); ++i) {
        const MerkleProof& p{proof.input_proofs[i]};
        const std::span<const uint8_t> bytes{proof.input_rows.data() + i * row_bytes, row_bytes};
        if (p.leaf_index != need.begin + i - group.in.begin || p.leaf_count != group.in.Count() ||
            !VerifyMerkleProof(domain, input_root, domain.HashLeaf(bytes), p)) {
            return false;
        }
    }
    return true;
}

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
    if (proof.input_rows.size() != need.Count() * in_row_bytes || proof.input_proofs.size() != need.Count() ||
        proof.claimed_row.size() != out_row_bytes) {
        return FraudVerdict::MALFORMED;
    }
    if (!InputRowsProven(group, need, in_row_bytes, input_root, proof)) return FraudVerdict::MALFORMED;
    const MerkleDomain out_domain{LIGHT_RESULT_DOMAIN};
    if (proof.row_proof.leaf_index != proof.row - group.out.begin || proof.row_proof.leaf_count != group.out.Count() ||
        !VerifyMerkleProof(out_domain, result_root, out_domain.HashLeaf(proof.claimed_row), proof.row_proof)) {
        return FraudVerdict::MALFORMED;
    }
    const ImageView input{proof.input_rows.data(), plan.input.width, int(need.Count()), plan.input.channels,
                          in_row_bytes};
    const auto row{ComputeLightRows(pipeline, plan, input, need.begin, {proof.row, proof.row + 1}, pool)};
    if (!row) return FraudVerdict::MALFORMED;
    const bool same{std::equal(proof.claimed_row.begin(), proof.claimed_row.end(), row->Data())};
    return same ? FraudVerdict::CORRECT : FraudVerdict::WRONG;
}

}  // namespace hpips::pouw
