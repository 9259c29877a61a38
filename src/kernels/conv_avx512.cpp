// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// AVX-512 requantization, 16 accumulators at a time, bit-identical to
// RequantizeValue (requantize.h). Compiled with -mavx512f -mavx512bw
// -mavx512vl; called only when the CPU has them.
#include <kernels/conv_kernels.h>

#if defined(__x86_64__)

// GCC 12's AVX-512 headers pass _mm512_undefined_* as the merge source of
// unmasked intrinsics, which -W(maybe-)uninitialized reports as a false positive
// inside the header (GCC bug 105593); silence it for those lines only.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace hpips::conv_detail {

namespace {

/** Largest magnitude kept before the zero point is added. Every scaled value
 *  beyond ±256 lands on the same clamp bound whatever the zero point (in
 *  [−128, 127]) and ReLU do, so clamping to [−512, 511] first changes no
 *  result and keeps the 32-bit addition from overflowing. */
constexpr int32_t PRE_CLAMP{512};

/** RequantizeValue on 16 lanes. */
__m512i Requantize16(__m512i x, const RequantParams& p)
{
    // SaturatingRoundingDoublingHighMul(x, multiplier): floor((x·M + 2^30) / 2^31)
    // on 64-bit products of the even and the odd lanes. Valid params have
    // M ≥ 0, so the one saturating input (INT32_MIN × INT32_MIN) cannot occur.
    const __m512i multiplier{_mm512_set1_epi64(p.multiplier)};
    const __m512i nudge{_mm512_set1_epi64(int64_t{1} << 30)};
    const __m512i even{_mm512_srai_epi64(_mm512_add_epi64(_mm512_mul_epi32(x, multiplier), nudge), 31)};
    const __m512i odd{
        _mm512_srai_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), multiplier), nudge), 31)};
    const __m512i high{_mm512_mask_blend_epi32(__mmask16{0xAAAA}, even, _mm512_slli_epi64(odd, 32))};
    // RoundingDivideByPowerOfTwo(high, shift): ties away from zero.
    const auto mask_value{static_cast<int32_t>((uint32_t{1} << p.shift) - 1)};
    const __m512i mask{_mm512_set1_epi32(mask_value)};
    const __m512i remainder{_mm512_and_si512(high, mask)};
    const __m512i negative_one{_mm512_and_si512(_mm512_srai_epi32(high, 31), _mm512_set1_epi32(1))};
    const __m512i threshold{_mm512_add_epi32(_mm512_set1_epi32(mask_value >> 1), negative_one)};
    __m512i v{_mm512_sra_epi32(high, _mm_cvtsi32_si128(p.shift))};
    v = _mm512_mask_add_epi32(v, _mm512_cmpgt_epi32_mask(remainder, threshold), v, _mm512_set1_epi32(1));
    // Zero point, ReLU, clamp.
    v = _mm512_min_epi32(_mm512_max_epi32(v, _mm512_set1_epi32(-PRE_CLAMP)), _mm512_set1_epi32(PRE_CLAMP - 1));
    const __m512i zero_point{_mm512_set1_epi32(p.output_zero_point)};
    v = _mm512_add_epi32(v, zero_point);
    if (p.relu) v = _mm512_max_epi32(v, zero_point);
    v = _mm512_max_epi32(v, _mm512_set1_epi32(p.clamp_min));
    return _mm512_min_epi32(v, _mm512_set1_epi32(p.clamp_max));
}

}  // namespace

void RequantizeSpanAvx512(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p)
{
    size_t i{0};
    for (; i + 16 <= count; i += 16) {
        _mm512_mask_cvtepi32_storeu_epi8(dst + i, __mmask16{0xFFFF}, Requantize16(_mm512_loadu_si512(src + i), p));
    }
    if (i < count) {
        const auto lanes{static_cast<__mmask16>((1u << (count - i)) - 1)};
        _mm512_mask_cvtepi32_storeu_epi8(dst + i, lanes, Requantize16(_mm512_maskz_loadu_epi32(lanes, src + i), p));
    }
}

}  // namespace hpips::conv_detail

#else  // not x86-64: never selected

namespace hpips::conv_detail {
void RequantizeSpanAvx512(const int32_t*, int8_t*, size_t, const RequantParams&) {}
}  // namespace hpips::conv_detail

#endif
