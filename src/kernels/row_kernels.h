// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_ROW_KERNELS_H
#define HPIPS_KERNELS_ROW_KERNELS_H

#include "kernels/pixel_ops.h"

#include <cstddef>
#include <cstdint>

namespace hpips {

/** The inner loops of the light kernels, one row at a time. The op files
 *  (gaussian.cpp, box.cpp, ...) own borders, row caches and threading; these
 *  loops see only in-range pointers and apply the pixel_ops.h formulas, so
 *  every table computes identical bytes. A table exists per instruction set
 *  (portable, AVX2, AVX-512BW), each compiled from the same source with
 *  different flags; SelectRowKernels() picks the best one the CPU runs.
 *
 *  Conventions: `n` counts bytes (pixels * channels) of one row; a "padded"
 *  source starts `ksize / 2` pixels (ksize / 2 * cn bytes) left of pixel 0,
 *  so tap k of output byte i reads src[i + k * cn]. Kernel sizes are odd,
 *  1..15. Pointers never alias the destination. */
struct RowKernels {
    /** Name of the instruction set ("portable", "avx2", "avx512bw"). */
    const char* name;
    /** dst[x] = GrayFromBgr(bgr[3x], bgr[3x+1], bgr[3x+2]) for x < width. */
    void (*gray)(const uint8_t* bgr, uint8_t* dst, size_t width);
    /** dst[i] = ThresholdPixel(src[i], thresh, maxval, mode). */
    void (*threshold)(const uint8_t* src, uint8_t* dst, size_t n, uint8_t thresh, uint8_t maxval, ThresholdMode mode);
    /** dst[i] = sum_k coef[k] * src[i + k*cn] (16-bit; coef symmetric, sum 256). */
    void (*gauss_h)(const uint8_t* src, uint16_t* dst, size_t n, size_t cn, const uint16_t* coef, int ksize);
    /** dst[i] = RoundQ16ToU8(sum_k coef[k] * rows[k][i]). */
    void (*gauss_v)(const uint16_t* const* rows, const uint16_t* coef, int ksize, uint8_t* dst, size_t n);
    /** dst[i] = SobelMagnitude(gx, gy) from three rows padded by one pixel. */
    void (*sobel_mag)(const uint8_t* up, const uint8_t* mid, const uint8_t* down, uint8_t* dst, size_t n, size_t cn);
    /** colsum[i] += add[i] (modulo 2^16). */
    void (*col_add)(uint16_t* colsum, const uint8_t* add, size_t n);
    /** colsum[i] += add[i] - sub[i] (modulo 2^16). */
    void (*col_update)(uint16_t* colsum, const uint8_t* add, const uint8_t* sub, size_t n);
    /** dst[i] = BoxDivide(sum_{k<ksize} colsum[i + k*cn], scale, delta); colsum padded. */
    void (*box_h)(const uint16_t* colsum, uint8_t* dst, size_t n, size_t cn, int ksize, uint32_t scale, uint32_t delta);
    /** dst[i] = min (or max when dilate) of src[i + k*cn], k < ksize; src padded. */
    void (*morph_h)(const uint8_t* src, uint8_t* dst, size_t n, size_t cn, int ksize, bool dilate);
    /** dst[i] = min (or max when dilate) of rows[r][i], r < count (count >= 1). */
    void (*morph_v)(const uint8_t* const* rows, int count, uint8_t* dst, size_t n, bool dilate);
    /** Two neighbouring output rows of a K-row window (K = count - 1, odd 3..15) at once:
     *  dst0 from rows[0 .. count-1), dst1 from rows[1 .. count); the shared K - 1 rows are
     *  combined once. */
    void (*morph_v2)(const uint8_t* const* rows, int count, uint8_t* dst0, uint8_t* dst1, size_t n, bool dilate);
    /** dst[d*cn+c] = WeightedPairQ8(src[ofs0[d]+c], src[ofs1[d]+c], w0[d], w1[d]) for d < dst_width;
     *  src holds src_bytes bytes; offsets are non-decreasing, and ofs1[d] is ofs0[d] + cn or, when
     *  w1[d] == 0, ofs0[d]. */
    void (*resize_h)(const uint8_t* src, size_t src_bytes, uint16_t* dst, size_t dst_width, size_t cn,
                     const uint32_t* ofs0, const uint32_t* ofs1, const uint16_t* w0, const uint16_t* w1);
    /** dst[i] = BlendRowsQ16(row0[i], row1[i], w0, w1). */
    void (*resize_v)(const uint16_t* row0, const uint16_t* row1, uint32_t w0, uint32_t w1, uint8_t* dst, size_t n);
    /** dst[x*cn+c] = Average4 of the 2x2 block at (2x, 2y) for x < dst_width. */
    void (*half_down)(const uint8_t* row0, const uint8_t* row1, uint8_t* dst, size_t dst_width, size_t cn);
};

/** The portable table (baseline x86-64 or any other target). */
const RowKernels& PortableRowKernels();
/** The AVX2 table, or nullptr when not built for this target. */
const RowKernels* Avx2RowKernels();
/** The AVX-512BW table, or nullptr when not built for this target. */
const RowKernels* Avx512RowKernels();

/** The fastest table this CPU supports (decided once, then cached). */
const RowKernels& SelectRowKernels();

}  // namespace hpips

#endif  // HPIPS_KERNELS_ROW_KERNELS_H
