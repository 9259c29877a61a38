// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/unit.h>

#include <crypto/sha256.h>
#include <pouw/noise_math.h>
#include <pouw/prg.h>
#include <primitives/merkle.h>
#include <util/serialize.h>

#include <algorithm>
#include <cassert>
#include <cstdlib>
#include <string>

namespace hpips::pouw {
namespace {

constexpr int32_t CLAMP_LOWEST{-128};
constexpr int32_t CLAMP_HIGHEST{127};
constexpr int32_t MAX_REQUANT_SHIFT{31};

Error BadField(std::string_view field) { return Error{"bad-descriptor: " + std::string{field}}; }

uint256 RootOfLeaves(std::string_view domain_name, const std::vector<std::vector<uint8_t>>& leaves)
{
    const MerkleDomain domain{domain_name};
    std::vector<uint256> hashes;
    hashes.reserve(leaves.size());
    for (const auto& leaf : leaves) hashes.push_back(domain.HashLeaf(leaf));
    auto root = ComputeMerkleRoot(domain, hashes);
    assert(root);  // at most 2048 leaves
    return *root;
}

}  // namespace

std::array<uint8_t, UNIT_DESCRIPTOR_SIZE> SerializeDescriptor(const UnitDescriptor& d)
{
    Writer w{UNIT_DESCRIPTOR_SIZE};
    w.WriteU8(d.rules_version);
    w.WriteU8(d.kind);
    w.WriteUint256(d.job_id);
    w.WriteU32(d.region);
    w.WriteU32(d.shape.m);
    w.WriteU32(d.shape.n);
    w.WriteU32(d.shape.k);
    w.WriteU32(d.noise_rank);
    w.WriteU32(d.tile);
    w.WriteI32(d.requant_multiplier);
    w.WriteI32(d.requant_shift);
    w.WriteI32(d.input_zero_point);
    w.WriteI32(d.output_zero_point);
    w.WriteI32(d.clamp_min);
    w.WriteI32(d.clamp_max);
    w.WriteU8(d.relu);
    w.WriteU8(d.maxpool);
    w.WriteUint256(d.a_root);
    w.WriteUint256(d.b_root);
    assert(w.size() == UNIT_DESCRIPTOR_SIZE);
    std::array<uint8_t, UNIT_DESCRIPTOR_SIZE> out;
    std::copy(w.data().begin(), w.data().end(), out.begin());
    return out;
}

UnitDescriptor ReadDescriptor(Reader& r)
{
    UnitDescriptor d;
    d.rules_version = r.ReadU8();
    d.kind = r.ReadU8();
    d.job_id = r.ReadUint256();
    d.region = r.ReadU32();
    d.shape.m = r.ReadU32();
    d.shape.n = r.ReadU32();
    d.shape.k = r.ReadU32();
    d.noise_rank = r.ReadU32();
    d.tile = r.ReadU32();
    d.requant_multiplier = r.ReadI32();
    d.requant_shift = r.ReadI32();
    d.input_zero_point = r.ReadI32();
    d.output_zero_point = r.ReadI32();
    d.clamp_min = r.ReadI32();
    d.clamp_max = r.ReadI32();
    d.relu = r.ReadU8();
    d.maxpool = r.ReadU8();
    d.a_root = r.ReadUint256();
    d.b_root = r.ReadUint256();
    return d;
}

Result<UnitDescriptor> ParseDescriptor(std::span<const uint8_t> bytes)
{
    if (bytes.size() != UNIT_DESCRIPTOR_SIZE) return Error{"descriptor must be " + std::to_string(UNIT_DESCRIPTOR_SIZE) + " bytes"};
    return Decode(bytes, [](Reader& r) { return ReadDescriptor(r); });
}

Result<void> ValidateDescriptor(const UnitDescriptor& d, const ShapeRules& rules)
{
    if (d.rules_version != RULES_VERSION) return BadField("rules_version");
    if (d.kind != static_cast<uint8_t>(UnitKind::FILLER) && d.kind != static_cast<uint8_t>(UnitKind::JOB)) {
        return BadField("kind");
    }
    if (!rules.IsAllowed(d.shape)) return BadField("shape");
    if (d.noise_rank != NOISE_RANK) return BadField("noise_rank");
    if (d.tile != TILE) return BadField("tile");
    if (d.relu > 1) return BadField("relu");
    if (d.maxpool > 1) return BadField("maxpool");
    if (d.clamp_min < CLAMP_LOWEST || d.clamp_min > CLAMP_HIGHEST) return BadField("clamp_min");
    if (d.clamp_max < CLAMP_LOWEST || d.clamp_max > CLAMP_HIGHEST) return BadField("clamp_max");
    if (d.clamp_min > d.clamp_max) return BadField("clamp_min");
    if (d.requant_shift < 0 || d.requant_shift > MAX_REQUANT_SHIFT) return BadField("requant_shift");
    if (d.IsFiller()) {
        if (d.requant_multiplier != 0) return BadField("requant_multiplier");
        if (d.requant_shift != 0) return BadField("requant_shift");
        if (d.input_zero_point != 0) return BadField("input_zero_point");
        if (d.output_zero_point != 0) return BadField("output_zero_point");
        if (d.clamp_min != 0 || d.clamp_max != 0) return BadField("clamp");
        if (d.relu != 0) return BadField("relu");
        if (d.maxpool != 0) return BadField("maxpool");
        if (!d.a_root.IsNull()) return BadField("a_root");
        if (!d.b_root.IsNull()) return BadField("b_root");
        if (!(d.shape == rules.FillerShape())) return BadField("shape");
    }
    return {};
}

uint256 ComputeUnitId(const UnitDescriptor& descriptor)
{
    return TaggedHash(UNIT_ID_TAG, SerializeDescriptor(descriptor));
}

Result<void> CheckUnitData(const UnitData& data)
{
    const size_t m{data.shape.m}, n{data.shape.n}, k{data.shape.k};
    if (data.a.size() != m * k) return Error{"A must have m*k entries"};
    if (data.b.size() != k * n) return Error{"B must have k*n entries"};
    const auto out_of_range = [](int8_t v) { return std::abs(int32_t{v}) > INPUT_BOUND; };
    if (std::any_of(data.a.begin(), data.a.end(), out_of_range)) return Error{"input-out-of-range: A"};
    if (std::any_of(data.b.begin(), data.b.end(), out_of_range)) return Error{"input-out-of-range: B"};
    return {};
}

uint256 ComputeARoot(const UnitData& data)
{
    const size_t k{data.shape.k};
    std::vector<std::vector<uint8_t>> leaves(data.shape.m);
    for (size_t i = 0; i < leaves.size(); ++i) {
        const auto* row = reinterpret_cast<const uint8_t*>(data.a.data() + i * k);
        leaves[i].assign(row, row + k);
    }
    return RootOfLeaves(UNIT_A_DOMAIN, leaves);
}

uint256 ComputeBRoot(const UnitData& data)
{
    const size_t k{data.shape.k}, n{data.shape.n};
    std::vector<std::vector<uint8_t>> leaves(n, std::vector<uint8_t>(k));
    for (size_t j = 0; j < k; ++j) {
        for (size_t c = 0; c < n; ++c) leaves[c][j] = static_cast<uint8_t>(data.b[j * n + c]);
    }
    return RootOfLeaves(UNIT_B_DOMAIN, leaves);
}

uint256 ComputeFillerKey(const uint256& prev_block_hash, std::span<const uint8_t, 32> miner_key, uint32_t index)
{
    Writer w{32 + 32 + 4};
    w.WriteUint256(prev_block_hash);
    w.WriteBytes(miner_key);
    w.WriteU32(index);
    return TaggedHash(FILLER_KEY_TAG, w.data());
}

UnitDescriptor MakeFillerDescriptor(const uint256& prev_block_hash, std::span<const uint8_t, 32> miner_key,
                                    uint32_t index, const ShapeRules& rules)
{
    UnitDescriptor d;
    d.kind = static_cast<uint8_t>(UnitKind::FILLER);
    d.job_id = ComputeFillerKey(prev_block_hash, miner_key, index);
    d.region = index;
    d.shape = rules.FillerShape();
    return d;
}

void FillerRow(const uint256& filler_key, uint32_t row, std::span<int8_t> out)
{
    std::vector<uint8_t> bytes(out.size());
    PrgBytes(KeyWords(filler_key), DOMAIN_FILLER_A, row, bytes);
    std::transform(bytes.begin(), bytes.end(), out.begin(), FillerValue);
}

void FillerColumn(const uint256& filler_key, uint32_t column, std::span<int8_t> out)
{
    std::vector<uint8_t> bytes(out.size());
    PrgBytes(KeyWords(filler_key), DOMAIN_FILLER_B, column, bytes);
    std::transform(bytes.begin(), bytes.end(), out.begin(), FillerValue);
}

UnitData MakeFillerData(const uint256& filler_key, const UnitShape& shape)
{
    UnitData data{shape, std::vector<int8_t>(size_t{shape.m} * shape.k), std::vector<int8_t>(size_t{shape.k} * shape.n)};
    for (uint32_t i = 0; i < shape.m; ++i) {
        FillerRow(filler_key, i, std::span{data.a}.subspan(size_t{i} * shape.k, shape.k));
    }
    std::vector<int8_t> column(shape.k);
    for (uint32_t c = 0; c < shape.n; ++c) {
        FillerColumn(filler_key, c, column);
        for (uint32_t j = 0; j < shape.k; ++j) data.b[size_t{j} * shape.n + c] = column[j];
    }
    return data;
}

TileInputs ExtractTileInputs(const UnitData& data, uint32_t tile_index)
{
    const size_t k{data.shape.k}, n{data.shape.n};
    const size_t tiles_per_row{n / TILE};
    const size_t row0{(tile_index / tiles_per_row) * TILE}, col0{(tile_index % tiles_per_row) * TILE};
    TileInputs out{data.shape.k, std::vector<int8_t>(TILE * k), std::vector<int8_t>(TILE * k)};
    std::copy_n(data.a.begin() + row0 * k, TILE * k, out.a_rows.begin());
    for (size_t c = 0; c < TILE; ++c) {
        for (size_t j = 0; j < k; ++j) out.b_cols[c * k + j] = data.b[j * n + col0 + c];
    }
    return out;
}

TileInputs FillerTileInputs(const uint256& filler_key, const UnitShape& shape, uint32_t tile_index)
{
    const uint32_t tiles_per_row{shape.n / TILE};
    const uint32_t row0{(tile_index / tiles_per_row) * TILE}, col0{(tile_index % tiles_per_row) * TILE};
    const size_t k{shape.k};
    TileInputs out{shape.k, std::vector<int8_t>(TILE * k), std::vector<int8_t>(TILE * k)};
    for (uint32_t r = 0; r < TILE; ++r) FillerRow(filler_key, row0 + r, std::span{out.a_rows}.subspan(r * k, k));
    for (uint32_t c = 0; c < TILE; ++c) FillerColumn(filler_key, col0 + c, std::span{out.b_cols}.subspan(c * k, k));
    return out;
}

}  // namespace hpips::pouw
