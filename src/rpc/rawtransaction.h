// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_RAWTRANSACTION_H
#define HPIPS_RPC_RAWTRANSACTION_H

#include <primitives/amount.h>
#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

#include <cstddef>

/** The "rawtransactions" RPC methods, as Bitcoin Core 25 names and shapes
 *  them (doc/rpc.md, "Chain methods"): getrawtransaction,
 *  decoderawtransaction, createrawtransaction, signrawtransactionwithkey,
 *  sendrawtransaction, testmempoolaccept. */
namespace hpips {

/** Default maxfeerate of sendrawtransaction and testmempoolaccept, in base
 *  units per 1000 bytes: 0.10 coins/kvB, as Core. */
constexpr Amount DEFAULT_MAX_RAW_TX_FEE_RATE = COIN / 10;
/** Most transactions one testmempoolaccept call takes (Core's package limit). */
constexpr size_t MAX_TESTMEMPOOLACCEPT_TXS = 25;
/** Most private keys, and most prevtxs entries, signrawtransactionwithkey takes. */
constexpr size_t MAX_SIGNING_ITEMS = 10'000;

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterRawTransactionRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_RAWTRANSACTION_H
