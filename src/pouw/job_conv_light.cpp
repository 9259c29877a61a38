// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_conv_light.h>

#include <kernels/conv.h>
#include <kernels/requantize.h>
#include <primitives/merkle.h>

#include <algorithm>
#include <cassert>
#include <vector>

namespace hpips::pouw {
namespace {

uint32_t ConvRowsPerFinalRow(const HeavyJob& job) { return job.maxpool ? 2 : 1; }

/** Signed window rows [lo, hi) of the input (padding rows included). */
struct Window {
    int64_t lo;
    int64_t hi;
};

/** The window rows that conv rows c read. */
Window WindowRows(const HeavyJob& job, RowRange c)
{
    return Window{int64_t{c.begin} * job.stride_h - job.pad_h,
                  int64_t{c.end - 1} * job.stride_h - job.pad_h + job.kernel_h};
}

RowRange ConvRows(const HeavyJob& job, RowRange out)
{
    const uint32_t r{ConvRowsPerFinalRow(job)};
    return RowRange{out.begin * r, out.end * r};
}

}  // namespace

RowRange ConvInputRowsFor(const HeavyJob& job, RowRange out)
{
    const Window w{WindowRows(job, ConvRows(job, out))};
    return RowRange{static_cast<uint32_t>(std::max<int64_t>(w.lo, 0)),
                    static_cast<uint32_t>(std::min<int64_t>(w.hi, job.in_h))};
}

Result<ConvLightPlan> PlanConvLight(const HeavyJob& job)
{
    const auto shape{CheckHeavyLayer(job)};
    if (!shape) return shape.error();
    ConvLightPlan plan;
    plan.shape = *shape;
    plan.final_h = job.maxpool ? shape->out_h / 2 : shape->out_h;
    plan.final_w = job.maxpool ? shape->out_w / 2 : shape->out_w;
    plan.groups = (plan.final_h + LIGHT_GROUP_ROWS - 1) / LIGHT_GROUP_ROWS;
    if (plan.groups > MAX_LIGHT_JOB_UNITS) return Error{"light: too many units"};
    const uint64_t macs{uint64_t{ConvRowsPerFinalRow(job)} * shape->out_w * shape->n * shape->k};
    if (macs > MAX_CONV_ROW_CHECK_MACS) return Error{"light: row check too large"};
    // The widest input of one final row is that of a row away from the borders.
    const uint64_t window{uint64_t{ConvRowsPerFinalRow(job) - 1} * job.stride_h + job.kernel_h};
    if (std::min<uint64_t>(window, job.in_h) * job.in_w * job.in_c > MAX_LIGHT_ROW_CHECK_BYTES) {
        return Error{"light: row check too large"};
    }
    return plan;
}

LightGroup PlaceConvLightUnit(const HeavyJob& job, const ConvLightPlan& plan, uint32_t unit)
{
    assert(unit < plan.UnitCount());
    LightGroup g;
    g.out = RowRange{unit * LIGHT_GROUP_ROWS, std::min(plan.final_h, (unit + 1) * LIGHT_GROUP_ROWS)};
    g.in = ConvInputRowsFor(job, g.out);
    return g;
}

Result<Int8Tensor> ComputeConvRows(const HeavyJob& job, const ConvLightPlan& plan, std::span<const int8_t> input_rows,
                                   uint32_t in_begin, std::span<const int8_t> weights,
                                   std::span<const int32_t> biases, RowRange out)
{
    if (out.begin >= out.end || out.end > plan.final_h) return Error{"conv-light: bad rows"};
    const size_t row_bytes{size_t{job.in_w} * job.in_c};
    const auto& s{plan.shape};
    if (input_rows.size() % row_bytes != 0 || weights.size() != size_t{s.k} * s.n || biases.size() != s.n) {
        return Error{"conv-light: sizes do not match the layer"};
    }
    const RowRange need{ConvInputRowsFor(job, out)};
    if (in_begin > need.begin || in_begin + input_rows.size() / row_bytes < need.end) {
        return Error{"conv-light: input rows missing"};
    }
    // The window rows as a tensor of their own; rows outside the input hold
    // the zero point (as padding does), so the conv needs no vertical padding.
    const Window window{WindowRows(job, ConvRows(job, out))};
    Int8Tensor slice{size_t(window.hi - window.lo), job.in_w, job.in_c};
    std::fill(slice.data.begin(), slice.data.end(), static_cast<int8_t>(job.input_zero_point));
    for (uint32_t y = need.begin; y < need.end; ++y) {
        std::copy_n(input_rows.data() + (y - in_begin) * row_bytes, row_bytes,
                    slice.data.data() + size_t(y - window.lo) * row_bytes);
    }
    const ConvWeights w{job.kernel_h, job.kernel_w, job.in_c, job.out_channels,
                        std::vector<int8_t>(weights.begin(), weights.end())};
    const Conv2dParams params{job.stride_h, job.stride_w, 0, job.pad_w, job.input_zero_point};
    auto acc{Conv2dAccumulateReference(slice, w, params)};
    if (!acc) return acc.error();
    for (size_t i = 0; i < acc->data.size(); ++i) acc->data[i] = WrappingAdd(acc->data[i], biases[i % s.n]);
    const RequantParams rq{job.requant_multiplier, job.requant_shift, job.output_zero_point,
                           job.clamp_min,          job.clamp_max,     job.relu};
    return ApplyOutputStage(*acc, ConvOutputStage{rq, job.maxpool});
}

Result<uint256> Int8RowsRoot(std::string_view domain_name, std::span<const int8_t> rows, size_t row_bytes)
{
    if (row_bytes == 0 || rows.empty() || rows.size() % row_bytes != 0) return Error{"rows-root: bad size"};
    const MerkleDomain domain{domain_name};
    std::vector<uint256> leaves;
    leaves.reserve(rows.size() / row_bytes);
    const auto* bytes{reinterpret_cast<const uint8_t*>(rows.data())};
    for (size_t off = 0; off < rows.size(); off += row_bytes) leaves.push_back(domain.HashLeaf({bytes + off, row_bytes}));
    return ComputeMerkleRoot(domain, leaves);
}

}  // namespace hpips::pouw
