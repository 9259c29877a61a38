// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Vector kernels of denoising (doc/pouw.md §5): A·F_L with the sparse ±1
// factor, and the rank-2·NOISE_DIM correction product. Compiled with
// -mavx512f -mavx512bw -mavx512vl -mavx512vnni; called only when the CPU has them.
#include <pouw/transcript_kernels.h>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
// GCC 12 reports its own _mm512_undefined_* placeholders inside the intrinsic
// headers as "(maybe) uninitialized" (a known false positive, GCC bug 105593).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
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

/** zmm vectors per 64 int32 columns. */
constexpr uint32_t VECS_PER_64{4};
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

void AddPairProductAvx512(const int16_t* w, size_t rows, uint32_t pairs, const int16_t* g, uint32_t n, int32_t* c)
{
    constexpr size_t R{4};
    for (size_t i0 = 0; i0 < rows; i0 += R) {
        const size_t r_count{std::min(R, rows - i0)};
        for (uint32_t c0 = 0; c0 < n; c0 += TILE) {
            __m512i acc[R][VECS_PER_64];
            for (size_t r = 0; r < r_count; ++r) {
                for (uint32_t q = 0; q < VECS_PER_64; ++q) {
                    acc[r][q] = _mm512_loadu_si512(c + (i0 + r) * n + c0 + 16 * q);
                }
            }
            for (uint32_t p = 0; p < pairs; ++p) {
                __m512i gv[VECS_PER_64];
                for (uint32_t q = 0; q < VECS_PER_64; ++q) {
                    gv[q] = _mm512_loadu_si512(g + (size_t{p} * n + c0 + 16 * q) * 2);
                }
                for (size_t r = 0; r < r_count; ++r) {
                    int32_t pair;
                    std::memcpy(&pair, w + (i0 + r) * 2 * pairs + 2 * p, sizeof(pair));
                    const __m512i wv{_mm512_set1_epi32(pair)};
                    for (uint32_t q = 0; q < VECS_PER_64; ++q) acc[r][q] = _mm512_dpwssd_epi32(acc[r][q], wv, gv[q]);
                }
            }
            for (size_t r = 0; r < r_count; ++r) {
                for (uint32_t q = 0; q < VECS_PER_64; ++q) {
                    _mm512_storeu_si512(c + (i0 + r) * n + c0 + 16 * q, acc[r][q]);
                }
            }
        }
    }
}

#else
// Not an x86-64 build: never called.
void ALeftProductAvx512(const int8_t*, size_t, size_t, uint32_t, const FLeftStepTable*, int32_t*) {}
void AddPairProductAvx512(const int16_t*, size_t, uint32_t, const int16_t*, uint32_t, int32_t*) {}
#endif

}  // namespace hpips::pouw::detail
