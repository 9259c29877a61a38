// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Every P2P message's decoder, chosen by the first input byte (an index into
// the command table); the rest is the payload. Whatever decodes must stay
// within the command's limit and encode back to exactly the same bytes (each
// message has one encoding), and decoding must never crash or allocate past
// the input.
#include <net/messages.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0) return 0;
    const auto table = hpips::net::CommandTable();
    const auto& info = table[data[0] % table.size()];
    const std::span<const uint8_t> payload{data + 1, size - 1};
    auto decoded = hpips::net::DecodeMessage(info.command, payload);
    if (!decoded) return 0;
    if (payload.size() > info.max_payload) std::abort();
    if (hpips::net::CommandOf(*decoded) != info.command) std::abort();
    const auto encoded = hpips::net::EncodePayload(*decoded);
    if (!std::equal(encoded.begin(), encoded.end(), payload.begin(), payload.end())) std::abort();
    return 0;
}
