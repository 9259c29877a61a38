// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_HMAC_H
#define HPIPS_CRYPTO_HMAC_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hpips {

/** Output sizes of the two HMACs, equal to the digest sizes (RFC 2104). */
inline constexpr size_t HMAC_SHA256_SIZE = 32;
inline constexpr size_t HMAC_SHA512_SIZE = 64;

/** HMAC-SHA256 (RFC 2104 / FIPS 198-1) of data under key, computed by OpenSSL
 *  (never hand-written). Any key and data length is accepted, including empty;
 *  keys longer than the block size are hashed first, as the RFC says.
 *  The result may be secret (BIP-32 uses it to derive keys): callers that
 *  treat it so wipe it with MemoryCleanse. Thread-safe. */
std::array<uint8_t, HMAC_SHA256_SIZE> HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data);

/** HMAC-SHA512 of data under key; same contract as HmacSha256. This is the
 *  primitive of BIP-32 derivation and of PBKDF2 in BIP-39. */
std::array<uint8_t, HMAC_SHA512_SIZE> HmacSha512(std::span<const uint8_t> key, std::span<const uint8_t> data);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_HMAC_H
