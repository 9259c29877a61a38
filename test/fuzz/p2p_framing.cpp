// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The frame parser over an arbitrary byte stream, fed in chunks whose sizes
// come from the input: it must never crash, never hold more than one
// message's limit, and every message it delivers must carry a valid
// command, a payload within that command's limit and a matching checksum.
// The first byte chooses the chain's magic (so valid frames can appear).
#include <consensus/params.h>
#include <net/framing.h>

#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size < 2) return 0;
    const hpips::Network networks[] = {hpips::Network::MAIN, hpips::Network::TEST, hpips::Network::REGTEST};
    const auto& magic = hpips::Params(networks[data[0] % 3]).message_start;
    const size_t chunk = 1 + data[1] % 64;
    std::span<const uint8_t> stream{data + 2, size - 2};
    hpips::net::FrameParser parser{magic};
    while (!stream.empty()) {
        const size_t n = parser.Feed(stream.first(std::min(chunk, stream.size())));
        stream = stream.subspan(n);
        if (parser.BufferedBytes() > hpips::net::MESSAGE_HEADER_SIZE + hpips::net::MAX_PAYLOAD_ANY) std::abort();
        if (parser.MessageReady()) {
            const auto message = parser.TakeMessage();
            if (message.payload.size() > hpips::net::MaxPayloadSize(message.command)) std::abort();
            if (message.command.empty() || message.command.size() > hpips::net::COMMAND_SIZE) std::abort();
            const auto frame = hpips::net::BuildFrame(magic, message.command, message.payload);
            if (frame.size() != message.wire_size) std::abort();
            continue;
        }
        if (parser.Error()) break;
        if (n == 0) std::abort();  // neither progress, nor a message, nor an error
    }
    return 0;
}
