// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/rpc_wallet.h>
#include <wallet/rpc_addresses.h>

#include <primitives/address.h>
#include <rpc/json.h>
#include <rpc/util.h>
#include <util/serialize.h>
#include <util/strencodings.h>
#include <crypto/cleanse.h>
#include <wallet/wallet_manager.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <set>

namespace hpips::wallet {
namespace {

namespace json = boost::json;

/** Most addresses listunspent filters by. */
constexpr size_t MAX_LISTUNSPENT_ADDRESSES = 10'000;
/** Most entries one listtransactions call returns. */
constexpr int64_t MAX_LISTTRANSACTIONS_COUNT = 100'000;
std::string DestinationHex(const Destination& dest)
{
    Writer w;
    WriteDestination(w, dest);
    return HexStr(w.data());
}

Destination KeyDest(const std::vector<uint8_t>& xonly)
{
    Destination dest;
    dest.kind = static_cast<uint8_t>(DestinationKind::KEY);
    dest.payload = xonly;
    return dest;
}

uint256 ParseTxid(const json::value& value)
{
    const std::string text{value.as_string()};
    if (text.size() != 64) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                       "txid must be of length 64 (not " + std::to_string(text.size()) + ", for '" + TruncateForMessage(text) + "')"};
    }
    auto hash = uint256::FromHex(text);
    if (!hash) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "txid must be hexadecimal string (not '" + TruncateForMessage(text) + "')"};
    return *hash;
}

/** load_on_startup of loadwallet / unloadwallet: adds or removes `name` in
 *  the startup list when given; a failure to save it is a warning in `out`,
 *  as in Core, not an error (the wallet is loaded or unloaded already). */
void AddStartupListChange(WalletManager& wm, const std::string& name, std::optional<bool> load_on_startup,
                          json::object& out)
{
    if (!load_on_startup) return;
    if (auto saved = wm.SetLoadOnStartup(name, *load_on_startup); !saved) {
        out["warnings"] = json::array{json::value(saved.error_message())};
    }
}

[[noreturn]] void ThrowWalletError(const WalletError& error)
{
    switch (error.failure) {
    case WalletFailure::INVALID_NAME: throw RPCError{RPCErrorCode::INVALID_PARAMETER, error.message};
    case WalletFailure::ALREADY_LOADED: throw RPCError{RPCErrorCode::WALLET_ALREADY_LOADED, error.message};
    case WalletFailure::NOT_FOUND: throw RPCError{RPCErrorCode::WALLET_NOT_FOUND, error.message};
    case WalletFailure::ALREADY_EXISTS:
    case WalletFailure::TOO_MANY:
    case WalletFailure::LOAD_FAILED: throw RPCError{RPCErrorCode::WALLET_ERROR, error.message};
    }
    throw RPCError{RPCErrorCode::WALLET_ERROR, error.message};
}

[[noreturn]] void ThrowCryptError(const CryptError& error)
{
    switch (error.failure) {
    case CryptFailure::NOT_ENCRYPTED:
    case CryptFailure::ALREADY_ENCRYPTED: throw RPCError{RPCErrorCode::WALLET_WRONG_ENC_STATE, error.message};
    case CryptFailure::WRONG_PASSPHRASE: throw RPCError{RPCErrorCode::WALLET_PASSPHRASE_INCORRECT, error.message};
    case CryptFailure::LOCKED: throw RPCError{RPCErrorCode::WALLET_UNLOCK_NEEDED, error.message};
    case CryptFailure::NO_PRIVATE_KEYS: throw RPCError{RPCErrorCode::WALLET_ENCRYPTION_FAILED, error.message};
    case CryptFailure::FAILED: throw RPCError{RPCErrorCode::WALLET_ERROR, error.message};
    }
    throw RPCError{RPCErrorCode::WALLET_ERROR, error.message};
}

/** A passphrase argument: a non-empty string of at most MAX_PASSPHRASE_SIZE bytes. */
std::string PassphraseParam(const RPCRequest& request, size_t i)
{
    std::string passphrase = ParamString(request, i);
    if (passphrase.empty()) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "passphrase can not be empty"};
    if (passphrase.size() > MAX_PASSPHRASE_SIZE) {
        MemoryCleanse(passphrase.data(), passphrase.size());
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "passphrase too long (at most 1024 bytes)"};
    }
    return passphrase;
}

}  // namespace

std::shared_ptr<Wallet> WalletForRequest(WalletManager& manager, const RPCRequest& request)
{
    if (request.wallet) {
        auto wallet = manager.Get(*request.wallet);
        if (!wallet) {
            throw RPCError{RPCErrorCode::WALLET_NOT_FOUND, "Requested wallet does not exist or is not loaded"};
        }
        return wallet;
    }
    const auto wallets = manager.Wallets();
    if (wallets.size() == 1) return wallets.front();
    if (wallets.empty()) {
        throw RPCError{RPCErrorCode::WALLET_NOT_FOUND,
                       "No wallet is loaded. Load a wallet using loadwallet or create a new one with createwallet. "
                       "(Note: A default wallet is no longer automatically created)"};
    }
    throw RPCError{RPCErrorCode::WALLET_NOT_SPECIFIED,
                   "Wallet file not specified (must request wallet RPC through /wallet/<filename> uri-path)."};
}

namespace {

json::object LastProcessedBlock(const WalletInfo& info)
{
    json::object out;
    out["hash"] = info.best_hash.GetHex();
    out["height"] = info.best_height;
    return out;
}

/** The transaction-wide fields Core puts on listtransactions entries and gettransaction. */
void TxFields(const TxView& view, json::object& out)
{
    out["confirmations"] = view.confirmations;
    if (view.record.coinbase) out["generated"] = true;
    if (view.confirmations > 0 && view.record.block_hash) {
        out["blockhash"] = view.record.block_hash->GetHex();
        out["blockheight"] = *view.record.block_height;
        out["blocktime"] = view.record.block_time;
    } else {
        out["trusted"] = view.trusted;
    }
    out["txid"] = view.record.txid.GetHex();
    if (view.wtxid) out["wtxid"] = view.wtxid->GetHex();
    json::array conflicts(out.storage());
    for (const uint256& other : view.conflicts) conflicts.push_back(json::value(other.GetHex()));
    out["walletconflicts"] = std::move(conflicts);
    out["time"] = view.record.time;
    out["timereceived"] = view.record.time;
    out["bip125-replaceable"] = "no";
    if (!view.comment.empty()) out["comment"] = view.comment;
    if (!view.comment_to.empty()) out["to"] = view.comment_to;
}

/** One listtransactions / listsinceblock entry, allocated from `storage`
 *  (the request's arena for long lists). */
json::object EntryJson(const TxView& view, const TxEntry& entry, bool with_tx_fields, json::storage_ptr storage = {})
{
    json::object out(std::move(storage));
    out.reserve(20);
    out["address"] = entry.address;
    out["category"] = entry.category;
    out["amount"] = ValueFromAmount(entry.amount);
    if (entry.label) out["label"] = *entry.label;
    out["vout"] = entry.vout;
    if (entry.category == "send" && view.fee) out["fee"] = ValueFromAmount(*view.fee);
    if (entry.category == "send") out["abandoned"] = view.abandoned;
    if (with_tx_fields) TxFields(view, out);
    return out;
}

int64_t OptionalInt(const RPCRequest& request, size_t i, int64_t fallback)
{
    return OptionalParamInt64(request, i).value_or(fallback);
}

void RejectUnsupportedTrue(const RPCRequest& request, size_t i, const std::string& what)
{
    if (OptionalParamBool(request, i).value_or(false)) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, what + " is not supported by this wallet yet"};
    }
}

}  // namespace

Result<void> RegisterWalletRPCCommands(RPCTable& table, WalletManager& manager)
{
    WalletManager* wm = &manager;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "wallet",
        .name = "createwallet",
        .description =
            "Creates and loads a new wallet.\n"
            "HPIPS wallets are HD wallets from a BIP-39 mnemonic (doc/wallet.md); `mnemonic` restores one "
            "(then run rescanblockchain), `xpub` with disable_private_keys makes a watch-only wallet of an "
            "account xpub.",
        .args = {{"wallet_name", RPCArgType::STRING, false, "",
                  "The name for the new wallet (a plain name: no path separators)."},
                 {"disable_private_keys", RPCArgType::BOOL, true, "false",
                  "Disable the possibility of private keys (only watchonly from `xpub`, or blank)."},
                 {"blank", RPCArgType::BOOL, true, "false", "Create a blank wallet, without keys."},
                 {"passphrase", RPCArgType::STRING, true, "",
                  "Encrypt the wallet with this passphrase (at most 1024 bytes); the wallet starts locked."},
                 {"avoid_reuse", RPCArgType::BOOL, true, "false", "Not supported yet (must be false)."},
                 {"descriptors", RPCArgType::BOOL, true, "true",
                  "HPIPS wallets are HD wallets of one derivation path; false (legacy) is refused."},
                 {"load_on_startup", RPCArgType::BOOL, true, "null",
                  "Save the wallet name to the startup list (true) or remove it (false)."},
                 {"external_signer", RPCArgType::BOOL, true, "false", "Not supported (must be false)."},
                 {"mnemonic", RPCArgType::STRING, true, "",
                  "HPIPS: restore from this BIP-39 mnemonic (English, 12 to 24 words)."},
                 {"xpub", RPCArgType::STRING, true, "",
                  "HPIPS: with disable_private_keys, watch the account of this xpub (m/86h/coin'h/0h)."}},
        .result = "{\n  \"name\" : \"str\",    (string) The wallet name if created successfully.\n"
                  "  \"warnings\" : [ \"str\", ... ]    (json array) Warning messages, if any\n}",
        .examples = HelpExampleCli("createwallet", "\"testwallet\"") +
                    HelpExampleRpc("createwallet", "\"testwallet\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            const std::string name = ParamString(request, 0);
            CreateWalletOptions create;
            create.disable_private_keys = OptionalParamBool(request, 1).value_or(false);
            create.blank = OptionalParamBool(request, 2).value_or(false);
            create.passphrase = OptionalParamString(request, 3).value_or("");
            if (create.passphrase.size() > MAX_PASSPHRASE_SIZE) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "passphrase too long (at most 1024 bytes)"};
            }
            RejectUnsupportedTrue(request, 4, "avoid_reuse");
            if (!OptionalParamBool(request, 5).value_or(true)) {
                throw RPCError{RPCErrorCode::WALLET_ERROR,
                               "Legacy (non-descriptor) wallets are not supported; HPIPS wallets are HD wallets"};
            }
            const auto load_on_startup = OptionalParamBool(request, 6);
            RejectUnsupportedTrue(request, 7, "external_signer");
            create.mnemonic = OptionalParamString(request, 8);
            create.xpub = OptionalParamString(request, 9);
            if (create.mnemonic && create.mnemonic->size() > 1024) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "mnemonic too long"};
            }
            if (create.xpub && !create.disable_private_keys) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "xpub needs disable_private_keys=true"};
            }
            if (create.xpub && create.xpub->size() > 200) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "xpub too long"};
            auto wallet = wm->Create(name, create);
            MemoryCleanse(create.passphrase.data(), create.passphrase.size());
            if (!wallet) ThrowWalletError(wallet.error());
            json::array warnings;
            if (load_on_startup) {
                if (auto saved = wm->SetLoadOnStartup(name, *load_on_startup); !saved) {
                    warnings.push_back(json::value(saved.error_message()));
                }
            }
            json::object out;
            out["name"] = name;
            if (!warnings.empty()) out["warnings"] = std::move(warnings);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "loadwallet",
        .description = "Loads a wallet from a wallet file in the wallets directory.",
        .args = {{"filename", RPCArgType::STRING, false, "", "The wallet name."},
                 {"load_on_startup", RPCArgType::BOOL, true, "null",
                  "Save the wallet name to the startup list (true) or remove it (false)."}},
        .result = "{\n  \"name\" : \"str\",    (string) The wallet name if loaded successfully.\n"
                  "  \"warnings\" : [ \"str\", ... ]    (json array) Warning messages, if any\n}",
        .examples = HelpExampleCli("loadwallet", "\"test.dat\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            const std::string name = ParamString(request, 0);
            auto wallet = wm->Load(name);
            if (!wallet) ThrowWalletError(wallet.error());
            json::object out;
            out["name"] = name;
            AddStartupListChange(*wm, name, OptionalParamBool(request, 1), out);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "unloadwallet",
        .description = "Unloads the wallet referenced by the request endpoint, otherwise unloads the wallet "
                       "specified in the argument.",
        .args = {{"wallet_name", RPCArgType::STRING, true, "the wallet name from the RPC endpoint",
                  "The name of the wallet to unload."},
                 {"load_on_startup", RPCArgType::BOOL, true, "null",
                  "Save the wallet name to the startup list (true) or remove it (false)."}},
        .result = "{\n  \"warnings\" : [ \"str\", ... ]    (json array, optional) Warning messages, if any\n}",
        .examples = HelpExampleCli("unloadwallet", "wallet_name"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            const auto named = OptionalParamString(request, 0);
            std::string name;
            if (request.wallet) {
                if (named && *named != *request.wallet) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "RPC endpoint wallet and wallet_name parameter specify different wallets"};
                }
                name = *request.wallet;
            } else if (named) {
                name = *named;
            } else {
                throw RPCError{RPCErrorCode::MISC_ERROR,
                               "Either the RPC endpoint wallet or the wallet name parameter must be provided"};
            }
            if (auto unloaded = wm->Unload(name); !unloaded) ThrowWalletError(unloaded.error());
            json::object out;
            AddStartupListChange(*wm, name, OptionalParamBool(request, 1), out);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "listwallets",
        .description = "Returns a list of currently loaded wallets.",
        .args = {},
        .result = "[ \"walletname\", ... ]    (json array) the wallet names",
        .examples = HelpExampleCli("listwallets", ""),
        .handler = [wm](const RPCRequest&) -> json::value {
            json::array out;
            for (const auto& name : wm->List()) out.push_back(json::value(name));
            return out;
        },
    });

    auto address_method = [wm](std::string name, KeyBranch branch) {
        const bool receive = branch == KeyBranch::RECEIVE;
        RPCMethod method{
            .category = "wallet",
            .name = std::move(name),
            .description = receive ? "Returns a new HPIPS address for receiving payments (the next key of the "
                                     "receive branch).\nIf 'label' is specified, it is added to the address book."
                                   : "Returns a new HPIPS address, for receiving change (the next key of the "
                                     "change branch).",
            .args = {},
            .result = "\"str\"    (string) The new bech32m address",
            .examples = HelpExampleCli(receive ? "getnewaddress" : "getrawchangeaddress", ""),
            .handler = {},
        };
        if (receive) {
            method.args.push_back({"label", RPCArgType::STRING, true, "\"\"", "The label name for the address."});
        }
        method.args.push_back({"address_type", RPCArgType::STRING, true, "\"bech32m\"",
                               "The address type: only \"bech32m\" exists."});
        method.handler = [wm, branch, receive](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const std::string label = receive ? OptionalParamString(request, 0).value_or("") : "";
            if (label == "*") throw RPCError{RPCErrorCode::WALLET_INVALID_LABEL_NAME, "Invalid label name"};
            if (label.size() > MAX_LABEL_LENGTH) {
                throw RPCError{RPCErrorCode::WALLET_INVALID_LABEL_NAME, "Label too long"};
            }
            if (const auto type = OptionalParamString(request, receive ? 1 : 0); type && *type != "bech32m") {
                throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Unknown address type '" + TruncateForMessage(*type) + "'"};
            }
            auto address = wallet->GetNewAddress(label, branch);
            if (!address) {
                throw RPCError{RPCErrorCode::WALLET_ERROR, "Error: " + address.error_message()};
            }
            return json::value(*address);
        };
        return method;
    };
    methods.push_back(address_method("getnewaddress", KeyBranch::RECEIVE));
    methods.push_back(address_method("getrawchangeaddress", KeyBranch::CHANGE));

    methods.push_back({
        .category = "wallet",
        .name = "getbalance",
        .description = "Returns the total available balance: confirmed coins with at least minconf "
                       "confirmations, mature coinbases, and (with minconf 0) the wallet's own unconfirmed change.",
        .args = {{"dummy", RPCArgType::STRING, true, "", "Remains for backward compatibility. Must be excluded or set to \"*\"."},
                 {"minconf", RPCArgType::NUMBER, true, "0", "Only include transactions confirmed at least this many times."},
                 {"include_watchonly", RPCArgType::BOOL, true, "true for watch-only wallets",
                  "Also include balance in watch-only addresses"},
                 {"avoid_reuse", RPCArgType::BOOL, true, "true", "(not supported yet; ignored)"}},
        .result = "n    (numeric) The total amount in " "HPIPS received for this wallet.",
        .examples = HelpExampleCli("getbalance", "") + HelpExampleCli("getbalance", "\"*\" 6"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            if (const auto dummy = OptionalParamString(request, 0); dummy && *dummy != "*") {
                throw RPCError{RPCErrorCode::METHOD_DEPRECATED, "dummy first argument must be excluded or set to \"*\"."};
            }
            const int64_t min_conf = OptionalInt(request, 1, 0);
            auto balances = wallet->GetBalances(min_conf);
            if (!balances) throw RPCError{RPCErrorCode::DATABASE_ERROR, balances.error_message()};
            return ValueFromAmount(balances->trusted);
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "getbalances",
        .description = "Returns an object with all balances in HPIPS.",
        .args = {},
        .result = "{\n  \"mine\" : {\n    \"trusted\" : n,    (numeric) trusted balance (confirmed, and the wallet's "
                  "own unconfirmed change)\n    \"untrusted_pending\" : n,    (numeric) untrusted pending balance "
                  "(unconfirmed payments from others)\n    \"immature\" : n    (numeric) balance from coinbase "
                  "outputs that are not mature yet\n  },\n  \"lastprocessedblock\" : { \"hash\", \"height\" }\n}",
        .examples = HelpExampleCli("getbalances", ""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            auto balances = wallet->GetBalances(0);
            if (!balances) throw RPCError{RPCErrorCode::DATABASE_ERROR, balances.error_message()};
            json::object mine;
            mine["trusted"] = ValueFromAmount(balances->trusted);
            mine["untrusted_pending"] = ValueFromAmount(balances->untrusted_pending);
            mine["immature"] = ValueFromAmount(balances->immature);
            json::object out;
            out["mine"] = std::move(mine);
            out["lastprocessedblock"] = LastProcessedBlock(wallet->GetInfo());
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "listunspent",
        .description = "Returns array of unspent transaction outputs with between minconf and maxconf "
                       "(inclusive) confirmations. Optionally filter to only include outputs paid to specified "
                       "addresses (at most 10,000).",
        .args = {{"minconf", RPCArgType::NUMBER, true, "1", "The minimum confirmations to filter"},
                 {"maxconf", RPCArgType::NUMBER, true, "9999999", "The maximum confirmations to filter"},
                 {"addresses", RPCArgType::ARRAY, true, "[]", "The HPIPS addresses to filter"},
                 {"include_unsafe", RPCArgType::BOOL, true, "true",
                  "Include outputs that are not safe to spend (unconfirmed, from others)"}},
        .result = "[ { \"txid\", \"vout\", \"address\", \"label\", \"scriptPubKey\", \"amount\", \"confirmations\", "
                  "\"spendable\", \"solvable\", \"safe\" }, ... ]",
        .examples = HelpExampleCli("listunspent", "") + HelpExampleCli("listunspent", "6 9999999"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            UnspentFilter filter;
            filter.min_conf = OptionalInt(request, 0, 1);
            filter.max_conf = OptionalInt(request, 1, 9'999'999);
            filter.mature_only = true;  // as Core: immature coinbases are not listed
            filter.unconfirmed_trusted_only = !OptionalParamBool(request, 3).value_or(true);
            std::set<std::vector<uint8_t>> wanted;
            const json::value* addresses = OptionalParam(request, 2);
            if (addresses != nullptr) {
                const json::array& list = addresses->get_array();
                if (list.size() > MAX_LISTUNSPENT_ADDRESSES) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many addresses"};
                }
                for (const json::value& value : list) {
                    if (!value.is_string()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Expected type string"};
                    const std::string text{value.get_string()};
                    auto dest = DecodeAddress(text, wallet->GetNetwork());
                    if (!dest) {
                        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid HPIPS address: " + TruncateForMessage(text)};
                    }
                    if (!wanted.insert(dest->payload).second) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                       "Invalid parameter, duplicated address: " + TruncateForMessage(text)};
                    }
                }
            }
            auto coins = wallet->ListUnspent(filter);
            if (!coins) throw RPCError{RPCErrorCode::DATABASE_ERROR, coins.error_message()};
            auto labels = wallet->Labels();
            if (!labels) throw RPCError{RPCErrorCode::DATABASE_ERROR, labels.error_message()};
            const int64_t best = wallet->BestHeight();
            json::array out(ResultArena(request));
            out.reserve(coins->size());
            for (const OutputRecord& coin : *coins) {
                if (!wanted.empty() && !wanted.contains(coin.xonly)) continue;
                const Destination dest = KeyDest(coin.xonly);
                json::object entry(out.storage());
                entry.reserve(10);
                entry["txid"] = coin.outpoint.txid.GetHex();
                entry["vout"] = coin.outpoint.index;
                entry["address"] = EncodeAddress(dest, wallet->GetNetwork());
                if (coin.branch == static_cast<uint32_t>(KeyBranch::RECEIVE)) {
                    if (const auto it = labels->find(coin.xonly); it != labels->end()) entry["label"] = it->second;
                }
                entry["scriptPubKey"] = DestinationHex(dest);
                entry["amount"] = ValueFromAmount(coin.amount);
                const int64_t confirmations = coin.height ? best - *coin.height + 1 : 0;
                entry["confirmations"] = confirmations;
                // Immature coinbases are filtered out above (mature_only), as in Core.
                entry["spendable"] = true;
                entry["solvable"] = true;
                entry["safe"] = confirmations > 0 || coin.from_me;
                out.push_back(std::move(entry));
            }
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "listtransactions",
        .description = "If a label name is provided, this will return only incoming transactions paying to "
                       "addresses with the specified label.\nReturns up to 'count' most recent transactions "
                       "skipping the first 'from' transactions, oldest to newest within the page.",
        .args = {{"label", RPCArgType::STRING, true, "\"*\"",
                  "If set, should be a valid label name to return only incoming transactions with the specified "
                  "label, or \"*\" to disable filtering and return all transactions."},
                 {"count", RPCArgType::NUMBER, true, "10", "The number of transactions to return (at most 100,000)"},
                 {"skip", RPCArgType::NUMBER, true, "0", "The number of transactions to skip"},
                 {"include_watchonly", RPCArgType::BOOL, true, "true for watch-only wallets",
                  "Include transactions to watch-only addresses"}},
        .result = "[ { \"address\", \"category\", \"amount\", \"label\", \"vout\", \"fee\", \"confirmations\", "
                  "\"generated\", \"trusted\", \"blockhash\", \"blockheight\", \"blocktime\", \"txid\", \"wtxid\", "
                  "\"walletconflicts\", \"time\", \"timereceived\", \"bip125-replaceable\", \"comment\", \"to\", \"abandoned\" }, ... ]",
        .examples = HelpExampleCli("listtransactions", "") + HelpExampleCli("listtransactions", "\"*\" 20 100"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const auto label = OptionalParamString(request, 0);
            const int64_t count = OptionalInt(request, 1, 10);
            const int64_t skip = OptionalInt(request, 2, 0);
            if (count < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Negative count"};
            if (skip < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Negative from"};
            if (count > MAX_LISTTRANSACTIONS_COUNT) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "count too large (at most " + std::to_string(MAX_LISTTRANSACTIONS_COUNT) + ")"};
            }
            auto entries = wallet->ListTransactions(label, count, skip);
            if (!entries) throw RPCError{RPCErrorCode::DATABASE_ERROR, entries.error_message()};
            json::array out;
            for (const auto& [view, entry] : *entries) out.push_back(EntryJson(view, entry, true));
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "gettransaction",
        .description = "Get detailed information about in-wallet transaction <txid>",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id"},
                 {"include_watchonly", RPCArgType::BOOL, true, "true for watch-only wallets",
                  "Whether to include watch-only addresses in balance calculation and details[]"},
                 {"verbose", RPCArgType::BOOL, true, "false", "(not supported yet; ignored)"}},
        .result = "{ \"amount\", \"fee\", \"confirmations\", \"generated\", \"trusted\", \"blockhash\", "
                  "\"blockheight\", \"blocktime\", \"txid\", \"wtxid\", \"walletconflicts\", \"time\", "
                  "\"timereceived\", \"bip125-replaceable\", \"comment\", \"to\", \"details\" : [ { \"address\", \"category\", "
                  "\"amount\", \"label\", \"vout\", \"fee\", \"abandoned\" }, ... ], \"hex\" }",
        .examples = HelpExampleCli("gettransaction", "\"1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const uint256 txid = ParseTxid(request.params[0]);
            auto view = wallet->GetTransaction(txid);
            if (!view) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid or non-wallet transaction id"};
            json::object out;
            out["amount"] = ValueFromAmount(view->amount);
            if (view->fee) out["fee"] = ValueFromAmount(*view->fee);
            TxFields(*view, out);
            json::array details;
            for (const TxEntry& entry : view->entries) details.push_back(EntryJson(*view, entry, false));
            out["details"] = std::move(details);
            out["hex"] = HexStr(view->record.raw);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "getwalletinfo",
        .description = "Returns an object containing various wallet state info.",
        .args = {},
        .result = "{ \"walletname\", \"walletversion\", \"format\", \"txcount\", \"keypoolsize\", "
                  "\"keypoolsize_hd_internal\", \"paytxfee\", \"private_keys_enabled\", \"avoid_reuse\", "
                  "\"scanning\", \"descriptors\", \"external_signer\", \"blank\", \"unlocked_until\" (encrypted wallets: "
                  "the node time the wallet relocks at, 0 while locked), \"derivation_path\", "
                  "\"lastprocessedblock\" }",
        .examples = HelpExampleCli("getwalletinfo", ""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const WalletInfo info = wallet->GetInfo();
            json::object out;
            out["walletname"] = info.name;
            out["walletversion"] = info.schema_version;
            out["format"] = "sqlite";
            out["txcount"] = info.tx_count;
            out["keypoolsize"] = info.keypool_size;
            out["keypoolsize_hd_internal"] = info.keypool_size_change;
            out["paytxfee"] = ValueFromAmount(wallet->PayTxFee().value_or(0));
            out["private_keys_enabled"] = info.private_keys_enabled;
            out["avoid_reuse"] = false;
            out["scanning"] = false;
            out["descriptors"] = true;
            out["external_signer"] = false;
            out["blank"] = info.blank;
            if (info.encrypted) out["unlocked_until"] = info.unlocked_until;
            out["derivation_path"] = AccountPath(wallet->GetNetwork()) + "/{0,1}/*";
            out["lastprocessedblock"] = LastProcessedBlock(info);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "getmnemonic",
        .description = "HPIPS: returns the wallet's BIP-39 mnemonic (its whole secret: anyone who sees it can "
                       "spend the wallet's coins). Restore with createwallet's `mnemonic` and rescanblockchain.",
        .args = {},
        .result = "\"str\"    (string) the mnemonic",
        .examples = HelpExampleCli("getmnemonic", ""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            auto mnemonic = wallet->GetMnemonic();
            if (!mnemonic) ThrowCryptError(mnemonic.error());
            json::value out(*mnemonic);
            MemoryCleanse(mnemonic->data(), mnemonic->size());
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "rescanblockchain",
        .description = "Rescan the local blockchain for wallet related transactions.",
        .args = {{"start_height", RPCArgType::NUMBER, true, "0", "block height where the rescan should start"},
                 {"stop_height", RPCArgType::NUMBER, true, "tip height",
                  "the last block height that should be scanned. If none is provided it will rescan up to the tip "
                  "at return time of this call."}},
        .result = "{\n  \"start_height\" : n,    (numeric) The block height where the rescan started\n"
                  "  \"stop_height\" : n    (numeric) The height of the last rescanned block\n}",
        .examples = HelpExampleCli("rescanblockchain", "100000 120000"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const int64_t tip = wm->Chain().Tip().height;
            const int64_t start = OptionalInt(request, 0, 0);
            if (start < 0 || start > tip) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid start_height"};
            int64_t stop = tip;
            if (const auto given = OptionalParamInt64(request, 1)) {
                if (*given < 0 || *given > tip) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid stop_height"};
                if (*given < start) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER, "stop_height must be greater than start_height"};
                }
                stop = *given;
            }
            auto scanned = wallet->Rescan(start, stop);
            if (!scanned) throw RPCError{RPCErrorCode::MISC_ERROR, "Rescan failed: " + scanned.error_message()};
            json::object out;
            out["start_height"] = start;
            out["stop_height"] = *scanned;
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "encryptwallet",
        .description = "Encrypts the wallet with 'passphrase' (doc/wallet.md, \"Encryption\": AES-256-GCM under a "
                       "master key sealed under a scrypt key of the passphrase). The wallet is locked afterwards: "
                       "sending needs walletpassphrase; new addresses do not.\nBackups made before encryption "
                       "still hold the mnemonic in the clear.",
        .args = {{"passphrase", RPCArgType::STRING, false, "",
                  "The pass phrase to encrypt the wallet with (1 to 1024 bytes)."}},
        .result = "\"str\"    (string) A string with further instructions",
        .examples = HelpExampleCli("encryptwallet", "\"my pass phrase\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            auto done = wallet->EncryptWallet(PassphraseParam(request, 0));
            if (!done) ThrowCryptError(done.error());
            return json::value("wallet encrypted; the wallet is locked now: use walletpassphrase to unlock it "
                               "before sending. The mnemonic is unchanged, so keep older backups safe.");
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "walletpassphrase",
        .description = "Stores the wallet decryption key in memory for 'timeout' seconds (at most 100000000; "
                       "larger values are capped). This is needed before sending. Calling it again moves the "
                       "deadline.",
        .args = {{"passphrase", RPCArgType::STRING, false, "", "The wallet passphrase"},
                 {"timeout", RPCArgType::NUMBER, false, "",
                  "The time to keep the decryption key in seconds; capped at 100000000 (~3 years)."}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("walletpassphrase", "\"my pass phrase\" 60"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            std::string passphrase = PassphraseParam(request, 0);
            const auto timeout = OptionalParamInt64(request, 1);
            if (!timeout) {
                MemoryCleanse(passphrase.data(), passphrase.size());
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "timeout is required"};
            }
            if (*timeout < 0) {
                MemoryCleanse(passphrase.data(), passphrase.size());
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Timeout cannot be negative."};
            }
            auto done = wallet->Unlock(std::move(passphrase), std::min(*timeout, MAX_UNLOCK_TIMEOUT));
            if (!done) ThrowCryptError(done.error());
            return nullptr;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "walletlock",
        .description = "Removes the wallet encryption key from memory, locking the wallet. After calling this "
                       "method, you will need to call walletpassphrase again before sending.",
        .args = {},
        .result = "null    (json null)",
        .examples = HelpExampleCli("walletlock", ""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            auto done = wallet->Lock();
            if (!done) ThrowCryptError(done.error());
            return nullptr;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "walletpassphrasechange",
        .description = "Changes the wallet passphrase from 'oldpassphrase' to 'newpassphrase' (only the master "
                       "key is sealed again; the lock state is kept).",
        .args = {{"oldpassphrase", RPCArgType::STRING, false, "", "The current passphrase"},
                 {"newpassphrase", RPCArgType::STRING, false, "", "The new passphrase (1 to 1024 bytes)"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("walletpassphrasechange", "\"old one\" \"new one\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            std::string old_passphrase = PassphraseParam(request, 0);
            std::string new_passphrase;
            try {
                new_passphrase = PassphraseParam(request, 1);
            } catch (...) {
                MemoryCleanse(old_passphrase.data(), old_passphrase.size());
                throw;
            }
            auto done = wallet->ChangePassphrase(std::move(old_passphrase), std::move(new_passphrase));
            if (!done) ThrowCryptError(done.error());
            return nullptr;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "listsinceblock",
        .description = "Get all transactions in blocks since block [blockhash], or all transactions if omitted, "
                       "and the unconfirmed ones.\nIf \"blockhash\" is no longer a part of the main chain, "
                       "transactions from the fork point onward are included, and with include_removed the "
                       "transactions of the blocks that left the chain are listed in \"removed\".\n"
                       "\"lastblock\" is the cursor for the next call.",
        .args = {{"blockhash", RPCArgType::STRING, true, "\"\"",
                  "If set, the block hash to list transactions since, otherwise list all transactions."},
                 {"target_confirmations", RPCArgType::NUMBER, true, "1",
                  "Return the nth block hash from the main chain (1 = the best block) as lastblock."},
                 {"include_watchonly", RPCArgType::BOOL, true, "true for watch-only wallets",
                  "Include transactions to watch-only addresses"},
                 {"include_removed", RPCArgType::BOOL, true, "true",
                  "Show transactions that were removed due to a reorg in the \"removed\" array"}},
        .result = "{\n  \"transactions\" : [ listtransactions entries ],\n  \"removed\" : [ the same, of "
                  "transactions of blocks no longer in the main chain ],\n  \"lastblock\" : \"hex\"    (string) "
                  "the hash of the block (target_confirmations-1) from the best block\n}",
        .examples = HelpExampleCli("listsinceblock", "") +
                    HelpExampleCli("listsinceblock", "\"000000000000000bacf66f7497b7dc45ef753ee9a7d38571037cdb1a57f663ad\" 6"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            std::optional<uint256> since;
            if (const auto text = OptionalParamString(request, 0); text && !text->empty()) {
                auto hash = uint256::FromHex(*text);
                if (text->size() != 64 || !hash) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "blockhash must be a 64-character hexadecimal string (not '" + TruncateForMessage(*text) + "')"};
                }
                since = *hash;
            }
            const int64_t target_confirmations = OptionalInt(request, 1, 1);
            if (target_confirmations < 1) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter"};
            const bool include_removed = OptionalParamBool(request, 3).value_or(true);
            auto listed = wallet->ListSinceBlock(since, target_confirmations, include_removed);
            if (!listed) {
                throw RPCError{listed.error().failure == Wallet::SinceBlockFailure::BLOCK_NOT_FOUND
                                   ? RPCErrorCode::INVALID_ADDRESS_OR_KEY
                                   : RPCErrorCode::DATABASE_ERROR,
                               listed.error_message()};
            }
            const json::storage_ptr arena = ResultArena(request);
            json::array transactions(arena);
            transactions.reserve(listed->transactions.size());
            for (const auto& [view, entry] : listed->transactions) {
                transactions.push_back(EntryJson(view, entry, true, arena));
            }
            json::object out(arena);
            out["transactions"] = std::move(transactions);
            if (include_removed) {
                json::array removed(arena);
                for (const auto& [view, entry] : listed->removed) removed.push_back(EntryJson(view, entry, true, arena));
                out["removed"] = std::move(removed);
            }
            out["lastblock"] = listed->lastblock.GetHex();
            return out;
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    if (auto r = RegisterWalletAddressRPCCommands(table, manager); !r) return r;
    return RegisterWalletSendRPCCommands(table, manager);
}

}  // namespace hpips::wallet
