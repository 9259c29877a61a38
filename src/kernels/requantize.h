// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_REQUANTIZE_H
#define HPIPS_KERNELS_REQUANTIZE_H

#include <kernels/hd.h>

#include <cstdint>

/** Per-element integer arithmetic of the heavy stage, written once for the CPU
 *  and the CUDA backend (HPIPS_HD). Everything here is consensus arithmetic:
 *  integers only, no library calls, and every rounding rule spelled out, so a
 *  scalar loop, a SIMD kernel and a GPU kernel give the same bits. The rules
 *  follow the widely used gemmlowp/TFLite conventions (rounding doubling high
 *  multiply with ties toward +∞, then a right shift rounding ties away from
 *  zero); see doc/kernels.md. */
namespace hpips {

/** Largest right shift a requantization may use: the multiplier is a Q31
 *  fraction, so the real scale is multiplier · 2^-(31 + shift). */
constexpr int REQUANT_MAX_SHIFT{31};

/** One int8 multiply-accumulate step with two's-complement wrap-around, the
 *  semantics of every SIMD/GPU dot-product instruction we use: the sum is
 *  taken modulo 2^32. Wrapping is harmless because the API bounds k so the
 *  true sum fits in int32 (|a·b| ≤ 2^14, k ≤ 2^16 ⇒ |Σ| ≤ 2^30), and a sum that
 *  fits is recovered exactly from its value modulo 2^32 whatever the order. */
HPIPS_HD int32_t MacStep(int32_t acc, int8_t a, int8_t b)
{
    return static_cast<int32_t>(static_cast<uint32_t>(acc) +
                                static_cast<uint32_t>(static_cast<int32_t>(a) * static_cast<int32_t>(b)));
}

/** Four int8 products added to acc (mod 2^32): the step of VNNI `vpdpbusd`
 *  (after its unsigned operand is corrected, see doc/kernels.md), of CUDA's
 *  `__dp4a` and of one tensor-core k-slice. */
HPIPS_HD int32_t Dot4Step(int32_t acc, const int8_t* a, const int8_t* b)
{
    for (int t = 0; t < 4; ++t) acc = MacStep(acc, a[t], b[t]);
    return acc;
}

/** Wrap-around int32 addition (mod 2^32), for corrections whose true result is
 *  known to fit while an intermediate might not. */
HPIPS_HD int32_t WrappingAdd(int32_t a, int32_t b)
{
    return static_cast<int32_t>(static_cast<uint32_t>(a) + static_cast<uint32_t>(b));
}

/** Wrap-around int32 multiplication (mod 2^32). */
HPIPS_HD int32_t WrappingMul(int32_t a, int32_t b)
{
    return static_cast<int32_t>(static_cast<uint32_t>(a) * static_cast<uint32_t>(b));
}

/** The Q31 product floor((a · b + 2^30) / 2^31): a · b / 2^31 rounded to
 *  nearest with ties toward +∞ — exactly gemmlowp's rounding doubling high
 *  multiply (its "nudge" of 1 − 2^30 for negative products followed by a
 *  truncating division is the same function). Saturating: the only input
 *  whose result does not fit, a = b = INT32_MIN (exactly +1.0), gives
 *  INT32_MAX. The product is exact in 64 bits and >> on a signed value is an
 *  arithmetic shift (floor) in C++20 and in CUDA. */
HPIPS_HD int32_t SaturatingRoundingDoublingHighMul(int32_t a, int32_t b)
{
    if (a == INT32_MIN && b == INT32_MIN) return INT32_MAX;
    const int64_t product{static_cast<int64_t>(a) * static_cast<int64_t>(b)};
    return static_cast<int32_t>((product + (int64_t{1} << 30)) >> 31);
}

/** round(x / 2^exponent) with ties away from zero, for 0 ≤ exponent ≤ 31.
 *  Exponent 0 returns x. Never overflows: |result| ≤ |x|. */
HPIPS_HD int32_t RoundingDivideByPowerOfTwo(int32_t x, int exponent)
{
    const int64_t wide{x};
    const int64_t mask{(int64_t{1} << exponent) - 1};
    const int64_t remainder{wide & mask};
    const int64_t threshold{(mask >> 1) + (wide < 0 ? 1 : 0)};
    return static_cast<int32_t>((wide >> exponent) + (remainder > threshold ? 1 : 0));
}

/** Output quantization of a heavy stage. The int32 accumulator acc maps to
 *  clamp(max?(RoundingDivideByPowerOfTwo(SRDHM(acc, multiplier), shift)
 *  + output_zero_point, relu ? output_zero_point : -inf), clamp_min, clamp_max):
 *  a real scale multiplier · 2^-(31 + shift) in [0, 1), then the zero point,
 *  then ReLU (in the quantized domain ReLU is "not below the zero point"),
 *  then the clamp, so the output always lies in [clamp_min, clamp_max] — the
 *  range the next heavy stage accepts, narrower than int8 where PoUW noise
 *  has to fit on top. Validity (checked by the functions that take it):
 *  multiplier ≥ 0, 0 ≤ shift ≤ REQUANT_MAX_SHIFT, zero point and clamp bounds
 *  inside int8, clamp_min ≤ clamp_max. */
struct RequantParams {
    int32_t multiplier{INT32_MAX};
    int32_t shift{0};
    int32_t output_zero_point{0};
    int32_t clamp_min{-128};
    int32_t clamp_max{127};
    bool relu{false};
};

/** Whether RequantParams satisfy the validity rules above. */
HPIPS_HD bool RequantParamsValid(const RequantParams& p)
{
    return p.multiplier >= 0 && p.shift >= 0 && p.shift <= REQUANT_MAX_SHIFT && p.output_zero_point >= -128 &&
           p.output_zero_point <= 127 && p.clamp_min >= -128 && p.clamp_max <= 127 && p.clamp_min <= p.clamp_max;
}

/** One accumulator to one int8 output under valid params (see RequantParams).
 *  The zero-point addition is done in 64 bits so it cannot overflow. */
HPIPS_HD int8_t RequantizeValue(int32_t acc, const RequantParams& p)
{
    const int32_t scaled{RoundingDivideByPowerOfTwo(SaturatingRoundingDoublingHighMul(acc, p.multiplier), p.shift)};
    int64_t v{static_cast<int64_t>(scaled) + p.output_zero_point};
    if (p.relu && v < p.output_zero_point) v = p.output_zero_point;
    if (v < p.clamp_min) v = p.clamp_min;
    if (v > p.clamp_max) v = p.clamp_max;
    return static_cast<int8_t>(v);
}

}  // namespace hpips

#endif  // HPIPS_KERNELS_REQUANTIZE_H
