// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/descriptor.h>

#include <primitives/address.h>
#include <primitives/transaction.h>
#include <util/serialize.h>
#include <util/strencodings.h>

#include <array>
#include <cstdint>
#include <vector>

namespace hpips {
namespace {

/** BIP-380's input character set: three groups of 32. A character's symbol
 *  is its position within its group; the group numbers of three characters
 *  make one more symbol, so a case change costs one symbol error, not three. */
constexpr std::string_view INPUT_CHARSET{
    "0123456789()[],'/*abcdefgh@:$%{}"
    "IJKLMNOPQRSTUVWXYZ&+-.;<=>?!^_|~"
    "ijklmnopqrstuvwxyzABCDEFGH`#\"\\ "};
/** The bech32 alphabet, in which the 8 checksum symbols are written. */
constexpr std::string_view CHECKSUM_CHARSET{"qpzry9x8gf2tvdw0s3jn54khce6mua7l"};
/** The BCH code's generator: what a symbol shifted out of the top of the
 *  40-bit state folds back in, one constant per bit of that symbol. */
constexpr std::array<uint64_t, 5> GENERATOR{0xf5dee51989, 0xa9fdca3312, 0x1bab10e32d, 0x3706b1677a, 0x644d626ffd};
/** The low 35 bits of the state (what survives a 5-bit shift). */
constexpr uint64_t LOW_35_BITS = 0x7ffffffff;

/** Feeds one 5-bit symbol into the checksum state. */
uint64_t PolyModStep(uint64_t chk, uint64_t value)
{
    const uint64_t top = chk >> 35;
    chk = ((chk & LOW_35_BITS) << 5) ^ value;
    for (size_t i{0}; i < GENERATOR.size(); ++i) {
        if ((top >> i) & 1) chk ^= GENERATOR[i];
    }
    return chk;
}

/** The checksum state after every symbol of `descriptor`; nullopt on a
 *  character outside INPUT_CHARSET. */
std::optional<uint64_t> PolyModOfText(std::string_view descriptor)
{
    uint64_t chk{1};
    uint64_t groups{0};
    int group_count{0};
    for (const char c : descriptor) {
        const size_t pos = INPUT_CHARSET.find(c);
        if (pos == std::string_view::npos) return std::nullopt;
        chk = PolyModStep(chk, pos & 31);
        groups = groups * 3 + (pos >> 5);
        if (++group_count == 3) {
            chk = PolyModStep(chk, groups);
            groups = 0;
            group_count = 0;
        }
    }
    if (group_count > 0) chk = PolyModStep(chk, groups);
    return chk;
}

}  // namespace

std::optional<std::string> DescriptorChecksum(std::string_view descriptor)
{
    auto chk = PolyModOfText(descriptor);
    if (!chk) return std::nullopt;
    for (size_t i{0}; i < DESCRIPTOR_CHECKSUM_LENGTH; ++i) *chk = PolyModStep(*chk, 0);
    const uint64_t checksum = *chk ^ 1;
    std::string out(DESCRIPTOR_CHECKSUM_LENGTH, ' ');
    for (size_t i{0}; i < DESCRIPTOR_CHECKSUM_LENGTH; ++i) {
        out[i] = CHECKSUM_CHARSET[(checksum >> (5 * (DESCRIPTOR_CHECKSUM_LENGTH - 1 - i))) & 31];
    }
    return out;
}

std::optional<std::string> AddDescriptorChecksum(std::string_view descriptor)
{
    auto checksum = DescriptorChecksum(descriptor);
    if (!checksum) return std::nullopt;
    return std::string{descriptor} + "#" + *checksum;
}

bool CheckDescriptorChecksum(std::string_view text)
{
    const size_t hash = text.rfind('#');
    if (hash == std::string_view::npos || text.size() - hash - 1 != DESCRIPTOR_CHECKSUM_LENGTH) return false;
    const auto expected = DescriptorChecksum(text.substr(0, hash));
    return expected && *expected == text.substr(hash + 1);
}

std::string DestinationDescriptor(const Destination& dest, Network net)
{
    const std::string address = EncodeAddress(dest, net);
    std::string body;
    if (!address.empty()) {
        body = "addr(" + address + ")";
    } else {
        Writer w;
        WriteDestination(w, dest);
        body = "raw(" + HexStr(w.data()) + ")";
    }
    // Addresses and hex use only characters of the input set.
    return *AddDescriptorChecksum(body);
}

}  // namespace hpips
