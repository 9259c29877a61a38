// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a COMMIT payload and as a REVEAL payload (the
// fixed-size payloads of the job market). Whatever decodes must re-encode to
// the same bytes; a reveal split from the input must be checked against a
// commitment without fault; the consensus output rules give a verdict.
#include <consensus/job_check.h>
#include <primitives/job_commit.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    const auto commit = hpips::DecodeJobCommit(input);
    if (commit) {
        const auto bytes = hpips::EncodeJobCommit(*commit);
        if (!std::equal(bytes.begin(), bytes.end(), input.begin(), input.end())) std::abort();
        (void)hpips::CheckJobOutput(hpips::TxOut{1, hpips::Destination{3, bytes}});
    }
    const auto reveal = hpips::DecodeJobReveal(input);
    if (reveal) {
        const auto bytes = hpips::EncodeJobReveal(*reveal);
        if (!std::equal(bytes.begin(), bytes.end(), input.begin(), input.end())) std::abort();
        if (hpips::CheckJobOutput(hpips::TxOut{1, hpips::Destination{4, bytes}}) != hpips::JobReject::NONE) {
            std::abort();  // every 64-byte payload is a well-formed reveal
        }
    }
    // The first 100 bytes as a commitment, the next 64 as its reveal.
    if (size >= hpips::JOB_COMMIT_PAYLOAD_SIZE + hpips::JOB_REVEAL_PAYLOAD_SIZE) {
        const auto c = hpips::DecodeJobCommit(input.first(hpips::JOB_COMMIT_PAYLOAD_SIZE));
        const auto r = hpips::DecodeJobReveal(input.subspan(hpips::JOB_COMMIT_PAYLOAD_SIZE, hpips::JOB_REVEAL_PAYLOAD_SIZE));
        if (!c || !r) std::abort();
        const hpips::uint256 unit_id = hpips::ComputeJobId(c->job_id, c->region);
        const bool opens = hpips::RevealOpensCommit(*c, *r, unit_id);
        // Re-committing with the revealed values always opens.
        hpips::JobCommit honest = *c;
        honest.commitment = hpips::ComputeJobCommitment(c->miner_key, unit_id, r->result_root, r->salt);
        if (!hpips::RevealOpensCommit(honest, *r, unit_id)) std::abort();
        if (opens != (honest.commitment == c->commitment)) std::abort();
    }
    return 0;
}
