// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_RANDOM_H
#define HPIPS_CRYPTO_RANDOM_H

#include <cstdint>
#include <span>

namespace hpips {

/** Fills `out` with cryptographically strong random bytes from OpenSSL's
 *  RAND_bytes (its DRBG seeded from the operating system), suitable for keys,
 *  BIP-340 aux_rand and salts. Any length is accepted. Thread-safe.
 *  Never fails: if OpenSSL cannot produce randomness (which does not happen
 *  on a sane system), the process aborts rather than hand out weak bytes. */
void GetStrongRandBytes(std::span<uint8_t> out);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_RANDOM_H
