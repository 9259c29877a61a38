// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/color.h"

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

cv::Mat Ours(const cv::Mat& src, ThreadPool& pool)
{
    cv::Mat dst(src.size(), CV_8UC1);
    const auto ok{BgrToGray(ViewOf(src), MutableViewOf(dst), pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

cv::Mat Reference(const cv::Mat& src)
{
    cv::Mat dst;
    cv::cvtColor(src, dst, cv::COLOR_BGR2GRAY);
    return dst;
}

TEST(ColorTests, EveryBgrTriple)
{
    // All 2^24 colours in one 4096x4096 image.
    cv::Mat src(4096, 4096, CV_8UC3);
    for (int y = 0; y < 4096; ++y) {
        uint8_t* row{src.ptr<uint8_t>(y)};
        for (int x = 0; x < 4096; ++x) {
            const uint32_t v{static_cast<uint32_t>(y) * 4096 + static_cast<uint32_t>(x)};
            row[3 * x] = static_cast<uint8_t>(v & 0xFF);
            row[3 * x + 1] = static_cast<uint8_t>((v >> 8) & 0xFF);
            row[3 * x + 2] = static_cast<uint8_t>(v >> 16);
        }
    }
    ThreadPool pool{2};
    ASSERT_EQ(FirstDifference(Ours(src, pool), Reference(src)), "");
}

TEST(ColorTests, PixelFormula)
{
    EXPECT_EQ(GrayFromBgr(0, 0, 0), 0);
    EXPECT_EQ(GrayFromBgr(255, 255, 255), 255);
    EXPECT_EQ(GrayFromBgr(0, 0, 255), 76);  // (255 * 9798 + 16384) >> 15
    EXPECT_EQ(GrayFromBgr(0, 255, 0), 150);  // (255 * 19235 + 16384) >> 15
    EXPECT_EQ(GrayFromBgr(255, 0, 0), 29);  // (255 * 3735 + 16384) >> 15
}

TEST(ColorTests, SmallSizesAndViews)
{
    std::mt19937 rng{11};
    ThreadPool pool{1};
    for (int h = 1; h <= 9; ++h) {
        for (int w = 1; w <= 9; ++w) {
            const cv::Mat src{test::RandomMat(rng, w, h, 3)};
            ASSERT_EQ(FirstDifference(Ours(src, pool), Reference(src)), "") << w << "x" << h;
            const test::EmbeddedImage e{test::Embed(rng, src)};
            cv::Mat out_canvas(h + 2, w + 7, CV_8UC1);
            cv::Mat out{out_canvas(cv::Rect(5, 1, w, h))};
            ASSERT_TRUE(BgrToGray(ViewOf(e.roi), MutableViewOf(out), pool));
            ASSERT_EQ(FirstDifference(out, Reference(src)), "");
        }
    }
}

TEST(ColorTests, LargeImage)
{
    std::mt19937 rng{12};
    ThreadPool pool{3};
    const cv::Mat src{test::RandomMat(rng, 1920, 1080, 3)};
    ASSERT_EQ(FirstDifference(Ours(src, pool), Reference(src)), "");
}

TEST(ColorTests, RejectsWrongChannels)
{
    ThreadPool pool{1};
    cv::Mat gray(4, 4, CV_8UC1);
    cv::Mat dst(4, 4, CV_8UC1);
    cv::Mat bgr(4, 4, CV_8UC3);
    cv::Mat dst3(4, 4, CV_8UC3);
    EXPECT_FALSE(BgrToGray(ViewOf(gray), MutableViewOf(dst), pool));
    EXPECT_FALSE(BgrToGray(ViewOf(bgr), MutableViewOf(dst3), pool));
}

}  // namespace
}  // namespace hpips
