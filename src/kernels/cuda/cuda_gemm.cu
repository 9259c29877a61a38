// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/cuda/cuda_check.cuh>
#include <kernels/cuda/cuda_gemm.h>

#include <cuda_runtime.h>
#include <mma.h>

#include <string>

namespace hpips::cuda {
namespace {

// One thread block computes a 64 × 64 tile of C with four warps, each warp a
// 32 × 32 quarter made of 2 × 2 WMMA accumulators; k advances 32 at a time.
constexpr int TILE_M{64};
constexpr int TILE_N{64};
constexpr int TILE_K{32};
constexpr int FRAG{16};
constexpr int GEMM_THREADS{128};
constexpr int WARP_SIZE{32};
constexpr int WARP_TILE{32};
constexpr int FRAG_ELEMS{FRAG * FRAG};

// The kernel indexes rows, columns and k with int and puts columns on grid y.
static_assert(GEMM_MAX_M + TILE_M <= size_t{INT32_MAX});
static_assert(GEMM_MAX_N + TILE_N <= size_t{INT32_MAX} && GEMM_MAX_K + TILE_K <= size_t{INT32_MAX});
static_assert((GEMM_MAX_N + TILE_N - 1) / TILE_N <= 65535);

namespace wmma = nvcuda::wmma;

/** Shared-memory staging. WMMA wants every fragment pointer 256-bit aligned
 *  and, for 8-bit types, ldm a multiple of 16; a plain row-major 64 × 32 tile
 *  would put the second k-fragment of a row 16 bytes in. So each 16 × 16
 *  fragment is stored as its own contiguous 256-byte block (ldm = 16), and
 *  everything outside the matrix is staged as zero, which is how edges that
 *  are not multiples of 16 come out exact. */
struct GemmShared {
    alignas(32) signed char a[TILE_M / FRAG][TILE_K / FRAG][FRAG_ELEMS];  // [m block][k block][row*16+col]
    alignas(32) signed char b[TILE_K / FRAG][TILE_N / FRAG][FRAG_ELEMS];  // [k block][n block][row*16+col]
    alignas(32) int c[TILE_M * TILE_N];                                   // row-major, ld TILE_N
};

__global__ void __launch_bounds__(GEMM_THREADS)
    GemmS8S8S32Kernel(const int8_t* __restrict__ a, const int8_t* __restrict__ b, int32_t* __restrict__ c, int m,
                      int n, int k, size_t lda, size_t ldb, size_t ldc)
{
    __shared__ GemmShared smem;
    const int block_row{static_cast<int>(blockIdx.x) * TILE_M};
    const int block_col{static_cast<int>(blockIdx.y) * TILE_N};
    const int tid{static_cast<int>(threadIdx.x)};
    const int warp{tid / WARP_SIZE};
    const int warp_row{(warp / 2) * WARP_TILE};
    const int warp_col{(warp % 2) * WARP_TILE};

    wmma::fragment<wmma::accumulator, FRAG, FRAG, FRAG, int> acc[2][2];
    for (int i{0}; i < 2; ++i) {
        for (int j{0}; j < 2; ++j) wmma::fill_fragment(acc[i][j], 0);
    }

    for (int k0{0}; k0 < k; k0 += TILE_K) {
        // Consecutive threads read consecutive bytes of a row: coalesced.
        for (int idx{tid}; idx < TILE_M * TILE_K; idx += GEMM_THREADS) {
            const int r{idx / TILE_K};
            const int kk{idx % TILE_K};
            const int gr{block_row + r};
            const int gk{k0 + kk};
            const signed char v{(gr < m && gk < k) ? static_cast<signed char>(a[gr * lda + gk])
                                                   : static_cast<signed char>(0)};
            smem.a[r / FRAG][kk / FRAG][(r % FRAG) * FRAG + kk % FRAG] = v;
        }
        for (int idx{tid}; idx < TILE_K * TILE_N; idx += GEMM_THREADS) {
            const int kk{idx / TILE_N};
            const int cc{idx % TILE_N};
            const int gk{k0 + kk};
            const int gc{block_col + cc};
            const signed char v{(gk < k && gc < n) ? static_cast<signed char>(b[gk * ldb + gc])
                                                   : static_cast<signed char>(0)};
            smem.b[kk / FRAG][cc / FRAG][(kk % FRAG) * FRAG + cc % FRAG] = v;
        }
        __syncthreads();
        for (int kb{0}; kb < TILE_K / FRAG; ++kb) {
            wmma::fragment<wmma::matrix_a, FRAG, FRAG, FRAG, signed char, wmma::row_major> fa[2];
            wmma::fragment<wmma::matrix_b, FRAG, FRAG, FRAG, signed char, wmma::row_major> fb[2];
            for (int i{0}; i < 2; ++i) wmma::load_matrix_sync(fa[i], smem.a[warp_row / FRAG + i][kb], FRAG);
            for (int j{0}; j < 2; ++j) wmma::load_matrix_sync(fb[j], smem.b[kb][warp_col / FRAG + j], FRAG);
            for (int i{0}; i < 2; ++i) {
                for (int j{0}; j < 2; ++j) wmma::mma_sync(acc[i][j], fa[i], fb[j], acc[i][j]);
            }
        }
        __syncthreads();
    }

    for (int i{0}; i < 2; ++i) {
        for (int j{0}; j < 2; ++j) {
            int* dst{smem.c + (warp_row + i * FRAG) * TILE_N + warp_col + j * FRAG};
            wmma::store_matrix_sync(dst, acc[i][j], TILE_N, wmma::mem_row_major);
        }
    }
    __syncthreads();
    for (int idx{tid}; idx < TILE_M * TILE_N; idx += GEMM_THREADS) {
        const int r{idx / TILE_N};
        const int cc{idx % TILE_N};
        const int gr{block_row + r};
        const int gc{block_col + cc};
        if (gr < m && gc < n) c[gr * ldc + gc] = smem.c[idx];
    }
}

/** Whether a dense rows × cols operand is within CUDA_GEMM_MAX_ELEMENTS. */
bool Fits(size_t rows, size_t cols) { return cols == 0 || rows <= CUDA_GEMM_MAX_ELEMENTS / cols; }

}  // namespace

Result<void> CheckGemmShape(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c)
{
    if (!a.IsWellFormed() || !b.IsWellFormed() || !c.IsWellFormed()) return Error{"gemm: malformed matrix view"};
    if (a.cols != b.rows) return Error{"gemm: inner dimensions differ"};
    if (c.rows != a.rows || c.cols != b.cols) return Error{"gemm: result shape is not m x n"};
    if (a.cols > GEMM_MAX_K) return Error{"gemm: k above " + std::to_string(GEMM_MAX_K)};
    if (a.rows > GEMM_MAX_M) return Error{"gemm: m above " + std::to_string(GEMM_MAX_M)};
    if (b.cols > GEMM_MAX_N) return Error{"gemm: n above " + std::to_string(GEMM_MAX_N)};
    if (a.ld > CUDA_GEMM_MAX_LD || b.ld > CUDA_GEMM_MAX_LD || c.ld > CUDA_GEMM_MAX_LD) {
        return Error{"gemm: leading dimension above " + std::to_string(CUDA_GEMM_MAX_LD)};
    }
    return {};
}

Result<void> CudaGemmS8S8S32Device(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c,
                                   CudaStream stream)
{
    if (auto r = CheckGemmShape(a, b, c); !r) return r;
    if (c.Empty()) return {};
    if (auto r = RequireUsableDevice(); !r) return r;
    // Rows on grid x (up to 2^31 - 1 blocks: GEMM_MAX_M / 64 fits), columns on
    // grid y (at most GEMM_MAX_N / 64 = 256, far below its 65535 limit).
    const dim3 grid{static_cast<unsigned>((c.rows + TILE_M - 1) / TILE_M),
                    static_cast<unsigned>((c.cols + TILE_N - 1) / TILE_N)};
    GemmS8S8S32Kernel<<<grid, GEMM_THREADS, 0, stream>>>(a.data, b.data, c.data, static_cast<int>(a.rows),
                                                          static_cast<int>(b.cols), static_cast<int>(a.cols), a.ld,
                                                          b.ld, c.ld);
    return CheckLaunch("gemm kernel launch");
}

Result<void> CudaGemmS8S8S32(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c)
{
    if (auto r = CheckGemmShape(a, b, c); !r) return r;
    if (c.Empty()) return {};
    if (!Fits(a.rows, a.cols) || !Fits(b.rows, b.cols) || !Fits(c.rows, c.cols)) {
        return Error{"gemm: operand above " + std::to_string(CUDA_GEMM_MAX_ELEMENTS) + " elements"};
    }
    if (auto r = RequireUsableDevice(); !r) return r;
    // Device copies are dense; cudaMemcpy2D handles the host leading dimensions.
    const size_t m{a.rows};
    const size_t k{a.cols};
    const size_t n{b.cols};
    DeviceBuffer<int8_t> d_a;
    DeviceBuffer<int8_t> d_b;
    DeviceBuffer<int32_t> d_c;
    // cudaMalloc(0) is not an allocation: keep one byte so k == 0 works.
    if (auto r = d_a.Allocate(m * k + 1); !r) return r;
    if (auto r = d_b.Allocate(k * n + 1); !r) return r;
    if (auto r = d_c.Allocate(m * n); !r) return r;
    if (k > 0) {
        if (auto r = CudaCheck(cudaMemcpy2D(d_a.get(), k, a.data, a.ld, k, m, cudaMemcpyHostToDevice), "copy A");
            !r) {
            return r;
        }
        if (auto r = CudaCheck(cudaMemcpy2D(d_b.get(), n, b.data, b.ld, n, k, cudaMemcpyHostToDevice), "copy B");
            !r) {
            return r;
        }
    }
    const MatrixView<const int8_t> dev_a{d_a.get(), m, k, k};
    const MatrixView<const int8_t> dev_b{d_b.get(), k, n, n};
    const MatrixView<int32_t> dev_c{d_c.get(), m, n, n};
    if (auto r = CudaGemmS8S8S32Device(dev_a, dev_b, dev_c, nullptr); !r) return r;
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "gemm kernel"); !r) return r;
    return CudaCheck(cudaMemcpy2D(c.data, c.ld * sizeof(int32_t), d_c.get(), n * sizeof(int32_t),
                                  n * sizeof(int32_t), m, cudaMemcpyDeviceToHost),
                     "copy C");
}

}  // namespace hpips::cuda
