// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_MISC_CHAIN_H
#define HPIPS_RPC_MISC_CHAIN_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

#include <cstdint>
#include <optional>

/** The "util" RPC methods that need the chain's network (doc/rpc.md,
 *  "Chain methods"): validateaddress, getindexinfo, estimatesmartfee. */
namespace hpips {

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterMiscChainRPCCommands(RPCTable& table, ChainContext& context);

/** estimatesmartfee's fee rate (base units per 1000 bytes) for `conf_target`
 *  (clamped to [MIN_CONF_TARGET, MAX_CONF_TARGET]), nullopt without enough
 *  data (doc/rpc.md). Reads the last FEE_ESTIMATE_BLOCKS blocks from disk on
 *  every call (no cache): the wallet's sends (WalletChain::EstimateFeeRate). */
std::optional<int64_t> EstimateSmartFeeRate(Chainstate& chainstate, Mempool& mempool, int64_t conf_target,
                                            bool conservative);

}  // namespace hpips

#endif  // HPIPS_RPC_MISC_CHAIN_H
