// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_PBKDF2_H
#define HPIPS_CRYPTO_PBKDF2_H

#include <cstdint>
#include <span>

namespace hpips {

/** Upper bound on PBKDF2 iterations: OpenSSL takes the count as an int, and
 *  nothing in HPIPS needs more than BIP-39's 2048. */
inline constexpr uint32_t PBKDF2_MAX_ITERATIONS = 0x7fffffff;
/** Upper bound on each of password, salt and output length (OpenSSL's int). */
inline constexpr size_t PBKDF2_MAX_LENGTH = 0x7fffffff;

/** PBKDF2 (RFC 8018 section 5.2) with HMAC-SHA512 as the PRF, computed by
 *  OpenSSL's PKCS5_PBKDF2_HMAC (never hand-written). Fills all of `out` (the
 *  caller picks the derived-key length by the span's size, which is why this is
 *  an out-parameter; BIP-39 uses 64 bytes).
 *  Preconditions (caller bugs, checked, abort when broken): 1 <= iterations <=
 *  PBKDF2_MAX_ITERATIONS; password, salt and out no longer than
 *  PBKDF2_MAX_LENGTH; out not empty. Thread-safe. */
void Pbkdf2HmacSha512(std::span<const uint8_t> password, std::span<const uint8_t> salt, uint32_t iterations,
                      std::span<uint8_t> out);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_PBKDF2_H
