// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/sha256.h>

#include <util/strencodings.h>

#include <openssl/evp.h>

#include <stdexcept>

namespace hpips {
namespace {

/** Fetched once: a fetch per hash would dominate short messages. */
const EVP_MD* Sha256Md()
{
    static EVP_MD* md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
    return md;
}

void Check(int ok)
{
    // OpenSSL fails here only on allocation failure or a broken library.
    if (ok != 1) throw std::runtime_error("OpenSSL SHA-256 failed");
}

}  // namespace

Sha256::Sha256() : m_ctx{EVP_MD_CTX_new()}
{
    if (m_ctx == nullptr) throw std::bad_alloc();
    Check(EVP_DigestInit_ex(m_ctx, Sha256Md(), nullptr));
}

Sha256::~Sha256() { EVP_MD_CTX_free(m_ctx); }

Sha256::Sha256(const Sha256& other) : m_ctx{EVP_MD_CTX_new()}
{
    if (m_ctx == nullptr) throw std::bad_alloc();
    Check(EVP_MD_CTX_copy_ex(m_ctx, other.m_ctx));
}

Sha256& Sha256::operator=(const Sha256& other)
{
    if (this != &other) Check(EVP_MD_CTX_copy_ex(m_ctx, other.m_ctx));
    return *this;
}

Sha256& Sha256::Write(std::span<const uint8_t> data)
{
    if (!data.empty()) Check(EVP_DigestUpdate(m_ctx, data.data(), data.size()));
    return *this;
}

uint256 Sha256::Finalize()
{
    std::array<uint8_t, OUTPUT_SIZE> out;
    unsigned int len = 0;
    Check(EVP_DigestFinal_ex(m_ctx, out.data(), &len));
    return uint256{out};
}

Sha256& Sha256::Reset()
{
    Check(EVP_DigestInit_ex(m_ctx, Sha256Md(), nullptr));
    return *this;
}

uint256 Sha256Hash(std::span<const uint8_t> data)
{
    std::array<uint8_t, Sha256::OUTPUT_SIZE> out;
    unsigned int len = 0;
    Check(EVP_Digest(data.data(), data.size(), out.data(), &len, Sha256Md(), nullptr));
    return uint256{out};
}

uint256 Sha256d(std::span<const uint8_t> data)
{
    const uint256 first = Sha256Hash(data);
    return Sha256Hash(first.span());
}

Sha256 TaggedHasher(std::string_view tag)
{
    const uint256 tag_hash = Sha256Hash(StringBytes(tag));
    Sha256 hasher;
    hasher.Write(tag_hash.span()).Write(tag_hash.span());
    return hasher;
}

uint256 TaggedHash(std::string_view tag, std::span<const uint8_t> data)
{
    return TaggedHasher(tag).Write(data).Finalize();
}

}  // namespace hpips
