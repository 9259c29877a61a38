// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_POUW_CHECK_H
#define HPIPS_CONSENSUS_POUW_CHECK_H

#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>
#include <util/uint256.h>

#include <cstdint>
#include <functional>

/** Where a block's ticket is checked: the consensus side of src/pouw. */
namespace hpips {

/** The header-only part (doc/pouw.md §7): valid miner key, tile index in
 *  range, ticket under the target at the loosest weight. Cheap, so it runs
 *  before a block is stored; forgeable, so it never suffices alone. */
bool CheckBlockHeaderProof(const BlockHeader& header, const ChainParams& params, BlockValidationState& state);

/** The full check: recomputes the winning tile from the block's opening
 *  (doc/pouw.md §9). Failures are BlockFailure::POUW with the pouw reason
 *  ("state-mismatch", "high-ticket", ...), or BlockFailure::MUTATED when the
 *  opening does not match the header (opening-too-large, bad-opening-encoding,
 *  bad-descriptor, unit-id-mismatch, bad-merkle-proof). Genesis is accepted by
 *  hash and never passes through here. */
bool CheckBlockProof(const Block& block, const ChainParams& params, BlockValidationState& state);

/** CheckBlockProof without its header part, for a caller that already ran
 *  CheckBlockHeaderProof on this header (the chain, for a header it accepted
 *  before): the same failures otherwise. */
bool CheckBlockOpening(const Block& block, const ChainParams& params, BlockValidationState& state);

/** Answers whether unit `region` of job `job_id` is open at a block's
 *  parent (posted, unexpired, unsettled): the job ledger's view. */
using OpenUnitLookup = std::function<bool(const uint256& job_id, uint32_t region)>;

/** A lookup that knows no job. Until job postings are valid transactions
 *  (doc/jobs.md), no job can be open, so this is the chain's lookup. */
inline bool NoOpenUnits(const uint256& /*job_id*/, uint32_t /*region*/) { return false; }

/** Contextual part of the ticket check (it needs the chain at the block's
 *  parent): a job unit's ticket counts only for a unit of an open job
 *  (protocol.md §3), so a miner cannot mint tickets on a "job" nobody
 *  posted — for example A = B = 0 of its own making. Filler units pass.
 *  Fails with BlockFailure::CONSENSUS "bad-job-unit" ("no open job has this
 *  unit"). An opening that does not decode passes: its encoding is
 *  CheckBlockOpening's rule, and only a template checked without its proof
 *  (TestBlockValidity) reaches here with one. Cost: decoding the opening
 *  (≤ MAX_OPENING_SIZE). */
bool CheckBlockUnitIsOpen(const Block& block, const OpenUnitLookup& is_open, BlockValidationState& state);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_POUW_CHECK_H
