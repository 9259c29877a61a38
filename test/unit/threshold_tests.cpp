// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/threshold.h"

#include "light_test_util.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <random>

namespace hpips {
namespace {

using test::FirstDifference;
using test::MutableViewOf;
using test::ViewOf;

constexpr ThresholdMode MODES[]{ThresholdMode::BINARY, ThresholdMode::BINARY_INV, ThresholdMode::TRUNC,
                                ThresholdMode::TOZERO, ThresholdMode::TOZERO_INV};

int CvMode(ThresholdMode mode)
{
    switch (mode) {
    case ThresholdMode::BINARY: return cv::THRESH_BINARY;
    case ThresholdMode::BINARY_INV: return cv::THRESH_BINARY_INV;
    case ThresholdMode::TRUNC: return cv::THRESH_TRUNC;
    case ThresholdMode::TOZERO: return cv::THRESH_TOZERO;
    case ThresholdMode::TOZERO_INV: return cv::THRESH_TOZERO_INV;
    }
    return -1;
}

cv::Mat Ours(const cv::Mat& src, int t, int m, ThresholdMode mode, ThreadPool& pool)
{
    cv::Mat dst(src.size(), src.type());
    const auto ok{Threshold(ViewOf(src), MutableViewOf(dst), static_cast<uint8_t>(t), static_cast<uint8_t>(m), mode, pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

cv::Mat Reference(const cv::Mat& src, int t, int m, ThresholdMode mode)
{
    cv::Mat dst;
    cv::threshold(src, dst, t, m, CvMode(mode));
    return dst;
}

TEST(ThresholdTests, EveryValueEveryThresholdEveryMode)
{
    // One row holding all 256 values, for all T and a spread of M.
    cv::Mat src(1, 256, CV_8UC1);
    for (int v = 0; v < 256; ++v) src.at<uint8_t>(0, v) = static_cast<uint8_t>(v);
    ThreadPool pool{1};
    for (ThresholdMode mode : MODES) {
        for (int t = 0; t <= 255; ++t) {
            for (int m : {0, 1, 100, 254, 255}) {
                ASSERT_EQ(FirstDifference(Ours(src, t, m, mode, pool), Reference(src, t, m, mode)), "")
                    << ThresholdModeName(mode) << " T=" << t << " M=" << m;
            }
        }
    }
}

TEST(ThresholdTests, SmallSizesChannelsAndViews)
{
    std::mt19937 rng{21};
    ThreadPool pool{1};
    for (int h = 1; h <= 9; ++h) {
        for (int w = 1; w <= 9; ++w) {
            for (int cn : {1, 3}) {
                const cv::Mat src{test::RandomMat(rng, w, h, cn)};
                for (ThresholdMode mode : MODES) {
                    for (const auto& [t, m] : {std::pair{0, 255}, std::pair{127, 200}, std::pair{255, 7}}) {
                        ASSERT_EQ(FirstDifference(Ours(src, t, m, mode, pool), Reference(src, t, m, mode)), "");
                    }
                }
                const test::EmbeddedImage e{test::Embed(rng, src)};
                cv::Mat out_canvas(h + 1, w + 4, CV_8UC(cn));
                cv::Mat out{out_canvas(cv::Rect(2, 1, w, h))};
                ASSERT_TRUE(Threshold(ViewOf(e.roi), MutableViewOf(out), 90, 33, ThresholdMode::TRUNC, pool));
                ASSERT_EQ(FirstDifference(out, Reference(src, 90, 33, ThresholdMode::TRUNC)), "");
            }
        }
    }
}

TEST(ThresholdTests, LargeImagesAndInPlace)
{
    std::mt19937 rng{22};
    ThreadPool pool{3};
    for (int cn : {1, 3}) {
        cv::Mat src{test::RandomMat(rng, 1920, 1080, cn)};
        for (ThresholdMode mode : MODES) {
            ASSERT_EQ(FirstDifference(Ours(src, 99, 201, mode, pool), Reference(src, 99, 201, mode)), "");
        }
        const cv::Mat want{Reference(src, 128, 255, ThresholdMode::BINARY)};
        ASSERT_TRUE(Threshold(ViewOf(src), MutableViewOf(src), 128, 255, ThresholdMode::BINARY, pool));
        ASSERT_EQ(FirstDifference(src, want), "");
    }
}

TEST(ThresholdTests, ModeNames)
{
    for (ThresholdMode mode : MODES) EXPECT_EQ(ParseThresholdMode(ThresholdModeName(mode)), mode);
    EXPECT_FALSE(ParseThresholdMode("Binary"));
    EXPECT_FALSE(ParseThresholdMode(""));
    EXPECT_FALSE(ParseThresholdMode("otsu"));
}

TEST(ThresholdTests, RejectsPartialOverlap)
{
    ThreadPool pool{1};
    cv::Mat canvas(8, 8, CV_8UC1, cv::Scalar(3));
    cv::Mat a{canvas(cv::Rect(0, 0, 4, 4))};
    cv::Mat b{canvas(cv::Rect(1, 1, 4, 4))};
    EXPECT_FALSE(Threshold(ViewOf(a), MutableViewOf(b), 1, 2, ThresholdMode::BINARY, pool));
}

}  // namespace
}  // namespace hpips
