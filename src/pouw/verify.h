// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_VERIFY_H
#define HPIPS_POUW_VERIFY_H

#include <pouw/params.h>
#include <pouw/ticket_error.h>
#include <pouw/transcript.h>
#include <primitives/block.h>
#include <util/result.h>

#include <cstdint>
#include <span>
#include <string>

/** Full verification of a block's proof of useful work (doc/pouw.md §9):
 *  decode the opening, check the unit and the Merkle proofs, recompute the
 *  winning tile's transcript with the fast kernel and check the ticket. */
namespace hpips::pouw {

/** Verifies `proof` with its `opening` under the header template (76 bytes:
 *  it supplies prev_block and bits). On failure the error's class is the
 *  reason of §9 (TicketFailure, in check order: opening-too-large,
 *  bad-opening-encoding, bad-descriptor, unit-id-mismatch,
 *  tile-index-out-of-range, bad-miner-key, bad-filler-key, bad-merkle-proof,
 *  input-out-of-range, state-mismatch, high-ticket) and its message the
 *  reason optionally followed by ": " and a detail. An oversized opening is
 *  refused before it is parsed or hashed.
 *  Cost: one tile (64·64·k MACs) plus hashing the opening; thread-safe. */
TicketResult VerifyTicket(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes, const PouwProof& proof,
                          std::span<const uint8_t> opening, const ShapeRules& rules);
/** VerifyTicket with an explicit transcript backend (tests, benchmarks). */
TicketResult VerifyTicket(std::span<const uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes, const PouwProof& proof,
                          std::span<const uint8_t> opening, const ShapeRules& rules, TranscriptBackend backend);
/** VerifyTicket on a header and the block's opening. */
TicketResult VerifyTicket(const BlockHeader& header, std::span<const uint8_t> opening, const ShapeRules& rules);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_VERIFY_H
