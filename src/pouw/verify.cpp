// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/verify.h>

#include <crypto/key.h>
#include <pouw/noise.h>
#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <pouw/unit.h>
#include <primitives/merkle.h>
#include <primitives/target.h>

#include <algorithm>

namespace hpips::pouw {
namespace {

/** Checks TILE entries against `root`: entry e must be leaf first + e of a
 *  tree of `leaf_count` leaves. */
bool EntriesVerify(std::string_view domain_name, const uint256& root, const std::vector<int8_t>& data,
                   const std::vector<MerkleProof>& proofs, uint32_t first, uint32_t leaf_count, uint32_t k)
{
    const MerkleDomain domain{domain_name};
    for (uint32_t e = 0; e < TILE; ++e) {
        const MerkleProof& proof{proofs[e]};
        if (proof.leaf_index != uint64_t{first} + e || proof.leaf_count != leaf_count) return false;
        const auto* leaf = reinterpret_cast<const uint8_t*>(data.data()) + size_t{e} * k;
        if (!VerifyMerkleProof(domain, root, domain.HashLeaf(std::span{leaf, k}), proof)) return false;
    }
    return true;
}

bool InRange(const std::vector<int8_t>& values)
{
    // No early exit: a branch-free pass the compiler vectorizes (128 KiB per side at k = 4096).
    int8_t low{0}, high{0};
    for (const int8_t v : values) {
        low = std::min(low, v);
        high = std::max(high, v);
    }
    return int32_t{low} >= -INPUT_BOUND && int32_t{high} <= INPUT_BOUND;
}

}  // namespace

TicketResult VerifyTicket(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes, const PouwProof& proof,
                          std::span<const uint8_t> opening_bytes, const ShapeRules& rules, TranscriptBackend backend)
{
    using enum TicketFailure;
    const auto fail = [](TicketFailure reason, std::string_view detail = {}) { return TicketError::Make(reason, detail); };
    // 1-2: size first (before anything is parsed or hashed), then the encoding.
    if (opening_bytes.size() > MAX_OPENING_SIZE) return fail(OPENING_TOO_LARGE);
    auto decoded = DecodeOpening(opening_bytes);
    if (!decoded) return fail(BAD_OPENING_ENCODING, decoded.error_message());
    const PouwOpening& opening{*decoded};
    const UnitDescriptor& descriptor{opening.descriptor};
    const UnitShape& shape{descriptor.shape};
    // 3-4: the unit.
    if (auto valid = ValidateDescriptor(descriptor, rules); !valid) return TicketError{BAD_DESCRIPTOR, valid.error_message()};
    if (ComputeUnitId(descriptor) != proof.unit_id) return fail(UNIT_ID_MISMATCH);
    // 5: the tile, then the miner key (the seed and the filler key bind it).
    if (proof.tile_index >= shape.TileCount()) return fail(TILE_INDEX_OUT_OF_RANGE);
    if (!XOnlyPubKey{proof.miner_key}.IsValid()) return fail(BAD_MINER_KEY);
    const uint32_t tiles_per_row{shape.n / TILE};
    const uint32_t row0{(proof.tile_index / tiles_per_row) * TILE};
    const uint32_t col0{(proof.tile_index % tiles_per_row) * TILE};
    TileInputs inputs;
    if (descriptor.IsFiller()) {
        // 6: a filler unit belongs to this parent block and this miner.
        if (descriptor.job_id != ComputeFillerKey(TemplatePrevBlock(template_bytes), proof.miner_key, descriptor.region)) {
            return fail(BAD_FILLER_KEY);
        }
        inputs = FillerTileInputs(descriptor.job_id, shape, proof.tile_index);
    } else {
        // 7-8: the tile's rows and columns are the committed ones, and in range.
        if (!EntriesVerify(UNIT_A_DOMAIN, descriptor.a_root, opening.rows, opening.row_proofs, row0, shape.m, shape.k)) {
            return fail(BAD_MERKLE_PROOF, "row");
        }
        if (!EntriesVerify(UNIT_B_DOMAIN, descriptor.b_root, opening.cols, opening.col_proofs, col0, shape.n, shape.k)) {
            return fail(BAD_MERKLE_PROOF, "column");
        }
        if (!InRange(opening.rows) || !InRange(opening.cols)) return fail(INPUT_OUT_OF_RANGE);
        inputs = TileInputs{shape.k, opening.rows, opening.cols};
    }
    // 9: recompute the tile with the fast kernel.
    const uint256 seed{ComputeSeed(template_bytes, proof.miner_key, proof.nonce, proof.unit_id)};
    const Noise noise{Noise::DrawTile(seed, shape, proof.tile_index)};
    auto state = ComputeTileTranscript(inputs, noise, proof.tile_index, backend);
    if (!state) return fail(STATE_MISMATCH, state.error_message());
    if (EncodeState(*state) != proof.state) return fail(STATE_MISMATCH);
    // 10: the ticket, weighted by the unit's k.
    const auto target = TargetFromBits(TemplateBits(template_bytes));
    if (!target) return fail(HIGH_TICKET, "bits is not a valid target");
    if (!TicketWins(ComputeTicket(seed, proof.tile_index, proof.state), *target, shape.k)) return fail(HIGH_TICKET);
    return {};
}

TicketResult VerifyTicket(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes, const PouwProof& proof,
                          std::span<const uint8_t> opening, const ShapeRules& rules)
{
    return VerifyTicket(template_bytes, proof, opening, rules, BestTranscriptBackend());
}

TicketResult VerifyTicket(const BlockHeader& header, std::span<const uint8_t> opening, const ShapeRules& rules)
{
    const auto template_bytes = header.SerializeTemplate();
    return VerifyTicket(template_bytes, header.proof, opening, rules);
}

}  // namespace hpips::pouw
