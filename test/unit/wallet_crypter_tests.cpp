// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/crypter.h>

#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <string>

namespace hpips::wallet {
namespace {

std::span<const uint8_t> Bytes(std::string_view text)
{
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

CryptoKey KeyOf(uint8_t fill)
{
    CryptoKey key{};
    key.fill(fill);
    return key;
}

TEST(WalletCrypter, ScryptMatchesRfc7914)
{
    // RFC 7914 section 12, third vector (its first 32 bytes: a shorter
    // PBKDF2 output is a prefix of the longer one).
    auto key = DeriveKeyFromPassphrase("pleaseletmein", Bytes("SodiumChloride"), {16384, 8, 1});
    ASSERT_TRUE(key) << key.error_message();
    EXPECT_EQ(HexStr(*key), "7023bdcb3afd7348461c06cd81fd38ebfda8fbba904f8e3ea9b543f6545da1f2");
}

TEST(WalletCrypter, ScryptParamsAreBounded)
{
    EXPECT_TRUE(ScryptParamsValid(DEFAULT_SCRYPT_PARAMS));
    EXPECT_TRUE(ScryptParamsValid({uint64_t{1} << 20, 8, 1}));
    EXPECT_FALSE(ScryptParamsValid({uint64_t{1} << 21, 8, 1}));  // one step over the N bound
    EXPECT_FALSE(ScryptParamsValid({3000, 8, 1}));                // not a power of two
    EXPECT_FALSE(ScryptParamsValid({1024, 33, 1}));
    EXPECT_FALSE(ScryptParamsValid({1024, 8, 17}));
    EXPECT_FALSE(ScryptParamsValid({1024, 0, 1}));
    EXPECT_FALSE(ScryptParamsValid({uint64_t{1} << 20, 32, 1}));  // 4 GiB of memory
    EXPECT_FALSE(DeriveKeyFromPassphrase("x", Bytes("salt"), {uint64_t{1} << 21, 8, 1}));
    EXPECT_FALSE(DeriveKeyFromPassphrase(std::string(MAX_PASSPHRASE_SIZE + 1, 'a'), Bytes("salt"),
                                         DEFAULT_SCRYPT_PARAMS));
    EXPECT_TRUE(DeriveKeyFromPassphrase(std::string(MAX_PASSPHRASE_SIZE, 'a'), Bytes("salt"), DEFAULT_SCRYPT_PARAMS));
}

TEST(WalletCrypter, PassphraseKeySealsAndOpens)
{
    auto pass_key = DeriveKeyFromPassphrase("correct horse", Bytes("0123456789abcdef"), DEFAULT_SCRYPT_PARAMS);
    ASSERT_TRUE(pass_key);
    const CryptoKey master = KeyOf(0x42);
    auto sealed = Seal(*pass_key, master, "master");
    ASSERT_TRUE(sealed);
    EXPECT_EQ(sealed->size(), WALLET_CRYPTO_NONCE_SIZE + master.size() + WALLET_CRYPTO_TAG_SIZE);
    auto opened = Open(*pass_key, *sealed, "master");
    ASSERT_TRUE(opened);
    EXPECT_TRUE(std::equal(opened->begin(), opened->end(), master.begin(), master.end()));

    // The wrong passphrase gives another key, which does not open it.
    auto wrong = DeriveKeyFromPassphrase("correct horsf", Bytes("0123456789abcdef"), DEFAULT_SCRYPT_PARAMS);
    ASSERT_TRUE(wrong);
    EXPECT_NE(*wrong, *pass_key);
    EXPECT_FALSE(Open(*wrong, *sealed, "master"));
    // Another salt too.
    auto salted = DeriveKeyFromPassphrase("correct horse", Bytes("0123456789abcdeF"), DEFAULT_SCRYPT_PARAMS);
    ASSERT_TRUE(salted);
    EXPECT_FALSE(Open(*salted, *sealed, "master"));
}

TEST(WalletCrypter, TamperingIsDetected)
{
    const CryptoKey key = KeyOf(7);
    const std::string secret = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
                               "abandon about";
    auto sealed = Seal(key, Bytes(secret), "mnemonic");
    ASSERT_TRUE(sealed);
    // Nonces are random: the same secret never seals to the same bytes.
    auto again = Seal(key, Bytes(secret), "mnemonic");
    ASSERT_TRUE(again);
    EXPECT_NE(*sealed, *again);
    // Any flipped bit, in the nonce, the ciphertext or the tag, is refused.
    for (size_t i = 0; i < sealed->size(); ++i) {
        auto bad = *sealed;
        bad[i] ^= 0x01;
        EXPECT_FALSE(Open(key, bad, "mnemonic")) << "byte " << i;
    }
    // Truncated, extended, another purpose, too short, too large.
    EXPECT_FALSE(Open(key, std::span{*sealed}.first(sealed->size() - 1), "mnemonic"));
    auto longer = *sealed;
    longer.push_back(0);
    EXPECT_FALSE(Open(key, longer, "mnemonic"));
    EXPECT_FALSE(Open(key, *sealed, "master"));
    EXPECT_FALSE(Open(key, std::vector<uint8_t>(WALLET_CRYPTO_NONCE_SIZE + WALLET_CRYPTO_TAG_SIZE - 1), "mnemonic"));
    EXPECT_FALSE(Open(key, std::vector<uint8_t>(MAX_SEALED_SIZE + 1), "mnemonic"));
    EXPECT_FALSE(Seal(key, std::vector<uint8_t>(MAX_SEALED_SIZE + 1), "mnemonic"));
    // The untouched blob still opens.
    auto opened = Open(key, *sealed, "mnemonic");
    ASSERT_TRUE(opened);
    EXPECT_EQ(std::string(opened->begin(), opened->end()), secret);
    // An empty secret round-trips as well.
    auto empty = Seal(key, {}, "x");
    ASSERT_TRUE(empty);
    auto opened_empty = Open(key, *empty, "x");
    ASSERT_TRUE(opened_empty);
    EXPECT_TRUE(opened_empty->empty());
}

}  // namespace
}  // namespace hpips::wallet
