// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_POUW_CHECK_H
#define HPIPS_CONSENSUS_POUW_CHECK_H

#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>

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

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_POUW_CHECK_H
