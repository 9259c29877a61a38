// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_BLOCK_CHECK_H
#define HPIPS_CONSENSUS_BLOCK_CHECK_H

#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>

#include <cstdint>
#include <span>

/** Block rules (doc/consensus.md, "Blocks"). Pure functions: the caller
 *  supplies whatever context a rule needs (the parent's height and times,
 *  the node's clock). Spending rules live with ConnectBlock in src/chain. */
namespace hpips {

/** What a header's contextual checks need to know about its parent. */
struct ParentInfo {
    int64_t height{0};
    uint32_t time{0};
    /** Median of the times of the parent and up to 10 of its ancestors. */
    int64_t median_time_past{0};
};

/** Serialized size of a block (header, transactions, opening), computed
 *  from cached transaction sizes without serializing anything. */
size_t BlockSerializedSize(const Block& block);

/** Context-free block checks, cheapest first: size within MAX_BLOCK_SIZE
 *  (before any hashing), opening within MAX_OPENING_SIZE, the Merkle root —
 *  these three fail as BlockFailure::MUTATED: the body, not the header, is
 *  wrong, so the hash must not be remembered as invalid — then exactly one
 *  coinbase and it first, every transaction's CheckTransaction. The proof of useful work
 *  is checked separately (CheckBlockProof). */
bool CheckBlock(const Block& block, BlockValidationState& state);

/** Header rules that need the parent: version, `bits` equal to
 *  NextWorkRequired, time above the parent's median time past, and at most
 *  MAX_FUTURE_BLOCK_TIME ahead of `adjusted_now` (a block too far ahead is
 *  BlockFailure::TIME_FUTURE: it may become valid, so it is not cached). */
bool ContextualCheckBlockHeader(const BlockHeader& header, const ParentInfo& parent, const ChainParams& params,
                                int64_t adjusted_now, BlockValidationState& state);

/** Body rules that need the height: every transaction final at the block's
 *  height and the parent's median time past, and the coinbase committing to
 *  the height (its lock time equals the height, which also makes every
 *  coinbase's txid unique). */
bool ContextualCheckBlock(const Block& block, const ParentInfo& parent, BlockValidationState& state);

/** Bitcoin's lock-time rule: final when lock_time is 0, below the height
 *  (values < LOCKTIME_THRESHOLD) or below the time (larger values), or when
 *  every input's sequence is SEQUENCE_FINAL. Not applied to coinbases, whose
 *  lock time is their height. */
bool IsFinalTx(const Transaction& tx, int64_t height, int64_t lock_time_cutoff);

/** Lock times below this are heights, at or above it Unix times. */
constexpr uint32_t LOCKTIME_THRESHOLD = 500'000'000;

/** The coinbase may claim at most the subsidy plus the block's fees. */
bool CheckCoinbaseAmount(const Transaction& coinbase, int64_t height, Amount fees, BlockValidationState& state);

/** The median of the given block times (up to MEDIAN_TIME_SPAN of them). */
int64_t MedianTime(std::span<const uint32_t> times);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_BLOCK_CHECK_H
