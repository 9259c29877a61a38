// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The vector kernels of src/pouw (transcript_kernels.h, noise_kernels.h)
// against the portable definitions they replace: random shapes, extreme
// values, every tail, and whole transcripts at the largest k with 1/2/3 threads.
#include <kernels/cpu_features.h>
#include <pouw/chacha20_block.h>
#include <pouw/denoise.h>
#include <pouw/noise.h>
#include <pouw/noise_kernels.h>
#include <pouw/noise_math.h>
#include <pouw/transcript.h>
#include <pouw/transcript_kernels.h>
#include <pouw/transcript_math.h>
#include <util/thread_pool.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <array>
#include <random>
#include <vector>

namespace hpips::pouw {
namespace {

bool HaveVnni() { return DetectCpuFeatures().HasAvx512Vnni(); }

/** Random values in [lo, hi]. */
std::vector<int8_t> Values(size_t count, int lo, int hi, uint32_t salt)
{
    std::mt19937 rng{salt};
    std::vector<int8_t> out(count);
    for (auto& v : out) v = static_cast<int8_t>(lo + static_cast<int>(rng() % static_cast<uint32_t>(hi - lo + 1)));
    return out;
}

/** Input patterns: random, all +112, all −112, alternating ±112. */
std::vector<int8_t> Pattern(size_t count, int which, uint32_t salt)
{
    if (which == 0) return Values(count, -INPUT_BOUND, INPUT_BOUND, salt);
    std::vector<int8_t> out(count);
    for (size_t i = 0; i < count; ++i) {
        const bool plus{which == 1 || (which == 3 && i % 2 == 0)};
        out[i] = static_cast<int8_t>(plus ? INPUT_BOUND : -INPUT_BOUND);
    }
    return out;
}

/** Plus/minus vertices of every edge of `steps` random steps (real paths). */
void RandomEdges(const uint256& seed, uint32_t steps, uint32_t domain, std::vector<uint8_t>& plus,
                 std::vector<uint8_t>& minus)
{
    plus.resize(size_t{steps} * STEP);
    minus.resize(size_t{steps} * STEP);
    for (uint32_t s = 0; s < steps; ++s) {
        const StepPath path{domain == 3 ? DrawEPath(seed, s) : DrawFPath(seed, s)};
        std::copy(path.plus.begin(), path.plus.end(), plus.begin() + size_t{s} * STEP);
        std::copy(path.minus.begin(), path.minus.end(), minus.begin() + size_t{s} * STEP);
    }
}

TEST(PouwKernels, ChaChaBlocksMatchTheBlockFunction)
{
    if (!detail::CpuHasAvx512F()) GTEST_SKIP() << "no AVX-512 F";
    const auto key = test::TestSeed(1);
    std::array<uint32_t, 8> key_words{};
    for (size_t i = 0; i < 8; ++i) {
        key_words[i] = uint32_t{key.data()[4 * i]} | uint32_t{key.data()[4 * i + 1]} << 8 |
                       uint32_t{key.data()[4 * i + 2]} << 16 | uint32_t{key.data()[4 * i + 3]} << 24;
    }
    std::mt19937_64 rng{7};
    for (int round = 0; round < 20; ++round) {
        std::array<uint64_t, detail::CHACHA_LANES> indices{};
        std::array<uint32_t, detail::CHACHA_LANES> counters{};
        for (uint32_t l = 0; l < detail::CHACHA_LANES; ++l) {
            // Indices above 2^32 and counters near the wrap exercise both nonce words.
            indices[l] = round % 2 == 0 ? rng() : rng() % 5000;
            counters[l] = static_cast<uint32_t>(round == 3 ? 0xffffffffu - l : rng() % 4);
        }
        const uint32_t domain{static_cast<uint32_t>(round % 7)};
        std::array<uint32_t, 16 * detail::CHACHA_LANES> out{};
        detail::ChaCha20Blocks16Avx512(key_words.data(), domain, indices.data(), counters.data(), out.data());
        for (uint32_t l = 0; l < detail::CHACHA_LANES; ++l) {
            uint32_t nonce[3];
            PouwStreamNonce(domain, indices[l], nonce);
            uint32_t block[16];
            ChaCha20Block(key_words.data(), counters[l], nonce, block);
            for (int w = 0; w < 16; ++w) EXPECT_EQ(out[16 * l + w], block[w]) << "lane " << l << " word " << w;
        }
    }
}

TEST(PouwKernels, NoiseDrawMatchesPerStreamDraws)
{
    // Noise::Draw batches 16 streams per vector; every piece must equal its own stream.
    const uint256 seed{test::TestSeed(2)};
    for (const UnitShape shape : {UnitShape{64, 64, 64}, UnitShape{1024, 192, 4096}, UnitShape{128, 64, 96}}) {
        const Noise noise{Noise::Draw(seed, shape, 37, shape.m - 37, 3, shape.n - 3)};
        for (uint32_t i = 37; i < shape.m; ++i) ASSERT_EQ(noise.ELeft(i), DrawELeftRow(seed, i));
        for (uint32_t c = 3; c < shape.n; ++c) ASSERT_EQ(noise.FRight(c), DrawFRightColumn(seed, c));
        for (uint32_t s = 0; s < shape.k / STEP; ++s) {
            ASSERT_EQ(noise.EPath(s), DrawEPath(seed, s));
            ASSERT_EQ(noise.FPath(s), DrawFPath(seed, s));
        }
    }
}

TEST(PouwKernels, NoisyRowBuildersMatchTheFormula)
{
    if (!HaveVnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    const uint256 seed{test::TestSeed(3)};
    for (const uint32_t k : {32u, 64u, 96u, 544u, 4096u}) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            const size_t rows{7};
            const size_t lda{k + 5};  // a stride wider than a row
            const auto a = Pattern(rows * lda, pattern, k + pattern);
            std::vector<uint8_t> plus, minus;
            RandomEdges(seed, k / STEP, 3, plus, minus);
            const std::vector<int16_t> plus16(plus.begin(), plus.end()), minus16(minus.begin(), minus.end());
            // Extreme outer values too: E spans the whole ±15.
            std::vector<OuterVector> outer(rows);
            for (size_t r = 0; r < rows; ++r) {
                for (uint32_t t = 0; t < NOISE_DIM; ++t) {
                    outer[r][t] = static_cast<int8_t>(r == 0 ? (t % 2 ? NOISE_VALUE_MAX : NOISE_VALUE_MIN)
                                                             : OuterNoiseValue(static_cast<uint8_t>(r * 31 + t * 7)));
                }
            }
            std::vector<const int8_t*> e_left(rows);
            for (size_t r = 0; r < rows; ++r) e_left[r] = outer[r].data();
            const size_t ldo{k + 3};
            std::vector<uint8_t> expected(rows * ldo, 0xee), bw(rows * ldo, 0xee), vbmi(rows * ldo, 0xee);
            for (size_t r = 0; r < rows; ++r) {
                for (uint32_t j = 0; j < k; ++j) {
                    const int32_t noisy{a[r * lda + j] + NoiseEntry(outer[r].data(), plus[j], minus[j])};
                    expected[r * ldo + j] = static_cast<uint8_t>(noisy + detail::VNNI_OFFSET);
                }
            }
            detail::BuildNoisyRowsAvx512(a.data(), lda, rows, k, e_left.data(), plus16.data(), minus16.data(),
                                         bw.data(), ldo);
            EXPECT_EQ(bw, expected) << "k " << k << " pattern " << pattern;
            if (detail::CpuHasAvx512Vbmi()) {
                detail::BuildNoisyRowsAvx512Vbmi(a.data(), lda, rows, k, e_left.data(), plus.data(), minus.data(),
                                                 vbmi.data(), ldo);
                EXPECT_EQ(vbmi, expected) << "k " << k << " pattern " << pattern;
            }
        }
    }
}

TEST(PouwKernels, PanelPackersAgree)
{
    if (!HaveVnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    const uint256 seed{test::TestSeed(4)};
    for (const uint32_t k : {64u, 96u, 2304u, 4096u}) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            const uint32_t cols{128};
            const auto b = Pattern(size_t{k} * cols, pattern, k * 3 + pattern);
            std::vector<uint8_t> plus, minus;
            RandomEdges(seed, k / STEP, 4, plus, minus);
            std::vector<OuterVector> f_right(cols);
            for (uint32_t c = 0; c < cols; ++c) f_right[c] = DrawFRightColumn(seed, c);
            f_right[5].fill(NOISE_VALUE_MAX);
            for (uint32_t t = 0; t < NOISE_DIM; t += 2) f_right[6][t] = NOISE_VALUE_MIN;
            std::vector<int8_t> f_right_t(size_t{NOISE_DIM} * cols), b_noisy(size_t{k} * cols);
            for (uint32_t c = 0; c < cols; ++c) {
                for (uint32_t t = 0; t < NOISE_DIM; ++t) f_right_t[size_t{t} * cols + c] = f_right[c][t];
                for (uint32_t j = 0; j < k; ++j) {
                    b_noisy[size_t{j} * cols + c] = static_cast<int8_t>(
                        b[size_t{j} * cols + c] + NoiseEntry(f_right[c].data(), plus[j], minus[j]));
                }
            }
            const size_t panel_bytes{size_t{k} * cols}, corr_words{size_t{k / STEP} * cols};
            std::vector<int8_t> ref_panels(panel_bytes), panels(panel_bytes);
            std::vector<int32_t> ref_corr(corr_words), corr(corr_words);
            detail::PackPanelsAvx512(b_noisy.data(), k, cols, ref_panels.data(), ref_corr.data());
            // The layout itself: group g, column c, byte q is B'[4g + q][c]; corrections are 128 · prefix sums.
            for (uint32_t p = 0; p < cols / TILE; ++p) {
                int64_t sums[TILE]{};
                for (uint32_t j = 0; j < k; ++j) {
                    for (uint32_t c = 0; c < TILE; ++c) {
                        const int8_t v{b_noisy[size_t{j} * cols + p * TILE + c]};
                        ASSERT_EQ(ref_panels[size_t{p} * k * TILE + size_t{j / 4} * 256 + c * 4 + j % 4], v);
                        sums[c] += v;
                        if ((j + 1) % STEP == 0) {
                            ASSERT_EQ(ref_corr[size_t{p} * (k / STEP) * TILE + size_t{j / STEP} * TILE + c], 128 * sums[c]);
                        }
                    }
                }
            }
            detail::PackNoisyPanelsAvx512(b.data(), cols, k, cols, f_right_t.data(), plus.data(), minus.data(),
                                          panels.data(), corr.data());
            EXPECT_EQ(panels, ref_panels) << "k " << k;
            EXPECT_EQ(corr, ref_corr) << "k " << k;
            if (detail::CpuHasAvx512Vbmi()) {
                // From columns (a verifier's opening), one 64-column panel at a time.
                for (uint32_t p = 0; p < cols / TILE; ++p) {
                    std::vector<int8_t> b_cols(size_t{TILE} * k);
                    std::vector<const int8_t*> outer(TILE);
                    for (uint32_t c = 0; c < TILE; ++c) {
                        outer[c] = f_right[p * TILE + c].data();
                        for (uint32_t j = 0; j < k; ++j) b_cols[size_t{c} * k + j] = b[size_t{j} * cols + p * TILE + c];
                    }
                    std::vector<int8_t> panel(size_t{TILE} * k);
                    std::vector<int32_t> panel_corr(size_t{k / STEP} * TILE);
                    detail::PackNoisyColumnPanelAvx512Vbmi(b_cols.data(), k, k, outer.data(), plus.data(),
                                                           minus.data(), panel.data(), panel_corr.data());
                    EXPECT_TRUE(std::equal(panel.begin(), panel.end(), ref_panels.begin() + size_t{p} * TILE * k));
                    EXPECT_TRUE(std::equal(panel_corr.begin(), panel_corr.end(),
                                           ref_corr.begin() + size_t{p} * (k / STEP) * TILE));
                }
            }
        }
    }
}

TEST(PouwKernels, VectorFoldEqualsStateUpdates)
{
    if (!HaveVnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    std::mt19937 rng{5};
    const uint32_t steps{128};
    for (const uint32_t count : {1u, 2u, 7u, 15u, 16u}) {
        std::vector<std::vector<uint32_t>> digests(count, std::vector<uint32_t>(size_t{steps} * DIGEST_LANES));
        for (auto& d : digests) {
            for (auto& w : d) w = rng();
        }
        digests[0][3] = 0xffffffffu;
        std::vector<const uint32_t*> pointers(count);
        for (uint32_t i = 0; i < count; ++i) pointers[i] = digests[i].data();
        std::vector<TileState> states(count);
        detail::FoldDigestsAvx512(pointers.data(), count, steps, states.data());
        for (uint32_t i = 0; i < count; ++i) {
            TileState expected{};
            for (uint32_t s = 0; s < steps; ++s) StateUpdate(expected.data(), digests[i].data() + s * DIGEST_LANES, s);
            EXPECT_EQ(states[i], expected) << "count " << count << " tile " << i;
        }
    }
}

TEST(PouwKernels, TileKernelEqualsScalarKernel)
{
    if (!HaveVnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    // Extreme operands: A' = ±127 (u8 1 and 255), B' = ±127; partial sums reach ±127²·k.
    for (const uint32_t k : {64u, 4096u}) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            std::vector<int8_t> a_signed(size_t{TILE} * k), b_rows(size_t{k} * TILE);
            const auto a_src = Pattern(a_signed.size(), pattern, k + 10);
            const auto b_src = Pattern(b_rows.size(), (pattern + 1) % 4, k + 11);
            for (size_t i = 0; i < a_signed.size(); ++i) {
                a_signed[i] = static_cast<int8_t>(a_src[i] < 0 ? -127 : a_src[i] > 0 ? 127 : 0);
            }
            for (size_t i = 0; i < b_rows.size(); ++i) {
                b_rows[i] = static_cast<int8_t>(pattern == 0 ? b_src[i] : (b_src[i] < 0 ? -127 : 127));
            }
            std::vector<int8_t> a_offset(a_signed.size()), b_cols(b_rows.size()), panel(b_rows.size());
            for (size_t i = 0; i < a_signed.size(); ++i) a_offset[i] = static_cast<int8_t>(a_signed[i] ^ 0x80);
            for (uint32_t j = 0; j < k; ++j) {
                for (uint32_t c = 0; c < TILE; ++c) b_cols[size_t{c} * k + j] = b_rows[size_t{j} * TILE + c];
            }
            std::vector<int32_t> corr(size_t{k / STEP} * TILE);
            detail::PackPanelsAvx512(b_rows.data(), k, TILE, panel.data(), corr.data());
            std::vector<int32_t> product_scalar(size_t{TILE} * 80), product_vnni(size_t{TILE} * 80);
            detail::TileOperands scalar;
            scalar.k = k;
            scalar.a = a_signed.data();
            scalar.lda = k;
            scalar.b_cols = b_cols.data();
            scalar.ldb = k;
            scalar.product = product_scalar.data();
            scalar.ldp = 80;
            detail::TileOperands vnni;
            vnni.k = k;
            vnni.a = a_offset.data();
            vnni.lda = k;
            vnni.b_panel = panel.data();
            vnni.col_corr = corr.data();
            vnni.product = product_vnni.data();
            vnni.ldp = 80;
            vnni.prefetch = a_signed.data();
            EXPECT_EQ(detail::TileTranscriptAvx512Vnni(vnni), detail::TileTranscriptScalar(scalar)) << "k " << k;
            EXPECT_EQ(product_vnni, product_scalar);
        }
    }
}

/** A·F_L by its definition (int64). */
std::vector<int32_t> ALeftReference(const std::vector<int8_t>& a, size_t rows, uint32_t k,
                                    const std::vector<uint8_t>& plus, const std::vector<uint8_t>& minus)
{
    std::vector<int64_t> wide(rows * NOISE_DIM, 0);
    for (size_t i = 0; i < rows; ++i) {
        for (uint32_t j = 0; j < k; ++j) {
            wide[i * NOISE_DIM + plus[j]] += a[i * k + j];
            wide[i * NOISE_DIM + minus[j]] -= a[i * k + j];
        }
    }
    return {wide.begin(), wide.end()};
}

TEST(PouwKernels, ALeftProductMatchesTheDefinition)
{
    if (!HaveVnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    const uint256 seed{test::TestSeed(6)};
    // k = 8192 passes the int16 flush (127 steps) twice.
    for (const uint32_t k : {32u, 64u, 4064u, 4096u, 8192u}) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            const size_t rows{k > 4096 ? size_t{5} : size_t{13}};
            const auto a = Pattern(rows * k, pattern, k + pattern);
            std::vector<uint8_t> plus, minus;
            RandomEdges(seed, k / STEP, 4, plus, minus);
            std::vector<detail::FLeftStepTable> tables(k / STEP);
            for (uint32_t s = 0; s < k / STEP; ++s) {
                tables[s] = detail::MakeFLeftStepTable(plus.data() + s * STEP, minus.data() + s * STEP);
            }
            std::vector<int32_t> af(rows * NOISE_DIM);
            detail::ALeftProductAvx512(a.data(), k, rows, k, tables.data(), af.data());
            EXPECT_EQ(af, ALeftReference(a, rows, k, plus, minus)) << "k " << k << " pattern " << pattern;
        }
    }
}

TEST(PouwKernels, ERightProductMatchesTheDefinition)
{
    if (!HaveVnni()) GTEST_SKIP() << "no AVX-512 VNNI";
    const uint256 seed{test::TestSeed(7)};
    for (const uint32_t k : {64u, 4096u}) {
        for (int pattern = 0; pattern < 4; ++pattern) {
            const uint32_t n{128};
            const auto b = Pattern(size_t{k} * n, pattern, k + 20 + pattern);
            std::vector<uint8_t> f_plus, f_minus, e_plus, e_minus;
            RandomEdges(seed, k / STEP, 4, f_plus, f_minus);
            RandomEdges(seed, k / STEP, 3, e_plus, e_minus);
            std::vector<int8_t> f_right_t(size_t{NOISE_DIM} * n);
            for (uint32_t c = 0; c < n; ++c) {
                const OuterVector column{DrawFRightColumn(seed, c)};
                for (uint32_t t = 0; t < NOISE_DIM; ++t) {
                    const int8_t extreme{static_cast<int8_t>(t % 2 ? NOISE_VALUE_MAX : NOISE_VALUE_MIN)};
                    f_right_t[size_t{t} * n + c] = pattern == 1 ? extreme : column[t];
                }
            }
            std::vector<int64_t> expected(size_t{NOISE_DIM} * n, 0);
            for (uint32_t j = 0; j < k; ++j) {
                for (uint32_t c = 0; c < n; ++c) {
                    const int32_t noisy{b[size_t{j} * n + c] + f_right_t[size_t{f_plus[j]} * n + c] -
                                        f_right_t[size_t{f_minus[j]} * n + c]};
                    expected[size_t{e_plus[j]} * n + c] += noisy;
                    expected[size_t{e_minus[j]} * n + c] -= noisy;
                }
            }
            std::vector<int16_t> eb(size_t{NOISE_DIM} * n, 77);
            detail::ERightProductAvx512(b.data(), n, k, n, f_right_t.data(), f_plus.data(), f_minus.data(),
                                        e_plus.data(), e_minus.data(), eb.data());
            for (size_t i = 0; i < eb.size(); ++i) ASSERT_EQ(eb[i], expected[i]) << "k " << k << " entry " << i;
        }
    }
}

TEST(PouwKernels, DenoiseVectorAndPortablePathsAgreeAtFullK)
{
    for (int pattern = 0; pattern < 4; ++pattern) {
        const UnitShape shape{64, 128, 4096};
        UnitData data{shape, Pattern(size_t{shape.m} * shape.k, pattern, 30 + pattern),
                      Pattern(size_t{shape.k} * shape.n, (pattern + 2) % 4, 40 + pattern)};
        const Noise noise{Noise::DrawUnit(test::TestSeed(8), shape)};
        std::vector<int32_t> noisy(size_t{shape.m} * shape.n);
        TranscriptOptions options;
        options.backend = BestTranscriptBackend();
        options.noisy_product = noisy;
        ASSERT_TRUE(ComputeUnitTranscript(data, noise, options));
        const auto expected = test::PlainGemm(data);
        auto fast = Denoise(data, noise, noisy);
        ASSERT_TRUE(fast);
        EXPECT_EQ(*fast, expected) << "pattern " << pattern;
        EXPECT_EQ(detail::DenoisePortable(data, noise, noisy), expected) << "pattern " << pattern;
    }
}

TEST(PouwKernels, UnitTranscriptAtLargeShapesAndThreadCounts)
{
    // m = 1024 takes the one-chunk-per-tile-row split (A' built once per row, with
    // the next row prefetched); n = 256 puts several tiles in a row.
    const uint256 seed{test::TestSeed(9)};
    for (const UnitShape shape : {UnitShape{1024, 64, 128}, UnitShape{256, 256, 192}}) {
        const UnitData data{test::RandomUnit(shape, shape.m + shape.k)};
        const Noise noise{Noise::DrawUnit(seed, shape)};
        std::vector<TileState> reference;
        std::vector<int32_t> reference_product(size_t{shape.m} * shape.n);
        {
            TranscriptOptions options;
            options.backend = TranscriptBackend::SCALAR;
            options.noisy_product = reference_product;
            auto transcript = ComputeUnitTranscript(data, noise, options);
            ASSERT_TRUE(transcript);
            reference = transcript->states;
        }
        for (uint32_t t = 0; t < shape.TileCount(); t += 7) {
            EXPECT_EQ(reference[t], ReferenceTileState(ExtractTileInputs(data, t), noise, t));
        }
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
                EXPECT_EQ(product, reference_product) << TranscriptBackendName(backend) << " " << threads;
            }
        }
    }
}

}  // namespace
}  // namespace hpips::pouw
