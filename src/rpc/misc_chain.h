// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_MISC_CHAIN_H
#define HPIPS_RPC_MISC_CHAIN_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <util/uint256.h>

#include <cstdint>
#include <optional>
#include <vector>

/** The "util" RPC methods that need the chain's network (doc/rpc.md,
 *  "Chain methods"): validateaddress, verifymessage, signmessagewithprivkey,
 *  getindexinfo, estimatesmartfee. */
namespace hpips {

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterMiscChainRPCCommands(RPCTable& table, ChainContext& context);

/** The fee rates of the transactions confirmed in the last
 *  FEE_ESTIMATE_BLOCKS blocks, kept for the tip they were read at so that
 *  repeated estimates read the blocks once per tip. Thread-safe. */
struct FeeSampleCache {
    Mutex mutex;
    uint256 tip GUARDED_BY(mutex);
    bool valid GUARDED_BY(mutex){false};
    std::vector<int64_t> rates GUARDED_BY(mutex);
};

/** estimatesmartfee's fee rate (base units per 1000 bytes) for `conf_target`
 *  (clamped to [MIN_CONF_TARGET, MAX_CONF_TARGET]), nullopt without enough
 *  data (doc/rpc.md): the wallet's sends (WalletChain::EstimateFeeRate).
 *  Reads the last FEE_ESTIMATE_BLOCKS blocks from disk when `cache` holds
 *  another tip; no lock is held while reading. */
std::optional<int64_t> EstimateSmartFeeRate(Chainstate& chainstate, Mempool& mempool, int64_t conf_target,
                                            bool conservative, FeeSampleCache& cache);

}  // namespace hpips

#endif  // HPIPS_RPC_MISC_CHAIN_H
