// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/chacha20.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <array>
#include <numeric>
#include <string>
#include <vector>

namespace hpips {
namespace {

using Key = std::array<uint8_t, ChaCha20::KEY_SIZE>;
using Nonce = std::array<uint8_t, ChaCha20::NONCE_SIZE>;

Key SequentialKey()
{
    Key key{};
    std::iota(key.begin(), key.end(), uint8_t{0});
    return key;
}

Nonce MakeNonce(std::string_view hex)
{
    const auto bytes{ParseHex(hex)};
    Nonce nonce{};
    std::copy(bytes->begin(), bytes->end(), nonce.begin());
    return nonce;
}

std::string Block(const Key& key, const Nonce& nonce, uint32_t counter)
{
    ChaCha20 cipher{key, nonce};
    std::array<uint8_t, ChaCha20::BLOCK_SIZE> out{};
    cipher.Keystream(counter, out);
    return HexStr(out);
}

// RFC 8439 section 2.3.2: key 00..1f, nonce 000000090000004a00000000, counter 1.
TEST(ChaCha20, Rfc8439BlockFunction)
{
    EXPECT_EQ(Block(SequentialKey(), MakeNonce("000000090000004a00000000"), 1),
              "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
              "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
}

// RFC 8439 section 2.4.2: the "sunscreen" encryption, initial counter 1.
TEST(ChaCha20, Rfc8439Encryption)
{
    const std::string plaintext{
        "Ladies and Gentlemen of the class of '99: If I could offer you only one tip for the future, sunscreen would "
        "be it."};
    const std::string expected{
        "6e2e359a2568f98041ba0728dd0d6981e97e7aec1d4360c20a27afccfd9fae0bf91b65c5524733ab8f593dabcd62b357"
        "1639d624e65152ab8f530c359f0861d807ca0dbf500d6a6156a38e088a22b65e52bc514d16ccf806818ce91ab7793736"
        "5af90bbf74a35be6b40b8eedf2785e42874d"};
    const Nonce nonce{MakeNonce("000000000000004a00000000")};

    ChaCha20 cipher{SequentialKey(), nonce};
    cipher.Seek(1);
    std::vector<uint8_t> out(plaintext.size());
    cipher.Crypt(StringBytes(plaintext), out);
    EXPECT_EQ(HexStr(out), expected);

    // Split at awkward places: the stream must continue across calls.
    ChaCha20 split{SequentialKey(), nonce};
    split.Seek(1);
    std::vector<uint8_t> out2(plaintext.size());
    const auto in{StringBytes(plaintext)};
    const size_t cuts[]{0, 1, 7, 64, 65, 100, plaintext.size()};
    for (size_t i{0}; i + 1 < std::size(cuts); ++i) {
        split.Crypt(in.subspan(cuts[i], cuts[i + 1] - cuts[i]),
                    std::span<uint8_t>{out2}.subspan(cuts[i], cuts[i + 1] - cuts[i]));
    }
    EXPECT_EQ(out2, out);

    // Decryption is the same operation, here in place.
    ChaCha20 decrypt{SequentialKey(), nonce};
    decrypt.Seek(1);
    decrypt.Crypt(out, out);
    EXPECT_EQ(std::string(out.begin(), out.end()), plaintext);
}

// RFC 8439 appendix A.1, keystream test vectors #1 to #5.
TEST(ChaCha20, Rfc8439AppendixA1)
{
    const Key zero_key{};
    const Nonce zero_nonce{};
    Key key_one{};
    key_one[31] = 0x01;
    Key key_ff{};
    key_ff[1] = 0xff;

    EXPECT_EQ(Block(zero_key, zero_nonce, 0),
              "76b8e0ada0f13d90405d6ae55386bd28bdd219b8a08ded1aa836efcc8b770dc7"
              "da41597c5157488d7724e03fb8d84a376a43b8f41518a11cc387b669b2ee6586");
    EXPECT_EQ(Block(zero_key, zero_nonce, 1),
              "9f07e7be5551387a98ba977c732d080dcb0f29a048e3656912c6533e32ee7aed"
              "29b721769ce64e43d57133b074d839d531ed1f28510afb45ace10a1f4b794d6f");
    EXPECT_EQ(Block(key_one, zero_nonce, 1),
              "3aeb5224ecf849929b9d828db1ced4dd832025e8018b8160b82284f3c949aa5a"
              "8eca00bbb4a73bdad192b5c42f73f2fd4e273644c8b36125a64addeb006c13a0");
    EXPECT_EQ(Block(key_ff, zero_nonce, 2),
              "72d54dfbf12ec44b362692df94137f328fea8da73990265ec1bbbea1ae9af0ca"
              "13b25aa26cb4a648cb9b9d1be65b2c0924a66c54d545ec1b7374f4872e99f096");
    EXPECT_EQ(Block(zero_key, MakeNonce("000000000000000000000002"), 0),
              "c2c64d378cd536374ae204b9ef933fcd1a8b2288b3dfa49672ab765b54ee27c7"
              "8a970e0e955c14f3a88e741b97c286f75f8fc299e8148362fa198a39531bed6d");
}

TEST(ChaCha20, RandomAccessMatchesSequentialStream)
{
    const Nonce nonce{MakeNonce("0102030405060708090a0b0c")};
    ChaCha20 cipher{SequentialKey(), nonce};
    constexpr size_t BLOCKS{20};
    std::vector<uint8_t> zeros(BLOCKS * ChaCha20::BLOCK_SIZE, 0);
    std::vector<uint8_t> stream(zeros.size());
    cipher.Crypt(zeros, stream);

    for (uint32_t first{0}; first < BLOCKS; ++first) {
        for (size_t len : {size_t{1}, size_t{63}, size_t{64}, size_t{65}, size_t{200}}) {
            if (first * ChaCha20::BLOCK_SIZE + len > stream.size()) continue;
            std::vector<uint8_t> part(len);
            cipher.Keystream(first, part);
            EXPECT_TRUE(std::equal(part.begin(), part.end(), stream.begin() + first * ChaCha20::BLOCK_SIZE))
                << "first block " << first << " length " << len;
        }
    }

    // Random access in between does not disturb the sequential position.
    ChaCha20 interleaved{SequentialKey(), nonce};
    std::vector<uint8_t> first_half(100);
    std::vector<uint8_t> second_half(100);
    interleaved.Crypt(std::span<const uint8_t>{zeros}.first(100), first_half);
    std::vector<uint8_t> scratch(130);
    interleaved.Keystream(7, scratch);
    interleaved.Crypt(std::span<const uint8_t>{zeros}.subspan(100, 100), second_half);
    EXPECT_TRUE(std::equal(first_half.begin(), first_half.end(), stream.begin()));
    EXPECT_TRUE(std::equal(second_half.begin(), second_half.end(), stream.begin() + 100));
}

TEST(ChaCha20, LastBlockOfTheStream)
{
    // Block 2^32 - 1 is the last one RFC 8439 defines; reading exactly up to
    // it is allowed (one more byte would abort).
    ChaCha20 cipher{SequentialKey(), Nonce{}};
    std::array<uint8_t, ChaCha20::BLOCK_SIZE> last{};
    cipher.Keystream(0xffffffff, last);
    EXPECT_NE(HexStr(last), std::string(128, '0'));
    cipher.Seek(0xffffffff);
    std::array<uint8_t, ChaCha20::BLOCK_SIZE> crypted{};
    cipher.Crypt(std::array<uint8_t, ChaCha20::BLOCK_SIZE>{}, crypted);
    EXPECT_EQ(crypted, last);
}

TEST(ChaCha20DeathTest, PastTheLastBlockAborts)
{
    ChaCha20 cipher{SequentialKey(), Nonce{}};
    std::array<uint8_t, ChaCha20::BLOCK_SIZE + 1> too_long{};
    EXPECT_DEATH(cipher.Keystream(0xffffffff, too_long), "past block");
}

}  // namespace
}  // namespace hpips
