// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/target.h>

#include <gtest/gtest.h>

#include <string>

namespace hpips {
namespace {

struct CompactCase {
    uint32_t bits;
    const char* target_hex; // boost's hex form, no leading zeros
    bool negative;
    bool overflow;
    uint32_t reencoded; // EncodeCompact(target, negative)
};

std::string Hex(const ArithUint256& value)
{
    std::stringstream out;
    out << std::hex << value;
    return out.str();
}

ArithUint256 FromHex(const std::string& hex) { return ArithUint256{"0x" + hex}; }

TEST(target, CompactCasesFromBitcoin)
{
    const CompactCase cases[]{
        {0x00000000, "0", false, false, 0},
        {0x00123456, "0", false, false, 0},
        {0x01003456, "0", false, false, 0},
        {0x02000056, "0", false, false, 0},
        {0x03000000, "0", false, false, 0},
        {0x04000000, "0", false, false, 0},
        {0x00923456, "0", false, false, 0},
        {0x01803456, "0", false, false, 0},
        {0x02800056, "0", false, false, 0},
        {0x03800000, "0", false, false, 0},
        {0x04800000, "0", false, false, 0},
        {0x01123456, "12", false, false, 0x01120000},
        {0x01fedcba, "7e", true, false, 0x01fe0000},
        {0x02123456, "1234", false, false, 0x02123400},
        {0x03123456, "123456", false, false, 0x03123456},
        {0x04123456, "12345600", false, false, 0x04123456},
        {0x04923456, "12345600", true, false, 0x04923456},
        {0x05009234, "92340000", false, false, 0x05009234},
        {0x02008000, "80", false, false, 0x02008000},
        {0x20123456, "1234560000000000000000000000000000000000000000000000000000000000", false, false, 0x20123456},
    };
    for (const auto& c : cases) {
        SCOPED_TRACE(c.bits);
        const CompactTarget decoded{DecodeCompact(c.bits)};
        EXPECT_EQ(Hex(decoded.target), c.target_hex);
        EXPECT_EQ(decoded.negative, c.negative);
        EXPECT_EQ(decoded.overflow, c.overflow);
        EXPECT_EQ(EncodeCompact(decoded.target, decoded.negative), c.reencoded);
    }
}

TEST(target, CompactOverflow)
{
    EXPECT_TRUE(DecodeCompact(0xff123456).overflow);
    EXPECT_TRUE(DecodeCompact(0x23000001).overflow);  // size 35
    EXPECT_FALSE(DecodeCompact(0x22000001).overflow); // 1 << 248 fits
    EXPECT_EQ(DecodeCompact(0x22000001).target, ArithUint256{1} << 248);
    EXPECT_TRUE(DecodeCompact(0x22000100).overflow);
    EXPECT_FALSE(DecodeCompact(0x21000100).overflow);
    EXPECT_TRUE(DecodeCompact(0x21010000).overflow);
    EXPECT_FALSE(DecodeCompact(0x20010000).overflow);
    // A zero mantissa never overflows, whatever the size.
    EXPECT_FALSE(DecodeCompact(0xff000000).overflow);
    EXPECT_EQ(TargetFromBits(0xff123456), std::nullopt);
}

TEST(target, BitcoinGenesisBits)
{
    const auto target{TargetFromBits(0x1d00ffff)};
    ASSERT_TRUE(target);
    EXPECT_EQ(ArithToUint256(*target).GetHex(),
              "00000000ffff0000000000000000000000000000000000000000000000000000");
    EXPECT_EQ(EncodeCompact(*target), 0x1d00ffffU);
    // Bitcoin's work for the genesis difficulty: 0x100010001.
    EXPECT_EQ(BlockWork(*target), ArithUint512{0x100010001ULL});
}

TEST(target, TargetFromBitsRejects)
{
    EXPECT_EQ(TargetFromBits(0x04923456), std::nullopt); // negative
    EXPECT_EQ(TargetFromBits(0x01003456), std::nullopt); // zero
    EXPECT_EQ(TargetFromBits(0x00000000), std::nullopt);
    EXPECT_EQ(TargetFromBits(0xff123456), std::nullopt); // overflow
    EXPECT_EQ(TargetFromBits(0x04123456), ArithUint256{0x12345600});
    EXPECT_EQ(TargetFromBits(0x207fffff), FromHex("7fffff") << 232); // a regtest-style easiest target
}

TEST(target, EncodeNormalisesSignBit)
{
    // 0x80 as a one-byte mantissa would set the sign bit: size grows instead.
    EXPECT_EQ(EncodeCompact(ArithUint256{0x80}), 0x02008000U);
    EXPECT_EQ(EncodeCompact(ArithUint256{0x800000}), 0x04008000U);
    EXPECT_EQ(EncodeCompact(ArithUint256{0}), 0U);
    EXPECT_EQ(EncodeCompact(ArithUint256{0}, true), 0U); // no negative zero
    // Only the 3 most significant bytes survive.
    EXPECT_EQ(EncodeCompact(FromHex("123456789a")), 0x05123456U);
    const ArithUint256 max{~ArithUint256{0}};
    EXPECT_EQ(EncodeCompact(max), 0x2100ffffU);
    // Round trip through decode for a range of sizes.
    for (unsigned shift{0}; shift < 256; shift += 5) {
        const ArithUint256 value{ArithUint256{0x1234567} << shift};
        const uint32_t bits{EncodeCompact(value)};
        const CompactTarget decoded{DecodeCompact(bits)};
        EXPECT_FALSE(decoded.negative);
        EXPECT_FALSE(decoded.overflow);
        EXPECT_EQ(EncodeCompact(decoded.target), bits);
        EXPECT_LE(decoded.target, value);
    }
}

TEST(target, BlockWork)
{
    const ArithUint256 max{~ArithUint256{0}};
    EXPECT_EQ(BlockWork(max), ArithUint512{1});
    EXPECT_EQ(BlockWork(ArithUint256{0}), ArithUint512{1} << 256);
    EXPECT_EQ(BlockWork(ArithUint256{1}), ArithUint512{1} << 255);
    EXPECT_EQ(BlockWork(ArithUint256{1} << 224), (ArithUint512{1} << 32) - 1);
    EXPECT_EQ(BlockWork(ArithUint256{1} << 255), ArithUint512{1});
    EXPECT_EQ(BlockWork((ArithUint256{1} << 255) - 1), ArithUint512{2});
}

TEST(target, UintConversions)
{
    std::array<uint8_t, 32> bytes{};
    bytes[0] = 0x01;  // least significant
    bytes[31] = 0x80; // most significant
    const uint256 value{bytes};
    const ArithUint256 arith{UintToArith256(value)};
    EXPECT_EQ(arith, (ArithUint256{0x80} << 248) + 1);
    EXPECT_EQ(ArithToUint256(arith), value);
    EXPECT_EQ(ArithToUint256(ArithUint256{0}), uint256{});
    const ArithUint256 max{~ArithUint256{0}};
    EXPECT_EQ(UintToArith256(ArithToUint256(max)), max);
}

TEST(target, CheckHashMeetsTarget)
{
    const ArithUint256 target{ArithUint256{1} << 240};
    EXPECT_TRUE(CheckHashMeetsTarget(ArithToUint256(target), target)); // equal meets
    EXPECT_TRUE(CheckHashMeetsTarget(ArithToUint256(target - 1), target));
    EXPECT_FALSE(CheckHashMeetsTarget(ArithToUint256(target + 1), target));
    EXPECT_TRUE(CheckHashMeetsTarget(uint256{}, ArithUint256{0}));
    // The byte order matters: a hash with only its first (least significant) byte set is small.
    std::array<uint8_t, 32> low{};
    low[0] = 0xff;
    EXPECT_TRUE(CheckHashMeetsTarget(uint256{low}, ArithUint256{0xff}));
    std::array<uint8_t, 32> high{};
    high[31] = 0x01;
    EXPECT_FALSE(CheckHashMeetsTarget(uint256{high}, target));
}

}  // namespace
}  // namespace hpips
