// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_MISC_CHAIN_H
#define HPIPS_RPC_MISC_CHAIN_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

/** The "util" RPC methods that need the chain's network (doc/rpc.md,
 *  "Chain methods"): validateaddress, verifymessage, signmessagewithprivkey,
 *  getindexinfo, estimatesmartfee. */
namespace hpips {

/** Registers the methods above in `table`; they keep a pointer to
 *  `context`, which must outlive the table's use. Fails if a name is taken. */
Result<void> RegisterMiscChainRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_MISC_CHAIN_H
