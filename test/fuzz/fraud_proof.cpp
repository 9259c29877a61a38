// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a fraud proof (the payload of a FRAUD output).
// Whatever decodes must re-encode to the same bytes and respect every bound
// of primitives/fraud_proof.h; the consensus output rule gives a verdict.
#include <consensus/job_check.h>
#include <primitives/fraud_proof.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

namespace {

void Check(bool condition)
{
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    const auto proof = hpips::DecodeFraudProof(input);
    if (!proof) return 0;
    const auto bytes = hpips::EncodeFraudProof(*proof);
    Check(std::equal(bytes.begin(), bytes.end(), input.begin(), input.end()));
    Check(bytes.size() <= hpips::MAX_FRAUD_PROOF_SIZE);
    if (proof->variant == hpips::FraudVariant::GEMM) {
        const auto& g = proof->gemm;
        Check(!g.a_row.empty() && g.a_row.size() <= hpips::MAX_FRAUD_GEMM_K);
        Check(!g.c_row.empty() && g.c_row.size() <= hpips::MAX_FRAUD_GEMM_N);
        Check(g.b.size() == g.a_row.size() * g.c_row.size());
    } else {
        const auto& e = proof->window;
        Check(!e.input_rows.empty() && e.input_rows.size() <= hpips::MAX_FRAUD_INPUT_ROWS_BYTES);
        Check(e.input_proofs.size() <= hpips::MAX_FRAUD_INPUT_PROOFS);
        Check(!e.claimed_row.empty() && e.claimed_row.size() <= hpips::MAX_FRAUD_CLAIMED_ROW_BYTES);
    }
    Check(hpips::CheckJobOutput(hpips::TxOut{0, hpips::Destination{6, bytes}}) == hpips::JobReject::NONE);
    return 0;
}
