// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/cuda/cuda_check.cuh>
#include <kernels/cuda/cuda_conv.h>
#include <kernels/cuda/cuda_gemm.h>
#include <kernels/gemm.h>
#include <kernels/requantize.h>
#include <kernels/tensor.h>

#include <cuda_runtime.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>

namespace hpips::cuda {
namespace {

constexpr int CONV_THREADS{256};

#define HPIPS_FOR_EACH_INDEX(i, count)                                                              \
    for (size_t i{static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x}; i < (count); \
         i += static_cast<size_t>(gridDim.x) * blockDim.x)

/** Patch matrix (m × k, dense): row oy · out_w + ox, column (ky · kernel_w +
 *  kx) · in_c + ci, the input zero point where the window leaves the input. */
__global__ void Im2colKernel(const int8_t* __restrict__ input, int8_t* __restrict__ patches, ConvGeometry g)
{
    const size_t k{g.kernel_h * g.kernel_w * g.in_c};
    const size_t m{g.out_h * g.out_w};
    HPIPS_FOR_EACH_INDEX(idx, m * k)
    {
        const size_t row{idx / k};
        const size_t col{idx % k};
        const size_t oy{row / g.out_w};
        const size_t ox{row % g.out_w};
        const size_t ky{col / (g.kernel_w * g.in_c)};
        const size_t rem{col % (g.kernel_w * g.in_c)};
        const size_t kx{rem / g.in_c};
        const size_t ci{rem % g.in_c};
        // Signed: the window may start above or left of the input.
        const long long iy{static_cast<long long>(oy * g.stride_h + ky) - static_cast<long long>(g.pad_h)};
        const long long ix{static_cast<long long>(ox * g.stride_w + kx) - static_cast<long long>(g.pad_w)};
        const bool inside{iy >= 0 && ix >= 0 && iy < static_cast<long long>(g.in_h) &&
                          ix < static_cast<long long>(g.in_w)};
        patches[idx] = inside ? input[(static_cast<size_t>(iy) * g.in_w + static_cast<size_t>(ix)) * g.in_c + ci]
                              : static_cast<int8_t>(g.input_zero_point);
    }
}

/** acc[i] += correction[channel] modulo 2^32, in place. */
__global__ void CorrectKernel(int32_t* __restrict__ acc, const int32_t* __restrict__ correction, size_t count,
                              size_t channels)
{
    HPIPS_FOR_EACH_INDEX(i, count) acc[i] = WrappingAdd(acc[i], correction[i % channels]);
}

/** out[i] = RequantizeValue(acc[i]). */
__global__ void RequantizeKernel(const int32_t* __restrict__ acc, int8_t* __restrict__ out, size_t count,
                                 RequantParams requant)
{
    HPIPS_FOR_EACH_INDEX(i, count) out[i] = RequantizeValue(acc[i], requant);
}

__device__ int8_t MaxI8(int8_t a, int8_t b) { return a > b ? a : b; }

/** 2 × 2, stride 2, floor; HWC in and out. */
__global__ void MaxPoolKernel(const int8_t* __restrict__ in, int8_t* __restrict__ out, size_t in_w, size_t out_h,
                              size_t out_w, size_t channels)
{
    HPIPS_FOR_EACH_INDEX(i, out_h * out_w * channels)
    {
        const size_t c{i % channels};
        const size_t pixel{i / channels};
        const size_t y{2 * (pixel / out_w)};
        const size_t x{2 * (pixel % out_w)};
        const auto at{[&](size_t yy, size_t xx) { return in[(yy * in_w + xx) * channels + c]; }};
        out[i] = MaxI8(MaxI8(at(y, x), at(y, x + 1)), MaxI8(at(y + 1, x), at(y + 1, x + 1)));
    }
}

#undef HPIPS_FOR_EACH_INDEX

unsigned BlocksFor(size_t count)
{
    // Conv sizes are bounded by CONV_MAX_ELEMENTS (2^28): at most 2^20 blocks.
    return static_cast<unsigned>((count + CONV_THREADS - 1) / CONV_THREADS);
}

/** Device copies of the layer's operands and its corrected accumulators. */
struct ConvBuffers {
    DeviceBuffer<int8_t> input;
    DeviceBuffer<int8_t> weights;
    DeviceBuffer<int32_t> correction;
    DeviceBuffer<int8_t> patches;
    DeviceBuffer<int32_t> acc;
};

/** Runs im2col, the GEMM (in slices of at most GEMM_MAX_M rows) and the
 *  zero-point correction; leaves the accumulators in buffers.acc. */
Result<void> Accumulate(const int8_t* input, const int8_t* weights, const int32_t* correction, const ConvGeometry& g,
                        ConvBuffers& buffers)
{
    if (auto r = RequireUsableDevice(); !r) return r;
    const size_t k{g.kernel_h * g.kernel_w * g.in_c};
    const size_t m{g.out_h * g.out_w};
    const size_t n{g.out_c};
    const size_t input_size{g.in_h * g.in_w * g.in_c};
    if (k == 0 || m == 0 || n == 0 || input_size == 0) return Error{"conv: empty layer"};
    if (auto r = buffers.input.Allocate(input_size); !r) return r;
    if (auto r = buffers.weights.Allocate(k * n); !r) return r;
    if (auto r = buffers.correction.Allocate(n); !r) return r;
    if (auto r = buffers.patches.Allocate(m * k); !r) return r;
    if (auto r = buffers.acc.Allocate(m * n); !r) return r;
    if (auto r = CopyToDevice(buffers.input.get(), input, input_size); !r) return r;
    if (auto r = CopyToDevice(buffers.weights.get(), weights, k * n); !r) return r;
    if (auto r = CopyToDevice(buffers.correction.get(), correction, n); !r) return r;

    Im2colKernel<<<BlocksFor(m * k), CONV_THREADS>>>(buffers.input.get(), buffers.patches.get(), g);
    if (auto r = CheckLaunch("im2col kernel launch"); !r) return r;
    const MatrixView<const int8_t> b{buffers.weights.get(), k, n, n};
    for (size_t row0{0}; row0 < m; row0 += GEMM_MAX_M) {
        const size_t rows{std::min(GEMM_MAX_M, m - row0)};
        const MatrixView<const int8_t> a{buffers.patches.get() + row0 * k, rows, k, k};
        const MatrixView<int32_t> c{buffers.acc.get() + row0 * n, rows, n, n};
        if (auto r = CudaGemmS8S8S32Device(a, b, c, nullptr); !r) return r;
    }
    CorrectKernel<<<BlocksFor(m * n), CONV_THREADS>>>(buffers.acc.get(), buffers.correction.get(), m * n, n);
    return CheckLaunch("zero-point correction kernel launch");
}

}  // namespace

Result<void> LaunchConv2dAccumulate(const int8_t* input, const int8_t* weights, const int32_t* correction,
                                    const ConvGeometry& geometry, int32_t* acc)
{
    ConvBuffers buffers;
    if (auto r = Accumulate(input, weights, correction, geometry, buffers); !r) return r;
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "conv kernels"); !r) return r;
    return CopyToHost(acc, buffers.acc.get(), geometry.out_h * geometry.out_w * geometry.out_c);
}

Result<void> LaunchConv2d(const int8_t* input, const int8_t* weights, const int32_t* correction,
                          const ConvGeometry& geometry, const RequantParams& requant, bool max_pool, int8_t* out)
{
    if (!RequantParamsValid(requant)) return Error{"requantize: invalid parameters"};
    if (max_pool && (geometry.out_h < 2 || geometry.out_w < 2)) return Error{"maxpool: input smaller than 2x2"};
    ConvBuffers buffers;
    if (auto r = Accumulate(input, weights, correction, geometry, buffers); !r) return r;
    const size_t count{geometry.out_h * geometry.out_w * geometry.out_c};
    DeviceBuffer<int8_t> quantized;
    if (auto r = quantized.Allocate(count); !r) return r;
    RequantizeKernel<<<BlocksFor(count), CONV_THREADS>>>(buffers.acc.get(), quantized.get(), count, requant);
    if (auto r = CheckLaunch("requantize kernel launch"); !r) return r;
    if (!max_pool) {
        if (auto r = CudaCheck(cudaDeviceSynchronize(), "conv kernels"); !r) return r;
        return CopyToHost(out, quantized.get(), count);
    }
    const size_t pooled_h{geometry.out_h / 2};
    const size_t pooled_w{geometry.out_w / 2};
    const size_t pooled_count{pooled_h * pooled_w * geometry.out_c};
    DeviceBuffer<int8_t> pooled;
    if (auto r = pooled.Allocate(pooled_count); !r) return r;
    MaxPoolKernel<<<BlocksFor(pooled_count), CONV_THREADS>>>(quantized.get(), pooled.get(), geometry.out_w, pooled_h,
                                                             pooled_w, geometry.out_c);
    if (auto r = CheckLaunch("max-pool kernel launch"); !r) return r;
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "conv kernels"); !r) return r;
    return CopyToHost(out, pooled.get(), pooled_count);
}

}  // namespace hpips::cuda
