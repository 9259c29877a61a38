// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/gemm.h>
#include <kernels/tensor.h>
#include <pouw/denoise.h>
#include <pouw/noise.h>
#include <pouw/transcript.h>
#include <util/thread_pool.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <functional>

namespace hpips::pouw {
namespace {

/** The kernels' specification GEMM. */
std::vector<int32_t> KernelsReference(const UnitData& d)
{
    std::vector<int32_t> c(size_t{d.shape.m} * d.shape.n);
    const MatrixView<const int8_t> a{d.a.data(), d.shape.m, d.shape.k, d.shape.k};
    const MatrixView<const int8_t> b{d.b.data(), d.shape.k, d.shape.n, d.shape.n};
    const MatrixView<int32_t> cv{c.data(), d.shape.m, d.shape.n, d.shape.n};
    EXPECT_TRUE(GemmReference(a, b, cv));
    return c;
}

/** Denoised output through the fast transcript on every backend and a few thread counts. */
void ExpectDenoisedEqualsGemm(const UnitData& data, const uint256& seed, const std::string& what)
{
    const auto expected = KernelsReference(data);
    EXPECT_EQ(expected, test::PlainGemm(data)) << what;
    const Noise noise{Noise::DrawUnit(seed, data.shape)};
    for (const auto backend : SupportedTranscriptBackends()) {
        for (const size_t threads : {1, 2}) {
            ThreadPool pool{threads};
            std::vector<int32_t> noisy(size_t{data.shape.m} * data.shape.n);
            TranscriptOptions options;
            options.backend = backend;
            options.pool = &pool;
            options.noisy_product = noisy;
            ASSERT_TRUE(ComputeUnitTranscript(data, noise, options));
            auto denoised = Denoise(data, noise, noisy);
            ASSERT_TRUE(denoised) << denoised.error_message();
            EXPECT_EQ(*denoised, expected) << what << " " << TranscriptBackendName(backend) << " " << threads;
            EXPECT_NE(noisy, expected) << what;  // the noise really was there
        }
    }
}

UnitData Filled(const UnitShape& shape, const std::function<int8_t(uint32_t, uint32_t)>& a_at,
                const std::function<int8_t(uint32_t, uint32_t)>& b_at)
{
    UnitData d{shape, std::vector<int8_t>(size_t{shape.m} * shape.k), std::vector<int8_t>(size_t{shape.k} * shape.n)};
    for (uint32_t i = 0; i < shape.m; ++i) {
        for (uint32_t j = 0; j < shape.k; ++j) d.a[i * shape.k + j] = a_at(i, j);
    }
    for (uint32_t j = 0; j < shape.k; ++j) {
        for (uint32_t c = 0; c < shape.n; ++c) d.b[j * shape.n + c] = b_at(j, c);
    }
    return d;
}

TEST(PouwDenoise, RandomInputs)
{
    for (const UnitShape shape : {UnitShape{64, 64, 64}, UnitShape{128, 128, 128}, UnitShape{128, 64, 512}}) {
        ExpectDenoisedEqualsGemm(test::RandomUnit(shape, shape.k), test::TestSeed(shape.k), "random");
    }
}

TEST(PouwDenoise, AdversarialInputs)
{
    const UnitShape shape{128, 128, 128};
    const uint256 seed{test::TestSeed(61)};
    const auto zero = [](uint32_t, uint32_t) { return int8_t{0}; };
    const auto max = [](uint32_t, uint32_t) { return int8_t{INPUT_BOUND}; };
    const auto min = [](uint32_t, uint32_t) { return int8_t{-INPUT_BOUND}; };
    const auto board = [](uint32_t x, uint32_t y) { return int8_t((x + y) % 2 ? INPUT_BOUND : -INPUT_BOUND); };
    const auto rank_one_a = [](uint32_t i, uint32_t j) { return int8_t(int32_t(i % 21) - 10) * int8_t(int32_t(j % 11) - 5); };
    const auto rank_one_b = [](uint32_t j, uint32_t c) { return int8_t(int32_t(j % 13) - 6) * int8_t(int32_t(c % 17) - 8); };
    ExpectDenoisedEqualsGemm(Filled(shape, zero, zero), seed, "zero");
    ExpectDenoisedEqualsGemm(Filled(shape, max, max), seed, "all +112");
    ExpectDenoisedEqualsGemm(Filled(shape, min, max), seed, "-112 by +112");
    ExpectDenoisedEqualsGemm(Filled(shape, min, min), seed, "all -112");
    ExpectDenoisedEqualsGemm(Filled(shape, board, board), seed, "checkerboard");
    ExpectDenoisedEqualsGemm(Filled(shape, rank_one_a, rank_one_b), seed, "rank one");
    // A = −E and B = −F (clamped to ±112): A' and B' are almost all zero.
    const Noise noise{Noise::DrawUnit(seed, shape)};
    const auto clamp = [](int32_t v) { return int8_t(std::clamp<int32_t>(v, -INPUT_BOUND, INPUT_BOUND)); };
    const UnitData cancel{Filled(shape, [&](uint32_t i, uint32_t j) { return clamp(-noise.E(i, j)); },
                                 [&](uint32_t j, uint32_t c) { return clamp(-noise.F(j, c)); })};
    ExpectDenoisedEqualsGemm(cancel, seed, "A = -E");
}

TEST(PouwDenoise, RejectsMismatchedSizes)
{
    const UnitShape shape{64, 64, 64};
    const UnitData data{test::RandomUnit(shape, 62)};
    const Noise noise{Noise::DrawUnit(test::TestSeed(62), shape)};
    std::vector<int32_t> noisy(64 * 64);
    EXPECT_TRUE(Denoise(data, noise, noisy));
    noisy.pop_back();
    EXPECT_FALSE(Denoise(data, noise, noisy));
    EXPECT_FALSE(Denoise(data, Noise::DrawUnit(test::TestSeed(62), {64, 64, 128}), std::vector<int32_t>(64 * 64)));
}

}  // namespace
}  // namespace hpips::pouw
