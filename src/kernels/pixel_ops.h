// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_PIXEL_OPS_H
#define HPIPS_KERNELS_PIXEL_OPS_H

#include "kernels/hd.h"

#include <cstdint>

/** HPIPS_PIXEL: HPIPS_HD plus a forced inline on host compilers. The row
 *  loops are compiled several times with different ISA flags; forcing the
 *  inline keeps an out-of-line copy built for AVX-512 from being shared with
 *  (and run by) the portable code path. */
#if defined(__CUDACC__)
#define HPIPS_PIXEL HPIPS_HD
#else
#define HPIPS_PIXEL [[gnu::always_inline]] HPIPS_HD
#endif

/** Per-pixel arithmetic of the light (8-bit) kernels, written once and
 *  shared by the CPU row loops and the CUDA backend. Integers only; each
 *  formula is the one OpenCV 4.6 uses for the same operation on CV_8U data
 *  (see doc/kernels.md for the derivations). */
namespace hpips {

/** OpenCV 4.6 BGR2GRAY fixed-point weights for 8-bit data (its 15-bit
 *  "RY15/GY15/BY15" set: round(0.299, 0.587, 0.114 * 2^15), sum 2^15) and
 *  shift. (The older 14-bit set 4899/9617/1868 differs on 0.26% of colours.) */
constexpr uint32_t GRAY_WEIGHT_B{3735};
constexpr uint32_t GRAY_WEIGHT_G{19235};
constexpr uint32_t GRAY_WEIGHT_R{9798};
constexpr int GRAY_SHIFT{15};

/** Fractional bits of the Gaussian and resize coefficients (OpenCV's
 *  ufixedpoint16): one unit of weight is 1 << COEF_BITS. */
constexpr int COEF_BITS{8};
constexpr uint32_t COEF_ONE{1U << COEF_BITS};

/** Fixed-point shift of OpenCV's 8-bit normalised box filter divisor. */
constexpr int BOX_DIV_SHIFT{23};

/** Gray level of one BGR pixel: (B*3735 + G*19235 + R*9798 + 2^14) >> 15. */
HPIPS_PIXEL uint8_t GrayFromBgr(uint32_t b, uint32_t g, uint32_t r)
{
    return static_cast<uint8_t>((b * GRAY_WEIGHT_B + g * GRAY_WEIGHT_G + r * GRAY_WEIGHT_R + (1U << (GRAY_SHIFT - 1))) >>
                                GRAY_SHIFT);
}

/** Rounds a value with 2 * COEF_BITS fractional bits to u8 (half up,
 *  saturating): the last step of the separable Gaussian and of resize. */
HPIPS_PIXEL uint8_t RoundQ16ToU8(uint32_t acc)
{
    const uint32_t v{(acc + (1U << (2 * COEF_BITS - 1))) >> (2 * COEF_BITS)};
    return static_cast<uint8_t>(v > 255 ? 255 : v);
}

/** One weighted tap pair of a horizontal pass: u8 samples times Q8 weights,
 *  kept in 16 bits (the weights sum to 256, so the row sum fits). */
HPIPS_PIXEL uint16_t WeightedPairQ8(uint32_t a, uint32_t b, uint32_t weight_a, uint32_t weight_b)
{
    return static_cast<uint16_t>(a * weight_a + b * weight_b);
}

/** Vertical bilinear step of resize (and any two-row Q8 x Q8 blend):
 *  round((row0 * w0 + row1 * w1) / 2^16). */
HPIPS_PIXEL uint8_t BlendRowsQ16(uint32_t row0, uint32_t row1, uint32_t w0, uint32_t w1)
{
    return RoundQ16ToU8(row0 * w0 + row1 * w1);
}

/** 2x2 average used by OpenCV when INTER_LINEAR_EXACT halves both sides. */
HPIPS_PIXEL uint8_t Average4(uint32_t a, uint32_t b, uint32_t c, uint32_t d)
{
    return static_cast<uint8_t>((a + b + c + d + 2) >> 2);
}

/** Sobel 3x3 x-derivative from the three rows' left/right neighbours. */
HPIPS_PIXEL int32_t SobelDx(int32_t up_l, int32_t up_r, int32_t mid_l, int32_t mid_r, int32_t down_l, int32_t down_r)
{
    return (up_r - up_l) + 2 * (mid_r - mid_l) + (down_r - down_l);
}

/** Sobel 3x3 y-derivative from the rows above and below. */
HPIPS_PIXEL int32_t SobelDy(int32_t up_l, int32_t up_c, int32_t up_r, int32_t down_l, int32_t down_c, int32_t down_r)
{
    return (down_l + 2 * down_c + down_r) - (up_l + 2 * up_c + up_r);
}

/** saturate_u8(|gx| + |gy|). */
HPIPS_PIXEL uint8_t SobelMagnitude(int32_t gx, int32_t gy)
{
    const int32_t m{(gx < 0 ? -gx : gx) + (gy < 0 ? -gy : gy)};
    return static_cast<uint8_t>(m > 255 ? 255 : m);
}

/** OpenCV's fixed-point division of a box sum by K*K:
 *  ((sum + delta) * scale) >> 23, scale and delta from BoxDivisor(). */
HPIPS_PIXEL uint8_t BoxDivide(uint32_t sum, uint32_t scale, uint32_t delta)
{
    return static_cast<uint8_t>(((sum + delta) * scale) >> BOX_DIV_SHIFT);
}

/** The five threshold rules of cv::threshold. */
enum class ThresholdMode : uint8_t { BINARY, BINARY_INV, TRUNC, TOZERO, TOZERO_INV };

/** Threshold rules for 8-bit data with an integer threshold (value > t). */
HPIPS_PIXEL uint8_t ThresholdBinary(uint8_t v, uint8_t t, uint8_t maxval) { return v > t ? maxval : 0; }
HPIPS_PIXEL uint8_t ThresholdBinaryInv(uint8_t v, uint8_t t, uint8_t maxval) { return v > t ? 0 : maxval; }
HPIPS_PIXEL uint8_t ThresholdTrunc(uint8_t v, uint8_t t) { return v > t ? t : v; }
HPIPS_PIXEL uint8_t ThresholdToZero(uint8_t v, uint8_t t) { return v > t ? v : 0; }
HPIPS_PIXEL uint8_t ThresholdToZeroInv(uint8_t v, uint8_t t) { return v > t ? 0 : v; }

/** One pixel of cv::threshold on CV_8U with an integer threshold. */
HPIPS_PIXEL uint8_t ThresholdPixel(uint8_t v, uint8_t t, uint8_t maxval, ThresholdMode mode)
{
    switch (mode) {
    case ThresholdMode::BINARY: return ThresholdBinary(v, t, maxval);
    case ThresholdMode::BINARY_INV: return ThresholdBinaryInv(v, t, maxval);
    case ThresholdMode::TRUNC: return ThresholdTrunc(v, t);
    case ThresholdMode::TOZERO: return ThresholdToZero(v, t);
    case ThresholdMode::TOZERO_INV: return ThresholdToZeroInv(v, t);
    }
    return v;
}

HPIPS_PIXEL uint8_t MinU8(uint8_t a, uint8_t b) { return a < b ? a : b; }
HPIPS_PIXEL uint8_t MaxU8(uint8_t a, uint8_t b) { return a > b ? a : b; }

/** OpenCV's BORDER_REFLECT_101 index (borderInterpolate): mirrors p into
 *  [0, len) without repeating the edge, as often as needed; len 1 maps
 *  everything to 0. */
HPIPS_PIXEL int Reflect101(int p, int len)
{
    if (len == 1) return 0;
    while (p < 0 || p >= len) {
        p = p < 0 ? -p : 2 * len - 2 - p;
    }
    return p;
}

}  // namespace hpips

#endif  // HPIPS_KERNELS_PIXEL_OPS_H
