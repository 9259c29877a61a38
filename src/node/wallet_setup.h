// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_WALLET_SETUP_H
#define HPIPS_NODE_WALLET_SETUP_H

#include <node/context.h>
#include <util/result.h>

/** The wallets at startup and shutdown (doc/wallet.md, "Node options and
 *  wiring"). */
namespace hpips {

/** Opens the wallets of -wallet= (or the startup list) with the wallet
 *  options (-keypool, -fallbackfee, -paytxfee, -txconfirmtarget,
 *  -walletnotify) and registers the wallet RPC methods; nothing with
 *  -disablewallet. Runs after the chain is loaded and before the miner
 *  starts (it may pay to a wallet). An invalid option or a wallet that does
 *  not load fails the start. */
Result<void> LoadWallets(NodeContext& node);

/** Unloads every wallet: no wallet hears of the chain after this. */
void StopWallets(NodeContext& node);

}  // namespace hpips

#endif  // HPIPS_NODE_WALLET_SETUP_H
