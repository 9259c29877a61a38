// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/box.h"

#include "kernels/pixel_ops.h"
#include "light_test_util.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <random>

namespace hpips {
namespace {

using test::FirstDifference;
using test::MutableViewOf;
using test::ViewOf;

cv::Mat Ours(const cv::Mat& src, int k, ThreadPool& pool)
{
    cv::Mat dst(src.size(), src.type());
    const auto ok{BoxBlur(ViewOf(src), MutableViewOf(dst), k, pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

cv::Mat Reference(const cv::Mat& src, int k)
{
    cv::Mat dst;
    cv::blur(src, dst, cv::Size(k, k), cv::Point(-1, -1), cv::BORDER_REFLECT_101);
    return dst;
}

TEST(BoxTests, DivisorAgainstRoundHalfUp)
{
    // OpenCV's fixed-point divisor equals round-half-up(sum / K^2) for every
    // sum a K x K window of bytes can produce (documented in doc/kernels.md).
    for (int k = MIN_BOX_KSIZE; k <= MAX_BOX_KSIZE; k += 2) {
        const uint32_t area{static_cast<uint32_t>(k * k)};
        const BoxDivisor div{MakeBoxDivisor(area)};
        for (uint32_t sum = 0; sum <= 255 * area; ++sum) {
            ASSERT_EQ(BoxDivide(sum, div.scale, div.delta), (2 * sum + area) / (2 * area)) << "K=" << k << " sum=" << sum;
        }
    }
}

TEST(BoxTests, ExhaustiveSmallImages)
{
    std::mt19937 rng{51};
    ThreadPool pool{1};
    for (int h = 1; h <= 9; ++h) {
        for (int w = 1; w <= 9; ++w) {
            for (int cn : {1, 3}) {
                const cv::Mat src{test::BlockyMat(rng, w, h, cn)};
                for (int k = MIN_BOX_KSIZE; k <= MAX_BOX_KSIZE; k += 2) {
                    ASSERT_EQ(FirstDifference(Ours(src, k, pool), Reference(src, k)), "")
                        << w << "x" << h << "x" << cn << " K=" << k;
                }
            }
        }
    }
}

TEST(BoxTests, LargeImagesAndViews)
{
    std::mt19937 rng{52};
    ThreadPool pool{3};
    for (int cn : {1, 3}) {
        const cv::Mat src{test::RandomMat(rng, 1920, 1080, cn)};
        for (int k : {3, 7, 15}) ASSERT_EQ(FirstDifference(Ours(src, k, pool), Reference(src, k)), "") << cn << " " << k;
        const cv::Mat small{test::BlockyMat(rng, 61, 23, cn)};
        const test::EmbeddedImage e{test::Embed(rng, small)};
        cv::Mat out_canvas(30, 70, CV_8UC(cn));
        cv::Mat out{out_canvas(cv::Rect(3, 3, 61, 23))};
        ASSERT_TRUE(BoxBlur(ViewOf(e.roi), MutableViewOf(out), 9, pool));
        ASSERT_EQ(FirstDifference(out, Reference(small, 9)), "");
    }
}

TEST(BoxTests, ThreadCountDoesNotMatter)
{
    std::mt19937 rng{53};
    const cv::Mat src{test::RandomMat(rng, 257, 311, 3)};
    ThreadPool one{1};
    ThreadPool four{4};
    ASSERT_EQ(FirstDifference(Ours(src, 13, one), Ours(src, 13, four)), "");
}

}  // namespace
}  // namespace hpips
