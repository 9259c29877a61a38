// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_CRYPTER_H
#define HPIPS_WALLET_CRYPTER_H

#include <util/result.h>

#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

/**
 * Wallet encryption primitives (doc/wallet.md, "Encryption"), over OpenSSL:
 *
 *  - a key is derived from the passphrase with scrypt (EVP_PBE_scrypt) under
 *    a random 16-byte salt and stored parameters N, r, p;
 *  - data is sealed with AES-256-GCM: the blob is nonce (12 random bytes) ||
 *    ciphertext || tag (16 bytes), with a fixed "associated data" string per
 *    purpose, so a blob of one kind can not be passed off as another.
 *
 * The wallet keeps a random 32-byte master key sealed under the passphrase
 * key and its secrets sealed under the master key, so a passphrase change
 * reseals 32 bytes only. Every function wipes its intermediate secrets
 * (MemoryCleanse); callers wipe what they are given back.
 */
namespace hpips::wallet {

/** Size of the passphrase key and of the master key (AES-256). */
constexpr size_t WALLET_CRYPTO_KEY_SIZE = 32;
constexpr size_t WALLET_CRYPTO_SALT_SIZE = 16;
constexpr size_t WALLET_CRYPTO_NONCE_SIZE = 12;
constexpr size_t WALLET_CRYPTO_TAG_SIZE = 16;
/** Longest passphrase accepted (bytes): bounds scrypt's input from RPC. */
constexpr size_t MAX_PASSPHRASE_SIZE = 1024;
/** Largest sealed blob opened (a mnemonic is under 300 bytes). */
constexpr size_t MAX_SEALED_SIZE = 4096;

/** scrypt's cost parameters, as stored in the wallet file. */
struct ScryptParams {
    uint64_t n{0};
    uint64_t r{0};
    uint64_t p{0};
};

/** Parameters new encryptions use: N = 2^14, r = 8, p = 1 (16 MiB, 65-130 ms
 *  on the shared 2-core development VM), so that unlocking, tests included,
 *  stays fast; each guess costs an attacker the same. */
constexpr ScryptParams DEFAULT_SCRYPT_PARAMS{uint64_t{1} << 14, 8, 1};
/** Bounds on parameters read from a file, so a damaged or hostile file
 *  cannot make an unlock take unbounded memory or time (N <= 2^20, r <= 32,
 *  p <= 16, 128 * N * r <= 1 GiB). */
bool ScryptParamsValid(const ScryptParams& params);

using CryptoKey = std::array<uint8_t, WALLET_CRYPTO_KEY_SIZE>;

/** scrypt(passphrase, salt, params) -> 32 bytes. Fails for invalid params or
 *  when OpenSSL fails (out of memory). */
Result<CryptoKey> DeriveKeyFromPassphrase(std::string_view passphrase, std::span<const uint8_t> salt,
                                          const ScryptParams& params);

/** AES-256-GCM: nonce || ciphertext || tag, `aad` authenticated too. */
Result<std::vector<uint8_t>> Seal(const CryptoKey& key, std::span<const uint8_t> plaintext, std::string_view aad);

/** Opens a blob of Seal. nullopt when the key is wrong or the blob (or its
 *  aad) was changed: GCM's tag does not verify. The caller wipes the result. */
std::optional<std::vector<uint8_t>> Open(const CryptoKey& key, std::span<const uint8_t> sealed, std::string_view aad);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_CRYPTER_H
