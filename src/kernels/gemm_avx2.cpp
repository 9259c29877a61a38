// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// AVX2 GEMM path. Compiled with -mavx2 (src/kernels/CMakeLists.txt) and called
// only when the CPU has it (GemmIsaSupported).
//
// The tempting vpmaddubsw (u8 × s8 pairs into int16) SATURATES: 255·127·2
// exceeds int16, so it would silently change results. We sign-extend both
// operands to int16 instead and use vpmaddwd, which adds two int16 products
// into an int32 lane exactly (|a·b| ≤ 2^14 each). B is packed once as int16
// pairs; A's two bytes for one row and one k pair are broadcast and
// sign-extended in the kernel.
#include <kernels/gemm_kernels.h>

#if defined(__x86_64__)

#include <immintrin.h>

#include <algorithm>
#include <cstring>

namespace hpips::gemm_detail {

namespace {

/** Rows per micro-kernel: 4 rows × 2 ymm = 8 accumulators, plus 2 B vectors,
 *  the A broadcast and product temporaries, fit the 16 ymm registers. */
constexpr size_t MR{4};
/** Bytes of one packed k pair of a panel: 16 columns × 2 int16. */
constexpr size_t PAIR_BYTES{AVX2_PANEL_COLS * AVX2_K_STEP * sizeof(int16_t)};
/** k pairs per cache block (16 KiB of B per panel). */
constexpr size_t KC_PAIRS{256};

/** The two bytes a[0], a[1] (or a[0] and 0 when only one is real) as the
 *  16-bit pattern _mm_set1_epi16 repeats. */
int16_t LoadPair(const int8_t* a, bool both)
{
    int16_t v{0};
    std::memcpy(&v, a, both ? 2 : 1);  // little-endian: a[0] is the low byte
    return v;
}

/** One ROWS × width tile (width ≤ 16) over `pairs` k pairs; the last pair
 *  holds one real k when `odd_tail`. `first` starts from zero, otherwise from C. */
template <size_t ROWS>
void MicroKernel(const int8_t* a, size_t lda, const uint8_t* bp, size_t pairs, bool odd_tail, int32_t* c, size_t ldc,
                 size_t width, bool first)
{
    __m256i acc[ROWS][2];
    for (size_t r = 0; r < ROWS; ++r) {
        if (first) {
            acc[r][0] = acc[r][1] = _mm256_setzero_si256();
        } else if (width == AVX2_PANEL_COLS) {
            acc[r][0] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c + r * ldc));
            acc[r][1] = _mm256_loadu_si256(reinterpret_cast<const __m256i*>(c + r * ldc + 8));
        } else {
            alignas(32) int32_t tmp[AVX2_PANEL_COLS]{};
            std::memcpy(tmp, c + r * ldc, width * sizeof(int32_t));
            acc[r][0] = _mm256_load_si256(reinterpret_cast<const __m256i*>(tmp));
            acc[r][1] = _mm256_load_si256(reinterpret_cast<const __m256i*>(tmp + 8));
        }
    }
    // Full pairs: the two A bytes are read as one 16-bit broadcast; the odd
    // tail (one real k) is a separate last step, so the hot loop has no branch.
    const auto step{[&](size_t q, bool both) {
        const __m256i b0{_mm256_load_si256(reinterpret_cast<const __m256i*>(bp + q * PAIR_BYTES))};
        const __m256i b1{_mm256_load_si256(reinterpret_cast<const __m256i*>(bp + q * PAIR_BYTES + 32))};
        for (size_t r = 0; r < ROWS; ++r) {
            const __m256i a_pair{_mm256_cvtepi8_epi16(_mm_set1_epi16(LoadPair(a + r * lda + 2 * q, both)))};
            acc[r][0] = _mm256_add_epi32(acc[r][0], _mm256_madd_epi16(a_pair, b0));
            acc[r][1] = _mm256_add_epi32(acc[r][1], _mm256_madd_epi16(a_pair, b1));
        }
    }};
    const size_t full{odd_tail ? pairs - 1 : pairs};
    for (size_t q = 0; q < full; ++q) step(q, true);
    if (odd_tail) step(full, false);
    for (size_t r = 0; r < ROWS; ++r) {
        if (width == AVX2_PANEL_COLS) {
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + r * ldc), acc[r][0]);
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(c + r * ldc + 8), acc[r][1]);
        } else {
            alignas(32) int32_t tmp[AVX2_PANEL_COLS];
            _mm256_store_si256(reinterpret_cast<__m256i*>(tmp), acc[r][0]);
            _mm256_store_si256(reinterpret_cast<__m256i*>(tmp + 8), acc[r][1]);
            std::memcpy(c + r * ldc, tmp, width * sizeof(int32_t));
        }
    }
}

using KernelFn = void (*)(const int8_t*, size_t, const uint8_t*, size_t, bool, int32_t*, size_t, size_t, bool);
constexpr KernelFn KERNELS[MR]{&MicroKernel<1>, &MicroKernel<2>, &MicroKernel<3>, &MicroKernel<4>};

}  // namespace

void PackBAvx2(MatrixView<const int8_t> b, uint8_t* out)
{
    const size_t k{b.rows};
    const size_t n{b.cols};
    const size_t pairs{(k + AVX2_K_STEP - 1) / AVX2_K_STEP};
    const size_t panels{(n + AVX2_PANEL_COLS - 1) / AVX2_PANEL_COLS};
    for (size_t panel = 0; panel < panels; ++panel) {
        const size_t j0{panel * AVX2_PANEL_COLS};
        const size_t width{std::min(AVX2_PANEL_COLS, n - j0)};
        for (size_t q = 0; q < pairs; ++q) {
            uint8_t* dst{out + (panel * pairs + q) * PAIR_BYTES};
            for (size_t t = 0; t < AVX2_K_STEP && q * AVX2_K_STEP + t < k; ++t) {
                const int8_t* src{b.Row(q * AVX2_K_STEP + t) + j0};
                for (size_t col = 0; col < width; ++col) {
                    const int16_t value{src[col]};
                    std::memcpy(dst + (col * AVX2_K_STEP + t) * sizeof(int16_t), &value, sizeof(value));
                }
            }
        }
    }
}

void GemmRowsAvx2(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c)
{
    const size_t m{a.rows};
    const size_t k{b.K()};
    const size_t n{b.N()};
    const size_t pairs{(k + AVX2_K_STEP - 1) / AVX2_K_STEP};
    const size_t panels{(n + AVX2_PANEL_COLS - 1) / AVX2_PANEL_COLS};
    for (size_t q0 = 0; q0 < pairs; q0 += KC_PAIRS) {
        const size_t kcp{std::min(KC_PAIRS, pairs - q0)};
        const bool odd_tail{q0 + kcp == pairs && k % 2 != 0};
        for (size_t panel = 0; panel < panels; ++panel) {
            const size_t j0{panel * AVX2_PANEL_COLS};
            const size_t width{std::min(AVX2_PANEL_COLS, n - j0)};
            const uint8_t* bp{b.Data() + (panel * pairs + q0) * PAIR_BYTES};
            for (size_t i = 0; i < m; i += MR) {
                const size_t rows{std::min(MR, m - i)};
                KERNELS[rows - 1](a.Row(i) + q0 * AVX2_K_STEP, a.ld, bp, kcp, odd_tail, c.Row(i) + j0, c.ld, width,
                                  q0 == 0);
            }
        }
    }
}

}  // namespace hpips::gemm_detail

#else  // not x86-64: never selected (GemmIsaSupported is false)

namespace hpips::gemm_detail {
void PackBAvx2(MatrixView<const int8_t>, uint8_t*) {}
void GemmRowsAvx2(MatrixView<const int8_t>, const PackedB&, MatrixView<int32_t>) {}
}  // namespace hpips::gemm_detail

#endif
