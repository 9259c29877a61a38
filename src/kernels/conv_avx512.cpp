// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// AVX-512 requantization, 16 accumulators at a time, bit-identical to
// RequantizeValue (requantize.h) for valid params. Compiled with -mavx512f -mavx512bw
// -mavx512vl; called only when the CPU has them.
#include <kernels/conv_kernels.h>

#if defined(__x86_64__)

// GCC 12's AVX-512 headers pass _mm512_undefined_* as the merge source of
// unmasked intrinsics, which -W(maybe-)uninitialized reports as a false positive
// inside the header (GCC bug 105593); silence it for those lines only.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop

namespace hpips::conv_detail {

namespace {

/** The parameters as broadcast vectors, built once per span: the output is
 *  written through int8_t*, which may alias anything, so reading the params
 *  inside the loop would reload them after every store. */
struct RequantVectors {
    __m512i multiplier;
    __m512i nudge;
    __m512i mask;
    __m512i half_mask;
    __m128i shift;
    __m512i low;
    __m512i high;
    __m512i zero_point;
    __m512i one;

    explicit RequantVectors(const RequantParams& p)
    {
        const auto mask_value{static_cast<int32_t>((uint32_t{1} << p.shift) - 1)};
        // clamp(max?(v + zp, zp), lo, hi) = clamp(v, lo' − zp, hi − zp) + zp with
        // lo' = relu ? max(lo, zp) : lo: clamping before the addition keeps it in
        // range (both bounds lie in [−255, 255]) and gives the same value.
        const int32_t low_bound{p.relu && p.output_zero_point > p.clamp_min ? p.output_zero_point : p.clamp_min};
        multiplier = _mm512_set1_epi64(p.multiplier);
        nudge = _mm512_set1_epi64(int64_t{1} << 30);
        mask = _mm512_set1_epi32(mask_value);
        half_mask = _mm512_set1_epi32(mask_value >> 1);
        shift = _mm_cvtsi32_si128(p.shift);
        low = _mm512_set1_epi32(low_bound - p.output_zero_point);
        high = _mm512_set1_epi32(p.clamp_max - p.output_zero_point);
        zero_point = _mm512_set1_epi32(p.output_zero_point);
        one = _mm512_set1_epi32(1);
    }
};

/** RequantizeValue on 16 lanes. */
__m512i Requantize16(__m512i x, const RequantVectors& q)
{
    // SaturatingRoundingDoublingHighMul(x, multiplier) = floor((x·M + 2^30) / 2^31)
    // from the exact 64-bit products of the even and the odd lanes: bits
    // 31..62 of (x·M + 2^30) are the result. Even lanes shift them down to
    // the low half, odd lanes shift them up into the high half (<< 1). Valid
    // params have M ≥ 0, so the one saturating input (INT32_MIN²) cannot occur.
    const __m512i even{_mm512_srli_epi64(_mm512_add_epi64(_mm512_mul_epi32(x, q.multiplier), q.nudge), 31)};
    const __m512i odd{
        _mm512_slli_epi64(_mm512_add_epi64(_mm512_mul_epi32(_mm512_srli_epi64(x, 32), q.multiplier), q.nudge), 1)};
    const __m512i high{_mm512_mask_blend_epi32(__mmask16{0xAAAA}, even, odd)};
    // RoundingDivideByPowerOfTwo(high, shift): high >> shift, plus 1 when the
    // remainder exceeds (mask >> 1) + (high < 0 ? 1 : 0) (ties away from
    // zero); −(high >> 31) is that + 1 for negative values.
    const __m512i remainder{_mm512_and_si512(high, q.mask)};
    const __m512i threshold{_mm512_sub_epi32(q.half_mask, _mm512_srai_epi32(high, 31))};
    __m512i v{_mm512_sra_epi32(high, q.shift)};
    v = _mm512_mask_add_epi32(v, _mm512_cmpgt_epi32_mask(remainder, threshold), v, q.one);
    v = _mm512_min_epi32(_mm512_max_epi32(v, q.low), q.high);
    return _mm512_add_epi32(v, q.zero_point);
}

}  // namespace

void RequantizeSpanAvx512(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p)
{
    const RequantVectors q{p};
    size_t i{0};
    for (; i + 16 <= count; i += 16) {
        _mm512_mask_cvtepi32_storeu_epi8(dst + i, __mmask16{0xFFFF}, Requantize16(_mm512_loadu_si512(src + i), q));
    }
    if (i < count) {
        const auto lanes{static_cast<__mmask16>((1u << (count - i)) - 1)};
        _mm512_mask_cvtepi32_storeu_epi8(dst + i, lanes, Requantize16(_mm512_maskz_loadu_epi32(lanes, src + i), q));
    }
}

}  // namespace hpips::conv_detail

#else  // not x86-64: never selected

namespace hpips::conv_detail {
void RequantizeSpanAvx512(const int32_t*, int8_t*, size_t, const RequantParams&) {}
}  // namespace hpips::conv_detail

#endif
