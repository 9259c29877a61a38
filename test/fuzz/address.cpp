// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Feeds arbitrary text to every parser of addresses and amounts, and the first
// four bytes to the compact-bits decoder. Whatever is accepted must re-encode
// to the same text (lower-cased), and error location must only point inside
// the input.
#include <primitives/address.h>
#include <primitives/amount_format.h>
#include <primitives/target.h>
#include <util/bech32.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

namespace {

std::string Lower(std::string_view in)
{
    std::string out{in};
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

void Check(bool condition)
{
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    const std::string_view text{reinterpret_cast<const char*>(data), size};

    const bech32::DecodeResult decoded{bech32::Decode(text)};
    if (decoded.IsValid()) {
        Check(bech32::Encode(decoded.encoding, decoded.hrp, decoded.data) == Lower(text));
    }
    Check(decoded.error_positions.size() <= text.size());
    for (size_t pos : decoded.error_positions) Check(pos < text.size());
    if (decoded.status == bech32::Status::BAD_CHECKSUM) Check(decoded.error_positions.size() <= bech32::MAX_LOCATED_ERRORS);

    for (Network net : {Network::MAIN, Network::TEST, Network::REGTEST}) {
        const auto dest{DecodeAddress(text, net)};
        if (dest) Check(EncodeAddress(*dest, net) == Lower(text));
    }

    if (const auto amount{ParseMoney(text)}) {
        Check(MoneyRange(*amount));
        Check(ParseMoney(FormatMoney(*amount)) == amount);
    }

    if (size >= 4) {
        const uint32_t bits{uint32_t{data[0]} | uint32_t{data[1]} << 8 | uint32_t{data[2]} << 16 |
                            uint32_t{data[3]} << 24};
        const CompactTarget compact{DecodeCompact(bits)};
        if (!compact.overflow) {
            // A decoded value has at most 3 significant bytes: re-encoding is lossless.
            const CompactTarget again{DecodeCompact(EncodeCompact(compact.target, compact.negative))};
            Check(again.target == compact.target && again.negative == compact.negative && !again.overflow);
        }
        if (const auto target{TargetFromBits(bits)}) Check(BlockWork(*target) >= 1);
    }
    return 0;
}
