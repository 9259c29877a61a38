// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/key_io.h>

#include <crypto/base58.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <vector>

namespace hpips {
namespace {

std::vector<uint8_t> Bytes(std::string_view hex) { return *ParseHex(hex); }

TEST(KeyIoTests, KnownBitcoinWifVectors)
{
    // The secret 1 and its well-known compressed WIF strings (main and testnet).
    std::vector<uint8_t> one(32, 0);
    one[31] = 1;
    const PrivKey key = *PrivKey::FromBytes(one);
    EXPECT_EQ(EncodeSecret(key, Network::MAIN), "KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn");
    EXPECT_EQ(EncodeSecret(key, Network::TEST), "cMahea7zqjxrtgAbB7LSGbcQUr1uX1ojuat9jZodMN87JcbXMTcA");
    EXPECT_EQ(EncodeSecret(key, Network::REGTEST), EncodeSecret(key, Network::TEST));
    const auto decoded = DecodeSecret("KwDiBf89QgGbjEhKnhXJuH7LrciVrZi3qYjgd9M7rFU73sVHnoWn", Network::MAIN);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(std::vector<uint8_t>(decoded->bytes().begin(), decoded->bytes().end()), one);
}

TEST(KeyIoTests, RoundTripsOnEveryNetwork)
{
    for (const Network net : {Network::MAIN, Network::TEST, Network::REGTEST}) {
        const PrivKey key = PrivKey::Generate();
        const std::string wif = EncodeSecret(key, net);
        const auto back = DecodeSecret(wif, net);
        ASSERT_TRUE(back);
        EXPECT_EQ(back->GetXOnlyPubKey(), key.GetXOnlyPubKey());
    }
}

TEST(KeyIoTests, RejectsWrongNetworkAndMalformedInput)
{
    const PrivKey key = *PrivKey::FromBytes(Bytes("0101010101010101010101010101010101010101010101010101010101010101"));
    const std::string main_wif = EncodeSecret(key, Network::MAIN);
    EXPECT_FALSE(DecodeSecret(main_wif, Network::REGTEST));
    EXPECT_FALSE(DecodeSecret(EncodeSecret(key, Network::TEST), Network::MAIN));
    // A changed character breaks the checksum.
    std::string typo = main_wif;
    typo[5] = typo[5] == 'a' ? 'b' : 'a';
    EXPECT_FALSE(DecodeSecret(typo, Network::MAIN));
    EXPECT_FALSE(DecodeSecret("", Network::MAIN));
    EXPECT_FALSE(DecodeSecret(std::string(1000, '1'), Network::MAIN));
    EXPECT_FALSE(DecodeSecret(" " + main_wif, Network::MAIN));

    // Uncompressed form (no 0x01 flag), a wrong flag, and secrets out of range.
    std::vector<uint8_t> payload(1 + PrivKey::SIZE, WIF_VERSION_MAIN);
    std::copy(key.bytes().begin(), key.bytes().end(), payload.begin() + 1);
    EXPECT_FALSE(DecodeSecret(EncodeBase58Check(payload), Network::MAIN));
    payload.push_back(0x02);
    EXPECT_FALSE(DecodeSecret(EncodeBase58Check(payload), Network::MAIN));
    payload.back() = WIF_COMPRESSED_FLAG;
    EXPECT_TRUE(DecodeSecret(EncodeBase58Check(payload), Network::MAIN));
    std::vector<uint8_t> zero(WIF_PAYLOAD_SIZE, 0);
    zero[0] = WIF_VERSION_MAIN;
    zero.back() = WIF_COMPRESSED_FLAG;
    EXPECT_FALSE(DecodeSecret(EncodeBase58Check(zero), Network::MAIN));
    std::vector<uint8_t> order = Bytes("80FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEBAAEDCE6AF48A03BBFD25E8CD0364141" "01");
    EXPECT_FALSE(DecodeSecret(EncodeBase58Check(order), Network::MAIN));
}

}  // namespace
}  // namespace hpips
