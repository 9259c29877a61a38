// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/wallet_setup.h>

#include <node/notify.h>
#include <node/wallet_chain.h>
#include <primitives/amount_format.h>
#include <util/logging.h>
#include <util/strencodings.h>
#include <wallet/rpc_wallet.h>
#include <wallet/wallet_manager.h>

#include <memory>
#include <string>
#include <vector>

namespace hpips {

namespace {

/** Parses a fee rate option in coins per 1000 bytes (-paytxfee, -fallbackfee). */
Result<wallet::WalletFeeRate> FeeRateOption(const Settings& args, std::string_view name, wallet::WalletFeeRate fallback)
{
    if (!args.IsSet(name)) return fallback;
    const std::string text = args.GetArg(name, "");
    auto amount = ParseMoney(text);
    if (!amount || *amount > wallet::MAX_WALLET_FEE_RATE) {
        return Error{"Invalid amount for -" + std::string{name} + "=<amount>: '" + text.substr(0, 64) + "'"};
    }
    return *amount;
}

/** -walletnotify's command for one event, as Core: %s the txid, %w the
 *  wallet name (shell-quoted), %b the block hash or "unconfirmed", %h the
 *  block height or -1. */
std::string FormatWalletNotify(const std::string& command, const wallet::TxNotification& event)
{
    std::string quoted = "'";
    for (const char c : event.wallet) quoted += c == '\'' ? std::string{"'\"'\"'"} : std::string(1, c);
    quoted += "'";
    std::string out = ReplaceAll(command, "%s", event.txid.GetHex());
    out = ReplaceAll(out, "%b", event.block ? event.block->hash.GetHex() : std::string{"unconfirmed"});
    out = ReplaceAll(out, "%h", std::to_string(event.block ? event.block->height : -1));
    return ReplaceAll(out, "%w", quoted);
}

}  // namespace

Result<void> LoadWallets(NodeContext& node)
{
    const Settings& args = *node.args;
    if (args.GetBoolArg("disablewallet", false)) {
        LogInfo("Wallet disabled!");
        return {};
    }
    wallet::WalletOptions options;
    const auto keypool = args.GetIntArgInRange("keypool", wallet::DEFAULT_KEYPOOL_SIZE, 1, wallet::MAX_KEYPOOL_SIZE);
    if (!keypool) return keypool.error();
    options.keypool = *keypool;
    auto fallback = FeeRateOption(args, "fallbackfee", wallet::DEFAULT_FALLBACK_FEE);
    if (!fallback) return fallback.error();
    options.fallback_fee = *fallback;
    if (args.IsSet("paytxfee")) {
        auto pay = FeeRateOption(args, "paytxfee", 0);
        if (!pay) return pay.error();
        if (*pay > 0) options.pay_tx_fee = *pay;
    }
    const auto confirm_target = args.GetIntArgInRange("txconfirmtarget", wallet::DEFAULT_TX_CONFIRM_TARGET, 1, 1008);
    if (!confirm_target) return confirm_target.error();
    options.confirm_target = *confirm_target;
    options.relay_fee_rate = node.mempool->Options().min_relay_fee_rate;
    // -walletnotify: the wallet hands each event to this callback, which only
    // queues the command (the runner outlives the wallet manager).
    if (const std::string command = args.GetArg("walletnotify", "");
        !command.empty() && !args.IsNegated("walletnotify")) {
        if (!node.notify_runner) node.notify_runner = std::make_unique<CommandRunner>();
        CommandRunner* runner = node.notify_runner.get();
        options.tx_notify = [runner, command](const wallet::TxNotification& event) {
            runner->Queue(FormatWalletNotify(command, event));
        };
    }

    node.wallet_chain = std::make_unique<NodeWalletChain>(*node.chainstate, *node.mempool, node.clock);
    node.wallet_manager =
        std::make_unique<wallet::WalletManager>(*node.wallet_chain, node.data_dir / "wallets", options);
    std::vector<std::string> names = args.IsSet("wallet") ? args.GetArgs("wallet") : node.wallet_manager->StartupList();
    for (const auto& name : names) {
        if (node.wallet_manager->Get(name)) continue;
        auto loaded = node.wallet_manager->Load(name);
        if (!loaded) return Error{loaded.error().message};
    }
    if (node.rpc_table) {
        if (auto registered = wallet::RegisterWalletRPCCommands(*node.rpc_table, *node.wallet_manager); !registered) {
            return registered;
        }
    }
    return {};
}

void StopWallets(NodeContext& node)
{
    if (node.wallet_manager) node.wallet_manager->UnloadAll();
}

}  // namespace hpips
