// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_RESIZE_H
#define HPIPS_KERNELS_RESIZE_H

#include "kernels/image.h"
#include "util/result.h"
#include "util/thread_pool.h"

#include <cstdint>
#include <vector>

namespace hpips {

/** Largest target width or height `resize` accepts. */
constexpr int MAX_RESIZE_DIMENSION{16384};

/** Source positions and Q8 weights of one output coordinate along an axis:
 *  value = src[index0] * weight0 + src[index1] * weight1 (weights sum 256). */
struct ResizeTap {
    uint32_t index0;
    uint32_t index1;
    uint16_t weight0;
    uint16_t weight1;
};

/** OpenCV 4.6's INTER_LINEAR_EXACT taps (`interpolationLinear`) for an axis
 *  of src_size -> dst_size samples, derived with SoftDouble: with
 *  scale = 1 / (dst_size / src_size) and f = scale * (d + 0.5) - 0.5 (each
 *  step rounded in binary64), i = floor(f); weight1 = round_even((f - i) *
 *  256). Positions left of the source (i < 0, or a 1-sample source) take
 *  sample 0, positions at or past the last sample take the last one (weight
 *  256 on one sample). Sizes 1..MAX_IMAGE_DIMENSION. */
std::vector<ResizeTap> ResizeTaps(int src_size, int dst_size);

/** `resize:W:H`: cv::resize(src, dst, Size(W, H), 0, 0, INTER_LINEAR_EXACT)
 *  byte for byte on 8-bit data, 1 or 3 channels; W and H are dst's size
 *  (1..MAX_RESIZE_DIMENSION). Rows are interpolated horizontally into Q8
 *  16-bit values, then vertically with one rounding by 16 bits. As OpenCV
 *  does, an exact halving of both sides averages 2x2 blocks instead
 *  ((a + b + c + d + 2) >> 2), and an unchanged size copies. */
Result<void> Resize(const ImageView& src, const MutableImageView& dst, ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_RESIZE_H
