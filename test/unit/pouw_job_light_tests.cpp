// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_light.h>
#include <primitives/merkle.h>

#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <string>
#include <vector>

namespace hpips::pouw {
namespace {

Image RandomFrame(int width, int height, int channels, uint32_t salt)
{
    auto image{*Image::Create(width, height, channels)};
    std::mt19937 rng{salt};
    // Blocks of flat values with noise: edges for sobel, ties for morphology.
    for (size_t i = 0; i < size_t(width) * size_t(height) * size_t(channels); ++i) {
        image.Data()[i] = static_cast<uint8_t>((i / 7 % 3) * 90 + (rng() & 0x1F));
    }
    return image;
}

std::vector<uint8_t> Rows(const ImageView& v, RowRange r)
{
    std::vector<uint8_t> out;
    for (uint32_t y = r.begin; y < r.end; ++y) out.insert(out.end(), v.Row(int(y)), v.Row(int(y)) + v.RowBytes());
    return out;
}

std::vector<uint8_t> Bytes(const Image& image) { return Rows(image.View(), {0, uint32_t(image.Height())}); }

/** Every group and a set of single rows, recomputed from their input rows
 *  alone, equal the rows of the whole-frame pipeline. */
void CheckPipeline(const std::string& spec, int width, int height, int channels)
{
    SCOPED_TRACE(spec + " " + std::to_string(width) + "x" + std::to_string(height) + "x" + std::to_string(channels));
    ThreadPool pool{1};
    const auto pipeline{ParsePipeline(spec)};
    ASSERT_TRUE(pipeline);
    const Image frame{RandomFrame(width, height, channels, uint32_t(height * 131 + width))};
    const auto whole{RunPipeline(*pipeline, frame.View(), pool)};
    ASSERT_TRUE(whole);
    const auto plan{PlanLightJob(*pipeline, ImageShape{width, height, channels}, 2)};
    ASSERT_TRUE(plan) << plan.error().message;
    EXPECT_EQ(plan->UnitCount(), 2 * plan->groups_per_frame);
    for (uint32_t unit = 0; unit < plan->groups_per_frame; ++unit) {
        const LightGroup g{PlaceLightUnit(*plan, unit)};
        const ImageView in{frame.View().Sub(0, int(g.in.begin), width, int(g.in.Count()))};
        const auto rows{ComputeLightRows(*pipeline, *plan, in, g.in.begin, g.out, pool)};
        ASSERT_TRUE(rows) << rows.error().message;
        EXPECT_EQ(Bytes(*rows), Rows(whole->View(), g.out)) << "group " << unit;
    }
    const auto out_h{uint32_t(plan->output.height)};
    for (const uint32_t y : {0u, 1u, plan->halo, 63u, 64u, 65u, out_h / 2, out_h - 2, out_h - 1}) {
        if (y >= out_h) continue;
        const RowRange need{InputRowsFor(*plan, {y, y + 1})};
        const ImageView in{frame.View().Sub(0, int(need.begin), width, int(need.Count()))};
        const auto row{ComputeLightRows(*pipeline, *plan, in, need.begin, {y, y + 1}, pool)};
        ASSERT_TRUE(row) << row.error().message;
        EXPECT_EQ(Bytes(*row), Rows(whole->View(), {y, y + 1})) << "row " << y;
    }
}

TEST(PouwJobLight, HaloPerOp)
{
    EXPECT_EQ(PipelineHalo(*ParsePipeline("gray,gauss:5:0,sobelmag,threshold:9:255:binary")), 3u);
    EXPECT_EQ(PipelineHalo(*ParsePipeline("erode:3,dilate:15,box:7")), 1u + 7u + 3u);
    EXPECT_EQ(PipelineHalo(*ParsePipeline("resize:8:8")), 0u);
}

TEST(PouwJobLight, GroupsEqualWholeFramePipeline)
{
    for (const int height : {1, 5, 64, 130, 200}) {
        CheckPipeline("gray,gauss:5:1200,sobelmag,threshold:40:255:binary", 37, height, 3);
        CheckPipeline("erode:3,dilate:5,box:7", 29, height, 1);
        CheckPipeline("box:15,gauss:15:0,erode:15", 23, height, 3);
        CheckPipeline("gauss:3:0,threshold:100:200:trunc", 40, height, 1);
        CheckPipeline("gray", 17, height, 3);
    }
}

TEST(PouwJobLight, ResizeMakesWholeFrameUnits)
{
    for (const int height : {3, 90}) {
        CheckPipeline("gray,resize:50:30,box:3", 41, height, 3);
        CheckPipeline("box:3,resize:20:200,sobelmag", 33, height, 1);
    }
    const auto plan{*PlanLightJob(*ParsePipeline("box:3,resize:20:200"), {33, 90, 1}, 3)};
    EXPECT_TRUE(plan.whole_frame);
    EXPECT_EQ(plan.UnitCount(), 3u);
    const LightGroup g{PlaceLightUnit(plan, 2)};
    EXPECT_EQ(g.frame, 2u);
    EXPECT_EQ(g.out, (RowRange{0, 200}));
    EXPECT_EQ(g.in, (RowRange{0, 90}));
}

TEST(PouwJobLight, GroupPlacement)
{
    const auto plan{*PlanLightJob(*ParsePipeline("gauss:5:0,box:3"), {10, 130, 1}, 2)};
    EXPECT_EQ(plan.halo, 3u);
    EXPECT_EQ(plan.groups_per_frame, 3u);
    const LightGroup g{PlaceLightUnit(plan, 4)};  // frame 1, group 1
    EXPECT_EQ(g.frame, 1u);
    EXPECT_EQ(g.out, (RowRange{64, 128}));
    EXPECT_EQ(g.in, (RowRange{61, 130}));
    EXPECT_EQ(PlaceLightUnit(plan, 0).in, (RowRange{0, 67}));
    EXPECT_EQ(PlaceLightUnit(plan, 5).out, (RowRange{128, 130}));
}

TEST(PouwJobLight, Bounds)
{
    const auto one_op{*ParsePipeline("gray")};
    // 65536 units is the limit: 1024 frames of 64 groups (4096 rows).
    EXPECT_TRUE(PlanLightJob(one_op, {4, 4096, 3}, 1024));
    EXPECT_EQ(PlanLightJob(one_op, {4, 4096, 3}, 1025).error().message, "light: too many units");
    EXPECT_EQ(PlanLightJob(one_op, {4, 4096, 3}, 0).error().message, "light: no frame");
    // Whole-frame units: the input frame itself is a stage of every row check.
    const auto shrink{*ParsePipeline("resize:16:16")};
    EXPECT_TRUE(PlanLightJob(shrink, {16, 65536, 1}, 1));  // exactly 2^20 bytes
    EXPECT_EQ(PlanLightJob(shrink, {17, 61681, 1}, 1).error().message, "light: row check too large");  // 2^20 + 1
    // Growing by a resize counts too: 1024 × 1025 output bytes.
    EXPECT_FALSE(PlanLightJob(*ParsePipeline("resize:1024:1025"), {8, 8, 1}, 1));
    EXPECT_TRUE(PlanLightJob(*ParsePipeline("resize:1024:1024"), {8, 8, 1}, 1));
    // Halo rows: 2·7 + 1 = 15 rows of 65536 bytes fit, 2·14 + 1 = 29 rows do not.
    EXPECT_TRUE(PlanLightJob(*ParsePipeline("box:15"), {65536, 100, 1}, 1));
    EXPECT_FALSE(PlanLightJob(*ParsePipeline("box:15,box:15"), {65536, 100, 1}, 1));
    EXPECT_FALSE(PlanLightJob(*ParsePipeline("gray"), {4, 4, 1}, 1));  // gray needs 3 channels
}

TEST(PouwJobLight, ComputeRowsRefusesMissingRows)
{
    ThreadPool pool{1};
    const auto pipeline{*ParsePipeline("box:5")};
    const Image frame{RandomFrame(20, 100, 1, 5)};
    const auto plan{*PlanLightJob(pipeline, {20, 100, 1}, 1)};
    const ImageView rows{frame.View().Sub(0, 10, 20, 10)};  // rows 10..19
    EXPECT_TRUE(ComputeLightRows(pipeline, plan, rows, 10, {12, 18}, pool));
    EXPECT_FALSE(ComputeLightRows(pipeline, plan, rows, 10, {11, 18}, pool));  // needs row 9
    EXPECT_FALSE(ComputeLightRows(pipeline, plan, rows, 10, {12, 19}, pool));  // needs row 20
    EXPECT_FALSE(ComputeLightRows(pipeline, plan, rows, 10, {12, 12}, pool));
    EXPECT_FALSE(ComputeLightRows(pipeline, plan, rows, 10, {99, 101}, pool));
    EXPECT_FALSE(ComputeLightRows(pipeline, plan, frame.View().Sub(0, 0, 19, 100), 0, {12, 18}, pool));
}

TEST(PouwJobLight, RowsRoot)
{
    const Image frame{RandomFrame(9, 5, 3, 6)};
    const MerkleDomain domain{LIGHT_RESULT_DOMAIN};
    std::vector<uint256> leaves;
    for (int y = 0; y < 5; ++y) leaves.push_back(domain.HashLeaf({frame.View().Row(y), 27}));
    EXPECT_EQ(*ImageRowsRoot(LIGHT_RESULT_DOMAIN, frame.View()), *ComputeMerkleRoot(domain, leaves));
    EXPECT_NE(*ImageRowsRoot(LIGHT_INPUT_DOMAIN, frame.View()), *ComputeMerkleRoot(domain, leaves));
    EXPECT_FALSE(ImageRowsRoot(LIGHT_RESULT_DOMAIN, frame.View().Sub(0, 0, 9, 0)));
}

}  // namespace
}  // namespace hpips::pouw
