// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The bodies of the row loops, included once by each per-ISA translation unit
// (row_kernels_portable.cpp, row_kernels_avx2.cpp, row_kernels_avx512.cpp)
// and compiled there with that unit's flags. Everything lives in an anonymous
// namespace so no out-of-line copy built for one ISA can be picked up by
// another unit. Loops are written for the auto-vectoriser: fixed trip counts
// via templates on the kernel size, no aliasing (__restrict), no branches on
// data. The arithmetic is exactly pixel_ops.h.
#ifndef HPIPS_ROW_KERNELS_TABLE_NAME
#error "define HPIPS_ROW_KERNELS_TABLE_NAME before including row_kernels_impl.h"
#endif

#include "kernels/pixel_ops.h"
#include "kernels/row_kernels.h"

#include <cstddef>
#include <cstdint>

#if defined(__AVX512BW__) || defined(__AVX2__)
#include <immintrin.h>
#endif

namespace hpips {
namespace {

void GrayRowScalar(const uint8_t* __restrict bgr, uint8_t* __restrict dst, size_t begin, size_t end)
{
    for (size_t x = begin; x < end; ++x) {
        dst[x] = GrayFromBgr(bgr[3 * x], bgr[3 * x + 1], bgr[3 * x + 2]);
    }
}

#if defined(__AVX512BW__)
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
/** Byte-permute indices splitting 192 interleaved BGR bytes into planes:
 *  step 1 picks plane bytes from the first 128 bytes, step 2 the rest from
 *  the last 64 (index bit 6 selects the second operand of vpermt2b). */
struct GrayPermutes {
    alignas(64) uint8_t first[3][64];
    alignas(64) uint8_t second[3][64];
};

GrayPermutes MakeGrayPermutes()
{
    GrayPermutes p{};
    for (int c = 0; c < 3; ++c) {
        for (int i = 0; i < 64; ++i) {
            const int pos{3 * i + c};  // byte of pixel i, channel c, in 0..191
            p.first[c][i] = static_cast<uint8_t>(pos < 128 ? pos : 0);
            p.second[c][i] = static_cast<uint8_t>(pos < 128 ? i : 64 + (pos - 128));
        }
    }
    return p;
}

/** 64 pixels per step: VBMI two-table byte permutes deinterleave B, G and
 *  R; vpmaddwd forms B*wb + G*wg and R*wr + 2^14 per pixel (all terms fit
 *  int16 x int16); the sum is shifted by 15 and packed back in order.
 *  Returns how many pixels were done. */
[[gnu::target("avx512f,avx512bw,avx512vbmi")]] size_t GrayRowVbmi(const uint8_t* bgr, uint8_t* dst, size_t width)
{
    static const GrayPermutes perm{MakeGrayPermutes()};
    const __m512i weights_bg{_mm512_set1_epi32(static_cast<int>(GRAY_WEIGHT_B | (GRAY_WEIGHT_G << 16)))};
    const __m512i weights_r1{_mm512_set1_epi32(static_cast<int>(GRAY_WEIGHT_R | (1U << (GRAY_SHIFT - 1) << 16)))};
    const __m512i ones{_mm512_set1_epi16(1)};
    const __m512i lane_order{_mm512_set_epi64(7, 5, 3, 1, 6, 4, 2, 0)};
    __m512i idx1[3];
    __m512i idx2[3];
    for (int c = 0; c < 3; ++c) {
        idx1[c] = _mm512_load_si512(perm.first[c]);
        idx2[c] = _mm512_load_si512(perm.second[c]);
    }
    size_t x{0};
    for (; x + 64 <= width; x += 64) {
        const uint8_t* p{bgr + 3 * x};
        const __m512i a{_mm512_loadu_si512(p)};
        const __m512i b{_mm512_loadu_si512(p + 64)};
        const __m512i c{_mm512_loadu_si512(p + 128)};
        __m512i plane[3];
        for (int ch = 0; ch < 3; ++ch) {
            plane[ch] = _mm512_permutex2var_epi8(_mm512_permutex2var_epi8(a, idx1[ch], b), idx2[ch], c);
        }
        // The extract's lane index must be a compile-time constant (clang
        // refuses a loop variable even when the loop is unrolled): split first.
        __m256i halves[2][3];
        for (int ch = 0; ch < 3; ++ch) {
            halves[0][ch] = _mm512_extracti64x4_epi64(plane[ch], 0);
            halves[1][ch] = _mm512_extracti64x4_epi64(plane[ch], 1);
        }
        __m512i words[2];
        for (int half = 0; half < 2; ++half) {
            // Bytes of pixels 32*half .. 32*half + 31 as 16-bit words.
            const __m512i bw{_mm512_cvtepu8_epi16(halves[half][0])};
            const __m512i gw{_mm512_cvtepu8_epi16(halves[half][1])};
            const __m512i rw{_mm512_cvtepu8_epi16(halves[half][2])};
            const __m512i lo{_mm512_srli_epi32(_mm512_add_epi32(_mm512_madd_epi16(_mm512_unpacklo_epi16(bw, gw), weights_bg),
                                                                _mm512_madd_epi16(_mm512_unpacklo_epi16(rw, ones), weights_r1)),
                                               GRAY_SHIFT)};
            const __m512i hi{_mm512_srli_epi32(_mm512_add_epi32(_mm512_madd_epi16(_mm512_unpackhi_epi16(bw, gw), weights_bg),
                                                                _mm512_madd_epi16(_mm512_unpackhi_epi16(rw, ones), weights_r1)),
                                               GRAY_SHIFT)};
            words[half] = _mm512_packus_epi32(lo, hi);  // per lane: the lane's 8 pixels in order
        }
        // packus_epi16 interleaves 128-bit lanes of the two halves; undo it.
        const __m512i bytes{_mm512_permutexvar_epi64(lane_order, _mm512_packus_epi16(words[0], words[1]))};
        _mm512_storeu_si512(dst + x, bytes);
    }
    return x;
}
#pragma GCC diagnostic pop
#endif

void GrayRow(const uint8_t* bgr, uint8_t* dst, size_t width)
{
    size_t done{0};
#if defined(__AVX512BW__)
    static const bool has_vbmi{__builtin_cpu_supports("avx512vbmi") != 0};
    if (has_vbmi) done = GrayRowVbmi(bgr, dst, width);
#endif
    GrayRowScalar(bgr, dst, done, width);
}

template <ThresholdMode MODE>
void ThresholdRowT(const uint8_t* src, uint8_t* dst, size_t n, uint8_t t, uint8_t m)
{
    for (size_t i = 0; i < n; ++i) dst[i] = ThresholdPixel(src[i], t, m, MODE);
}

void ThresholdRow(const uint8_t* src, uint8_t* dst, size_t n, uint8_t t, uint8_t m, ThresholdMode mode)
{
    // In-place use (src == dst) is allowed here, so no __restrict on the
    // dispatcher; each mode's loop reads src[i] before writing dst[i].
    switch (mode) {
    case ThresholdMode::BINARY: return ThresholdRowT<ThresholdMode::BINARY>(src, dst, n, t, m);
    case ThresholdMode::BINARY_INV: return ThresholdRowT<ThresholdMode::BINARY_INV>(src, dst, n, t, m);
    case ThresholdMode::TRUNC: return ThresholdRowT<ThresholdMode::TRUNC>(src, dst, n, t, m);
    case ThresholdMode::TOZERO: return ThresholdRowT<ThresholdMode::TOZERO>(src, dst, n, t, m);
    case ThresholdMode::TOZERO_INV: return ThresholdRowT<ThresholdMode::TOZERO_INV>(src, dst, n, t, m);
    }
}

template <int K>
void GaussHRowK(const uint8_t* __restrict src, uint16_t* __restrict dst, size_t n, size_t cn, const uint16_t* coef)
{
    constexpr int R{K / 2};
    uint16_t c[K];
    for (int k = 0; k < K; ++k) c[k] = coef[k];
    for (size_t i = 0; i < n; ++i) {
        // Symmetric taps share one multiply; uint16 arithmetic wraps, but the
        // full sum is at most 255 * 256, so the result is exact.
        uint16_t acc{static_cast<uint16_t>(c[R] * src[i + R * cn])};
        for (int k = 0; k < R; ++k) {
            acc = static_cast<uint16_t>(acc + c[k] * static_cast<uint16_t>(src[i + k * cn] + src[i + (K - 1 - k) * cn]));
        }
        dst[i] = acc;
    }
}

void GaussHRow(const uint8_t* src, uint16_t* dst, size_t n, size_t cn, const uint16_t* coef, int ksize)
{
    switch (ksize) {
    case 1: return GaussHRowK<1>(src, dst, n, cn, coef);
    case 3: return GaussHRowK<3>(src, dst, n, cn, coef);
    case 5: return GaussHRowK<5>(src, dst, n, cn, coef);
    case 7: return GaussHRowK<7>(src, dst, n, cn, coef);
    case 9: return GaussHRowK<9>(src, dst, n, cn, coef);
    case 11: return GaussHRowK<11>(src, dst, n, cn, coef);
    case 13: return GaussHRowK<13>(src, dst, n, cn, coef);
    case 15: return GaussHRowK<15>(src, dst, n, cn, coef);
    default: return;
    }
}

template <int K>
void GaussVRowK(const uint16_t* const* rows, const uint16_t* coef, uint8_t* __restrict dst, size_t n)
{
    constexpr int R{K / 2};
    const uint16_t* __restrict r[K];
    uint32_t c[K];
    for (int k = 0; k < K; ++k) {
        r[k] = rows[k];
        c[k] = coef[k];
    }
    for (size_t i = 0; i < n; ++i) {
        uint32_t acc{c[R] * r[R][i]};
        for (int k = 0; k < R; ++k) acc += c[k] * (static_cast<uint32_t>(r[k][i]) + r[K - 1 - k][i]);
        dst[i] = RoundQ16ToU8(acc);
    }
}

void GaussVRow(const uint16_t* const* rows, const uint16_t* coef, int ksize, uint8_t* dst, size_t n)
{
    switch (ksize) {
    case 1: return GaussVRowK<1>(rows, coef, dst, n);
    case 3: return GaussVRowK<3>(rows, coef, dst, n);
    case 5: return GaussVRowK<5>(rows, coef, dst, n);
    case 7: return GaussVRowK<7>(rows, coef, dst, n);
    case 9: return GaussVRowK<9>(rows, coef, dst, n);
    case 11: return GaussVRowK<11>(rows, coef, dst, n);
    case 13: return GaussVRowK<13>(rows, coef, dst, n);
    case 15: return GaussVRowK<15>(rows, coef, dst, n);
    default: return;
    }
}

void SobelMagRow(const uint8_t* __restrict up, const uint8_t* __restrict mid, const uint8_t* __restrict down,
                 uint8_t* __restrict dst, size_t n, size_t cn)
{
    // Rows are padded by one pixel: pixel x's left neighbour is at i, its own
    // value at i + cn and its right neighbour at i + 2cn.
    const size_t c2{2 * cn};
    for (size_t i = 0; i < n; ++i) {
        const int32_t gx{SobelDx(up[i], up[i + c2], mid[i], mid[i + c2], down[i], down[i + c2])};
        const int32_t gy{SobelDy(up[i], up[i + cn], up[i + c2], down[i], down[i + cn], down[i + c2])};
        dst[i] = SobelMagnitude(gx, gy);
    }
}

void ColAdd(uint16_t* __restrict colsum, const uint8_t* __restrict add, size_t n)
{
    for (size_t i = 0; i < n; ++i) colsum[i] = static_cast<uint16_t>(colsum[i] + add[i]);
}

void ColUpdate(uint16_t* __restrict colsum, const uint8_t* __restrict add, const uint8_t* __restrict sub, size_t n)
{
    for (size_t i = 0; i < n; ++i) colsum[i] = static_cast<uint16_t>(colsum[i] + add[i] - sub[i]);
}

template <int K>
void BoxHRowK(const uint16_t* __restrict colsum, uint8_t* __restrict dst, size_t n, size_t cn, uint32_t scale,
              uint32_t delta)
{
    for (size_t i = 0; i < n; ++i) {
        uint16_t s{0};
        for (int k = 0; k < K; ++k) s = static_cast<uint16_t>(s + colsum[i + k * cn]);
        dst[i] = BoxDivide(s, scale, delta);
    }
}

void BoxHRow(const uint16_t* colsum, uint8_t* dst, size_t n, size_t cn, int ksize, uint32_t scale, uint32_t delta)
{
    switch (ksize) {
    case 1: return BoxHRowK<1>(colsum, dst, n, cn, scale, delta);
    case 3: return BoxHRowK<3>(colsum, dst, n, cn, scale, delta);
    case 5: return BoxHRowK<5>(colsum, dst, n, cn, scale, delta);
    case 7: return BoxHRowK<7>(colsum, dst, n, cn, scale, delta);
    case 9: return BoxHRowK<9>(colsum, dst, n, cn, scale, delta);
    case 11: return BoxHRowK<11>(colsum, dst, n, cn, scale, delta);
    case 13: return BoxHRowK<13>(colsum, dst, n, cn, scale, delta);
    case 15: return BoxHRowK<15>(colsum, dst, n, cn, scale, delta);
    default: return;
    }
}

template <bool DILATE>
[[gnu::always_inline]] inline uint8_t Pick(uint8_t a, uint8_t b)
{
    return DILATE ? MaxU8(a, b) : MinU8(a, b);
}

template <int K, bool DILATE>
void MorphHRowK(const uint8_t* __restrict src, uint8_t* __restrict dst, size_t n, size_t cn)
{
    for (size_t i = 0; i < n; ++i) {
        uint8_t v{src[i]};
        for (int k = 1; k < K; ++k) v = Pick<DILATE>(v, src[i + k * cn]);
        dst[i] = v;
    }
}

/** dst[i] = pick(a[i], b[i]) for i < n. */
template <bool DILATE>
void PickRows(const uint8_t* __restrict a, const uint8_t* __restrict b, uint8_t* __restrict dst, size_t n)
{
    for (size_t i = 0; i < n; ++i) dst[i] = Pick<DILATE>(a[i], b[i]);
}

/** Windows of K >= 8 by doubling: windows of 2, 4, 8 samples, then K as two
 *  overlapping windows of 8 (8 >= K / 2). Four passes instead of K - 1 picks. */
template <int K, bool DILATE>
void MorphHRowDoubling(const uint8_t* src, uint8_t* dst, size_t n, size_t cn)
{
    constexpr size_t MAX_ROW{4096};
    uint8_t a[MAX_ROW + 16 * 3];
    uint8_t b[MAX_ROW + 16 * 3];
    for (size_t start = 0; start < n; start += MAX_ROW) {
        const size_t len{n - start < MAX_ROW ? n - start : MAX_ROW};
        const uint8_t* s{src + start};
        PickRows<DILATE>(s, s + cn, a, len + (K - 2) * cn);          // windows of 2
        PickRows<DILATE>(a, a + 2 * cn, b, len + (K - 4) * cn);       // 4
        PickRows<DILATE>(b, b + 4 * cn, a, len + (K - 8) * cn);       // 8
        PickRows<DILATE>(a, a + (K - 8) * cn, dst + start, len);      // K
    }
}

template <bool DILATE>
void MorphHRowD(const uint8_t* src, uint8_t* dst, size_t n, size_t cn, int ksize)
{
    switch (ksize) {
    case 1: return MorphHRowK<1, DILATE>(src, dst, n, cn);
    case 3: return MorphHRowK<3, DILATE>(src, dst, n, cn);
    case 5: return MorphHRowK<5, DILATE>(src, dst, n, cn);
    case 7: return MorphHRowK<7, DILATE>(src, dst, n, cn);
    case 9: return MorphHRowDoubling<9, DILATE>(src, dst, n, cn);
    case 11: return MorphHRowDoubling<11, DILATE>(src, dst, n, cn);
    case 13: return MorphHRowDoubling<13, DILATE>(src, dst, n, cn);
    case 15: return MorphHRowDoubling<15, DILATE>(src, dst, n, cn);
    default: return;
    }
}

void MorphHRow(const uint8_t* src, uint8_t* dst, size_t n, size_t cn, int ksize, bool dilate)
{
    if (dilate) return MorphHRowD<true>(src, dst, n, cn, ksize);
    return MorphHRowD<false>(src, dst, n, cn, ksize);
}

template <bool DILATE>
void MorphVRowD(const uint8_t* const* rows, int count, uint8_t* __restrict dst, size_t n)
{
    // The first pass combines up to four rows straight into dst, later passes
    // fold four more each. The passes are kept apart (unroll 1): GCC's
    // unroll-and-jam of this loop produced scalar code.
    const uint8_t* __restrict r0{rows[0]};
    const uint8_t* __restrict r1{rows[count > 1 ? 1 : 0]};
    const uint8_t* __restrict r2{rows[count > 2 ? 2 : 0]};
    const uint8_t* __restrict r3{rows[count > 3 ? 3 : 0]};
    for (size_t i = 0; i < n; ++i) {
        dst[i] = Pick<DILATE>(Pick<DILATE>(r0[i], r1[i]), Pick<DILATE>(r2[i], r3[i]));
    }
    int r{4};
#pragma GCC unroll 1
    for (; r < count; r += 4) {
        const uint8_t* __restrict a{rows[r]};
        const uint8_t* __restrict b{rows[r + 1 < count ? r + 1 : r]};
        const uint8_t* __restrict c{rows[r + 2 < count ? r + 2 : r]};
        const uint8_t* __restrict d{rows[r + 3 < count ? r + 3 : r]};
        for (size_t i = 0; i < n; ++i) {
            dst[i] = Pick<DILATE>(dst[i], Pick<DILATE>(Pick<DILATE>(a[i], b[i]), Pick<DILATE>(c[i], d[i])));
        }
    }
}

template <int C, bool DILATE>
void MorphV2RowC(const uint8_t* const* rows, uint8_t* __restrict dst0, uint8_t* __restrict dst1, size_t n)
{
    const uint8_t* __restrict r[C];
    for (int k = 0; k < C; ++k) r[k] = rows[k];
    for (size_t i = 0; i < n; ++i) {
        uint8_t shared{r[1][i]};
        for (int k = 2; k < C - 1; ++k) shared = Pick<DILATE>(shared, r[k][i]);
        dst0[i] = Pick<DILATE>(shared, r[0][i]);
        dst1[i] = Pick<DILATE>(shared, r[C - 1][i]);
    }
}

template <bool DILATE>
void MorphV2RowD(const uint8_t* const* rows, int count, uint8_t* dst0, uint8_t* dst1, size_t n)
{
    switch (count) {
    case 4: return MorphV2RowC<4, DILATE>(rows, dst0, dst1, n);
    case 6: return MorphV2RowC<6, DILATE>(rows, dst0, dst1, n);
    case 8: return MorphV2RowC<8, DILATE>(rows, dst0, dst1, n);
    case 10: return MorphV2RowC<10, DILATE>(rows, dst0, dst1, n);
    case 12: return MorphV2RowC<12, DILATE>(rows, dst0, dst1, n);
    case 14: return MorphV2RowC<14, DILATE>(rows, dst0, dst1, n);
    case 16: return MorphV2RowC<16, DILATE>(rows, dst0, dst1, n);
    default:
        MorphVRowD<DILATE>(rows, count - 1, dst0, n);
        MorphVRowD<DILATE>(rows + 1, count - 1, dst1, n);
        return;
    }
}

void MorphV2Row(const uint8_t* const* rows, int count, uint8_t* dst0, uint8_t* dst1, size_t n, bool dilate)
{
    if (dilate) return MorphV2RowD<true>(rows, count, dst0, dst1, n);
    return MorphV2RowD<false>(rows, count, dst0, dst1, n);
}

void MorphVRow(const uint8_t* const* rows, int count, uint8_t* dst, size_t n, bool dilate)
{
    if (dilate) return MorphVRowD<true>(rows, count, dst, n);
    return MorphVRowD<false>(rows, count, dst, n);
}

template <size_t CN>
void ResizeHRowCn(const uint8_t* __restrict src, uint16_t* __restrict dst, size_t begin, size_t end,
                  const uint32_t* ofs0, const uint32_t* ofs1, const uint16_t* w0, const uint16_t* w1)
{
    for (size_t d = begin; d < end; ++d) {
        const uint8_t* a{src + ofs0[d]};
        const uint8_t* b{src + ofs1[d]};
        for (size_t c = 0; c < CN; ++c) dst[d * CN + c] = WeightedPairQ8(a[c], b[c], w0[d], w1[d]);
    }
}

#if defined(__AVX512BW__)
// GCC 12 warns inside its own AVX-512 intrinsic headers (their "undefined"
// pass-through operands) once they are inlined here; the warning is a known
// false positive, so it is silenced for these functions only.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
/** One channel, 16 outputs per step: a 32-bit gather at each ofs0 brings
 *  src[ofs0] and src[ofs0 + 1] (the second sample, or a byte weighted 0);
 *  vpmaddwd forms w0*a + w1*b exactly (all terms fit int16 x int16).
 *  Returns how many outputs were done (the rest need the scalar loop: their
 *  4-byte load would pass the end of src). */
size_t ResizeHRowGray512(const uint8_t* src, size_t src_bytes, uint16_t* dst, size_t dst_width, const uint32_t* ofs0,
                         const uint16_t* w0, const uint16_t* w1)
{
    constexpr size_t STEP{16};
    size_t safe{dst_width};
    while (safe > 0 && static_cast<size_t>(ofs0[safe - 1]) + 4 > src_bytes) --safe;
    const __m512i low_byte{_mm512_set1_epi32(0xFF)};
    size_t d{0};
    for (; d + STEP <= safe; d += STEP) {
        const __m512i idx{_mm512_loadu_si512(ofs0 + d)};
        const __m512i g{_mm512_mask_i32gather_epi32(_mm512_setzero_si512(), 0xFFFF, idx, src, 1)};
        const __m512i a{_mm512_and_si512(g, low_byte)};
        const __m512i b{_mm512_slli_epi32(_mm512_and_si512(_mm512_srli_epi32(g, 8), low_byte), 16)};
        const __m512i pair{_mm512_or_si512(a, b)};
        const __m512i wa{_mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w0 + d)))};
        const __m512i wb{_mm512_slli_epi32(_mm512_cvtepu16_epi32(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(w1 + d))), 16)};
        const __m512i sum{_mm512_madd_epi16(pair, _mm512_or_si512(wa, wb))};
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + d), _mm512_cvtepi32_epi16(sum));
    }
    return d;
}
#pragma GCC diagnostic pop
#endif

void ResizeHRow(const uint8_t* src, size_t src_bytes, uint16_t* dst, size_t dst_width, size_t cn,
                const uint32_t* ofs0, const uint32_t* ofs1, const uint16_t* w0, const uint16_t* w1)
{
    if (cn == 1) {
        size_t done{0};
#if defined(__AVX512BW__)
        done = ResizeHRowGray512(src, src_bytes, dst, dst_width, ofs0, w0, w1);
#else
        (void)src_bytes;
#endif
        return ResizeHRowCn<1>(src, dst, done, dst_width, ofs0, ofs1, w0, w1);
    }
    return ResizeHRowCn<3>(src, dst, 0, dst_width, ofs0, ofs1, w0, w1);
}

void ResizeVRow(const uint16_t* __restrict row0, const uint16_t* __restrict row1, uint32_t w0, uint32_t w1,
                uint8_t* __restrict dst, size_t n)
{
    for (size_t i = 0; i < n; ++i) dst[i] = BlendRowsQ16(row0[i], row1[i], w0, w1);
}

template <size_t CN>
void HalfDownCn(const uint8_t* __restrict row0, const uint8_t* __restrict row1, uint8_t* __restrict dst,
                size_t begin, size_t dst_width)
{
    for (size_t x = begin; x < dst_width; ++x) {
        for (size_t c = 0; c < CN; ++c) {
            const size_t s{2 * x * CN + c};
            dst[x * CN + c] = Average4(row0[s], row0[s + CN], row1[s], row1[s + CN]);
        }
    }
}

#if defined(__AVX512BW__)
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
/** Indices re-interleaving 32-pixel B, G (one vector, G in bytes 32..63)
 *  and R planes into BGR bytes 0..63 and 64..95. */
struct BgrInterleave {
    alignas(64) uint8_t first[64];
    alignas(64) uint8_t second[64];
};

/** Source index (in B|G then R) of output byte k of an interleaved BGR run. */
uint8_t InterleaveSource(int k)
{
    const int pixel{k / 3};
    const int channel{k % 3};
    return static_cast<uint8_t>(channel == 0 ? pixel : channel == 1 ? 32 + pixel : 64 + pixel);
}

BgrInterleave MakeBgrInterleave()
{
    BgrInterleave t{};
    for (int k = 0; k < 64; ++k) t.first[k] = InterleaveSource(k);
    for (int k = 0; k < 32; ++k) t.second[k] = InterleaveSource(64 + k);
    return t;
}

/** Exact 2x2 averaging of BGR rows, 32 output pixels per step: VBMI byte
 *  permutes split both source rows into planes, vpmaddubsw adds horizontal
 *  pixel pairs, (sum + 2) >> 2 as Average4, and two permutes re-interleave.
 *  Returns how many output pixels were done. */
[[gnu::target("avx512f,avx512bw,avx512vbmi")]] size_t HalfDownBgrVbmi(const uint8_t* row0, const uint8_t* row1,
                                                                      uint8_t* dst, size_t dst_width)
{
    static const GrayPermutes split{MakeGrayPermutes()};
    static const BgrInterleave join{MakeBgrInterleave()};
    __m512i idx1[3];
    __m512i idx2[3];
    for (int c = 0; c < 3; ++c) {
        idx1[c] = _mm512_load_si512(split.first[c]);
        idx2[c] = _mm512_load_si512(split.second[c]);
    }
    const __m512i join1{_mm512_load_si512(join.first)};
    const __m512i join2{_mm512_load_si512(join.second)};
    const __m512i ones{_mm512_set1_epi8(1)};
    const __m512i two{_mm512_set1_epi16(2)};
    size_t x{0};
    for (; x + 32 <= dst_width; x += 32) {
        const uint8_t* p0{row0 + 6 * x};
        const uint8_t* p1{row1 + 6 * x};
        const __m512i a0{_mm512_loadu_si512(p0)};
        const __m512i b0{_mm512_loadu_si512(p0 + 64)};
        const __m512i c0{_mm512_loadu_si512(p0 + 128)};
        const __m512i a1{_mm512_loadu_si512(p1)};
        const __m512i b1{_mm512_loadu_si512(p1 + 64)};
        const __m512i c1{_mm512_loadu_si512(p1 + 128)};
        __m256i avg[3];
        for (int ch = 0; ch < 3; ++ch) {
            const __m512i plane0{_mm512_permutex2var_epi8(_mm512_permutex2var_epi8(a0, idx1[ch], b0), idx2[ch], c0)};
            const __m512i plane1{_mm512_permutex2var_epi8(_mm512_permutex2var_epi8(a1, idx1[ch], b1), idx2[ch], c1)};
            const __m512i sum{_mm512_add_epi16(_mm512_maddubs_epi16(plane0, ones), _mm512_maddubs_epi16(plane1, ones))};
            avg[ch] = _mm512_cvtepi16_epi8(_mm512_srli_epi16(_mm512_add_epi16(sum, two), 2));
        }
        const __m512i bg{_mm512_inserti64x4(_mm512_castsi256_si512(avg[0]), avg[1], 1)};
        const __m512i r{_mm512_castsi256_si512(avg[2])};
        _mm512_storeu_si512(dst + 3 * x, _mm512_permutex2var_epi8(bg, join1, r));
        _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + 3 * x + 64),
                            _mm512_castsi512_si256(_mm512_permutex2var_epi8(bg, join2, r)));
    }
    return x;
}
#pragma GCC diagnostic pop
#endif

void HalfDownRow(const uint8_t* row0, const uint8_t* row1, uint8_t* dst, size_t dst_width, size_t cn)
{
    if (cn == 1) return HalfDownCn<1>(row0, row1, dst, 0, dst_width);
    size_t done{0};
#if defined(__AVX512BW__)
    static const bool has_vbmi{__builtin_cpu_supports("avx512vbmi") != 0};
    if (has_vbmi) done = HalfDownBgrVbmi(row0, row1, dst, dst_width);
#endif
    return HalfDownCn<3>(row0, row1, dst, done, dst_width);
}

const RowKernels TABLE{
    HPIPS_ROW_KERNELS_TABLE_NAME,
    GrayRow,
    ThresholdRow,
    GaussHRow,
    GaussVRow,
    SobelMagRow,
    ColAdd,
    ColUpdate,
    BoxHRow,
    MorphHRow,
    MorphVRow,
    MorphV2Row,
    ResizeHRow,
    ResizeVRow,
    HalfDownRow,
};

}  // namespace
}  // namespace hpips
