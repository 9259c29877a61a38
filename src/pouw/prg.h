// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_PRG_H
#define HPIPS_POUW_PRG_H

#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>

/** The PoUW pseudo-random generator (doc/pouw.md §3): the ChaCha20 stream
 *  (key, domain, index), with key a 32-byte seed and the 12-byte nonce
 *  domain u32 LE ‖ index u64 LE. Random access by block, computed with the
 *  HPIPS_HD block function of chacha20_block.h (the one the device runs). */
namespace hpips::pouw {

/** A ChaCha20 key as the 8 LE words the block function takes. */
std::array<uint32_t, 8> KeyWords(const uint256& key);

/** Writes the first out.size() bytes of the stream (key, domain, index).
 *  out.size() must be at most 2^32 · 64 (callers ask for a few blocks). */
void PrgBytes(const std::array<uint32_t, 8>& key_words, uint32_t domain, uint64_t index, std::span<uint8_t> out);

/** Writes the first out.size() LE words of the stream (key, domain, index). */
void PrgWords(const std::array<uint32_t, 8>& key_words, uint32_t domain, uint64_t index, std::span<uint32_t> out);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_PRG_H
