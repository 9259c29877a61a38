// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/opening.h>

#include <primitives/block.h>
#include <util/serialize.h>

#include <string>

namespace hpips::pouw {
namespace {

/** Reads TILE entries of k bytes and a proof each, appending the bytes to `data`. */
void ReadEntries(Reader& r, uint32_t k, std::vector<int8_t>& data, std::vector<MerkleProof>& proofs)
{
    data.reserve(size_t{TILE} * k);
    proofs.reserve(TILE);
    for (uint32_t e = 0; e < TILE; ++e) {
        const auto bytes = r.ReadBytes(k);
        data.insert(data.end(), bytes.begin(), bytes.end());
        proofs.push_back(ReadMerkleProof(r));
    }
}

void WriteEntries(Writer& w, const std::vector<int8_t>& data, const std::vector<MerkleProof>& proofs)
{
    const size_t k{proofs.empty() ? 0 : data.size() / proofs.size()};
    for (size_t e = 0; e < proofs.size(); ++e) {
        w.WriteBytes(std::span{reinterpret_cast<const uint8_t*>(data.data()) + e * k, k});
        WriteMerkleProof(w, proofs[e]);
    }
}

std::vector<uint256> LeafHashes(const MerkleDomain& domain, const std::vector<std::vector<uint8_t>>& leaves)
{
    std::vector<uint256> out;
    out.reserve(leaves.size());
    for (const auto& leaf : leaves) out.push_back(domain.HashLeaf(leaf));
    return out;
}

}  // namespace

std::vector<uint8_t> EncodeOpening(const PouwOpening& opening)
{
    Writer w{UNIT_DESCRIPTOR_SIZE + opening.rows.size() + opening.cols.size()};
    w.WriteBytes(SerializeDescriptor(opening.descriptor));
    if (!opening.descriptor.IsFiller()) {
        WriteEntries(w, opening.rows, opening.row_proofs);
        WriteEntries(w, opening.cols, opening.col_proofs);
    }
    return w.Take();
}

Result<PouwOpening> DecodeOpening(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_OPENING_SIZE) return Error{"opening-too-large"};
    auto decoded = Decode(bytes, [](Reader& r) {
        PouwOpening opening;
        opening.descriptor = ReadDescriptor(r);
        if (!opening.descriptor.IsFiller()) {
            const uint32_t k{opening.descriptor.shape.k};
            // Both blocks of entries need at least 2·TILE·k bytes: refuse a
            // larger k before reserving anything for it.
            if (k == 0 || uint64_t{k} * 2 * TILE > r.Remaining()) throw SerializeError{"truncated"};
            ReadEntries(r, k, opening.rows, opening.row_proofs);
            ReadEntries(r, k, opening.cols, opening.col_proofs);
        }
        return opening;
    });
    if (!decoded) return Error{"bad-opening-encoding: " + decoded.error_message()};
    return decoded;
}

Result<PouwOpening> MakeJobOpening(const UnitDescriptor& descriptor, const UnitData& data, uint32_t tile_index)
{
    const UnitShape& shape{descriptor.shape};
    if (!(data.shape == shape) || data.a.size() != size_t{shape.m} * shape.k ||
        data.b.size() != size_t{shape.k} * shape.n) {
        return Error{"unit data does not match the descriptor's shape"};
    }
    if (shape.m % TILE != 0 || shape.n % TILE != 0 || tile_index >= shape.TileCount()) {
        return Error{"tile index out of range"};
    }
    const size_t k{shape.k}, n{shape.n};
    std::vector<std::vector<uint8_t>> a_leaves(shape.m), b_leaves(shape.n, std::vector<uint8_t>(k));
    for (size_t i = 0; i < shape.m; ++i) {
        const auto* row = reinterpret_cast<const uint8_t*>(data.a.data()) + i * k;
        a_leaves[i].assign(row, row + k);
    }
    for (size_t j = 0; j < k; ++j) {
        for (size_t c = 0; c < n; ++c) b_leaves[c][j] = static_cast<uint8_t>(data.b[j * n + c]);
    }
    const MerkleDomain a_domain{UNIT_A_DOMAIN}, b_domain{UNIT_B_DOMAIN};
    const auto a_hashes = LeafHashes(a_domain, a_leaves);
    const auto b_hashes = LeafHashes(b_domain, b_leaves);
    auto a_root = ComputeMerkleRoot(a_domain, a_hashes);
    auto b_root = ComputeMerkleRoot(b_domain, b_hashes);
    if (!a_root || !b_root || *a_root != descriptor.a_root || *b_root != descriptor.b_root) {
        return Error{"unit data does not match the descriptor's roots"};
    }
    const TileInputs inputs{ExtractTileInputs(data, tile_index)};
    PouwOpening opening{descriptor, inputs.a_rows, {}, inputs.b_cols, {}};
    const uint32_t tiles_per_row{shape.n / TILE};
    const uint32_t row0{(tile_index / tiles_per_row) * TILE}, col0{(tile_index % tiles_per_row) * TILE};
    for (uint32_t e = 0; e < TILE; ++e) {
        auto row_proof = BuildMerkleProof(a_domain, a_hashes, row0 + e);
        auto col_proof = BuildMerkleProof(b_domain, b_hashes, col0 + e);
        if (!row_proof || !col_proof) return Error{"cannot build Merkle proofs"};
        opening.row_proofs.push_back(std::move(*row_proof));
        opening.col_proofs.push_back(std::move(*col_proof));
    }
    return opening;
}

PouwOpening MakeFillerOpening(const UnitDescriptor& descriptor) { return PouwOpening{descriptor, {}, {}, {}, {}}; }

}  // namespace hpips::pouw
