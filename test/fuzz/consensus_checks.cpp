// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The consensus checks that need no chain state, on a transaction or a block
// decoded from the input, in the order the chainstate runs them for a block:
// ContextualCheckBlockHeader against a made-up parent, CheckBlockHeaderProof,
// CheckBlock and then (only when it passed, as the chainstate does)
// ContextualCheckBlock and the coinbase amount. For a transaction:
// CheckTransaction and finality. Every check must return what its state says,
// give a reason when it fails, and agree with the others (a valid block's
// transactions are valid, a valid transaction's outputs sum in range).
//
// Input: a mode byte, a made-up parent, then the wire form:
//   mode bit 0: a block (else a transaction)
//   mode bits 1-2: the network (% 3)
//   mode bit 3: set the header's Merkle root to the transactions' (a fuzzer
//               cannot forge SHA-256, and CheckBlock stops at the root)
//   mode bit 4: take the parent's height from the coinbase's lock time and
//               set the header's bits to what that parent requires
//   parent: height u32 (below 2^31), time u32, time minus median time past u16,
//           the node's clock minus the block's time as i16
#include <consensus/block_check.h>
#include <consensus/params.h>
#include <consensus/pouw_check.h>
#include <consensus/tx_check.h>
#include <consensus/validation_state.h>
#include <primitives/amount.h>
#include <primitives/block.h>
#include <primitives/merkle.h>
#include <primitives/transaction.h>

#include "fuzz_input.h"

#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <span>

namespace {

using hpips::fuzz::Check;

/** A check's boolean and its state agree, and a failure has a reason. */
template <typename State>
void CheckOutcome(bool ok, const State& state)
{
    Check(ok == state.IsValid());
    if (!ok) Check(!state.GetReason().empty());
}

void CheckTx(const hpips::Transaction& tx, int64_t height, int64_t median_time_past)
{
    using namespace hpips;
    TxValidationState state;
    const bool ok{CheckTransaction(tx, state)};
    CheckOutcome(ok, state);
    if (ok) {
        Check(!tx.inputs().empty() && !tx.outputs().empty());
        Check(tx.GetTotalSize() <= MAX_TX_SIZE);
        Amount total{0};
        for (const TxOut& out : tx.outputs()) {
            const auto sum{CheckedMoneyAdd(total, out.amount)};
            Check(sum.has_value());
            total = *sum;
        }
        std::set<std::pair<uint256, uint32_t>> spent;
        for (const TxIn& in : tx.inputs()) Check(spent.emplace(in.prevout.txid, in.prevout.index).second);
        // Checks are pure: the same answer twice.
        TxValidationState again;
        Check(CheckTransaction(tx, again));
    }
    (void)IsFinalTx(tx, height, median_time_past);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    fuzz::FuzzInput in{std::span<const uint8_t>{data, size}};
    const uint8_t mode{in.U8()};
    static constexpr Network NETWORKS[3]{Network::MAIN, Network::TEST, Network::REGTEST};
    const ChainParams& params{Params(NETWORKS[(mode >> 1) % 3])};
    ParentInfo parent;
    parent.height = in.U32() & 0x7fffffff;
    parent.time = in.U32();
    parent.median_time_past = int64_t{parent.time} - in.U16();
    const int64_t clock_offset{static_cast<int16_t>(in.U16())};
    const auto wire{in.Rest()};

    if ((mode & 1) == 0) {
        const auto tx{DecodeTransaction(wire)};
        if (tx) CheckTx(*tx, parent.height + 1, parent.median_time_past);
        return 0;
    }

    // The header alone, as headers-first sync checks it before any body arrives.
    if (wire.size() >= BLOCK_HEADER_SIZE) {
        if (const auto header = DecodeBlockHeader(wire.first(BLOCK_HEADER_SIZE))) {
            BlockValidationState state;
            CheckOutcome(CheckBlockHeaderProof(*header, params, state), state);
        }
    }
    auto decoded{DecodeBlock(wire)};
    if (!decoded) return 0;
    Block& block{*decoded};
    Check(BlockSerializedSize(block) == wire.size());
    if ((mode & 8) != 0) block.header.merkle_root = BlockMerkleRoot(block.txs);
    if ((mode & 16) != 0 && !block.txs.empty()) {
        // Heights stay below 2^31, as a real chain's do.
        parent.height = std::clamp<int64_t>(int64_t{block.txs[0].lock_time()} - 1, 0, 0x7fffffff);
        block.header.bits = NextWorkRequired(params, parent.height, parent.time);
    }
    const int64_t adjusted_now{int64_t{block.header.time} + clock_offset};

    BlockValidationState header_state;
    CheckOutcome(ContextualCheckBlockHeader(block.header, parent, params, adjusted_now, header_state), header_state);
    BlockValidationState proof_state;
    CheckOutcome(CheckBlockHeaderProof(block.header, params, proof_state), proof_state);

    BlockValidationState state;
    const bool ok{CheckBlock(block, state)};
    CheckOutcome(ok, state);
    for (const Transaction& tx : block.txs) CheckTx(tx, parent.height + 1, parent.median_time_past);
    if (!ok) return 0;

    Check(!block.txs.empty() && block.txs[0].IsCoinbase());
    Check(BlockSerializedSize(block) <= MAX_BLOCK_SIZE && block.opening.size() <= MAX_OPENING_SIZE);
    for (size_t i = 1; i < block.txs.size(); ++i) Check(!block.txs[i].IsCoinbase());
    for (const Transaction& tx : block.txs) {
        TxValidationState tx_state;
        Check(CheckTransaction(tx, tx_state));
    }
    BlockValidationState contextual_state;
    const bool contextual{ContextualCheckBlock(block, parent, contextual_state)};
    CheckOutcome(contextual, contextual_state);
    if (contextual) Check(int64_t{block.txs[0].lock_time()} == parent.height + 1);
    BlockValidationState amount_state;
    CheckOutcome(CheckCoinbaseAmount(block.txs[0], parent.height + 1, 0, amount_state), amount_state);
    return 0;
}
