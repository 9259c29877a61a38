// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// PoUW benchmarks (1 thread, CPU time like bench_gemm's threads:1 rows): the
// honest ticketed GEMM of a unit against the kernels' fast plain GEMM of the
// same shape, its parts, and VerifyTicket of one tile at k = 4096.
//
// Names follow contrib/bench_table.py: in group pouw/<m>x<n>x<k>/threads:1
//   baseline       the plain GEMM (B packed once, as a layer packs its weights)
//   ours           one nonce of honest mining: seed, noise, A' and B', the
//                  transcript of every tile with the per-step fold and A'·B'
//                  kept, every tile's ticket
//   ours+denoise   the same plus denoising to C = A·B (done once per unit by
//                  the miner, so this is the worst case: a unit mined for one nonce)
// and in group pouw_part/<m>x<n>x<k>/threads:1 the parts: noise (Noise::DrawUnit),
// transcript (ComputeUnitTranscript), denoise (Denoise). oneDNN's int8 GEMM
// of the same shapes is bench_gemm's gemm/<shape>/threads:1/baseline.
// Floating point appears only in the reported rates, never in the measured code.
#include <kernels/gemm.h>
#include <kernels/tensor.h>
#include <pouw/denoise.h>
#include <pouw/engine.h>
#include <pouw/noise.h>
#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <pouw/transcript.h>
#include <pouw/verify.h>
#include <primitives/target.h>
#include <util/strencodings.h>

#include <benchmark/benchmark.h>

#include <cstdint>
#include <memory>
#include <random>
#include <string>
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

std::string ShapeName(const UnitShape& shape)
{
    return std::to_string(shape.m) + "x" + std::to_string(shape.n) + "x" + std::to_string(shape.k);
}

void SetRates(benchmark::State& state, const UnitShape& shape)
{
    const double macs{static_cast<double>(shape.m) * shape.n * shape.k};
    state.counters["GMAC/s"] = benchmark::Counter(macs * 1e-9, benchmark::Counter::kIsIterationInvariantRate);
}

/** A unit's data and the seeds of successive nonces. */
struct Fixture {
    explicit Fixture(const UnitShape& s) : shape{s}, data{RandomUnit(s)}, noisy(size_t{s.m} * s.n) {}
    uint256 Seed(uint64_t nonce) const { return ComputeSeed(template_bytes, key, nonce, unit_id); }

    UnitShape shape;
    UnitData data;
    std::vector<int32_t> noisy;
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes{};
    std::array<uint8_t, 32> key{MinerKey()};
    uint256 unit_id{};
};

/** The kernels' fast GEMM with B packed once outside the loop. */
void BenchPlainGemm(benchmark::State& state, const Fixture* f)
{
    const UnitShape& shape{f->shape};
    const MatrixView<const int8_t> a{f->data.a.data(), shape.m, shape.k, shape.k};
    const MatrixView<const int8_t> b{f->data.b.data(), shape.k, shape.n, shape.n};
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

/** One nonce of honest mining, with (denoise) or without the useful output. */
void BenchTicketedGemm(benchmark::State& state, Fixture* f, bool denoise)
{
    const UnitShape& shape{f->shape};
    const ArithUint256 target{ArithUint256{1} << 240};
    uint64_t nonce{0};
    size_t wins{0};
    for (auto _ : state) {
        const uint256 seed{f->Seed(nonce++)};
        const Noise noise{Noise::DrawUnit(seed, shape)};
        TranscriptOptions options;
        options.backend = BestTranscriptBackend();
        options.noisy_product = f->noisy;
        auto transcript = ComputeUnitTranscript(f->data, noise, options);
        if (!transcript) {
            state.SkipWithError(transcript.error_message().c_str());
            return;
        }
        for (uint32_t t = 0; t < shape.TileCount(); ++t) {
            wins += TicketWins(ComputeTicket(seed, t, EncodeState(transcript->states[t])), target, shape.k);
        }
        if (denoise) {
            auto c = Denoise(f->data, noise, f->noisy);
            benchmark::DoNotOptimize(c->data());
        }
    }
    benchmark::DoNotOptimize(wins);
    state.SetLabel(std::string{TranscriptBackendName(BestTranscriptBackend())});
    SetRates(state, shape);
}

void BenchNoise(benchmark::State& state, const Fixture* f)
{
    uint64_t nonce{0};
    for (auto _ : state) {
        const Noise noise{Noise::DrawUnit(f->Seed(nonce++), f->shape)};
        benchmark::DoNotOptimize(noise.ELeft(0).data());
    }
}

void BenchTranscript(benchmark::State& state, Fixture* f)
{
    const Noise noise{Noise::DrawUnit(f->Seed(0), f->shape)};
    TranscriptOptions options;
    options.backend = BestTranscriptBackend();
    options.noisy_product = f->noisy;
    for (auto _ : state) {
        auto transcript = ComputeUnitTranscript(f->data, noise, options);
        benchmark::DoNotOptimize(transcript->states.data());
    }
    SetRates(state, f->shape);
}

void BenchDenoise(benchmark::State& state, const Fixture* f)
{
    const Noise noise{Noise::DrawUnit(f->Seed(0), f->shape)};
    for (auto _ : state) {
        auto c = Denoise(f->data, noise, f->noisy);
        benchmark::DoNotOptimize(c->data());
    }
}

/** VerifyTicket of a job unit's winning tile at k = 4096 (main-chain shape), one core. */
void BenchVerifyTicket(benchmark::State& state)
{
    const UnitShape shape{1024, 64, 4096};
    WorkUnit unit;
    unit.data = RandomUnit(shape);
    unit.descriptor.shape = shape;
    unit.descriptor.clamp_min = -128;
    unit.descriptor.clamp_max = 127;
    unit.descriptor.a_root = ComputeARoot(unit.data);
    unit.descriptor.b_root = ComputeBRoot(unit.data);
    BlockHeader header;
    header.bits = 0x207fffff;  // easy target: a tile wins within a few nonces
    EngineRequest request;
    request.template_bytes = header.SerializeTemplate();
    request.miner_key = MinerKey();
    request.nonce_end = 1000;
    request.backend = BestTranscriptBackend();
    auto mined = EvaluateUnits(request, std::span{&unit, 1}, ShapeRules::Main(), nullptr, nullptr);
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

}  // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    std::vector<std::unique_ptr<Fixture>> fixtures;
    for (const UnitShape& shape : SHAPES) {
        Fixture* f{fixtures.emplace_back(std::make_unique<Fixture>(shape)).get()};
        const std::string group{"pouw/" + ShapeName(shape) + "/threads:1"};
        const std::string parts{"pouw_part/" + ShapeName(shape) + "/threads:1"};
        benchmark::RegisterBenchmark((group + "/baseline").c_str(), BenchPlainGemm, f)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((group + "/ours").c_str(), BenchTicketedGemm, f, false)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((group + "/ours+denoise").c_str(), BenchTicketedGemm, f, true)
            ->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((parts + "/noise").c_str(), BenchNoise, f)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((parts + "/transcript").c_str(), BenchTranscript, f)->Unit(benchmark::kMillisecond);
        benchmark::RegisterBenchmark((parts + "/denoise").c_str(), BenchDenoise, f)->Unit(benchmark::kMillisecond);
    }
    benchmark::RegisterBenchmark("pouw_verify/1024x64x4096/threads:1/ours", BenchVerifyTicket)
        ->Unit(benchmark::kMillisecond);
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
