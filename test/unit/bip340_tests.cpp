// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/key.h>
#include <crypto/random.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace hpips {
namespace {

std::vector<uint8_t> Hex(std::string_view hex)
{
    const auto bytes{ParseHex(hex)};
    EXPECT_TRUE(bytes) << hex;
    return bytes.value_or(std::vector<uint8_t>{});
}

/** Splits a CSV line into `fields` fields; the last keeps any further commas
 *  (it is a free-text comment). */
std::vector<std::string> SplitCsv(const std::string& line, size_t fields)
{
    std::vector<std::string> out;
    size_t start{0};
    while (out.size() + 1 < fields) {
        const size_t comma{line.find(',', start)};
        if (comma == std::string::npos) break;
        out.push_back(line.substr(start, comma - start));
        start = comma + 1;
    }
    out.push_back(line.substr(start));
    return out;
}

/** Number of rows in the final BIP-340 test-vectors.csv: rows 0-14 of the
 *  original table and rows 15-18 (messages of 0, 1, 17 and 100 bytes). */
constexpr size_t BIP340_ROWS{19};

/** Reads the committed data/vectors/bip340.csv (the bips repository's
 *  bip-0340/test-vectors.csv): every data row, split into its 8 fields. */
std::vector<std::vector<std::string>> ReadBip340Vectors()
{
    std::ifstream file{std::string{HPIPS_VECTORS_DIR} + "/bip340.csv"};
    EXPECT_TRUE(file.is_open());
    std::string line;
    EXPECT_TRUE(std::getline(file, line));
    EXPECT_EQ(line.rfind("index,secret key,public key,aux_rand,message,signature,verification result,comment", 0), 0u);
    std::vector<std::vector<std::string>> rows;
    while (std::getline(file, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty()) continue;
        rows.push_back(SplitCsv(line, 8));
    }
    return rows;
}

// Every row of the final BIP-340 test vectors, strictly: signing rows
// reproduce the signature exactly from the given aux_rand; every row verifies
// as the table says. Messages of 32 bytes go through both the uint256 and the
// span API, others (rows 15-18) through the span overloads.
TEST(bip340, Vectors)
{
    const auto rows{ReadBip340Vectors()};
    ASSERT_EQ(rows.size(), BIP340_ROWS);
    size_t signing_rows{0};
    size_t invalid_key_rows{0};
    size_t valid_rows{0};
    for (size_t i{0}; i < rows.size(); ++i) {
        const auto& f{rows[i]};
        ASSERT_EQ(f.size(), 8u);
        SCOPED_TRACE("row " + f[0]);
        EXPECT_EQ(f[0], std::to_string(i));
        const auto pubkey_bytes{Hex(f[2])};
        const auto msg{Hex(f[4])};
        const auto sig{Hex(f[5])};
        ASSERT_TRUE(f[6] == "TRUE" || f[6] == "FALSE");
        const bool expected{f[6] == "TRUE"};
        ASSERT_EQ(pubkey_bytes.size(), XOnlyPubKey::SIZE);
        const XOnlyPubKey pubkey{std::span<const uint8_t, XOnlyPubKey::SIZE>{pubkey_bytes.data(), XOnlyPubKey::SIZE}};
        // Rows whose comment blames the public key carry an invalid key.
        const bool invalid_key{f[7].rfind("public key", 0) == 0};
        EXPECT_EQ(pubkey.IsValid(), !invalid_key);
        if (invalid_key) ++invalid_key_rows;

        const bool msg32{msg.size() == uint256::SIZE};
        const uint256 msg_hash{msg32 ? uint256::FromBytes(std::span<const uint8_t, 32>{msg.data(), 32}) : uint256{}};
        if (!f[1].empty()) {
            const auto key{PrivKey::FromBytes(Hex(f[1]))};
            ASSERT_TRUE(key);
            EXPECT_EQ(key->GetXOnlyPubKey(), pubkey);
            const auto aux{Hex(f[3])};
            ASSERT_EQ(aux.size(), SCHNORR_AUX_RAND_SIZE);
            const std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_span{aux.data(), aux.size()};
            const auto signature{msg32 ? key->SignSchnorr(msg_hash, aux_span) : key->SignSchnorr(msg, aux_span)};
            EXPECT_EQ(HexStr(signature), HexStr(sig));
            if (msg32) {
                EXPECT_EQ(key->SignSchnorr(std::span<const uint8_t>{msg}, aux_span), signature);
            }
            ++signing_rows;
        }
        if (msg32) {
            EXPECT_EQ(pubkey.VerifySchnorr(msg_hash, sig), expected);
        }
        EXPECT_EQ(pubkey.VerifySchnorr(std::span<const uint8_t>{msg}, sig), expected);
        if (expected) ++valid_rows;
    }
    // The table's shape: rows 0-3 and 15-18 sign, 0-4 and 15-18 verify,
    // rows 5 and 14 carry an invalid public key.
    EXPECT_EQ(signing_rows, 8u);
    EXPECT_EQ(valid_rows, 9u);
    EXPECT_EQ(invalid_key_rows, 2u);
}

TEST(bip340, SignVerifyRoundTrip)
{
    const PrivKey key{PrivKey::Generate()};
    const XOnlyPubKey pubkey{key.GetXOnlyPubKey()};
    ASSERT_TRUE(pubkey.IsValid());
    std::array<uint8_t, 32> msg_bytes{};
    GetStrongRandBytes(msg_bytes);
    const uint256 msg{msg_bytes};
    std::array<uint8_t, SCHNORR_AUX_RAND_SIZE> aux{};
    GetStrongRandBytes(aux);
    auto sig{key.SignSchnorr(msg, aux)};
    EXPECT_TRUE(pubkey.VerifySchnorr(msg, sig));
    // Wrong length, other message, other key, flipped bit: all fail.
    EXPECT_FALSE(pubkey.VerifySchnorr(msg, std::span<const uint8_t>{sig}.first(63)));
    std::vector<uint8_t> longer(sig.begin(), sig.end());
    longer.push_back(0);
    EXPECT_FALSE(pubkey.VerifySchnorr(msg, longer));
    msg_bytes[0] ^= 1;
    EXPECT_FALSE(pubkey.VerifySchnorr(uint256{msg_bytes}, sig));
    EXPECT_FALSE(PrivKey::Generate().GetXOnlyPubKey().VerifySchnorr(msg, sig));
    sig[63] ^= 1;
    EXPECT_FALSE(pubkey.VerifySchnorr(msg, sig));
    EXPECT_FALSE(XOnlyPubKey{}.IsValid());
    EXPECT_FALSE(XOnlyPubKey{}.VerifySchnorr(msg, sig));
}

TEST(bip340, PrivKeyRange)
{
    EXPECT_FALSE(PrivKey::FromBytes(std::vector<uint8_t>(32, 0)));
    EXPECT_FALSE(PrivKey::FromBytes(std::vector<uint8_t>(31, 1)));
    EXPECT_FALSE(PrivKey::FromBytes(std::vector<uint8_t>(33, 1)));
    // n and n-1 (the group order).
    EXPECT_FALSE(PrivKey::FromBytes(Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364141")));
    EXPECT_TRUE(PrivKey::FromBytes(Hex("fffffffffffffffffffffffffffffffebaaedce6af48a03bbfd25e8cd0364140")));
    const auto one{PrivKey::FromBytes(Hex("0000000000000000000000000000000000000000000000000000000000000001"))};
    ASSERT_TRUE(one);
    EXPECT_EQ(HexStr(one->GetPubKey().bytes()), "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
    const PrivKey copy{one->Clone()};
    EXPECT_EQ(HexStr(copy.bytes()), HexStr(one->bytes()));
}

TEST(bip340, CompressedPubKeyParseAndTweak)
{
    const PrivKey key{PrivKey::Generate()};
    const PubKey pubkey{key.GetPubKey()};
    const auto parsed{PubKey::Parse(pubkey.bytes())};
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, pubkey);
    EXPECT_EQ(pubkey.GetXOnlyPubKey(), key.GetXOnlyPubKey());

    std::vector<uint8_t> bad(pubkey.bytes().begin(), pubkey.bytes().end());
    bad[0] = 0x04;
    EXPECT_FALSE(PubKey::Parse(bad));
    bad[0] = 0x01;
    EXPECT_FALSE(PubKey::Parse(bad));
    EXPECT_FALSE(PubKey::Parse(std::span<const uint8_t>{pubkey.bytes()}.first(32)));
    // X = 7 is not on the curve (y^2 = 350 has no root mod p).
    EXPECT_FALSE(PubKey::Parse(Hex("020000000000000000000000000000000000000000000000000000000000000007")));

    // (k + t)G == kG + tG.
    std::array<uint8_t, 32> tweak{};
    GetStrongRandBytes(tweak);
    tweak[0] = 0x01;  // stay below n
    const auto tweaked_key{key.TweakAdd(tweak)};
    const auto tweaked_pub{pubkey.TweakAdd(tweak)};
    ASSERT_TRUE(tweaked_key);
    ASSERT_TRUE(tweaked_pub);
    EXPECT_EQ(tweaked_key->GetPubKey(), *tweaked_pub);
    // A tweak of n or more is refused.
    std::array<uint8_t, 32> too_big{};
    too_big.fill(0xff);
    EXPECT_FALSE(key.TweakAdd(too_big));
    EXPECT_FALSE(pubkey.TweakAdd(too_big));
}

}  // namespace
}  // namespace hpips
