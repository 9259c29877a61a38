// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Wallet encryption (doc/wallet.md, "Encryption"): the sealed mnemonic and
// master key, unlock, relock, passphrase change.
#include <wallet/wallet.h>
#include <wallet/wallet_meta.h>

#include <crypto/cleanse.h>
#include <crypto/random.h>
#include <util/logging.h>
#include <util/strencodings.h>

#include <algorithm>

namespace hpips::wallet {
namespace {

std::span<const uint8_t> Bytes(std::string_view text)
{
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

}  // namespace

void Wipe(std::string& secret)
{
    MemoryCleanse(secret.data(), secret.size());
    secret.clear();
}

Result<std::vector<std::pair<std::string, std::string>>> SealMasterKey(const CryptoKey& master_key,
                                                                       std::string_view passphrase)
{
    std::array<uint8_t, WALLET_CRYPTO_SALT_SIZE> salt{};
    GetStrongRandBytes(salt);
    auto pass_key = DeriveKeyFromPassphrase(passphrase, salt, DEFAULT_SCRYPT_PARAMS);
    if (!pass_key) return pass_key.error();
    auto sealed = Seal(*pass_key, master_key, AAD_MASTER_KEY);
    MemoryCleanse(pass_key->data(), pass_key->size());
    if (!sealed) return sealed.error();
    return std::vector<std::pair<std::string, std::string>>{
        {META_CRYPT_SALT, HexStr(salt)},
        {META_CRYPT_N, std::to_string(DEFAULT_SCRYPT_PARAMS.n)},
        {META_CRYPT_R, std::to_string(DEFAULT_SCRYPT_PARAMS.r)},
        {META_CRYPT_P, std::to_string(DEFAULT_SCRYPT_PARAMS.p)},
        {META_CRYPT_MASTER_KEY, HexStr(*sealed)},
    };
}

Result<std::vector<std::pair<std::string, std::string>>> EncryptMnemonic(std::string_view mnemonic,
                                                                         std::string_view passphrase)
{
    CryptoKey master_key{};
    GetStrongRandBytes(master_key);
    auto meta = SealMasterKey(master_key, passphrase);
    auto sealed = Seal(master_key, Bytes(mnemonic), AAD_MNEMONIC);
    MemoryCleanse(master_key.data(), master_key.size());
    if (!meta) return meta.error();
    if (!sealed) return sealed.error();
    meta->emplace_back(META_CRYPT_MNEMONIC, HexStr(*sealed));
    return meta;
}

Result<std::string, CryptError> Wallet::GetMnemonic()
{
    LockGuard lock{m_mutex};
    if (!m_encrypted) {
        auto mnemonic = m_db->GetMeta(META_MNEMONIC);
        if (!mnemonic) return CryptError{CryptFailure::NO_PRIVATE_KEYS, "Error: Private keys are disabled for this wallet"};
        return *mnemonic;
    }
    if (!m_master_key) return CryptError{CryptFailure::LOCKED, MSG_LOCKED};
    const auto sealed = ParseHex(m_db->GetMeta(META_CRYPT_MNEMONIC).value_or(""));
    auto clear = sealed ? Open(*m_master_key, *sealed, AAD_MNEMONIC) : std::nullopt;
    if (!clear) return CryptError{CryptFailure::FAILED, "Error: the wallet's sealed mnemonic does not open"};
    std::string mnemonic{clear->begin(), clear->end()};
    MemoryCleanse(clear->data(), clear->size());
    return mnemonic;
}

std::optional<CryptoKey> Wallet::OpenMasterKey(std::string_view passphrase)
{
    const auto salt = ParseHex(m_db->GetMeta(META_CRYPT_SALT).value_or(""));
    const auto sealed = ParseHex(m_db->GetMeta(META_CRYPT_MASTER_KEY).value_or(""));
    const ScryptParams params{static_cast<uint64_t>(ParseMetaInt(m_db->GetMeta(META_CRYPT_N)).value_or(0)),
                              static_cast<uint64_t>(ParseMetaInt(m_db->GetMeta(META_CRYPT_R)).value_or(0)),
                              static_cast<uint64_t>(ParseMetaInt(m_db->GetMeta(META_CRYPT_P)).value_or(0))};
    if (!salt || !sealed) return std::nullopt;
    auto pass_key = DeriveKeyFromPassphrase(passphrase, *salt, params);
    if (!pass_key) return std::nullopt;
    auto master = Open(*pass_key, *sealed, AAD_MASTER_KEY);
    MemoryCleanse(pass_key->data(), pass_key->size());
    if (!master || master->size() != WALLET_CRYPTO_KEY_SIZE) {
        if (master) MemoryCleanse(master->data(), master->size());
        return std::nullopt;
    }
    CryptoKey key{};
    std::copy(master->begin(), master->end(), key.begin());
    MemoryCleanse(master->data(), master->size());
    return key;
}

void Wallet::LockLocked()
{
    if (!m_encrypted) return;
    if (m_master_key) MemoryCleanse(m_master_key->data(), m_master_key->size());
    m_master_key.reset();
    m_unlocked_until = 0;
    // Back to the public keys only; the private KeyChain's destructor wipes
    // its extended private key.
    if (m_keys && m_keys->HasPrivateKeys()) {
        auto pub = KeyChain::FromAccountXpub(m_keys->AccountXpub());
        if (pub) {
            m_keys = std::move(*pub);
        } else {
            m_keys.reset();  // cannot happen: the xpub came from this chain
        }
    }
}

void Wallet::RelockThread()
{
    UniqueLock lock{m_mutex};
    while (!m_stopping) {
        if (m_master_key) {
            if (std::chrono::steady_clock::now() >= m_relock_at) {
                LockLocked();
                LogInfo("Wallet {}: relocked (walletpassphrase timeout)", m_name);
                continue;
            }
            m_relock_cv.wait_until(lock.native(), m_relock_at);
        } else {
            m_relock_cv.wait(lock.native());
        }
    }
}

Result<void, CryptError> Wallet::EncryptWallet(std::string passphrase)
{
    LockGuard lock{m_mutex};
    if (m_encrypted) {
        Wipe(passphrase);
        return CryptError{CryptFailure::ALREADY_ENCRYPTED,
                          "Error: running with an encrypted wallet, but encryptwallet was called."};
    }
    auto mnemonic = m_db->GetMeta(META_MNEMONIC);
    if (!mnemonic) {
        Wipe(passphrase);
        return CryptError{CryptFailure::NO_PRIVATE_KEYS,
                          "Error: wallet does not contain private keys, nothing to encrypt."};
    }
    auto sealed = EncryptMnemonic(*mnemonic, passphrase);
    Wipe(*mnemonic);
    Wipe(passphrase);
    if (!sealed) return CryptError{CryptFailure::FAILED, "Error: Failed to encrypt the wallet: " + sealed.error_message()};
    auto written = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        for (const auto& [key, value] : *sealed) {
            if (auto r = m_db->SetMeta(key, value); !r) return r;
        }
        return m_db->DeleteMeta(META_MNEMONIC);
    });
    if (!written) return CryptError{CryptFailure::FAILED, "Error: Failed to encrypt the wallet: " + written.error_message()};
    if (auto scrubbed = m_db->ScrubFreedPages(); !scrubbed) {
        LogInfo("Wallet {}: encrypted, but the write-ahead log could not be truncated: {}", m_name,
                scrubbed.error_message());
    }
    m_encrypted = true;
    LockLocked();
    return {};
}

Result<void, CryptError> Wallet::Unlock(std::string passphrase, int64_t timeout)
{
    UniqueLock lock{m_mutex};
    if (!m_encrypted) {
        Wipe(passphrase);
        return CryptError{CryptFailure::NOT_ENCRYPTED, MSG_NOT_ENCRYPTED};
    }
    auto master = OpenMasterKey(passphrase);
    Wipe(passphrase);
    if (!master) return CryptError{CryptFailure::WRONG_PASSPHRASE, MSG_WRONG_PASSPHRASE};
    const auto sealed = ParseHex(m_db->GetMeta(META_CRYPT_MNEMONIC).value_or(""));
    auto clear = sealed ? Open(*master, *sealed, AAD_MNEMONIC) : std::nullopt;
    if (!clear) {
        MemoryCleanse(master->data(), master->size());
        return CryptError{CryptFailure::FAILED, "Error: the wallet's sealed mnemonic does not open (damaged file)"};
    }
    std::string_view mnemonic{reinterpret_cast<const char*>(clear->data()), clear->size()};
    auto keys = KeyChain::FromMnemonic(mnemonic, m_network);
    MemoryCleanse(clear->data(), clear->size());
    if (!keys || !m_keys || keys->AccountXpub() != m_keys->AccountXpub()) {
        MemoryCleanse(master->data(), master->size());
        return CryptError{CryptFailure::FAILED, "Error: the wallet's mnemonic does not match its xpub (damaged file)"};
    }
    m_keys = std::move(*keys);
    if (m_master_key) MemoryCleanse(m_master_key->data(), m_master_key->size());
    m_master_key = *master;
    MemoryCleanse(master->data(), master->size());
    m_unlocked_until = m_chain.Now() + timeout;
    m_relock_at = std::chrono::steady_clock::now() + std::chrono::seconds{timeout};
    if (!m_relock_thread.joinable()) m_relock_thread = std::thread{[this] { RelockThread(); }};
    lock.unlock();
    m_relock_cv.notify_all();
    return {};
}

Result<void, CryptError> Wallet::Lock()
{
    LockGuard lock{m_mutex};
    if (!m_encrypted) {
        return CryptError{CryptFailure::NOT_ENCRYPTED,
                          "Error: running with an unencrypted wallet, but walletlock was called."};
    }
    LockLocked();
    return {};
}

Result<void, CryptError> Wallet::ChangePassphrase(std::string old_passphrase, std::string new_passphrase)
{
    LockGuard lock{m_mutex};
    if (!m_encrypted) {
        Wipe(old_passphrase);
        Wipe(new_passphrase);
        return CryptError{CryptFailure::NOT_ENCRYPTED,
                          "Error: running with an unencrypted wallet, but walletpassphrasechange was called."};
    }
    auto master = OpenMasterKey(old_passphrase);
    Wipe(old_passphrase);
    if (!master) {
        Wipe(new_passphrase);
        return CryptError{CryptFailure::WRONG_PASSPHRASE, MSG_WRONG_PASSPHRASE};
    }
    auto meta = SealMasterKey(*master, new_passphrase);
    MemoryCleanse(master->data(), master->size());
    Wipe(new_passphrase);
    if (!meta) return CryptError{CryptFailure::FAILED, "Error: Failed to change the passphrase: " + meta.error_message()};
    auto written = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        for (const auto& [key, value] : *meta) {
            if (auto r = m_db->SetMeta(key, value); !r) return r;
        }
        return {};
    });
    if (!written) {
        return CryptError{CryptFailure::FAILED, "Error: Failed to change the passphrase: " + written.error_message()};
    }
    return {};
}

}  // namespace hpips::wallet
