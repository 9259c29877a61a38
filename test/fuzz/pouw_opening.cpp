// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// PoUW openings are untrusted block data: decoding must never crash, must
// refuse anything above MAX_OPENING_SIZE, and must be canonical (what decodes
// re-encodes to the same bytes). VerifyTicket on any input returns a reason
// and never crashes.
#include <pouw/opening.h>
#include <pouw/params.h>
#include <pouw/verify.h>
#include <primitives/block.h>

#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    const auto decoded = hpips::pouw::DecodeOpening(input);
    if (size > hpips::MAX_OPENING_SIZE && decoded) std::abort();
    if (decoded && hpips::pouw::EncodeOpening(*decoded) != std::vector<uint8_t>(input.begin(), input.end())) std::abort();
    hpips::BlockHeader header;
    header.bits = 0x207fffff;
    if (decoded) header.proof.unit_id = hpips::pouw::ComputeUnitId(decoded->descriptor);
    const auto verified = hpips::pouw::VerifyTicket(header, input, hpips::pouw::ShapeRules::Regtest());
    if (!verified && verified.error_message().empty()) std::abort();
    return 0;
}
