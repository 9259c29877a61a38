// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_HASH160_H
#define HPIPS_CRYPTO_HASH160_H

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>

namespace hpips {

/** Size of a RIPEMD-160 digest. */
inline constexpr size_t HASH160_SIZE = 20;

/** RIPEMD160(SHA256(data)), Bitcoin's HASH160, computed by OpenSSL. HPIPS
 *  addresses do not use it (they are bech32m over x-only keys); it exists
 *  because BIP-32 defines a key's fingerprint as the first 4 bytes of the
 *  HASH160 of its compressed public key. Thread-safe. */
std::array<uint8_t, HASH160_SIZE> Hash160(std::span<const uint8_t> data);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_HASH160_H
