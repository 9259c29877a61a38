// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_OPENING_H
#define HPIPS_POUW_OPENING_H

#include <pouw/unit.h>
#include <primitives/merkle.h>
#include <util/result.h>

#include <cstdint>
#include <span>
#include <vector>

/** The opening a block carries so every node can recompute its winning tile
 *  (doc/pouw.md §8):
 *    descriptor (148 bytes)
 *    job units only, no counts or length prefixes (k comes from the descriptor):
 *      64 × (k bytes of A row 64·ti + r ‖ Merkle proof)
 *      64 × (k bytes of B column 64·tj + c ‖ Merkle proof)
 *  Merkle proofs use WriteMerkleProof's encoding. A descriptor whose kind is
 *  not 0 (filler) is followed by the rows and columns. */
namespace hpips::pouw {

/** A decoded opening. For filler units the vectors are empty. */
struct PouwOpening {
    UnitDescriptor descriptor;
    /** TILE rows of A, k bytes each, row-major. */
    std::vector<int8_t> rows;
    std::vector<MerkleProof> row_proofs;
    /** TILE columns of B, k bytes each, column c contiguous. */
    std::vector<int8_t> cols;
    std::vector<MerkleProof> col_proofs;

    friend bool operator==(const PouwOpening&, const PouwOpening&) = default;
};

/** The wire form. */
std::vector<uint8_t> EncodeOpening(const PouwOpening& opening);

/** Decodes an opening. An input larger than MAX_OPENING_SIZE is refused with
 *  "opening-too-large" before any byte is read; any malformed input gives
 *  "bad-opening-encoding: <why>". Never allocates more than the input could hold. */
Result<PouwOpening> DecodeOpening(std::span<const uint8_t> bytes);

/** The opening of tile `tile_index` of a job unit whose data is `data` (with
 *  the Merkle proofs against the descriptor's roots). Errors: data not
 *  matching the descriptor's shape or roots, or a tile out of range. */
Result<PouwOpening> MakeJobOpening(const UnitDescriptor& descriptor, const UnitData& data, uint32_t tile_index);

/** The opening of a filler unit: the descriptor alone. */
PouwOpening MakeFillerOpening(const UnitDescriptor& descriptor);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_OPENING_H
