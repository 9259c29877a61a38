// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_THRESHOLD_H
#define HPIPS_KERNELS_THRESHOLD_H

#include "kernels/image.h"
#include "kernels/pixel_ops.h"
#include "util/result.h"
#include "util/thread_pool.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace hpips {

/** `threshold:T:M:MODE`: cv::threshold(src, dst, T, M, mode) on 8-bit data
 *  with integer T and M in 0..255: every byte v (any channel count) becomes
 *  ThresholdPixel(v, T, M, mode), whose rule is "v > T". dst has src's
 *  shape; dst may be exactly src (in place) but must not partly overlap it. */
Result<void> Threshold(const ImageView& src, const MutableImageView& dst, uint8_t thresh, uint8_t maxval,
                       ThresholdMode mode, ThreadPool& pool);

/** The mode for a pipeline name: binary, binary_inv, trunc, tozero, tozero_inv. */
std::optional<ThresholdMode> ParseThresholdMode(std::string_view name);
/** The pipeline name of a mode (inverse of ParseThresholdMode). */
std::string_view ThresholdModeName(ThresholdMode mode);

}  // namespace hpips

#endif  // HPIPS_KERNELS_THRESHOLD_H
