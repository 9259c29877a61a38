// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Heavy-kernel benchmarks: our int8 GEMM against oneDNN's dnnl_gemm_s8s8s32
// (when the build found oneDNN) and against the reference loop; conv2d fast
// path against the direct loop. Benchmark names end in /ours, /baseline or
// another variant; contrib/bench_table.py pairs them. Floating point appears
// only in the reporting (GMAC/s), never in the kernels.
#include <kernels/conv.h>
#include <kernels/gemm.h>
#include <util/thread_pool.h>

#include <benchmark/benchmark.h>

#if defined(HPIPS_HAVE_DNNL)
#include <oneapi/dnnl/dnnl.h>
#include <omp.h>
#endif

#if defined(__x86_64__)
#include <immintrin.h>
#endif

#include <cstdint>
#include <cstdio>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include <time.h>

namespace {

using hpips::GemmIsa;

struct Shape {
    size_t m;
    size_t n;
    size_t k;
    std::string Name() const { return std::to_string(m) + "x" + std::to_string(n) + "x" + std::to_string(k); }
    double Macs() const { return static_cast<double>(m) * static_cast<double>(n) * static_cast<double>(k); }
};

/** The PoUW work-unit shapes the task names (m × n × k). */
const std::vector<Shape> SHAPES{{1024, 256, 2304}, {1024, 64, 4096}, {2048, 256, 512}};
const std::vector<size_t> THREADS{1, 2};

std::vector<int8_t> RandomBytes(size_t count, uint32_t seed)
{
    std::mt19937 rng{seed};
    std::uniform_int_distribution<int> dist{-128, 127};
    std::vector<int8_t> v(count);
    for (auto& x : v) x = static_cast<int8_t>(dist(rng));
    return v;
}

struct GemmData {
    Shape shape;
    std::vector<int8_t> a;
    std::vector<int8_t> b;
    explicit GemmData(const Shape& s) : shape{s}, a{RandomBytes(s.m * s.k, 1)}, b{RandomBytes(s.k * s.n, 2)} {}
    hpips::MatrixView<const int8_t> A() const { return {a.data(), shape.m, shape.k, shape.k}; }
    hpips::MatrixView<const int8_t> B() const { return {b.data(), shape.k, shape.n, shape.n}; }
};

void SetRate(benchmark::State& state, double macs_per_iteration)
{
    state.counters["GMAC/s"] = benchmark::Counter(macs_per_iteration / 1e9, benchmark::Counter::kIsIterationInvariantRate);
}

void BenchOurs(benchmark::State& state, const GemmData* data, GemmIsa isa, size_t threads)
{
    auto packed{hpips::PackedB::Pack(data->B(), isa)};
    if (!packed) {
        state.SkipWithError(packed.error_message().c_str());
        return;
    }
    hpips::ThreadPool pool{threads};
    std::vector<int32_t> c(data->shape.m * data->shape.n);
    for (auto _ : state) {
        auto ok{hpips::Gemm(data->A(), *packed, {c.data(), data->shape.m, data->shape.n, data->shape.n}, &pool)};
        benchmark::DoNotOptimize(c.data());
        if (!ok) state.SkipWithError(ok.error_message().c_str());
    }
    SetRate(state, data->shape.Macs());
}

/** Ours including the packing of B on every call (what a caller without
 *  reusable weights pays). */
void BenchOursWithPack(benchmark::State& state, const GemmData* data, GemmIsa isa, size_t threads)
{
    hpips::ThreadPool pool{threads};
    std::vector<int32_t> c(data->shape.m * data->shape.n);
    for (auto _ : state) {
        auto ok{hpips::Gemm(data->A(), data->B(), {c.data(), data->shape.m, data->shape.n, data->shape.n}, isa, &pool)};
        benchmark::DoNotOptimize(c.data());
        if (!ok) state.SkipWithError(ok.error_message().c_str());
    }
    SetRate(state, data->shape.Macs());
}

/** The triple loop on the first `rows` rows only (it is slow); the rate is
 *  per MAC actually done. */
void BenchReference(benchmark::State& state, const GemmData* data, size_t rows)
{
    std::vector<int32_t> c(rows * data->shape.n);
    const hpips::MatrixView<const int8_t> a{data->a.data(), rows, data->shape.k, data->shape.k};
    for (auto _ : state) {
        auto ok{hpips::GemmReference(a, data->B(), {c.data(), rows, data->shape.n, data->shape.n})};
        benchmark::DoNotOptimize(c.data());
        if (!ok) state.SkipWithError(ok.error_message().c_str());
    }
    SetRate(state, static_cast<double>(rows) * data->shape.n * data->shape.k);
}

#if defined(HPIPS_HAVE_DNNL)
dnnl_status_t DnnlGemm(const GemmData& data, int32_t* c)
{
    const int32_t c_offset{0};
    const auto m{static_cast<dnnl_dim_t>(data.shape.m)};
    const auto n{static_cast<dnnl_dim_t>(data.shape.n)};
    const auto k{static_cast<dnnl_dim_t>(data.shape.k)};
    return dnnl_gemm_s8s8s32('N', 'N', 'F', m, n, k, 1.0f, data.a.data(), k, 0, data.b.data(), n, 0, 0.0f, c, n,
                             &c_offset);
}

void BenchDnnl(benchmark::State& state, const GemmData* data, size_t threads)
{
    omp_set_num_threads(static_cast<int>(threads));
    std::vector<int32_t> c(data->shape.m * data->shape.n);
    for (auto _ : state) {
        if (DnnlGemm(*data, c.data()) != dnnl_success) state.SkipWithError("dnnl_gemm_s8s8s32 failed");
        benchmark::DoNotOptimize(c.data());
    }
    SetRate(state, data->shape.Macs());
}

/** oneDNN and our GEMM must agree once per shape (a sanity check of both the
 *  baseline call and our kernel). */
bool DnnlAgrees(const GemmData& data)
{
    std::vector<int32_t> ours(data.shape.m * data.shape.n);
    std::vector<int32_t> theirs(ours.size());
    omp_set_num_threads(1);
    if (!hpips::Gemm(data.A(), data.B(), {ours.data(), data.shape.m, data.shape.n, data.shape.n}, hpips::BestGemmIsa())) {
        return false;
    }
    if (DnnlGemm(data, theirs.data()) != dnnl_success) return false;
    return ours == theirs;
}
#endif

/** 3 × 3 × 64 → 64 conv on a 128 × 128 input, padding 1 (m = 16384, k = 576,
 *  n = 64), with requantization. */
struct ConvData {
    hpips::Int8Tensor input{128, 128, 64};
    hpips::ConvWeights weights{3, 3, 64, 64, RandomBytes(3 * 3 * 64 * 64, 4)};
    hpips::Conv2dParams params{};
    hpips::ConvOutputStage stage{};
    ConvData()
    {
        input.data = RandomBytes(input.Size(), 3);
        params.pad_h = params.pad_w = 1;
        params.input_zero_point = -5;
        stage.requant.multiplier = 1 << 30;
        stage.requant.shift = 8;
        stage.requant.relu = true;
    }
    double Macs() const { return 128.0 * 128.0 * 64.0 * 576.0; }
};

void BenchConvOurs(benchmark::State& state, const ConvData* data, size_t threads)
{
    auto packed{hpips::PackedConvWeights::Pack(data->weights, hpips::BestGemmIsa())};
    if (!packed) {
        state.SkipWithError(packed.error_message().c_str());
        return;
    }
    hpips::ThreadPool pool{threads};
    for (auto _ : state) {
        auto out{hpips::Conv2d(data->input, *packed, data->params, data->stage, &pool)};
        if (!out) state.SkipWithError(out.error_message().c_str());
        benchmark::DoNotOptimize(out);
    }
    SetRate(state, data->Macs());
}

void BenchConvReference(benchmark::State& state, const ConvData* data)
{
    for (auto _ : state) {
        auto out{hpips::Conv2dReference(data->input, data->weights, data->params, data->stage)};
        if (!out) state.SkipWithError(out.error_message().c_str());
        benchmark::DoNotOptimize(out);
    }
    SetRate(state, data->Macs());
}

#if defined(__x86_64__)
/** CPU time of the calling thread in seconds: unlike wall time it does not
 *  count the time other processes hold the core (the build machines are shared). */
double ThreadSeconds()
{
    timespec ts{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

/** Machine int8 peak of one core, measured: 24 independent vpdpbusd zmm
 *  chains (enough to cover latency × throughput on current cores), each
 *  instruction 64 MACs. In assembly because GCC spills an array of 24
 *  accumulators. Returns MAC/s of thread CPU time. */
__attribute__((target("avx512f,avx512vnni"))) double MeasureVnniPeak()
{
    constexpr int CHAINS{24};
    constexpr int64_t ITERATIONS{20'000'000};
    int64_t count{ITERATIONS};
    const double start{ThreadSeconds()};
    asm volatile(
        "vpternlogd $0xff, %%zmm24, %%zmm24, %%zmm24\n\t"
        "vpternlogd $0xff, %%zmm25, %%zmm25, %%zmm25\n\t"
        "1:\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm0\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm1\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm2\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm3\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm4\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm5\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm6\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm7\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm8\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm9\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm10\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm11\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm12\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm13\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm14\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm15\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm16\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm17\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm18\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm19\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm20\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm21\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm22\n\t"
            "vpdpbusd %%zmm25, %%zmm24, %%zmm23\n\t"
        "dec %[count]\n\t"
        "jnz 1b\n\t"
        : [count] "+r"(count)
        :
        : "cc", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25");
    const double elapsed{ThreadSeconds() - start};
    return static_cast<double>(ITERATIONS) * CHAINS * 64.0 / elapsed;
}

/** Core clock, measured: a chain of dependent 1-cycle adds. */
double MeasureClockHz()
{
    constexpr int64_t ITERATIONS{500'000'000};
    uint64_t x{1};
    const double start{ThreadSeconds()};
    for (int64_t it = 0; it < ITERATIONS; ++it) {
        // Four dependent adds per iteration; the loop counter runs in parallel.
        asm volatile("add $1, %0\n\tadd $1, %0\n\tadd $1, %0\n\tadd $1, %0" : "+r"(x));
    }
    const double elapsed{ThreadSeconds() - start};
    benchmark::DoNotOptimize(x);
    return static_cast<double>(ITERATIONS) * 4.0 / elapsed;
}
#endif

/** Single-threaded runs are timed in thread CPU time, which other processes
 *  on a shared machine do not inflate; multi-threaded runs need wall time. */
void Timing(benchmark::internal::Benchmark* b, size_t threads)
{
    if (threads > 1) b->UseRealTime();
}

}  // namespace

int main(int argc, char** argv)
{
    benchmark::Initialize(&argc, argv);
    const GemmIsa best{hpips::BestGemmIsa()};
    benchmark::AddCustomContext("hpips_gemm_isa", std::string{hpips::GemmIsaName(best)});
#if defined(__x86_64__)
    if (best == GemmIsa::AVX512_VNNI) {
        const double clock{MeasureClockHz()};
        const double peak{MeasureVnniPeak()};
        char text[160];
        std::snprintf(text, sizeof(text), "%.3f", peak / 1e9);
        benchmark::AddCustomContext("hpips_peak_gmacs_per_core", text);
        std::snprintf(text, sizeof(text), "%.3f", clock / 1e9);
        benchmark::AddCustomContext("hpips_clock_ghz", text);
        std::snprintf(text, sizeof(text), "%.2f", peak / clock / 64.0);
        benchmark::AddCustomContext("hpips_vpdpbusd_zmm_per_cycle", text);
        std::fprintf(stderr, "measured: clock %.3f GHz, vpdpbusd peak %.1f GMAC/s per core (%.2f zmm/cycle)\n",
                     clock / 1e9, peak / 1e9, peak / clock / 64.0);
    }
#endif
    std::vector<std::unique_ptr<GemmData>> datas;
    for (const Shape& shape : SHAPES) {
        datas.push_back(std::make_unique<GemmData>(shape));
        const GemmData* data{datas.back().get()};
        const std::string base{"gemm/" + shape.Name()};
#if defined(HPIPS_HAVE_DNNL)
        const bool agrees{DnnlAgrees(*data)};
        benchmark::AddCustomContext("hpips_dnnl_matches_" + shape.Name(), agrees ? "yes" : "NO");
        if (!agrees) std::fprintf(stderr, "WARNING: oneDNN and HPIPS disagree on %s\n", shape.Name().c_str());
#endif
        for (const size_t threads : THREADS) {
            const std::string group{base + "/threads:" + std::to_string(threads)};
            Timing(benchmark::RegisterBenchmark((group + "/ours").c_str(), BenchOurs, data, best, threads), threads);
#if defined(HPIPS_HAVE_DNNL)
            Timing(benchmark::RegisterBenchmark((group + "/baseline").c_str(), BenchDnnl, data, threads), threads);
#endif
            Timing(benchmark::RegisterBenchmark((group + "/ours+pack").c_str(), BenchOursWithPack, data, best, threads),
                   threads);
            if (threads == 1) {
                for (const GemmIsa isa : hpips::SupportedGemmIsas()) {
                    if (isa == best) continue;
                    benchmark::RegisterBenchmark((group + "/" + std::string{hpips::GemmIsaName(isa)}).c_str(),
                                                 BenchOurs, data, isa, threads);
                }
                benchmark::RegisterBenchmark((group + "/reference").c_str(), BenchReference, data, size_t{16});
            }
        }
    }
    const auto conv{std::make_unique<ConvData>()};
    for (const size_t threads : THREADS) {
        const std::string group{"conv/128x128x64_3x3x64/threads:" + std::to_string(threads)};
        Timing(benchmark::RegisterBenchmark((group + "/ours").c_str(), BenchConvOurs, conv.get(), threads), threads);
        if (threads == 1) {
            benchmark::RegisterBenchmark((group + "/baseline").c_str(), BenchConvReference, conv.get())->Iterations(1);
        }
    }
    benchmark::RunSpecifiedBenchmarks();
    benchmark::Shutdown();
    return 0;
}
