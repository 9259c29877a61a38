// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_light.h>

#include <primitives/merkle.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <vector>

namespace hpips::pouw {
namespace {

bool HasResize(const Pipeline& pipeline)
{
    return std::any_of(pipeline.ops.begin(), pipeline.ops.end(),
                       [](const LightOp& op) { return op.kind == LightOpKind::RESIZE; });
}

size_t ImageBytes(const ImageShape& s) { return size_t(s.width) * size_t(s.height) * size_t(s.channels); }

/** Shapes of every stage (input, then each op's output) of a frame. */
std::vector<ImageShape> StageShapes(const Pipeline& pipeline, ImageShape shape)
{
    std::vector<ImageShape> shapes{shape};
    for (const LightOp& op : pipeline.ops) {
        if (op.kind == LightOpKind::GRAY) shape.channels = 1;
        if (op.kind == LightOpKind::RESIZE) shape = ImageShape{int(op.a), int(op.b), shape.channels};
        shapes.push_back(shape);
    }
    return shapes;
}

}  // namespace

uint32_t OpHalo(const LightOp& op)
{
    switch (op.kind) {
    case LightOpKind::GAUSS:
    case LightOpKind::BOX:
    case LightOpKind::ERODE:
    case LightOpKind::DILATE: return op.a / 2;
    case LightOpKind::SOBELMAG: return 1;
    case LightOpKind::GRAY:
    case LightOpKind::THRESHOLD:
    case LightOpKind::RESIZE: return 0;
    }
    return 0;
}

uint32_t PipelineHalo(const Pipeline& pipeline)
{
    uint32_t halo{0};
    for (const LightOp& op : pipeline.ops) halo += OpHalo(op);  // ≤ 16 · 7: no overflow
    return halo;
}

RowRange InputRowsFor(const LightPlan& plan, RowRange out)
{
    const auto height{static_cast<uint32_t>(plan.input.height)};
    if (plan.whole_frame) return RowRange{0, height};
    return RowRange{out.begin > plan.halo ? out.begin - plan.halo : 0, std::min(height, out.end + plan.halo)};
}

LightGroup PlaceLightUnit(const LightPlan& plan, uint32_t unit)
{
    assert(unit < plan.UnitCount());
    LightGroup g;
    g.frame = unit / plan.groups_per_frame;
    const uint32_t group{unit % plan.groups_per_frame};
    const auto out_height{static_cast<uint32_t>(plan.output.height)};
    g.out = plan.whole_frame ? RowRange{0, out_height}
                             : RowRange{group * LIGHT_GROUP_ROWS, std::min(out_height, (group + 1) * LIGHT_GROUP_ROWS)};
    g.in = InputRowsFor(plan, g.out);
    return g;
}

size_t LightStageBytes(const Pipeline& pipeline, const LightPlan& plan, RowRange out)
{
    ImageShape slice{plan.input};
    if (!plan.whole_frame) slice.height = static_cast<int>(InputRowsFor(plan, out).Count());
    size_t largest{0};
    for (const ImageShape& s : StageShapes(pipeline, slice)) largest = std::max(largest, ImageBytes(s));
    return largest;
}

Result<LightPlan> PlanLightJob(const Pipeline& pipeline, ImageShape frame, uint32_t frames)
{
    auto output{PipelineOutputShape(pipeline, frame)};
    if (!output) return output.error();
    if (frames == 0) return Error{"light: no frame"};
    LightPlan plan;
    plan.input = frame;
    plan.output = *output;
    plan.frames = frames;
    plan.whole_frame = HasResize(pipeline);
    plan.halo = plan.whole_frame ? 0 : PipelineHalo(pipeline);
    const auto out_height{static_cast<uint32_t>(output->height)};
    plan.groups_per_frame = plan.whole_frame ? 1 : (out_height + LIGHT_GROUP_ROWS - 1) / LIGHT_GROUP_ROWS;
    if (uint64_t{frames} * plan.groups_per_frame > MAX_LIGHT_JOB_UNITS) return Error{"light: too many units"};
    // The widest one-row check is a row whose halo lies inside the frame on both sides.
    const uint32_t middle{std::min(out_height - 1, plan.halo)};
    if (LightStageBytes(pipeline, plan, RowRange{middle, middle + 1}) > MAX_LIGHT_ROW_CHECK_BYTES) {
        return Error{"light: row check too large"};
    }
    return plan;
}

Result<Image> ComputeLightRows(const Pipeline& pipeline, const LightPlan& plan, const ImageView& input,
                               uint32_t in_begin, RowRange out, ThreadPool& pool)
{
    if (out.begin >= out.end || out.end > static_cast<uint32_t>(plan.output.height)) return Error{"light: bad rows"};
    if (input.width != plan.input.width || input.channels != plan.input.channels || input.height < 0) {
        return Error{"light: input rows do not match the frame"};
    }
    const RowRange need{InputRowsFor(plan, out)};
    if (in_begin > need.begin || uint64_t{in_begin} + uint32_t(input.height) < need.end) {
        return Error{"light: input rows missing"};
    }
    const ImageView slice{input.Sub(0, int(need.begin - in_begin), input.width, int(need.Count()))};
    auto result{RunPipeline(pipeline, slice, pool)};
    if (!result) return result.error();
    // Without a resize, output row y is row y − need.begin of the slice's result.
    const uint32_t first{plan.whole_frame ? out.begin : out.begin - need.begin};
    auto rows{Image::Create(result->Width(), int(out.Count()), result->Channels())};
    if (!rows) return rows.error();
    const size_t row_bytes{result->View().RowBytes()};
    std::memcpy(rows->Data(), result->View().Row(int(first)), row_bytes * out.Count());
    return rows;
}

Result<uint256> ImageRowsRoot(std::string_view domain_name, const ImageView& rows)
{
    if (rows.height <= 0 || rows.width <= 0) return Error{"rows-root: no row"};
    const MerkleDomain domain{domain_name};
    std::vector<uint256> leaves;
    leaves.reserve(size_t(rows.height));
    for (int y = 0; y < rows.height; ++y) leaves.push_back(domain.HashLeaf({rows.Row(y), rows.RowBytes()}));
    return ComputeMerkleRoot(domain, leaves);
}

}  // namespace hpips::pouw
