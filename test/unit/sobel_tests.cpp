// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/sobel.h"

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
    cv::Mat dst(src.size(), src.type());
    const auto ok{SobelMagnitude(ViewOf(src), MutableViewOf(dst), pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

/** saturate_u8(|Sobel dx| + |Sobel dy|) from OpenCV's exact CV_16S Sobel. */
cv::Mat Reference(const cv::Mat& src)
{
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(src, gx, CV_16S, 1, 0, 3, 1, 0, cv::BORDER_REFLECT_101);
    cv::Sobel(src, gy, CV_16S, 0, 1, 3, 1, 0, cv::BORDER_REFLECT_101);
    cv::Mat dst(src.size(), src.type());
    const int n{src.cols * src.channels()};
    for (int y = 0; y < src.rows; ++y) {
        const int16_t* a{gx.ptr<int16_t>(y)};
        const int16_t* b{gy.ptr<int16_t>(y)};
        uint8_t* d{dst.ptr<uint8_t>(y)};
        for (int i = 0; i < n; ++i) d[i] = cv::saturate_cast<uint8_t>(std::abs(int{a[i]}) + std::abs(int{b[i]}));
    }
    return dst;
}

TEST(SobelTests, ExhaustiveSmallImages)
{
    std::mt19937 rng{31};
    ThreadPool pool{1};
    for (int h = 1; h <= 9; ++h) {
        for (int w = 1; w <= 9; ++w) {
            for (int cn : {1, 3}) {
                for (int rep = 0; rep < 4; ++rep) {
                    const cv::Mat src{test::BlockyMat(rng, w, h, cn)};
                    ASSERT_EQ(FirstDifference(Ours(src, pool), Reference(src)), "") << w << "x" << h << "x" << cn;
                }
            }
        }
    }
}

TEST(SobelTests, LargeImagesAndViews)
{
    std::mt19937 rng{32};
    ThreadPool pool{3};
    for (int cn : {1, 3}) {
        const cv::Mat src{test::BlockyMat(rng, 1920, 1080, cn)};
        ASSERT_EQ(FirstDifference(Ours(src, pool), Reference(src)), "") << cn;
        const cv::Mat small{test::RandomMat(rng, 77, 41, cn)};
        const test::EmbeddedImage e{test::Embed(rng, small)};
        cv::Mat out_canvas(45, 80, CV_8UC(cn));
        cv::Mat out{out_canvas(cv::Rect(1, 3, 77, 41))};
        ASSERT_TRUE(SobelMagnitude(ViewOf(e.roi), MutableViewOf(out), pool));
        ASSERT_EQ(FirstDifference(out, Reference(small)), "");
    }
}

TEST(SobelTests, ThreadCountDoesNotMatter)
{
    std::mt19937 rng{33};
    const cv::Mat src{test::RandomMat(rng, 300, 500, 1)};
    ThreadPool one{1};
    ThreadPool three{3};
    ASSERT_EQ(FirstDifference(Ours(src, one), Ours(src, three)), "");
}

}  // namespace
}  // namespace hpips
