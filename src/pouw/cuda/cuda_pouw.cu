// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The miner engine's CUDA kernels (doc/pouw.md "CUDA backend"). Every rule
// formula comes from the HPIPS_HD headers (chacha20_block.h, noise_math.h,
// transcript_math.h, through cuda/device_math.h), which the CPU unit tests
// run, so the device computes the consensus arithmetic the CPU checks.
#include <pouw/cuda/cuda_pouw_launch.h>

#include <kernels/cuda/cuda_check.cuh>
#include <pouw/cuda/device_math.h>

#include <cuda_runtime.h>
#include <mma.h>

#include <memory>
#include <string>
#include <utility>

namespace hpips::pouw::cuda {
namespace {

using hpips::cuda::CheckLaunch;
using hpips::cuda::CopyToDevice;
using hpips::cuda::CopyToHost;
using hpips::cuda::CudaCheck;
using hpips::cuda::DeviceBuffer;
using hpips::cuda::RequireUsableDevice;

namespace wmma = nvcuda::wmma;

/** WMMA int8 fragment edge (m16n16k16): a step of 32 is two k-fragments. */
constexpr uint32_t FRAG{16};
constexpr uint32_t FRAG_ELEMS{FRAG * FRAG};
constexpr uint32_t WARP_SIZE{32};
/** Each of the four fold warps owns a 32 × 32 quarter of the tile: 2 × 2 fragments. */
constexpr uint32_t WARP_TILE{32};
constexpr uint32_t FOLD_WARPS{FOLD_THREADS / WARP_SIZE};
static_assert(FOLD_WARPS == (TILE / WARP_TILE) * (TILE / WARP_TILE));
static_assert(STEP == 2 * FRAG, "one step is two k16 tensor-core operations");
/** Row stride of the partial sums in shared memory: the fold threads of a warp
 *  read rows r and r + 1, which a stride of 80 words puts 16 banks apart
 *  (no conflict); it is a multiple of 16 bytes and keeps every fragment
 *  32-byte aligned, as store_matrix_sync requires. */
constexpr uint32_t PARTIAL_LD{TILE + 16};
/** Bytes each fold thread moves per step: one 16-byte chunk of A' and one of B'. */
constexpr uint32_t CHUNK{16};
static_assert(TILE * STEP == FOLD_THREADS * CHUNK, "one A' chunk per thread and step");
static_assert(STEP * TILE == FOLD_THREADS * CHUNK, "one B' chunk per thread and step");

/** Threads of the element-wise kernels (noise, A', B'). */
constexpr uint32_t ELEMENT_THREADS{256};
// CheckDeviceShape bounds rows·cols·k by MAX_UNIT_MACS with rows, cols ≥ TILE,
// so rows·k and k·cols stay below 2^25: the element-wise kernels index with
// u32 (device 64-bit division is slow) and their grids fit in x.
static_assert(MAX_UNIT_MACS / TILE + ELEMENT_THREADS < (uint64_t{1} << 32));
/** Threads of the A·F_L kernel (one block per row). */
constexpr uint32_t AF_THREADS{128};
/** k-indices one E_R·B' block sums before adding its partial sums to global memory. */
constexpr uint32_t EB_SLICE{256};
/** Rows of C one correction block covers (64 columns × 4 row lanes of threads). */
constexpr uint32_t CORRECTION_ROWS{16};
constexpr uint32_t CORRECTION_THREADS{256};
constexpr uint32_t CORRECTION_ROW_LANES{CORRECTION_THREADS / TILE};
static_assert(CORRECTION_ROWS % CORRECTION_ROW_LANES == 0 && TILE % CORRECTION_ROWS == 0);

/** σ as a kernel argument (8 LE words). */
struct SeedKey {
    uint32_t words[8];
};

/** Shared memory of one tile's fold. */
struct FoldShared {
    /** A' of the step: [row block][k block][16 × 16], each fragment a contiguous 256-byte block. */
    alignas(32) signed char a[TILE / FRAG][STEP / FRAG][FRAG_ELEMS];
    /** B' of the step: [k block][column block][16 × 16]. */
    alignas(32) signed char b[STEP / FRAG][TILE / FRAG][FRAG_ELEMS];
    /** P_s of the step, row r at r · PARTIAL_LD. */
    alignas(32) int32_t partial[TILE * PARTIAL_LD];
    uint32_t column_keys[TILE];
    uint32_t row_multipliers[TILE];
    /** Each warp's digest lanes, before the cross-warp sum. */
    uint32_t shares[FOLD_WARPS][DIGEST_LANES];
};

__global__ void DrawOuterKernel(SeedKey key, uint32_t domain, uint32_t begin, uint32_t count, int8_t* out)
{
    const uint32_t i{blockIdx.x * blockDim.x + threadIdx.x};
    if (i >= count) return;
    DrawOuterValues(key.words, domain, uint64_t{begin} + i, out + size_t{i} * NOISE_DIM);
}

/** Threads 0..steps−1 draw the E_R paths, steps..2·steps−1 the F_L paths. */
__global__ void DrawPathsKernel(SeedKey key, uint32_t steps, uint8_t* e_plus, uint8_t* e_minus, uint8_t* f_plus,
                                uint8_t* f_minus)
{
    const uint32_t i{blockIdx.x * blockDim.x + threadIdx.x};
    if (i >= 2 * steps) return;
    if (i < steps) {
        DrawStepPath(key.words, DOMAIN_E_PATH, i, e_plus + i * STEP, e_minus + i * STEP);
    } else {
        const uint32_t s{i - steps};
        DrawStepPath(key.words, DOMAIN_F_PATH, s, f_plus + s * STEP, f_minus + s * STEP);
    }
}

/** A' = A + E (rows × k); any |A| > INPUT_BOUND sets *bad. */
__global__ void NoisyAKernel(const int8_t* __restrict__ a, const int8_t* __restrict__ e_left,
                             const uint8_t* __restrict__ e_plus, const uint8_t* __restrict__ e_minus, uint32_t rows,
                             uint32_t k, int8_t* __restrict__ out, uint32_t* bad)
{
    const uint32_t idx{blockIdx.x * blockDim.x + threadIdx.x};
    if (idx >= rows * k) return;
    const uint32_t i{idx / k};
    const uint32_t j{idx % k};
    const int8_t x{a[idx]};
    if (!InputInRange(x)) atomicOr(bad, 1u);
    out[idx] = NoisyInput(x, e_left + size_t{i} * NOISE_DIM, e_plus[j], e_minus[j]);
}

/** B' = B + F (k × cols); any |B| > INPUT_BOUND sets *bad. */
__global__ void NoisyBKernel(const int8_t* __restrict__ b, const int8_t* __restrict__ f_right,
                             const uint8_t* __restrict__ f_plus, const uint8_t* __restrict__ f_minus, uint32_t cols,
                             uint32_t k, int8_t* __restrict__ out, uint32_t* bad)
{
    const uint32_t idx{blockIdx.x * blockDim.x + threadIdx.x};
    if (idx >= k * cols) return;
    const uint32_t j{idx / cols};
    const uint32_t c{idx % cols};
    const int8_t x{b[idx]};
    if (!InputInRange(x)) atomicOr(bad, 1u);
    out[idx] = NoisyInput(x, f_right + size_t{c} * NOISE_DIM, f_plus[j], f_minus[j]);
}

/** One block per 64 × 64 tile (block index = row-major tile index): walks k
 *  in steps of 32 with int8 tensor cores, keeping the tile's int32
 *  accumulators in WMMA fragments (registers) for the whole walk. After each
 *  step the fragments are stored to shared memory only to read them in a
 *  known layout; the 128 threads digest them (DigestShare), the shares are
 *  reduced by a warp shuffle and a cross-warp sum, and thread 0 folds the
 *  digest into the state (StateUpdate). No step's partial sums reach global
 *  memory; only the final A'·B' tile does, and only when `product` is set.
 *  Operands: A' rows × k and B' k × cols row-major, 16-byte aligned rows. */
__global__ void __launch_bounds__(FOLD_THREADS)
    TileFoldKernel(const int8_t* __restrict__ a, const int8_t* __restrict__ b, uint32_t cols, uint32_t k,
                   uint32_t* __restrict__ states, int32_t* __restrict__ product)
{
    __shared__ FoldShared smem;
    const uint32_t tile{blockIdx.x};
    const uint32_t tiles_per_row{cols / TILE};
    const uint32_t row0{(tile / tiles_per_row) * TILE};
    const uint32_t col0{(tile % tiles_per_row) * TILE};
    const uint32_t tid{threadIdx.x};
    const uint32_t warp{tid / WARP_SIZE};
    const uint32_t warp_row{(warp / 2) * WARP_TILE};
    const uint32_t warp_col{(warp % 2) * WARP_TILE};
    const uint32_t lane{FoldThreadLane(tid)};
    const uint32_t row_group{FoldThreadRowGroup(tid)};

    if (tid < TILE) {
        smem.column_keys[tid] = ColumnKey(tid);
        smem.row_multipliers[tid] = RowMultiplier(tid);
    }

    // Thread tid moves A' row tid/2, k half tid%2 and B' k-row tid/4,
    // column quarter tid%4 of every step: one 16-byte load each, stored as
    // one row of a 16 × 16 fragment block.
    const uint32_t a_row{tid / 2};
    const uint32_t a_part{tid % 2};
    const uint32_t b_row{tid / 4};
    const uint32_t b_part{tid % 4};
    const int8_t* a_src{a + size_t{row0 + a_row} * k + a_part * CHUNK};
    const int8_t* b_src{b + size_t{b_row} * cols + col0 + b_part * CHUNK};
    const size_t b_step{size_t{STEP} * cols};
    int4* a_dst{reinterpret_cast<int4*>(&smem.a[a_row / FRAG][a_part][(a_row % FRAG) * FRAG])};
    int4* b_dst{reinterpret_cast<int4*>(&smem.b[b_row / FRAG][b_part][(b_row % FRAG) * FRAG])};

    wmma::fragment<wmma::accumulator, FRAG, FRAG, FRAG, int> acc[2][2];
    for (int i{0}; i < 2; ++i) {
        for (int j{0}; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0);
    }
    uint32_t state[STATE_WORDS]{};
    const uint32_t steps{k / STEP};
    int4 a_next{__ldg(reinterpret_cast<const int4*>(a_src))};
    int4 b_next{__ldg(reinterpret_cast<const int4*>(b_src))};
    for (uint32_t s{0}; s < steps; ++s) {
        *a_dst = a_next;
        *b_dst = b_next;
        __syncthreads();
        if (s + 1 < steps) {
            // Prefetch the next step; the loads overlap the MMA and the fold.
            a_next = __ldg(reinterpret_cast<const int4*>(a_src + size_t{s + 1} * STEP));
            b_next = __ldg(reinterpret_cast<const int4*>(b_src + size_t{s + 1} * b_step));
        }
        for (uint32_t kb{0}; kb < STEP / FRAG; ++kb) {
            wmma::fragment<wmma::matrix_a, FRAG, FRAG, FRAG, signed char, wmma::row_major> fa[2];
            wmma::fragment<wmma::matrix_b, FRAG, FRAG, FRAG, signed char, wmma::row_major> fb[2];
            for (uint32_t i{0}; i < 2; ++i) wmma::load_matrix_sync(fa[i], smem.a[warp_row / FRAG + i][kb], FRAG);
            for (uint32_t j{0}; j < 2; ++j) wmma::load_matrix_sync(fb[j], smem.b[kb][warp_col / FRAG + j], FRAG);
            for (int i{0}; i < 2; ++i) {
                for (int j{0}; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
            }
        }
        for (uint32_t i{0}; i < 2; ++i) {
            for (uint32_t j{0}; j < 2; ++j) {
                int* dst{smem.partial + (warp_row + i * FRAG) * PARTIAL_LD + warp_col + j * FRAG};
                wmma::store_matrix_sync(dst, acc[i][j], PARTIAL_LD, wmma::mem_row_major);
            }
        }
        __syncthreads();
        uint32_t share{DigestShare(smem.partial, PARTIAL_LD, lane, row_group, smem.column_keys, smem.row_multipliers)};
        // Threads t and t ^ 16 of a warp hold the same lane (row groups 2w, 2w + 1).
        share += __shfl_xor_sync(0xffffffffu, share, DIGEST_LANES);
        if (tid % WARP_SIZE < DIGEST_LANES) smem.shares[warp][lane] = share;
        __syncthreads();
        if (tid == 0) {
            uint32_t digest[DIGEST_LANES];
            for (uint32_t l{0}; l < DIGEST_LANES; ++l) {
                uint32_t sum{0};
                for (uint32_t w{0}; w < FOLD_WARPS; ++w) sum += smem.shares[w][l];
                digest[l] = sum;
            }
            StateUpdate(state, digest, s);
        }
    }
    if (tid == 0) {
        for (uint32_t i{0}; i < STATE_WORDS; ++i) states[size_t{tile} * STATE_WORDS + i] = state[i];
    }
    if (product != nullptr) {
        // The last step's partial sums are the tile of A'·B' (the input of
        // denoising); shared memory was last written before the final sync.
        for (uint32_t idx{tid}; idx < TILE * TILE; idx += FOLD_THREADS) {
            const uint32_t r{idx / TILE};
            const uint32_t c{idx % TILE};
            product[size_t{row0 + r} * cols + col0 + c] = smem.partial[r * PARTIAL_LD + c];
        }
    }
}

/** A·F_L (rows × NOISE_DIM): one block per row; integer atomics in shared
 *  memory, so the order of the additions cannot change the result. */
__global__ void __launch_bounds__(AF_THREADS)
    AfKernel(const int8_t* __restrict__ a, const uint8_t* __restrict__ f_plus, const uint8_t* __restrict__ f_minus,
             uint32_t k, int32_t* __restrict__ af)
{
    __shared__ int32_t sums[NOISE_DIM];
    const uint32_t row{blockIdx.x};
    for (uint32_t t{threadIdx.x}; t < NOISE_DIM; t += blockDim.x) sums[t] = 0;
    __syncthreads();
    const int8_t* a_row{a + size_t{row} * k};
    for (uint32_t j{threadIdx.x}; j < k; j += blockDim.x) {
        const int32_t v{a_row[j]};
        atomicAdd(&sums[f_plus[j]], v);
        atomicAdd(&sums[f_minus[j]], -v);
    }
    __syncthreads();
    for (uint32_t t{threadIdx.x}; t < NOISE_DIM; t += blockDim.x) af[size_t{row} * NOISE_DIM + t] = sums[t];
}

/** E_R·B' (NOISE_DIM × cols, must be zeroed first): block (column block,
 *  k slice), thread = column; each thread sums its column in shared memory,
 *  then adds it to global memory with integer atomics. */
__global__ void __launch_bounds__(TILE)
    EbKernel(const int8_t* __restrict__ b_noisy, const uint8_t* __restrict__ e_plus,
             const uint8_t* __restrict__ e_minus, uint32_t cols, uint32_t k, int32_t* __restrict__ eb)
{
    __shared__ int32_t sums[NOISE_DIM][TILE];
    const uint32_t tid{threadIdx.x};
    const uint32_t c{blockIdx.x * TILE + tid};
    for (uint32_t t{0}; t < NOISE_DIM; ++t) sums[t][tid] = 0;
    const uint32_t j_begin{blockIdx.y * EB_SLICE};
    const uint32_t j_end{min(k, j_begin + EB_SLICE)};
    for (uint32_t j{j_begin}; j < j_end; ++j) {
        const int32_t v{b_noisy[size_t{j} * cols + c]};
        sums[e_plus[j]][tid] += v;
        sums[e_minus[j]][tid] -= v;
    }
    for (uint32_t t{0}; t < NOISE_DIM; ++t) atomicAdd(&eb[size_t{t} * cols + c], sums[t][tid]);
}

/** C = A'·B' − (A·F_L)·F_R − E_L·(E_R·B') with the shared DenoisedEntry;
 *  block (row block of CORRECTION_ROWS, column block of 64). */
__global__ void __launch_bounds__(CORRECTION_THREADS)
    CorrectionKernel(const int32_t* __restrict__ noisy, const int32_t* __restrict__ af,
                     const int8_t* __restrict__ e_left, const int8_t* __restrict__ f_right,
                     const int32_t* __restrict__ eb, uint32_t cols, int32_t* __restrict__ out)
{
    const uint32_t c{blockIdx.y * TILE + threadIdx.x % TILE};
    for (uint32_t q{threadIdx.x / TILE}; q < CORRECTION_ROWS; q += CORRECTION_ROW_LANES) {
        const uint32_t i{blockIdx.x * CORRECTION_ROWS + q};
        const size_t at{size_t{i} * cols + c};
        out[at] = DenoisedEntry(noisy[at], af + size_t{i} * NOISE_DIM, e_left + size_t{i} * NOISE_DIM,
                                f_right + size_t{c} * NOISE_DIM, eb + c, cols);
    }
}

unsigned Blocks(size_t count, uint32_t threads) { return static_cast<unsigned>((count + threads - 1) / threads); }

/** The noise of a run on the device. */
struct DeviceNoise {
    uint32_t k{0};
    DeviceBuffer<int8_t> e_left;
    DeviceBuffer<int8_t> f_right;
    DeviceBuffer<uint8_t> paths;  //!< e_plus, e_minus, f_plus, f_minus: k each
    uint8_t* EPlus() const { return paths.get(); }
    uint8_t* EMinus() const { return paths.get() + k; }
    uint8_t* FPlus() const { return paths.get() + 2 * size_t{k}; }
    uint8_t* FMinus() const { return paths.get() + 3 * size_t{k}; }
};

Result<void> AllocateNoise(DeviceNoise& noise, uint32_t rows, uint32_t cols, uint32_t k)
{
    noise.k = k;
    if (auto r = noise.e_left.Allocate(size_t{rows} * NOISE_DIM); !r) return r;
    if (auto r = noise.f_right.Allocate(size_t{cols} * NOISE_DIM); !r) return r;
    return noise.paths.Allocate(4 * size_t{k});
}

/** Enqueues the noise draw from σ. */
Result<void> LaunchDrawNoise(const uint32_t* seed_words, uint32_t row_begin, uint32_t rows, uint32_t col_begin,
                             uint32_t cols, uint32_t k, const DeviceNoise& noise, cudaStream_t stream = nullptr)
{
    SeedKey key{};
    for (uint32_t i{0}; i < 8; ++i) key.words[i] = seed_words[i];
    DrawOuterKernel<<<Blocks(rows, ELEMENT_THREADS), ELEMENT_THREADS, 0, stream>>>(key, DOMAIN_E_LEFT, row_begin,
                                                                                    rows, noise.e_left.get());
    if (auto r = CheckLaunch("noise kernel launch"); !r) return r;
    DrawOuterKernel<<<Blocks(cols, ELEMENT_THREADS), ELEMENT_THREADS, 0, stream>>>(key, DOMAIN_F_RIGHT, col_begin,
                                                                                    cols, noise.f_right.get());
    if (auto r = CheckLaunch("noise kernel launch"); !r) return r;
    const uint32_t steps{k / STEP};
    DrawPathsKernel<<<Blocks(2 * size_t{steps}, TILE), TILE, 0, stream>>>(key, steps, noise.EPlus(), noise.EMinus(),
                                                                          noise.FPlus(), noise.FMinus());
    return CheckLaunch("path kernel launch");
}

Result<void> UploadNoise(const NoiseFactorsView& view, uint32_t rows, uint32_t cols, uint32_t k,
                         const DeviceNoise& noise)
{
    if (view.e_left == nullptr || view.f_right == nullptr || view.e_plus == nullptr || view.e_minus == nullptr ||
        view.f_plus == nullptr || view.f_minus == nullptr) {
        return Error{"device run: noise factors missing"};
    }
    if (auto r = CopyToDevice(noise.e_left.get(), view.e_left, size_t{rows} * NOISE_DIM); !r) return r;
    if (auto r = CopyToDevice(noise.f_right.get(), view.f_right, size_t{cols} * NOISE_DIM); !r) return r;
    if (auto r = CopyToDevice(noise.EPlus(), view.e_plus, k); !r) return r;
    if (auto r = CopyToDevice(noise.EMinus(), view.e_minus, k); !r) return r;
    if (auto r = CopyToDevice(noise.FPlus(), view.f_plus, k); !r) return r;
    return CopyToDevice(noise.FMinus(), view.f_minus, k);
}

}  // namespace

Result<void> CheckDeviceShape(uint32_t rows, uint32_t cols, uint32_t k)
{
    if (rows == 0 || cols == 0 || k == 0 || rows % TILE != 0 || cols % TILE != 0 || k % STEP != 0) {
        return Error{"device run: rows and columns must be whole tiles, k whole steps"};
    }
    if (k > CUDA_MAX_K) return Error{"device run: k above " + std::to_string(CUDA_MAX_K)};
    if (uint64_t{rows} * cols * k > MAX_UNIT_MACS) return Error{"device run: rows*cols*k above MAX_UNIT_MACS"};
    return {};
}

Result<void> RunOnDevice(const DeviceRun& run)
{
    if (auto r = CheckDeviceShape(run.rows, run.cols, run.k); !r) return r;
    if (run.a == nullptr || run.b == nullptr || run.states == nullptr) return Error{"device run: missing buffer"};
    if (auto r = RequireUsableDevice(); !r) return r;
    const uint32_t rows{run.rows}, cols{run.cols}, k{run.k};
    const size_t a_size{size_t{rows} * k}, b_size{size_t{k} * cols}, c_size{size_t{rows} * cols};
    const uint32_t tiles{(rows / TILE) * (cols / TILE)};
    const bool want_product{run.noisy_product != nullptr || run.output != nullptr};

    DeviceBuffer<int8_t> d_a, d_b, d_a_noisy, d_b_noisy;
    DeviceBuffer<uint32_t> d_states, d_bad;
    DeviceNoise noise;
    if (auto r = d_a.Allocate(a_size); !r) return r;
    if (auto r = d_b.Allocate(b_size); !r) return r;
    if (auto r = d_a_noisy.Allocate(a_size); !r) return r;
    if (auto r = d_b_noisy.Allocate(b_size); !r) return r;
    if (auto r = d_states.Allocate(size_t{tiles} * STATE_WORDS); !r) return r;
    if (auto r = d_bad.Allocate(1); !r) return r;
    if (auto r = AllocateNoise(noise, rows, cols, k); !r) return r;
    if (auto r = CopyToDevice(d_a.get(), run.a, a_size); !r) return r;
    if (auto r = CopyToDevice(d_b.get(), run.b, b_size); !r) return r;
    if (auto r = CudaCheck(cudaMemset(d_bad.get(), 0, sizeof(uint32_t)), "cudaMemset"); !r) return r;
    if (run.seed_words != nullptr) {
        if (auto r = LaunchDrawNoise(run.seed_words, run.row_begin, rows, run.col_begin, cols, k, noise); !r) {
            return r;
        }
    } else if (auto r = UploadNoise(run.noise, rows, cols, k, noise); !r) {
        return r;
    }

    NoisyAKernel<<<Blocks(a_size, ELEMENT_THREADS), ELEMENT_THREADS>>>(
        d_a.get(), noise.e_left.get(), noise.EPlus(), noise.EMinus(), rows, k, d_a_noisy.get(), d_bad.get());
    if (auto r = CheckLaunch("A' kernel launch"); !r) return r;
    NoisyBKernel<<<Blocks(b_size, ELEMENT_THREADS), ELEMENT_THREADS>>>(
        d_b.get(), noise.f_right.get(), noise.FPlus(), noise.FMinus(), cols, k, d_b_noisy.get(), d_bad.get());
    if (auto r = CheckLaunch("B' kernel launch"); !r) return r;

    DeviceBuffer<int32_t> d_product;
    if (want_product) {
        if (auto r = d_product.Allocate(c_size); !r) return r;
    }
    TileFoldKernel<<<tiles, FOLD_THREADS>>>(d_a_noisy.get(), d_b_noisy.get(), cols, k, d_states.get(),
                                            d_product.get());
    if (auto r = CheckLaunch("transcript kernel launch"); !r) return r;

    DeviceBuffer<int32_t> d_af, d_eb, d_out;
    if (run.output != nullptr) {
        if (auto r = d_af.Allocate(size_t{rows} * NOISE_DIM); !r) return r;
        if (auto r = d_eb.Allocate(size_t{NOISE_DIM} * cols); !r) return r;
        if (auto r = d_out.Allocate(c_size); !r) return r;
        if (auto r = CudaCheck(cudaMemset(d_eb.get(), 0, size_t{NOISE_DIM} * cols * sizeof(int32_t)), "cudaMemset");
            !r) {
            return r;
        }
        AfKernel<<<rows, AF_THREADS>>>(d_a.get(), noise.FPlus(), noise.FMinus(), k, d_af.get());
        if (auto r = CheckLaunch("A*F_L kernel launch"); !r) return r;
        const dim3 eb_grid{cols / TILE, Blocks(k, EB_SLICE)};
        EbKernel<<<eb_grid, TILE>>>(d_b_noisy.get(), noise.EPlus(), noise.EMinus(), cols, k, d_eb.get());
        if (auto r = CheckLaunch("E_R*B' kernel launch"); !r) return r;
        // Rows on grid x (up to 2^31 − 1 blocks), columns on y: cols/64 ≤ 2^14 < 65536.
        const dim3 correction_grid{rows / CORRECTION_ROWS, cols / TILE};
        CorrectionKernel<<<correction_grid, CORRECTION_THREADS>>>(d_product.get(), d_af.get(), noise.e_left.get(),
                                                                  noise.f_right.get(), d_eb.get(), cols,
                                                                  d_out.get());
        if (auto r = CheckLaunch("denoise kernel launch"); !r) return r;
    }
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "pouw kernels"); !r) return r;

    uint32_t bad{0};
    if (auto r = CopyToHost(&bad, d_bad.get(), 1); !r) return r;
    if (bad != 0) return Error{"input-out-of-range"};
    if (auto r = CopyToHost(run.states, d_states.get(), size_t{tiles} * STATE_WORDS); !r) return r;
    if (run.noisy_product != nullptr) {
        if (auto r = CopyToHost(run.noisy_product, d_product.get(), c_size); !r) return r;
    }
    if (run.output != nullptr) {
        if (auto r = CopyToHost(run.output, d_out.get(), c_size); !r) return r;
    }
    return {};
}

Result<void> DrawNoiseOnDevice(const uint32_t* seed_words, uint32_t row_begin, uint32_t rows, uint32_t col_begin,
                               uint32_t cols, uint32_t k, const NoiseFactorsOut& out)
{
    if (auto r = CheckDeviceShape(rows, cols, k); !r) return r;
    if (seed_words == nullptr || out.e_left == nullptr || out.f_right == nullptr || out.e_plus == nullptr ||
        out.e_minus == nullptr || out.f_plus == nullptr || out.f_minus == nullptr) {
        return Error{"draw noise: missing buffer"};
    }
    if (auto r = RequireUsableDevice(); !r) return r;
    DeviceNoise noise;
    if (auto r = AllocateNoise(noise, rows, cols, k); !r) return r;
    if (auto r = LaunchDrawNoise(seed_words, row_begin, rows, col_begin, cols, k, noise); !r) return r;
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "noise kernels"); !r) return r;
    if (auto r = CopyToHost(out.e_left, noise.e_left.get(), size_t{rows} * NOISE_DIM); !r) return r;
    if (auto r = CopyToHost(out.f_right, noise.f_right.get(), size_t{cols} * NOISE_DIM); !r) return r;
    if (auto r = CopyToHost(out.e_plus, noise.EPlus(), k); !r) return r;
    if (auto r = CopyToHost(out.e_minus, noise.EMinus(), k); !r) return r;
    if (auto r = CopyToHost(out.f_plus, noise.FPlus(), k); !r) return r;
    return CopyToHost(out.f_minus, noise.FMinus(), k);
}

/** One lane of a session: its own stream and its own noise, A' and B', so
 *  the lanes' nonces run side by side on the device (a unit of n = 64 has
 *  only m/64 tiles, far fewer blocks than the device has multiprocessors). */
struct SessionLane {
    cudaStream_t stream{nullptr};
    DeviceBuffer<int8_t> a_noisy, b_noisy;
    DeviceNoise noise;
};

struct DeviceUnitSession::Impl {
    uint32_t rows{0};
    uint32_t cols{0};
    uint32_t k{0};
    uint32_t tiles{0};
    DeviceBuffer<int8_t> a, b;
    DeviceBuffer<uint32_t> states, bad;
    SessionLane lanes[SESSION_LANES];

    ~Impl()
    {
        for (SessionLane& lane : lanes) {
            if (lane.stream != nullptr) (void)cudaStreamDestroy(lane.stream);
        }
    }
};

DeviceUnitSession::DeviceUnitSession(std::unique_ptr<Impl> impl) : m_impl{std::move(impl)} {}

DeviceUnitSession::~DeviceUnitSession() = default;

uint32_t DeviceUnitSession::Tiles() const { return m_impl->tiles; }

Result<std::unique_ptr<DeviceUnitSession>> DeviceUnitSession::Open(uint32_t rows, uint32_t cols, uint32_t k,
                                                                   const int8_t* a, const int8_t* b)
{
    if (auto r = CheckDeviceShape(rows, cols, k); !r) return r.error();
    if (a == nullptr || b == nullptr) return Error{"device session: missing operand"};
    if (auto r = RequireUsableDevice(); !r) return r.error();
    auto impl = std::make_unique<Impl>();
    impl->rows = rows;
    impl->cols = cols;
    impl->k = k;
    impl->tiles = (rows / TILE) * (cols / TILE);
    const size_t a_size{size_t{rows} * k}, b_size{size_t{k} * cols};
    if (auto r = impl->a.Allocate(a_size); !r) return r.error();
    if (auto r = impl->b.Allocate(b_size); !r) return r.error();
    if (auto r = impl->states.Allocate(size_t{SESSION_MAX_BATCH} * impl->tiles * STATE_WORDS); !r) return r.error();
    if (auto r = impl->bad.Allocate(1); !r) return r.error();
    for (SessionLane& lane : impl->lanes) {
        if (auto r = CudaCheck(cudaStreamCreateWithFlags(&lane.stream, cudaStreamNonBlocking), "cudaStreamCreate");
            !r) {
            return r.error();
        }
        if (auto r = lane.a_noisy.Allocate(a_size); !r) return r.error();
        if (auto r = lane.b_noisy.Allocate(b_size); !r) return r.error();
        if (auto r = AllocateNoise(lane.noise, rows, cols, k); !r) return r.error();
    }
    // Blocking copies on the default stream: done before any lane starts.
    if (auto r = CopyToDevice(impl->a.get(), a, a_size); !r) return r.error();
    if (auto r = CopyToDevice(impl->b.get(), b, b_size); !r) return r.error();
    if (auto r = CudaCheck(cudaMemset(impl->bad.get(), 0, sizeof(uint32_t)), "cudaMemset"); !r) return r.error();
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "session upload"); !r) return r.error();
    return std::unique_ptr<DeviceUnitSession>{new DeviceUnitSession{std::move(impl)}};
}

Result<void> DeviceUnitSession::RunBatch(const uint32_t* seed_words, uint32_t count, uint32_t* states)
{
    if (count == 0 || count > SESSION_MAX_BATCH) return Error{"device session: batch of 1 to 256 nonces"};
    if (seed_words == nullptr || states == nullptr) return Error{"device session: missing buffer"};
    Impl& s{*m_impl};
    const size_t a_size{size_t{s.rows} * s.k}, b_size{size_t{s.k} * s.cols};
    const size_t words_per_nonce{size_t{s.tiles} * STATE_WORDS};
    // Nonce i runs on lane i mod SESSION_LANES: within a lane the kernels are
    // in order on its stream, so the lane's noise and A', B' serve its nonces
    // in turn; the lanes run side by side. Each nonce writes its own states.
    for (uint32_t i{0}; i < count; ++i) {
        SessionLane& lane{s.lanes[i % SESSION_LANES]};
        if (auto r = LaunchDrawNoise(seed_words + size_t{8} * i, 0, s.rows, 0, s.cols, s.k, lane.noise, lane.stream);
            !r) {
            return r;
        }
        NoisyAKernel<<<Blocks(a_size, ELEMENT_THREADS), ELEMENT_THREADS, 0, lane.stream>>>(
            s.a.get(), lane.noise.e_left.get(), lane.noise.EPlus(), lane.noise.EMinus(), s.rows, s.k,
            lane.a_noisy.get(), s.bad.get());
        if (auto r = CheckLaunch("A' kernel launch"); !r) return r;
        NoisyBKernel<<<Blocks(b_size, ELEMENT_THREADS), ELEMENT_THREADS, 0, lane.stream>>>(
            s.b.get(), lane.noise.f_right.get(), lane.noise.FPlus(), lane.noise.FMinus(), s.cols, s.k,
            lane.b_noisy.get(), s.bad.get());
        if (auto r = CheckLaunch("B' kernel launch"); !r) return r;
        TileFoldKernel<<<s.tiles, FOLD_THREADS, 0, lane.stream>>>(lane.a_noisy.get(), lane.b_noisy.get(), s.cols, s.k,
                                                                  s.states.get() + i * words_per_nonce, nullptr);
        if (auto r = CheckLaunch("transcript kernel launch"); !r) return r;
    }
    // Waits for every lane (non-blocking streams included).
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "pouw session kernels"); !r) return r;
    uint32_t bad{0};
    if (auto r = CopyToHost(&bad, s.bad.get(), 1); !r) return r;
    if (bad != 0) return Error{"input-out-of-range"};
    return CopyToHost(states, s.states.get(), count * words_per_nonce);
}

}  // namespace hpips::pouw::cuda
