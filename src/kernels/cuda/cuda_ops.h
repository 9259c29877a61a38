// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CUDA_CUDA_OPS_H
#define HPIPS_KERNELS_CUDA_CUDA_OPS_H

// The CUDA backend's image kernels with the CPU API's contracts: each
// function validates its arguments exactly as its CPU twin does (same
// checks, same limits), derives the same coefficient tables, and gives the
// same bytes. Host memory in and out; each call copies to the device, runs and
// copies back (blocking). Only available when built with CUDA
// (HPIPS_HAVE_CUDA); on a machine without a usable device every call returns
// an error naming the reason (see device.h), never aborts.

#include <kernels/conv.h>
#include <kernels/image.h>
#include <kernels/pixel_ops.h>
#include <kernels/tensor.h>
#include <util/result.h>

#include <cstdint>

namespace hpips::cuda {

/** BgrToGray (color.h) on the GPU. */
Result<void> CudaBgrToGray(const ImageView& src, const MutableImageView& dst);
/** GaussianBlur (gaussian.h) on the GPU. */
Result<void> CudaGaussianBlur(const ImageView& src, const MutableImageView& dst, int ksize, uint32_t sigma_milli);
/** SobelMagnitude (sobel.h) on the GPU. */
Result<void> CudaSobelMagnitude(const ImageView& src, const MutableImageView& dst);
/** Resize (resize.h) on the GPU; the unchanged-size copy runs on the host. */
Result<void> CudaResize(const ImageView& src, const MutableImageView& dst);
/** Threshold (threshold.h) on the GPU; in place (dst == src) allowed. */
Result<void> CudaThreshold(const ImageView& src, const MutableImageView& dst, uint8_t thresh, uint8_t maxval,
                           ThresholdMode mode);
/** Erode (morphology.h) on the GPU. */
Result<void> CudaErode(const ImageView& src, const MutableImageView& dst, int ksize);
/** Dilate (morphology.h) on the GPU. */
Result<void> CudaDilate(const ImageView& src, const MutableImageView& dst, int ksize);
/** BoxBlur (box.h) on the GPU. */
Result<void> CudaBoxBlur(const ImageView& src, const MutableImageView& dst, int ksize);

/** Conv2dAccumulate (conv.h) on the GPU: im2col + int8 tensor-core GEMM +
 *  zero-point correction. Same errors as CheckConv2d. */
Result<Int32Tensor> CudaConv2dAccumulate(const Int8Tensor& input, const ConvWeights& weights,
                                         const Conv2dParams& params);
/** Conv2d (conv.h) on the GPU: the accumulators, then RequantizeValue and the
 *  optional max-pool in an epilogue kernel. Same errors as Conv2dReference. */
Result<Int8Tensor> CudaConv2d(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params,
                              const ConvOutputStage& stage);

}  // namespace hpips::cuda

#endif  // HPIPS_KERNELS_CUDA_CUDA_OPS_H
