// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_MEMPOOL_H
#define HPIPS_RPC_MEMPOOL_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

#include <cstddef>

/** The mempool RPC methods, as Bitcoin Core names and shapes them (doc/rpc.md,
 *  "Chain methods"): getmempoolinfo, getrawmempool, getmempoolentry,
 *  getmempoolancestors, getmempooldescendants, prioritisetransaction and
 *  getprioritisedtransactions. Fees shown as "modified" (and the ancestor /
 *  descendant sums) include prioritisetransaction's deltas. */
namespace hpips {

/** Most pool transactions an ancestor or descendant walk of getrawmempool /
 *  getmempoolentry visits per entry; counts and sizes stop growing there
 *  (the pool has no package limits, so a long chain could otherwise make
 *  verbose listings quadratic). */
constexpr size_t MAX_MEMPOOL_PACKAGE_WALK = 10'000;

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterMempoolRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_MEMPOOL_H
