// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/gaussian.h"

#include "light_test_util.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace hpips {
namespace {

using test::FirstDifference;
using test::MutableViewOf;
using test::ViewOf;

cv::Mat Ours(const cv::Mat& src, int k, uint32_t sigma_milli, ThreadPool& pool)
{
    cv::Mat dst(src.size(), src.type());
    const auto ok{GaussianBlur(ViewOf(src), MutableViewOf(dst), k, sigma_milli, pool)};
    EXPECT_TRUE(ok) << (ok ? "" : ok.error_message());
    return dst;
}

cv::Mat Reference(const cv::Mat& src, int k, uint32_t sigma_milli)
{
    cv::Mat dst;
    // BORDER_ISOLATED keeps OpenCV on its bit-exact path for ROIs as well.
    cv::GaussianBlur(src, dst, cv::Size(k, k), sigma_milli / 1000.0, 0, cv::BORDER_REFLECT_101 | cv::BORDER_ISOLATED);
    return dst;
}

TEST(GaussianTests, KnownRamp)
{
    // environment.md: 8x8 ramp (x*37 + y*11) & 255, 5x5 sigma 0, row 3.
    cv::Mat src(8, 8, CV_8UC1);
    for (int y = 0; y < 8; ++y) {
        for (int x = 0; x < 8; ++x) src.at<uint8_t>(y, x) = static_cast<uint8_t>((x * 37 + y * 11) & 255);
    }
    ThreadPool pool{1};
    const cv::Mat dst{Ours(src, 5, 0, pool)};
    const uint8_t want[8]{61, 75, 107, 144, 176, 182, 151, 128};
    for (int x = 0; x < 8; ++x) EXPECT_EQ(dst.at<uint8_t>(3, x), want[x]) << x;
}

TEST(GaussianTests, ExhaustiveSmallImages)
{
    std::mt19937 rng{1};
    ThreadPool pool{1};
    std::vector<uint32_t> sigmas{0, 1, 77, 333, 1234, 3333};
    for (uint32_t s = 250; s <= MAX_GAUSS_SIGMA_MILLI; s += 250) sigmas.push_back(s);
    for (int h = 1; h <= 9; ++h) {
        for (int w = 1; w <= 9; ++w) {
            for (int cn : {1, 3}) {
                const cv::Mat src{test::BlockyMat(rng, w, h, cn)};
                for (int k = MIN_GAUSS_KSIZE; k <= MAX_GAUSS_KSIZE; k += 2) {
                    for (uint32_t s : sigmas) {
                        const std::string diff{FirstDifference(Ours(src, k, s, pool), Reference(src, k, s))};
                        ASSERT_EQ(diff, "") << w << "x" << h << "x" << cn << " K=" << k << " S=" << s;
                    }
                }
            }
        }
    }
}

TEST(GaussianTests, ManySigmasMidSize)
{
    std::mt19937 rng{2};
    ThreadPool pool{1};
    const cv::Mat src{test::RandomMat(rng, 23, 17, 1)};
    for (int k = MIN_GAUSS_KSIZE; k <= MAX_GAUSS_KSIZE; k += 2) {
        for (uint32_t s = 0; s <= MAX_GAUSS_SIGMA_MILLI; s += 97) {
            ASSERT_EQ(FirstDifference(Ours(src, k, s, pool), Reference(src, k, s)), "") << "K=" << k << " S=" << s;
        }
    }
}

TEST(GaussianTests, LargeImages)
{
    std::mt19937 rng{3};
    ThreadPool pool{3};
    for (int cn : {1, 3}) {
        const cv::Mat src{test::RandomMat(rng, 1920, 1080, cn)};
        for (const auto& [k, s] : {std::pair{5, 0u}, std::pair{15, 2500u}}) {
            ASSERT_EQ(FirstDifference(Ours(src, k, s, pool), Reference(src, k, s)), "") << cn << " K=" << k;
        }
    }
}

TEST(GaussianTests, ViewsIntoLargerImages)
{
    std::mt19937 rng{4};
    ThreadPool pool{2};
    for (int cn : {1, 3}) {
        for (const auto& [w, h] : {std::pair{1, 7}, std::pair{7, 1}, std::pair{31, 29}, std::pair{200, 150}}) {
            const cv::Mat content{test::RandomMat(rng, w, h, cn)};
            const test::EmbeddedImage e{test::Embed(rng, content)};
            cv::Mat out_canvas{test::RandomMat(rng, w + 5, h + 3, cn)};
            cv::Mat out{out_canvas(cv::Rect(4, 1, w, h))};
            ASSERT_TRUE(GaussianBlur(ViewOf(e.roi), MutableViewOf(out), 7, 1500, pool));
            ASSERT_EQ(FirstDifference(out, Reference(content, 7, 1500)), "") << w << "x" << h;
        }
    }
}

TEST(GaussianTests, ThreadCountDoesNotMatter)
{
    std::mt19937 rng{5};
    const cv::Mat src{test::RandomMat(rng, 333, 401, 3)};
    ThreadPool one{1};
    ThreadPool four{4};
    ASSERT_EQ(FirstDifference(Ours(src, 9, 1700, one), Ours(src, 9, 1700, four)), "");
}

TEST(GaussianTests, RejectsBadArguments)
{
    ThreadPool pool{1};
    cv::Mat src(4, 4, CV_8UC1, cv::Scalar(1));
    cv::Mat dst(4, 4, CV_8UC1);
    cv::Mat wrong(4, 5, CV_8UC1);
    EXPECT_FALSE(GaussianBlur(ViewOf(src), MutableViewOf(dst), 4, 0, pool));
    EXPECT_FALSE(GaussianBlur(ViewOf(src), MutableViewOf(dst), 1, 0, pool));
    EXPECT_FALSE(GaussianBlur(ViewOf(src), MutableViewOf(dst), 17, 0, pool));
    EXPECT_FALSE(GaussianBlur(ViewOf(src), MutableViewOf(dst), 3, MAX_GAUSS_SIGMA_MILLI + 1, pool));
    EXPECT_FALSE(GaussianBlur(ViewOf(src), MutableViewOf(wrong), 3, 0, pool));
    EXPECT_FALSE(GaussianBlur(ViewOf(src), MutableViewOf(src), 3, 0, pool));  // in place
}

}  // namespace
}  // namespace hpips
