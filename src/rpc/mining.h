// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_MINING_H
#define HPIPS_RPC_MINING_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>

/** The "mining" and "generating" RPC methods (doc/rpc.md, "Chain methods"):
 *  getmininginfo, getnetworkhashps, generatetoaddress, generateblock,
 *  submitblock, getblocktemplate (BIP 22/23, with an HPIPS `pouw` object),
 *  and HPIPS's getworktemplate / submitwork for external miners. Every block, from any of them, goes through
 *  Chainstate::ProcessNewBlock. */
namespace hpips {

/** Default unit evaluations generatetoaddress / generateblock may spend
 *  (Core's DEFAULT_MAX_TRIES, counted in PoUW units instead of hashes). */
constexpr uint64_t DEFAULT_MAX_TRIES = 1'000'000;
/** Most blocks one generatetoaddress call mines. */
constexpr int64_t MAX_GENERATE_BLOCKS = 10'000;
/** Blocks getmininginfo averages the network rate over (Core's default). */
constexpr int64_t NETWORK_RATE_WINDOW = 120;
/** Most block templates getworktemplate remembers for submitwork; the
 *  oldest is forgotten first. */
constexpr size_t MAX_WORK_TEMPLATES = 16;

/** getblocktemplate's long poll: it answers when the tip moves, or once
 *  the mempool changed and LONGPOLL_MEMPOOL_SECONDS passed (Core's rule), and
 *  in any case after LONGPOLL_MAX_SECONDS (BIP 22 lets a server answer early;
 *  a worker thread is never held without end). Checked every
 *  CHAIN_POLL_INTERVAL (rpc/chain_util.h). */
constexpr int64_t LONGPOLL_MEMPOOL_SECONDS = 60;
constexpr int64_t LONGPOLL_MAX_SECONDS = 120;
/** Longest longpollid accepted (64 hex digits, then a decimal counter). */
constexpr size_t MAX_LONGPOLLID_LENGTH = 64 + 20;

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterMiningRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_MINING_H
