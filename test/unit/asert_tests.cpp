// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/asert.h>
#include <consensus/params.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <limits>
#include <vector>

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

/** The formula before the drift was computed exactly: the time delta and
 *  the ideal time were each clamped to ±2^40 and then subtracted, which at
 *  absurd inputs (h = 2^40, t = 2^62) gave the anchor target instead of the
 *  limit. Kept as the reference that realistic inputs still give the same
 *  result; defined only where t, h + 1 and their differences fit in int64. */
uint32_t OldNextTargetAsert(const AsertAnchor& anchor, const AsertParams& params, int64_t parent_height,
                            int64_t parent_time)
{
    auto clamp = [](int64_t v) { return std::clamp(v, -(int64_t{1} << 40), int64_t{1} << 40); };
    const int64_t ideal{clamp(parent_height - anchor.height + 1) * params.spacing};
    const int64_t drift{clamp(clamp(parent_time - anchor.parent_time) - clamp(ideal))};
    const int64_t exponent{drift * 65536 / params.half_life};
    const int64_t shifts{exponent >> 16};
    const uint64_t frac{static_cast<uint64_t>(exponent - shifts * 65536)};
    const uint64_t factor{((uint64_t{195'766'423'245'049} * frac + uint64_t{971'821'376} * frac * frac +
                            uint64_t{5127} * frac * frac * frac + (uint64_t{1} << 47)) >>
                           48) +
                          65536};
    ArithUint512 next{ArithUint512{*TargetFromBits(anchor.bits)} * factor};
    if (shifts < 0) {
        next = (-shifts >= 512) ? ArithUint512{0} : ArithUint512{next >> static_cast<unsigned>(-shifts)};
    } else if (shifts > 0) {
        const int64_t bits{static_cast<int64_t>(boost::multiprecision::msb(next)) + 1};
        if (bits + shifts > 256 + 17) return EncodeCompact(params.pow_limit);
        next <<= static_cast<unsigned>(shifts);
    }
    next >>= 16;
    if (next == 0) return EncodeCompact(ArithUint256{1});
    if (next > ArithUint512{params.pow_limit}) return EncodeCompact(params.pow_limit);
    return EncodeCompact(static_cast<ArithUint256>(next));
}

/** splitmix64: a fixed, seedable sequence, so the sample is the same on every run. */
struct SplitMix64 {
    uint64_t state;
    uint64_t Next()
    {
        uint64_t z{state += 0x9e3779b97f4a7c15};
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9;
        z = (z ^ (z >> 27)) * 0x94d049bb133111eb;
        return z ^ (z >> 31);
    }
    /** Uniform-ish in [lo, hi] (modulo bias is irrelevant here). */
    int64_t Range(int64_t lo, int64_t hi)
    {
        return lo + static_cast<int64_t>(Next() % static_cast<uint64_t>(hi - lo + 1));
    }
};

// Exact drift changes nothing for realistic inputs: heights up to 2^32
// (8,000 years of 60 s blocks), block times anywhere in the 32-bit header
// range and schedule drifts from seconds to decades, under the main-like,
// testnet-like and easiest (2^256 − 1) limits.
TEST(Asert, RealisticInputsMatchOldFormula)
{
    struct Chain {
        uint32_t anchor_bits;
        ArithUint256 limit;
    };
    const Chain chains[] = {
        {0x1e100000, ArithUint256{1} << 240},
        {EncodeCompact(ArithUint256{1} << 244), ArithUint256{1} << 248},
        {EncodeCompact(~ArithUint256{0}), ~ArithUint256{0}},
        {0x1d00ffff, ArithUint256{1} << 240},
    };
    SplitMix64 rng{20261125};
    size_t compared{0};
    for (const auto& chain : chains) {
        const AsertAnchor anchor{0, chain.anchor_bits, GENESIS - 60};
        const AsertParams params{60, 17'280, chain.limit};
        for (int i = 0; i < 25'000; ++i) {
            const int64_t max_height{int64_t{1} << (rng.Next() % 33)};
            const int64_t height{rng.Range(0, max_height)};
            int64_t time{0};
            switch (rng.Next() % 3) {
            case 0:  // anywhere in the header's 32-bit time range
                time = rng.Range(0, int64_t{0xffffffff});
                break;
            case 1:  // near schedule: up to ± 2^k seconds of drift, k <= 32
            {
                const int64_t early{int64_t{1} << (rng.Next() % 33)};
                const int64_t late{int64_t{1} << (rng.Next() % 33)};
                time = anchor.parent_time + 60 * (height + 1) + rng.Range(-early, late);
                break;
            }
            default:  // a few blocks or half-lives either side
                time = anchor.parent_time + 60 * (height + 1) + rng.Range(-17280 * 300, 17280 * 300);
                break;
            }
            ASSERT_EQ(NextTargetAsert(anchor, params, height, time), OldNextTargetAsert(anchor, params, height, time))
                << "height " << height << " time " << time;
            ++compared;
        }
    }
    EXPECT_EQ(compared, 100'000u);
}

// The drift is exact before it is clamped: far more time than the far too
// many blocks take is still far behind schedule. The old formula clamped t
// and the ideal time separately and gave the anchor target here.
TEST(Asert, HugeDriftsClampToTheLimits)
{
    const Fixture f;
    const ArithUint256 limit{f.params.pow_limit};
    const auto target = [&](int64_t height, int64_t time) { return *TargetFromBits(NextTargetAsert(f.anchor, f.params, height, time)); };
    constexpr int64_t P40{int64_t{1} << 40};
    constexpr int64_t P62{int64_t{1} << 62};
    constexpr int64_t MAX{std::numeric_limits<int64_t>::max()};
    constexpr int64_t MIN{std::numeric_limits<int64_t>::min()};
    EXPECT_EQ(target(P40, P62), limit);
    EXPECT_EQ(OldNextTargetAsert(f.anchor, f.params, P40, P62), f.anchor.bits);  // the bug this replaces
    EXPECT_EQ(target(P40, -P62), ArithUint256{1});
    EXPECT_EQ(target(0, MAX), limit);
    EXPECT_EQ(target(0, MIN), ArithUint256{1});
    EXPECT_EQ(target(MAX, MAX), ArithUint256{1});  // 2^63 blocks take 60·2^63 s
    EXPECT_EQ(target(MAX, MIN), ArithUint256{1});
    EXPECT_EQ(target(P40 / 60, MAX), limit);
    // Just inside and just past the clamp: the same target on both sides
    // once the result is already at its limit.
    EXPECT_EQ(target(0, f.anchor.parent_time + 60 + P40), limit);
    EXPECT_EQ(target(0, f.anchor.parent_time + 60 + P40 + 1), limit);
    EXPECT_EQ(target(0, f.anchor.parent_time + 60 - P40), ArithUint256{1});
    EXPECT_EQ(target(0, f.anchor.parent_time + 60 - P40 - 1), ArithUint256{1});

    // Anchors and parameters at the int64 extremes: the 128-bit drift holds
    // t = 2^64 − 1 and h + 1 = 2^64 with spacing 2^63 − 1.
    const AsertAnchor low{MIN, 0x1e100000, MIN};
    EXPECT_EQ(*TargetFromBits(NextTargetAsert(low, f.params, MIN, MAX)), limit);
    EXPECT_EQ(*TargetFromBits(NextTargetAsert(low, f.params, MAX, MAX)), ArithUint256{1});
    const AsertAnchor high{0, 0x1e100000, MAX};
    EXPECT_EQ(*TargetFromBits(NextTargetAsert(high, f.params, 0, MIN)), ArithUint256{1});
    const AsertParams slow{MAX, 17'280, f.params.pow_limit};
    EXPECT_EQ(*TargetFromBits(NextTargetAsert(low, slow, MAX, MAX)), ArithUint256{1});
    EXPECT_EQ(*TargetFromBits(NextTargetAsert(low, slow, MIN, MAX)), limit);  // (2^64 − 1) − (2^63 − 1) = 2^63 late
    EXPECT_EQ(*TargetFromBits(NextTargetAsert(high, slow, 0, MAX)), ArithUint256{1});
}

// Non-decreasing in the true drift over the whole int64 range: time steps of
// every magnitude at fixed heights, and heights of every magnitude (fewer
// blocks = more drift) at fixed times.
TEST(Asert, MonotoneInDriftAtEveryScale)
{
    const Fixture f;
    std::vector<int64_t> values;
    for (int k = 0; k <= 62; ++k) {
        values.push_back(int64_t{1} << k);
        values.push_back((int64_t{1} << k) + 1);
        values.push_back(-(int64_t{1} << k));
        values.push_back(-(int64_t{1} << k) - 1);
    }
    values.push_back(0);
    values.push_back(std::numeric_limits<int64_t>::max());
    values.push_back(std::numeric_limits<int64_t>::min());
    std::sort(values.begin(), values.end());
    std::vector<int64_t> heights;
    for (const int64_t v : values) {
        if (v >= 0) heights.push_back(v);
    }
    for (const int64_t height : heights) {
        ArithUint256 previous{0};
        for (const int64_t time : values) {
            const auto target = *TargetFromBits(NextTargetAsert(f.anchor, f.params, height, time));
            EXPECT_GE(target, previous) << "height " << height << " time " << time;
            previous = target;
        }
    }
    for (const int64_t time : values) {
        ArithUint256 previous{~ArithUint256{0}};
        for (const int64_t height : heights) {
            const auto target = *TargetFromBits(NextTargetAsert(f.anchor, f.params, height, time));
            EXPECT_LE(target, previous) << "height " << height << " time " << time;
            previous = target;
        }
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
