// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/base58.h>
#include <crypto/random.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <string>
#include <utility>
#include <vector>

namespace hpips {
namespace {

std::vector<uint8_t> Hex(std::string_view hex) { return *ParseHex(hex); }

// (hex, base58) pairs, each checked against an independent big-integer
// implementation: leading zero bytes become '1's, "" stays "".
const std::vector<std::pair<std::string, std::string>> VECTORS{
    {"", ""},
    {"00", "1"},
    {"00000000000000000000", "1111111111"},
    {"000001ff", "119p"},
    {"61", "2g"},
    {"626262", "a3gV"},
    {"636363", "aPEr"},
    {"73696d706c792061206c6f6e6720737472696e67", "2cFupjhnEsSn59qHXstmK2ffpLv2"},
    {"00eb15231dfceb60925886b67d065299925915aeb172c06647", "1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L"},
    {"516b6fcd0f", "ABnLTmg"},
    {"bf4f89001e670274dd", "3SEo3LWLoPntC"},
    {"572e4794", "3EFU7m"},
    {"ecac89cad93923c02321", "EJDM8drfXA6uyA"},
    {"10c8511e", "Rt5zm"},
};

TEST(Base58, KnownVectors)
{
    for (const auto& [hex, b58] : VECTORS) {
        EXPECT_EQ(EncodeBase58(Hex(hex)), b58) << hex;
        const auto decoded{DecodeBase58(b58, 100)};
        ASSERT_TRUE(decoded) << b58 << ": " << decoded.error_message();
        EXPECT_EQ(HexStr(*decoded), hex);
    }
}

TEST(Base58, RejectsInvalidCharactersAndWhitespace)
{
    for (const std::string& bad : std::vector<std::string>{"0", "O", "I", "l", "3SEo3LWLoPntC0", " 3SEo3LWLoPntC", "3SEo3LWLoPntC ",
                                  "3SEo3 LWLoPntC", "3SEo3LWLoPntC\n", "\t", "a+b", std::string{"a\0b", 3},
                                  "\xc3\xa9"}) {
        EXPECT_FALSE(DecodeBase58(bad, 100)) << bad;
    }
}

TEST(Base58, MaxLengthIsEnforced)
{
    // "1111111111" is 10 zero bytes: fine with room for 10, not for 9.
    EXPECT_TRUE(DecodeBase58("1111111111", 10));
    EXPECT_FALSE(DecodeBase58("1111111111", 9));
    // 9 bytes of data.
    EXPECT_TRUE(DecodeBase58("3SEo3LWLoPntC", 9));
    EXPECT_FALSE(DecodeBase58("3SEo3LWLoPntC", 8));
    // An absurdly long string is refused up front.
    EXPECT_FALSE(DecodeBase58(std::string(100000, 'z'), 64));
    EXPECT_TRUE(DecodeBase58("", 0));
}

TEST(Base58, RandomRoundTrip)
{
    for (size_t len{0}; len < 80; ++len) {
        std::vector<uint8_t> data(len);
        GetStrongRandBytes(data);
        if (len > 3) data[0] = data[1] = 0;  // exercise leading zeros too
        const std::string encoded{EncodeBase58(data)};
        const auto decoded{DecodeBase58(encoded, len)};
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, data);
        EXPECT_EQ(EncodeBase58(*decoded), encoded);
    }
}

TEST(Base58, CheckKnownVectors)
{
    // Bitcoin's genesis coinbase address: version 0x00 + HASH160.
    const auto payload{DecodeBase58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 21)};
    ASSERT_TRUE(payload);
    EXPECT_EQ(HexStr(*payload), "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18");
    EXPECT_EQ(EncodeBase58Check(*payload), "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa");
    // Checksums computed independently (SHA256d with Python's hashlib).
    EXPECT_EQ(EncodeBase58Check(StringBytes("hello world")), "3vQB7B6MrGQZaxCuFg4oh");
    EXPECT_EQ(EncodeBase58Check({}), "3QJmnh");
    const auto empty{DecodeBase58Check("3QJmnh", 0)};
    ASSERT_TRUE(empty);
    EXPECT_TRUE(empty->empty());
}

TEST(Base58, CheckRejectsBadChecksumAndShortInput)
{
    // Last character changed: the checksum no longer matches.
    EXPECT_FALSE(DecodeBase58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb", 21));
    // A plain Base58 string whose last 4 bytes are not a checksum.
    EXPECT_FALSE(DecodeBase58Check("1NS17iag9jJgTHD1VXjvLCEnZuQ3rJDE9L", 21));
    // Fewer than 4 bytes cannot hold a checksum.
    EXPECT_FALSE(DecodeBase58Check("", 10));
    EXPECT_FALSE(DecodeBase58Check("3EFU7", 10));
    // Payload longer than allowed.
    EXPECT_FALSE(DecodeBase58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa", 20));
    EXPECT_FALSE(DecodeBase58Check("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa ", 21));
}

}  // namespace
}  // namespace hpips
