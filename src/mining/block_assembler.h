// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_BLOCK_ASSEMBLER_H
#define HPIPS_MINING_BLOCK_ASSEMBLER_H

#include <chain/chainstate.h>
#include <primitives/block.h>
#include <primitives/destination.h>
#include <util/result.h>

#include <cstdint>
#include <span>
#include <vector>

/** Building the next block on the tip: coinbase, transactions, header
 *  template. The proof comes from MineBlock (miner.h). */
namespace hpips {

/** A block ready to mine: every field but the PoUW proof and opening. */
struct BlockTemplate {
    Block block;
    int64_t height{0};
    Amount fees{0};
};

/** Bytes of coinbase witness a template carries (an extra nonce, so two
 *  templates for the same payee and height differ if the caller wants). */
constexpr size_t COINBASE_EXTRA_NONCE_SIZE = 8;

/** The coinbase for `height` paying subsidy + `fees` to `payout`; its lock
 *  time commits to the height (consensus requires it). */
Transaction MakeCoinbase(int64_t height, Amount fees, const Destination& payout, uint64_t extra_nonce = 0);

/** A template on the chainstate's tip: the coinbase paying `payout`, then
 *  `txs` in the given order with their `fees` summed by the caller (the
 *  mempool selects them; generateblock passes its own), time =
 *  max(now, median time past + 1), bits as consensus requires. The payout
 *  must be a KEY destination: its key is also the miner key of the proof. */
Result<BlockTemplate> CreateBlockTemplate(const Chainstate& chainstate, const Destination& payout,
                                          std::span<const Transaction> txs, Amount fees, int64_t now,
                                          uint64_t extra_nonce = 0);

/** Recomputes the header's Merkle root after the caller changed `txs`. */
void UpdateMerkleRoot(Block& block);

}  // namespace hpips

#endif  // HPIPS_MINING_BLOCK_ASSEMBLER_H
