// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/cuda/cuda_check.cuh>
#include <kernels/cuda/cuda_light.h>
#include <kernels/pixel_ops.h>

#include <cuda_runtime.h>

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

// One thread per output byte (pixel × channel), reading the source straight
// from global memory with Reflect101 for borders: the same formulas and the
// same border rule as the CPU row loops, without their row caches. These are
// written for exactness and a small binary, not peak speed.

namespace hpips::cuda {
namespace {

constexpr int LIGHT_THREADS{256};

/** A dense device image: rows of width · cn bytes, no padding. */
struct Geometry {
    int width;
    int height;
    int cn;
    __host__ __device__ size_t RowBytes() const { return static_cast<size_t>(width) * static_cast<size_t>(cn); }
    __host__ __device__ size_t Bytes() const { return RowBytes() * static_cast<size_t>(height); }
};

/** Position of output byte i of a dense image. */
struct Position {
    int y;
    int x;
    int c;
};

__device__ Position Locate(size_t i, const Geometry& g)
{
    const size_t row_bytes{g.RowBytes()};
    const size_t rem{i % row_bytes};
    return {static_cast<int>(i / row_bytes), static_cast<int>(rem / static_cast<size_t>(g.cn)),
            static_cast<int>(rem % static_cast<size_t>(g.cn))};
}

__device__ size_t Offset(const Geometry& g, int y, int x, int c)
{
    return static_cast<size_t>(y) * g.RowBytes() + static_cast<size_t>(x) * static_cast<size_t>(g.cn) +
           static_cast<size_t>(c);
}

/** Coefficient table passed by value as a kernel parameter. */
struct Taps {
    uint16_t coef[MAX_GAUSS_TAPS];
    int count;
};

#define HPIPS_FOR_EACH_INDEX(i, count)                                                              \
    for (size_t i{static_cast<size_t>(blockIdx.x) * blockDim.x + threadIdx.x}; i < (count); \
         i += static_cast<size_t>(gridDim.x) * blockDim.x)

__global__ void GrayKernel(const uint8_t* __restrict__ src, uint8_t* __restrict__ dst, size_t pixels)
{
    HPIPS_FOR_EACH_INDEX(i, pixels) dst[i] = GrayFromBgr(src[3 * i], src[3 * i + 1], src[3 * i + 2]);
}

__global__ void ThresholdKernel(const uint8_t* __restrict__ src, uint8_t* __restrict__ dst, size_t n, uint8_t thresh,
                                uint8_t maxval, ThresholdMode mode)
{
    HPIPS_FOR_EACH_INDEX(i, n) dst[i] = ThresholdPixel(src[i], thresh, maxval, mode);
}

__global__ void GaussRowsKernel(const uint8_t* __restrict__ src, uint16_t* __restrict__ out, Geometry g, Taps taps)
{
    const int radius{taps.count / 2};
    HPIPS_FOR_EACH_INDEX(i, g.Bytes())
    {
        const Position p{Locate(i, g)};
        // The exact sum is at most 255 · 256, so 16 bits hold it as on the CPU.
        uint32_t acc{0};
        for (int k{0}; k < taps.count; ++k) {
            acc += uint32_t{taps.coef[k]} * src[Offset(g, p.y, Reflect101(p.x - radius + k, g.width), p.c)];
        }
        out[i] = static_cast<uint16_t>(acc);
    }
}

__global__ void GaussColumnsKernel(const uint16_t* __restrict__ rows, uint8_t* __restrict__ dst, Geometry g, Taps taps)
{
    const int radius{taps.count / 2};
    HPIPS_FOR_EACH_INDEX(i, g.Bytes())
    {
        const Position p{Locate(i, g)};
        uint32_t acc{0};
        for (int k{0}; k < taps.count; ++k) {
            acc += uint32_t{taps.coef[k]} * rows[Offset(g, Reflect101(p.y - radius + k, g.height), p.x, p.c)];
        }
        dst[i] = RoundQ16ToU8(acc);
    }
}

__global__ void SobelKernel(const uint8_t* __restrict__ src, uint8_t* __restrict__ dst, Geometry g)
{
    HPIPS_FOR_EACH_INDEX(i, g.Bytes())
    {
        const Position p{Locate(i, g)};
        const int up{Reflect101(p.y - 1, g.height)};
        const int down{Reflect101(p.y + 1, g.height)};
        const int left{Reflect101(p.x - 1, g.width)};
        const int right{Reflect101(p.x + 1, g.width)};
        const auto at{[&](int y, int x) { return static_cast<int32_t>(src[Offset(g, y, x, p.c)]); }};
        const int32_t gx{SobelDx(at(up, left), at(up, right), at(p.y, left), at(p.y, right), at(down, left),
                                 at(down, right))};
        const int32_t gy{SobelDy(at(up, left), at(up, p.x), at(up, right), at(down, left), at(down, p.x),
                                 at(down, right))};
        dst[i] = SobelMagnitude(gx, gy);
    }
}

__global__ void BoxKernel(const uint8_t* __restrict__ src, uint8_t* __restrict__ dst, Geometry g, int ksize,
                          uint32_t scale, uint32_t delta)
{
    const int radius{ksize / 2};
    HPIPS_FOR_EACH_INDEX(i, g.Bytes())
    {
        const Position p{Locate(i, g)};
        // At most 15 · 15 · 255 < 2^16: the CPU's 16-bit sums are exact too.
        uint32_t sum{0};
        for (int dy{-radius}; dy <= radius; ++dy) {
            const int y{Reflect101(p.y + dy, g.height)};
            for (int dx{-radius}; dx <= radius; ++dx) sum += src[Offset(g, y, Reflect101(p.x + dx, g.width), p.c)];
        }
        dst[i] = BoxDivide(sum, scale, delta);
    }
}

__global__ void MorphologyKernel(const uint8_t* __restrict__ src, uint8_t* __restrict__ dst, Geometry g, int ksize,
                                 bool dilate)
{
    const int radius{ksize / 2};
    HPIPS_FOR_EACH_INDEX(i, g.Bytes())
    {
        const Position p{Locate(i, g)};
        const int y0{p.y - radius < 0 ? 0 : p.y - radius};
        const int y1{p.y + radius >= g.height ? g.height - 1 : p.y + radius};
        const int x0{p.x - radius < 0 ? 0 : p.x - radius};
        const int x1{p.x + radius >= g.width ? g.width - 1 : p.x + radius};
        uint8_t v{src[i]};
        for (int y{y0}; y <= y1; ++y) {
            for (int x{x0}; x <= x1; ++x) {
                const uint8_t s{src[Offset(g, y, x, p.c)]};
                v = dilate ? MaxU8(v, s) : MinU8(v, s);
            }
        }
        dst[i] = v;
    }
}

__global__ void ResizeKernel(const uint8_t* __restrict__ src, Geometry sg, uint8_t* __restrict__ dst, Geometry dg,
                             const ResizeTap* __restrict__ xtaps, const ResizeTap* __restrict__ ytaps)
{
    HPIPS_FOR_EACH_INDEX(i, dg.Bytes())
    {
        const Position p{Locate(i, dg)};
        const ResizeTap xt{xtaps[p.x]};
        const ResizeTap yt{ytaps[p.y]};
        const auto row{[&](uint32_t y) {
            return WeightedPairQ8(src[Offset(sg, static_cast<int>(y), static_cast<int>(xt.index0), p.c)],
                                  src[Offset(sg, static_cast<int>(y), static_cast<int>(xt.index1), p.c)],
                                  xt.weight0, xt.weight1);
        }};
        dst[i] = BlendRowsQ16(row(yt.index0), row(yt.index1), yt.weight0, yt.weight1);
    }
}

__global__ void HalfDownKernel(const uint8_t* __restrict__ src, Geometry sg, uint8_t* __restrict__ dst, Geometry dg)
{
    HPIPS_FOR_EACH_INDEX(i, dg.Bytes())
    {
        const Position p{Locate(i, dg)};
        const int y{2 * p.y};
        const int x{2 * p.x};
        dst[i] = Average4(src[Offset(sg, y, x, p.c)], src[Offset(sg, y, x + 1, p.c)], src[Offset(sg, y + 1, x, p.c)],
                          src[Offset(sg, y + 1, x + 1, p.c)]);
    }
}

#undef HPIPS_FOR_EACH_INDEX

unsigned BlocksFor(size_t count)
{
    // Image sizes are bounded (MAX_IMAGE_PIXELS · 3 bytes), so this stays far
    // below the grid limit; the kernels loop anyway.
    return static_cast<unsigned>((count + LIGHT_THREADS - 1) / LIGHT_THREADS);
}

Result<void> CheckShape(int width, int height, int channels, size_t stride, const void* data, const char* which)
{
    const std::string name{which};
    if (data == nullptr) return Error{name + ": no pixel data"};
    if (width < 1 || height < 1 || width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION) {
        return Error{name + ": width and height must be 1.." + std::to_string(MAX_IMAGE_DIMENSION)};
    }
    if (static_cast<size_t>(width) * static_cast<size_t>(height) > MAX_IMAGE_PIXELS) {
        return Error{name + ": more than " + std::to_string(MAX_IMAGE_PIXELS) + " pixels"};
    }
    if (channels != 1 && channels != MAX_IMAGE_CHANNELS) return Error{name + ": channels must be 1 or 3"};
    if (stride < static_cast<size_t>(width) * static_cast<size_t>(channels)) return Error{name + ": stride too small"};
    return {};
}

/** Uploads src, lets `launch` enqueue kernels from the dense device copy of
 *  src to a dense device dst, waits, and downloads dst into the host view. */
template <typename Launch>
Result<void> RunImageOp(const ImageView& src, const MutableImageView& dst, Launch&& launch)
{
    if (auto r = CheckShape(src.width, src.height, src.channels, src.stride, src.data, "input"); !r) return r;
    if (auto r = CheckShape(dst.width, dst.height, dst.channels, dst.stride, dst.data, "output"); !r) return r;
    if (auto r = RequireUsableDevice(); !r) return r;
    const Geometry sg{src.width, src.height, src.channels};
    const Geometry dg{dst.width, dst.height, dst.channels};
    DeviceBuffer<uint8_t> d_src;
    DeviceBuffer<uint8_t> d_dst;
    if (auto r = d_src.Allocate(sg.Bytes()); !r) return r;
    if (auto r = d_dst.Allocate(dg.Bytes()); !r) return r;
    if (auto r = CudaCheck(cudaMemcpy2D(d_src.get(), sg.RowBytes(), src.data, src.stride, sg.RowBytes(),
                                        static_cast<size_t>(sg.height), cudaMemcpyHostToDevice),
                           "copy image to device");
        !r) {
        return r;
    }
    if (auto r = launch(d_src.get(), sg, d_dst.get(), dg); !r) return r;
    if (auto r = CudaCheck(cudaDeviceSynchronize(), "image kernel"); !r) return r;
    return CudaCheck(cudaMemcpy2D(dst.data, dst.stride, d_dst.get(), dg.RowBytes(), dg.RowBytes(),
                                  static_cast<size_t>(dg.height), cudaMemcpyDeviceToHost),
                     "copy image to host");
}

Result<void> SameSize(const ImageView& src, const MutableImageView& dst, int dst_channels)
{
    if (src.width != dst.width || src.height != dst.height) return Error{"output size differs from the input"};
    if (dst.channels != dst_channels) return Error{"output has the wrong channel count"};
    return {};
}

Result<Taps> MakeTaps(const uint16_t* coef, int count)
{
    if (coef == nullptr || count < 1 || count > MAX_GAUSS_TAPS || count % 2 == 0) {
        return Error{"gauss: tap count must be odd, 1.." + std::to_string(MAX_GAUSS_TAPS)};
    }
    Taps taps{};
    for (int k{0}; k < count; ++k) taps.coef[k] = coef[k];
    taps.count = count;
    return taps;
}

Result<void> CheckWindow(int ksize)
{
    if (ksize < 1 || ksize > MAX_WINDOW_TAPS || ksize % 2 == 0) {
        return Error{"window size must be odd, 1.." + std::to_string(MAX_WINDOW_TAPS)};
    }
    return {};
}

}  // namespace

Result<void> LaunchBgrToGray(const ImageView& src, const MutableImageView& dst)
{
    if (src.channels != 3) return Error{"gray: input must have 3 channels"};
    if (auto r = SameSize(src, dst, 1); !r) return r;
    return RunImageOp(src, dst, [](const uint8_t* s, Geometry sg, uint8_t* d, Geometry) {
        const size_t pixels{static_cast<size_t>(sg.width) * static_cast<size_t>(sg.height)};
        GrayKernel<<<BlocksFor(pixels), LIGHT_THREADS>>>(s, d, pixels);
        return CheckLaunch("gray kernel launch");
    });
}

Result<void> LaunchThreshold(const ImageView& src, const MutableImageView& dst, uint8_t thresh, uint8_t maxval,
                             ThresholdMode mode)
{
    if (auto r = SameSize(src, dst, src.channels); !r) return r;
    return RunImageOp(src, dst, [&](const uint8_t* s, Geometry sg, uint8_t* d, Geometry) {
        ThresholdKernel<<<BlocksFor(sg.Bytes()), LIGHT_THREADS>>>(s, d, sg.Bytes(), thresh, maxval, mode);
        return CheckLaunch("threshold kernel launch");
    });
}

Result<void> LaunchGaussian(const ImageView& src, const MutableImageView& dst, const uint16_t* coef_x, int kx,
                            const uint16_t* coef_y, int ky)
{
    if (auto r = SameSize(src, dst, src.channels); !r) return r;
    const Result<Taps> taps_x{MakeTaps(coef_x, kx)};
    const Result<Taps> taps_y{MakeTaps(coef_y, ky)};
    if (!taps_x) return taps_x.error();
    if (!taps_y) return taps_y.error();
    return RunImageOp(src, dst, [&](const uint8_t* s, Geometry sg, uint8_t* d, Geometry) -> Result<void> {
        DeviceBuffer<uint16_t> rows;
        if (auto r = rows.Allocate(sg.Bytes()); !r) return r;
        GaussRowsKernel<<<BlocksFor(sg.Bytes()), LIGHT_THREADS>>>(s, rows.get(), sg, *taps_x);
        if (auto r = CheckLaunch("gauss row kernel launch"); !r) return r;
        GaussColumnsKernel<<<BlocksFor(sg.Bytes()), LIGHT_THREADS>>>(rows.get(), d, sg, *taps_y);
        if (auto r = CheckLaunch("gauss column kernel launch"); !r) return r;
        // rows is freed on return: finish using it first.
        return CudaCheck(cudaDeviceSynchronize(), "gauss kernels");
    });
}

Result<void> LaunchSobelMagnitude(const ImageView& src, const MutableImageView& dst)
{
    if (auto r = SameSize(src, dst, src.channels); !r) return r;
    return RunImageOp(src, dst, [](const uint8_t* s, Geometry sg, uint8_t* d, Geometry) {
        SobelKernel<<<BlocksFor(sg.Bytes()), LIGHT_THREADS>>>(s, d, sg);
        return CheckLaunch("sobel kernel launch");
    });
}

Result<void> LaunchBox(const ImageView& src, const MutableImageView& dst, int ksize, uint32_t scale, uint32_t delta)
{
    if (auto r = SameSize(src, dst, src.channels); !r) return r;
    if (auto r = CheckWindow(ksize); !r) return r;
    return RunImageOp(src, dst, [&](const uint8_t* s, Geometry sg, uint8_t* d, Geometry) {
        BoxKernel<<<BlocksFor(sg.Bytes()), LIGHT_THREADS>>>(s, d, sg, ksize, scale, delta);
        return CheckLaunch("box kernel launch");
    });
}

Result<void> LaunchMorphology(const ImageView& src, const MutableImageView& dst, int ksize, bool dilate)
{
    if (auto r = SameSize(src, dst, src.channels); !r) return r;
    if (auto r = CheckWindow(ksize); !r) return r;
    return RunImageOp(src, dst, [&](const uint8_t* s, Geometry sg, uint8_t* d, Geometry) {
        MorphologyKernel<<<BlocksFor(sg.Bytes()), LIGHT_THREADS>>>(s, d, sg, ksize, dilate);
        return CheckLaunch("morphology kernel launch");
    });
}

Result<void> LaunchResize(const ImageView& src, const MutableImageView& dst, const ResizeTap* xtaps,
                          const ResizeTap* ytaps)
{
    if (dst.channels != src.channels) return Error{"resize: output channels differ from the input"};
    if (xtaps == nullptr || ytaps == nullptr) return Error{"resize: missing taps"};
    if (auto r = CheckShape(dst.width, dst.height, dst.channels, dst.stride, dst.data, "output"); !r) return r;
    // The taps index the source; check them before any kernel trusts them.
    for (int d{0}; d < dst.width; ++d) {
        if (xtaps[d].index0 >= static_cast<uint32_t>(src.width) || xtaps[d].index1 >= static_cast<uint32_t>(src.width)) {
            return Error{"resize: x tap outside the input"};
        }
    }
    for (int d{0}; d < dst.height; ++d) {
        if (ytaps[d].index0 >= static_cast<uint32_t>(src.height) ||
            ytaps[d].index1 >= static_cast<uint32_t>(src.height)) {
            return Error{"resize: y tap outside the input"};
        }
    }
    return RunImageOp(src, dst, [&](const uint8_t* s, Geometry sg, uint8_t* d, Geometry dg) -> Result<void> {
        DeviceBuffer<ResizeTap> d_xtaps;
        DeviceBuffer<ResizeTap> d_ytaps;
        if (auto r = d_xtaps.Allocate(static_cast<size_t>(dg.width)); !r) return r;
        if (auto r = d_ytaps.Allocate(static_cast<size_t>(dg.height)); !r) return r;
        if (auto r = CopyToDevice(d_xtaps.get(), xtaps, static_cast<size_t>(dg.width)); !r) return r;
        if (auto r = CopyToDevice(d_ytaps.get(), ytaps, static_cast<size_t>(dg.height)); !r) return r;
        ResizeKernel<<<BlocksFor(dg.Bytes()), LIGHT_THREADS>>>(s, sg, d, dg, d_xtaps.get(), d_ytaps.get());
        if (auto r = CheckLaunch("resize kernel launch"); !r) return r;
        return CudaCheck(cudaDeviceSynchronize(), "resize kernel");
    });
}

Result<void> LaunchHalfDown(const ImageView& src, const MutableImageView& dst)
{
    if (dst.channels != src.channels) return Error{"resize: output channels differ from the input"};
    if (src.width != 2 * dst.width || src.height != 2 * dst.height) return Error{"resize: not an exact halving"};
    return RunImageOp(src, dst, [](const uint8_t* s, Geometry sg, uint8_t* d, Geometry dg) {
        HalfDownKernel<<<BlocksFor(dg.Bytes()), LIGHT_THREADS>>>(s, sg, d, dg);
        return CheckLaunch("half-down kernel launch");
    });
}

}  // namespace hpips::cuda
