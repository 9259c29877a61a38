// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_SOBEL_H
#define HPIPS_KERNELS_SOBEL_H

#include "kernels/image.h"
#include "util/result.h"
#include "util/thread_pool.h"

namespace hpips {

/** `sobelmag`: with gx = cv::Sobel(src, CV_16S, 1, 0, 3) and gy =
 *  cv::Sobel(src, CV_16S, 0, 1, 3) (BORDER_REFLECT_101, exact integers),
 *  dst = saturate_u8(|gx| + |gy|). Applied to each channel independently, so
 *  a 3-channel input gives a 3-channel output, as cv::Sobel does. */
Result<void> SobelMagnitude(const ImageView& src, const MutableImageView& dst, ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_SOBEL_H
