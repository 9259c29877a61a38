// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_PIPELINE_H
#define HPIPS_KERNELS_PIPELINE_H

#include "kernels/image.h"
#include "kernels/pixel_ops.h"
#include "util/result.h"
#include "util/thread_pool.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {

/** Most ops in one pipeline. */
constexpr size_t MAX_PIPELINE_OPS{16};
/** Longest pipeline text accepted (checked before any parsing). */
constexpr size_t MAX_PIPELINE_SPEC_LENGTH{1024};

/** The light (8-bit, OpenCV bit-exact) operations. */
enum class LightOpKind : uint8_t { GRAY, GAUSS, SOBELMAG, RESIZE, THRESHOLD, ERODE, DILATE, BOX };

/** One parsed op. Parameters by kind: GAUSS a = K, b = sigma in thousandths;
 *  RESIZE a = width, b = height; THRESHOLD a = T, b = M, mode;
 *  ERODE / DILATE / BOX a = K; GRAY and SOBELMAG none (all zero). */
struct LightOp {
    LightOpKind kind{LightOpKind::GRAY};
    uint32_t a{0};
    uint32_t b{0};
    ThresholdMode mode{ThresholdMode::BINARY};

    friend bool operator==(const LightOp&, const LightOp&) = default;
};

/** A sequence of light ops applied in order. */
struct Pipeline {
    std::vector<LightOp> ops;

    friend bool operator==(const Pipeline&, const Pipeline&) = default;
};

/** Width, height and channel count of an image. */
struct ImageShape {
    int width{0};
    int height{0};
    int channels{0};

    friend bool operator==(const ImageShape&, const ImageShape&) = default;
};

/** Parses "OP,OP,..." (1..MAX_PIPELINE_OPS ops) where OP is one of
 *    gray | gauss:K:S | sobelmag | resize:W:H | threshold:T:M:MODE |
 *    erode:K | dilate:K | box:K
 *  with MODE in binary, binary_inv, trunc, tozero, tozero_inv. Strict: no
 *  spaces, signs or leading zeros, exact parameter counts, every parameter
 *  range-checked (K odd 3..15, S 0..10000, W and H 1..16384, T and M
 *  0..255). Untrusted input: returns an error, never throws. */
Result<Pipeline> ParsePipeline(std::string_view spec);

/** The canonical text of a pipeline; ParsePipeline(FormatPipeline(p)) == p. */
std::string FormatPipeline(const Pipeline& pipeline);

/** The shape a pipeline turns `input` into, or an error when an op cannot
 *  apply (gray needs 3 channels; every intermediate must pass
 *  CheckImageShape). Lets callers bound memory before running anything. */
Result<ImageShape> PipelineOutputShape(const Pipeline& pipeline, ImageShape input);

/** Applies one op from src into dst (dst already shaped as the op's output,
 *  not overlapping src). */
Result<void> ApplyLightOp(const LightOp& op, const ImageView& src, const MutableImageView& dst, ThreadPool& pool);

/** Runs every op in order on a copy of `input` and returns the result; an
 *  empty pipeline returns a copy. Shapes are checked up front with
 *  PipelineOutputShape, so an invalid pipeline fails before any work. */
Result<Image> RunPipeline(const Pipeline& pipeline, const ImageView& input, ThreadPool& pool);

}  // namespace hpips

#endif  // HPIPS_KERNELS_PIPELINE_H
