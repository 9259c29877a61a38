// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/block_assembler.h>

#include <consensus/params.h>
#include <primitives/merkle.h>

#include <algorithm>

namespace hpips {

Transaction MakeCoinbase(int64_t height, Amount fees, const Destination& payout, uint64_t extra_nonce)
{
    MutableTransaction coinbase;
    TxIn in;  // the null outpoint
    in.witness.resize(COINBASE_EXTRA_NONCE_SIZE);
    for (size_t i = 0; i < COINBASE_EXTRA_NONCE_SIZE; ++i) in.witness[i] = static_cast<uint8_t>(extra_nonce >> (8 * i));
    coinbase.inputs.push_back(std::move(in));
    coinbase.outputs.push_back(TxOut{BlockSubsidy(height) + fees, payout});
    coinbase.lock_time = static_cast<uint32_t>(height);
    return Transaction{std::move(coinbase)};
}

void UpdateMerkleRoot(Block& block) { block.header.merkle_root = BlockMerkleRoot(block.txs); }

Result<BlockTemplate> CreateBlockTemplate(const Chainstate& chainstate, const Destination& payout,
                                          std::span<const Transaction> txs, Amount fees, int64_t now,
                                          uint64_t extra_nonce)
{
    if (!payout.IsKey()) return Error{"the payout must be a key destination (its key signs the proof)"};
    const auto context = chainstate.GetNextBlockContext();
    BlockTemplate tmpl;
    tmpl.height = context.height;
    tmpl.fees = fees;
    tmpl.block.txs.reserve(txs.size() + 1);
    tmpl.block.txs.push_back(MakeCoinbase(context.height, fees, payout, extra_nonce));
    tmpl.block.txs.insert(tmpl.block.txs.end(), txs.begin(), txs.end());
    BlockHeader& header = tmpl.block.header;
    header.version = 1;
    header.prev_block = context.prev_hash;
    header.time = static_cast<uint32_t>(std::max(now, context.min_time));
    header.bits = context.bits;
    std::copy(payout.payload.begin(), payout.payload.end(), header.proof.miner_key.begin());
    UpdateMerkleRoot(tmpl.block);
    return tmpl;
}

}  // namespace hpips
