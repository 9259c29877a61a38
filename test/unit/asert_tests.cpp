// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/asert.h>
#include <consensus/params.h>

#include <gtest/gtest.h>

#include <limits>

namespace hpips {
namespace {

constexpr int64_t GENESIS = 1'795'564'800;

/** Main-like parameters: limit 2^240, anchor target 2^236 (bits 0x1e100000). */
struct Fixture {
    AsertAnchor anchor{0, 0x1e100000, GENESIS - 60};
    AsertParams params{60, 17'280, ArithUint256{1} << 240};
    uint32_t Next(int64_t parent_height, int64_t parent_time_offset) const
    {
        return NextTargetAsert(anchor, params, parent_height, GENESIS + parent_time_offset);
    }
};

struct AsertCase {
    int64_t parent_height;
    int64_t parent_time_offset;  //!< seconds after genesis
    uint32_t expected_bits;
};

// Derived with an independent Python model of aserti3-2d (exact integers,
// exponent division truncating toward zero as in BCH's C++ reference): see
// doc/consensus.md, "Difficulty", for the table and how to regenerate it.
constexpr AsertCase ASERT_TABLE[] = {
    {0, 0, 0x1e100000u},             // on schedule: anchor target
    {1, 60, 0x1e100000u},
    {100, 6000, 0x1e100000u},
    {0, 17280, 0x1e200000u},         // exactly one half-life behind schedule: doubles
    {0, -17220, 0x1e0804f8u},        // about one half-life ahead: about halves
    {10, 9240, 0x1e16a020u},         // half a half-life behind: ×√2 (0x16a020/0x100000 ≈ 1.41455)
    {0, 86460, 0x1f010000u},         // 5 half-lives behind: clamped to the limit 2^240
    {1000, 0, 0x1e01710du},          // 1000 blocks in no time: much harder
    {5000, 900000, 0x1f010000u},
    {0, 518400, 0x1f010000u},
    {288, -3438720, 0x05100000u},    // 200 half-lives ahead: 2^36
    {7, 421, 0x1e100020u},           // one second late / early: the smallest steps
    {7, 419, 0x1e0fffe0u},
};

TEST(Asert, TableOfExpectedTargets)
{
    const Fixture f;
    for (const auto& c : ASERT_TABLE) {
        EXPECT_EQ(f.Next(c.parent_height, c.parent_time_offset), c.expected_bits)
            << "height " << c.parent_height << " offset " << c.parent_time_offset;
    }
}

TEST(Asert, ExactPowersOfTwoOnWholeHalfLives)
{
    const Fixture f;
    for (int k = -20; k <= 3; ++k) {
        // Parent at height 0 whose time drifts k half-lives from schedule.
        const uint32_t bits = f.Next(0, 60 - 60 + k * 17280);
        const auto target = TargetFromBits(bits);
        ASSERT_TRUE(target);
        EXPECT_EQ(*target, ArithUint256{1} << (236 + k)) << k;
    }
}

TEST(Asert, MonotoneInTime)
{
    const Fixture f;
    ArithUint256 previous{0};
    for (int64_t offset = -40000; offset <= 40000; offset += 137) {
        const auto target = TargetFromBits(f.Next(50, offset));
        ASSERT_TRUE(target);
        EXPECT_GE(*target, previous) << offset;
        previous = *target;
    }
}

TEST(Asert, ClampsAndNeverOverflows)
{
    const Fixture f;
    const int64_t extremes[] = {std::numeric_limits<int64_t>::min() / 2, -(int64_t{1} << 40), -1, 0, 1,
                                int64_t{1} << 40, std::numeric_limits<int64_t>::max() / 2};
    for (const int64_t offset : extremes) {
        for (const int64_t height : {int64_t{0}, int64_t{1}, int64_t{1} << 31, int64_t{1} << 40}) {
            const auto target = TargetFromBits(f.Next(height, offset));
            ASSERT_TRUE(target);
            EXPECT_GE(*target, ArithUint256{1});
            EXPECT_LE(*target, f.params.pow_limit);
        }
    }
    // Far behind schedule: the limit; far ahead: the hardest target, 1.
    EXPECT_EQ(*TargetFromBits(f.Next(0, int64_t{1} << 40)), ArithUint256{1} << 240);
    EXPECT_EQ(*TargetFromBits(f.Next(int64_t{1} << 40, 0)), ArithUint256{1});
}

TEST(Asert, EasiestTargetDoesNotOverflow)
{
    // Anchored at the regtest limit 2^256 − 1 (its compact form), far behind
    // schedule: the 2^273 intermediate must not wrap.
    AsertAnchor anchor{0, EncodeCompact(~ArithUint256{0}), GENESIS - 60};
    AsertParams params{60, 17'280, ~ArithUint256{0}};
    const uint32_t bits = NextTargetAsert(anchor, params, 0, GENESIS + 17280 * 3);
    EXPECT_EQ(bits, EncodeCompact(~ArithUint256{0}));
    // Hundreds of half-lives behind: shifts far past 256 must clamp, not wrap.
    for (const int64_t half_lives : {200, 240, 250, 300, 1000}) {
        EXPECT_EQ(NextTargetAsert(anchor, params, 0, GENESIS + 17280 * half_lives), EncodeCompact(~ArithUint256{0}))
            << half_lives;
    }
}

TEST(Asert, RegtestNeverRetargets)
{
    const ChainParams& regtest = Params(Network::REGTEST);
    EXPECT_EQ(NextWorkRequired(regtest, 1000, 0), regtest.genesis.header.bits);
    const ChainParams& main = Params(Network::MAIN);
    EXPECT_EQ(NextWorkRequired(main, 0, main.genesis.header.time), main.genesis.header.bits);
}

}  // namespace
}  // namespace hpips
