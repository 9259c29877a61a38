// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/sha256.h>
#include <pouw/params.h>
#include <pouw/unit.h>
#include <primitives/merkle.h>
#include <util/serialize.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace hpips::pouw {
namespace {

UnitDescriptor SampleJob()
{
    UnitDescriptor d;
    d.kind = static_cast<uint8_t>(UnitKind::JOB);
    d.job_id = test::TestSeed(1);
    d.region = 7;
    d.shape = {1024, 128, 2304};
    d.requant_multiplier = 1 << 30;
    d.requant_shift = 9;
    d.input_zero_point = -3;
    d.output_zero_point = 4;
    d.clamp_min = -128;
    d.clamp_max = 127;
    d.relu = 1;
    d.maxpool = 0;
    d.a_root = test::TestSeed(2);
    d.b_root = test::TestSeed(3);
    return d;
}

TEST(PouwShapes, MainAndRegtestSets)
{
    const auto main = ShapeRules::Main();
    const auto regtest = ShapeRules::Regtest();
    for (uint32_t m : {1024u, 2048u}) {
        for (uint32_t n : {64u, 128u, 192u, 256u}) {
            for (uint32_t k = 512; k <= 4096; k += 64) {
                EXPECT_TRUE(main.IsAllowed({m, n, k}));
                EXPECT_TRUE(regtest.IsAllowed({m, n, k}));
            }
            EXPECT_FALSE(main.IsAllowed({m, n, 448}));
            EXPECT_FALSE(main.IsAllowed({m, n, 4160}));
            EXPECT_FALSE(main.IsAllowed({m, n, 544}));  // not a multiple of 64
        }
    }
    EXPECT_FALSE(main.IsAllowed({512, 64, 512}));
    EXPECT_FALSE(main.IsAllowed({1024, 320, 512}));
    EXPECT_FALSE(main.IsAllowed({64, 64, 64}));
    EXPECT_FALSE(main.IsAllowed({0, 0, 0}));
    EXPECT_TRUE(regtest.IsAllowed({64, 64, 64}));
    EXPECT_TRUE(regtest.IsAllowed({128, 64, 128}));
    EXPECT_TRUE(regtest.IsAllowed({64, 256, 1024}));
    EXPECT_FALSE(regtest.IsAllowed({64, 64, 192}));
    EXPECT_FALSE(regtest.IsAllowed({96, 64, 64}));
    EXPECT_TRUE(main.IsAllowed(main.FillerShape()));
    EXPECT_TRUE(regtest.IsAllowed(regtest.FillerShape()));
    EXPECT_EQ(main.FillerShape(), (UnitShape{1024, 256, 2304}));
    EXPECT_EQ(regtest.FillerShape(), (UnitShape{64, 64, 64}));
    EXPECT_EQ(main.MaxTileCount(), 128u);
    EXPECT_EQ(regtest.MaxTileCount(), 128u);
    EXPECT_TRUE(main.IsAllowed({2048, 256, 4096}));  // exactly MAX_UNIT_MACS
}

TEST(PouwDescriptor, EncodingLayoutAndRoundTrip)
{
    const UnitDescriptor d{SampleJob()};
    const auto bytes = SerializeDescriptor(d);
    ASSERT_EQ(bytes.size(), 148u);
    EXPECT_EQ(bytes[0], RULES_VERSION);
    EXPECT_EQ(bytes[1], 1);
    EXPECT_TRUE(std::equal(d.job_id.begin(), d.job_id.end(), bytes.begin() + 2));
    EXPECT_EQ(bytes[34], 7);                           // region
    EXPECT_EQ(bytes[38] | bytes[39] << 8, 1024);       // m
    EXPECT_EQ(bytes[42] | bytes[43] << 8, 128);        // n
    EXPECT_EQ(bytes[46] | bytes[47] << 8, 2304);       // k
    EXPECT_EQ(bytes[50], NOISE_RANK);
    EXPECT_EQ(bytes[54], TILE);
    EXPECT_EQ(bytes[61], 0x40);                        // multiplier 2^30, LE
    EXPECT_EQ(bytes[62], 9);                           // shift
    EXPECT_EQ(bytes[66], 0xfd);                        // input zero point −3
    EXPECT_EQ(bytes[74], 0x80);                        // clamp_min −128
    EXPECT_EQ(bytes[78], 0x7f);                        // clamp_max 127
    EXPECT_EQ(bytes[82], 1);                           // relu
    EXPECT_EQ(bytes[83], 0);                           // maxpool
    EXPECT_TRUE(std::equal(d.a_root.begin(), d.a_root.end(), bytes.begin() + 84));
    EXPECT_TRUE(std::equal(d.b_root.begin(), d.b_root.end(), bytes.begin() + 116));
    auto parsed = ParseDescriptor(bytes);
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, d);
    EXPECT_FALSE(ParseDescriptor(std::span{bytes}.first(147)));
    std::vector<uint8_t> longer(bytes.begin(), bytes.end());
    longer.push_back(0);
    EXPECT_FALSE(ParseDescriptor(longer));
    EXPECT_EQ(ComputeUnitId(d), TaggedHash("HPIPS/unit", bytes));
}

TEST(PouwDescriptor, EveryFieldChangesTheUnitId)
{
    const UnitDescriptor base{SampleJob()};
    const uint256 base_id{ComputeUnitId(base)};
    std::set<uint256> ids{base_id};
    const std::vector<std::function<void(UnitDescriptor&)>> edits{
        [](UnitDescriptor& d) { d.rules_version = 2; },
        [](UnitDescriptor& d) { d.kind = 0; },
        [](UnitDescriptor& d) { d.job_id = test::TestSeed(9); },
        [](UnitDescriptor& d) { d.region = 8; },
        [](UnitDescriptor& d) { d.shape.m = 2048; },
        [](UnitDescriptor& d) { d.shape.n = 64; },
        [](UnitDescriptor& d) { d.shape.k = 512; },
        [](UnitDescriptor& d) { d.noise_rank = 31; },
        [](UnitDescriptor& d) { d.tile = 32; },
        [](UnitDescriptor& d) { d.requant_multiplier = 5; },
        [](UnitDescriptor& d) { d.requant_shift = 3; },
        [](UnitDescriptor& d) { d.input_zero_point = 0; },
        [](UnitDescriptor& d) { d.output_zero_point = 0; },
        [](UnitDescriptor& d) { d.clamp_min = 0; },
        [](UnitDescriptor& d) { d.clamp_max = 100; },
        [](UnitDescriptor& d) { d.relu = 0; },
        [](UnitDescriptor& d) { d.maxpool = 1; },
        [](UnitDescriptor& d) { d.a_root = test::TestSeed(10); },
        [](UnitDescriptor& d) { d.b_root = test::TestSeed(11); },
    };
    for (const auto& edit : edits) {
        UnitDescriptor d{base};
        edit(d);
        ids.insert(ComputeUnitId(d));
    }
    EXPECT_EQ(ids.size(), edits.size() + 1);
}

TEST(PouwDescriptor, Validation)
{
    const auto main = ShapeRules::Main();
    EXPECT_TRUE(ValidateDescriptor(SampleJob(), main));
    const std::vector<std::pair<std::function<void(UnitDescriptor&)>, std::string>> bad{
        {[](UnitDescriptor& d) { d.rules_version = 0; }, "rules_version"},
        {[](UnitDescriptor& d) { d.kind = 2; }, "kind"},
        {[](UnitDescriptor& d) { d.shape = {64, 64, 64}; }, "shape"},
        {[](UnitDescriptor& d) { d.shape.k = 4160; }, "shape"},
        {[](UnitDescriptor& d) { d.noise_rank = 33; }, "noise_rank"},
        {[](UnitDescriptor& d) { d.tile = 128; }, "tile"},
        {[](UnitDescriptor& d) { d.relu = 2; }, "relu"},
        {[](UnitDescriptor& d) { d.maxpool = 255; }, "maxpool"},
        {[](UnitDescriptor& d) { d.clamp_min = -129; }, "clamp_min"},
        {[](UnitDescriptor& d) { d.clamp_max = 128; }, "clamp_max"},
        {[](UnitDescriptor& d) { d.clamp_min = 10, d.clamp_max = 9; }, "clamp_min"},
        {[](UnitDescriptor& d) { d.requant_shift = -1; }, "requant_shift"},
        {[](UnitDescriptor& d) { d.requant_shift = 32; }, "requant_shift"},
    };
    for (const auto& [edit, field] : bad) {
        UnitDescriptor d{SampleJob()};
        edit(d);
        auto result = ValidateDescriptor(d, main);
        ASSERT_FALSE(result) << field;
        EXPECT_EQ(result.error_message(), "bad-descriptor: " + field);
    }
    // Regtest shapes only under regtest rules.
    UnitDescriptor small{SampleJob()};
    small.shape = {64, 128, 128};
    EXPECT_FALSE(ValidateDescriptor(small, main));
    EXPECT_TRUE(ValidateDescriptor(small, ShapeRules::Regtest()));
}

TEST(PouwFiller, DescriptorKeyAndData)
{
    const uint256 prev{test::TestSeed(40)};
    const std::array<uint8_t, 32> key{test::TestSeed(41).bytes()};
    const auto regtest = ShapeRules::Regtest();
    const UnitDescriptor d{MakeFillerDescriptor(prev, key, 3, regtest)};
    EXPECT_TRUE(ValidateDescriptor(d, regtest));
    EXPECT_TRUE(d.IsFiller());
    EXPECT_EQ(d.region, 3u);
    Writer w;
    w.WriteUint256(prev);
    w.WriteBytes(key);
    w.WriteU32(3);
    EXPECT_EQ(d.job_id, TaggedHash("HPIPS/filler", w.data()));
    EXPECT_NE(ComputeFillerKey(prev, key, 4), d.job_id);
    // The main filler descriptor is not valid on regtest (wrong shape) and vice versa.
    EXPECT_FALSE(ValidateDescriptor(MakeFillerDescriptor(prev, key, 3, ShapeRules::Main()), regtest));
    EXPECT_FALSE(ValidateDescriptor(d, ShapeRules::Main()));
    for (const auto& edit : std::vector<std::function<void(UnitDescriptor&)>>{
             [](UnitDescriptor& x) { x.requant_multiplier = 1; }, [](UnitDescriptor& x) { x.relu = 1; },
             [](UnitDescriptor& x) { x.clamp_max = 1; }, [](UnitDescriptor& x) { x.a_root = test::TestSeed(1); },
             [](UnitDescriptor& x) { x.shape = {64, 64, 128}; }}) {
        UnitDescriptor x{d};
        edit(x);
        EXPECT_FALSE(ValidateDescriptor(x, regtest));
    }
    const UnitData data{MakeFillerData(d.job_id, d.shape)};
    EXPECT_TRUE(CheckUnitData(data));
    const TileInputs tile{FillerTileInputs(d.job_id, d.shape, 0)};
    const TileInputs extracted{ExtractTileInputs(data, 0)};
    EXPECT_EQ(tile.a_rows, extracted.a_rows);
    EXPECT_EQ(tile.b_cols, extracted.b_cols);
    // A and B are different streams.
    EXPECT_NE(tile.a_rows, tile.b_cols);
}

TEST(PouwUnitData, RootsAndRangeCheck)
{
    const UnitShape shape{64, 64, 128};
    UnitData data{test::RandomUnit(shape, 50)};
    EXPECT_TRUE(CheckUnitData(data));
    const MerkleDomain a_domain{"HPIPS/unit-a"};
    std::vector<uint256> leaves;
    for (uint32_t i = 0; i < shape.m; ++i) {
        leaves.push_back(a_domain.HashLeaf(std::span{reinterpret_cast<const uint8_t*>(data.a.data()) + i * shape.k, shape.k}));
    }
    EXPECT_EQ(ComputeARoot(data), *ComputeMerkleRoot(a_domain, leaves));
    const MerkleDomain b_domain{"HPIPS/unit-b"};
    leaves.clear();
    for (uint32_t c = 0; c < shape.n; ++c) {
        std::vector<uint8_t> column;
        for (uint32_t j = 0; j < shape.k; ++j) column.push_back(static_cast<uint8_t>(data.b[j * shape.n + c]));
        leaves.push_back(b_domain.HashLeaf(column));
    }
    EXPECT_EQ(ComputeBRoot(data), *ComputeMerkleRoot(b_domain, leaves));
    data.a[5] = 113;
    EXPECT_FALSE(CheckUnitData(data));
    data.a[5] = -112;
    data.b[7] = -113;
    EXPECT_FALSE(CheckUnitData(data));
    data.b[7] = 112;
    EXPECT_TRUE(CheckUnitData(data));
    data.b.pop_back();
    EXPECT_FALSE(CheckUnitData(data));
}

}  // namespace
}  // namespace hpips::pouw
