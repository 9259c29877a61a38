// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_MORPHOLOGY_H
#define HPIPS_KERNELS_MORPHOLOGY_H

#include "kernels/image.h"
#include "util/result.h"
#include "util/thread_pool.h"

namespace hpips {

/** Kernel sizes `erode` and `dilate` accept: odd, 3..15. */
constexpr int MIN_MORPH_KSIZE{3};
constexpr int MAX_MORPH_KSIZE{15};

/** `erode:K`: cv::erode with a K x K rectangle (anchor at the centre, one
 *  iteration, OpenCV's default border: pixels outside the image never win),
 *  i.e. each output byte is the minimum of its channel over the window
 *  clipped to the image. 1 or 3 channels; K odd in 3..15. */
Result<void> Erode(const ImageView& src, const MutableImageView& dst, int ksize, ThreadPool& pool);

/** `dilate:K`: as Erode with the maximum (cv::dilate). */
Result<void> Dilate(const ImageView& src, const MutableImageView& dst, int ksize, ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_MORPHOLOGY_H
