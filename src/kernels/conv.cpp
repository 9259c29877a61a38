// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/conv.h>

#include <kernels/conv_kernels.h>
#include <kernels/cpu_features.h>
#include <kernels/gemm_kernels.h>
#include <util/thread_pool.h>

#include <algorithm>
#include <cstring>
#include <string>

namespace hpips {

namespace {

/** Output pixels per im2col block: the block's patches (≤ 96 · k bytes) stay
 *  in L2 between being written and being read by the GEMM. A multiple of the
 *  GEMM micro-kernels' row counts. */
constexpr size_t CONV_BLOCK_ROWS{96};
/** Output rows up to this width form whole-row blocks on the in-place VNNI
 *  path (bounds the patch buffer a border row needs to 384 · k bytes). */
constexpr size_t CONV_MAX_ROW_BLOCK{384};

struct KernelDims {
    size_t kernel_h;
    size_t kernel_w;
    size_t in_channels;
    size_t out_channels;
};

bool Consistent(const Int8Tensor& t) { return t.data.size() == t.height * t.width * t.channels; }

Result<ConvShape> CheckDims(const Int8Tensor& input, const KernelDims& kd, const Conv2dParams& p)
{
    const auto in_range{[](size_t v, size_t hi) { return v >= 1 && v <= hi; }};
    if (!in_range(input.height, CONV_MAX_SPATIAL) || !in_range(input.width, CONV_MAX_SPATIAL)) {
        return Error{"conv: input height/width outside [1, " + std::to_string(CONV_MAX_SPATIAL) + "]"};
    }
    if (!in_range(input.channels, CONV_MAX_CHANNELS) || !in_range(kd.out_channels, CONV_MAX_CHANNELS)) {
        return Error{"conv: channel count outside [1, " + std::to_string(CONV_MAX_CHANNELS) + "]"};
    }
    if (input.height * input.width * input.channels > CONV_MAX_ELEMENTS) return Error{"conv: input too large"};
    if (!Consistent(input)) return Error{"conv: input data size does not match its dimensions"};
    if (kd.in_channels != input.channels) return Error{"conv: weights expect a different input channel count"};
    if (!in_range(kd.kernel_h, CONV_MAX_KERNEL) || !in_range(kd.kernel_w, CONV_MAX_KERNEL)) {
        return Error{"conv: kernel size outside [1, " + std::to_string(CONV_MAX_KERNEL) + "]"};
    }
    if (!in_range(p.stride_h, CONV_MAX_STRIDE) || !in_range(p.stride_w, CONV_MAX_STRIDE)) {
        return Error{"conv: stride outside [1, " + std::to_string(CONV_MAX_STRIDE) + "]"};
    }
    if (p.pad_h >= kd.kernel_h || p.pad_w >= kd.kernel_w) return Error{"conv: padding must be smaller than the kernel"};
    if (p.input_zero_point < -128 || p.input_zero_point > 127) return Error{"conv: input zero point outside int8"};
    const size_t padded_h{input.height + 2 * p.pad_h};
    const size_t padded_w{input.width + 2 * p.pad_w};
    if (kd.kernel_h > padded_h || kd.kernel_w > padded_w) return Error{"conv: kernel larger than the padded input"};
    ConvShape shape{};
    shape.out_h = (padded_h - kd.kernel_h) / p.stride_h + 1;
    shape.out_w = (padded_w - kd.kernel_w) / p.stride_w + 1;
    shape.m = shape.out_h * shape.out_w;
    shape.k = kd.kernel_h * kd.kernel_w * kd.in_channels;
    shape.n = kd.out_channels;
    if (shape.k > GEMM_MAX_K) return Error{"conv: kernel_h * kernel_w * in_channels above 65536"};
    if (shape.m * shape.n > CONV_MAX_ELEMENTS || shape.m * shape.k > CONV_MAX_ELEMENTS) {
        return Error{"conv: output or patch matrix too large"};
    }
    return shape;
}

Result<ConvShape> CheckWithWeights(const Int8Tensor& input, const ConvWeights& w, const Conv2dParams& p)
{
    const KernelDims kd{w.kernel_h, w.kernel_w, w.in_channels, w.out_channels};
    auto shape{CheckDims(input, kd, p)};
    if (shape && w.data.size() != shape->k * shape->n) return Error{"conv: weight data size does not match its dimensions"};
    return shape;
}

/** Writes patch rows [row_begin, row_end) to dst (row stride ld). For each
 *  kernel row the in-bounds taps are contiguous in HWC order, so a window
 *  row is one copy flanked by zero-point fills. */
void Im2colRows(const Int8Tensor& input, const KernelDims& kd, const Conv2dParams& p, const ConvShape& shape,
                size_t row_begin, size_t row_end, int8_t* dst, size_t ld)
{
    const size_t cin{input.channels};
    const auto fill{static_cast<int8_t>(p.input_zero_point)};
    for (size_t r = row_begin; r < row_end; ++r) {
        const size_t oy{r / shape.out_w};
        const size_t ox{r % shape.out_w};
        int8_t* out{dst + (r - row_begin) * ld};
        // Window origin in padded coordinates; tap (ky, kx) reads input
        // (y0 + ky - pad_h, x0 + kx - pad_w).
        const size_t y0{oy * p.stride_h};
        const size_t x0{ox * p.stride_w};
        const size_t kx_lo{x0 < p.pad_w ? p.pad_w - x0 : 0};
        const size_t kx_hi{std::min(kd.kernel_w, input.width + p.pad_w - x0)};
        for (size_t ky = 0; ky < kd.kernel_h; ++ky) {
            int8_t* row_out{out + ky * kd.kernel_w * cin};
            const size_t py{y0 + ky};
            if (py < p.pad_h || py >= input.height + p.pad_h || kx_lo >= kx_hi) {
                std::memset(row_out, fill, kd.kernel_w * cin);
                continue;
            }
            const size_t iy{py - p.pad_h};
            // Interior windows (the vast majority) are a single copy.
            if (kx_lo != 0) std::memset(row_out, fill, kx_lo * cin);
            std::memcpy(row_out + kx_lo * cin, &input.At(iy, x0 + kx_lo - p.pad_w, 0), (kx_hi - kx_lo) * cin);
            if (kx_hi != kd.kernel_w) std::memset(row_out + kx_hi * cin, fill, (kd.kernel_w - kx_hi) * cin);
        }
    }
}

Result<void> CheckTensor32(const Int32Tensor& t)
{
    if (t.data.size() != t.height * t.width * t.channels) return Error{"conv: tensor data size does not match its dimensions"};
    return {};
}

}  // namespace

Result<ConvShape> CheckConv2d(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params)
{
    return CheckWithWeights(input, weights, params);
}

Result<Int8Matrix> Im2col(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params)
{
    auto shape{CheckWithWeights(input, weights, params)};
    if (!shape) return shape.error();
    const KernelDims kd{weights.kernel_h, weights.kernel_w, weights.in_channels, weights.out_channels};
    Int8Matrix patches{shape->m, shape->k};
    Im2colRows(input, kd, params, *shape, 0, shape->m, patches.data.data(), shape->k);
    return patches;
}

Result<Int32Tensor> Conv2dAccumulateReference(const Int8Tensor& input, const ConvWeights& weights,
                                              const Conv2dParams& params)
{
    auto shape{CheckWithWeights(input, weights, params)};
    if (!shape) return shape.error();
    Int32Tensor out{shape->out_h, shape->out_w, shape->n};
    const auto in_h{static_cast<int64_t>(input.height)};
    const auto in_w{static_cast<int64_t>(input.width)};
    for (size_t oy = 0; oy < shape->out_h; ++oy) {
        for (size_t ox = 0; ox < shape->out_w; ++ox) {
            for (size_t co = 0; co < shape->n; ++co) {
                int32_t acc{0};
                for (size_t ky = 0; ky < weights.kernel_h; ++ky) {
                    for (size_t kx = 0; kx < weights.kernel_w; ++kx) {
                        const int64_t iy{static_cast<int64_t>(oy * params.stride_h + ky) - static_cast<int64_t>(params.pad_h)};
                        const int64_t ix{static_cast<int64_t>(ox * params.stride_w + kx) - static_cast<int64_t>(params.pad_w)};
                        if (iy < 0 || iy >= in_h || ix < 0 || ix >= in_w) continue;  // (zp − zp) · w = 0
                        for (size_t ci = 0; ci < input.channels; ++ci) {
                            const int32_t x{input.At(static_cast<size_t>(iy), static_cast<size_t>(ix), ci)};
                            const int32_t w{weights.data[((ky * weights.kernel_w + kx) * weights.in_channels + ci) *
                                                             weights.out_channels + co]};
                            // |acc| ≤ 255 · 128 · 2^16 < 2^31 (conv.h): no overflow.
                            acc += (x - params.input_zero_point) * w;
                        }
                    }
                }
                out.At(oy, ox, co) = acc;
            }
        }
    }
    return out;
}

PackedConvWeights::PackedConvWeights(size_t kh, size_t kw, size_t cin, PackedB packed, std::vector<int32_t> sums)
    : m_kernel_h{kh}, m_kernel_w{kw}, m_in_channels{cin}, m_packed{std::move(packed)}, m_channel_sums{std::move(sums)}
{
}

Result<PackedConvWeights> PackedConvWeights::Pack(const ConvWeights& weights, GemmIsa isa)
{
    const auto in_range{[](size_t v, size_t hi) { return v >= 1 && v <= hi; }};
    if (!in_range(weights.kernel_h, CONV_MAX_KERNEL) || !in_range(weights.kernel_w, CONV_MAX_KERNEL) ||
        !in_range(weights.in_channels, CONV_MAX_CHANNELS) || !in_range(weights.out_channels, CONV_MAX_CHANNELS)) {
        return Error{"conv: weight dimensions out of bounds"};
    }
    const size_t k{weights.kernel_h * weights.kernel_w * weights.in_channels};
    if (k > GEMM_MAX_K) return Error{"conv: kernel_h * kernel_w * in_channels above 65536"};
    if (weights.data.size() != k * weights.out_channels) return Error{"conv: weight data size does not match its dimensions"};
    auto packed{PackedB::Pack(weights.AsMatrix(), isa)};
    if (!packed) return packed.error();
    std::vector<int32_t> sums(weights.out_channels, 0);
    for (size_t p = 0; p < k; ++p) {
        for (size_t co = 0; co < weights.out_channels; ++co) sums[co] += weights.data[p * weights.out_channels + co];
    }
    return PackedConvWeights{weights.kernel_h, weights.kernel_w, weights.in_channels, std::move(*packed),
                             std::move(sums)};
}

namespace {

/** The fast path's block loop: for each block of CONV_BLOCK_ROWS output
 *  pixels, im2col into a per-worker buffer, GEMM into the int32 rows that
 *  target(row_begin, rows, scratch) names, add the zero-point correction, then
 *  consume(row_begin, rows, accumulators). Blocks are split across the pool;
 *  every output row is produced by exactly one worker. */
template <typename Target, typename Consume>
void RunConvBlocks(const Int8Tensor& input, const PackedConvWeights& weights, const Conv2dParams& params,
                   const ConvShape& shape, ThreadPool* pool, const Target& target, const Consume& consume)
{
    const KernelDims kd{weights.KernelH(), weights.KernelW(), weights.InChannels(), weights.OutChannels()};
    // acc = Σ x·w − zp · Σ w. The correction is formed modulo 2^32: the final
    // value fits in int32 (conv.h), the intermediate GEMM sum may not.
    std::vector<int32_t> correction(shape.n);
    for (size_t co = 0; co < shape.n; ++co) {
        correction[co] = WrappingMul(-params.input_zero_point, weights.ChannelSums()[co]);
    }
    const int32_t* col_offset{params.input_zero_point != 0 ? correction.data() : nullptr};
    // Interior windows on the VNNI path skip im2col: the taps of one kernel
    // row are contiguous in HWC order, and for consecutive output pixels of
    // one output row they start stride · Cin bytes apart, so they already form
    // an A matrix with lda = stride_w · Cin. The GEMM runs once per kernel row
    // over its slice of B and accumulates. Needs the slice to start on a VNNI
    // k group (kernel_w · Cin a multiple of 4); otherwise everything is im2col.
    const size_t segment{kd.kernel_w * kd.in_channels};
    const bool direct{weights.Packed().Isa() == GemmIsa::AVX512_VNNI && segment % gemm_detail::VNNI_K_STEP == 0};
    const size_t ox_lo{(params.pad_w + params.stride_w - 1) / params.stride_w};
    const size_t ox_end{input.width + params.pad_w >= kd.kernel_w
                            ? std::min(shape.out_w, (input.width + params.pad_w - kd.kernel_w) / params.stride_w + 1)
                            : 0};
    const auto interior{[&](size_t r) {
        const size_t oy{r / shape.out_w};
        const size_t ox{r % shape.out_w};
        const size_t y0{oy * params.stride_h};
        return y0 >= params.pad_h && y0 - params.pad_h + kd.kernel_h <= input.height && ox >= ox_lo && ox < ox_end;
    }};
    // Σ over channels of every input pixel: a window's row sum (which the
    // VNNI bias correction needs) is then kernel_h · kernel_w additions.
    std::vector<int32_t> pixel_sums;
    if (direct) {
        pixel_sums.resize(input.height * input.width);
        for (size_t i = 0; i < pixel_sums.size(); ++i) {
            pixel_sums[i] = gemm_detail::RowSumAvx512Vnni(input.data.data() + i * kd.in_channels, kd.in_channels);
        }
    }
    // Blocks of whole output rows when rows are short enough, so an interior
    // run is never cut into pieces that end in partial micro-tiles.
    const size_t block_rows{direct && shape.out_w <= CONV_MAX_ROW_BLOCK
                                ? shape.out_w * std::max<size_t>(1, CONV_BLOCK_ROWS / shape.out_w)
                                : CONV_BLOCK_ROWS};
    const size_t blocks{(shape.m + block_rows - 1) / block_rows};
    const auto body{[&](size_t begin, size_t end) {
        std::vector<int8_t> patches(block_rows * shape.k);
        std::vector<int32_t> scratch;
        std::vector<int32_t> window_sums(block_rows);
        for (size_t block = begin; block < end; ++block) {
            const size_t row_begin{block * block_rows};
            const size_t rows{std::min(block_rows, shape.m - row_begin)};
            const size_t row_end{row_begin + rows};
            const MatrixView<int32_t> c{target(row_begin, rows, scratch)};
            size_t r{row_begin};
            while (r < row_end) {
                size_t run_end{r + 1};
                if (direct && interior(r)) {
                    const size_t oy{r / shape.out_w};
                    const size_t ox{r % shape.out_w};
                    run_end = std::min(row_end, oy * shape.out_w + ox_end);
                    const size_t run{run_end - r};
                    const size_t y0{oy * params.stride_h - params.pad_h};
                    for (size_t j = 0; j < run; ++j) {
                        const size_t x0{(ox + j) * params.stride_w - params.pad_w};
                        int32_t sum{0};  // |sum| ≤ 128 · 2^16: no overflow
                        for (size_t ky = 0; ky < kd.kernel_h; ++ky) {
                            const int32_t* row_sums{pixel_sums.data() + (y0 + ky) * input.width + x0};
                            for (size_t kx = 0; kx < kd.kernel_w; ++kx) sum += row_sums[kx];
                        }
                        window_sums[j] = sum;
                    }
                    const MatrixView<int32_t> c_run{c.Row(r - row_begin), run, shape.n, c.ld};
                    for (size_t ky = 0; ky < kd.kernel_h; ++ky) {
                        const int8_t* taps{&input.At(y0 + ky, ox * params.stride_w - params.pad_w, 0)};
                        const MatrixView<const int8_t> a{taps, run, segment, params.stride_w * kd.in_channels};
                        gemm_detail::GemmRowsAvx512VnniSlice(a, weights.Packed(), ky * segment, c_run,
                                                             ky == 0 ? window_sums.data() : nullptr, col_offset);
                    }
                } else {
                    while (run_end < row_end && !(direct && interior(run_end))) ++run_end;
                    Im2colRows(input, kd, params, shape, r, run_end, patches.data(), shape.k);
                    const MatrixView<int32_t> c_run{c.Row(r - row_begin), run_end - r, shape.n, c.ld};
                    gemm_detail::GemmRows({patches.data(), run_end - r, shape.k, shape.k}, weights.Packed(), c_run,
                                          col_offset);
                }
                r = run_end;
            }
            consume(row_begin, rows, c.AsConst());
        }
    }};
    if (pool == nullptr) {
        body(0, blocks);
    } else {
        pool->ParallelFor(blocks, body);
    }
}

}  // namespace

Result<Int32Tensor> Conv2dAccumulate(const Int8Tensor& input, const PackedConvWeights& weights,
                                     const Conv2dParams& params, ThreadPool* pool)
{
    const KernelDims kd{weights.KernelH(), weights.KernelW(), weights.InChannels(), weights.OutChannels()};
    auto checked{CheckDims(input, kd, params)};
    if (!checked) return checked.error();
    const ConvShape shape{*checked};
    Int32Tensor out{shape.out_h, shape.out_w, shape.n};
    RunConvBlocks(
        input, weights, params, shape, pool,
        [&](size_t row_begin, size_t rows, std::vector<int32_t>&) {
            return MatrixView<int32_t>{out.data.data() + row_begin * shape.n, rows, shape.n, shape.n};
        },
        [](size_t, size_t, MatrixView<const int32_t>) {});
    return out;
}

Result<Int8Tensor> MaxPool2x2(const Int8Tensor& input)
{
    if (!Consistent(input)) return Error{"maxpool: tensor data size does not match its dimensions"};
    if (input.height < 2 || input.width < 2) return Error{"maxpool: input smaller than 2x2"};
    Int8Tensor out{input.height / 2, input.width / 2, input.channels};
    for (size_t y = 0; y < out.height; ++y) {
        for (size_t x = 0; x < out.width; ++x) {
            for (size_t c = 0; c < out.channels; ++c) {
                const int8_t top{std::max(input.At(2 * y, 2 * x, c), input.At(2 * y, 2 * x + 1, c))};
                const int8_t bottom{std::max(input.At(2 * y + 1, 2 * x, c), input.At(2 * y + 1, 2 * x + 1, c))};
                out.At(y, x, c) = std::max(top, bottom);
            }
        }
    }
    return out;
}

namespace {

using SpanFn = void (*)(const int32_t*, int8_t*, size_t, const RequantParams&);

Result<Int8Tensor> OutputStageWith(const Int32Tensor& acc, const ConvOutputStage& stage, SpanFn requantize)
{
    if (!RequantParamsValid(stage.requant)) return Error{"requantize: invalid parameters"};
    if (auto ok{CheckTensor32(acc)}; !ok) return ok.error();
    if (stage.max_pool && (acc.height < 2 || acc.width < 2)) return Error{"maxpool: input smaller than 2x2"};
    Int8Tensor out{acc.height, acc.width, acc.channels};
    requantize(acc.data.data(), out.data.data(), acc.data.size(), stage.requant);
    if (!stage.max_pool) return out;
    return MaxPool2x2(out);
}

}  // namespace

namespace conv_detail {

void RequantizeSpanScalar(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p)
{
    for (size_t i = 0; i < count; ++i) dst[i] = RequantizeValue(src[i], p);
}

void RequantizeSpan(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p)
{
    // The AVX-512 body needs F, BW and VL, a subset of what the VNNI GEMM needs.
    if (DetectCpuFeatures().HasAvx512Vnni()) {
        RequantizeSpanAvx512(src, dst, count, p);
    } else {
        RequantizeSpanScalar(src, dst, count, p);
    }
}

}  // namespace conv_detail

Result<Int8Tensor> ApplyOutputStage(const Int32Tensor& acc, const ConvOutputStage& stage)
{
    return OutputStageWith(acc, stage, &conv_detail::RequantizeSpan);
}

Result<Int8Tensor> Conv2dReference(const Int8Tensor& input, const ConvWeights& weights, const Conv2dParams& params,
                                   const ConvOutputStage& stage)
{
    if (!RequantParamsValid(stage.requant)) return Error{"requantize: invalid parameters"};
    auto acc{Conv2dAccumulateReference(input, weights, params)};
    if (!acc) return acc.error();
    return OutputStageWith(*acc, stage, &conv_detail::RequantizeSpanScalar);
}

Result<Int8Tensor> Conv2d(const Int8Tensor& input, const PackedConvWeights& weights, const Conv2dParams& params,
                          const ConvOutputStage& stage, ThreadPool* pool)
{
    if (!RequantParamsValid(stage.requant)) return Error{"requantize: invalid parameters"};
    const KernelDims kd{weights.KernelH(), weights.KernelW(), weights.InChannels(), weights.OutChannels()};
    auto checked{CheckDims(input, kd, params)};
    if (!checked) return checked.error();
    const ConvShape shape{*checked};
    if (stage.max_pool && (shape.out_h < 2 || shape.out_w < 2)) return Error{"maxpool: input smaller than 2x2"};
    // Requantized block by block while the accumulators are still in cache;
    // the int32 tensor never exists as a whole.
    Int8Tensor out{shape.out_h, shape.out_w, shape.n};
    RunConvBlocks(
        input, weights, params, shape, pool,
        [&](size_t, size_t rows, std::vector<int32_t>& scratch) {
            scratch.resize(rows * shape.n);
            return MatrixView<int32_t>{scratch.data(), rows, shape.n, shape.n};
        },
        [&](size_t row_begin, size_t rows, MatrixView<const int32_t> acc) {
            conv_detail::RequantizeSpan(acc.data, out.data.data() + row_begin * shape.n, rows * shape.n,
                                        stage.requant);
        });
    if (!stage.max_pool) return out;
    return MaxPool2x2(out);
}

}  // namespace hpips
