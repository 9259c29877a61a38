// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CUDA_CUDA_CONV_H
#define HPIPS_KERNELS_CUDA_CUDA_CONV_H

// Raw CUDA launcher of a conv layer: im2col kernel -> tensor-core GEMM ->
// epilogue kernel (zero-point correction, RequantizeValue, optional 2 × 2
// max-pool). Plain C++ header; the kernels are in cuda_conv.cu. The geometry
// must already be checked (CheckConv2d in conv.h): cuda_ops.h does that and is
// the API to call.

#include <kernels/requantize.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>

namespace hpips::cuda {

/** A checked conv layer's shape (see Conv2dParams and ConvShape in conv.h):
 *  input in_h × in_w × in_c (HWC), weights k × out_c with k = kernel_h ·
 *  kernel_w · in_c in (ky, kx, ci) order, output out_h × out_w × out_c. */
struct ConvGeometry {
    size_t in_h{0};
    size_t in_w{0};
    size_t in_c{0};
    size_t kernel_h{0};
    size_t kernel_w{0};
    size_t stride_h{1};
    size_t stride_w{1};
    size_t pad_h{0};
    size_t pad_w{0};
    size_t out_h{0};
    size_t out_w{0};
    size_t out_c{0};
    /** Padding value of the patches (the input zero point, in int8). */
    int32_t input_zero_point{0};
};

/** The accumulators of the layer into acc (host, out_h · out_w · out_c,
 *  HWC): GEMM of the raw patches plus correction[co] (modulo 2^32, as
 *  WrappingAdd), where correction[co] = −input_zero_point · Σ w[·, co]
 *  (WrappingMul). All pointers are host memory. */
Result<void> LaunchConv2dAccumulate(const int8_t* input, const int8_t* weights, const int32_t* correction,
                                    const ConvGeometry& geometry, int32_t* acc);

/** The whole layer into out (host): the accumulators as above, each mapped
 *  by RequantizeValue(·, requant) (params already valid), then, if
 *  max_pool, the 2 × 2 stride-2 max-pool (floor), so out holds
 *  (out_h / 2) · (out_w / 2) · out_c bytes; otherwise out_h · out_w · out_c. */
Result<void> LaunchConv2d(const int8_t* input, const int8_t* weights, const int32_t* correction,
                          const ConvGeometry& geometry, const RequantParams& requant, bool max_pool, int8_t* out);

}  // namespace hpips::cuda

#endif  // HPIPS_KERNELS_CUDA_CUDA_CONV_H
