// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Compiled by the host compiler into hpips_kernels (not the CUDA library): it
// uses the CPU library's validation and table derivations (CheckSrcDst,
// GaussianKernelQ8, ResizeTaps, MakeBoxDivisor, CheckConv2d) and hands plain
// tables to the launchers in cuda_light.cu / cuda_conv.cu, so the CUDA library
// never links back into the CPU one.
#include <kernels/cuda/cuda_ops.h>

#include <kernels/box.h>
#include <kernels/cuda/cuda_conv.h>
#include <kernels/cuda/cuda_light.h>
#include <kernels/gaussian.h>
#include <kernels/gaussian_kernel.h>
#include <kernels/morphology.h>
#include <kernels/resize.h>
#include <kernels/requantize.h>

#include <cstring>
#include <string>
#include <vector>

namespace hpips::cuda {
namespace {

Result<void> Morph(const ImageView& src, const MutableImageView& dst, int ksize, bool dilate)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    if (ksize < MIN_MORPH_KSIZE || ksize > MAX_MORPH_KSIZE || ksize % 2 == 0) {
        return Error{std::string{dilate ? "dilate" : "erode"} + " kernel size must be odd, " +
                     std::to_string(MIN_MORPH_KSIZE) + ".." + std::to_string(MAX_MORPH_KSIZE)};
    }
    return LaunchMorphology(src, dst, ksize, dilate);
}

/** The launcher's view of a checked layer. */
ConvGeometry Geometry(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params,
                      const ConvShape& shape)
{
    ConvGeometry g;
    g.in_h = input.height;
    g.in_w = input.width;
    g.in_c = input.channels;
    g.kernel_h = weights.kernel_h;
    g.kernel_w = weights.kernel_w;
    g.stride_h = params.stride_h;
    g.stride_w = params.stride_w;
    g.pad_h = params.pad_h;
    g.pad_w = params.pad_w;
    g.out_h = shape.out_h;
    g.out_w = shape.out_w;
    g.out_c = shape.n;
    g.input_zero_point = params.input_zero_point;
    return g;
}

/** −input_zero_point · Σ_k w[k, co] per output channel, modulo 2^32 (the CPU
 *  fast path's correction; the true accumulator fits in int32). */
std::vector<int32_t> Corrections(const ConvWeights& weights, const ConvShape& shape, int32_t input_zero_point)
{
    std::vector<int32_t> correction(shape.n);
    const MatrixView<const int8_t> b{weights.AsMatrix()};
    for (size_t co = 0; co < shape.n; ++co) {
        int32_t sum{0};
        for (size_t r = 0; r < shape.k; ++r) sum = WrappingAdd(sum, b.At(r, co));
        correction[co] = WrappingMul(-input_zero_point, sum);
    }
    return correction;
}

}  // namespace

Result<void> CudaBgrToGray(const ImageView& src, const MutableImageView& dst)
{
    if (auto ok{CheckSrcDst(src, dst, 3, 1)}; !ok) return ok;
    return LaunchBgrToGray(src, dst);
}

Result<void> CudaGaussianBlur(const ImageView& src, const MutableImageView& dst, int ksize, uint32_t sigma_milli)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    if (ksize < MIN_GAUSS_KSIZE || ksize > MAX_GAUSS_KSIZE || ksize % 2 == 0) {
        return Error{"gauss kernel size must be odd, " + std::to_string(MIN_GAUSS_KSIZE) + ".." +
                     std::to_string(MAX_GAUSS_KSIZE)};
    }
    if (sigma_milli > MAX_GAUSS_SIGMA_MILLI) return Error{"gauss sigma out of range"};
    // As on the CPU (and in OpenCV): one tap along an axis of length 1.
    const int kx{src.width == 1 ? 1 : ksize};
    const int ky{src.height == 1 ? 1 : ksize};
    const auto coef_x{GaussianKernelQ8(kx, sigma_milli)};
    const auto coef_y{GaussianKernelQ8(ky, sigma_milli)};
    if (!coef_x || !coef_y) return Error{"gauss kernel derivation failed"};
    return LaunchGaussian(src, dst, coef_x->data(), kx, coef_y->data(), ky);
}

Result<void> CudaSobelMagnitude(const ImageView& src, const MutableImageView& dst)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    return LaunchSobelMagnitude(src, dst);
}

Result<void> CudaResize(const ImageView& src, const MutableImageView& dst)
{
    if (auto ok{CheckView(src)}; !ok) return Error{"input: " + ok.error_message()};
    if (auto ok{CheckView(dst.AsConst())}; !ok) return Error{"output: " + ok.error_message()};
    if (dst.channels != src.channels) return Error{"output channels differ from the input"};
    if (dst.width > MAX_RESIZE_DIMENSION || dst.height > MAX_RESIZE_DIMENSION) {
        return Error{"resize target larger than " + std::to_string(MAX_RESIZE_DIMENSION)};
    }
    if (ViewsOverlap(src, dst.AsConst())) return Error{"output overlaps the input"};
    if (dst.width == src.width && dst.height == src.height) {
        // A copy: no arithmetic, nothing for the GPU to do.
        for (int y = 0; y < src.height; ++y) std::memcpy(dst.Row(y), src.Row(y), dst.RowBytes());
        return {};
    }
    if (src.width == 2 * dst.width && src.height == 2 * dst.height) return LaunchHalfDown(src, dst);
    const std::vector<ResizeTap> xtaps{ResizeTaps(src.width, dst.width)};
    const std::vector<ResizeTap> ytaps{ResizeTaps(src.height, dst.height)};
    return LaunchResize(src, dst, xtaps.data(), ytaps.data());
}

Result<void> CudaThreshold(const ImageView& src, const MutableImageView& dst, uint8_t thresh, uint8_t maxval,
                           ThresholdMode mode)
{
    const bool in_place{src.data == dst.data && src.stride == dst.stride};
    if (in_place) {
        if (auto ok{CheckView(src)}; !ok) return ok;
        if (dst.width != src.width || dst.height != src.height || dst.channels != src.channels) {
            return Error{"output shape does not match the input"};
        }
    } else if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) {
        return ok;
    }
    // The launcher copies src to the device before writing dst back, so in
    // place needs no special care.
    return LaunchThreshold(src, dst, thresh, maxval, mode);
}

Result<void> CudaErode(const ImageView& src, const MutableImageView& dst, int ksize)
{
    return Morph(src, dst, ksize, false);
}

Result<void> CudaDilate(const ImageView& src, const MutableImageView& dst, int ksize)
{
    return Morph(src, dst, ksize, true);
}

Result<void> CudaBoxBlur(const ImageView& src, const MutableImageView& dst, int ksize)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    if (ksize < MIN_BOX_KSIZE || ksize > MAX_BOX_KSIZE || ksize % 2 == 0) {
        return Error{"box kernel size must be odd, " + std::to_string(MIN_BOX_KSIZE) + ".." +
                     std::to_string(MAX_BOX_KSIZE)};
    }
    const BoxDivisor div{MakeBoxDivisor(static_cast<uint32_t>(ksize * ksize))};
    return LaunchBox(src, dst, ksize, div.scale, div.delta);
}

Result<Int32Tensor> CudaConv2dAccumulate(const Int8Tensor& input, const ConvWeights& weights,
                                         const Conv2dParams& params)
{
    const auto shape{CheckConv2d(input, weights, params)};
    if (!shape) return shape.error();
    const std::vector<int32_t> correction{Corrections(weights, *shape, params.input_zero_point)};
    Int32Tensor out{shape->out_h, shape->out_w, shape->n};
    if (auto r = LaunchConv2dAccumulate(input.data.data(), weights.data.data(), correction.data(),
                                        Geometry(input, weights, params, *shape), out.data.data());
        !r) {
        return r.error();
    }
    return out;
}

Result<Int8Tensor> CudaConv2d(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params,
                              const ConvOutputStage& stage)
{
    if (!RequantParamsValid(stage.requant)) return Error{"requantize: invalid parameters"};
    const auto shape{CheckConv2d(input, weights, params)};
    if (!shape) return shape.error();
    if (stage.max_pool && (shape->out_h < 2 || shape->out_w < 2)) return Error{"maxpool: input smaller than 2x2"};
    const std::vector<int32_t> correction{Corrections(weights, *shape, params.input_zero_point)};
    Int8Tensor out{stage.max_pool ? shape->out_h / 2 : shape->out_h, stage.max_pool ? shape->out_w / 2 : shape->out_w,
                   shape->n};
    if (auto r = LaunchConv2d(input.data.data(), weights.data.data(), correction.data(),
                              Geometry(input, weights, params, *shape), stage.requant, stage.max_pool,
                              out.data.data());
        !r) {
        return r.error();
    }
    return out;
}

}  // namespace hpips::cuda
