// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// 16-lane ChaCha20 for the noise streams. Compiled with -mavx512f -mavx512bw
// -mavx512vl -mavx512vnni (only F is used); called only when CpuHasAvx512F().
#include <pouw/noise_kernels.h>

#include <pouw/chacha20_block.h>

#if defined(__AVX512F__)
// GCC 12 reports its own _mm512_undefined_* placeholders inside the intrinsic
// headers as "(maybe) uninitialized" (a known false positive, GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#include <pouw/transpose_avx512.h>
#endif

namespace hpips::pouw::detail {

bool CpuHasAvx512F()
{
#if defined(__x86_64__)
    return __builtin_cpu_supports("avx512f") != 0;
#else
    return false;
#endif
}

#if defined(__AVX512F__)
void ChaCha20Blocks16Avx512(const uint32_t* key, uint32_t domain, const uint64_t* indices, const uint32_t* counters,
                            uint32_t* out)
{
    static_assert(CHACHA_LANES == 16);
    // The constant words of RFC 8439 §2.3 ("expand 32-byte k").
    constexpr uint32_t SIGMA[4]{0x61707865u, 0x3320646eu, 0x79622d32u, 0x6b206574u};
    __m512i init[16];
    for (int i = 0; i < 4; ++i) init[i] = _mm512_set1_epi32(static_cast<int32_t>(SIGMA[i]));
    for (int i = 0; i < 8; ++i) init[4 + i] = _mm512_set1_epi32(static_cast<int32_t>(key[i]));
    init[12] = _mm512_loadu_si512(counters);
    // Nonce words (PouwStreamNonce): domain, index low, index high.
    init[13] = _mm512_set1_epi32(static_cast<int32_t>(domain));
    const __m512i idx_lo{_mm512_loadu_si512(indices)}, idx_hi{_mm512_loadu_si512(indices + 8)};
    // The even 32-bit words of the 16 LE u64 are their low halves, the odd ones the high halves.
    const __m512i even{_mm512_setr_epi32(0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30)};
    const __m512i odd{_mm512_add_epi32(even, _mm512_set1_epi32(1))};
    init[14] = _mm512_permutex2var_epi32(idx_lo, even, idx_hi);
    init[15] = _mm512_permutex2var_epi32(idx_lo, odd, idx_hi);
    __m512i x[16];
    for (int i = 0; i < 16; ++i) x[i] = init[i];
    for (int round = 0; round < CHACHA20_DOUBLE_ROUNDS; ++round) DoubleRound16(x);
    for (int i = 0; i < 16; ++i) x[i] = _mm512_add_epi32(x[i], init[i]);
    TransposeDwords16(x);  // x[l] = lane l's block
    for (uint32_t l = 0; l < CHACHA_LANES; ++l) _mm512_storeu_si512(out + 16 * l, x[l]);
}
#else
// Not an x86-64 build: never called (CpuHasAvx512F says no).
void ChaCha20Blocks16Avx512(const uint32_t*, uint32_t, const uint64_t*, const uint32_t*, uint32_t*) {}
#endif

}  // namespace hpips::pouw::detail
