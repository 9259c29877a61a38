// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// SoftDouble is checked against the FPU (IEEE 754 round to nearest even) and
// against OpenCV's own softdouble exp. Hardware doubles appear only here, as
// the reference; the library computes with integers.
#include "kernels/soft_double.h"

#include <climits>
#include <opencv2/core/softfloat.hpp>

#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <iterator>
#include <regex>
#include <string>
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

/** The light kernels' sources, comments and string literals removed, must
 *  not name a floating-point type: pixels and coefficients are integers (and
 *  SoftDouble). The source tree is found from HPIPS_TEST_DATA_DIR. */
TEST(SoftDoubleTests, LightKernelSourcesUseNoFloatingPoint)
{
    const std::string data_dir{HPIPS_TEST_DATA_DIR};
    const std::string suffix{"/test/unit/data"};
    ASSERT_EQ(data_dir.compare(data_dir.size() - suffix.size(), suffix.size(), suffix), 0) << data_dir;
    const std::string dir{data_dir.substr(0, data_dir.size() - suffix.size()) + "/src/kernels/"};
    const char* files[]{"box.cpp", "box.h", "color.cpp", "color.h", "gaussian.cpp", "gaussian.h",
                        "gaussian_kernel.cpp", "gaussian_kernel.h", "image.cpp", "image.h", "morphology.cpp",
                        "morphology.h", "padding.h", "pipeline.cpp", "pipeline.h", "pixel_ops.h", "resize.cpp",
                        "resize.h", "row_cache.h", "row_chunks.h", "row_kernels.cpp", "row_kernels.h",
                        "row_kernels_impl.h", "row_kernels_portable.cpp", "row_kernels_avx2.cpp",
                        "row_kernels_avx512.cpp", "sobel.cpp", "sobel.h", "soft_double.cpp", "soft_double.h",
                        "threshold.cpp", "threshold.h"};
    const std::regex floating{R"(\b(float|double|long\s+double|_Float\d+|__m\d*[dh]?\b))"};
    for (const char* name : files) {
        std::ifstream in{dir + name};
        ASSERT_TRUE(in) << dir + name;
        const std::string text{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
        // Strip comments and string/char literals.
        std::string code;
        for (size_t i = 0; i < text.size(); ++i) {
            if (text.compare(i, 2, "//") == 0) {
                while (i < text.size() && text[i] != '\n') ++i;
            } else if (text.compare(i, 2, "/*") == 0) {
                const size_t end{text.find("*/", i + 2)};
                i = end == std::string::npos ? text.size() : end + 1;
            } else if (text[i] == '"' || text[i] == '\'') {
                const char quote{text[i]};
                for (++i; i < text.size() && text[i] != quote; ++i) {
                    if (text[i] == '\\') ++i;
                }
            } else {
                code.push_back(text[i]);
            }
        }
        std::smatch m;
        EXPECT_FALSE(std::regex_search(code, m, floating)) << name << " uses '" << m.str() << "'";
    }
}

}  // namespace
}  // namespace hpips
