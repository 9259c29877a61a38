// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/resize.h"

#include "light_test_util.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <random>

namespace hpips {
namespace {

using test::FirstDifference;
using test::MutableViewOf;
using test::ViewOf;

cv::Mat Ours(const cv::Mat& src, int w, int h, ThreadPool& pool)
{
    cv::Mat dst(h, w, src.type());
    const auto ok{Resize(ViewOf(src), MutableViewOf(dst), pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

cv::Mat Reference(const cv::Mat& src, int w, int h)
{
    cv::Mat dst;
    cv::resize(src, dst, cv::Size(w, h), 0, 0, cv::INTER_LINEAR_EXACT);
    return dst;
}

TEST(ResizeTests, ExhaustiveSmallImages)
{
    std::mt19937 rng{61};
    ThreadPool pool{1};
    for (int sh = 1; sh <= 9; ++sh) {
        for (int sw = 1; sw <= 9; ++sw) {
            for (int cn : {1, 3}) {
                const cv::Mat src{test::RandomMat(rng, sw, sh, cn)};
                for (int dh = 1; dh <= 9; ++dh) {
                    for (int dw = 1; dw <= 9; ++dw) {
                        ASSERT_EQ(FirstDifference(Ours(src, dw, dh, pool), Reference(src, dw, dh)), "")
                            << sw << "x" << sh << "x" << cn << " -> " << dw << "x" << dh;
                    }
                }
            }
        }
    }
}

TEST(ResizeTests, LargeImagesUpAndDown)
{
    std::mt19937 rng{62};
    ThreadPool pool{3};
    const std::pair<int, int> targets[]{{960, 540}, {640, 360}, {1280, 720}, {2560, 1440}, {1919, 1081}, {333, 1999}, {1920, 1}};
    for (int cn : {1, 3}) {
        const cv::Mat src{test::RandomMat(rng, 1920, 1080, cn)};
        for (const auto& [w, h] : targets) {
            ASSERT_EQ(FirstDifference(Ours(src, w, h, pool), Reference(src, w, h)), "") << cn << " -> " << w << "x" << h;
        }
    }
}

TEST(ResizeTests, AwkwardRatios)
{
    std::mt19937 rng{63};
    ThreadPool pool{1};
    for (int i = 0; i < 200; ++i) {
        const int sw{1 + static_cast<int>(rng() % 120)};
        const int sh{1 + static_cast<int>(rng() % 120)};
        const int dw{1 + static_cast<int>(rng() % 300)};
        const int dh{1 + static_cast<int>(rng() % 300)};
        const int cn{rng() % 2 == 0 ? 1 : 3};
        const cv::Mat src{test::RandomMat(rng, sw, sh, cn)};
        ASSERT_EQ(FirstDifference(Ours(src, dw, dh, pool), Reference(src, dw, dh)), "")
            << sw << "x" << sh << "x" << cn << " -> " << dw << "x" << dh;
    }
}

TEST(ResizeTests, ViewsIntoLargerImages)
{
    std::mt19937 rng{64};
    ThreadPool pool{2};
    for (int cn : {1, 3}) {
        const cv::Mat content{test::RandomMat(rng, 45, 38, cn)};
        const test::EmbeddedImage e{test::Embed(rng, content)};
        for (const auto& [w, h] : {std::pair{100, 77}, std::pair{22, 19}, std::pair{13, 5}}) {
            cv::Mat out_canvas(h + 4, w + 3, CV_8UC(cn));
            cv::Mat out{out_canvas(cv::Rect(2, 4, w, h))};
            ASSERT_TRUE(Resize(ViewOf(e.roi), MutableViewOf(out), pool));
            ASSERT_EQ(FirstDifference(out, Reference(content, w, h)), "") << w << "x" << h;
        }
    }
}

TEST(ResizeTests, RejectsBadArguments)
{
    ThreadPool pool{1};
    cv::Mat src(4, 4, CV_8UC1, cv::Scalar(1));
    cv::Mat dst3(4, 4, CV_8UC3);
    cv::Mat huge(1, MAX_RESIZE_DIMENSION + 1, CV_8UC1);
    EXPECT_FALSE(Resize(ViewOf(src), MutableViewOf(dst3), pool));
    EXPECT_FALSE(Resize(ViewOf(src), MutableViewOf(huge), pool));
}

}  // namespace
}  // namespace hpips
