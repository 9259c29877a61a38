// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/ticket.h>

#include <crypto/key.h>
#include <crypto/sha256.h>
#include <util/serialize.h>

namespace hpips::pouw {

uint256 ComputeSeed(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes,
                    std::span<const uint8_t, 32> miner_key, uint64_t nonce, const uint256& unit_id)
{
    Writer w{SEED_PREIMAGE_SIZE};
    w.WriteBytes(template_bytes);
    w.WriteBytes(miner_key);
    w.WriteU64(nonce);
    w.WriteUint256(unit_id);
    return Sha256d(w.data());
}

uint256 ComputeTicket(const uint256& seed, uint32_t tile_index, std::span<const uint8_t, 32> state)
{
    Writer w{32 + 4 + 32};
    w.WriteUint256(seed);
    w.WriteU32(tile_index);
    w.WriteBytes(state);
    return Sha256Hash(w.data());
}

bool TicketWins(const uint256& ticket, const ArithUint256& target, uint32_t k)
{
    const ArithUint512 lhs{ArithUint512{UintToArith256(ticket)} * K_REF};
    const ArithUint512 rhs{ArithUint512{target} * k};
    return lhs < rhs;
}

uint32_t TemplateBits(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> t)
{
    const uint8_t* p{t.data() + TEMPLATE_BITS_OFFSET};
    return uint32_t{p[0]} | uint32_t{p[1]} << 8 | uint32_t{p[2]} << 16 | uint32_t{p[3]} << 24;
}

uint256 TemplatePrevBlock(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> t)
{
    return uint256::FromBytes(t.subspan<TEMPLATE_PREV_OFFSET, 32>());
}

TicketResult CheckTicketHeader(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes,
                               const PouwProof& proof, const ShapeRules& rules)
{
    using enum TicketFailure;
    if (!XOnlyPubKey{proof.miner_key}.IsValid()) return TicketError::Make(BAD_MINER_KEY);
    if (proof.tile_index >= rules.MaxTileCount()) return TicketError::Make(TILE_INDEX_OUT_OF_RANGE);
    const auto target = TargetFromBits(TemplateBits(template_bytes));
    if (!target) return TicketError::Make(HIGH_TICKET, "bits is not a valid target");
    const uint256 seed{ComputeSeed(template_bytes, proof.miner_key, proof.nonce, proof.unit_id)};
    const uint256 ticket{ComputeTicket(seed, proof.tile_index, proof.state)};
    if (!TicketWins(ticket, *target, K_REF)) return TicketError::Make(HIGH_TICKET);
    return {};
}

TicketResult CheckTicketHeader(const BlockHeader& header, const ShapeRules& rules)
{
    const auto template_bytes = header.SerializeTemplate();
    return CheckTicketHeader(template_bytes, header.proof, rules);
}

}  // namespace hpips::pouw
