// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_RPC_ADDRESSES_H
#define HPIPS_WALLET_RPC_ADDRESSES_H

#include <rpc/server.h>
#include <util/result.h>

namespace hpips::wallet {

class WalletManager;

/** Registers the wallet's address-book, message and backup methods
 *  (doc/wallet.md, "Labels", "Signed messages", "Backup"): getaddressinfo,
 *  setlabel, listlabels, getaddressesbylabel, signmessage, backupwallet.
 *  Each acts on the request's wallet (WalletForRequest). `manager` must
 *  outlive the table's use. */
Result<void> RegisterWalletAddressRPCCommands(RPCTable& table, WalletManager& manager);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_RPC_ADDRESSES_H
