// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_RPC_WALLET_H
#define HPIPS_WALLET_RPC_WALLET_H

#include <rpc/server.h>
#include <util/result.h>

#include <memory>

namespace hpips::wallet {

class Wallet;
class WalletManager;

/** The wallet a per-wallet request is for: the one the /wallet/<name>
 *  endpoint names, else the only loaded one (-19 when several are loaded
 *  and none is named, -18 when none is). Shared by the wallet RPC files. */
std::shared_ptr<Wallet> WalletForRequest(WalletManager& manager, const RPCRequest& request);

/** Registers the spending methods (rpc_send.cpp, doc/wallet.md "Sending"):
 *  sendtoaddress, sendmany, settxfee, fundrawtransaction,
 *  signrawtransactionwithwallet, abandontransaction, bumpfee. Called by
 *  RegisterWalletRPCCommands. */
Result<void> RegisterWalletSendRPCCommands(RPCTable& table, WalletManager& manager);

/** Registers the wallet RPC methods (doc/wallet.md, "RPC"): wallet
 *  management (createwallet, loadwallet, unloadwallet, listwallets) and the
 *  per-wallet methods, which act on the wallet named by the /wallet/<name>
 *  endpoint, or on the only loaded wallet (-19 when several are loaded and
 *  none is named, -18 when none is). `manager` must outlive the table's use. */
Result<void> RegisterWalletRPCCommands(RPCTable& table, WalletManager& manager);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_RPC_WALLET_H
