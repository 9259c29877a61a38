// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_GAUSSIAN_H
#define HPIPS_KERNELS_GAUSSIAN_H

#include "kernels/gaussian_kernel.h"
#include "kernels/image.h"
#include "util/result.h"
#include "util/thread_pool.h"

#include <cstdint>

namespace hpips {

/** `gauss:K:S`: cv::GaussianBlur(src, dst, Size(K, K), S / 1000.0) on 8-bit
 *  data with BORDER_REFLECT_101, byte for byte (OpenCV's fixed-point path):
 *  each row is convolved with the Q8 kernel (GaussianKernelQ8) into 16 bits,
 *  the columns of those rows with the same kernel into 32 bits, and the sum
 *  is rounded half up by 16 bits. As in OpenCV, a 1-pixel-wide (or -high)
 *  image uses a 1-tap kernel along that axis. K odd in 3..15, S in
 *  0..MAX_GAUSS_SIGMA_MILLI (0 = sigma derived from K). The view is treated
 *  as a whole image (OpenCV: BORDER_ISOLATED for ROIs). 1 or 3 channels. */
Result<void> GaussianBlur(const ImageView& src, const MutableImageView& dst, int ksize, uint32_t sigma_milli,
                          ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_GAUSSIAN_H
