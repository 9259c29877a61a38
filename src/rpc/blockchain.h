// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_BLOCKCHAIN_H
#define HPIPS_RPC_BLOCKCHAIN_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>

/** The "blockchain" RPC methods, as Bitcoin Core 25 names and shapes them
 *  (doc/rpc.md, "Chain methods", lists every field and deviation):
 *  getblockchaininfo, getblockcount, getbestblockhash, getblockhash,
 *  getblockheader, getblock, getchaintips, getdifficulty, getmempoolinfo,
 *  getrawmempool, getmempoolentry, gettxout, gettxoutsetinfo,
 *  invalidateblock, reconsiderblock, getmempoolancestors,
 *  getmempooldescendants, waitfornewblock, waitforblock, waitforblockheight,
 *  getblockstats, getchaintxstats. */
namespace hpips {

/** Most pool transactions an ancestor or descendant walk of getrawmempool /
 *  getmempoolentry visits per entry; counts and sizes stop growing there
 *  (the pool has no package limits, so a long chain could otherwise make
 *  verbose listings quadratic). */
constexpr size_t MAX_MEMPOOL_PACKAGE_WALK = 10'000;

/** Longest a waitfornewblock / waitforblock / waitforblockheight call holds
 *  its worker thread (ms): a timeout of 0 ("none" in Core) or above means
 *  this, and the call then returns the current tip. */
constexpr int64_t MAX_BLOCK_WAIT_MS = 10 * 60 * 1000;
/** getchaintxstats' default window: one month of blocks (Core's default). */
constexpr int64_t CHAIN_TX_STATS_DEFAULT_SECONDS = 30 * 24 * 60 * 60;

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterBlockchainRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_BLOCKCHAIN_H
