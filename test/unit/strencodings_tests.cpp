// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/strencodings.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

TEST(StrEncodings, HexRoundTrip)
{
    const std::vector<uint8_t> bytes{0x00, 0x01, 0xab, 0xff};
    EXPECT_EQ(HexStr(bytes), "0001abff");
    const auto parsed = ParseHex("0001ABff");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, bytes);
    EXPECT_EQ(HexStr({}), "");
    EXPECT_TRUE(ParseHex("")->empty());
}

TEST(StrEncodings, HexRejectsMalformed)
{
    EXPECT_FALSE(ParseHex("abc"));
    EXPECT_FALSE(ParseHex("0g"));
    EXPECT_FALSE(ParseHex(" 00"));
    EXPECT_FALSE(ParseHex("0x00"));
    EXPECT_FALSE(IsHex("zz"));
    EXPECT_TRUE(IsHex("00Ff"));
}

TEST(StrEncodings, ParseInt64Bounds)
{
    EXPECT_EQ(ParseInt64("42", 0, 100), 42);
    EXPECT_EQ(ParseInt64("-5", -10, 10), -5);
    EXPECT_FALSE(ParseInt64("+5", -10, 10));
    EXPECT_FALSE(ParseInt64("101", 0, 100));
    EXPECT_FALSE(ParseInt64("1 ", 0, 100));
    EXPECT_FALSE(ParseInt64("", 0, 100));
    EXPECT_FALSE(ParseInt64("99999999999999999999", INT64_MIN, INT64_MAX));
}

}  // namespace
}  // namespace hpips
