// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/morphology.h"

#include "light_test_util.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <random>

namespace hpips {
namespace {

using test::FirstDifference;
using test::MutableViewOf;
using test::ViewOf;

cv::Mat Ours(const cv::Mat& src, int k, bool dilate, ThreadPool& pool)
{
    cv::Mat dst(src.size(), src.type());
    const auto ok{dilate ? Dilate(ViewOf(src), MutableViewOf(dst), k, pool) : Erode(ViewOf(src), MutableViewOf(dst), k, pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

cv::Mat Reference(const cv::Mat& src, int k, bool dilate)
{
    const cv::Mat kernel{cv::getStructuringElement(cv::MORPH_RECT, cv::Size(k, k))};
    cv::Mat dst;
    if (dilate) {
        cv::dilate(src, dst, kernel);
    } else {
        cv::erode(src, dst, kernel);
    }
    return dst;
}

TEST(MorphologyTests, ExhaustiveSmallImages)
{
    std::mt19937 rng{41};
    ThreadPool pool{1};
    for (int h = 1; h <= 9; ++h) {
        for (int w = 1; w <= 9; ++w) {
            for (int cn : {1, 3}) {
                const cv::Mat src{test::RandomMat(rng, w, h, cn)};
                for (int k = MIN_MORPH_KSIZE; k <= MAX_MORPH_KSIZE; k += 2) {
                    for (bool dilate : {false, true}) {
                        ASSERT_EQ(FirstDifference(Ours(src, k, dilate, pool), Reference(src, k, dilate)), "")
                            << w << "x" << h << "x" << cn << " K=" << k << " dilate=" << dilate;
                    }
                }
            }
        }
    }
}

TEST(MorphologyTests, LargeImagesAndViews)
{
    std::mt19937 rng{42};
    ThreadPool pool{3};
    for (int cn : {1, 3}) {
        const cv::Mat src{test::RandomMat(rng, 1920, 1080, cn)};
        for (int k : {3, 15}) {
            for (bool dilate : {false, true}) {
                ASSERT_EQ(FirstDifference(Ours(src, k, dilate, pool), Reference(src, k, dilate)), "") << cn << " " << k;
            }
        }
        const cv::Mat small{test::RandomMat(rng, 50, 33, cn)};
        const test::EmbeddedImage e{test::Embed(rng, small)};
        cv::Mat out_canvas(40, 60, CV_8UC(cn));
        cv::Mat out{out_canvas(cv::Rect(7, 2, 50, 33))};
        ASSERT_TRUE(Erode(ViewOf(e.roi), MutableViewOf(out), 5, pool));
        ASSERT_EQ(FirstDifference(out, Reference(small, 5, false)), "");
    }
}

TEST(MorphologyTests, RejectsBadKernel)
{
    ThreadPool pool{1};
    cv::Mat src(4, 4, CV_8UC1, cv::Scalar(1));
    cv::Mat dst(4, 4, CV_8UC1);
    for (int k : {0, 1, 2, 4, 17}) {
        EXPECT_FALSE(Erode(ViewOf(src), MutableViewOf(dst), k, pool)) << k;
        EXPECT_FALSE(Dilate(ViewOf(src), MutableViewOf(dst), k, pool)) << k;
    }
}

}  // namespace
}  // namespace hpips
