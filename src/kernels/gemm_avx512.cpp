// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// AVX-512 VNNI GEMM path. Compiled with -mavx512f -mavx512bw -mavx512vl
// -mavx512vnni (src/kernels/CMakeLists.txt) and called only when the CPU has
// them (GemmIsaSupported).
//
// vpdpbusd multiplies UNSIGNED bytes by SIGNED bytes. We make B unsigned, not
// A: packing stores b + 128 (0..255), and
//     Σ_p a·b = Σ_p a·(b + 128) − 128 · Σ_p a,
// so each row of C starts from −128 · rowsum(A) and the kernel adds the
// biased products. Putting the bias on B costs nothing per call (B is packed
// once), lets A be read in place — its four bytes for one row and one k group
// are contiguous in row-major order, so the signed operand is a plain 32-bit
// broadcast that vpdpbusd takes straight from memory — and needs only one
// extra pass over A for the row sums. All arithmetic wraps modulo 2^32 and the
// true result fits in int32 (gemm.h), so it is exact.
#include <kernels/gemm_kernels.h>

#if defined(__x86_64__)

#include <immintrin.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace hpips::gemm_detail {

namespace {

/** Rows of C per micro-kernel: 6 rows × 4 zmm = 24 accumulators, plus 4 B
 *  vectors and a broadcast of A, fit the 32 zmm registers. */
constexpr size_t MR{6};
/** zmm vectors (16 int32 columns each) per panel. */
constexpr size_t NV_MAX{VNNI_PANEL_COLS / 16};
/** Bytes of one packed k group of a panel: 64 columns × 4 k. */
constexpr size_t GROUP_BYTES{VNNI_PANEL_COLS * VNNI_K_STEP};
/** k groups per cache block: a 64-column B block of 64 groups (16 KiB) stays
 *  in L1 while the micro-kernel sweeps the rows of an A block. */
constexpr size_t KC_GROUPS{64};
/** Rows per A block (with KC_GROUPS: 48 KiB of A, held in L2 across panels). */
constexpr size_t MC{192};
static_assert(MC % MR == 0);

int32_t LoadDword(const int8_t* p)
{
    int32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

/** Σ row[0..k) with vpdpbusd against a vector of unsigned ones. */
int32_t RowSum(const int8_t* row, size_t k)
{
    const __m512i ones{_mm512_set1_epi8(1)};
    __m512i acc{_mm512_setzero_si512()};
    size_t p{0};
    for (; p + 64 <= k; p += 64) acc = _mm512_dpbusd_epi32(acc, ones, _mm512_loadu_si512(row + p));
    if (p < k) {
        const __mmask64 mask{(~uint64_t{0}) >> (64 - (k - p))};
        acc = _mm512_dpbusd_epi32(acc, ones, _mm512_maskz_loadu_epi8(mask, row + p));
    }
    alignas(64) int32_t lanes[16];
    _mm512_store_si512(lanes, acc);
    int32_t sum{0};
    for (const int32_t lane : lanes) sum += lane;  // |sum| ≤ 2^23: no overflow
    return sum;
}

/** One ROWS × (16·NV) tile of C over `groups` k groups. `a` points at the
 *  tile's first row and first k of the block; `bp` at the block's first group
 *  of the panel. With tail_bytes ≠ 0 the last group holds only that many real
 *  k values: A is read with a byte mask there (never past the row), and the
 *  packed B is zero in the missing slots. `init` (first k block) gives each
 *  row's starting value; otherwise the tile continues from C. */
template <size_t ROWS, size_t NV>
void MicroKernel(const int8_t* a, size_t lda, const uint8_t* bp, size_t groups, size_t tail_bytes, int32_t* c,
                 size_t ldc, const __mmask16* col_masks, const int32_t* init)
{
    __m512i acc[ROWS][NV];
    for (size_t r = 0; r < ROWS; ++r) {
        for (size_t v = 0; v < NV; ++v) {
            acc[r][v] = init != nullptr ? _mm512_set1_epi32(init[r])
                                        : _mm512_maskz_loadu_epi32(col_masks[v], c + r * ldc + 16 * v);
        }
    }
    const size_t full{tail_bytes != 0 ? groups - 1 : groups};
    for (size_t g = 0; g < full; ++g) {
        __m512i b[NV];
        for (size_t v = 0; v < NV; ++v) b[v] = _mm512_load_si512(bp + g * GROUP_BYTES + 64 * v);
        for (size_t r = 0; r < ROWS; ++r) {
            const __m512i a_bcast{_mm512_set1_epi32(LoadDword(a + r * lda + 4 * g))};
            for (size_t v = 0; v < NV; ++v) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], b[v], a_bcast);
        }
    }
    if (tail_bytes != 0) {
        __m512i b[NV];
        for (size_t v = 0; v < NV; ++v) b[v] = _mm512_load_si512(bp + full * GROUP_BYTES + 64 * v);
        for (size_t r = 0; r < ROWS; ++r) {
            int32_t partial{0};
            std::memcpy(&partial, a + r * lda + 4 * full, tail_bytes);
            const __m512i a_bcast{_mm512_set1_epi32(partial)};
            for (size_t v = 0; v < NV; ++v) acc[r][v] = _mm512_dpbusd_epi32(acc[r][v], b[v], a_bcast);
        }
    }
    for (size_t r = 0; r < ROWS; ++r) {
        for (size_t v = 0; v < NV; ++v) _mm512_mask_storeu_epi32(c + r * ldc + 16 * v, col_masks[v], acc[r][v]);
    }
}

using KernelFn = void (*)(const int8_t*, size_t, const uint8_t*, size_t, size_t, int32_t*, size_t, const __mmask16*,
                          const int32_t*);

template <size_t ROWS, size_t... NVS>
constexpr std::array<KernelFn, NV_MAX> KernelRow(std::index_sequence<NVS...>)
{
    return {&MicroKernel<ROWS, NVS + 1>...};
}

template <size_t... ROWS>
constexpr std::array<std::array<KernelFn, NV_MAX>, MR> KernelTable(std::index_sequence<ROWS...>)
{
    return {KernelRow<ROWS + 1>(std::make_index_sequence<NV_MAX>{})...};
}

/** KERNELS[rows - 1][vectors - 1]. */
constexpr auto KERNELS{KernelTable(std::make_index_sequence<MR>{})};

}  // namespace

void PackBAvx512Vnni(MatrixView<const int8_t> b, uint8_t* out)
{
    const size_t k{b.rows};
    const size_t n{b.cols};
    const size_t groups{(k + VNNI_K_STEP - 1) / VNNI_K_STEP};
    const size_t panels{(n + VNNI_PANEL_COLS - 1) / VNNI_PANEL_COLS};
    for (size_t panel = 0; panel < panels; ++panel) {
        const size_t j0{panel * VNNI_PANEL_COLS};
        const size_t width{std::min(VNNI_PANEL_COLS, n - j0)};
        for (size_t g = 0; g < groups; ++g) {
            uint8_t* dst{out + (panel * groups + g) * GROUP_BYTES};
            for (size_t t = 0; t < VNNI_K_STEP && g * VNNI_K_STEP + t < k; ++t) {
                const int8_t* src{b.Row(g * VNNI_K_STEP + t) + j0};
                for (size_t col = 0; col < width; ++col) {
                    dst[col * VNNI_K_STEP + t] = static_cast<uint8_t>(static_cast<int32_t>(src[col]) + 128);
                }
            }
        }
    }
}

void GemmRowsAvx512Vnni(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c)
{
    const size_t m{a.rows};
    const size_t k{b.K()};
    const size_t n{b.N()};
    const size_t groups{(k + VNNI_K_STEP - 1) / VNNI_K_STEP};
    const size_t panels{(n + VNNI_PANEL_COLS - 1) / VNNI_PANEL_COLS};
    const size_t tail{k % VNNI_K_STEP};
    int32_t row_init[MC];
    for (size_t i0 = 0; i0 < m; i0 += MC) {
        const size_t mc{std::min(MC, m - i0)};
        // −128 · rowsum(A) undoes the +128 bias of the packed B (see top).
        // |rowsum| ≤ 2^23, so the product fits.
        for (size_t r = 0; r < mc; ++r) row_init[r] = -128 * RowSum(a.Row(i0 + r), k);
        for (size_t g0 = 0; g0 < groups; g0 += KC_GROUPS) {
            const size_t kcg{std::min(KC_GROUPS, groups - g0)};
            const size_t tail_bytes{g0 + kcg == groups ? tail : 0};
            for (size_t panel = 0; panel < panels; ++panel) {
                const size_t j0{panel * VNNI_PANEL_COLS};
                const size_t width{std::min(VNNI_PANEL_COLS, n - j0)};
                __mmask16 col_masks[NV_MAX];
                for (size_t v = 0; v < NV_MAX; ++v) {
                    const size_t valid{width > 16 * v ? std::min<size_t>(16, width - 16 * v) : 0};
                    col_masks[v] = static_cast<__mmask16>((1u << valid) - 1);
                }
                const size_t vectors{(width + 15) / 16};
                const uint8_t* bp{b.Data() + (panel * groups + g0) * GROUP_BYTES};
                for (size_t ir = 0; ir < mc; ir += MR) {
                    const size_t rows{std::min(MR, mc - ir)};
                    KERNELS[rows - 1][vectors - 1](a.Row(i0 + ir) + g0 * VNNI_K_STEP, a.ld, bp, kcg, tail_bytes,
                                                   c.Row(i0 + ir) + j0, c.ld, col_masks,
                                                   g0 == 0 ? row_init + ir : nullptr);
                }
            }
        }
    }
}

}  // namespace hpips::gemm_detail

#else  // not x86-64: never selected (GemmIsaSupported is false)

namespace hpips::gemm_detail {
void PackBAvx512Vnni(MatrixView<const int8_t>, uint8_t*) {}
void GemmRowsAvx512Vnni(MatrixView<const int8_t>, const PackedB&, MatrixView<int32_t>) {}
}  // namespace hpips::gemm_detail

#endif
