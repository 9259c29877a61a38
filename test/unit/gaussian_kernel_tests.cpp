// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/gaussian_kernel.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <cstring>

namespace hpips {
namespace {

TEST(GaussianKernelTests, BitExactForEverySizeAndSigma)
{
    // Every odd n in 1..15 and every sigma 0.000..10.000 in thousandths.
    for (int n = 1; n <= MAX_GAUSS_KSIZE; n += 2) {
        for (uint32_t s = 0; s <= MAX_GAUSS_SIGMA_MILLI; ++s) {
            const auto ours{GaussianKernelBitExact(n, s)};
            ASSERT_TRUE(ours);
            const cv::Mat ref{cv::getGaussianKernel(n, s / 1000.0, CV_64F)};
            for (int i = 0; i < n; ++i) {
                const double d{ref.at<double>(i)};
                uint64_t bits;
                std::memcpy(&bits, &d, sizeof bits);
                ASSERT_EQ((*ours)[static_cast<size_t>(i)].Bits(), bits) << "n=" << n << " S=" << s << " i=" << i;
            }
        }
    }
}

TEST(GaussianKernelTests, FixedPointSumsTo256AndIsSymmetric)
{
    for (int n = 1; n <= MAX_GAUSS_KSIZE; n += 2) {
        for (uint32_t s = 0; s <= MAX_GAUSS_SIGMA_MILLI; s += 7) {
            const auto q{GaussianKernelQ8(n, s)};
            ASSERT_TRUE(q);
            uint32_t sum{0};
            for (int i = 0; i < n; ++i) {
                sum += (*q)[static_cast<size_t>(i)];
                ASSERT_EQ((*q)[static_cast<size_t>(i)], (*q)[static_cast<size_t>(n - 1 - i)]);
            }
            ASSERT_EQ(sum, 256U) << "n=" << n << " S=" << s;
        }
    }
}

TEST(GaussianKernelTests, KnownKernels)
{
    EXPECT_EQ(*GaussianKernelQ8(5, 0), (std::vector<uint16_t>{16, 64, 96, 64, 16}));
    EXPECT_EQ(*GaussianKernelQ8(3, 0), (std::vector<uint16_t>{64, 128, 64}));
    EXPECT_EQ(*GaussianKernelQ8(9, 0), (std::vector<uint16_t>{4, 13, 30, 51, 60, 51, 30, 13, 4}));
    EXPECT_EQ(*GaussianKernelQ8(1, 5000), (std::vector<uint16_t>{256}));
    // A tiny sigma concentrates everything in the centre tap.
    EXPECT_EQ(*GaussianKernelQ8(3, 1), (std::vector<uint16_t>{0, 256, 0}));
}

TEST(GaussianKernelTests, RejectsBadArguments)
{
    EXPECT_FALSE(GaussianKernelQ8(0, 0));
    EXPECT_FALSE(GaussianKernelQ8(4, 0));
    EXPECT_FALSE(GaussianKernelQ8(17, 0));
    EXPECT_FALSE(GaussianKernelQ8(3, MAX_GAUSS_SIGMA_MILLI + 1));
}

}  // namespace
}  // namespace hpips
