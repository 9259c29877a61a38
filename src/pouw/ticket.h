// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TICKET_H
#define HPIPS_POUW_TICKET_H

#include <pouw/params.h>
#include <pouw/ticket_error.h>
#include <primitives/block.h>
#include <primitives/target.h>
#include <util/result.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>

/** Seed, ticket and target (doc/pouw.md §3, §7) and the cheap header check. */
namespace hpips::pouw {

/** Size of the bytes the seed hashes: template ‖ miner key ‖ nonce ‖ U. */
constexpr size_t SEED_PREIMAGE_SIZE{BLOCK_HEADER_TEMPLATE_SIZE + 32 + 8 + 32};
static_assert(SEED_PREIMAGE_SIZE == 148);
/** Offset of `bits` and of `prev_block` within the 76 template bytes. */
constexpr size_t TEMPLATE_BITS_OFFSET{72};
constexpr size_t TEMPLATE_PREV_OFFSET{4};

/** σ = SHA256d(template ‖ miner_key ‖ nonce u64 LE ‖ U). */
uint256 ComputeSeed(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes,
                    std::span<const uint8_t, 32> miner_key, uint64_t nonce, const uint256& unit_id);

/** ticket = SHA256(σ ‖ tile_index u32 LE ‖ state); read as a number with byte 0 least significant. */
uint256 ComputeTicket(const uint256& seed, uint32_t tile_index, std::span<const uint8_t, 32> state);

/** True when ticket · K_REF < target · k (computed in 512 bits): the tile wins
 *  with a chance proportional to its work 64·64·k. */
bool TicketWins(const uint256& ticket, const ArithUint256& target, uint32_t k);

/** The `bits` field of 76 template bytes. */
uint32_t TemplateBits(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes);
/** The `prev_block` field of 76 template bytes. */
uint256 TemplatePrevBlock(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes);

/** The header-only check (§7): a valid x-only miner key ("bad-miner-key"), a
 *  tile index below rules.MaxTileCount() ("tile-index-out-of-range"), and a
 *  ticket winning at the loosest k = K_REF ("high-ticket", also when `bits`
 *  is not a valid target). Cheap, but forgeable: it does not recompute the
 *  transcript. */
TicketResult CheckTicketHeader(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes,
                               const PouwProof& proof, const ShapeRules& rules);
/** CheckTicketHeader on a header's template and proof. */
TicketResult CheckTicketHeader(const BlockHeader& header, const ShapeRules& rules);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_TICKET_H
