// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/pipeline.h"

#include "light_test_util.h"

#include <opencv2/imgproc.hpp>

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>

namespace hpips {
namespace {

using test::FirstDifference;
using test::ViewOf;

TEST(PipelineTests, ParsesEveryOp)
{
    const auto p{ParsePipeline("gray,gauss:5:0,sobelmag,resize:640:480,threshold:128:255:binary_inv,erode:3,dilate:15,box:7")};
    ASSERT_TRUE(p) << p.error_message();
    ASSERT_EQ(p->ops.size(), 8U);
    EXPECT_EQ(p->ops[0].kind, LightOpKind::GRAY);
    EXPECT_EQ(p->ops[1], (LightOp{LightOpKind::GAUSS, 5, 0, ThresholdMode::BINARY}));
    EXPECT_EQ(p->ops[3], (LightOp{LightOpKind::RESIZE, 640, 480, ThresholdMode::BINARY}));
    EXPECT_EQ(p->ops[4], (LightOp{LightOpKind::THRESHOLD, 128, 255, ThresholdMode::BINARY_INV}));
    EXPECT_EQ(p->ops[6], (LightOp{LightOpKind::DILATE, 15, 0, ThresholdMode::BINARY}));
    EXPECT_EQ(FormatPipeline(*p), "gray,gauss:5:0,sobelmag,resize:640:480,threshold:128:255:binary_inv,erode:3,dilate:15,box:7");
}

TEST(PipelineTests, FormatRoundTrips)
{
    for (const char* spec : {"gray", "gauss:15:10000", "resize:1:16384", "threshold:0:0:tozero_inv", "box:3,box:3"}) {
        const auto p{ParsePipeline(spec)};
        ASSERT_TRUE(p) << spec;
        EXPECT_EQ(FormatPipeline(*p), spec);
        EXPECT_EQ(*ParsePipeline(FormatPipeline(*p)), *p);
    }
}

TEST(PipelineTests, RejectsBadSpecs)
{
    const char* bad[]{
        "",
        ",",
        "gray,",
        ",gray",
        "grey",
        "GRAY",
        " gray",
        "gray ",
        "gauss",
        "gauss:5",
        "gauss:5:0:1",
        "gauss:4:0",
        "gauss:1:0",
        "gauss:17:0",
        "gauss:5:10001",
        "gauss:+5:0",
        "gauss:-5:0",
        "gauss:05:0",
        "gauss:5:00",
        "gauss:5: 0",
        "gauss:5:0x10",
        "gauss:5:1e3",
        "gauss:5:99999999999999999999",
        "resize:0:10",
        "resize:10:16385",
        "resize:10",
        "threshold:256:0:binary",
        "threshold:0:256:binary",
        "threshold:1:1",
        "threshold:1:1:otsu",
        "threshold:1:1:binary:1",
        "erode:2",
        "dilate:17",
        "box:0",
        "box",
        "sobelmag:3",
        "gray:1",
        "gray,,gray",
    };
    for (const char* spec : bad) {
        const auto p{ParsePipeline(spec)};
        EXPECT_FALSE(p) << "accepted '" << spec << "'";
    }
}

TEST(PipelineTests, LengthLimits)
{
    std::string spec{"gray"};
    for (size_t i = 1; i < MAX_PIPELINE_OPS; ++i) spec += ",box:3";
    EXPECT_TRUE(ParsePipeline(spec));
    EXPECT_FALSE(ParsePipeline(spec + ",box:3"));
    EXPECT_FALSE(ParsePipeline(std::string(MAX_PIPELINE_SPEC_LENGTH + 1, 'g')));
}

TEST(PipelineTests, OutputShape)
{
    const auto p{ParsePipeline("gauss:3:0,gray,resize:100:50")};
    ASSERT_TRUE(p);
    const auto shape{PipelineOutputShape(*p, ImageShape{640, 480, 3})};
    ASSERT_TRUE(shape);
    EXPECT_EQ(*shape, (ImageShape{100, 50, 1}));
    EXPECT_FALSE(PipelineOutputShape(*p, ImageShape{640, 480, 1}));  // gray needs BGR
    const auto big{ParsePipeline("resize:16384:16384")};
    ASSERT_TRUE(big);
    EXPECT_FALSE(PipelineOutputShape(*big, ImageShape{10, 10, 1}));  // over MAX_IMAGE_PIXELS
}

TEST(PipelineTests, RunMatchesOpenCvChain)
{
    std::mt19937 rng{91};
    const cv::Mat src{test::RandomMat(rng, 321, 245, 3)};
    const auto p{ParsePipeline("gauss:5:1200,gray,resize:200:150,box:3,sobelmag,threshold:40:255:binary,dilate:3,erode:5")};
    ASSERT_TRUE(p);
    ThreadPool pool{2};
    const auto out{RunPipeline(*p, ViewOf(src), pool)};
    ASSERT_TRUE(out) << out.error_message();

    cv::Mat ref;
    cv::GaussianBlur(src, ref, cv::Size(5, 5), 1.2, 0, cv::BORDER_REFLECT_101);
    cv::cvtColor(ref, ref, cv::COLOR_BGR2GRAY);
    cv::resize(ref, ref, cv::Size(200, 150), 0, 0, cv::INTER_LINEAR_EXACT);
    cv::blur(ref, ref, cv::Size(3, 3));
    cv::Mat gx;
    cv::Mat gy;
    cv::Sobel(ref, gx, CV_16S, 1, 0, 3);
    cv::Sobel(ref, gy, CV_16S, 0, 1, 3);
    cv::Mat mag(ref.size(), CV_8UC1);
    for (int y = 0; y < ref.rows; ++y) {
        for (int x = 0; x < ref.cols; ++x) {
            mag.at<uint8_t>(y, x) = cv::saturate_cast<uint8_t>(std::abs(gx.at<int16_t>(y, x)) + std::abs(gy.at<int16_t>(y, x)));
        }
    }
    cv::threshold(mag, ref, 40, 255, cv::THRESH_BINARY);
    cv::dilate(ref, ref, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(3, 3)));
    cv::erode(ref, ref, cv::getStructuringElement(cv::MORPH_RECT, cv::Size(5, 5)));

    const cv::Mat got(out->Height(), out->Width(), CV_8UC(out->Channels()), const_cast<uint8_t*>(out->Data()));
    EXPECT_EQ(FirstDifference(got, ref), "");
}

TEST(PipelineTests, ThreadCountAndChunkingDoNotMatter)
{
    // Heights and pool sizes that move chunk boundaries around; every op.
    std::mt19937 rng{92};
    const auto p{ParsePipeline("gauss:15:2700,sobelmag,box:15,erode:13,dilate:15,resize:301:203,threshold:77:201:tozero")};
    ASSERT_TRUE(p);
    for (int h : {97, 301, 1024}) {
        const cv::Mat src{test::RandomMat(rng, 333, h, 3)};
        ThreadPool one{1};
        const auto want{RunPipeline(*p, ViewOf(src), one)};
        ASSERT_TRUE(want);
        for (size_t threads : {2, 3, 4, 7}) {
            ThreadPool pool{threads};
            const auto got{RunPipeline(*p, ViewOf(src), pool)};
            ASSERT_TRUE(got);
            ASSERT_EQ(std::memcmp(got->Data(), want->Data(), static_cast<size_t>(want->Width()) * want->Height() * want->Channels()), 0)
                << "h=" << h << " threads=" << threads;
        }
    }
}

TEST(PipelineTests, RunRejectsBeforeWork)
{
    cv::Mat gray(10, 10, CV_8UC1, cv::Scalar(5));
    ThreadPool pool{1};
    const auto p{ParsePipeline("box:3,gray")};
    ASSERT_TRUE(p);
    const auto out{RunPipeline(*p, ViewOf(gray), pool)};
    EXPECT_FALSE(out);
    const auto empty{RunPipeline(Pipeline{}, ViewOf(gray), pool)};
    ASSERT_TRUE(empty);
    EXPECT_EQ(empty->Width(), 10);
}

}  // namespace
}  // namespace hpips
