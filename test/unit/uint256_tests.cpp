// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/uint256.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

TEST(Uint256, HexIsReversedStorage)
{
    std::array<uint8_t, 32> bytes{};
    bytes[0] = 0x01;
    bytes[31] = 0xff;
    const uint256 value{bytes};
    EXPECT_EQ(value.GetHex(), "ff" + std::string(60, '0') + "01");
    EXPECT_EQ(value.ToStorageHex(), "01" + std::string(60, '0') + "ff");
    const auto parsed = uint256::FromHex(value.GetHex());
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, value);
}

TEST(Uint256, RejectsBadHex)
{
    EXPECT_FALSE(uint256::FromHex(std::string(63, '0')));
    EXPECT_FALSE(uint256::FromHex(std::string(65, '0')));
    EXPECT_FALSE(uint256::FromHex(std::string(62, '0') + "zz"));
}

TEST(Uint256, NullAndOrder)
{
    uint256 zero;
    EXPECT_TRUE(zero.IsNull());
    std::array<uint8_t, 32> bytes{};
    bytes[0] = 1;
    const uint256 one{bytes};
    EXPECT_FALSE(one.IsNull());
    EXPECT_LT(zero, one);
    EXPECT_NE(zero, one);
}

}  // namespace
}  // namespace hpips
