// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/hmac.h>

#include <crypto/cleanse.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include <cstdio>
#include <cstdlib>

namespace hpips {
namespace {

void Fail()
{
    // Only allocation failure or a broken library make OpenSSL fail here;
    // neither can be recovered from, and a wrong MAC must never be returned.
    std::fputs("Fatal: OpenSSL HMAC failed\n", stderr);
    std::abort();
}

template <size_t N>
std::array<uint8_t, N> ComputeHmac(const EVP_MD* md, std::span<const uint8_t> key, std::span<const uint8_t> data)
{
    // RFC 2104 replaces a key longer than the hash's block size by its digest.
    // Doing it here (rather than inside OpenSSL) keeps any key length legal,
    // because HMAC() takes the key length as an int.
    std::array<uint8_t, EVP_MAX_MD_SIZE> hashed_key{};
    if (key.size() > static_cast<size_t>(EVP_MD_get_block_size(md))) {
        unsigned int hashed_len{0};
        if (EVP_Digest(key.data(), key.size(), hashed_key.data(), &hashed_len, md, nullptr) != 1) Fail();
        key = std::span<const uint8_t>{hashed_key.data(), hashed_len};
    }
    // OpenSSL treats a null key pointer as "no key given" rather than "empty
    // key", so empty spans are passed as a valid pointer of length zero.
    static constexpr uint8_t EMPTY{0};
    const uint8_t* key_ptr{key.empty() ? &EMPTY : key.data()};
    const uint8_t* data_ptr{data.empty() ? &EMPTY : data.data()};
    std::array<uint8_t, N> out{};
    unsigned int out_len{0};
    const bool ok{HMAC(md, key_ptr, static_cast<int>(key.size()), data_ptr, data.size(), out.data(), &out_len) != nullptr};
    MemoryCleanse(hashed_key.data(), hashed_key.size());
    if (!ok || out_len != N) Fail();
    return out;
}

}  // namespace

std::array<uint8_t, HMAC_SHA256_SIZE> HmacSha256(std::span<const uint8_t> key, std::span<const uint8_t> data)
{
    return ComputeHmac<HMAC_SHA256_SIZE>(EVP_sha256(), key, data);
}

std::array<uint8_t, HMAC_SHA512_SIZE> HmacSha512(std::span<const uint8_t> key, std::span<const uint8_t> data)
{
    return ComputeHmac<HMAC_SHA512_SIZE>(EVP_sha512(), key, data);
}

}  // namespace hpips
