// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/pipeline.h"

#include "kernels/box.h"
#include "kernels/color.h"
#include "kernels/gaussian.h"
#include "kernels/morphology.h"
#include "kernels/resize.h"
#include "kernels/sobel.h"
#include "kernels/threshold.h"

#include <initializer_list>
#include <optional>

namespace hpips {
namespace {

/** Longest decimal parameter (keeps the value far from uint32 overflow). */
constexpr size_t MAX_PARAM_DIGITS{9};
constexpr uint32_t MAX_U8{255};

/** Joins message pieces (avoids chains of operator+, which trip GCC 12's
 *  -Wrestrict false positive at -O3). */
std::string Concat(std::initializer_list<std::string_view> parts)
{
    std::string out;
    for (const std::string_view p : parts) out.append(p);
    return out;
}

std::vector<std::string_view> Split(std::string_view text, char sep)
{
    std::vector<std::string_view> parts;
    size_t start{0};
    while (true) {
        const size_t pos{text.find(sep, start)};
        if (pos == std::string_view::npos) {
            parts.push_back(text.substr(start));
            return parts;
        }
        parts.push_back(text.substr(start, pos - start));
        start = pos + 1;
    }
}

/** A canonical unsigned decimal: digits only, no leading zero except "0". */
std::optional<uint32_t> ParseParam(std::string_view text)
{
    if (text.empty() || text.size() > MAX_PARAM_DIGITS) return std::nullopt;
    if (text.size() > 1 && text[0] == '0') return std::nullopt;
    uint32_t value{0};
    for (const char c : text) {
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    return value;
}

bool IsOddKsize(uint32_t k, int min_k, int max_k)
{
    return k % 2 == 1 && k >= static_cast<uint32_t>(min_k) && k <= static_cast<uint32_t>(max_k);
}

Result<LightOp> ParseOp(std::string_view text)
{
    const std::vector<std::string_view> parts{Split(text, ':')};
    const std::string_view name{parts[0]};
    std::vector<uint32_t> params;
    for (size_t i = 1; i < parts.size(); ++i) {
        if (name == "threshold" && i == 3) break;  // the mode is a word
        const auto v{ParseParam(parts[i])};
        if (!v) return Error{Concat({"bad parameter '", parts[i], "'"})};
        params.push_back(*v);
    }
    const auto expect{[&](size_t count) -> Result<void> {
        if (parts.size() != count + 1) {
            return Error{Concat({"'", name, "' takes ", std::to_string(count), " parameter(s)"})};
        }
        return {};
    }};
    LightOp op;
    if (name == "gray" || name == "sobelmag") {
        if (auto ok{expect(0)}; !ok) return ok.error();
        op.kind = name == "gray" ? LightOpKind::GRAY : LightOpKind::SOBELMAG;
        return op;
    }
    if (name == "gauss") {
        if (auto ok{expect(2)}; !ok) return ok.error();
        if (!IsOddKsize(params[0], MIN_GAUSS_KSIZE, MAX_GAUSS_KSIZE)) return Error{"gauss K must be odd, 3..15"};
        if (params[1] > MAX_GAUSS_SIGMA_MILLI) return Error{"gauss S must be 0..10000 (thousandths)"};
        return LightOp{LightOpKind::GAUSS, params[0], params[1], ThresholdMode::BINARY};
    }
    if (name == "resize") {
        if (auto ok{expect(2)}; !ok) return ok.error();
        for (const uint32_t v : params) {
            if (v < 1 || v > static_cast<uint32_t>(MAX_RESIZE_DIMENSION)) return Error{"resize W and H must be 1..16384"};
        }
        return LightOp{LightOpKind::RESIZE, params[0], params[1], ThresholdMode::BINARY};
    }
    if (name == "threshold") {
        if (auto ok{expect(3)}; !ok) return ok.error();
        if (params[0] > MAX_U8 || params[1] > MAX_U8) return Error{"threshold T and M must be 0..255"};
        const auto mode{ParseThresholdMode(parts[3])};
        if (!mode) return Error{Concat({"unknown threshold mode '", parts[3], "'"})};
        return LightOp{LightOpKind::THRESHOLD, params[0], params[1], *mode};
    }
    if (name == "erode" || name == "dilate" || name == "box") {
        if (auto ok{expect(1)}; !ok) return ok.error();
        if (!IsOddKsize(params[0], MIN_MORPH_KSIZE, MAX_MORPH_KSIZE)) {
            return Error{Concat({name, " K must be odd, 3..15"})};
        }
        const LightOpKind kind{name == "erode" ? LightOpKind::ERODE : name == "dilate" ? LightOpKind::DILATE : LightOpKind::BOX};
        return LightOp{kind, params[0], 0, ThresholdMode::BINARY};
    }
    return Error{Concat({"unknown op '", name, "'"})};
}

/** Numeric parameters an op kind takes (threshold's mode not counted). */
size_t OpParamCount(LightOpKind kind)
{
    switch (kind) {
    case LightOpKind::GRAY:
    case LightOpKind::SOBELMAG: return 0;
    case LightOpKind::ERODE:
    case LightOpKind::DILATE:
    case LightOpKind::BOX: return 1;
    case LightOpKind::GAUSS:
    case LightOpKind::RESIZE:
    case LightOpKind::THRESHOLD: return 2;
    }
    return 0;
}

}  // namespace

Result<Pipeline> ParsePipeline(std::string_view spec)
{
    if (spec.empty()) return Error{"empty pipeline"};
    if (spec.size() > MAX_PIPELINE_SPEC_LENGTH) return Error{"pipeline text too long"};
    const std::vector<std::string_view> texts{Split(spec, ',')};
    if (texts.size() > MAX_PIPELINE_OPS) {
        return Error{Concat({"pipeline has more than ", std::to_string(MAX_PIPELINE_OPS), " ops"})};
    }
    Pipeline pipeline;
    for (size_t i = 0; i < texts.size(); ++i) {
        auto op{ParseOp(texts[i])};
        if (!op) return Error{Concat({"op ", std::to_string(i + 1), " ('", texts[i], "'): ", op.error_message()})};
        pipeline.ops.push_back(*op);
    }
    return pipeline;
}

std::string FormatPipeline(const Pipeline& pipeline)
{
    std::string out;
    for (const LightOp& op : pipeline.ops) {
        if (!out.empty()) out.push_back(',');
        switch (op.kind) {
        case LightOpKind::GRAY: out.append("gray"); break;
        case LightOpKind::SOBELMAG: out.append("sobelmag"); break;
        case LightOpKind::GAUSS: out.append("gauss"); break;
        case LightOpKind::RESIZE: out.append("resize"); break;
        case LightOpKind::THRESHOLD: out.append("threshold"); break;
        case LightOpKind::ERODE: out.append("erode"); break;
        case LightOpKind::DILATE: out.append("dilate"); break;
        case LightOpKind::BOX: out.append("box"); break;
        }
        const size_t count{OpParamCount(op.kind)};
        if (count >= 1) out.append(":").append(std::to_string(op.a));
        if (count >= 2) out.append(":").append(std::to_string(op.b));
        if (op.kind == LightOpKind::THRESHOLD) out.append(":").append(ThresholdModeName(op.mode));
    }
    return out;
}

Result<ImageShape> PipelineOutputShape(const Pipeline& pipeline, ImageShape shape)
{
    if (auto ok{CheckImageShape(shape.width, shape.height, shape.channels)}; !ok) return ok.error();
    for (size_t i = 0; i < pipeline.ops.size(); ++i) {
        const LightOp& op{pipeline.ops[i]};
        if (op.kind == LightOpKind::GRAY) {
            if (shape.channels != 3) return Error{Concat({"op ", std::to_string(i + 1), " (gray) needs a 3-channel image"})};
            shape.channels = 1;
        } else if (op.kind == LightOpKind::RESIZE) {
            shape.width = static_cast<int>(op.a);
            shape.height = static_cast<int>(op.b);
        }
        if (auto ok{CheckImageShape(shape.width, shape.height, shape.channels)}; !ok) {
            return Error{Concat({"op ", std::to_string(i + 1), ": ", ok.error_message()})};
        }
    }
    return shape;
}

Result<void> ApplyLightOp(const LightOp& op, const ImageView& src, const MutableImageView& dst, ThreadPool& pool)
{
    switch (op.kind) {
    case LightOpKind::GRAY: return BgrToGray(src, dst, pool);
    case LightOpKind::GAUSS: return GaussianBlur(src, dst, static_cast<int>(op.a), op.b, pool);
    case LightOpKind::SOBELMAG: return SobelMagnitude(src, dst, pool);
    case LightOpKind::RESIZE:
        if (dst.width != static_cast<int>(op.a) || dst.height != static_cast<int>(op.b)) {
            return Error{"resize output has the wrong size"};
        }
        return Resize(src, dst, pool);
    case LightOpKind::THRESHOLD:
        if (op.a > MAX_U8 || op.b > MAX_U8) return Error{"threshold parameters out of range"};
        return Threshold(src, dst, static_cast<uint8_t>(op.a), static_cast<uint8_t>(op.b), op.mode, pool);
    case LightOpKind::ERODE: return Erode(src, dst, static_cast<int>(op.a), pool);
    case LightOpKind::DILATE: return Dilate(src, dst, static_cast<int>(op.a), pool);
    case LightOpKind::BOX: return BoxBlur(src, dst, static_cast<int>(op.a), pool);
    }
    return Error{"unknown op"};
}

Result<Image> RunPipeline(const Pipeline& pipeline, const ImageView& input, ThreadPool& pool)
{
    if (auto ok{CheckView(input)}; !ok) return ok.error();
    if (auto shape{PipelineOutputShape(pipeline, ImageShape{input.width, input.height, input.channels})}; !shape) {
        return shape.error();
    }
    auto current{Image::CopyOf(input)};
    if (!current) return current;
    ImageShape shape{input.width, input.height, input.channels};
    for (size_t i = 0; i < pipeline.ops.size(); ++i) {
        const LightOp& op{pipeline.ops[i]};
        if (op.kind == LightOpKind::GRAY) shape.channels = 1;
        if (op.kind == LightOpKind::RESIZE) {
            shape.width = static_cast<int>(op.a);
            shape.height = static_cast<int>(op.b);
        }
        auto next{Image::Create(shape.width, shape.height, shape.channels)};
        if (!next) return next;
        if (auto ok{ApplyLightOp(op, current->View(), next->MutableView(), pool)}; !ok) {
            return Error{Concat({"op ", std::to_string(i + 1), ": ", ok.error_message()})};
        }
        current = std::move(next);
    }
    return current;
}

}  // namespace hpips
