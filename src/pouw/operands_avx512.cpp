// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Builders of the noisy operands A' + 128 and B' (packed panels) for the
// AVX-512 VNNI transcript. Compiled with -mavx512f -mavx512bw -mavx512vl
// -mavx512vnni; the *Vbmi functions add AVX-512 VBMI (vpermb) through a
// target attribute and are called only when CpuHasAvx512Vbmi().
#include <pouw/transcript_kernels.h>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
// GCC 12 reports its own _mm512_undefined_* placeholders inside the intrinsic
// headers as "(maybe) uninitialized" (a known false positive, GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#include <pouw/transpose_avx512.h>
#endif

#include <cstring>

namespace hpips::pouw::detail {

bool CpuHasAvx512Vbmi()
{
#if defined(__x86_64__)
    // Also checks that the OS saves the zmm state (the compiler runtime's XGETBV test).
    return __builtin_cpu_supports("avx512vbmi") != 0;
#else
    return false;
#endif
}

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
namespace {

/** zmm vectors per 64-column panel (16 int32 lanes each). */
constexpr uint32_t VECS_PER_PANEL{TILE / 16};
/** vpdpbusd groups per transcript step. */
constexpr uint32_t GROUPS_PER_STEP{STEP / VNNI_GROUP};
/** Bytes (k values) handled per vpermb. */
constexpr uint32_t BYTE_LANES{64};
static_assert(VNNI_OFFSET == 1 << 7, "the column correction shifts by 7 and A' + 128 is A' XOR 0x80");

/** The low `count` (≤ 64) byte lanes. */
__mmask64 ByteMask(uint32_t count) { return count >= 64 ? ~__mmask64{0} : (__mmask64{1} << count) - 1; }

/** The 33 values of an outer noise vector as a vpermb table (lanes ≥ 33 zero). */
__m512i OuterTable(const int8_t* outer)
{
    return _mm512_maskz_loadu_epi8(ByteMask(NOISE_DIM), outer);
}

/** 64 bytes of A' + 128 (u8) from 64 bytes of A at src, the row's E_L table
 *  and the 64 k's edge vertices: |A + E| ≤ 127, so the byte sum is exact,
 *  and XOR 0x80 adds 128 as u8. */
[[gnu::target("avx512f,avx512bw,avx512vbmi"), gnu::always_inline]] inline __m512i NoisyBytes(
    const int8_t* src, __m512i table, __m512i ip, __m512i im, __m512i flip)
{
    const __m512i e{_mm512_sub_epi8(_mm512_permutexvar_epi8(ip, table), _mm512_permutexvar_epi8(im, table))};
    return _mm512_xor_si512(_mm512_add_epi8(_mm512_loadu_si512(src), e), flip);
}

/** Packs 4 consecutive B' rows (64 columns each) into one 256-byte group of
 *  the vpdpbusd layout (4-byte column groups, column-major within the panel). */
void StoreGroup(__m512i r0, __m512i r1, __m512i r2, __m512i r3, int8_t* out, __m512i* sums)
{
    const __m512i ones{_mm512_set1_epi8(1)};
    // Interleave the 4 rows into 4-byte column groups; unpack works per
    // 128-bit lane, so X_i holds columns {4i..4i+3} + 16·lane.
    const __m512i lo01{_mm512_unpacklo_epi8(r0, r1)}, hi01{_mm512_unpackhi_epi8(r0, r1)};
    const __m512i lo23{_mm512_unpacklo_epi8(r2, r3)}, hi23{_mm512_unpackhi_epi8(r2, r3)};
    const __m512i x0{_mm512_unpacklo_epi16(lo01, lo23)}, x1{_mm512_unpackhi_epi16(lo01, lo23)};
    const __m512i x2{_mm512_unpacklo_epi16(hi01, hi23)}, x3{_mm512_unpackhi_epi16(hi01, hi23)};
    // 4×4 transpose of 128-bit lanes: Q_q = columns 16q..16q+15.
    const __m512i t0{_mm512_shuffle_i64x2(x0, x1, 0x88)}, t1{_mm512_shuffle_i64x2(x0, x1, 0xdd)};
    const __m512i t2{_mm512_shuffle_i64x2(x2, x3, 0x88)}, t3{_mm512_shuffle_i64x2(x2, x3, 0xdd)};
    const __m512i q[VECS_PER_PANEL]{_mm512_shuffle_i64x2(t0, t2, 0x88), _mm512_shuffle_i64x2(t1, t3, 0x88),
                                    _mm512_shuffle_i64x2(t0, t2, 0xdd), _mm512_shuffle_i64x2(t1, t3, 0xdd)};
    for (uint32_t v = 0; v < VECS_PER_PANEL; ++v) {
        _mm512_storeu_si512(out + 64 * v, q[v]);
        sums[v] = _mm512_dpbusd_epi32(sums[v], ones, q[v]);  // Σ of the 4 k values per column
    }
}

/** Stores 128 · (the running column sums) as step s's corrections. */
void StoreCorrections(const __m512i* sums, int32_t* corr, uint32_t s)
{
    for (uint32_t v = 0; v < VECS_PER_PANEL; ++v) {
        _mm512_storeu_si512(corr + s * TILE + 16 * v, _mm512_slli_epi32(sums[v], 7));
    }
}

/** The packing loop shared by the row-major builders: row(j, col0) returns
 *  64 bytes of row j of B' starting at column col0. */
template <typename RowFn>
void PackRows(const RowFn& row, uint32_t k, uint32_t cols, int8_t* panels, int32_t* col_corr)
{
    const uint32_t groups{k / VNNI_GROUP}, steps{k / STEP};
    for (uint32_t p = 0; p < cols / TILE; ++p) {
        int8_t* panel{panels + size_t{p} * groups * PANEL_GROUP_BYTES};
        int32_t* corr{col_corr + size_t{p} * steps * TILE};
        const uint32_t col0{p * TILE};
        __m512i sums[VECS_PER_PANEL]{};
        for (uint32_t g = 0; g < groups; ++g) {
            const uint32_t j{g * VNNI_GROUP};
            StoreGroup(row(j, col0), row(j + 1, col0), row(j + 2, col0), row(j + 3, col0),
                       panel + size_t{g} * PANEL_GROUP_BYTES, sums);
            if ((g + 1) % GROUPS_PER_STEP == 0) StoreCorrections(sums, corr, (g + 1) / GROUPS_PER_STEP - 1);
        }
    }
}

}  // namespace

void BuildNoisyRowsAvx512(const int8_t* a, size_t lda, size_t rows, uint32_t k, const int8_t* const* e_left,
                          const int16_t* plus_idx, const int16_t* minus_idx, uint8_t* out, size_t ldo)
{
    const __m512i offset{_mm512_set1_epi16(VNNI_OFFSET)};
    for (size_t r = 0; r < rows; ++r) {
        // E_L's row as a 64-entry int16 table: entries 0..31 and 32 (the rest unused).
        const int8_t* outer{e_left[r]};
        const __m512i table_lo{_mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(outer)))};
        const __m512i table_hi{_mm512_set1_epi16(outer[NOISE_DIM - 1])};
        const int8_t* src{a + r * lda};
        uint8_t* dst{out + r * ldo};
        for (uint32_t j = 0; j < k; j += STEP) {
            const __m512i ip{_mm512_loadu_si512(plus_idx + j)};
            const __m512i im{_mm512_loadu_si512(minus_idx + j)};
            const __m512i e{_mm512_sub_epi16(_mm512_permutex2var_epi16(table_lo, ip, table_hi),
                                             _mm512_permutex2var_epi16(table_lo, im, table_hi))};
            const __m512i x{_mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + j)))};
            const __m512i shifted{_mm512_add_epi16(_mm512_add_epi16(x, e), offset)};  // A' + 128 ∈ [1, 255]
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j), _mm512_cvtepi16_epi8(shifted));
        }
    }
}

[[gnu::target("avx512f,avx512bw,avx512vbmi")]] void BuildNoisyRowsAvx512Vbmi(
    const int8_t* a, size_t lda, size_t rows, uint32_t k, const int8_t* const* e_left, const uint8_t* plus_idx,
    const uint8_t* minus_idx, uint8_t* out, size_t ldo)
{
    const __m512i flip{_mm512_set1_epi8(static_cast<char>(0x80))};
    const uint32_t full{k / BYTE_LANES * BYTE_LANES};
    size_t r{0};
    // Two rows per pass share the index loads.
    for (; r + 2 <= rows; r += 2) {
        const __m512i table0{OuterTable(e_left[r])}, table1{OuterTable(e_left[r + 1])};
        const int8_t* src0{a + r * lda};
        const int8_t* src1{src0 + lda};
        uint8_t* dst0{out + r * ldo};
        uint8_t* dst1{dst0 + ldo};
        for (uint32_t j = 0; j < full; j += BYTE_LANES) {
            const __m512i ip{_mm512_loadu_si512(plus_idx + j)}, im{_mm512_loadu_si512(minus_idx + j)};
            _mm512_storeu_si512(dst0 + j, NoisyBytes(src0 + j, table0, ip, im, flip));
            _mm512_storeu_si512(dst1 + j, NoisyBytes(src1 + j, table1, ip, im, flip));
        }
    }
    for (; r < rows; ++r) {
        const __m512i table{OuterTable(e_left[r])};
        for (uint32_t j = 0; j < full; j += BYTE_LANES) {
            const __m512i ip{_mm512_loadu_si512(plus_idx + j)}, im{_mm512_loadu_si512(minus_idx + j)};
            _mm512_storeu_si512(out + r * ldo + j, NoisyBytes(a + r * lda + j, table, ip, im, flip));
        }
    }
    if (full < k) {
        // A k that is not a multiple of 64 (not an allowed shape): the tail by masked loads and stores.
        const __mmask64 mask{ByteMask(k - full)};
        const __m512i ip{_mm512_maskz_loadu_epi8(mask, plus_idx + full)};
        const __m512i im{_mm512_maskz_loadu_epi8(mask, minus_idx + full)};
        for (r = 0; r < rows; ++r) {
            const __m512i table{OuterTable(e_left[r])};
            const __m512i e{_mm512_sub_epi8(_mm512_permutexvar_epi8(ip, table), _mm512_permutexvar_epi8(im, table))};
            const __m512i x{_mm512_add_epi8(_mm512_maskz_loadu_epi8(mask, a + r * lda + full), e)};
            _mm512_mask_storeu_epi8(out + r * ldo + full, mask, _mm512_xor_si512(x, flip));
        }
    }
}

void PackPanelsAvx512(const int8_t* b_rows, uint32_t k, uint32_t cols, int8_t* panels, int32_t* col_corr)
{
    PackRows([&](uint32_t j, uint32_t col0) { return _mm512_loadu_si512(b_rows + size_t{j} * cols + col0); }, k,
             cols, panels, col_corr);
}

void PackNoisyPanelsAvx512(const int8_t* b, size_t ldb, uint32_t k, uint32_t cols, const int8_t* f_right_t,
                           const uint8_t* f_plus, const uint8_t* f_minus, int8_t* panels, int32_t* col_corr)
{
    PackRows(
        [&](uint32_t j, uint32_t col0) {
            const __m512i f{_mm512_sub_epi8(_mm512_loadu_si512(f_right_t + size_t{f_plus[j]} * cols + col0),
                                            _mm512_loadu_si512(f_right_t + size_t{f_minus[j]} * cols + col0))};
            return _mm512_add_epi8(_mm512_loadu_si512(b + j * ldb + col0), f);  // |B + F| ≤ 127: exact
        },
        k, cols, panels, col_corr);
}

[[gnu::target("avx512f,avx512bw,avx512vl,avx512vnni,avx512vbmi")]] void PackNoisyColumnPanelAvx512Vbmi(
    const int8_t* b_cols, size_t ldb, uint32_t k, const int8_t* const* f_right, const uint8_t* f_plus,
    const uint8_t* f_minus, int8_t* panel, int32_t* col_corr)
{
    const __m512i ones{_mm512_set1_epi8(1)};
    constexpr uint32_t COLS_PER_BLOCK{16};
    constexpr uint32_t GROUPS_PER_CHUNK{BYTE_LANES / VNNI_GROUP};
    __m512i sums[VECS_PER_PANEL]{};
    for (uint32_t j = 0; j < k; j += BYTE_LANES) {
        // A chunk of 64 k: 16 groups, each complete only when all 4 column blocks are in.
        const uint32_t valid{k - j < BYTE_LANES ? k - j : BYTE_LANES};
        const __mmask64 mask{ByteMask(valid)};
        const __m512i ip{_mm512_maskz_loadu_epi8(mask, f_plus + j)};
        const __m512i im{_mm512_maskz_loadu_epi8(mask, f_minus + j)};
        const uint32_t groups{valid / VNNI_GROUP};
        __m512i chunk_sums[VECS_PER_PANEL][GROUPS_PER_CHUNK / GROUPS_PER_STEP]{};
        for (uint32_t v = 0; v < VECS_PER_PANEL; ++v) {
            __m512i cols[COLS_PER_BLOCK];
            for (uint32_t c = 0; c < COLS_PER_BLOCK; ++c) {
                const uint32_t col{COLS_PER_BLOCK * v + c};
                const __m512i table{OuterTable(f_right[col])};
                const __m512i f{_mm512_sub_epi8(_mm512_permutexvar_epi8(ip, table), _mm512_permutexvar_epi8(im, table))};
                cols[c] = _mm512_add_epi8(_mm512_maskz_loadu_epi8(mask, b_cols + col * ldb + j), f);
            }
            // Column c's 16 dwords are its 16 groups: the transpose gives each group's 16 columns.
            TransposeDwords16(cols);
            for (uint32_t g = 0; g < groups; ++g) {
                _mm512_storeu_si512(panel + size_t{j / VNNI_GROUP + g} * PANEL_GROUP_BYTES + 64 * v, cols[g]);
                __m512i& step_sum{chunk_sums[v][g / GROUPS_PER_STEP]};
                step_sum = _mm512_dpbusd_epi32(step_sum, ones, cols[g]);
            }
        }
        for (uint32_t h = 0; h < groups / GROUPS_PER_STEP; ++h) {
            for (uint32_t v = 0; v < VECS_PER_PANEL; ++v) sums[v] = _mm512_add_epi32(sums[v], chunk_sums[v][h]);
            StoreCorrections(sums, col_corr, j / STEP + h);
        }
    }
}

#else
// Not an x86-64 build: never called (TranscriptBackendSupported says no).
void BuildNoisyRowsAvx512(const int8_t*, size_t, size_t, uint32_t, const int8_t* const*, const int16_t*,
                          const int16_t*, uint8_t*, size_t) {}
void BuildNoisyRowsAvx512Vbmi(const int8_t*, size_t, size_t, uint32_t, const int8_t* const*, const uint8_t*,
                              const uint8_t*, uint8_t*, size_t) {}
void PackPanelsAvx512(const int8_t*, uint32_t, uint32_t, int8_t*, int32_t*) {}
void PackNoisyPanelsAvx512(const int8_t*, size_t, uint32_t, uint32_t, const int8_t*, const uint8_t*,
                           const uint8_t*, int8_t*, int32_t*) {}
void PackNoisyColumnPanelAvx512Vbmi(const int8_t*, size_t, uint32_t, const int8_t* const*, const uint8_t*,
                                    const uint8_t*, int8_t*, int32_t*) {}
#endif

}  // namespace hpips::pouw::detail
