// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/conv.h>
#include <pouw/job_conv_light.h>
#include <pouw/job_fraud.h>
#include <primitives/merkle.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <span>
#include <vector>

namespace hpips::pouw {
namespace {

struct Layer {
    HeavyJob job;
    std::vector<int8_t> input;
    std::vector<int8_t> weights;
    std::vector<int32_t> biases;
};

Layer RgbLayer(uint32_t h, uint32_t w, uint32_t stride, uint32_t pad, bool pool)
{
    Layer l;
    HeavyJob& j{l.job};
    j.in_h = h;
    j.in_w = w;
    j.in_c = 3;
    j.out_channels = 6;
    j.kernel_h = j.kernel_w = 3;  // k = 27: not ticketable on main chains
    j.stride_h = j.stride_w = stride;
    j.pad_h = j.pad_w = pad;
    j.input_zero_point = -9;
    j.requant_multiplier = 1 << 30;
    j.requant_shift = 6;
    j.output_zero_point = -4;
    j.relu = true;
    j.maxpool = pool;
    l.input = test::RandomValues(size_t{h} * w * 3, h * 7 + w);
    l.weights = test::RandomValues(27 * 6, 99);
    for (int c = 0; c < 6; ++c) l.biases.push_back(c * 1500 - 4000);
    return l;
}

/** The whole layer by kernels' reference loops, + bias. */
Int8Tensor Whole(const Layer& l)
{
    Int8Tensor input{l.job.in_h, l.job.in_w, l.job.in_c};
    input.data = l.input;
    const ConvWeights w{l.job.kernel_h, l.job.kernel_w, l.job.in_c, l.job.out_channels, l.weights};
    const Conv2dParams p{l.job.stride_h, l.job.stride_w, l.job.pad_h, l.job.pad_w, l.job.input_zero_point};
    auto acc{*Conv2dAccumulateReference(input, w, p)};
    for (size_t i = 0; i < acc.data.size(); ++i) acc.data[i] += l.biases[i % l.job.out_channels];
    const RequantParams rq{l.job.requant_multiplier, l.job.requant_shift, l.job.output_zero_point,
                           l.job.clamp_min,          l.job.clamp_max,     l.job.relu};
    return *ApplyOutputStage(acc, {rq, l.job.maxpool});
}

std::span<const int8_t> InputRows(const Layer& l, RowRange r)
{
    const size_t row_bytes{size_t{l.job.in_w} * l.job.in_c};
    return std::span<const int8_t>{l.input}.subspan(r.begin * row_bytes, r.Count() * row_bytes);
}

std::vector<int8_t> FinalRows(const Int8Tensor& t, RowRange r)
{
    const size_t row{t.width * t.channels};
    return {t.data.begin() + r.begin * row, t.data.begin() + r.end * row};
}

void CheckLayer(const Layer& l)
{
    SCOPED_TRACE(std::to_string(l.job.in_h) + "x" + std::to_string(l.job.in_w) + " s" + std::to_string(l.job.stride_h) +
                 " p" + std::to_string(l.job.pad_h) + (l.job.maxpool ? " pool" : ""));
    const auto plan{PlanConvLight(l.job)};
    ASSERT_TRUE(plan) << plan.error().message;
    const Int8Tensor whole{Whole(l)};
    ASSERT_EQ(whole.height, plan->final_h);
    ASSERT_EQ(whole.width, plan->final_w);
    for (uint32_t unit = 0; unit < plan->UnitCount(); ++unit) {
        const LightGroup g{PlaceConvLightUnit(l.job, *plan, unit)};
        const auto rows{ComputeConvRows(l.job, *plan, InputRows(l, g.in), g.in.begin, l.weights, l.biases, g.out)};
        ASSERT_TRUE(rows) << rows.error().message;
        EXPECT_EQ(rows->data, FinalRows(whole, g.out)) << "unit " << unit;
    }
    for (const uint32_t y : {0u, 1u, 63u, 64u, plan->final_h / 2, plan->final_h - 1}) {
        if (y >= plan->final_h) continue;
        const RowRange need{ConvInputRowsFor(l.job, {y, y + 1})};
        const auto row{ComputeConvRows(l.job, *plan, InputRows(l, need), need.begin, l.weights, l.biases, {y, y + 1})};
        ASSERT_TRUE(row) << row.error().message;
        EXPECT_EQ(row->data, FinalRows(whole, {y, y + 1})) << "row " << y;
    }
}

TEST(PouwJobConvLight, RowsEqualWholeLayer)
{
    for (const uint32_t h : {3u, 8u, 70u, 141u}) {
        CheckLayer(RgbLayer(h, 11, 1, 1, false));
        CheckLayer(RgbLayer(h, 11, 1, 1, true));
        CheckLayer(RgbLayer(h, 13, 2, 1, true));
        CheckLayer(RgbLayer(h, 9, 2, 0, false));
    }
    CheckLayer(RgbLayer(200, 7, 3, 2, false));  // stride larger than the kernel skips input rows
}

TEST(PouwJobConvLight, Placement)
{
    const Layer l{RgbLayer(141, 11, 1, 1, true)};  // 141 conv rows → 70 final rows
    const auto plan{*PlanConvLight(l.job)};
    EXPECT_EQ(plan.final_h, 70u);
    EXPECT_EQ(plan.UnitCount(), 2u);
    const LightGroup g{PlaceConvLightUnit(l.job, plan, 1)};
    EXPECT_EQ(g.out, (RowRange{64, 70}));
    EXPECT_EQ(g.in, (RowRange{127, 141}));  // conv rows 128..139 read 127..140
    EXPECT_EQ(PlaceConvLightUnit(l.job, plan, 0).in, (RowRange{0, 129}));
}

TEST(PouwJobConvLight, Bounds)
{
    Layer l{RgbLayer(8, 8, 1, 0, false)};
    // One final row: out_w·n·k MACs. 1×1 kernel: k = in_c.
    l.job.kernel_h = l.job.kernel_w = 1;
    l.job.in_w = 8192;
    l.job.out_channels = 4096;
    l.job.in_c = 2;  // 8192·4096·2 = 2^26: at the bound
    EXPECT_TRUE(PlanConvLight(l.job));
    l.job.in_c = 3;
    EXPECT_EQ(PlanConvLight(l.job).error().message, "light: row check too large");
    // Input rows of one final row: 3 rows of in_w·in_c bytes.
    Layer wide{RgbLayer(8, 8, 1, 0, false)};
    wide.job.out_channels = 1;
    wide.job.in_w = 8192;
    wide.job.in_c = 42;  // 3·8192·42 < 2^20
    EXPECT_TRUE(PlanConvLight(wide.job));
    wide.job.in_c = 43;  // 3·8192·43 > 2^20
    EXPECT_EQ(PlanConvLight(wide.job).error().message, "light: row check too large");
    Layer tall{RgbLayer(8, 1, 1, 0, false)};
    tall.job.kernel_w = 1;
    tall.job.in_h = 8192;
    EXPECT_TRUE(PlanConvLight(tall.job));  // 8190 rows: 128 units
}

TEST(PouwJobConvLight, RefusesMissingRows)
{
    const Layer l{RgbLayer(40, 11, 1, 1, false)};
    const auto plan{*PlanConvLight(l.job)};
    const RowRange need{ConvInputRowsFor(l.job, {10, 20})};
    EXPECT_EQ(need, (RowRange{9, 21}));
    EXPECT_TRUE(ComputeConvRows(l.job, plan, InputRows(l, need), 9, l.weights, l.biases, {10, 20}));
    EXPECT_FALSE(ComputeConvRows(l.job, plan, InputRows(l, {10, 21}), 10, l.weights, l.biases, {10, 20}));
    EXPECT_FALSE(ComputeConvRows(l.job, plan, InputRows(l, {9, 20}), 9, l.weights, l.biases, {10, 20}));
    EXPECT_FALSE(ComputeConvRows(l.job, plan, InputRows(l, need), 9, l.weights, l.biases, {10, 10}));
    EXPECT_FALSE(ComputeConvRows(l.job, plan, InputRows(l, need), 9, l.weights, {}, {10, 20}));
    EXPECT_FALSE(ComputeConvRows(l.job, plan, InputRows(l, need).first(5), 9, l.weights, l.biases, {10, 20}));
}

// ---- fraud proofs on conv rows ----

MerkleProof RowsProof(std::string_view domain_name, std::span<const int8_t> rows, size_t row_bytes, uint32_t index)
{
    const MerkleDomain domain{domain_name};
    std::vector<uint256> leaves;
    const auto* bytes{reinterpret_cast<const uint8_t*>(rows.data())};
    for (size_t off = 0; off < rows.size(); off += row_bytes) leaves.push_back(domain.HashLeaf({bytes + off, row_bytes}));
    return *BuildMerkleProof(domain, leaves, index);
}

TEST(PouwJobConvLight, FraudVerdicts)
{
    const Layer l{RgbLayer(141, 11, 1, 1, true)};
    const auto plan{*PlanConvLight(l.job)};
    const uint32_t unit{1};
    const LightGroup g{PlaceConvLightUnit(l.job, plan, unit)};
    const size_t in_bytes{size_t{l.job.in_w} * 3};
    const auto unit_in{InputRows(l, g.in)};
    const uint256 input_root{*Int8RowsRoot(LIGHT_INPUT_DOMAIN, unit_in, in_bytes)};
    auto result{ComputeConvRows(l.job, plan, unit_in, g.in.begin, l.weights, l.biases, g.out)->data};
    const size_t out_bytes{size_t{plan.final_w} * 6};
    result[2 * out_bytes + 1] ^= 0x10;  // row 66 is wrong
    const uint256 result_root{*Int8RowsRoot(LIGHT_RESULT_DOMAIN, result, out_bytes)};
    const auto proof_for{[&](uint32_t row) {
        ConvRowFraudProof p;
        p.row = row;
        const RowRange need{ConvInputRowsFor(l.job, {row, row + 1})};
        for (uint32_t r = need.begin; r < need.end; ++r) {
            const auto bytes{InputRows(l, {r, r + 1})};
            p.input_rows.insert(p.input_rows.end(), bytes.begin(), bytes.end());
            p.input_proofs.push_back(RowsProof(LIGHT_INPUT_DOMAIN, unit_in, in_bytes, r - g.in.begin));
        }
        const uint32_t local{row - g.out.begin};
        p.claimed_row.assign(result.begin() + local * out_bytes, result.begin() + (local + 1) * out_bytes);
        p.row_proof = RowsProof(LIGHT_RESULT_DOMAIN, result, out_bytes, local);
        return p;
    }};
    const auto check{[&](const ConvRowFraudProof& p) {
        return CheckConvRowFraud(l.job, plan, unit, l.weights, l.biases, input_root, result_root, p);
    }};
    EXPECT_EQ(check(proof_for(66)), FraudVerdict::WRONG);
    EXPECT_EQ(check(proof_for(65)), FraudVerdict::CORRECT);
    EXPECT_EQ(check(proof_for(69)), FraudVerdict::CORRECT);
    auto p{proof_for(66)};
    p.input_rows.push_back(0);
    EXPECT_EQ(check(p), FraudVerdict::MALFORMED);
    p = proof_for(66);
    p.input_rows[3] ^= 1;
    EXPECT_EQ(check(p), FraudVerdict::MALFORMED);
    p = proof_for(66);
    p.claimed_row[0] ^= 1;
    EXPECT_EQ(check(p), FraudVerdict::MALFORMED);
    p = proof_for(66);
    p.row = 63;
    EXPECT_EQ(check(p), FraudVerdict::MALFORMED);
    p.input_rows.assign(MAX_LIGHT_ROW_CHECK_BYTES + 1, 0);  // one over the bound
    EXPECT_EQ(check(p), FraudVerdict::MALFORMED);
    EXPECT_EQ(check(ConvRowFraudProof{}), FraudVerdict::MALFORMED);
    EXPECT_EQ(CheckConvRowFraud(l.job, plan, unit, l.weights, {}, input_root, result_root, proof_for(66)),
              FraudVerdict::MALFORMED);
    EXPECT_EQ(CheckConvRowFraud(l.job, plan, 2, l.weights, l.biases, input_root, result_root, proof_for(66)),
              FraudVerdict::MALFORMED);
}

}  // namespace
}  // namespace hpips::pouw
