// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/block_check.h>

#include <consensus/tx_check.h>
#include <primitives/merkle.h>
#include <util/serialize.h>

#include <algorithm>
#include <vector>

namespace hpips {
namespace {

size_t CompactSizeLength(uint64_t v)
{
    if (v <= COMPACT_SIZE_MAX_ONE_BYTE) return 1;
    if (v <= 0xffff) return 3;
    if (v <= 0xffffffff) return 5;
    return 9;
}

}  // namespace

size_t BlockSerializedSize(const Block& block)
{
    size_t size = BLOCK_HEADER_SIZE + CompactSizeLength(block.txs.size());
    for (const auto& tx : block.txs) size += tx.GetTotalSize();
    return size + CompactSizeLength(block.opening.size()) + block.opening.size();
}

bool CheckBlock(const Block& block, BlockValidationState& state)
{
    // Size first: nothing else may cost work proportional to an oversized
    // block. Both failures are MUTATED: a relayer can empty or pad an honest
    // block's body (the opening is not under the Merkle root at all), so they
    // say nothing about the header and must not be remembered against it.
    if (block.txs.empty() || block.txs.size() > MAX_BLOCK_TXS || BlockSerializedSize(block) > MAX_BLOCK_SIZE) {
        return state.Invalid(BlockFailure::MUTATED, "bad-blk-length");
    }
    if (block.opening.size() > MAX_OPENING_SIZE) {
        return state.Invalid(BlockFailure::MUTATED, "bad-opening-size");
    }
    if (BlockMerkleRoot(block.txs) != block.header.merkle_root) {
        return state.Invalid(BlockFailure::MUTATED, "bad-txnmrklroot", "hashMerkleRoot mismatch");
    }
    if (!block.txs[0].IsCoinbase()) return state.Invalid(BlockFailure::CONSENSUS, "bad-cb-missing");
    for (size_t i = 1; i < block.txs.size(); ++i) {
        if (block.txs[i].IsCoinbase()) return state.Invalid(BlockFailure::CONSENSUS, "bad-cb-multiple");
    }
    for (const auto& tx : block.txs) {
        TxValidationState tx_state;
        if (!CheckTransaction(tx, tx_state)) {
            return state.Invalid(BlockFailure::CONSENSUS, tx_state.GetReason(),
                                 "transaction " + tx.GetTxid().GetHex() + " failed");
        }
    }
    return true;
}

bool ContextualCheckBlockHeader(const BlockHeader& header, const ParentInfo& parent, const ChainParams& params,
                                int64_t adjusted_now, BlockValidationState& state)
{
    if (header.version < 1) return state.Invalid(BlockFailure::CONSENSUS, "bad-version");
    if (header.bits != NextWorkRequired(params, parent.height, parent.time)) {
        return state.Invalid(BlockFailure::CONSENSUS, "bad-diffbits", "incorrect proof of work target");
    }
    if (int64_t{header.time} <= parent.median_time_past) {
        return state.Invalid(BlockFailure::CONSENSUS, "time-too-old", "block's timestamp is too early");
    }
    if (int64_t{header.time} > adjusted_now + MAX_FUTURE_BLOCK_TIME) {
        return state.Invalid(BlockFailure::TIME_FUTURE, "time-too-new", "block timestamp too far in the future");
    }
    return true;
}

bool IsFinalTx(const Transaction& tx, int64_t height, int64_t lock_time_cutoff)
{
    const uint32_t lock_time = tx.lock_time();
    if (lock_time == 0) return true;
    const int64_t limit = lock_time < LOCKTIME_THRESHOLD ? height : lock_time_cutoff;
    if (int64_t{lock_time} < limit) return true;
    return std::all_of(tx.inputs().begin(), tx.inputs().end(),
                       [](const TxIn& in) { return in.sequence == SEQUENCE_FINAL; });
}

bool ContextualCheckBlock(const Block& block, const ParentInfo& parent, BlockValidationState& state)
{
    const int64_t height = parent.height + 1;
    for (size_t i = 1; i < block.txs.size(); ++i) {
        if (!IsFinalTx(block.txs[i], height, parent.median_time_past)) {
            return state.Invalid(BlockFailure::CONSENSUS, "bad-txns-nonfinal", "non-final transaction");
        }
    }
    if (int64_t{block.txs[0].lock_time()} != height) {
        return state.Invalid(BlockFailure::CONSENSUS, "bad-cb-height", "block height mismatch in coinbase");
    }
    return true;
}

bool CheckCoinbaseAmount(const Transaction& coinbase, int64_t height, Amount fees, BlockValidationState& state)
{
    Amount claimed = 0;
    for (const auto& out : coinbase.outputs()) claimed += out.amount;  // each in MoneyRange, sum checked by CheckTransaction
    const auto allowed = CheckedMoneyAdd(BlockSubsidy(height), fees);
    if (!allowed || claimed > *allowed) {
        return state.Invalid(BlockFailure::CONSENSUS, "bad-cb-amount", "coinbase pays too much");
    }
    return true;
}

int64_t MedianTime(std::span<const uint32_t> times)
{
    if (times.empty()) return 0;
    std::vector<uint32_t> sorted(times.begin(), times.end());
    std::sort(sorted.begin(), sorted.end());
    return sorted[sorted.size() / 2];
}

}  // namespace hpips
