// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_BOX_H
#define HPIPS_KERNELS_BOX_H

#include "kernels/image.h"
#include "util/result.h"
#include "util/thread_pool.h"

#include <cstdint>

namespace hpips {

/** Kernel sizes `box` accepts: odd, 3..15 (K*K <= 256 keeps OpenCV on its
 *  16-bit integer path, which is what makes it exactly reproducible). */
constexpr int MIN_BOX_KSIZE{3};
constexpr int MAX_BOX_KSIZE{15};

/** OpenCV's fixed-point reciprocal of a box area d = K*K (ColumnSum<ushort,
 *  uchar>): a pixel is ((sum + delta) * scale) >> 23. */
struct BoxDivisor {
    uint32_t scale;
    uint32_t delta;
};

/** The divisor for area d (1 <= d <= 256): scale = floor(2^23 / d) and
 *  delta = d / 2 + 1 when the fraction of 2^23 / d is below one half,
 *  otherwise scale = floor(2^23 / d) + 1 and delta = d / 2. */
BoxDivisor MakeBoxDivisor(uint32_t area);

/** `box:K`: cv::blur(src, dst, Size(K, K)) (normalised box filter,
 *  BORDER_REFLECT_101) byte for byte on 8-bit data, 1 or 3 channels: the
 *  K x K sum divided with MakeBoxDivisor(K*K). K odd in 3..15. */
Result<void> BoxBlur(const ImageView& src, const MutableImageView& dst, int ksize, ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_BOX_H
