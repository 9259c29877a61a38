// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_fraud.h>
#include <pouw/job_light.h>
#include <pouw/result_check.h>
#include <primitives/merkle.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <cstring>
#include <span>
#include <vector>

namespace hpips::pouw {
namespace {

// ---- GEMM rows ----

struct GemmCase {
    UnitDescriptor descriptor;
    UnitData data;
    std::vector<int32_t> c;
    uint256 result_root;
};

GemmCase MakeGemmCase(const UnitShape& shape, bool corrupt)
{
    GemmCase g;
    g.data = test::RandomUnit(shape, 40);
    g.c = test::PlainGemm(g.data);
    if (corrupt) g.c[size_t{5} * shape.n + 3] += 1;  // row 5 is wrong
    g.descriptor.job_id = test::TestSeed(41);
    g.descriptor.shape = shape;
    g.descriptor.clamp_min = -128;
    g.descriptor.clamp_max = 127;
    g.descriptor.a_root = ComputeARoot(g.data);
    g.descriptor.b_root = ComputeBRoot(g.data);
    g.result_root = *ComputeResultRoot(g.c, shape.m, shape.n);
    return g;
}

GemmRowFraudProof GemmProof(const GemmCase& g, uint32_t row)
{
    const size_t k{g.data.shape.k}, n{g.data.shape.n};
    GemmRowFraudProof p;
    p.row = row;
    p.a_row.assign(g.data.a.begin() + row * k, g.data.a.begin() + (row + 1) * k);
    const MerkleDomain a_domain{UNIT_A_DOMAIN};
    std::vector<uint256> a_leaves;
    for (size_t i = 0; i < g.data.shape.m; ++i) {
        a_leaves.push_back(a_domain.HashLeaf({reinterpret_cast<const uint8_t*>(g.data.a.data()) + i * k, k}));
    }
    p.a_proof = *BuildMerkleProof(a_domain, a_leaves, row);
    p.b = g.data.b;
    p.c_row.assign(g.c.begin() + row * n, g.c.begin() + (row + 1) * n);
    p.c_proof = *BuildResultRowProof(g.c, g.data.shape.m, g.data.shape.n, row);
    return p;
}

TEST(PouwJobFraud, GemmRowVerdicts)
{
    const auto rules{ShapeRules::Regtest()};
    const GemmCase honest{MakeGemmCase({64, 64, 128}, false)};
    EXPECT_EQ(CheckGemmRowFraud(honest.descriptor, rules, honest.result_root, GemmProof(honest, 5)),
              FraudVerdict::CORRECT);
    const GemmCase cheat{MakeGemmCase({64, 64, 128}, true)};
    EXPECT_EQ(CheckGemmRowFraud(cheat.descriptor, rules, cheat.result_root, GemmProof(cheat, 5)), FraudVerdict::WRONG);
    EXPECT_EQ(CheckGemmRowFraud(cheat.descriptor, rules, cheat.result_root, GemmProof(cheat, 6)),
              FraudVerdict::CORRECT);
    // A claimed row that is not the committed one proves nothing.
    auto p{GemmProof(cheat, 5)};
    p.c_row[3] -= 1;
    EXPECT_EQ(CheckGemmRowFraud(cheat.descriptor, rules, cheat.result_root, p), FraudVerdict::MALFORMED);
}

TEST(PouwJobFraud, GemmRowMalformed)
{
    const auto rules{ShapeRules::Regtest()};
    const GemmCase g{MakeGemmCase({64, 64, 128}, true)};
    const GemmRowFraudProof good{GemmProof(g, 5)};
    const auto verdict{[&](const GemmRowFraudProof& p, const UnitDescriptor& d) {
        return CheckGemmRowFraud(d, rules, g.result_root, p);
    }};
    auto p{good};
    p.a_row.push_back(0);  // one over k
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.b.push_back(0);  // one over k·n
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.c_row.push_back(0);  // one over n
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.row = 6;  // proofs are for row 5
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.row = 64;  // past m
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.a_row[0] ^= 1;
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.b[0] ^= 1;
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    p = good;
    p.c_proof.branch.push_back(uint256{});
    EXPECT_EQ(verdict(p, g.descriptor), FraudVerdict::MALFORMED);
    EXPECT_EQ(verdict(GemmRowFraudProof{}, g.descriptor), FraudVerdict::MALFORMED);
    UnitDescriptor d{g.descriptor};
    d.kind = static_cast<uint8_t>(UnitKind::FILLER);
    EXPECT_EQ(verdict(good, d), FraudVerdict::MALFORMED);
    d = g.descriptor;
    d.shape.k = 192;  // not an allowed shape
    EXPECT_EQ(verdict(good, d), FraudVerdict::MALFORMED);
    d = g.descriptor;
    d.shape = {2048, 256, K_REF + K_MULTIPLE};  // one k step over the largest row check
    EXPECT_GT(size_t{d.shape.k} * d.shape.n, MAX_GEMM_ROW_CHECK_MACS);
    EXPECT_EQ(verdict(good, d), FraudVerdict::MALFORMED);
    EXPECT_EQ(CheckGemmRowFraud(g.descriptor, ShapeRules::Main(), g.result_root, good), FraudVerdict::MALFORMED);
}

// ---- light rows ----

struct LightCase {
    Pipeline pipeline;
    LightPlan plan;
    Image frame;
    uint32_t unit{0};
    LightGroup group;
    std::vector<uint8_t> out_rows;  //!< the unit's (claimed) output rows
    uint256 input_root;
    uint256 result_root;
};

LightCase MakeLightCase(const char* spec, int width, int height, int channels, uint32_t unit, bool corrupt)
{
    ThreadPool pool{1};
    LightCase l;
    l.pipeline = *ParsePipeline(spec);
    l.plan = *PlanLightJob(l.pipeline, {width, height, channels}, 1);
    l.frame = *Image::Create(width, height, channels);
    for (size_t i = 0; i < size_t(width) * size_t(height) * size_t(channels); ++i) {
        l.frame.Data()[i] = static_cast<uint8_t>(i * 2654435761u >> 13);
    }
    l.unit = unit;
    l.group = PlaceLightUnit(l.plan, unit);
    const ImageView in{l.frame.View().Sub(0, int(l.group.in.begin), width, int(l.group.in.Count()))};
    l.input_root = *ImageRowsRoot(LIGHT_INPUT_DOMAIN, in);
    auto rows{*ComputeLightRows(l.pipeline, l.plan, in, l.group.in.begin, l.group.out, pool)};
    if (corrupt) rows.Data()[rows.View().RowBytes() * 2] ^= 0x40;  // third row of the group
    l.result_root = *ImageRowsRoot(LIGHT_RESULT_DOMAIN, rows.View());
    l.out_rows.assign(rows.Data(), rows.Data() + rows.View().RowBytes() * size_t(rows.Height()));
    return l;
}

MerkleProof RowsProof(std::string_view domain_name, std::span<const uint8_t> rows, size_t row_bytes, uint32_t index)
{
    const MerkleDomain domain{domain_name};
    std::vector<uint256> leaves;
    for (size_t off = 0; off < rows.size(); off += row_bytes) leaves.push_back(domain.HashLeaf(rows.subspan(off, row_bytes)));
    return *BuildMerkleProof(domain, leaves, index);
}

LightRowFraudProof LightProof(const LightCase& l, uint32_t row)
{
    LightRowFraudProof p;
    p.row = row;
    const size_t in_bytes{l.frame.View().RowBytes()};
    const std::span<const uint8_t> unit_in{l.frame.View().Row(int(l.group.in.begin)), in_bytes * l.group.in.Count()};
    const RowRange need{InputRowsFor(l.plan, {row, row + 1})};
    for (uint32_t r = need.begin; r < need.end; ++r) {
        const uint8_t* src{l.frame.View().Row(int(r))};
        p.input_rows.insert(p.input_rows.end(), src, src + in_bytes);
        if (need != l.group.in) p.input_proofs.push_back(RowsProof(LIGHT_INPUT_DOMAIN, unit_in, in_bytes, r - l.group.in.begin));
    }
    const size_t out_bytes{l.out_rows.size() / l.group.out.Count()};
    const uint32_t local{row - l.group.out.begin};
    p.claimed_row.assign(l.out_rows.begin() + local * out_bytes, l.out_rows.begin() + (local + 1) * out_bytes);
    p.row_proof = RowsProof(LIGHT_RESULT_DOMAIN, l.out_rows, out_bytes, local);
    return p;
}

FraudVerdict Check(const LightCase& l, const LightRowFraudProof& p)
{
    ThreadPool pool{1};
    return CheckLightRowFraud(l.pipeline, l.plan, l.unit, l.input_root, l.result_root, p, pool);
}

TEST(PouwJobFraud, LightRowVerdicts)
{
    for (const char* spec : {"gray,gauss:5:0,sobelmag,threshold:60:255:binary", "erode:3,box:5,dilate:3"}) {
        SCOPED_TRACE(spec);
        const LightCase honest{MakeLightCase(spec, 31, 150, 3, 1, false)};  // rows 64..127
        EXPECT_EQ(Check(honest, LightProof(honest, 64)), FraudVerdict::CORRECT);
        EXPECT_EQ(Check(honest, LightProof(honest, 127)), FraudVerdict::CORRECT);
        const LightCase cheat{MakeLightCase(spec, 31, 150, 3, 1, true)};
        EXPECT_EQ(Check(cheat, LightProof(cheat, 66)), FraudVerdict::WRONG);
        EXPECT_EQ(Check(cheat, LightProof(cheat, 65)), FraudVerdict::CORRECT);
    }
    const LightCase first{MakeLightCase("box:7", 20, 40, 1, 0, true)};  // top border, frame shorter than a group
    EXPECT_EQ(Check(first, LightProof(first, 2)), FraudVerdict::WRONG);
    EXPECT_EQ(Check(first, LightProof(first, 0)), FraudVerdict::CORRECT);
    const LightCase resized{MakeLightCase("gray,resize:16:9,box:3", 30, 20, 3, 0, true)};  // whole frame
    EXPECT_EQ(Check(resized, LightProof(resized, 2)), FraudVerdict::WRONG);
    EXPECT_EQ(Check(resized, LightProof(resized, 8)), FraudVerdict::CORRECT);
    // All of the unit's input rows: no per-row proofs, the input root is recomputed.
    auto p{LightProof(resized, 2)};
    EXPECT_TRUE(p.input_proofs.empty());
    p.input_rows[7] ^= 1;
    EXPECT_EQ(Check(resized, p), FraudVerdict::MALFORMED);
    p = LightProof(resized, 2);
    p.input_proofs.push_back(MerkleProof{});  // proofs where none belong
    EXPECT_EQ(Check(resized, p), FraudVerdict::MALFORMED);
    const LightCase tiny{MakeLightCase("box:5", 12, 3, 1, 0, true)};  // halo covers the whole frame
    EXPECT_TRUE(LightProof(tiny, 2).input_proofs.empty());
    EXPECT_EQ(Check(tiny, LightProof(tiny, 2)), FraudVerdict::WRONG);
    EXPECT_EQ(Check(tiny, LightProof(tiny, 1)), FraudVerdict::CORRECT);
}

TEST(PouwJobFraud, LightRowMalformed)
{
    const LightCase l{MakeLightCase("gauss:5:0,box:3", 31, 150, 1, 1, true)};
    const LightRowFraudProof good{LightProof(l, 66)};
    ASSERT_EQ(Check(l, good), FraudVerdict::WRONG);
    auto p{good};
    p.input_rows.push_back(0);  // one byte over the rows the row needs
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.input_rows.resize(p.input_rows.size() - 31);  // a row short
    p.input_proofs.pop_back();
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.input_proofs.pop_back();
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.input_rows[40] ^= 1;
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    std::swap(p.input_proofs[0], p.input_proofs[1]);
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.claimed_row.push_back(0);
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.claimed_row[0] ^= 1;
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.row = 63;  // outside the unit (rows 64..127)
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.row = 67;  // proofs are for row 66
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    p = good;
    p.input_rows.assign(MAX_LIGHT_ROW_CHECK_BYTES + 1, 0);  // one over the bound
    EXPECT_EQ(Check(l, p), FraudVerdict::MALFORMED);
    EXPECT_EQ(Check(l, LightRowFraudProof{}), FraudVerdict::MALFORMED);
    ThreadPool pool{1};
    EXPECT_EQ(CheckLightRowFraud(l.pipeline, l.plan, l.plan.UnitCount(), l.input_root, l.result_root, good, pool),
              FraudVerdict::MALFORMED);
}

}  // namespace
}  // namespace hpips::pouw
