// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CONV_H
#define HPIPS_KERNELS_CONV_H

#include <kernels/gemm.h>
#include <kernels/requantize.h>
#include <kernels/tensor.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpips {

class ThreadPool;

/** Largest input height or width. */
constexpr size_t CONV_MAX_SPATIAL{8192};
/** Largest number of input or output channels. */
constexpr size_t CONV_MAX_CHANNELS{4096};
/** Largest kernel height or width. */
constexpr size_t CONV_MAX_KERNEL{15};
/** Largest stride. */
constexpr size_t CONV_MAX_STRIDE{8};
/** Largest element count of the input, of the output and of the (virtual)
 *  im2col patch matrix: 2^28 bounds memory whatever the shape. */
constexpr size_t CONV_MAX_ELEMENTS{size_t{1} << 28};

/** Convolution weights in (kernel_h, kernel_w, in_channels, out_channels)
 *  order, row-major: exactly the GEMM's B (k × n) with k = kernel_h ·
 *  kernel_w · in_channels in the order im2col lays out a patch, and
 *  n = out_channels. */
struct ConvWeights {
    size_t kernel_h{0};
    size_t kernel_w{0};
    size_t in_channels{0};
    size_t out_channels{0};
    std::vector<int8_t> data;

    /** The weights as the k × n matrix B (valid while data is alive). */
    MatrixView<const int8_t> AsMatrix() const
    {
        return {data.data(), kernel_h * kernel_w * in_channels, out_channels, out_channels};
    }
};

/** Geometry and input quantization of a conv layer.
 *
 *  Zero point convention (TFLite style): an input value x stands for the real
 *  value scale · (x − input_zero_point), and the accumulator is
 *      acc[oy, ox, co] = Σ_{ky, kx, ci} (x[iy, ix, ci] − input_zero_point) · w[ky, kx, ci, co]
 *  with iy = oy · stride_h + ky − pad_h, ix = ox · stride_w + kx − pad_w.
 *  Positions outside the input read as input_zero_point, i.e. real zero, and
 *  so contribute nothing. The fast path feeds the raw int8 x (padding =
 *  input_zero_point) to the GEMM and subtracts input_zero_point · Σ w per
 *  output channel afterwards, which is the same sum. Bound: |x − zp| ≤ 255,
 *  |w| ≤ 128 and k ≤ 2^16 give |acc| ≤ 255 · 128 · 2^16 < 2^31. */
struct Conv2dParams {
    size_t stride_h{1};
    size_t stride_w{1};
    /** Rows of padding above and below the input (each side). */
    size_t pad_h{0};
    /** Columns of padding left and right of the input (each side). */
    size_t pad_w{0};
    /** In [−128, 127]. */
    int32_t input_zero_point{0};
};

/** Output geometry of a valid conv layer: an out_h × out_w × out_channels
 *  result computed as an m × n × k GEMM. */
struct ConvShape {
    size_t out_h{0};
    size_t out_w{0};
    size_t m{0};  //!< out_h · out_w (patch rows)
    size_t k{0};  //!< kernel_h · kernel_w · in_channels
    size_t n{0};  //!< out_channels
};

/** What follows the accumulators: requantization to int8 (see RequantParams:
 *  multiplier, shift, output zero point, optional ReLU, clamp) and an
 *  optional 2 × 2 max-pool with stride 2 that drops an odd last row/column. */
struct ConvOutputStage {
    RequantParams requant{};
    bool max_pool{false};
};

/** Checks every bound and the consistency of input, weights and params, and
 *  returns the output shape. out_h = (in_h + 2 · pad_h − kernel_h) / stride_h + 1
 *  (floor), likewise out_w. Errors: a zero or oversized dimension, a
 *  tensor whose data size disagrees with its dimensions, weights whose
 *  in_channels differ from the input's, pad ≥ kernel, a kernel larger than
 *  the padded input, k above GEMM_MAX_K, an element count above
 *  CONV_MAX_ELEMENTS, or a zero point outside int8. */
Result<ConvShape> CheckConv2d(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params);

/** The patch matrix (m × k): row oy · out_w + ox holds the kernel window at
 *  (oy, ox) in (ky, kx, ci) order, with input_zero_point where the window
 *  leaves the input. Errors: as CheckConv2d (weights give the kernel shape). */
Result<Int8Matrix> Im2col(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params);

/** The specification of the accumulators: the direct six-deep loop of the
 *  formula in Conv2dParams. Errors: as CheckConv2d. */
Result<Int32Tensor> Conv2dAccumulateReference(const Int8Tensor& input, const ConvWeights& weights,
                                              const Conv2dParams& params);

/** Weights packed once for the fast path: the GEMM's packed B plus Σ w per
 *  output channel (for the zero-point correction). */
class PackedConvWeights {
public:
    /** Errors: dimensions out of bounds or inconsistent with data, or an ISA
     *  this CPU cannot run. */
    static Result<PackedConvWeights> Pack(const ConvWeights& weights, GemmIsa isa);

    size_t KernelH() const { return m_kernel_h; }
    size_t KernelW() const { return m_kernel_w; }
    size_t InChannels() const { return m_in_channels; }
    size_t OutChannels() const { return m_packed.N(); }
    const PackedB& Packed() const { return m_packed; }
    /** Σ_{ky,kx,ci} w[ky, kx, ci, co] for each co. */
    const std::vector<int32_t>& ChannelSums() const { return m_channel_sums; }

private:
    PackedConvWeights(size_t kh, size_t kw, size_t cin, PackedB packed, std::vector<int32_t> sums);

    size_t m_kernel_h;
    size_t m_kernel_w;
    size_t m_in_channels;
    PackedB m_packed;
    std::vector<int32_t> m_channel_sums;
};

/** The accumulators by im2col + the fast GEMM, bit-identical to
 *  Conv2dAccumulateReference. Patches are built block by block in the worker
 *  that consumes them (they never exist as a whole matrix); output rows are
 *  split across `pool` (nullptr = calling thread). Errors: as CheckConv2d. */
Result<Int32Tensor> Conv2dAccumulate(const Int8Tensor& input, const PackedConvWeights& weights,
                                     const Conv2dParams& params, ThreadPool* pool = nullptr);

/** Requantizes every accumulator (RequantizeValue), then max-pools if asked.
 *  Errors: invalid RequantParams, an inconsistent tensor, or max-pool on an
 *  input with height or width below 2. */
Result<Int8Tensor> ApplyOutputStage(const Int32Tensor& acc, const ConvOutputStage& stage);

/** 2 × 2 max-pool, stride 2, floor: output (h / 2) × (w / 2) × channels.
 *  Errors: height or width below 2, or an inconsistent tensor. */
Result<Int8Tensor> MaxPool2x2(const Int8Tensor& input);

/** The whole layer by the reference loops: accumulate, requantize, pool. */
Result<Int8Tensor> Conv2dReference(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params,
                                   const ConvOutputStage& stage);

/** The whole layer by the fast path; identical bytes to Conv2dReference. */
Result<Int8Tensor> Conv2d(const Int8Tensor& input, const PackedConvWeights& weights, const Conv2dParams& params,
                          const ConvOutputStage& stage, ThreadPool* pool = nullptr);

}  // namespace hpips

#endif  // HPIPS_KERNELS_CONV_H
