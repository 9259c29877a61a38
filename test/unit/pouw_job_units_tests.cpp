// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/conv.h>
#include <pouw/job_units.h>
#include <primitives/merkle.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

namespace hpips::pouw {
namespace {

struct Layer {
    HeavyJob job;
    std::vector<int8_t> input;
    std::vector<int8_t> weights;
    std::vector<int32_t> biases;
};

Layer MakeLayer(const HeavyJob& job, uint32_t salt, bool with_bias)
{
    Layer l{job, {}, {}, {}};
    const size_t k{size_t{job.kernel_h} * job.kernel_w * job.in_c};
    l.input = test::RandomValues(size_t{job.in_h} * job.in_w * job.in_c, salt);
    l.weights = test::RandomValues(k * job.out_channels, salt + 1);
    l.biases.assign(job.out_channels, 0);
    if (with_bias) {
        for (size_t c = 0; c < l.biases.size(); ++c) l.biases[c] = static_cast<int32_t>(c * 977 % 20001) - 10000;
    }
    return l;
}

HeavyJob BaseJob(uint32_t h, uint32_t w, uint32_t cin, uint32_t cout, uint32_t kernel)
{
    HeavyJob j;
    j.in_h = h;
    j.in_w = w;
    j.in_c = cin;
    j.out_channels = cout;
    j.kernel_h = j.kernel_w = kernel;
    j.requant_multiplier = 1 << 30;
    j.requant_shift = 9;
    j.output_zero_point = 3;
    j.input_zero_point = -5;
    return j;
}

/** The layer by kernels' reference: accumulate, + bias, output stage. */
Int8Tensor Reference(const Layer& l)
{
    Int8Tensor input{l.job.in_h, l.job.in_w, l.job.in_c};
    input.data = l.input;
    ConvWeights w{l.job.kernel_h, l.job.kernel_w, l.job.in_c, l.job.out_channels, l.weights};
    const Conv2dParams params{l.job.stride_h, l.job.stride_w, l.job.pad_h, l.job.pad_w, l.job.input_zero_point};
    const ConvOutputStage stage{RequantParams{l.job.requant_multiplier, l.job.requant_shift, l.job.output_zero_point,
                                              l.job.clamp_min, l.job.clamp_max, l.job.relu},
                                l.job.maxpool};
    bool zero_bias{true};
    for (const int32_t b : l.biases) zero_bias = zero_bias && b == 0;
    if (zero_bias) return *Conv2dReference(input, w, params, stage);
    auto acc{*Conv2dAccumulateReference(input, w, params)};
    for (size_t i = 0; i < acc.data.size(); ++i) acc.data[i] += l.biases[i % l.job.out_channels];
    return *ApplyOutputStage(acc, stage);
}

/** Builds every unit, multiplies it, assembles, and compares with the reference. */
void CheckLayer(const Layer& l, const ShapeRules& rules)
{
    const auto plan{PlanHeavyJob(l.job, rules)};
    ASSERT_TRUE(plan) << plan.error().message;
    std::vector<std::vector<int32_t>> blocks;
    for (uint32_t region = 0; region < plan->UnitCount(); ++region) {
        const UnitData data{BuildUnitData(l.job, *plan, region, l.input, l.weights, rules)};
        ASSERT_TRUE(rules.IsAllowed(data.shape)) << data.shape.m << "x" << data.shape.n << "x" << data.shape.k;
        ASSERT_TRUE(CheckUnitData(data));
        blocks.push_back(test::PlainGemm(data));
    }
    const auto out{AssembleHeavyOutput(l.job, *plan, blocks, l.weights, l.biases, rules)};
    ASSERT_TRUE(out) << out.error().message;
    const Int8Tensor ref{Reference(l)};
    EXPECT_EQ(out->height, ref.height);
    EXPECT_EQ(out->width, ref.width);
    EXPECT_EQ(out->channels, ref.channels);
    EXPECT_EQ(out->data, ref.data);
}

TEST(PouwJobUnits, PaddedKAndTicketability)
{
    const auto main{ShapeRules::Main()}, reg{ShapeRules::Regtest()};
    EXPECT_EQ(PaddedK(27, reg), 64u);
    EXPECT_EQ(PaddedK(65, reg), 128u);
    EXPECT_EQ(PaddedK(129, reg), 512u);
    EXPECT_EQ(PaddedK(576, main), 576u);
    EXPECT_EQ(PaddedK(577, main), 640u);
    EXPECT_EQ(PaddedK(4096, main), 4096u);
    EXPECT_EQ(PaddedK(4097, main), 0u);
    EXPECT_FALSE(IsTicketable(27, main));  // RGB 3×3: a light stage on main chains
    EXPECT_FALSE(IsTicketable(448, main));
    EXPECT_TRUE(IsTicketable(449, main));
    EXPECT_TRUE(IsTicketable(27, reg));
    EXPECT_FALSE(IsTicketable(0, reg));
    EXPECT_FALSE(IsTicketable(4097, reg));
    HeavyJob rgb{BaseJob(32, 32, 3, 64, 3)};
    const auto plan{PlanHeavyJob(rgb, main)};
    ASSERT_FALSE(plan);
    EXPECT_EQ(plan.error().message, "job: not-ticketable");
}

TEST(PouwJobUnits, SplitRegionsAndShapes)
{
    // m = 50·50 = 2500 (2048 + 452 → 1024), n = 300 (256 + 44 → 64), k = 72 → 128.
    const HeavyJob job{BaseJob(50, 50, 8, 300, 3)};
    const auto reg{ShapeRules::Regtest()};
    const auto plan{*PlanHeavyJob(job, reg)};
    EXPECT_EQ(plan.m, 2304u);  // 48 × 48 without padding
    EXPECT_EQ(plan.m_parts, 2u);
    EXPECT_EQ(plan.n_parts, 2u);
    const UnitPlacement last{PlaceUnit(plan, 3, reg)};
    EXPECT_EQ(last.row_begin, 2048u);
    EXPECT_EQ(last.rows, 256u);
    EXPECT_EQ(last.col_begin, 256u);
    EXPECT_EQ(last.cols, 44u);
    EXPECT_EQ(last.shape, (UnitShape{1024, 64, 128}));
    EXPECT_EQ(PlaceUnit(plan, 0, reg).shape, (UnitShape{2048, 256, 128}));
    EXPECT_EQ(PlaceUnit(plan, 1, reg).shape, (UnitShape{2048, 64, 128}));
}

TEST(PouwJobUnits, AssemblyMatchesReferenceSmall)
{
    const auto reg{ShapeRules::Regtest()};
    CheckLayer(MakeLayer(BaseJob(7, 9, 3, 5, 3), 1, false), reg);  // odd sizes, k = 27
    HeavyJob padded{BaseJob(11, 13, 4, 70, 5)};
    padded.pad_h = 2;
    padded.pad_w = 1;
    padded.stride_h = 2;
    padded.stride_w = 3;
    CheckLayer(MakeLayer(padded, 2, true), reg);  // padding, strides, bias, n = 70
    HeavyJob relu_pool{BaseJob(15, 17, 2, 9, 3)};
    relu_pool.pad_h = relu_pool.pad_w = 1;
    relu_pool.relu = true;
    relu_pool.maxpool = true;
    relu_pool.clamp_min = -100;
    relu_pool.clamp_max = 100;
    CheckLayer(MakeLayer(relu_pool, 3, true), reg);  // relu, odd max-pool, clamp
}

TEST(PouwJobUnits, AssemblyMatchesReferenceManyParts)
{
    // m = 2304 (two m parts, the last padded), n = 300 > 256 (two n parts), pad.
    HeavyJob job{BaseJob(48, 48, 8, 300, 3)};
    job.pad_h = job.pad_w = 1;
    job.input_zero_point = 7;
    job.relu = true;
    job.maxpool = true;
    CheckLayer(MakeLayer(job, 4, true), ShapeRules::Regtest());
}

TEST(PouwJobUnits, AssemblyMatchesReferenceMainRules)
{
    // k = 3·3·64 = 576 (ticketable on main), m = 10·10 → 1024.
    HeavyJob job{BaseJob(10, 10, 64, 64, 3)};
    job.pad_h = job.pad_w = 1;
    CheckLayer(MakeLayer(job, 5, false), ShapeRules::Main());
}

TEST(PouwJobUnits, DescriptorsAndUnitsRoot)
{
    const HeavyJob job{BaseJob(9, 9, 8, 300, 3)};  // two n parts
    const Layer l{MakeLayer(job, 6, false)};
    const auto reg{ShapeRules::Regtest()};
    const auto plan{*PlanHeavyJob(job, reg)};
    const uint256 job_id{test::TestSeed(9)};
    std::vector<std::vector<uint8_t>> leaves;
    for (uint32_t region = 0; region < plan.UnitCount(); ++region) {
        const UnitData data{BuildUnitData(job, plan, region, l.input, l.weights, reg)};
        const UnitDescriptor d{MakeJobUnitDescriptor(job, job_id, region, data)};
        EXPECT_TRUE(ValidateDescriptor(d, reg));
        EXPECT_EQ(d.region, region);
        EXPECT_EQ(d.job_id, job_id);
        EXPECT_EQ(d.input_zero_point, job.input_zero_point);
        EXPECT_EQ(d.a_root, ComputeARoot(data));
        leaves.push_back(HeavyUnitLeaf(d.a_root, d.b_root));
        EXPECT_EQ(leaves.back().size(), 64u);
    }
    const MerkleDomain domain{JOB_UNITS_DOMAIN};
    std::vector<uint256> hashes;
    for (const auto& leaf : leaves) hashes.push_back(domain.HashLeaf(leaf));
    EXPECT_EQ(*ComputeUnitsRoot(leaves), *ComputeMerkleRoot(domain, hashes));
    EXPECT_FALSE(ComputeUnitsRoot({}));
    std::swap(leaves[0], leaves[1]);
    ASSERT_EQ(leaves.size(), 2u);
    ASSERT_NE(leaves[0], leaves[1]);
    EXPECT_NE(*ComputeUnitsRoot(leaves), *ComputeMerkleRoot(domain, hashes));
}

TEST(PouwJobUnits, InputRangeRule)
{
    HeavyJob job{BaseJob(4, 4, 1, 1, 3)};
    std::vector<int8_t> input(16, 112), weights(9, -112);
    EXPECT_TRUE(CheckHeavyInputRange(job, input, weights));
    input[5] = 113;  // one over
    EXPECT_EQ(CheckHeavyInputRange(job, input, weights).error().message, "input-out-of-range: input");
    input[5] = -112;
    weights[8] = -113;
    EXPECT_EQ(CheckHeavyInputRange(job, input, weights).error().message, "input-out-of-range: weights");
    weights[8] = 0;
    job.input_zero_point = -128;  // no padding: the zero point never enters A
    EXPECT_TRUE(CheckHeavyInputRange(job, input, weights));
    job.pad_w = 1;
    EXPECT_EQ(CheckHeavyInputRange(job, input, weights).error().message, "input-out-of-range: input zero point");
    job.input_zero_point = 112;
    EXPECT_TRUE(CheckHeavyInputRange(job, input, weights));
    input.push_back(0);  // one value more than the layer has
    EXPECT_EQ(CheckHeavyInputRange(job, input, weights).error().message, "job: data size does not match the layer");
    input.pop_back();
    weights.pop_back();
    EXPECT_FALSE(CheckHeavyInputRange(job, input, weights));
}

TEST(PouwJobUnits, PlanBounds)
{
    const auto reg{ShapeRules::Regtest()};
    // m = 4096·2048 rows, n = 1: exactly MAX_HEAVY_JOB_UNITS m parts; one more row of output is over.
    HeavyJob at{BaseJob(4096, 2048, 1, 1, 1)};
    const auto plan{PlanHeavyJob(at, reg)};
    ASSERT_TRUE(plan);
    EXPECT_EQ(plan->UnitCount(), MAX_HEAVY_JOB_UNITS);
    at.in_h = 4097;
    const auto over{PlanHeavyJob(at, reg)};
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error().message, "job: too many units");
    HeavyJob huge{BaseJob(8192, 8192, 5, 1, 1)};  // 5·2^26 input values > CONV_MAX_ELEMENTS
    EXPECT_EQ(PlanHeavyJob(huge, reg).error().message, "job: layer too large");
    HeavyJob bad{BaseJob(8, 8, 1, 1, 3)};
    bad.pad_h = 3;
    EXPECT_FALSE(PlanHeavyJob(bad, reg));
    bad = BaseJob(8, 8, 1, 1, 3);
    bad.requant_shift = 32;
    EXPECT_FALSE(PlanHeavyJob(bad, reg));
    bad = BaseJob(1, 8, 1, 1, 1);
    bad.maxpool = true;
    EXPECT_FALSE(PlanHeavyJob(bad, reg));
}

}  // namespace
}  // namespace hpips::pouw
