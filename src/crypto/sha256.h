// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_SHA256_H
#define HPIPS_CRYPTO_SHA256_H

#include <util/uint256.h>

#include <cstdint>
#include <span>
#include <string_view>

struct evp_md_ctx_st;

namespace hpips {

/** Incremental SHA-256 through OpenSSL's EVP interface (never hand-written).
 *  Not thread-safe; copyable (a copy continues from the same midstate, which
 *  is how tagged hashes reuse their prefix). */
class Sha256 {
public:
    static constexpr size_t OUTPUT_SIZE = 32;

    Sha256();
    ~Sha256();
    Sha256(const Sha256& other);
    Sha256& operator=(const Sha256& other);

    Sha256& Write(std::span<const uint8_t> data);
    /** Finishes the hash; the object must be Reset() before it is written again. */
    uint256 Finalize();
    Sha256& Reset();

private:
    evp_md_ctx_st* m_ctx;
};

/** SHA-256 of the bytes. */
uint256 Sha256Hash(std::span<const uint8_t> data);
/** SHA256d: SHA-256 applied twice, Bitcoin's id hash (block hashes, txids). */
uint256 Sha256d(std::span<const uint8_t> data);

/** A BIP-340 tagged hasher: SHA256(SHA256(tag) || SHA256(tag) || ...), with
 *  the 64-byte prefix already absorbed. */
Sha256 TaggedHasher(std::string_view tag);
/** BIP-340 tagged hash of the bytes. */
uint256 TaggedHash(std::string_view tag, std::span<const uint8_t> data);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_SHA256_H
