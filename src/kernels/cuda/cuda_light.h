// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CUDA_CUDA_LIGHT_H
#define HPIPS_KERNELS_CUDA_CUDA_LIGHT_H

// Raw CUDA launchers of the light (8-bit) kernels. Plain C++ header; the
// kernels are in cuda_light.cu and call the pixel_ops.h HPIPS_HD formulas and
// Reflect101 the CPU row loops use. These functions take the coefficient
// tables ready-made (GaussianKernelQ8, ResizeTaps, MakeBoxDivisor live in the
// CPU library) and do NOT validate op parameters: cuda_ops.h is the checked,
// CPU-mirroring API. They do check image shapes, copy host views to the
// device and back, and turn every CUDA failure into an error value.

#include <kernels/image.h>
#include <kernels/pixel_ops.h>
#include <kernels/resize.h>
#include <util/result.h>

#include <cstdint>

namespace hpips::cuda {

/** dst = GrayFromBgr of each pixel (src 3 channels, dst 1, same size). */
Result<void> LaunchBgrToGray(const ImageView& src, const MutableImageView& dst);

/** dst = ThresholdPixel(src) byte by byte (same shape). */
Result<void> LaunchThreshold(const ImageView& src, const MutableImageView& dst, uint8_t thresh, uint8_t maxval,
                             ThresholdMode mode);

/** Separable Q8 Gaussian with BORDER_REFLECT_101: rows with coef_x (kx
 *  taps) into 16 bits, columns with coef_y (ky taps), RoundQ16ToU8. Tap
 *  counts odd, 1..MAX_GAUSS_TAPS; each table sums to 256. */
Result<void> LaunchGaussian(const ImageView& src, const MutableImageView& dst, const uint16_t* coef_x, int kx,
                            const uint16_t* coef_y, int ky);

/** SobelMagnitude(SobelDx, SobelDy) per channel, BORDER_REFLECT_101. */
Result<void> LaunchSobelMagnitude(const ImageView& src, const MutableImageView& dst);

/** BoxDivide(K × K sum, scale, delta), BORDER_REFLECT_101; ksize odd,
 *  1..MAX_WINDOW_TAPS. */
Result<void> LaunchBox(const ImageView& src, const MutableImageView& dst, int ksize, uint32_t scale, uint32_t delta);

/** Minimum (erode) or maximum (dilate) over the K × K window clipped to the
 *  image (outside pixels never win); ksize odd, 1..MAX_WINDOW_TAPS. */
Result<void> LaunchMorphology(const ImageView& src, const MutableImageView& dst, int ksize, bool dilate);

/** Bilinear resize with precomputed taps: xtaps has dst.width entries,
 *  ytaps dst.height, indices inside src. WeightedPairQ8 along x, then
 *  BlendRowsQ16 along y. */
Result<void> LaunchResize(const ImageView& src, const MutableImageView& dst, const ResizeTap* xtaps,
                          const ResizeTap* ytaps);

/** Exact halving (src is 2·dst in both sides): Average4 of each 2 × 2 block. */
Result<void> LaunchHalfDown(const ImageView& src, const MutableImageView& dst);

/** Largest Gaussian tap count (the CPU's MAX_GAUSS_KSIZE). */
constexpr int MAX_GAUSS_TAPS{15};
/** Largest box / morphology window side (the CPU's MAX_BOX_KSIZE and
 *  MAX_MORPH_KSIZE). */
constexpr int MAX_WINDOW_TAPS{15};

}  // namespace hpips::cuda

#endif  // HPIPS_KERNELS_CUDA_CUDA_LIGHT_H
