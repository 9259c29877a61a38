// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The CUDA miner (src/pouw/cuda): its HPIPS_HD arithmetic runs here on the CPU
// against the CPU miner (always); the no-device path gives a clean error
// (always, unless a device is present); and the device results equal the CPU
// ones bit for bit (only on a machine with a usable CUDA device; skipped
// elsewhere).
#include <kernels/device.h>
#include <pouw/cuda/device_math.h>
#include <pouw/denoise.h>
#include <pouw/noise.h>
#include <pouw/prg.h>
#include <pouw/transcript.h>
#include <pouw/unit.h>

#ifdef HPIPS_HAVE_POUW_CUDA
#include <pouw/cuda/cuda_transcript.h>
#endif

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <limits>
#include <numeric>
#include <random>
#include <string>
#include <vector>

namespace hpips::pouw {
namespace {

using test::PlainGemm;
using test::RandomUnit;
using test::TestSeed;

/** Row stride of the device's shared-memory partial sums (cuda_pouw.cu). */
constexpr uint32_t DEVICE_PARTIAL_LD{TILE + 16};
constexpr uint32_t WARP{32};

bool HasUsableCudaDevice() { return TranscriptBackendSupported(TranscriptBackend::CUDA); }

/** The 128 fold threads' shares of one step, as the kernel computes them. */
std::vector<uint32_t> FoldShares(const std::vector<int32_t>& partial, uint32_t ld)
{
    std::array<uint32_t, TILE> column_keys{}, row_multipliers{};
    for (uint32_t i = 0; i < TILE; ++i) {
        column_keys[i] = ColumnKey(i);
        row_multipliers[i] = RowMultiplier(i);
    }
    std::vector<uint32_t> shares(FOLD_THREADS);
    for (uint32_t t = 0; t < FOLD_THREADS; ++t) {
        shares[t] = DigestShare(partial.data(), ld, FoldThreadLane(t), FoldThreadRowGroup(t), column_keys.data(),
                                row_multipliers.data());
    }
    return shares;
}

/** The kernel's reduction order: shuffle partner t ^ 16 within a warp, then
 *  the four warps in order. */
StepDigest DeviceOrderDigest(const std::vector<uint32_t>& shares)
{
    std::array<std::array<uint32_t, DIGEST_LANES>, FOLD_THREADS / WARP> per_warp{};
    for (uint32_t t = 0; t < FOLD_THREADS; ++t) {
        if (t % WARP >= DIGEST_LANES) continue;
        per_warp[t / WARP][FoldThreadLane(t)] = shares[t] + shares[t ^ DIGEST_LANES];
    }
    StepDigest digest{};
    for (uint32_t l = 0; l < DIGEST_LANES; ++l) {
        uint32_t sum{0};
        for (const auto& warp : per_warp) sum += warp[l];
        digest[l] = sum;
    }
    return digest;
}

/** A 64×64 block stored with row stride `ld` (the device layout). */
std::vector<int32_t> Strided(const std::vector<int32_t>& dense, uint32_t ld)
{
    std::vector<int32_t> out(size_t{TILE} * ld, 0x5a5a5a5a);  // padding must never be read
    for (uint32_t r = 0; r < TILE; ++r) std::copy_n(dense.begin() + r * TILE, TILE, out.begin() + r * ld);
    return out;
}

TEST(PouwCudaMath, OuterValuesMatchCpuNoise)
{
    const uint256 seed{TestSeed(1)};
    const auto key = KeyWords(seed);
    for (uint32_t i : {0u, 1u, 2u, 63u, 64u, 1000u, 2047u, 65536u, std::numeric_limits<uint32_t>::max()}) {
        std::array<int8_t, NOISE_DIM> e{}, f{};
        DrawOuterValues(key.data(), DOMAIN_E_LEFT, i, e.data());
        DrawOuterValues(key.data(), DOMAIN_F_RIGHT, i, f.data());
        const OuterVector e_cpu{DrawELeftRow(seed, i)}, f_cpu{DrawFRightColumn(seed, i)};
        EXPECT_TRUE(std::equal(e.begin(), e.end(), e_cpu.begin())) << i;
        EXPECT_TRUE(std::equal(f.begin(), f.end(), f_cpu.begin())) << i;
    }
}

TEST(PouwCudaMath, StepPathsMatchCpuNoise)
{
    const uint256 seed{TestSeed(2)};
    const auto key = KeyWords(seed);
    for (uint32_t s = 0; s < K_REF / STEP; ++s) {
        StepPath e, f;
        DrawStepPath(key.data(), DOMAIN_E_PATH, s, e.plus.data(), e.minus.data());
        DrawStepPath(key.data(), DOMAIN_F_PATH, s, f.plus.data(), f.minus.data());
        EXPECT_EQ(e, DrawEPath(seed, s)) << s;
        EXPECT_EQ(f, DrawFPath(seed, s)) << s;
    }
}

TEST(PouwCudaMath, NoisyInputsMatchNoise)
{
    EXPECT_TRUE(InputInRange(-INPUT_BOUND));
    EXPECT_TRUE(InputInRange(INPUT_BOUND));
    EXPECT_TRUE(InputInRange(0));
    EXPECT_FALSE(InputInRange(-INPUT_BOUND - 1));
    EXPECT_FALSE(InputInRange(INPUT_BOUND + 1));
    EXPECT_FALSE(InputInRange(-128));
    EXPECT_FALSE(InputInRange(127));

    const UnitShape shape{128, 64, 128};
    const uint256 seed{TestSeed(3)};
    const Noise noise{Noise::DrawUnit(seed, shape)};
    const UnitData data{RandomUnit(shape, 3)};
    for (uint32_t i = 0; i < shape.m; ++i) {
        for (uint32_t j = 0; j < shape.k; ++j) {
            const int8_t a{data.a[size_t{i} * shape.k + j]};
            ASSERT_EQ(NoisyInput(a, noise.ELeft(i).data(), noise.EPlus(j), noise.EMinus(j)), a + noise.E(i, j));
        }
    }
    for (uint32_t j = 0; j < shape.k; ++j) {
        for (uint32_t c = 0; c < shape.n; ++c) {
            const int8_t b{data.b[size_t{j} * shape.n + c]};
            ASSERT_EQ(NoisyInput(b, noise.FRight(c).data(), noise.FPlus(j), noise.FMinus(j)), b + noise.F(j, c));
        }
    }
    // The extremes of both ranges still fit int8.
    const std::array<int8_t, NOISE_DIM> outer{[] {
        std::array<int8_t, NOISE_DIM> v{};
        v[0] = NOISE_VALUE_MAX;
        v[1] = NOISE_VALUE_MIN;
        return v;
    }()};
    EXPECT_EQ(NoisyInput(INPUT_BOUND, outer.data(), 0, 1), INPUT_BOUND + NOISE_BOUND);
    EXPECT_EQ(NoisyInput(-INPUT_BOUND, outer.data(), 1, 0), -INPUT_BOUND - NOISE_BOUND);
}

TEST(PouwCudaMath, DigestSharesMatchStepDigestInAnyOrder)
{
    std::mt19937 rng{11};
    for (int trial = 0; trial < 8; ++trial) {
        std::vector<int32_t> partial(size_t{TILE} * TILE);
        for (auto& v : partial) v = static_cast<int32_t>(rng());
        if (trial == 0) {
            partial[0] = std::numeric_limits<int32_t>::min();
            partial[1] = std::numeric_limits<int32_t>::max();
            partial[TILE * TILE - 1] = -1;
        }
        const StepDigest expected{ComputeStepDigest(partial)};
        // Dense and with the device's padded row stride.
        EXPECT_EQ(DeviceOrderDigest(FoldShares(partial, TILE)), expected);
        const std::vector<uint32_t> shares{FoldShares(Strided(partial, DEVICE_PARTIAL_LD), DEVICE_PARTIAL_LD)};
        EXPECT_EQ(DeviceOrderDigest(shares), expected);
        // Any summation order of the shares gives the same digest.
        std::vector<uint32_t> order(FOLD_THREADS);
        std::iota(order.begin(), order.end(), 0u);
        for (int perm = 0; perm < 16; ++perm) {
            std::shuffle(order.begin(), order.end(), rng);
            StepDigest digest{};
            for (const uint32_t t : order) digest[FoldThreadLane(t)] += shares[t];
            EXPECT_EQ(digest, expected);
        }
        // Every element is covered exactly once: the shares see a single change.
        auto changed = partial;
        changed[rng() % changed.size()] ^= 0x100;
        EXPECT_NE(DeviceOrderDigest(FoldShares(changed, TILE)), expected);
    }
}

/** The kernel's whole tile walk, emulated on the CPU with its HD functions:
 *  A' and B' from NoisyInput, per step the partial sums accumulated k-fragment
 *  by k-fragment, the shares in the device's reduction order, StateUpdate. */
std::vector<TileState> EmulatedDeviceStates(const UnitData& data, const Noise& noise)
{
    const UnitShape& shape{data.shape};
    const size_t m{shape.m}, n{shape.n}, k{shape.k};
    std::vector<int8_t> a_noisy(m * k), b_noisy(k * n);
    for (size_t i = 0; i < m; ++i) {
        for (size_t j = 0; j < k; ++j) {
            a_noisy[i * k + j] = NoisyInput(data.a[i * k + j], noise.ELeft(static_cast<uint32_t>(i)).data(),
                                            noise.EPlus(static_cast<uint32_t>(j)), noise.EMinus(static_cast<uint32_t>(j)));
        }
    }
    for (size_t j = 0; j < k; ++j) {
        for (size_t c = 0; c < n; ++c) {
            b_noisy[j * n + c] = NoisyInput(data.b[j * n + c], noise.FRight(static_cast<uint32_t>(c)).data(),
                                            noise.FPlus(static_cast<uint32_t>(j)), noise.FMinus(static_cast<uint32_t>(j)));
        }
    }
    std::vector<TileState> states;
    for (uint32_t t = 0; t < shape.TileCount(); ++t) {
        const size_t row0{(t / (n / TILE)) * TILE}, col0{(t % (n / TILE)) * TILE};
        std::vector<int32_t> acc(size_t{TILE} * TILE, 0);
        TileState state{};
        for (uint32_t s = 0; s < shape.Steps(); ++s) {
            for (size_t half = 0; half < 2; ++half) {
                for (size_t r = 0; r < TILE; ++r) {
                    for (size_t c = 0; c < TILE; ++c) {
                        int32_t sum{acc[r * TILE + c]};
                        for (size_t j = s * STEP + half * 16; j < s * STEP + half * 16 + 16; ++j) {
                            sum += int32_t{a_noisy[(row0 + r) * k + j]} * int32_t{b_noisy[j * n + col0 + c]};
                        }
                        acc[r * TILE + c] = sum;
                    }
                }
            }
            const StepDigest digest{
                DeviceOrderDigest(FoldShares(Strided(acc, DEVICE_PARTIAL_LD), DEVICE_PARTIAL_LD))};
            StateUpdate(state.data(), digest.data(), s);
        }
        states.push_back(state);
    }
    return states;
}

TEST(PouwCudaMath, EmulatedTileWalkMatchesReference)
{
    for (const UnitShape shape : {UnitShape{64, 64, 64}, UnitShape{128, 128, 128}}) {
        const uint256 seed{TestSeed(shape.m + shape.k)};
        const UnitData data{RandomUnit(shape, shape.n)};
        const Noise noise{Noise::DrawUnit(seed, shape)};
        const std::vector<TileState> emulated{EmulatedDeviceStates(data, noise)};
        ASSERT_EQ(emulated.size(), shape.TileCount());
        for (uint32_t t = 0; t < shape.TileCount(); ++t) {
            EXPECT_EQ(emulated[t], ReferenceTileState(ExtractTileInputs(data, t), noise, t)) << t;
        }
    }
}

TEST(PouwCudaMath, DenoisedEntryMatchesDenoise)
{
    const UnitShape shape{128, 64, 256};
    const size_t m{shape.m}, n{shape.n}, k{shape.k};
    const uint256 seed{TestSeed(5)};
    const UnitData data{RandomUnit(shape, 5)};
    const Noise noise{Noise::DrawUnit(seed, shape)};
    std::vector<int32_t> noisy_product(m * n);
    TranscriptOptions options;
    options.noisy_product = noisy_product;
    ASSERT_TRUE(ComputeUnitTranscript(data, noise, options));
    // A·F_L and E_R·B' as the AF and EB kernels sum them (integer sums: any order).
    std::vector<int32_t> af(m * NOISE_DIM, 0), eb(NOISE_DIM * n, 0);
    for (size_t i = 0; i < m; ++i) {
        for (uint32_t j = 0; j < k; ++j) {
            af[i * NOISE_DIM + noise.FPlus(j)] += data.a[i * k + j];
            af[i * NOISE_DIM + noise.FMinus(j)] -= data.a[i * k + j];
        }
    }
    for (uint32_t j = 0; j < k; ++j) {
        for (size_t c = 0; c < n; ++c) {
            const int32_t b_noisy{data.b[j * n + c] + noise.F(j, static_cast<uint32_t>(c))};
            eb[noise.EPlus(j) * n + c] += b_noisy;
            eb[noise.EMinus(j) * n + c] -= b_noisy;
        }
    }
    std::vector<int32_t> c_out(m * n);
    for (size_t i = 0; i < m; ++i) {
        for (size_t c = 0; c < n; ++c) {
            c_out[i * n + c] =
                DenoisedEntry(noisy_product[i * n + c], af.data() + i * NOISE_DIM,
                              noise.ELeft(static_cast<uint32_t>(i)).data(),
                              noise.FRight(static_cast<uint32_t>(c)).data(), eb.data() + c, static_cast<uint32_t>(n));
        }
    }
    auto expected = Denoise(data, noise, noisy_product);
    ASSERT_TRUE(expected) << expected.error_message();
    EXPECT_EQ(c_out, *expected);
    EXPECT_EQ(c_out, PlainGemm(data));
}

TEST(PouwCudaBackend, NameRoundTrips)
{
    EXPECT_EQ(TranscriptBackendName(TranscriptBackend::CUDA), "cuda");
    auto parsed = ParseTranscriptBackend("cuda");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(*parsed, TranscriptBackend::CUDA);
    const auto supported = SupportedTranscriptBackends();
    EXPECT_EQ(std::count(supported.begin(), supported.end(), TranscriptBackend::CUDA), HasUsableCudaDevice() ? 1 : 0);
    // The best backend stays a CPU one: the CUDA backend is chosen explicitly.
    EXPECT_NE(BestTranscriptBackend(), TranscriptBackend::CUDA);
}

TEST(PouwCudaBackend, CleanErrorWithoutDevice)
{
    if (HasUsableCudaDevice()) GTEST_SKIP() << "a usable CUDA device is present";
    const UnitShape shape{64, 64, 64};
    const uint256 seed{TestSeed(6)};
    const UnitData data{RandomUnit(shape, 6)};
    const Noise noise{Noise::DrawUnit(seed, shape)};
    TranscriptOptions options;
    options.backend = TranscriptBackend::CUDA;
    auto unit = ComputeUnitTranscript(data, noise, options);
    ASSERT_FALSE(unit);
    EXPECT_EQ(unit.error_message().rfind("no CUDA device", 0), 0u) << unit.error_message();
    auto tile = ComputeTileTranscript(ExtractTileInputs(data, 0), noise, 0, TranscriptBackend::CUDA);
    ASSERT_FALSE(tile);
    EXPECT_EQ(tile.error_message().rfind("no CUDA device", 0), 0u) << tile.error_message();
#ifdef HPIPS_HAVE_POUW_CUDA
    // The host API itself: the device check fails cleanly...
    auto mined = cuda::CudaMineUnit(data, seed, true);
    ASSERT_FALSE(mined);
    EXPECT_NE(mined.error_message().find("CUDA"), std::string::npos) << mined.error_message();
    auto drawn = cuda::CudaDrawNoise(seed, shape);
    ASSERT_FALSE(drawn);
    EXPECT_NE(drawn.error_message().find("CUDA"), std::string::npos) << drawn.error_message();
    auto direct = cuda::CudaUnitTranscript(data, noise, {});
    ASSERT_FALSE(direct);
    EXPECT_NE(direct.error_message().find("CUDA"), std::string::npos) << direct.error_message();
#endif
}

#ifdef HPIPS_HAVE_POUW_CUDA
TEST(PouwCudaBackend, ArgumentsCheckedBeforeTheDevice)
{
    // Argument errors read the same with or without a GPU.
    const UnitShape shape{64, 64, 64};
    UnitData data{RandomUnit(shape, 7)};
    data.b.pop_back();
    auto mined = cuda::CudaMineUnit(data, TestSeed(7), false);
    ASSERT_FALSE(mined);
    EXPECT_EQ(mined.error_message(), "unit data does not match its shape");
    const UnitData big_k{RandomUnit(UnitShape{64, 64, cuda::CUDA_MAX_K + 64}, 7)};
    auto too_deep = cuda::CudaMineUnit(big_k, TestSeed(7), false);
    ASSERT_FALSE(too_deep);
    EXPECT_NE(too_deep.error_message().find("k above"), std::string::npos) << too_deep.error_message();
    auto odd = cuda::CudaDrawNoise(TestSeed(7), UnitShape{96, 64, 64});
    ASSERT_FALSE(odd);
    EXPECT_NE(odd.error_message().find("whole tiles"), std::string::npos) << odd.error_message();
}

/** Runs only where a usable CUDA device exists: every device result equals
 *  the CPU's bit for bit. */
TEST(PouwCudaBackend, DeviceMatchesCpu)
{
    if (!HasUsableCudaDevice()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    for (const UnitShape shape : {UnitShape{64, 64, 64}, UnitShape{128, 192, 512}, UnitShape{1024, 256, 2304}}) {
        const std::string what{std::to_string(shape.m) + "x" + std::to_string(shape.n) + "x" + std::to_string(shape.k)};
        const uint256 seed{TestSeed(shape.k)};
        const UnitData data{RandomUnit(shape, shape.m)};
        const Noise noise{Noise::DrawUnit(seed, shape)};
        const size_t outputs{size_t{shape.m} * shape.n};

        // Noise drawn on the device.
        auto drawn = cuda::CudaDrawNoise(seed, shape);
        ASSERT_TRUE(drawn) << drawn.error_message();
        for (uint32_t i = 0; i < shape.m; ++i) {
            ASSERT_TRUE(std::equal(noise.ELeft(i).begin(), noise.ELeft(i).end(),
                                   drawn->e_left.begin() + size_t{i} * NOISE_DIM))
                << what << " E_L row " << i;
        }
        for (uint32_t c = 0; c < shape.n; ++c) {
            ASSERT_TRUE(std::equal(noise.FRight(c).begin(), noise.FRight(c).end(),
                                   drawn->f_right.begin() + size_t{c} * NOISE_DIM))
                << what << " F_R column " << c;
        }
        for (uint32_t j = 0; j < shape.k; ++j) {
            ASSERT_EQ(drawn->e_plus[j], noise.EPlus(j)) << what << " " << j;
            ASSERT_EQ(drawn->e_minus[j], noise.EMinus(j)) << what << " " << j;
            ASSERT_EQ(drawn->f_plus[j], noise.FPlus(j)) << what << " " << j;
            ASSERT_EQ(drawn->f_minus[j], noise.FMinus(j)) << what << " " << j;
        }

        // Transcript and noisy product through the backend dispatch.
        std::vector<int32_t> cpu_product(outputs), gpu_product(outputs);
        TranscriptOptions cpu_options;
        cpu_options.noisy_product = cpu_product;
        auto cpu = ComputeUnitTranscript(data, noise, cpu_options);
        ASSERT_TRUE(cpu) << cpu.error_message();
        TranscriptOptions gpu_options;
        gpu_options.backend = TranscriptBackend::CUDA;
        gpu_options.noisy_product = gpu_product;
        auto gpu = ComputeUnitTranscript(data, noise, gpu_options);
        ASSERT_TRUE(gpu) << gpu.error_message();
        EXPECT_TRUE(gpu->complete);
        EXPECT_EQ(gpu->states, cpu->states) << what;
        EXPECT_EQ(gpu_product, cpu_product) << what;

        // One tile as a verifier computes it.
        for (uint32_t t : {0u, shape.TileCount() - 1}) {
            auto tile = ComputeTileTranscript(ExtractTileInputs(data, t), Noise::DrawTile(seed, shape, t), t,
                                              TranscriptBackend::CUDA);
            ASSERT_TRUE(tile) << tile.error_message();
            EXPECT_EQ(*tile, cpu->states[t]) << what << " tile " << t;
        }

        // Everything on the device from σ, with the denoised output.
        auto mined = cuda::CudaMineUnit(data, seed, true);
        ASSERT_TRUE(mined) << mined.error_message();
        EXPECT_EQ(mined->states, cpu->states) << what;
        auto denoised = Denoise(data, noise, cpu_product);
        ASSERT_TRUE(denoised) << denoised.error_message();
        EXPECT_EQ(mined->output, *denoised) << what;
        auto states_only = cuda::CudaMineUnit(data, seed, false);
        ASSERT_TRUE(states_only) << states_only.error_message();
        EXPECT_EQ(states_only->states, cpu->states) << what;
        EXPECT_TRUE(states_only->output.empty());
    }
}

TEST(PouwCudaBackend, DeviceRejectsInputsOutOfRange)
{
    if (!HasUsableCudaDevice()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    const UnitShape shape{64, 64, 64};
    UnitData data{RandomUnit(shape, 8)};
    data.a[17] = INPUT_BOUND + 1;
    auto a_bad = cuda::CudaMineUnit(data, TestSeed(8), true);
    ASSERT_FALSE(a_bad);
    EXPECT_EQ(a_bad.error_message(), "input-out-of-range");
    data = RandomUnit(shape, 8);
    data.b[63] = -128;
    auto b_bad = cuda::CudaMineUnit(data, TestSeed(8), false);
    ASSERT_FALSE(b_bad);
    EXPECT_EQ(b_bad.error_message(), "input-out-of-range");
}
TEST(PouwCudaBackend, SessionArgumentsAndNoDevice)
{
    UnitData data{RandomUnit(UnitShape{64, 64, 64}, 9)};
    data.a.pop_back();
    auto bad = cuda::CudaUnitSession::Open(data);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error_message(), "unit data does not match its shape");
    if (HasUsableCudaDevice()) return;
    auto none = cuda::CudaUnitSession::Open(RandomUnit(UnitShape{64, 64, 64}, 9));
    ASSERT_FALSE(none);
    EXPECT_NE(none.error_message().find("CUDA"), std::string::npos) << none.error_message();
}

/** The miner's persistent session (A and B uploaded once, noise drawn on the
 *  device per seed, buffers reused across nonces and batches) gives the CPU's
 *  states for every seed of every batch, at the unit shapes. */
TEST(PouwCudaBackend, SessionMatchesCpu)
{
    if (!HasUsableCudaDevice()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    for (const UnitShape shape : {UnitShape{64, 64, 64}, UnitShape{1024, 64, 4096}, UnitShape{1024, 256, 2304},
                                  UnitShape{2048, 256, 512}}) {
        const std::string what{std::to_string(shape.m) + "x" + std::to_string(shape.n) + "x" + std::to_string(shape.k)};
        const UnitData data{RandomUnit(shape, shape.n + 1)};
        auto session = cuda::CudaUnitSession::Open(data);
        ASSERT_TRUE(session) << what << ": " << session.error_message();
        ASSERT_EQ(session->Tiles(), shape.TileCount());
        // One nonce, and more nonces than lanes (a lane serves several in turn).
        for (const size_t batch : {size_t{1}, size_t{cuda::SESSION_LANES + 2}}) {
            std::vector<uint256> seeds;
            for (size_t i = 0; i < batch; ++i) seeds.push_back(TestSeed(static_cast<uint32_t>(100 * batch + i)));
            auto states = session->Run(seeds);
            ASSERT_TRUE(states) << what << ": " << states.error_message();
            ASSERT_EQ(states->size(), batch * shape.TileCount());
            for (size_t i = 0; i < batch; ++i) {
                TranscriptOptions cpu_options;
                cpu_options.backend = BestTranscriptBackend();
                auto cpu = ComputeUnitTranscript(data, Noise::DrawUnit(seeds[i], shape), cpu_options);
                ASSERT_TRUE(cpu) << cpu.error_message();
                EXPECT_TRUE(std::equal(cpu->states.begin(), cpu->states.end(),
                                       states->begin() + i * shape.TileCount()))
                    << what << " batch " << batch << " seed " << i;
            }
        }
        EXPECT_FALSE(session->Run({}));
        EXPECT_FALSE(session->Run(std::vector<uint256>(cuda::SESSION_MAX_BATCH + 1)));
    }
    UnitData bad{RandomUnit(UnitShape{64, 64, 64}, 10)};
    bad.b[5] = -128;
    auto session = cuda::CudaUnitSession::Open(bad);
    ASSERT_TRUE(session) << session.error_message();
    const std::vector<uint256> one{TestSeed(1)};
    auto out_of_range = session->Run(one);
    ASSERT_FALSE(out_of_range);
    EXPECT_EQ(out_of_range.error_message(), "input-out-of-range");
}
#endif  // HPIPS_HAVE_POUW_CUDA

}  // namespace
}  // namespace hpips::pouw
