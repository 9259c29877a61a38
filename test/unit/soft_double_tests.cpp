// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// SoftDouble is checked against the FPU (IEEE 754 round to nearest even) and
// against OpenCV's own softdouble exp. Hardware doubles appear only here, as
// the reference; the library computes with integers.
#include "kernels/soft_double.h"

#include <climits>
#include <opencv2/core/softfloat.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <random>

namespace hpips {
namespace {

double ToDouble(SoftDouble v)
{
    const uint64_t bits{v.Bits()};
    double d;
    std::memcpy(&d, &bits, sizeof d);
    return d;
}

SoftDouble FromDouble(double d)
{
    uint64_t bits;
    std::memcpy(&bits, &d, sizeof d);
    return SoftDouble::FromBits(bits);
}

/** Random doubles biased towards interesting cases: near 1, tiny
 *  (subnormal), equal exponents, short significands (ties). */
uint64_t RandomBits(std::mt19937_64& rng)
{
    const uint64_t r{rng()};
    const unsigned mode{static_cast<unsigned>(rng() % 4)};
    if (mode == 0) return r;
    uint64_t exp{0};
    if (mode == 1) exp = 1023 + rng() % 40 - 20;
    if (mode == 2) exp = rng() % 3;
    if (mode == 3) exp = 1023 + rng() % 4 - 2;
    uint64_t frac{r & ((1ULL << 52) - 1)};
    if (rng() % 4 == 0) frac &= ~((1ULL << (rng() % 52)) - 1);
    return (r & (1ULL << 63)) | (exp << 52) | frac;
}

bool SameResult(SoftDouble got, double want)
{
    if (std::isnan(want)) return got.IsNaN();
    return got == FromDouble(want);
}

TEST(SoftDoubleTests, BasicOpsMatchTheFpu)
{
    std::mt19937_64 rng{71};
    for (int i = 0; i < 400000; ++i) {
        const SoftDouble a{SoftDouble::FromBits(RandomBits(rng))};
        const SoftDouble b{SoftDouble::FromBits(RandomBits(rng))};
        const SoftDouble c{SoftDouble::FromBits(RandomBits(rng))};
        const double da{ToDouble(a)};
        const double db{ToDouble(b)};
        const double dc{ToDouble(c)};
        ASSERT_TRUE(SameResult(a + b, da + db)) << std::hexfloat << da << " + " << db;
        ASSERT_TRUE(SameResult(a - b, da - db)) << std::hexfloat << da << " - " << db;
        ASSERT_TRUE(SameResult(a * b, da * db)) << std::hexfloat << da << " * " << db;
        ASSERT_TRUE(SameResult(a / b, da / db)) << std::hexfloat << da << " / " << db;
        ASSERT_TRUE(SameResult(MulAdd(a, b, c), std::fma(da, db, dc))) << std::hexfloat << da << " " << db << " " << dc;
        ASSERT_TRUE(SameResult(a.RoundToIntegral(), std::nearbyint(da))) << std::hexfloat << da;
        const int64_t iv{static_cast<int64_t>(rng()) >> (rng() % 64)};
        ASSERT_TRUE(SameResult(SoftDouble::FromInt(iv), static_cast<double>(iv))) << iv;
    }
}

TEST(SoftDoubleTests, IntegerConversionsMatchOpenCv)
{
    std::mt19937_64 rng{72};
    for (int i = 0; i < 200000; ++i) {
        const double d{std::ldexp(static_cast<double>(static_cast<int64_t>(rng() % 20000001) - 10000000), -static_cast<int>(rng() % 24))};
        const SoftDouble s{FromDouble(d)};
        ASSERT_EQ(s.RoundToInt32(), cvRound(cv::softdouble(d))) << d;
        ASSERT_EQ(s.FloorToInt32(), cvFloor(cv::softdouble(d))) << d;
    }
    // Ties go to even; out-of-range values saturate as SoftFloat does.
    EXPECT_EQ(FromDouble(2.5).RoundToInt32(), 2);
    EXPECT_EQ(FromDouble(-2.5).RoundToInt32(), -2);
    EXPECT_EQ(FromDouble(3.5).RoundToInt32(), 4);
    EXPECT_EQ(FromDouble(-0.5).FloorToInt32(), -1);
    EXPECT_EQ(FromDouble(1e12).RoundToInt32(), INT32_MAX);
    EXPECT_EQ(FromDouble(-1e12).RoundToInt32(), INT32_MIN);
}

TEST(SoftDoubleTests, ExpMatchesOpenCvSoftdouble)
{
    std::mt19937_64 rng{73};
    for (int i = 0; i < 300000; ++i) {
        double x;
        if (i % 2 == 0) {
            x = ToDouble(SoftDouble::FromBits(RandomBits(rng)));
        } else {
            x = std::ldexp(static_cast<double>(static_cast<int64_t>(rng() % 2000001) - 1000000), -static_cast<int>(rng() % 30));
        }
        const double want{static_cast<double>(cv::exp(cv::softdouble(x)))};
        ASSERT_TRUE(SameResult(Exp(FromDouble(x)), want)) << std::hexfloat << x;
    }
    EXPECT_EQ(Exp(SoftDouble::Zero()), SoftDouble::One());
}

}  // namespace
}  // namespace hpips
