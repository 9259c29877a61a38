// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// PoUW benchmarks (1 thread): the honest ticketed GEMM of a unit (noise,
// noisy operands, transcript with the per-step fold, tickets of every tile,
// denoising) against the kernels' fast plain GEMM of the same shape, and
// VerifyTicket of one tile at k = 4096. Floating point appears only in the
// reported rates, never in the measured code.
#include <kernels/gemm.h>
#include <kernels/tensor.h>
#include <pouw/denoise.h>
#include <pouw/miner.h>
#include <pouw/noise.h>
#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <pouw/transcript.h>
#include <pouw/verify.h>
#include <primitives/target.h>
#include <util/strencodings.h>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <random>
#include <vector>

namespace {

using namespace hpips;
using namespace hpips::pouw;

const std::vector<UnitShape> SHAPES{{1024, 64, 4096}, {1024, 256, 2304}, {2048, 256, 512}};

UnitData RandomUnit(const UnitShape& shape)
{
    std::mt19937 rng{shape.m + shape.n + shape.k};
    const auto draw = [&] { return static_cast<int8_t>(static_cast<int32_t>(rng() % 225) - 112); };
    UnitData d{shape, std::vector<int8_t>(size_t{shape.m} * shape.k), std::vector<int8_t>(size_t{shape.k} * shape.n)};
    for (auto& v : d.a) v = draw();
    for (auto& v : d.b) v = draw();
    return d;
}

std::array<uint8_t, 32> MinerKey()
{
    const auto bytes = ParseHex("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

void SetRates(benchmark::State& state, const UnitShape& shape)
{
    const double macs{static_cast<double>(shape.m) * shape.n * shape.k};
    state.counters["GMAC/s"] = benchmark::Counter(macs * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/** The kernels' fast GEMM with B packed once outside the loop (a conv layer packs its weights once). */
void BM_PlainGemm(benchmark::State& state)
{
    const UnitShape shape{SHAPES[state.range(0)]};
    const UnitData d{RandomUnit(shape)};
    const MatrixView<const int8_t> a{d.a.data(), shape.m, shape.k, shape.k};
    const MatrixView<const int8_t> b{d.b.data(), shape.k, shape.n, shape.n};
    auto packed = PackedB::Pack(b, BestGemmIsa());
    std::vector<int32_t> c(size_t{shape.m} * shape.n);
    const MatrixView<int32_t> cv{c.data(), shape.m, shape.n, shape.n};
    for (auto _ : state) {
        auto ok = Gemm(a, *packed, cv);
        benchmark::DoNotOptimize(c.data());
        if (!ok) state.SkipWithError("gemm failed");
    }
    state.SetLabel(std::string{GemmIsaName(BestGemmIsa())});
    SetRates(state, shape);
}

/** One nonce of honest mining: seed, noise, A' and B', the transcript of every
 *  tile (with A'·B' kept), every tile's ticket, and (when range(1)) the
 *  denoised useful output. */
void BM_TicketedGemm(benchmark::State& state)
{
    const UnitShape shape{SHAPES[state.range(0)]};
    const bool denoise{state.range(1) != 0};
    const UnitData d{RandomUnit(shape)};
    const auto key = MinerKey();
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes{};
    const uint256 unit_id{};
    const ArithUint256 target{ArithUint256{1} << 240};
    std::vector<int32_t> noisy(size_t{shape.m} * shape.n);
    uint64_t nonce{0};
    size_t wins{0};
    for (auto _ : state) {
        const uint256 seed{ComputeSeed(template_bytes, key, nonce++, unit_id)};
        const Noise noise{Noise::DrawUnit(seed, shape)};
        TranscriptOptions options;
        options.backend = BestTranscriptBackend();
        options.noisy_product = noisy;
        auto transcript = ComputeUnitTranscript(d, noise, options);
        for (uint32_t t = 0; t < shape.TileCount(); ++t) {
            wins += TicketWins(ComputeTicket(seed, t, EncodeState(transcript->states[t])), target, shape.k);
        }
        if (denoise) {
            auto c = Denoise(d, noise, noisy);
            benchmark::DoNotOptimize(c->data());
        }
    }
    benchmark::DoNotOptimize(wins);
    state.SetLabel(std::string{TranscriptBackendName(BestTranscriptBackend())} + (denoise ? "+denoise" : ""));
    SetRates(state, shape);
}

/** VerifyTicket of a job unit's winning tile at k = 4096 (main-chain shape), one core. */
void BM_VerifyTicket(benchmark::State& state)
{
    const UnitShape shape{1024, 64, 4096};
    MinerUnit unit;
    unit.data = RandomUnit(shape);
    unit.descriptor.shape = shape;
    unit.descriptor.clamp_min = -128;
    unit.descriptor.clamp_max = 127;
    unit.descriptor.a_root = ComputeARoot(unit.data);
    unit.descriptor.b_root = ComputeBRoot(unit.data);
    BlockHeader header;
    header.bits = 0x207fffff;  // easy target: a tile wins within a few nonces
    MinerRequest request;
    request.template_bytes = header.SerializeTemplate();
    request.miner_key = MinerKey();
    request.nonce_end = 1000;
    request.backend = BestTranscriptBackend();
    auto mined = MineUnits(request, std::span{&unit, 1}, ShapeRules::Main(), nullptr, nullptr);
    if (!mined || mined->wins.empty()) {
        state.SkipWithError("could not mine a proof");
        return;
    }
    header.proof = mined->wins.front().proof;
    const auto& opening = mined->wins.front().opening;
    for (auto _ : state) {
        auto ok = VerifyTicket(header, opening, ShapeRules::Main());
        if (!ok) state.SkipWithError(ok.error_message().c_str());
    }
    state.counters["opening_bytes"] = static_cast<double>(opening.size());
}

void ShapeArgs(benchmark::internal::Benchmark* b)
{
    for (int64_t s = 0; s < static_cast<int64_t>(SHAPES.size()); ++s) b->Args({s});
    b->ArgNames({"shape"});
}

void TicketedArgs(benchmark::internal::Benchmark* b)
{
    for (int64_t s = 0; s < static_cast<int64_t>(SHAPES.size()); ++s) {
        b->Args({s, 0});
        b->Args({s, 1});
    }
    b->ArgNames({"shape", "denoise"});
}

BENCHMARK(BM_PlainGemm)->Apply(ShapeArgs)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_TicketedGemm)->Apply(TicketedArgs)->Unit(benchmark::kMillisecond)->UseRealTime();
BENCHMARK(BM_VerifyTicket)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace

BENCHMARK_MAIN();
