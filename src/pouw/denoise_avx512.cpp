// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Vector kernels of denoising (doc/pouw.md §5): A·F_L with the sparse ±1
// factor, and the rank-2·NOISE_DIM correction product. Compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512vnni; called only when the CPU has them.
#include <pouw/transcript_kernels.h>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
// GCC 12 reports its own _mm512_undefined_* placeholders inside the intrinsic
// headers as "(maybe) uninitialized" (a known false positive, GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cassert>
#include <cstring>

namespace hpips::pouw::detail {

FLeftStepTable MakeFLeftStepTable(const uint8_t* plus, const uint8_t* minus)
{
    // The path's vertex order π: π[0] is the end of edge 0 that edge 1 does
    // not touch, then each edge leads to its other end (doc/pouw.md §3).
    static_assert(STEP >= 2);
    std::array<uint8_t, NOISE_DIM> order{};
    const bool plus_shared{plus[0] == plus[1] || plus[0] == minus[1]};
    order[0] = plus_shared ? minus[0] : plus[0];
    for (uint32_t e = 0; e < STEP; ++e) order[e + 1] = plus[e] == order[e] ? minus[e] : plus[e];
    FLeftStepTable table;
    std::array<int16_t, NOISE_DIM> position{};
    for (uint32_t p = 0; p < NOISE_DIM; ++p) position[order[p]] = static_cast<int16_t>(p);
    for (uint32_t e = 0; e < STEP; ++e) {
        // Edge e has +1 at plus[e]: its first vertex π[e] carries −1 when it is the minus end.
        if (minus[e] == order[e]) table.negative |= uint32_t{1} << e;
    }
    for (uint32_t t = 0; t < STEP; ++t) {
        const int16_t p{position[t]};
        table.first[t] = p < static_cast<int16_t>(STEP) ? p : 0;
        table.second[t] = p > 0 ? static_cast<int16_t>(p - 1) : 0;
        if (p < static_cast<int16_t>(STEP)) table.first_mask |= uint32_t{1} << t;
        if (p > 0) table.second_mask |= uint32_t{1} << t;
    }
    return table;
}

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
namespace {

/** Rows of A·F_L computed together (independent dependency chains). */
constexpr size_t AF_ROWS{4};
/** Steps whose per-vertex sums stay within int16: each step adds at most
 *  2·128 in magnitude to a vertex, so 127 steps stay below 2^15. */
constexpr uint32_t AF_STEPS_PER_FLUSH{127};

}  // namespace

void ALeftProductAvx512(const int8_t* a, size_t lda, size_t rows, uint32_t k, const FLeftStepTable* tables,
                        int32_t* af)
{
    const uint32_t steps{k / STEP};
    const __m512i zero{_mm512_setzero_si512()};
    for (size_t i0 = 0; i0 < rows; i0 += AF_ROWS) {
        const size_t count{std::min(AF_ROWS, rows - i0)};
        // Per row: vertices 0..31 as int32 (lo 16 + hi 16), flushed from int16 partial sums.
        __m512i total_lo[AF_ROWS], total_hi[AF_ROWS], part[AF_ROWS];
        for (size_t r = 0; r < AF_ROWS; ++r) total_lo[r] = total_hi[r] = part[r] = zero;
        for (uint32_t s = 0; s < steps; ++s) {
            const FLeftStepTable& t{tables[s]};
            const __m512i first{_mm512_load_si512(t.first)};
            const __m512i second{_mm512_load_si512(t.second)};
            for (size_t r = 0; r < count; ++r) {
                const __m256i bytes{_mm256_loadu_si256(reinterpret_cast<const __m256i*>(a + (i0 + r) * lda + s * STEP))};
                const __m512i x{_mm512_cvtepi8_epi16(bytes)};
                // Signed edge values: vertex π[p] receives +sx[p] (edge p) and −sx[p−1] (edge p−1).
                const __m512i sx{_mm512_mask_sub_epi16(x, t.negative, zero, x)};
                const __m512i g1{_mm512_maskz_permutexvar_epi16(t.first_mask, first, sx)};
                const __m512i g2{_mm512_maskz_permutexvar_epi16(t.second_mask, second, sx)};
                part[r] = _mm512_add_epi16(part[r], _mm512_sub_epi16(g1, g2));
            }
            if ((s + 1) % AF_STEPS_PER_FLUSH == 0 || s + 1 == steps) {
                for (size_t r = 0; r < count; ++r) {
                    total_lo[r] = _mm512_add_epi32(total_lo[r], _mm512_cvtepi16_epi32(_mm512_castsi512_si256(part[r])));
                    total_hi[r] = _mm512_add_epi32(total_hi[r], _mm512_cvtepi16_epi32(_mm512_extracti64x4_epi64(part[r], 1)));
                    part[r] = zero;
                }
            }
        }
        for (size_t r = 0; r < count; ++r) {
            int32_t* out{af + (i0 + r) * NOISE_DIM};
            _mm512_storeu_si512(out, total_lo[r]);
            _mm512_storeu_si512(out + 16, total_hi[r]);
            // Every edge adds +a and −a: the vertex sums are zero in total.
            out[NOISE_DIM - 1] = -_mm512_reduce_add_epi32(_mm512_add_epi32(total_lo[r], total_hi[r]));
        }
    }
}

void ERightProductAvx512(const int8_t* b, size_t ldb, uint32_t k, uint32_t n, const int8_t* f_right_t,
                         const uint8_t* f_plus, const uint8_t* f_minus, const uint8_t* e_plus, const uint8_t* e_minus,
                         int16_t* eb)
{
    std::fill(eb, eb + size_t{NOISE_DIM} * n, int16_t{0});
    for (uint32_t j = 0; j < k; ++j) {
        const int8_t* row{b + j * ldb};
        const int8_t* fp{f_right_t + size_t{f_plus[j]} * n};
        const int8_t* fm{f_right_t + size_t{f_minus[j]} * n};
        int16_t* up{eb + size_t{e_plus[j]} * n};
        int16_t* down{eb + size_t{e_minus[j]} * n};
        for (uint32_t c = 0; c < n; c += TILE) {
            // B' = B + F (|B'| ≤ 127: exact in bytes), widened to two halves of 32 int16.
            const __m512i noisy{_mm512_add_epi8(_mm512_loadu_si512(row + c),
                                                _mm512_sub_epi8(_mm512_loadu_si512(fp + c), _mm512_loadu_si512(fm + c)))};
            const __m512i lo{_mm512_cvtepi8_epi16(_mm512_castsi512_si256(noisy))};
            const __m512i hi{_mm512_cvtepi8_epi16(_mm512_extracti64x4_epi64(noisy, 1))};
            _mm512_storeu_si512(up + c, _mm512_add_epi16(_mm512_loadu_si512(up + c), lo));
            _mm512_storeu_si512(up + c + 32, _mm512_add_epi16(_mm512_loadu_si512(up + c + 32), hi));
            _mm512_storeu_si512(down + c, _mm512_sub_epi16(_mm512_loadu_si512(down + c), lo));
            _mm512_storeu_si512(down + c + 32, _mm512_sub_epi16(_mm512_loadu_si512(down + c + 32), hi));
        }
    }
}

void AddPairProductAvx512(const int16_t* w, size_t rows, uint32_t pairs, const int16_t* g, uint32_t n, int32_t* c)
{
    const auto pair_of = [&](size_t row, uint32_t p) {
        int32_t pair;
        std::memcpy(&pair, w + row * 2 * pairs + 2 * p, sizeof(pair));
        return _mm512_set1_epi32(pair);
    };
    size_t i0{0};
    // Four rows × 64 columns in 16 named accumulators (GCC keeps arrays of vectors in memory).
    for (; i0 + 4 <= rows; i0 += 4) {
        for (uint32_t c0 = 0; c0 < n; c0 += TILE) {
            int32_t* c_row{c + i0 * n + c0};
            __m512i a00{_mm512_loadu_si512(c_row)}, a01{_mm512_loadu_si512(c_row + 16)};
            __m512i a02{_mm512_loadu_si512(c_row + 32)}, a03{_mm512_loadu_si512(c_row + 48)};
            __m512i a10{_mm512_loadu_si512(c_row + n)}, a11{_mm512_loadu_si512(c_row + n + 16)};
            __m512i a12{_mm512_loadu_si512(c_row + n + 32)}, a13{_mm512_loadu_si512(c_row + n + 48)};
            __m512i a20{_mm512_loadu_si512(c_row + 2 * n)}, a21{_mm512_loadu_si512(c_row + 2 * n + 16)};
            __m512i a22{_mm512_loadu_si512(c_row + 2 * n + 32)}, a23{_mm512_loadu_si512(c_row + 2 * n + 48)};
            __m512i a30{_mm512_loadu_si512(c_row + 3 * n)}, a31{_mm512_loadu_si512(c_row + 3 * n + 16)};
            __m512i a32{_mm512_loadu_si512(c_row + 3 * n + 32)}, a33{_mm512_loadu_si512(c_row + 3 * n + 48)};
            for (uint32_t p = 0; p < pairs; ++p) {
                const int16_t* gp{g + (size_t{p} * n + c0) * 2};
                const __m512i g0{_mm512_loadu_si512(gp)}, g1{_mm512_loadu_si512(gp + 32)};
                const __m512i g2{_mm512_loadu_si512(gp + 64)}, g3{_mm512_loadu_si512(gp + 96)};
                __m512i wv{pair_of(i0, p)};
                a00 = _mm512_dpwssd_epi32(a00, wv, g0);
                a01 = _mm512_dpwssd_epi32(a01, wv, g1);
                a02 = _mm512_dpwssd_epi32(a02, wv, g2);
                a03 = _mm512_dpwssd_epi32(a03, wv, g3);
                wv = pair_of(i0 + 1, p);
                a10 = _mm512_dpwssd_epi32(a10, wv, g0);
                a11 = _mm512_dpwssd_epi32(a11, wv, g1);
                a12 = _mm512_dpwssd_epi32(a12, wv, g2);
                a13 = _mm512_dpwssd_epi32(a13, wv, g3);
                wv = pair_of(i0 + 2, p);
                a20 = _mm512_dpwssd_epi32(a20, wv, g0);
                a21 = _mm512_dpwssd_epi32(a21, wv, g1);
                a22 = _mm512_dpwssd_epi32(a22, wv, g2);
                a23 = _mm512_dpwssd_epi32(a23, wv, g3);
                wv = pair_of(i0 + 3, p);
                a30 = _mm512_dpwssd_epi32(a30, wv, g0);
                a31 = _mm512_dpwssd_epi32(a31, wv, g1);
                a32 = _mm512_dpwssd_epi32(a32, wv, g2);
                a33 = _mm512_dpwssd_epi32(a33, wv, g3);
            }
            _mm512_storeu_si512(c_row, a00);
            _mm512_storeu_si512(c_row + 16, a01);
            _mm512_storeu_si512(c_row + 32, a02);
            _mm512_storeu_si512(c_row + 48, a03);
            _mm512_storeu_si512(c_row + n, a10);
            _mm512_storeu_si512(c_row + n + 16, a11);
            _mm512_storeu_si512(c_row + n + 32, a12);
            _mm512_storeu_si512(c_row + n + 48, a13);
            _mm512_storeu_si512(c_row + 2 * n, a20);
            _mm512_storeu_si512(c_row + 2 * n + 16, a21);
            _mm512_storeu_si512(c_row + 2 * n + 32, a22);
            _mm512_storeu_si512(c_row + 2 * n + 48, a23);
            _mm512_storeu_si512(c_row + 3 * n, a30);
            _mm512_storeu_si512(c_row + 3 * n + 16, a31);
            _mm512_storeu_si512(c_row + 3 * n + 32, a32);
            _mm512_storeu_si512(c_row + 3 * n + 48, a33);
        }
    }
    // Remaining rows (never for whole tiles), one vector at a time.
    for (; i0 < rows; ++i0) {
        for (uint32_t c0 = 0; c0 < n; c0 += 16) {
            __m512i acc{_mm512_loadu_si512(c + i0 * n + c0)};
            for (uint32_t p = 0; p < pairs; ++p) {
                acc = _mm512_dpwssd_epi32(acc, pair_of(i0, p), _mm512_loadu_si512(g + (size_t{p} * n + c0) * 2));
            }
            _mm512_storeu_si512(c + i0 * n + c0, acc);
        }
    }
}

#else
// Not an x86-64 build: never called.
void ERightProductAvx512(const int8_t*, size_t, uint32_t, uint32_t, const int8_t*, const uint8_t*, const uint8_t*,
                         const uint8_t*, const uint8_t*, int16_t*) {}
void ALeftProductAvx512(const int8_t*, size_t, size_t, uint32_t, const FLeftStepTable*, int32_t*) {}
void AddPairProductAvx512(const int16_t*, size_t, uint32_t, const int16_t*, uint32_t, int32_t*) {}
#endif

}  // namespace hpips::pouw::detail
