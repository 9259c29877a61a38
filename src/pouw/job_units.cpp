// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/job_units.h>

#include <kernels/conv.h>
#include <kernels/requantize.h>
#include <primitives/merkle.h>

#include <algorithm>
#include <cassert>
#include <cstring>
#include <iterator>

namespace hpips::pouw {
namespace {

uint32_t RoundUp(uint32_t v, uint32_t multiple) { return (v + multiple - 1) / multiple * multiple; }

bool InRange(uint32_t v, size_t hi) { return v >= 1 && v <= hi; }

/** Smallest allowed m (for some n, k) that is ≥ rows; rows ≤ JOB_M_PART. */
uint32_t PaddedM(uint32_t rows, const ShapeRules& rules)
{
    if (rules.IsRegtest()) {
        for (const uint32_t extra : REGTEST_EXTRA_DIMS) {
            if (rows <= extra) return extra;
        }
    }
    for (const uint32_t m : MAIN_M_VALUES) {
        if (rows <= m) return m;
    }
    return 0;
}

RequantParams ToRequant(const HeavyJob& job)
{
    return RequantParams{job.requant_multiplier, job.requant_shift, job.output_zero_point,
                         job.clamp_min,          job.clamp_max,     job.relu};
}

Result<void> CheckGeometry(const HeavyJob& job)
{
    if (!InRange(job.in_h, CONV_MAX_SPATIAL) || !InRange(job.in_w, CONV_MAX_SPATIAL)) return Error{"job: input size"};
    if (!InRange(job.in_c, CONV_MAX_CHANNELS) || !InRange(job.out_channels, CONV_MAX_CHANNELS)) {
        return Error{"job: channel count"};
    }
    if (!InRange(job.kernel_h, CONV_MAX_KERNEL) || !InRange(job.kernel_w, CONV_MAX_KERNEL)) return Error{"job: kernel"};
    if (!InRange(job.stride_h, CONV_MAX_STRIDE) || !InRange(job.stride_w, CONV_MAX_STRIDE)) return Error{"job: stride"};
    if (job.pad_h >= job.kernel_h || job.pad_w >= job.kernel_w) return Error{"job: padding must be smaller than the kernel"};
    if (job.kernel_h > job.in_h + 2 * job.pad_h || job.kernel_w > job.in_w + 2 * job.pad_w) {
        return Error{"job: kernel larger than the padded input"};
    }
    if (job.input_zero_point < -128 || job.input_zero_point > 127) return Error{"job: input zero point"};
    if (!RequantParamsValid(ToRequant(job))) return Error{"job: requantization"};
    return {};
}

}  // namespace

uint32_t PaddedK(uint32_t k, const ShapeRules& rules)
{
    if (k == 0 || k > MAIN_K_MAX) return 0;
    const uint32_t rounded{RoundUp(k, K_MULTIPLE)};
    if (rules.IsRegtest()) {
        for (const uint32_t extra : REGTEST_EXTRA_DIMS) {
            if (rounded <= extra) return extra;
        }
    }
    return std::max(rounded, MAIN_K_MIN);
}

bool IsTicketable(uint32_t k, const ShapeRules& rules)
{
    if (k == 0 || k > MAIN_K_MAX) return false;
    const uint32_t smallest{rules.IsRegtest() ? *std::min_element(std::begin(REGTEST_EXTRA_DIMS),
                                                                  std::end(REGTEST_EXTRA_DIMS))
                                              : MAIN_K_MIN};
    return RoundUp(k, K_MULTIPLE) >= smallest;
}

Result<HeavyLayerShape> CheckHeavyLayer(const HeavyJob& job)
{
    if (auto ok{CheckGeometry(job)}; !ok) return ok.error();
    HeavyLayerShape shape;
    shape.out_h = (job.in_h + 2 * job.pad_h - job.kernel_h) / job.stride_h + 1;
    shape.out_w = (job.in_w + 2 * job.pad_w - job.kernel_w) / job.stride_w + 1;
    const uint64_t m{uint64_t{shape.out_h} * shape.out_w};
    const uint64_t k{uint64_t{job.kernel_h} * job.kernel_w * job.in_c};
    if (uint64_t{job.in_h} * job.in_w * job.in_c > CONV_MAX_ELEMENTS || m * job.out_channels > CONV_MAX_ELEMENTS ||
        m * k > CONV_MAX_ELEMENTS) {
        return Error{"job: layer too large"};
    }
    if (job.maxpool && (shape.out_h < 2 || shape.out_w < 2)) return Error{"job: max-pool needs a 2x2 output"};
    shape.m = static_cast<uint32_t>(m);
    shape.k = static_cast<uint32_t>(k);  // ≤ 15·15·4096
    shape.n = job.out_channels;
    return shape;
}

Result<HeavyPlan> PlanHeavyJob(const HeavyJob& job, const ShapeRules& rules)
{
    const auto shape{CheckHeavyLayer(job)};
    if (!shape) return shape.error();
    if (!IsTicketable(shape->k, rules)) return Error{"job: not-ticketable"};
    HeavyPlan plan;
    plan.out_h = shape->out_h;
    plan.out_w = shape->out_w;
    plan.m = shape->m;
    plan.k = shape->k;
    plan.n = shape->n;
    plan.k_padded = PaddedK(plan.k, rules);
    plan.m_parts = (plan.m + JOB_M_PART - 1) / JOB_M_PART;
    plan.n_parts = (plan.n + JOB_N_PART - 1) / JOB_N_PART;
    if (uint64_t{plan.m_parts} * plan.n_parts > MAX_HEAVY_JOB_UNITS) return Error{"job: too many units"};
    return plan;
}

UnitPlacement PlaceUnit(const HeavyPlan& plan, uint32_t region, const ShapeRules& rules)
{
    assert(region < plan.UnitCount());
    const uint32_t m_part{region / plan.n_parts};
    const uint32_t n_part{region % plan.n_parts};
    UnitPlacement p;
    p.row_begin = m_part * JOB_M_PART;
    p.rows = std::min(JOB_M_PART, plan.m - p.row_begin);
    p.col_begin = n_part * JOB_N_PART;
    p.cols = std::min(JOB_N_PART, plan.n - p.col_begin);
    p.shape = UnitShape{m_part + 1 < plan.m_parts ? JOB_M_PART : PaddedM(p.rows, rules), RoundUp(p.cols, TILE),
                        plan.k_padded};
    return p;
}

Result<void> CheckHeavyInputRange(const HeavyJob& job, std::span<const int8_t> input, std::span<const int8_t> weights)
{
    const size_t k{size_t{job.kernel_h} * job.kernel_w * job.in_c};
    if (input.size() != size_t{job.in_h} * job.in_w * job.in_c || weights.size() != k * job.out_channels) {
        return Error{"job: data size does not match the layer"};
    }
    const auto out{[](int8_t v) { return v < -INPUT_BOUND || v > INPUT_BOUND; }};
    if (std::any_of(input.begin(), input.end(), out)) return Error{"input-out-of-range: input"};
    if (std::any_of(weights.begin(), weights.end(), out)) return Error{"input-out-of-range: weights"};
    const bool pads{job.pad_h > 0 || job.pad_w > 0};
    if (pads && (job.input_zero_point < -INPUT_BOUND || job.input_zero_point > INPUT_BOUND)) {
        return Error{"input-out-of-range: input zero point"};
    }
    return {};
}

namespace {

/** Writes patch row r (k values, (ky, kx, ci) order) of the layer to out;
 *  taps outside the input read the input zero point. */
void PatchRow(const HeavyJob& job, const HeavyPlan& plan, uint32_t r, std::span<const int8_t> input, int8_t* out)
{
    const int64_t oy{r / plan.out_w}, ox{r % plan.out_w};
    const auto fill{static_cast<int8_t>(job.input_zero_point)};
    for (uint32_t ky = 0; ky < job.kernel_h; ++ky) {
        const int64_t iy{oy * job.stride_h + ky - int64_t{job.pad_h}};
        for (uint32_t kx = 0; kx < job.kernel_w; ++kx) {
            const int64_t ix{ox * job.stride_w + kx - int64_t{job.pad_w}};
            int8_t* tap{out + (size_t{ky} * job.kernel_w + kx) * job.in_c};
            if (iy < 0 || iy >= int64_t{job.in_h} || ix < 0 || ix >= int64_t{job.in_w}) {
                std::memset(tap, fill, job.in_c);
            } else {
                std::memcpy(tap, input.data() + (size_t(iy) * job.in_w + size_t(ix)) * job.in_c, job.in_c);
            }
        }
    }
}

}  // namespace

UnitData BuildUnitData(const HeavyJob& job, const HeavyPlan& plan, uint32_t region, std::span<const int8_t> input,
                       std::span<const int8_t> weights, const ShapeRules& rules)
{
    const UnitPlacement p{PlaceUnit(plan, region, rules)};
    const size_t k{p.shape.k}, n{p.shape.n};
    UnitData data{p.shape, std::vector<int8_t>(size_t{p.shape.m} * k, 0), std::vector<int8_t>(k * n, 0)};
    for (uint32_t i = 0; i < p.rows; ++i) PatchRow(job, plan, p.row_begin + i, input, data.a.data() + i * k);
    for (size_t j = 0; j < plan.k; ++j) {
        std::copy_n(weights.data() + j * plan.n + p.col_begin, p.cols, data.b.data() + j * n);
    }
    return data;
}

UnitDescriptor MakeJobUnitDescriptor(const HeavyJob& job, const uint256& job_id, uint32_t region, const UnitData& data)
{
    UnitDescriptor d;
    d.kind = static_cast<uint8_t>(UnitKind::JOB);
    d.job_id = job_id;
    d.region = region;
    d.shape = data.shape;
    d.requant_multiplier = job.requant_multiplier;
    d.requant_shift = job.requant_shift;
    d.input_zero_point = job.input_zero_point;
    d.output_zero_point = job.output_zero_point;
    d.clamp_min = job.clamp_min;
    d.clamp_max = job.clamp_max;
    d.relu = job.relu ? 1 : 0;
    d.maxpool = job.maxpool ? 1 : 0;
    d.a_root = ComputeARoot(data);
    d.b_root = ComputeBRoot(data);
    return d;
}

std::vector<uint8_t> HeavyUnitLeaf(const uint256& a_root, const uint256& b_root)
{
    std::vector<uint8_t> leaf(a_root.begin(), a_root.end());
    leaf.insert(leaf.end(), b_root.begin(), b_root.end());
    return leaf;
}

Result<uint256> ComputeUnitsRoot(std::span<const std::vector<uint8_t>> leaves)
{
    if (leaves.empty()) return Error{"units-root: no unit"};
    const MerkleDomain domain{JOB_UNITS_DOMAIN};
    std::vector<uint256> hashes;
    hashes.reserve(leaves.size());
    for (const auto& leaf : leaves) hashes.push_back(domain.HashLeaf(leaf));
    return ComputeMerkleRoot(domain, hashes);
}

Result<Int8Tensor> AssembleHeavyOutput(const HeavyJob& job, const HeavyPlan& plan,
                                       std::span<const std::vector<int32_t>> blocks, std::span<const int8_t> weights,
                                       std::span<const int32_t> biases, const ShapeRules& rules)
{
    if (blocks.size() != plan.UnitCount()) return Error{"assemble: wrong block count"};
    if (biases.size() != plan.n || weights.size() != size_t{plan.k} * plan.n) return Error{"assemble: wrong sizes"};
    // acc = C − zp·Σ_k w + bias, modulo 2^32 like kernels/conv.h.
    std::vector<int32_t> correction(plan.n);
    for (size_t co = 0; co < plan.n; ++co) {
        int32_t sum{0};
        for (size_t j = 0; j < plan.k; ++j) sum += weights[j * plan.n + co];
        correction[co] = WrappingAdd(WrappingMul(-job.input_zero_point, sum), biases[co]);
    }
    Int32Tensor acc{plan.out_h, plan.out_w, plan.n};
    for (uint32_t region = 0; region < plan.UnitCount(); ++region) {
        const UnitPlacement p{PlaceUnit(plan, region, rules)};
        if (blocks[region].size() != size_t{p.shape.m} * p.shape.n) return Error{"assemble: wrong block size"};
        for (size_t i = 0; i < p.rows; ++i) {
            const int32_t* src{blocks[region].data() + i * p.shape.n};
            int32_t* dst{acc.data.data() + (p.row_begin + i) * size_t{plan.n} + p.col_begin};
            for (size_t c = 0; c < p.cols; ++c) dst[c] = WrappingAdd(src[c], correction[p.col_begin + c]);
        }
    }
    return ApplyOutputStage(acc, ConvOutputStage{ToRequant(job), job.maxpool});
}

}  // namespace hpips::pouw
