// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/crypter.h>

#include <crypto/cleanse.h>
#include <crypto/random.h>

#include <openssl/evp.h>

#include <memory>

namespace hpips::wallet {
namespace {

struct CipherCtxFree {
    void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};
using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxFree>;

}  // namespace

bool ScryptParamsValid(const ScryptParams& params)
{
    if (params.n < 2 || params.n > (uint64_t{1} << 20) || (params.n & (params.n - 1)) != 0) return false;
    if (params.r < 1 || params.r > 32 || params.p < 1 || params.p > 16) return false;
    return 128 * params.n * params.r <= (uint64_t{1} << 30);
}

Result<CryptoKey> DeriveKeyFromPassphrase(std::string_view passphrase, std::span<const uint8_t> salt,
                                          const ScryptParams& params)
{
    if (!ScryptParamsValid(params)) return Error{"invalid scrypt parameters"};
    if (passphrase.size() > MAX_PASSPHRASE_SIZE) return Error{"passphrase too long"};
    CryptoKey key{};
    // OpenSSL needs 128 * r * (N + p + 2) bytes or so; allow that plus slack.
    const uint64_t maxmem = 128 * params.r * (params.n + params.p + 2) + (uint64_t{1} << 20);
    if (EVP_PBE_scrypt(passphrase.data(), passphrase.size(), salt.data(), salt.size(), params.n, params.r, params.p,
                       maxmem, key.data(), key.size()) != 1) {
        return Error{"scrypt failed"};
    }
    return key;
}

Result<std::vector<uint8_t>> Seal(const CryptoKey& key, std::span<const uint8_t> plaintext, std::string_view aad)
{
    if (plaintext.size() > MAX_SEALED_SIZE) return Error{"secret too large"};
    std::vector<uint8_t> out(WALLET_CRYPTO_NONCE_SIZE + plaintext.size() + WALLET_CRYPTO_TAG_SIZE);
    GetStrongRandBytes(std::span<uint8_t>{out.data(), WALLET_CRYPTO_NONCE_SIZE});
    CipherCtx ctx{EVP_CIPHER_CTX_new()};
    int len{0};
    if (!ctx || EVP_EncryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, WALLET_CRYPTO_NONCE_SIZE, nullptr) != 1 ||
        EVP_EncryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), out.data()) != 1 ||
        EVP_EncryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const uint8_t*>(aad.data()),
                          static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(ctx.get(), out.data() + WALLET_CRYPTO_NONCE_SIZE, &len, plaintext.data(),
                          static_cast<int>(plaintext.size())) != 1 ||
        EVP_EncryptFinal_ex(ctx.get(), out.data() + WALLET_CRYPTO_NONCE_SIZE + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, WALLET_CRYPTO_TAG_SIZE,
                            out.data() + WALLET_CRYPTO_NONCE_SIZE + plaintext.size()) != 1) {
        return Error{"AES-256-GCM encryption failed"};
    }
    return out;
}

std::optional<std::vector<uint8_t>> Open(const CryptoKey& key, std::span<const uint8_t> sealed, std::string_view aad)
{
    if (sealed.size() < WALLET_CRYPTO_NONCE_SIZE + WALLET_CRYPTO_TAG_SIZE || sealed.size() > MAX_SEALED_SIZE) {
        return std::nullopt;
    }
    const size_t size = sealed.size() - WALLET_CRYPTO_NONCE_SIZE - WALLET_CRYPTO_TAG_SIZE;
    std::vector<uint8_t> out(size);
    std::array<uint8_t, WALLET_CRYPTO_TAG_SIZE> tag{};
    std::copy(sealed.end() - WALLET_CRYPTO_TAG_SIZE, sealed.end(), tag.begin());
    CipherCtx ctx{EVP_CIPHER_CTX_new()};
    int len{0};
    const bool ok =
        ctx && EVP_DecryptInit_ex(ctx.get(), EVP_aes_256_gcm(), nullptr, nullptr, nullptr) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_IVLEN, WALLET_CRYPTO_NONCE_SIZE, nullptr) == 1 &&
        EVP_DecryptInit_ex(ctx.get(), nullptr, nullptr, key.data(), sealed.data()) == 1 &&
        EVP_DecryptUpdate(ctx.get(), nullptr, &len, reinterpret_cast<const uint8_t*>(aad.data()),
                          static_cast<int>(aad.size())) == 1 &&
        EVP_DecryptUpdate(ctx.get(), out.data(), &len, sealed.data() + WALLET_CRYPTO_NONCE_SIZE,
                          static_cast<int>(size)) == 1 &&
        EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, WALLET_CRYPTO_TAG_SIZE, tag.data()) == 1 &&
        EVP_DecryptFinal_ex(ctx.get(), out.data() + len, &len) == 1;
    if (!ok) {
        MemoryCleanse(out.data(), out.size());
        return std::nullopt;
    }
    return out;
}

}  // namespace hpips::wallet
