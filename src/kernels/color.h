// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_COLOR_H
#define HPIPS_KERNELS_COLOR_H

#include "kernels/image.h"
#include "util/result.h"
#include "util/thread_pool.h"

namespace hpips {

/** `gray`: cv::cvtColor(src, dst, COLOR_BGR2GRAY) on 8-bit data, byte for
 *  byte: dst = (B*3735 + G*19235 + R*9798 + 16384) >> 15 (GrayFromBgr).
 *  src must have 3 channels (BGR), dst 1 channel of the same size. */
Result<void> BgrToGray(const ImageView& src, const MutableImageView& dst, ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_COLOR_H
