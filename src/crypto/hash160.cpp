// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/hash160.h>

#include <crypto/sha256.h>

#include <openssl/evp.h>

#include <cstdio>
#include <cstdlib>

namespace hpips {

std::array<uint8_t, HASH160_SIZE> Hash160(std::span<const uint8_t> data)
{
    // RIPEMD-160 is in OpenSSL 3's default provider since 3.0.7 (Debian 12
    // ships 3.0.x >= 3.0.9), so no legacy provider needs loading.
    static EVP_MD* const ripemd160{EVP_MD_fetch(nullptr, "RIPEMD160", nullptr)};
    const uint256 sha{Sha256Hash(data)};
    std::array<uint8_t, HASH160_SIZE> out{};
    unsigned int out_len{0};
    if (ripemd160 == nullptr || EVP_Digest(sha.data(), sha.size(), out.data(), &out_len, ripemd160, nullptr) != 1 ||
        out_len != HASH160_SIZE) {
        std::fputs("Fatal: OpenSSL RIPEMD-160 unavailable or failed\n", stderr);
        std::abort();
    }
    return out;
}

}  // namespace hpips
