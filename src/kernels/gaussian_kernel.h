// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_GAUSSIAN_KERNEL_H
#define HPIPS_KERNELS_GAUSSIAN_KERNEL_H

#include "kernels/soft_double.h"
#include "util/result.h"

#include <cstdint>
#include <vector>

namespace hpips {

/** Kernel sizes `gauss` accepts: odd, 3..15. */
constexpr int MIN_GAUSS_KSIZE{3};
constexpr int MAX_GAUSS_KSIZE{15};
/** Largest sigma, in thousandths, `gauss` accepts (sigma <= 10.000). */
constexpr uint32_t MAX_GAUSS_SIGMA_MILLI{10000};

/** OpenCV 4.6's bit-exact Gaussian kernel (`getGaussianKernelBitExact`,
 *  what `cv::getGaussianKernel(n, sigma, CV_64F)` returns) for sigma =
 *  sigma_milli / 1000, derived with SoftDouble only. sigma_milli == 0 means
 *  "derive sigma from n" (OpenCV's sigma <= 0 rule, including its fixed
 *  kernels for n = 1, 3, 5, 7, 9). Requires odd n in 1..MAX_GAUSS_KSIZE and
 *  sigma_milli <= MAX_GAUSS_SIGMA_MILLI, else returns an error. */
Result<std::vector<SoftDouble>> GaussianKernelBitExact(int n, uint32_t sigma_milli);

/** The 8-bit fixed-point kernel OpenCV's CV_8U GaussianBlur uses: the
 *  bit-exact kernel times 256, rounded with error diffusion from the outer
 *  taps inwards (`getGaussianKernelFixedPoint_ED`), the centre tap taking
 *  whatever makes the sum exactly 256. Symmetric; same preconditions as
 *  GaussianKernelBitExact. */
Result<std::vector<uint16_t>> GaussianKernelQ8(int n, uint32_t sigma_milli);

}  // namespace hpips

#endif  // HPIPS_KERNELS_GAUSSIAN_KERNEL_H
