// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/noise.h>
#include <pouw/transcript.h>
#include <pouw/transcript_math.h>
#include <util/thread_pool.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <random>
#include <set>

namespace hpips::pouw {
namespace {

using test::RandomUnit;
using test::TestSeed;

std::vector<TileState> ReferenceStates(const UnitData& data, const uint256& seed)
{
    std::vector<TileState> out;
    for (uint32_t t = 0; t < data.shape.TileCount(); ++t) {
        out.push_back(ReferenceTileState(ExtractTileInputs(data, t), Noise::DrawTile(seed, data.shape, t), t));
    }
    return out;
}

TileState FastTile(const UnitData& data, const uint256& seed, uint32_t tile, TranscriptBackend backend)
{
    auto state = ComputeTileTranscript(ExtractTileInputs(data, tile), Noise::DrawTile(seed, data.shape, tile), tile,
                                       backend);
    EXPECT_TRUE(state) << state.error_message();
    return *state;
}

TEST(PouwTranscript, MathConstants)
{
    EXPECT_EQ(Mix32(0), 0u);
    // Mix32 is a bijection on a sample and MR is odd.
    std::set<uint32_t> seen;
    for (uint32_t z = 0; z < 4096; ++z) seen.insert(Mix32(z));
    EXPECT_EQ(seen.size(), 4096u);
    for (uint32_t r = 0; r < TILE; ++r) EXPECT_EQ(RowMultiplier(r) & 1u, 1u);
    EXPECT_EQ(ElementMap(3, 5, 77), (77u ^ ColumnKey(5)) * RowMultiplier(3));
}

TEST(PouwTranscript, DigestSeesSwapsOfTwoPartialSums)
{
    std::mt19937 rng{7};
    std::vector<int32_t> partial(TILE * TILE);
    for (auto& v : partial) v = static_cast<int32_t>(rng() % 2000001) - 1000000;
    const StepDigest base{ComputeStepDigest(partial)};
    for (int trial = 0; trial < 2000; ++trial) {
        const size_t x{rng() % partial.size()}, y{rng() % partial.size()};
        if (partial[x] == partial[y]) continue;
        auto swapped = partial;
        std::swap(swapped[x], swapped[y]);
        EXPECT_NE(ComputeStepDigest(swapped), base) << x << " " << y;
    }
    // Including swaps within one lane (same c mod 16) and within one row.
    auto swapped = partial;
    std::swap(swapped[0], swapped[16]);
    EXPECT_NE(ComputeStepDigest(swapped), base);
    swapped = partial;
    std::swap(swapped[0], swapped[TILE]);
    EXPECT_NE(ComputeStepDigest(swapped), base);
}

TEST(PouwTranscript, BackendsAndThreadCountsMatchTheReference)
{
    for (const UnitShape shape : {UnitShape{64, 64, 64}, UnitShape{128, 128, 128}, UnitShape{128, 64, 64}}) {
        const UnitData data{RandomUnit(shape, shape.m + shape.n + shape.k)};
        const uint256 seed{TestSeed(shape.k)};
        const auto reference = ReferenceStates(data, seed);
        const Noise noise{Noise::DrawUnit(seed, shape)};
        std::vector<int32_t> first_product;
        for (const auto backend : SupportedTranscriptBackends()) {
            for (const size_t threads : {1, 2, 3}) {
                ThreadPool pool{threads};
                std::vector<int32_t> product(size_t{shape.m} * shape.n);
                TranscriptOptions options;
                options.backend = backend;
                options.pool = &pool;
                options.noisy_product = product;
                auto transcript = ComputeUnitTranscript(data, noise, options);
                ASSERT_TRUE(transcript) << transcript.error_message();
                EXPECT_TRUE(transcript->complete);
                EXPECT_EQ(transcript->states, reference) << TranscriptBackendName(backend) << " " << threads;
                if (first_product.empty()) first_product = product;
                EXPECT_EQ(product, first_product);
            }
            for (uint32_t t = 0; t < shape.TileCount(); ++t) EXPECT_EQ(FastTile(data, seed, t, backend), reference[t]);
        }
    }
}

TEST(PouwTranscript, FullSizeTileFastEqualsReference)
{
    const UnitShape shape{1024, 64, 4096};
    const uint256 seed{TestSeed(4096)};
    const uint32_t tile{5};
    // Only the tile's rows matter; fill the rest with zeros to keep the test small.
    UnitData data{shape, std::vector<int8_t>(size_t{shape.m} * shape.k), test::RandomValues(size_t{shape.k} * shape.n, 3)};
    const auto rows = test::RandomValues(size_t{TILE} * shape.k, 4);
    std::copy(rows.begin(), rows.end(), data.a.begin() + size_t{tile} * TILE * shape.k);
    const TileInputs inputs{ExtractTileInputs(data, tile)};
    const Noise noise{Noise::DrawTile(seed, shape, tile)};
    const TileState reference{ReferenceTileState(inputs, noise, tile)};
    for (const auto backend : SupportedTranscriptBackends()) {
        auto fast = ComputeTileTranscript(inputs, noise, tile, backend);
        ASSERT_TRUE(fast);
        EXPECT_EQ(*fast, reference) << TranscriptBackendName(backend);
    }
}

TEST(PouwTranscript, StateDependsOnSeed)
{
    const UnitData data{RandomUnit({64, 64, 64}, 11)};
    std::set<TileState> states;
    for (uint32_t salt = 0; salt < 16; ++salt) states.insert(FastTile(data, TestSeed(salt), 0, BestTranscriptBackend()));
    EXPECT_EQ(states.size(), 16u);
}

TEST(PouwTranscript, EverySingleElementOfAAndBMatters)
{
    const UnitShape shape{64, 64, 64};
    const UnitData base{RandomUnit(shape, 12)};
    const uint256 seed{TestSeed(12)};
    const auto backend = BestTranscriptBackend();
    const TileState base_state{FastTile(base, seed, 0, backend)};
    std::set<TileState> seen{base_state};
    for (size_t idx = 0; idx < base.a.size(); ++idx) {
        UnitData changed{base};
        changed.a[idx] = static_cast<int8_t>(changed.a[idx] == INPUT_BOUND ? changed.a[idx] - 1 : changed.a[idx] + 1);
        const TileState state{FastTile(changed, seed, 0, backend)};
        ASSERT_NE(state, base_state) << "A element " << idx;
        seen.insert(state);
    }
    for (size_t idx = 0; idx < base.b.size(); ++idx) {
        UnitData changed{base};
        changed.b[idx] = static_cast<int8_t>(changed.b[idx] == -INPUT_BOUND ? changed.b[idx] + 1 : changed.b[idx] - 1);
        const TileState state{FastTile(changed, seed, 0, backend)};
        ASSERT_NE(state, base_state) << "B element " << idx;
        seen.insert(state);
    }
    EXPECT_EQ(seen.size(), 1 + base.a.size() + base.b.size());
    // The reference agrees on a sample of the changes.
    UnitData changed{base};
    changed.a[1234] = static_cast<int8_t>(changed.a[1234] / 2);
    EXPECT_EQ(ReferenceTileState(ExtractTileInputs(changed, 0), Noise::DrawTile(seed, shape, 0), 0),
              FastTile(changed, seed, 0, backend));
}

TEST(PouwTranscript, CheckerboardChangesTheState)
{
    const UnitShape shape{64, 64, 128};
    UnitData data{RandomUnit(shape, 13)};
    for (auto& v : data.a) v = static_cast<int8_t>(std::clamp<int32_t>(v, -INPUT_BOUND + 1, INPUT_BOUND - 1));
    for (auto& v : data.b) v = static_cast<int8_t>(std::clamp<int32_t>(v, -INPUT_BOUND + 1, INPUT_BOUND - 1));
    const uint256 seed{TestSeed(13)};
    const auto backend = BestTranscriptBackend();
    const TileState base{FastTile(data, seed, 0, backend)};
    UnitData board_a{data}, board_b{data};
    for (uint32_t i = 0; i < shape.m; ++i) {
        for (uint32_t j = 0; j < shape.k; ++j) board_a.a[i * shape.k + j] += static_cast<int8_t>((i + j) % 2 ? 1 : -1);
    }
    for (uint32_t j = 0; j < shape.k; ++j) {
        for (uint32_t c = 0; c < shape.n; ++c) board_b.b[j * shape.n + c] += static_cast<int8_t>((j + c) % 2 ? 1 : -1);
    }
    EXPECT_NE(FastTile(board_a, seed, 0, backend), base);
    EXPECT_NE(FastTile(board_b, seed, 0, backend), base);
}

TEST(PouwTranscript, IdenticalBlocksGiveDifferentStatesInEveryTile)
{
    const UnitShape shape{128, 128, 64};
    const auto a_block = test::RandomValues(size_t{TILE} * shape.k, 21);
    const auto b_block = test::RandomValues(size_t{shape.k} * TILE, 22);
    UnitData data{shape, std::vector<int8_t>(size_t{shape.m} * shape.k), std::vector<int8_t>(size_t{shape.k} * shape.n)};
    for (uint32_t i = 0; i < shape.m; ++i) {
        for (uint32_t j = 0; j < shape.k; ++j) data.a[i * shape.k + j] = a_block[(i % TILE) * shape.k + j];
    }
    for (uint32_t j = 0; j < shape.k; ++j) {
        for (uint32_t c = 0; c < shape.n; ++c) data.b[j * shape.n + c] = b_block[j * TILE + c % TILE];
    }
    // Even all-zero inputs: only the noise differs between tiles.
    UnitData zero{shape, std::vector<int8_t>(data.a.size()), std::vector<int8_t>(data.b.size())};
    for (const UnitData* d : {&data, &zero}) {
        const auto states = ReferenceStates(*d, TestSeed(23));
        EXPECT_EQ(std::set<TileState>(states.begin(), states.end()).size(), states.size());
    }
}

TEST(PouwTranscript, StopFlagEndsEarly)
{
    const UnitShape shape{128, 128, 64};
    const UnitData data{RandomUnit(shape, 31)};
    std::atomic<bool> stop{true};
    TranscriptOptions options;
    options.backend = BestTranscriptBackend();
    options.stop = &stop;
    auto transcript = ComputeUnitTranscript(data, Noise::DrawUnit(TestSeed(31), shape), options);
    ASSERT_TRUE(transcript);
    EXPECT_FALSE(transcript->complete);
}

TEST(PouwTranscript, RejectsMismatchedInputs)
{
    const UnitShape shape{128, 128, 64};
    UnitData data{RandomUnit(shape, 32)};
    const Noise noise{Noise::DrawUnit(TestSeed(32), shape)};
    data.a.pop_back();
    EXPECT_FALSE(ComputeUnitTranscript(data, noise, {}));
    const UnitData good{RandomUnit(shape, 32)};
    EXPECT_FALSE(ComputeUnitTranscript(good, Noise::DrawTile(TestSeed(32), shape, 1), {}));
    EXPECT_FALSE(ComputeTileTranscript(ExtractTileInputs(good, 0), Noise::DrawTile(TestSeed(32), shape, 1), 0,
                                       TranscriptBackend::SCALAR));
    EXPECT_EQ(DecodeState(EncodeState(TileState{1, 2, 3, 4, 5, 6, 7, 0xffffffffu})),
              (TileState{1, 2, 3, 4, 5, 6, 7, 0xffffffffu}));
}

}  // namespace
}  // namespace hpips::pouw
