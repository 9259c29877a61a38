// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// bench_gpu: the GPU check's benchmark (contrib/gpu-check.sh), built only with
// CUDA. One case per invocation, so a baseline library that misbehaves loses
// one row, not the table; each prints one tab-separated row on stdout:
//   bench_gpu gemm M N K   ticketed GEMM per nonce (the miner's persistent
//                          session: noise on the device, every tile's state,
//                          tickets on the host) against a plain int8 GEMM of
//                          the same shape on the same GPU: cuBLASLt loaded at
//                          run time (dlopen libcublasLt.so.13), and the
//                          project's own plain CUDA GEMM; plus the one-shot
//                          path (allocation and upload per nonce) for contrast.
//   bench_gpu light OP     a light kernel at 1920×1080 against NPP (dlopen) where
//                          NPP has the same operation. Both timed host to host
//                          (upload, kernel, download: what the project's API
//                          does per call); NPP's kernel alone is shown too.
// Nothing here is consensus code; doubles are for display only.
#include <kernels/cuda/cuda_gemm.h>
#include <kernels/cuda/cuda_ops.h>
#include <kernels/gemm.h>
#include <kernels/image.h>
#include <pouw/cuda/cuda_transcript.h>
#include <pouw/params.h>
#include <pouw/ticket.h>
#include <pouw/transcript.h>
#include <pouw/unit.h>
#include <util/uint256.h>

#include <cublasLt.h>
#include <cuda_runtime.h>
#include <dlfcn.h>

#include <chrono>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <random>
#include <string>
#include <vector>

namespace {

using namespace hpips;
using Clock = std::chrono::steady_clock;

/** How long each timed loop runs at least (seconds) and at most (iterations). */
constexpr double MIN_SECONDS{0.4};
constexpr int MAX_ITERATIONS{100000};

[[noreturn]] void Fail(const std::string& what)
{
    std::fprintf(stderr, "bench_gpu: %s\n", what.c_str());
    std::exit(1);
}

void Check(cudaError_t status, const char* what)
{
    if (status != cudaSuccess) Fail(std::string{what} + ": " + cudaGetErrorString(status));
}

/** Mean seconds per call of `body` (run once first to warm up). */
double TimeHost(const std::function<void()>& body)
{
    body();
    int iterations{0};
    const auto start = Clock::now();
    double elapsed{0};
    do {
        body();
        ++iterations;
        elapsed = std::chrono::duration<double>(Clock::now() - start).count();
    } while (elapsed < MIN_SECONDS && iterations < MAX_ITERATIONS);
    return elapsed / iterations;
}

/** Mean seconds per call of `enqueue` (device work on the default stream),
 *  timed with events over repeated launches. */
double TimeDevice(const std::function<void()>& enqueue)
{
    enqueue();
    Check(cudaDeviceSynchronize(), "warm-up");
    cudaEvent_t begin, end;
    Check(cudaEventCreate(&begin), "cudaEventCreate");
    Check(cudaEventCreate(&end), "cudaEventCreate");
    int iterations{1};
    double seconds{0};
    while (true) {
        Check(cudaEventRecord(begin), "cudaEventRecord");
        for (int i = 0; i < iterations; ++i) enqueue();
        Check(cudaEventRecord(end), "cudaEventRecord");
        Check(cudaEventSynchronize(end), "cudaEventSynchronize");
        float ms{0};
        Check(cudaEventElapsedTime(&ms, begin, end), "cudaEventElapsedTime");
        seconds = ms / 1e3;
        if (seconds >= MIN_SECONDS / 2 || iterations >= MAX_ITERATIONS) break;
        iterations *= 4;
    }
    (void)cudaEventDestroy(begin);
    (void)cudaEventDestroy(end);
    return seconds / iterations;
}

std::vector<int8_t> RandomInt8(size_t count, uint32_t salt, int bound)
{
    std::mt19937 rng{salt};
    std::uniform_int_distribution<int> dist{-bound, bound};
    std::vector<int8_t> out(count);
    for (auto& v : out) v = static_cast<int8_t>(dist(rng));
    return out;
}

void* Open(const char* name)
{
    void* handle{dlopen(name, RTLD_NOW | RTLD_LOCAL)};
    if (handle == nullptr) std::fprintf(stderr, "bench_gpu: cannot load %s: %s\n", name, dlerror());
    return handle;
}

template <typename F>
F Symbol(void* handle, const char* name)
{
    void* symbol{handle != nullptr ? dlsym(handle, name) : nullptr};
    if (symbol == nullptr && handle != nullptr) std::fprintf(stderr, "bench_gpu: %s not found\n", name);
    return reinterpret_cast<F>(symbol);
}

/** cuBLASLt int8 × int8 → int32 GEMM of m × n × k on device buffers, in the
 *  layout cuBLASLt's int8 kernels prefer (A transposed: "TN"); the cost of a
 *  GEMM does not depend on which layout holds the same numbers. Returns the
 *  seconds per call, or a negative value (with a message) when cuBLASLt is
 *  missing or has no algorithm. */
double CublasLtGemm(uint32_t m, uint32_t n, uint32_t k, const int8_t* d_a, const int8_t* d_b, int32_t* d_c)
{
    void* lib{Open("libcublasLt.so.13")};
    if (lib == nullptr) return -1;
    auto create = Symbol<decltype(&cublasLtCreate)>(lib, "cublasLtCreate");
    auto desc_create = Symbol<decltype(&cublasLtMatmulDescCreate)>(lib, "cublasLtMatmulDescCreate");
    auto desc_set = Symbol<decltype(&cublasLtMatmulDescSetAttribute)>(lib, "cublasLtMatmulDescSetAttribute");
    auto layout_create = Symbol<decltype(&cublasLtMatrixLayoutCreate)>(lib, "cublasLtMatrixLayoutCreate");
    auto pref_create = Symbol<decltype(&cublasLtMatmulPreferenceCreate)>(lib, "cublasLtMatmulPreferenceCreate");
    auto pref_set = Symbol<decltype(&cublasLtMatmulPreferenceSetAttribute)>(lib,
                                                                             "cublasLtMatmulPreferenceSetAttribute");
    auto heuristic = Symbol<decltype(&cublasLtMatmulAlgoGetHeuristic)>(lib, "cublasLtMatmulAlgoGetHeuristic");
    auto matmul = Symbol<decltype(&cublasLtMatmul)>(lib, "cublasLtMatmul");
    if (!create || !desc_create || !desc_set || !layout_create || !pref_create || !pref_set || !heuristic || !matmul) {
        return -1;
    }
    cublasLtHandle_t handle;
    if (create(&handle) != CUBLAS_STATUS_SUCCESS) {
        std::fprintf(stderr, "bench_gpu: cublasLtCreate failed\n");
        return -1;
    }
    cublasLtMatmulDesc_t desc;
    if (desc_create(&desc, CUBLAS_COMPUTE_32I, CUDA_R_32I) != CUBLAS_STATUS_SUCCESS) return -1;
    const cublasOperation_t trans_a{CUBLAS_OP_T}, trans_b{CUBLAS_OP_N};
    desc_set(desc, CUBLASLT_MATMUL_DESC_TRANSA, &trans_a, sizeof(trans_a));
    desc_set(desc, CUBLASLT_MATMUL_DESC_TRANSB, &trans_b, sizeof(trans_b));
    // Column-major: A is k × m (op T gives m × k), B is k × n, C is m × n.
    cublasLtMatrixLayout_t la, lb, lc;
    if (layout_create(&la, CUDA_R_8I, k, m, k) != CUBLAS_STATUS_SUCCESS ||
        layout_create(&lb, CUDA_R_8I, k, n, k) != CUBLAS_STATUS_SUCCESS ||
        layout_create(&lc, CUDA_R_32I, m, n, m) != CUBLAS_STATUS_SUCCESS) {
        std::fprintf(stderr, "bench_gpu: cublasLtMatrixLayoutCreate failed\n");
        return -1;
    }
    constexpr size_t WORKSPACE{size_t{32} << 20};
    void* workspace{nullptr};
    Check(cudaMalloc(&workspace, WORKSPACE), "cudaMalloc workspace");
    cublasLtMatmulPreference_t pref;
    pref_create(&pref);
    const size_t workspace_size{WORKSPACE};
    pref_set(pref, CUBLASLT_MATMUL_PREF_MAX_WORKSPACE_BYTES, &workspace_size, sizeof(workspace_size));
    cublasLtMatmulHeuristicResult_t result{};
    int found{0};
    if (heuristic(handle, desc, la, lb, lc, lc, pref, 1, &result, &found) != CUBLAS_STATUS_SUCCESS || found == 0) {
        std::fprintf(stderr, "bench_gpu: cuBLASLt has no int8 algorithm for %ux%ux%u\n", m, n, k);
        return -1;
    }
    const int32_t alpha{1}, beta{0};
    bool ok{true};
    const double seconds{TimeDevice([&] {
        if (matmul(handle, desc, &alpha, d_a, la, d_b, lb, &beta, d_c, lc, d_c, lc, &result.algo, workspace,
                   WORKSPACE, nullptr) != CUBLAS_STATUS_SUCCESS) {
            ok = false;
        }
    })};
    (void)cudaFree(workspace);
    if (!ok) {
        std::fprintf(stderr, "bench_gpu: cublasLtMatmul failed\n");
        return -1;
    }
    return seconds;
}

int Gemm(uint32_t m, uint32_t n, uint32_t k)
{
    pouw::UnitData data{pouw::UnitShape{m, n, k}, RandomInt8(size_t{m} * k, m + k, pouw::INPUT_BOUND),
                        RandomInt8(size_t{k} * n, n + k, pouw::INPUT_BOUND)};
    // Ticketed: the miner's session, a batch of nonces per call, tickets on the host.
    constexpr size_t BATCH{64};
    auto session = pouw::cuda::CudaUnitSession::Open(data);
    if (!session) Fail("session: " + session.error_message());
    std::vector<uint256> seeds(BATCH);
    uint64_t nonce{0};
    uint64_t wins{0};
    const double batch_seconds{TimeHost([&] {
        for (auto& seed : seeds) {
            seed = uint256{};
            std::memcpy(seed.data(), &nonce, sizeof(nonce));
            ++nonce;
        }
        auto states = session->Run(seeds);
        if (!states) Fail("session run: " + states.error_message());
        const uint32_t tiles{session->Tiles()};
        for (size_t i = 0; i < BATCH; ++i) {
            for (uint32_t t = 0; t < tiles; ++t) {
                const uint256 ticket{pouw::ComputeTicket(seeds[i], t, pouw::EncodeState((*states)[i * tiles + t]))};
                wins += ticket.data()[31] == 0;
            }
        }
    })};
    const double ticketed{batch_seconds / BATCH};
    // One-shot: allocation and upload per nonce (the path before the session).
    const double one_shot{TimeHost([&] {
        auto mined = pouw::cuda::CudaMineUnit(data, seeds[0], false);
        if (!mined) Fail("one-shot: " + mined.error_message());
    })};
    // Plain GEMMs on device buffers.
    int8_t *d_a{nullptr}, *d_b{nullptr};
    int32_t* d_c{nullptr};
    Check(cudaMalloc(&d_a, data.a.size()), "cudaMalloc");
    Check(cudaMalloc(&d_b, data.b.size()), "cudaMalloc");
    Check(cudaMalloc(&d_c, size_t{m} * n * sizeof(int32_t)), "cudaMalloc");
    Check(cudaMemcpy(d_a, data.a.data(), data.a.size(), cudaMemcpyHostToDevice), "cudaMemcpy");
    Check(cudaMemcpy(d_b, data.b.data(), data.b.size(), cudaMemcpyHostToDevice), "cudaMemcpy");
    const double own{TimeDevice([&] {
        const MatrixView<const int8_t> a{d_a, m, k, k};
        const MatrixView<const int8_t> b{d_b, k, n, n};
        const MatrixView<int32_t> c{d_c, m, n, n};
        if (auto r = cuda::CudaGemmS8S8S32Device(a, b, c); !r) Fail("plain GEMM: " + r.error_message());
    })};
    const double lt{CublasLtGemm(m, n, k, d_a, d_b, d_c)};
    (void)cudaFree(d_a);
    (void)cudaFree(d_b);
    (void)cudaFree(d_c);
    const double baseline{lt > 0 ? lt : own};
    // shape, ticketed µs/nonce, cuBLASLt µs, own plain µs, one-shot µs, ratio, baseline name, TMAC/s ticketed
    const double macs{double(m) * n * k};
    char lt_text[32]{"n/a"};
    if (lt > 0) std::snprintf(lt_text, sizeof(lt_text), "%.2f", lt * 1e6);
    std::printf("gemm\t%ux%ux%u\t%.2f\t%s\t%.2f\t%.2f\t%.2f\t%s\t%.1f\n", m, n, k, ticketed * 1e6, lt_text,
                own * 1e6, one_shot * 1e6, baseline / ticketed, lt > 0 ? "cuBLASLt" : "own-plain",
                macs / ticketed / 1e12);
    std::fprintf(stderr, "bench_gpu: %llu test tickets with a zero top byte (keeps the loop honest)\n",
                 static_cast<unsigned long long>(wins));
    return 0;
}

// ---- NPP, declared here (the toolkit on the GPU machine has the library; the
// build machine has no NPP headers). The C ABI of NPP 12/13's _Ctx entry points.
using NppStatus = int;
struct NppiSize {
    int width;
    int height;
};
struct NppiPoint {
    int x;
    int y;
};
struct NppiRect {
    int x;
    int y;
    int width;
    int height;
};
struct NppStreamContext {
    cudaStream_t hStream;
    int nCudaDeviceId;
    int nMultiProcessorCount;
    int nMaxThreadsPerMultiProcessor;
    int nMaxThreadsPerBlock;
    size_t nSharedMemPerBlock;
    int nCudaDevAttrComputeCapabilityMajor;
    int nCudaDevAttrComputeCapabilityMinor;
    unsigned int nStreamFlags;
    int nReserved0;
    // Newer NPP documentation shows an optional workspace handle after
    // nStreamFlags. The context is the last argument and passed by value, so
    // zeroed room after the 12.x fields is harmless to a library that does
    // not read it, and means "no workspace" to one that does.
    void* workspace_or_reserved;
    unsigned char room[64];
};
constexpr int NPP_MASK_SIZE_5_X_5{201};
constexpr int NPP_BORDER_REPLICATE{2};
constexpr int NPPI_INTER_LINEAR{2};

NppStreamContext MakeNppContext()
{
    NppStreamContext ctx{};
    int device{0};
    Check(cudaGetDevice(&device), "cudaGetDevice");
    cudaDeviceProp prop{};
    Check(cudaGetDeviceProperties(&prop, device), "cudaGetDeviceProperties");
    ctx.hStream = nullptr;
    ctx.nCudaDeviceId = device;
    ctx.nMultiProcessorCount = prop.multiProcessorCount;
    ctx.nMaxThreadsPerMultiProcessor = prop.maxThreadsPerMultiProcessor;
    ctx.nMaxThreadsPerBlock = prop.maxThreadsPerBlock;
    ctx.nSharedMemPerBlock = prop.sharedMemPerBlock;
    ctx.nCudaDevAttrComputeCapabilityMajor = prop.major;
    ctx.nCudaDevAttrComputeCapabilityMinor = prop.minor;
    ctx.nStreamFlags = 0;
    return ctx;
}

constexpr int WIDTH{1920};
constexpr int HEIGHT{1080};

int Light(const std::string& op)
{
    const int in_channels{op == "bgr2gray" ? 3 : 1};
    const int out_w{op == "resize" ? 1280 : WIDTH}, out_h{op == "resize" ? 720 : HEIGHT};
    std::vector<uint8_t> src(static_cast<size_t>(WIDTH) * HEIGHT * static_cast<size_t>(in_channels)), dst(static_cast<size_t>(out_w) * static_cast<size_t>(out_h));
    std::mt19937 rng{7};
    for (auto& v : src) v = static_cast<uint8_t>(rng());
    const ImageView in{src.data(), WIDTH, HEIGHT, in_channels, static_cast<size_t>(WIDTH * in_channels)};
    const MutableImageView out{dst.data(), out_w, out_h, 1, size_t(out_w)};

    std::function<Result<void>()> ours;
    if (op == "bgr2gray") ours = [&] { return cuda::CudaBgrToGray(in, out); };
    else if (op == "gauss5") ours = [&] { return cuda::CudaGaussianBlur(in, out, 5, 0); };
    else if (op == "box5") ours = [&] { return cuda::CudaBoxBlur(in, out, 5); };
    else if (op == "erode3") ours = [&] { return cuda::CudaErode(in, out, 3); };
    else if (op == "dilate3") ours = [&] { return cuda::CudaDilate(in, out, 3); };
    else if (op == "threshold") ours = [&] { return cuda::CudaThreshold(in, out, 127, 255, ThresholdMode::BINARY); };
    else if (op == "resize") ours = [&] { return cuda::CudaResize(in, out); };
    else if (op == "sobel") ours = [&] { return cuda::CudaSobelMagnitude(in, out); };
    else Fail("unknown light op " + op);
    const double ours_seconds{TimeHost([&] {
        if (auto r = ours(); !r) Fail(op + ": " + r.error_message());
    })};

    // NPP: the library per op, and the same operation.
    const char* lib_name{op == "bgr2gray"    ? "libnppicc.so.13"
                         : op == "erode3" || op == "dilate3" ? "libnppim.so.13"
                         : op == "threshold" ? "libnppitc.so.13"
                         : op == "resize"    ? "libnppig.so.13"
                                             : "libnppif.so.13"};
    std::function<NppStatus()> npp;
    uint8_t *d_src{nullptr}, *d_dst{nullptr};
    const int src_step{WIDTH * in_channels}, dst_step{out_w};
    Check(cudaMalloc(&d_src, src.size()), "cudaMalloc");
    Check(cudaMalloc(&d_dst, dst.size()), "cudaMalloc");
    const NppStreamContext ctx{MakeNppContext()};
    const NppiSize size{WIDTH, HEIGHT};
    const NppiPoint origin{0, 0};
    void* lib{op == "sobel" ? nullptr : Open(lib_name)};
    if (op == "bgr2gray") {
        using F = NppStatus (*)(const uint8_t*, int, uint8_t*, int, NppiSize, const float*, NppStreamContext);
        static const float bgr[3]{0.114f, 0.587f, 0.299f};
        if (auto f = Symbol<F>(lib, "nppiColorToGray_8u_C3C1R_Ctx")) {
            npp = [=] { return f(d_src, src_step, d_dst, dst_step, size, bgr, ctx); };
        }
    } else if (op == "gauss5") {
        using F = NppStatus (*)(const uint8_t*, int, NppiSize, NppiPoint, uint8_t*, int, NppiSize, int, int,
                                NppStreamContext);
        if (auto f = Symbol<F>(lib, "nppiFilterGaussBorder_8u_C1R_Ctx")) {
            npp = [=] {
                return f(d_src, src_step, size, origin, d_dst, dst_step, size, NPP_MASK_SIZE_5_X_5,
                         NPP_BORDER_REPLICATE, ctx);
            };
        }
    } else if (op == "box5") {
        using F = NppStatus (*)(const uint8_t*, int, NppiSize, NppiPoint, uint8_t*, int, NppiSize, NppiSize,
                                NppiPoint, int, NppStreamContext);
        if (auto f = Symbol<F>(lib, "nppiFilterBoxBorder_8u_C1R_Ctx")) {
            npp = [=] {
                return f(d_src, src_step, size, origin, d_dst, dst_step, size, NppiSize{5, 5}, NppiPoint{2, 2},
                         NPP_BORDER_REPLICATE, ctx);
            };
        }
    } else if (op == "erode3" || op == "dilate3") {
        using F = NppStatus (*)(const uint8_t*, int, NppiSize, NppiPoint, uint8_t*, int, NppiSize, int,
                                NppStreamContext);
        const char* name{op == "erode3" ? "nppiErode3x3Border_8u_C1R_Ctx" : "nppiDilate3x3Border_8u_C1R_Ctx"};
        if (auto f = Symbol<F>(lib, name)) {
            npp = [=] { return f(d_src, src_step, size, origin, d_dst, dst_step, size, NPP_BORDER_REPLICATE, ctx); };
        }
    } else if (op == "threshold") {
        // Binary threshold as NPP spells it: v < t+1 → 0, v > t → maxval.
        using F = NppStatus (*)(const uint8_t*, int, uint8_t*, int, NppiSize, uint8_t, uint8_t, uint8_t, uint8_t,
                                NppStreamContext);
        if (auto f = Symbol<F>(lib, "nppiThreshold_LTValGTVal_8u_C1R_Ctx")) {
            npp = [=] { return f(d_src, src_step, d_dst, dst_step, size, 128, 0, 127, 255, ctx); };
        }
    } else if (op == "resize") {
        using F = NppStatus (*)(const uint8_t*, int, NppiSize, NppiRect, uint8_t*, int, NppiSize, NppiRect, int,
                                NppStreamContext);
        if (auto f = Symbol<F>(lib, "nppiResize_8u_C1R_Ctx")) {
            npp = [=] {
                return f(d_src, src_step, size, NppiRect{0, 0, WIDTH, HEIGHT}, d_dst, dst_step, NppiSize{out_w, out_h},
                         NppiRect{0, 0, out_w, out_h}, NPPI_INTER_LINEAR, ctx);
            };
        }
    }
    std::string npp_kernel{"n/a"}, npp_host{"n/a"}, ratio{"n/a"};
    if (npp) {
        Check(cudaMemcpy(d_src, src.data(), src.size(), cudaMemcpyHostToDevice), "cudaMemcpy");
        NppStatus status{npp()};
        Check(cudaDeviceSynchronize(), "NPP");
        if (status < 0) {
            std::fprintf(stderr, "bench_gpu: NPP %s returned status %d\n", op.c_str(), status);
        } else {
            const double kernel{TimeDevice([&] { (void)npp(); })};
            const double host{TimeHost([&] {
                Check(cudaMemcpy(d_src, src.data(), src.size(), cudaMemcpyHostToDevice), "cudaMemcpy");
                (void)npp();
                Check(cudaMemcpy(dst.data(), d_dst, dst.size(), cudaMemcpyDeviceToHost), "cudaMemcpy");
            })};
            char buffer[64];
            std::snprintf(buffer, sizeof(buffer), "%.1f", kernel * 1e6);
            npp_kernel = buffer;
            std::snprintf(buffer, sizeof(buffer), "%.1f", host * 1e6);
            npp_host = buffer;
            std::snprintf(buffer, sizeof(buffer), "%.2f", host / ours_seconds);
            ratio = buffer;
        }
    } else if (op == "sobel") {
        std::fprintf(stderr, "bench_gpu: NPP has no Sobel magnitude (|dx|+|dy| in one pass); ours only\n");
    }
    (void)cudaFree(d_src);
    (void)cudaFree(d_dst);
    // op, size, ours host-to-host µs, NPP host-to-host µs, ratio (NPP/ours), NPP kernel-only µs
    std::printf("light\t%s %dx%d\t%.1f\t%s\t%s\t%s\n", op.c_str(), WIDTH, HEIGHT, ours_seconds * 1e6,
                npp_host.c_str(), ratio.c_str(), npp_kernel.c_str());
    return 0;
}

}  // namespace

int main(int argc, char** argv)
{
    int count{0};
    const cudaError_t probe{cudaGetDeviceCount(&count)};
    if (probe != cudaSuccess) Fail(std::string{"no usable CUDA device: "} + cudaGetErrorString(probe));
    if (count == 0) Fail("no CUDA device");
    cudaDeviceProp prop{};
    Check(cudaGetDeviceProperties(&prop, 0), "cudaGetDeviceProperties");
    std::fprintf(stderr, "bench_gpu: device 0: %s (compute %d.%d)\n", prop.name, prop.major, prop.minor);
    const std::vector<std::string> args(argv + 1, argv + argc);
    if (args.size() == 4 && args[0] == "gemm") {
        return Gemm(static_cast<uint32_t>(std::stoul(args[1])), static_cast<uint32_t>(std::stoul(args[2])),
                    static_cast<uint32_t>(std::stoul(args[3])));
    }
    if (args.size() == 2 && args[0] == "light") return Light(args[1]);
    if (args.size() == 1 && args[0] == "device") {
        std::printf("%s\tcompute %d.%d\t%d SMs\t%zu MiB\n", prop.name, prop.major, prop.minor, prop.multiProcessorCount,
                    prop.totalGlobalMem >> 20);
        return 0;
    }
    std::fprintf(stderr, "usage: bench_gpu gemm M N K | bench_gpu light OP | bench_gpu device\n");
    return 2;
}
