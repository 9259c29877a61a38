// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/requantize.h>

#include <kernels/conv_kernels.h>
#include <kernels/cpu_features.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <random>
#include <utility>
#include <vector>

namespace hpips {
namespace {

/** floor(num / 2^e) and the remainder in [0, 2^e), by plain division (an
 *  oracle written differently from the code under test). */
std::pair<int64_t, int64_t> FloorDivPow2(int64_t num, int e)
{
    const int64_t d{int64_t{1} << e};
    int64_t q{num / d};
    int64_t r{num % d};
    if (r < 0) {
        q -= 1;
        r += d;
    }
    return {q, r};
}

/** a·b / 2^31, nearest, ties toward +∞, saturated. */
int32_t OracleHighMul(int32_t a, int32_t b)
{
    auto [q, r] = FloorDivPow2(static_cast<int64_t>(a) * b, 31);
    if (2 * r >= (int64_t{1} << 31)) q += 1;
    return q > INT32_MAX ? INT32_MAX : static_cast<int32_t>(q);
}

/** x / 2^e, nearest, ties away from zero. */
int32_t OracleShift(int32_t x, int e)
{
    auto [q, r] = FloorDivPow2(x, e);
    const int64_t twice{2 * r};
    const int64_t d{int64_t{1} << e};
    if (twice > d || (twice == d && x > 0)) q += 1;
    return static_cast<int32_t>(q);
}

const std::vector<int32_t> EDGES{INT32_MIN, INT32_MIN + 1, -(1 << 30) - 1, -(1 << 30), -65536, -3, -2, -1, 0,
                                 1,         2,            3,             65535,      1 << 30, (1 << 30) + 1,
                                 INT32_MAX - 1, INT32_MAX};

TEST(RequantizeTest, HighMulKnownValues)
{
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MIN), INT32_MAX);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MAX, INT32_MAX), INT32_MAX - 1);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(INT32_MIN, INT32_MAX), INT32_MIN + 1);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(100, 1 << 30), 50);  // × 0.5
    // Ties (exactly .5) go toward +∞: 3 × 0.5 = 1.5 → 2, −3 × 0.5 = −1.5 → −1.
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(3, 1 << 30), 2);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(-3, 1 << 30), -1);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(1, 1 << 30), 1);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(-1, 1 << 30), 0);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(12345, 0), 0);
    // Multiplier INT32_MAX is 1 − 2^-31: x maps to x for moderate |x|.
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(1000000, INT32_MAX), 1000000);
    EXPECT_EQ(SaturatingRoundingDoublingHighMul(-1000000, INT32_MAX), -1000000);
}

TEST(RequantizeTest, HighMulMatchesOracle)
{
    for (const int32_t a : EDGES) {
        for (const int32_t b : EDGES) EXPECT_EQ(SaturatingRoundingDoublingHighMul(a, b), OracleHighMul(a, b)) << a << " " << b;
    }
    std::mt19937 rng{7};
    std::uniform_int_distribution<int32_t> any{INT32_MIN, INT32_MAX};
    std::uniform_int_distribution<int32_t> small{-70000, 70000};
    for (int i = 0; i < 200000; ++i) {
        const int32_t a{i % 2 ? any(rng) : small(rng)};
        const int32_t b{any(rng)};
        ASSERT_EQ(SaturatingRoundingDoublingHighMul(a, b), OracleHighMul(a, b)) << a << " " << b;
    }
}

TEST(RequantizeTest, ShiftKnownValues)
{
    EXPECT_EQ(RoundingDivideByPowerOfTwo(12345, 0), 12345);
    EXPECT_EQ(RoundingDivideByPowerOfTwo(INT32_MIN, 0), INT32_MIN);
    EXPECT_EQ(RoundingDivideByPowerOfTwo(5, 1), 3);    // 2.5 → 3
    EXPECT_EQ(RoundingDivideByPowerOfTwo(-5, 1), -3);  // −2.5 → −3
    EXPECT_EQ(RoundingDivideByPowerOfTwo(-5, 2), -1);  // −1.25 → −1
    EXPECT_EQ(RoundingDivideByPowerOfTwo(-6, 2), -2);  // −1.5 → −2
    EXPECT_EQ(RoundingDivideByPowerOfTwo(6, 2), 2);    // 1.5 → 2
    EXPECT_EQ(RoundingDivideByPowerOfTwo(-1, 1), -1);  // −0.5 → −1
    EXPECT_EQ(RoundingDivideByPowerOfTwo(1, 1), 1);
    EXPECT_EQ(RoundingDivideByPowerOfTwo(INT32_MIN, 31), -1);
    EXPECT_EQ(RoundingDivideByPowerOfTwo(INT32_MAX, 31), 1);        // 0.99999… → 1
    EXPECT_EQ(RoundingDivideByPowerOfTwo(1 << 30, 31), 1);          // 0.5 → 1
    EXPECT_EQ(RoundingDivideByPowerOfTwo(-(1 << 30), 31), -1);      // −0.5 → −1
    EXPECT_EQ(RoundingDivideByPowerOfTwo((1 << 30) - 1, 31), 0);
    EXPECT_EQ(RoundingDivideByPowerOfTwo(-(1 << 30) + 1, 31), 0);
    EXPECT_EQ(RoundingDivideByPowerOfTwo(INT32_MIN, 30), -2);
}

TEST(RequantizeTest, ShiftMatchesOracle)
{
    for (int e = 0; e <= REQUANT_MAX_SHIFT; ++e) {
        for (const int32_t x : EDGES) EXPECT_EQ(RoundingDivideByPowerOfTwo(x, e), OracleShift(x, e)) << x << " >> " << e;
    }
    std::mt19937 rng{8};
    std::uniform_int_distribution<int32_t> any{INT32_MIN, INT32_MAX};
    std::uniform_int_distribution<int> shift{0, REQUANT_MAX_SHIFT};
    for (int i = 0; i < 200000; ++i) {
        const int32_t x{any(rng)};
        const int e{shift(rng)};
        ASSERT_EQ(RoundingDivideByPowerOfTwo(x, e), OracleShift(x, e)) << x << " >> " << e;
        // Exact ties of every shift.
        if (e > 0) {
            const int32_t tie{static_cast<int32_t>(((int64_t{x} >> e) << e) + (int64_t{1} << (e - 1)))};
            ASSERT_EQ(RoundingDivideByPowerOfTwo(tie, e), OracleShift(tie, e)) << tie << " >> " << e;
        }
    }
}

TEST(RequantizeTest, ValueComposition)
{
    RequantParams p{};
    p.multiplier = 1 << 30;  // 0.5
    p.shift = 1;             // total 0.25
    p.output_zero_point = 10;
    EXPECT_EQ(RequantizeValue(100, p), 35);
    EXPECT_EQ(RequantizeValue(-100, p), -15);
    EXPECT_EQ(RequantizeValue(1000, p), 127);                    // clamp high
    EXPECT_EQ(RequantizeValue(-1000, p), -128);                  // clamp low
    EXPECT_EQ(RequantizeValue(INT32_MIN, p), -128);
    EXPECT_EQ(RequantizeValue(INT32_MAX, p), 127);
    p.relu = true;
    EXPECT_EQ(RequantizeValue(-100, p), 10);  // not below the zero point
    EXPECT_EQ(RequantizeValue(100, p), 35);
    p.clamp_min = -64;
    p.clamp_max = 63;  // narrower range for a following heavy stage
    EXPECT_EQ(RequantizeValue(1000, p), 63);
    p.relu = false;
    EXPECT_EQ(RequantizeValue(-1000, p), -64);
    // ReLU with a zero point above clamp_max still lands inside the clamp.
    p.relu = true;
    p.output_zero_point = 100;
    EXPECT_EQ(RequantizeValue(-1000, p), 63);
    // Identity-ish: multiplier INT32_MAX, shift 0, zp −128 at the bottom edge.
    RequantParams q{};
    q.output_zero_point = -128;
    EXPECT_EQ(RequantizeValue(0, q), -128);
    EXPECT_EQ(RequantizeValue(255, q), 127);
    EXPECT_EQ(RequantizeValue(256, q), 127);
    EXPECT_EQ(RequantizeValue(INT32_MAX, q), 127);  // the zero-point add does not overflow
    // shift 31 with the largest multiplier: everything collapses to {−1, 0, 1}.
    q.output_zero_point = 0;
    q.shift = 31;
    EXPECT_EQ(RequantizeValue(INT32_MAX, q), 1);
    EXPECT_EQ(RequantizeValue(INT32_MIN, q), -1);
    EXPECT_EQ(RequantizeValue(1 << 29, q), 0);
}

TEST(RequantizeTest, ValueMatchesOracle)
{
    std::mt19937 rng{9};
    std::uniform_int_distribution<int32_t> any{INT32_MIN, INT32_MAX};
    std::uniform_int_distribution<int32_t> acc_small{-(1 << 20), 1 << 20};
    std::uniform_int_distribution<int32_t> mult{0, INT32_MAX};
    std::uniform_int_distribution<int> shift{0, REQUANT_MAX_SHIFT};
    std::uniform_int_distribution<int> i8{-128, 127};
    for (int i = 0; i < 100000; ++i) {
        RequantParams p{};
        p.multiplier = mult(rng);
        p.shift = shift(rng) % 12;
        p.output_zero_point = i8(rng);
        int lo{i8(rng)};
        int hi{i8(rng)};
        if (lo > hi) std::swap(lo, hi);
        p.clamp_min = lo;
        p.clamp_max = hi;
        p.relu = i % 2 == 0;
        ASSERT_TRUE(RequantParamsValid(p));
        const int32_t acc{i % 3 == 0 ? any(rng) : acc_small(rng)};
        int64_t v{static_cast<int64_t>(OracleShift(OracleHighMul(acc, p.multiplier), p.shift)) + p.output_zero_point};
        if (p.relu) v = std::max<int64_t>(v, p.output_zero_point);
        v = std::clamp<int64_t>(v, p.clamp_min, p.clamp_max);
        ASSERT_EQ(RequantizeValue(acc, p), v) << "acc=" << acc;
    }
}

TEST(RequantizeTest, VectorSpanMatchesScalar)
{
    // The AVX-512 output stage (used by the fast conv) against the scalar
    // specification: edge accumulators, every shift, edge multipliers, odd
    // lengths (masked tails), ReLU and narrow clamps.
    std::vector<int32_t> acc{EDGES};
    std::mt19937 rng{10};
    std::uniform_int_distribution<int32_t> any{INT32_MIN, INT32_MAX};
    std::uniform_int_distribution<int32_t> small{-300000, 300000};
    for (int i = 0; i < 3000; ++i) acc.push_back(i % 2 ? any(rng) : small(rng));
    for (int tie = 1; tie <= 31; ++tie) {
        acc.push_back(int32_t{1} << (tie - 1));
        acc.push_back(-(int32_t{1} << (tie - 1)));
        acc.push_back(static_cast<int32_t>(3 * (int64_t{1} << (tie - 1)) / 2));  // in int64: 3 << 30 overflows int32
    }
    const bool have_avx512{DetectCpuFeatures().HasAvx512Vnni()};
    std::uniform_int_distribution<int> i8{-128, 127};
    const int32_t multipliers[]{0, 1, 1 << 30, 1518500250, INT32_MAX - 1, INT32_MAX};
    for (const int32_t multiplier : multipliers) {
        for (int shift = 0; shift <= REQUANT_MAX_SHIFT; ++shift) {
            RequantParams p{};
            p.multiplier = multiplier;
            p.shift = shift;
            p.output_zero_point = i8(rng);
            int lo{i8(rng)};
            int hi{i8(rng)};
            if (lo > hi) std::swap(lo, hi);
            p.clamp_min = shift % 3 == 0 ? -128 : lo;
            p.clamp_max = shift % 3 == 0 ? 127 : hi;
            p.relu = shift % 2 == 0;
            std::vector<int8_t> expected(acc.size());
            conv_detail::RequantizeSpanScalar(acc.data(), expected.data(), acc.size(), p);
            for (size_t i = 0; i < acc.size(); ++i) ASSERT_EQ(expected[i], RequantizeValue(acc[i], p));
            for (const size_t length : {acc.size(), size_t{1}, size_t{15}, size_t{17}, acc.size() - 5}) {
                std::vector<int8_t> got(length + 1, int8_t{99});
                conv_detail::RequantizeSpan(acc.data(), got.data(), length, p);
                EXPECT_EQ(got[length], 99) << "wrote past the end";
                got.pop_back();
                ASSERT_EQ(got, std::vector<int8_t>(expected.begin(), expected.begin() + static_cast<std::ptrdiff_t>(length)))
                    << "multiplier=" << multiplier << " shift=" << shift << " length=" << length;
                if (have_avx512) {
                    std::vector<int8_t> direct(length);
                    conv_detail::RequantizeSpanAvx512(acc.data(), direct.data(), length, p);
                    ASSERT_EQ(direct, got);
                }
            }
        }
    }
}

TEST(RequantizeTest, ParamValidity)
{
    RequantParams p{};
    EXPECT_TRUE(RequantParamsValid(p));
    p.multiplier = -1;
    EXPECT_FALSE(RequantParamsValid(p));
    p = {};
    p.shift = 32;
    EXPECT_FALSE(RequantParamsValid(p));
    p.shift = -1;
    EXPECT_FALSE(RequantParamsValid(p));
    p = {};
    p.output_zero_point = 128;
    EXPECT_FALSE(RequantParamsValid(p));
    p = {};
    p.clamp_min = 5;
    p.clamp_max = 4;
    EXPECT_FALSE(RequantParamsValid(p));
    p = {};
    p.clamp_min = -129;
    EXPECT_FALSE(RequantParamsValid(p));
}

TEST(RequantizeTest, DotStepWraps)
{
    const int8_t a[4]{-128, -128, 127, 1};
    const int8_t b[4]{-128, 127, 127, -1};
    EXPECT_EQ(Dot4Step(0, a, b), 16384 - 16256 + 16129 - 1);
    // Wrap-around is modular, never UB, and recovers exact sums that fit.
    EXPECT_EQ(MacStep(INT32_MAX, 1, 1), INT32_MIN);
    EXPECT_EQ(MacStep(MacStep(INT32_MAX, 1, 1), -1, 1), INT32_MAX);
    EXPECT_EQ(WrappingAdd(INT32_MIN, -1), INT32_MAX);
    EXPECT_EQ(WrappingMul(65536, 65536), 0);
}

}  // namespace
}  // namespace hpips
