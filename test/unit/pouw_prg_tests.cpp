// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/chacha20.h>
#include <crypto/sha256.h>
#include <pouw/chacha20_block.h>
#include <pouw/noise_math.h>
#include <pouw/prg.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace hpips::pouw {
namespace {

std::array<uint8_t, 64> BlockBytes(const uint32_t* words)
{
    std::array<uint8_t, 64> out;
    for (int i = 0; i < 64; ++i) out[i] = BlockByte(words, i);
    return out;
}

uint256 TestKey(uint8_t salt)
{
    const std::array<uint8_t, 1> data{salt};
    return Sha256Hash(data);
}

// RFC 8439 §2.3.2: key 00..1f, nonce 000000090000004a00000000, counter 1.
TEST(PouwChaCha20Block, Rfc8439Vector)
{
    uint32_t key[8];
    for (uint32_t i = 0; i < 8; ++i) {
        key[i] = (4 * i) | (4 * i + 1) << 8 | (4 * i + 2) << 16 | (4 * i + 3) << 24;
    }
    const uint32_t nonce[3]{0x09000000u, 0x4a000000u, 0x00000000u};
    uint32_t out[16];
    ChaCha20Block(key, 1, nonce, out);
    EXPECT_EQ(HexStr(BlockBytes(out)),
              "10f1e7e4d13b5915500fdd1fa32071c4c7d1f4c733c068030422aa9ac3d46c4e"
              "d2826446079faa0914c2d705d98b02a2b5129cd1de164eb9cbd083e8a2503c4e");
    EXPECT_EQ(out[0], 0xe4e7f110u);  // the RFC's serialized state word 0
}

TEST(PouwChaCha20Block, MatchesOpenSsl)
{
    for (uint8_t salt = 0; salt < 8; ++salt) {
        const uint256 key{TestKey(salt)};
        const auto key_words = KeyWords(key);
        for (const uint64_t index : {uint64_t{0}, uint64_t{1}, uint64_t{0x1234567890abcdef}, ~uint64_t{0}}) {
            const uint32_t domain{salt * 0x01010101u + 3};
            std::array<uint8_t, 12> nonce_bytes{};
            for (int i = 0; i < 4; ++i) nonce_bytes[i] = static_cast<uint8_t>(domain >> (8 * i));
            for (int i = 0; i < 8; ++i) nonce_bytes[4 + i] = static_cast<uint8_t>(index >> (8 * i));
            ChaCha20 reference{key.span(), nonce_bytes};
            for (const uint32_t counter : {0u, 1u, 2u, 77u, 0xfffffffeu, 0xffffffffu}) {
                std::array<uint8_t, 64> expected;
                reference.Keystream(counter, expected);
                uint32_t nonce[3];
                PouwStreamNonce(domain, index, nonce);
                uint32_t words[16];
                ChaCha20Block(key_words.data(), counter, nonce, words);
                EXPECT_EQ(BlockBytes(words), expected) << int{salt} << " " << index << " " << counter;
            }
            // A multi-block stream read through PrgBytes equals OpenSSL's stream.
            std::vector<uint8_t> expected(300), got(300);
            reference.Keystream(0, expected);
            PrgBytes(key_words, domain, index, got);
            EXPECT_EQ(got, expected);
            std::vector<uint32_t> words(75);
            PrgWords(key_words, domain, index, words);
            for (size_t w = 0; w < words.size(); ++w) {
                const uint32_t from_bytes{uint32_t{got[4 * w]} | uint32_t{got[4 * w + 1]} << 8 |
                                          uint32_t{got[4 * w + 2]} << 16 | uint32_t{got[4 * w + 3]} << 24};
                EXPECT_EQ(words[w], from_bytes);
            }
        }
    }
}

TEST(PouwPrg, KeyWordsAreLittleEndian)
{
    std::array<uint8_t, 32> bytes{};
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
    const auto words = KeyWords(uint256{bytes});
    EXPECT_EQ(words[0], 0x03020100u);
    EXPECT_EQ(words[7], 0x1f1e1d1cu);
}

TEST(PouwPrg, ValueMapsCoverTheirRanges)
{
    std::array<int, 256> outer_hits{}, filler_hits{};
    for (int b = 0; b < 256; ++b) {
        const int8_t outer{OuterNoiseValue(static_cast<uint8_t>(b))};
        const int8_t filler{FillerValue(static_cast<uint8_t>(b))};
        ASSERT_GE(outer, NOISE_VALUE_MIN);
        ASSERT_LE(outer, NOISE_VALUE_MAX);
        ASSERT_GE(filler, -INPUT_BOUND);
        ASSERT_LE(filler, INPUT_BOUND);
        ++outer_hits[outer + 128];
        ++filler_hits[filler + 128];
    }
    for (int v = NOISE_VALUE_MIN; v <= NOISE_VALUE_MAX; ++v) EXPECT_EQ(outer_hits[v + 128], 16);
    for (int v = -INPUT_BOUND; v <= INPUT_BOUND; ++v) EXPECT_GE(filler_hits[v + 128], 1);
    EXPECT_EQ(OuterNoiseValue(0x00), -8);
    EXPECT_EQ(OuterNoiseValue(0xff), 7);
    EXPECT_EQ(FillerValue(0), -112);
    EXPECT_EQ(FillerValue(224), 112);
    EXPECT_EQ(FillerValue(225), -112);
    EXPECT_EQ(FillerValue(255), -82);
}

}  // namespace
}  // namespace hpips::pouw
