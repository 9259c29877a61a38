// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TRANSPOSE_AVX512_H
#define HPIPS_POUW_TRANSPOSE_AVX512_H

// Internal to src/pouw, included only by files compiled with AVX-512 F.
#include <immintrin.h>

namespace hpips::pouw::detail {
namespace {

/** In-place transpose of a 16×16 matrix of 32-bit words held as 16 rows
 *  (v[i] = row i): afterwards v[c] holds column c. */
[[maybe_unused]] inline void TransposeDwords16(__m512i* v)
{
    __m512i t[16];
    for (int i = 0; i < 16; i += 2) {
        t[i] = _mm512_unpacklo_epi32(v[i], v[i + 1]);
        t[i + 1] = _mm512_unpackhi_epi32(v[i], v[i + 1]);
    }
    // v[4q + w], 128-bit lane L: column 4L + w of rows 4q..4q+3.
    for (int i = 0; i < 16; i += 4) {
        v[i] = _mm512_unpacklo_epi64(t[i], t[i + 2]);
        v[i + 1] = _mm512_unpackhi_epi64(t[i], t[i + 2]);
        v[i + 2] = _mm512_unpacklo_epi64(t[i + 1], t[i + 3]);
        v[i + 3] = _mm512_unpackhi_epi64(t[i + 1], t[i + 3]);
    }
    // A 4×4 transpose of 128-bit lanes for each w.
    for (int w = 0; w < 4; ++w) {
        const __m512i ab_even{_mm512_shuffle_i32x4(v[w], v[4 + w], 0x88)};
        const __m512i ab_odd{_mm512_shuffle_i32x4(v[w], v[4 + w], 0xdd)};
        const __m512i cd_even{_mm512_shuffle_i32x4(v[8 + w], v[12 + w], 0x88)};
        const __m512i cd_odd{_mm512_shuffle_i32x4(v[8 + w], v[12 + w], 0xdd)};
        v[w] = _mm512_shuffle_i32x4(ab_even, cd_even, 0x88);
        v[8 + w] = _mm512_shuffle_i32x4(ab_even, cd_even, 0xdd);
        v[4 + w] = _mm512_shuffle_i32x4(ab_odd, cd_odd, 0x88);
        v[12 + w] = _mm512_shuffle_i32x4(ab_odd, cd_odd, 0xdd);
    }
}

/** One ChaCha quarter round on 16 independent states (one per 32-bit lane). */
[[maybe_unused]] inline void QuarterRound16(__m512i& a, __m512i& b, __m512i& c, __m512i& d)
{
    a = _mm512_add_epi32(a, b);
    d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 16);
    c = _mm512_add_epi32(c, d);
    b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 12);
    a = _mm512_add_epi32(a, b);
    d = _mm512_rol_epi32(_mm512_xor_si512(d, a), 8);
    c = _mm512_add_epi32(c, d);
    b = _mm512_rol_epi32(_mm512_xor_si512(b, c), 7);
}

/** One ChaCha double round (RFC 8439 order) on 16 states held word-major. */
[[maybe_unused]] inline void DoubleRound16(__m512i* x)
{
    QuarterRound16(x[0], x[4], x[8], x[12]);
    QuarterRound16(x[1], x[5], x[9], x[13]);
    QuarterRound16(x[2], x[6], x[10], x[14]);
    QuarterRound16(x[3], x[7], x[11], x[15]);
    QuarterRound16(x[0], x[5], x[10], x[15]);
    QuarterRound16(x[1], x[6], x[11], x[12]);
    QuarterRound16(x[2], x[7], x[8], x[13]);
    QuarterRound16(x[3], x[4], x[9], x[14]);
}

}  // namespace
}  // namespace hpips::pouw::detail

#endif  // HPIPS_POUW_TRANSPOSE_AVX512_H
