// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_DESCRIPTOR_H
#define HPIPS_PRIMITIVES_DESCRIPTOR_H

#include <primitives/destination.h>
#include <primitives/network.h>

#include <optional>
#include <string>
#include <string_view>

/**
 * Output descriptors as Bitcoin Core writes them in RPC results, for the
 * outputs HPIPS has: `addr(ADDRESS)#checksum` for a destination with an
 * address, `raw(HEX)#checksum` (HEX: the destination's encoding) for one
 * without.
 *
 * The checksum is BIP-380's: the descriptor's characters are mapped to
 * symbols through the 95-character input set (position within its group of
 * 32, plus one symbol per three characters for the group numbers), run
 * through a BCH code over GF(32) with the BIP's five generator constants, and
 * the resulting 40 bits are written as 8 characters of the bech32 alphabet.
 * The code detects any error that affects at most 4 characters of a
 * descriptor up to 49,154 characters long. Implemented from the BIP's
 * description (doc/rpc.md, "Output descriptors").
 *
 * Pure functions; thread-safe.
 */
namespace hpips {

/** Length of a descriptor checksum (the characters after '#'). */
constexpr size_t DESCRIPTOR_CHECKSUM_LENGTH = 8;

/** The 8-character BIP-380 checksum of `descriptor` (without its '#' part);
 *  nullopt when it contains a character outside the descriptor input set. */
std::optional<std::string> DescriptorChecksum(std::string_view descriptor);

/** `descriptor` + '#' + its checksum; nullopt as DescriptorChecksum. */
std::optional<std::string> AddDescriptorChecksum(std::string_view descriptor);

/** True when `text` is DESCRIPTOR#CHECKSUM with the right checksum. */
bool CheckDescriptorChecksum(std::string_view text);

/** The descriptor of an output paying `dest` on `net`, with its checksum:
 *  addr(ADDRESS)#... or, for a destination with no address, raw(HEX)#... */
std::string DestinationDescriptor(const Destination& dest, Network net);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_DESCRIPTOR_H
