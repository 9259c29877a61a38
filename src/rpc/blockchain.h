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
 *  getblockheader, getblock, getchaintips, getdifficulty, gettxout,
 *  gettxoutsetinfo, invalidateblock, reconsiderblock, waitfornewblock,
 *  waitforblock, waitforblockheight, getblockstats, getchaintxstats. The
 *  mempool methods are in rpc/mempool.h, scantxoutset in rpc/scantxoutset.h. */
namespace hpips {

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
