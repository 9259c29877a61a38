// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a JobSpec (the payload of a JOB output).
// Whatever decodes must re-encode to exactly the same bytes (the encoding is
// canonical), and the consensus rules of a posting must give a verdict without
// fault, both as a spec and as a JOB output in a posting transaction.
#include <consensus/job_check.h>
#include <primitives/job.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    const auto spec = hpips::DecodeJobSpec(input);
    if (!spec) return 0;
    const auto bytes = hpips::EncodeJobSpec(*spec);
    if (!std::equal(bytes.begin(), bytes.end(), input.begin(), input.end())) std::abort();
    if (bytes.size() > hpips::MAX_JOB_SPEC_SIZE) std::abort();
    const hpips::JobReject verdict = hpips::CheckJobSpec(*spec);
    (void)hpips::JobRejectReason(verdict);
    (void)hpips::CheckJobPostingContext(*spec, spec->expiry_height / 2, spec->unit_count);

    hpips::MutableTransaction mtx;
    mtx.inputs.push_back(hpips::TxIn{hpips::OutPoint{hpips::uint256{}, 0}, hpips::SEQUENCE_FINAL, {}});
    mtx.outputs.push_back(hpips::TxOut{hpips::COIN, hpips::Destination{2, bytes}});
    mtx.outputs.push_back(hpips::TxOut{hpips::COIN / 100, hpips::Destination{5, {}}});
    const hpips::JobReject tx_verdict = hpips::CheckJobTransaction(hpips::Transaction{mtx});
    // A spec the spec rules refuse is refused by the transaction rules too.
    if (verdict != hpips::JobReject::NONE && tx_verdict != verdict) std::abort();
    return 0;
}
