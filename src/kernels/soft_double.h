// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_SOFT_DOUBLE_H
#define HPIPS_KERNELS_SOFT_DOUBLE_H

#include <cstdint>

namespace hpips {

/** An IEEE 754 binary64 value whose arithmetic is done with integer
 *  instructions only (round to nearest, ties to even; subnormals supported).
 *
 *  Why: OpenCV derives its bit-exact 8-bit Gaussian and resize coefficients
 *  with its `softdouble` type (Berkeley SoftFloat). To reproduce those
 *  coefficients on any host, compiler and flag set, HPIPS repeats the same
 *  sequence of correctly rounded operations without touching the FPU. Every
 *  basic operation (+, -, *, /, fused multiply-add, int conversion) is
 *  correctly rounded, so it equals SoftFloat's result bit for bit; Exp()
 *  repeats OpenCV's own (not correctly rounded) algorithm step by step.
 *
 *  NaN and infinity follow IEEE rules closely enough for the coefficient
 *  code (which never produces them for valid parameters); NaN payloads are
 *  not preserved. */
class SoftDouble {
public:
    constexpr SoftDouble() = default;

    /** The value whose IEEE 754 bit pattern is `bits`. */
    static constexpr SoftDouble FromBits(uint64_t bits) { return SoftDouble{bits, 0}; }
    /** The nearest double to `value` (exact for |value| <= 2^53). */
    static SoftDouble FromInt(int64_t value);
    static constexpr SoftDouble Zero() { return FromBits(0); }
    static constexpr SoftDouble One() { return FromBits(0x3FF0000000000000ULL); }

    /** The IEEE 754 bit pattern. */
    constexpr uint64_t Bits() const { return m_bits; }
    constexpr bool IsNegative() const { return (m_bits >> 63) != 0; }
    constexpr bool IsNaN() const { return (m_bits & 0x7FFFFFFFFFFFFFFFULL) > 0x7FF0000000000000ULL; }
    constexpr bool IsInf() const { return (m_bits & 0x7FFFFFFFFFFFFFFFULL) == 0x7FF0000000000000ULL; }
    /** The biased exponent field (0..2047). */
    constexpr int BiasedExponent() const { return static_cast<int>((m_bits >> 52) & 0x7FF); }
    constexpr SoftDouble operator-() const { return FromBits(m_bits ^ 0x8000000000000000ULL); }

    friend SoftDouble operator+(SoftDouble a, SoftDouble b);
    friend SoftDouble operator-(SoftDouble a, SoftDouble b);
    friend SoftDouble operator*(SoftDouble a, SoftDouble b);
    friend SoftDouble operator/(SoftDouble a, SoftDouble b);
    SoftDouble& operator+=(SoftDouble b) { return *this = *this + b; }
    SoftDouble& operator*=(SoftDouble b) { return *this = *this * b; }
    friend constexpr bool operator==(SoftDouble a, SoftDouble b) { return a.m_bits == b.m_bits; }

    /** a*b + c with a single rounding (IEEE fusedMultiplyAdd; OpenCV mulAdd). */
    friend SoftDouble MulAdd(SoftDouble a, SoftDouble b, SoftDouble c);

    /** Nearest integer, ties to even, saturated to int32 like OpenCV's
     *  cvRound(softdouble) (NaN gives INT32_MAX). */
    int32_t RoundToInt32() const;
    /** Largest integer <= value, saturated to int32 (OpenCV cvFloor(softdouble)). */
    int32_t FloorToInt32() const;
    /** The value rounded to an integral double, ties to even (SoftFloat
     *  f64_roundToInt with round_near_even). */
    SoftDouble RoundToIntegral() const;

private:
    constexpr SoftDouble(uint64_t bits, int) : m_bits{bits} {}
    uint64_t m_bits{0};
};

/** e^x exactly as OpenCV 4.6's `cv::exp(const softdouble&)` computes it: a
 *  64-entry table of 2^(i/64) and a degree-5 polynomial, every step rounded
 *  as a separate binary64 operation. Not correctly rounded, but bit-for-bit
 *  reproducible, which is what coefficient derivation needs. */
SoftDouble Exp(SoftDouble x);

}  // namespace hpips

#endif  // HPIPS_KERNELS_SOFT_DOUBLE_H
