// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_RPC_WALLET_H
#define HPIPS_WALLET_RPC_WALLET_H

#include <rpc/server.h>
#include <util/result.h>

namespace hpips::wallet {

class WalletManager;

/** Registers the wallet RPC methods (doc/wallet.md, "RPC"): wallet
 *  management (createwallet, loadwallet, unloadwallet, listwallets) and the
 *  per-wallet methods, which act on the wallet named by the /wallet/<name>
 *  endpoint, or on the only loaded wallet (-19 when several are loaded and
 *  none is named, -18 when none is). `manager` must outlive the table's use. */
Result<void> RegisterWalletRPCCommands(RPCTable& table, WalletManager& manager);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_RPC_WALLET_H
