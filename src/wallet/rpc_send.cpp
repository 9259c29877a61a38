// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The wallet's spending RPC methods (doc/wallet.md, "Sending"): sendtoaddress,
// sendmany, settxfee, fundrawtransaction, signrawtransactionwithwallet,
// abandontransaction, bumpfee.
#include <wallet/rpc_wallet.h>

#include <primitives/address.h>
#include <rpc/json.h>
#include <rpc/util.h>
#include <util/strencodings.h>
#include <wallet/wallet.h>
#include <wallet/wallet_manager.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <cctype>
#include <set>

namespace hpips::wallet {
namespace {

namespace json = boost::json;

/** Most recipients one sendmany takes (each is an output; far below the
 *  transaction size limit). */
constexpr size_t MAX_SENDMANY_RECIPIENTS = 10'000;
/** Most entries of subtractfeefrom / subtractFeeFromOutputs. */
constexpr size_t MAX_SUBTRACT_FEE_ENTRIES = MAX_SENDMANY_RECIPIENTS;
/** Lowest and highest conf_target (Core's, as estimatesmartfee). */
constexpr int64_t MIN_SEND_CONF_TARGET = 1;
constexpr int64_t MAX_SEND_CONF_TARGET = 1008;

[[noreturn]] void ThrowSendError(const SendError& error)
{
    switch (error.failure) {
    case SendFailure::INSUFFICIENT_FUNDS: throw RPCError{RPCErrorCode::WALLET_INSUFFICIENT_FUNDS, "Insufficient funds"};
    case SendFailure::AMOUNT_TOO_SMALL: throw RPCError{RPCErrorCode::WALLET_INSUFFICIENT_FUNDS, error.message};
    case SendFailure::LOCKED: throw RPCError{RPCErrorCode::WALLET_UNLOCK_NEEDED, error.message};
    case SendFailure::REJECTED:
        throw RPCError{RPCErrorCode::WALLET_ERROR, "Transaction rejected by the mempool: " + error.message};
    case SendFailure::DATABASE: throw RPCError{RPCErrorCode::DATABASE_ERROR, error.message};
    case SendFailure::INVALID:
    case SendFailure::KEYS_DISABLED:
    case SendFailure::FEE_ESTIMATION: throw RPCError{RPCErrorCode::WALLET_ERROR, error.message};
    }
    throw RPCError{RPCErrorCode::WALLET_ERROR, error.message};
}

/** -13 before anything else when the wallet is encrypted and locked. */
void EnsureUnlocked(const Wallet& wallet)
{
    if (wallet.IsLocked()) {
        throw RPCError{RPCErrorCode::WALLET_UNLOCK_NEEDED,
                       "Error: Please enter the wallet passphrase with walletpassphrase first."};
    }
}

/** A fee_rate argument: base units per byte (Core's sat/vB), up to three
 *  decimals, as a number or a string; returned per 1000 bytes. */
WalletFeeRate ParseFeeRatePerByte(const json::value& value)
{
    // AmountFromValue reads eight decimals: a rate with three is a whole
    // multiple of 10^5 there, and that multiple is the rate per 1000 bytes.
    const Amount scaled = AmountFromValue(value);
    if (scaled % 100'000 != 0) {
        throw RPCError{RPCErrorCode::TYPE_ERROR, "Invalid amount: fee_rate has at most 3 decimals (base units/byte)"};
    }
    const WalletFeeRate rate = scaled / 100'000;
    if (rate > MAX_WALLET_FEE_RATE) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Fee rate is too high (at most " +
                                                            std::to_string(MAX_WALLET_FEE_RATE / 1000) +
                                                            " base units/byte)"};
    }
    return rate;
}

/** conf_target, estimate_mode and fee_rate into `control`, with Core's checks. */
void ParseFeeArgs(const json::value* conf_target, const json::value* estimate_mode, const json::value* fee_rate,
                  CoinControl& control)
{
    if (fee_rate) {
        if (conf_target) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                           "Cannot specify both conf_target and fee_rate. Please provide either a confirmation "
                           "target in blocks for automatic fee estimation, or an explicit fee rate."};
        }
        if (estimate_mode) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                           "Cannot specify both estimate_mode and fee_rate"};
        }
        control.fee_rate = ParseFeeRatePerByte(*fee_rate);
        return;
    }
    if (conf_target) {
        const int64_t target = IntFromValue(*conf_target);
        if (target < MIN_SEND_CONF_TARGET || target > MAX_SEND_CONF_TARGET) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid conf_target, must be between " +
                                                                std::to_string(MIN_SEND_CONF_TARGET) + " and " +
                                                                std::to_string(MAX_SEND_CONF_TARGET)};
        }
        control.conf_target = target;
    }
    if (estimate_mode) {
        if (!estimate_mode->is_string()) throw RPCError{RPCErrorCode::TYPE_ERROR, "estimate_mode must be a string"};
        std::string mode{estimate_mode->get_string()};
        for (char& c : mode) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
        if (mode == "UNSET" || mode == "CONSERVATIVE") {
            control.conservative = true;
        } else if (mode == "ECONOMICAL") {
            control.conservative = false;
        } else {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                           "Invalid estimate_mode parameter, must be one of: \"unset\", \"economical\", "
                           "\"conservative\""};
        }
    }
}

/** replaceable: the mempool has no replacement (doc/wallet.md), so true is refused. */
void RejectReplaceable(const RPCRequest& request, size_t i)
{
    if (OptionalParamBool(request, i).value_or(false)) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                       "replaceable is not supported: the HPIPS mempool does not accept replacements (BIP125)"};
    }
}

void RejectVerbose(const RPCRequest& request, size_t i)
{
    if (OptionalParamBool(request, i).value_or(false)) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "verbose is not supported yet (must be false)"};
    }
}

/** A comment argument: at most MAX_TX_COMMENT_LENGTH bytes. */
std::string CommentParam(const RPCRequest& request, size_t i)
{
    std::string text = OptionalParamString(request, i).value_or("");
    if (text.size() > MAX_TX_COMMENT_LENGTH) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Comment too long (at most 1024 bytes)"};
    }
    return text;
}

Destination ParseDestination(const std::string& text, Network net)
{
    auto dest = DecodeAddress(text, net);
    if (!dest) {
        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid address: " + dest.error_message()};
    }
    return *dest;
}

MutableTransaction DecodeTxParam(const RPCRequest& request, size_t i)
{
    const std::string hex = ParamString(request, i);
    if (hex.size() > 2 * MAX_TX_SIZE) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "TX decode failed"};
    const auto bytes = ParseHex(hex);
    if (!bytes) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "TX decode failed: not a hex string"};
    auto tx = DecodeTransaction(*bytes);
    if (!tx) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "TX decode failed: " + tx.error_message()};
    return tx->fields();
}

/** Appends to `out` the fee-rate arguments every send method declares. */
void AddFeeArgs(std::vector<RPCArg>& args)
{
    args.push_back({"conf_target", RPCArgType::NUMBER, true, "wallet -txconfirmtarget",
                    "Confirmation target in blocks (1 - 1008): the fee rate is the node's estimatesmartfee for it"});
    args.push_back({"estimate_mode", RPCArgType::STRING, true, "\"unset\"",
                    "The fee estimate mode: \"unset\", \"economical\" or \"conservative\" (case-insensitive)"});
}

/** Most outputs one lockunspent call names. */
constexpr size_t MAX_LOCKUNSPENT_OUTPUTS = 10'000;

/** lockunspent's [{"txid", "vout"}, ...] (Core's messages). */
std::vector<OutPoint> ParseOutPoints(const json::array& listed)
{
    if (listed.size() > MAX_LOCKUNSPENT_OUTPUTS) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                       "Invalid parameter, at most " + std::to_string(MAX_LOCKUNSPENT_OUTPUTS) + " outputs per call"};
    }
    std::vector<OutPoint> out;
    out.reserve(listed.size());
    for (const json::value& value : listed) {
        if (!value.is_object()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Expected type object"};
        const json::object& object = value.get_object();
        const json::value* txid_value = object.if_contains("txid");
        const json::value* vout_value = object.if_contains("vout");
        if (txid_value == nullptr || !IsJsonString(*txid_value)) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, missing txid key"};
        }
        if (vout_value == nullptr || !IsJsonNumber(*vout_value)) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, missing vout key"};
        }
        const std::string_view text{txid_value->get_string()};
        const auto txid = text.size() == 64 ? uint256::FromHex(text) : std::nullopt;
        if (!txid) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                           "txid must be of length 64 and hexadecimal (not '" + TruncateForMessage(text) + "')"};
        }
        const int64_t vout = IntFromValue(*vout_value);
        if (vout < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, vout cannot be negative"};
        if (vout > int64_t{UINT32_MAX}) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, vout index out of bounds"};
        }
        out.push_back(OutPoint{*txid, static_cast<uint32_t>(vout)});
    }
    return out;
}

}  // namespace

Result<void> RegisterWalletSendRPCCommands(RPCTable& table, WalletManager& manager)
{
    WalletManager* wm = &manager;
    std::vector<RPCMethod> methods;

    {
        std::vector<RPCArg> args{
            {"address", RPCArgType::STRING, false, "", "The HPIPS address to send to."},
            {"amount", RPCArgType::AMOUNT, false, "", "The amount to send. eg 0.1"},
            {"comment", RPCArgType::STRING, true, "",
             "A comment used to store what the transaction is for (wallet only, shown as \"comment\")."},
            {"comment_to", RPCArgType::STRING, true, "",
             "A comment to store the name of the person or organization to which you're sending the transaction "
             "(wallet only, shown as \"to\")."},
            {"subtractfeefromamount", RPCArgType::BOOL, true, "false",
             "The fee will be deducted from the amount being sent; the recipient receives less."},
            {"replaceable", RPCArgType::BOOL, true, "false",
             "Must be false: the HPIPS mempool has no replacement (doc/wallet.md)."}};
        AddFeeArgs(args);
        args.push_back({"avoid_reuse", RPCArgType::BOOL, true, "false", "Not supported (ignored)."});
        args.push_back({"fee_rate", RPCArgType::AMOUNT, true, "not set, falls back to wallet fee estimation",
                        "Specify a fee rate in base units/byte (Core's sat/vB; up to 3 decimals)."});
        args.push_back({"verbose", RPCArgType::BOOL, true, "false", "Not supported yet (must be false)."});
        methods.push_back({
            .category = "wallet",
            .name = "sendtoaddress",
            .description = "Send an amount to a given address. Coins: branch-and-bound (no change) first, then "
                           "largest-first with change to a new change address; the fee rate: fee_rate, else "
                           "conf_target's estimate, else settxfee/-paytxfee, else the estimate for "
                           "-txconfirmtarget, else -fallbackfee (doc/wallet.md, \"Sending\").",
            .args = std::move(args),
            .result = "\"hex\"    (string) The transaction id.",
            .examples = HelpExampleCli("sendtoaddress", "\"rhp1...\" 0.1") +
                        HelpExampleCli("sendtoaddress", "\"rhp1...\" 0.1 \"donation\" \"seans outpost\"") +
                        HelpExampleCli("sendtoaddress", "\"rhp1...\" 0.1 \"\" \"\" true"),
            .handler = [wm](const RPCRequest& request) -> json::value {
                auto wallet = WalletForRequest(*wm, request);
                EnsureUnlocked(*wallet);
                Recipient recipient;
                recipient.destination = ParseDestination(ParamString(request, 0), wallet->GetNetwork());
                recipient.amount = AmountFromValue(request.params[1]);
                if (recipient.amount <= 0) throw RPCError{RPCErrorCode::TYPE_ERROR, "Invalid amount for send"};
                const std::string comment = CommentParam(request, 2);
                const std::string comment_to = CommentParam(request, 3);
                recipient.subtract_fee = OptionalParamBool(request, 4).value_or(false);
                RejectReplaceable(request, 5);
                CoinControl control;
                ParseFeeArgs(OptionalParam(request, 6), OptionalParam(request, 7), OptionalParam(request, 9), control);
                RejectVerbose(request, 10);
                auto sent = wallet->Send({recipient}, control, comment, comment_to);
                if (!sent) ThrowSendError(sent.error());
                return json::value(sent->GetHex());
            },
        });
    }

    {
        std::vector<RPCArg> args{
            {"dummy", RPCArgType::STRING, false, "", "Must be set to \"\" for backwards compatibility."},
            {"amounts", RPCArgType::OBJECT, false, "",
             "The addresses and amounts: {\"address\":amount,...} (each address once)"},
            {"minconf", RPCArgType::NUMBER, true, "0",
             "Only spend coins with at least this many confirmations (0: also the wallet's own unconfirmed "
             "change)."},
            {"comment", RPCArgType::STRING, true, "", "A comment (wallet only, shown as \"comment\")."},
            {"subtractfeefrom", RPCArgType::ARRAY, true, "[]",
             "The addresses that pay the fee, equally (the first also the remainder)."},
            {"replaceable", RPCArgType::BOOL, true, "false",
             "Must be false: the HPIPS mempool has no replacement (doc/wallet.md)."}};
        AddFeeArgs(args);
        args.push_back({"fee_rate", RPCArgType::AMOUNT, true, "not set, falls back to wallet fee estimation",
                        "Specify a fee rate in base units/byte (Core's sat/vB; up to 3 decimals)."});
        args.push_back({"verbose", RPCArgType::BOOL, true, "false", "Not supported yet (must be false)."});
        methods.push_back({
            .category = "wallet",
            .name = "sendmany",
            .description = "Send multiple times. Amounts are in coins; coins and fee as sendtoaddress.",
            .args = std::move(args),
            .result = "\"hex\"    (string) The transaction id for the send.",
            .examples = HelpExampleCli("sendmany", "\"\" \"{\\\"rhp1...\\\":0.01,\\\"rhp1...\\\":0.02}\"") +
                        HelpExampleCli("sendmany", "\"\" \"{\\\"rhp1...\\\":0.01}\" 1 \"testing\" "
                                                   "\"[\\\"rhp1...\\\"]\""),
            .handler = [wm](const RPCRequest& request) -> json::value {
                auto wallet = WalletForRequest(*wm, request);
                EnsureUnlocked(*wallet);
                if (!ParamString(request, 0).empty()) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Dummy value must be set to \"\""};
                }
                const json::object& amounts = request.params[1].get_object();
                if (amounts.size() > MAX_SENDMANY_RECIPIENTS) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Too many recipients (at most " + std::to_string(MAX_SENDMANY_RECIPIENTS) + ")"};
                }
                CoinControl control;
                control.min_conf = OptionalParamInt64(request, 2).value_or(0);
                if (control.min_conf < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid minconf"};
                const std::string comment = CommentParam(request, 3);
                std::set<std::string> subtract;
                if (const json::value* from = OptionalParam(request, 4)) {
                    const json::array& list = from->get_array();
                    if (list.size() > MAX_SUBTRACT_FEE_ENTRIES) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Too many subtractfeefrom entries"};
                    }
                    for (const json::value& entry : list) {
                        if (!entry.is_string()) throw RPCError{RPCErrorCode::TYPE_ERROR, "subtractfeefrom: addresses"};
                        subtract.insert(std::string{entry.get_string()});
                    }
                }
                RejectReplaceable(request, 5);
                ParseFeeArgs(OptionalParam(request, 6), OptionalParam(request, 7), OptionalParam(request, 8), control);
                RejectVerbose(request, 9);

                std::vector<Recipient> recipients;
                std::set<std::pair<uint8_t, std::vector<uint8_t>>> seen;
                for (const auto& [key, value] : amounts) {
                    const std::string address{key};
                    Recipient r;
                    r.destination = ParseDestination(address, wallet->GetNetwork());
                    if (!seen.insert({r.destination.kind, r.destination.payload}).second) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                       "Invalid parameter, duplicated address: " + TruncateForMessage(address)};
                    }
                    r.amount = AmountFromValue(value);
                    if (r.amount <= 0) throw RPCError{RPCErrorCode::TYPE_ERROR, "Invalid amount for send"};
                    r.subtract_fee = subtract.erase(address) > 0;
                    recipients.push_back(std::move(r));
                }
                if (recipients.empty()) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Transaction must have at least one recipient"};
                }
                if (!subtract.empty()) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Invalid parameter, subtractfeefrom address not among the recipients: " +
                                       TruncateForMessage(*subtract.begin())};
                }
                auto sent = wallet->Send(recipients, control, comment, "");
                if (!sent) ThrowSendError(sent.error());
                return json::value(sent->GetHex());
            },
        });
    }

    methods.push_back({
        .category = "wallet",
        .name = "settxfee",
        .description = "Set the transaction fee rate in coins/kvB for this wallet. Overrides the -paytxfee "
                       "parameter; 0 goes back to the node's fee estimate (doc/wallet.md, \"Sending\").\n"
                       "Can be deactivated by passing 0 as the fee.",
        .args = {{"amount", RPCArgType::AMOUNT, false, "", "The transaction fee rate in coins/kvB"}},
        .result = "true|false    (boolean) Returns true if successful",
        .examples = HelpExampleCli("settxfee", "0.00001"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const Amount rate = AmountFromValue(request.params[0]);
            if (rate != 0 && rate < wallet->RelayFeeRate()) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "txfee cannot be less than min relay tx fee"};
            }
            if (rate > MAX_WALLET_FEE_RATE) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "txfee cannot be more than wallet max tx fee"};
            }
            wallet->SetPayTxFee(rate == 0 ? std::nullopt : std::optional<WalletFeeRate>{rate});
            return json::value(true);
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "fundrawtransaction",
        .description = "Adds the wallet's coins to a transaction until its inputs pay its outputs and the fee, "
                       "and a change output if the excess is worth one (coins as sendtoaddress). Preset inputs "
                       "must be the wallet's unspent coins. The result is unsigned (see "
                       "signrawtransactionwithwallet); it works on a locked wallet.",
        .args = {{"hexstring", RPCArgType::STRING, false, "", "The hex string of the raw transaction"},
                 {"options", RPCArgType::OBJECT, true, "{}",
                  "{\"add_inputs\": bool (default true), \"changeAddress\": \"str\", \"changePosition\": n, "
                  "\"includeWatching\": bool (ignored), \"lockUnspents\": bool, \"fee_rate\": base units/byte, "
                  "\"feeRate\": coins/kvB, \"subtractFeeFromOutputs\": [vout,...], \"conf_target\": n, "
                  "\"estimate_mode\": \"str\"}"}},
        .result = "{\n  \"hex\" : \"hex\",       (string) The resulting raw transaction (hex-encoded string)\n"
                  "  \"fee\" : n,           (numeric) Fee in coins the resulting transaction pays\n"
                  "  \"changepos\" : n      (numeric) The position of the added change output, or -1\n}",
        .examples = HelpExampleCli("fundrawtransaction", "\"rawtransactionhex\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            MutableTransaction mtx = DecodeTxParam(request, 0);
            CoinControl control;
            std::vector<size_t> subtract;
            if (const json::value* options_value = OptionalParam(request, 1)) {
                const json::object& options = options_value->get_object();
                static const std::set<std::string> KNOWN{"add_inputs",  "changeAddress", "changePosition",
                                                         "includeWatching", "lockUnspents", "fee_rate",
                                                         "feeRate",     "subtractFeeFromOutputs", "conf_target",
                                                         "estimate_mode", "replaceable"};
                for (const auto& [key, value] : options) {
                    if (!KNOWN.contains(std::string{key})) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                       "Invalid parameter, unknown key: " + TruncateForMessage(key)};
                    }
                }
                auto boolean = [&](const char* key) -> std::optional<bool> {
                    const json::value* v = options.if_contains(key);
                    if (!v || v->is_null()) return std::nullopt;
                    if (!v->is_bool()) throw RPCError{RPCErrorCode::TYPE_ERROR, std::string{key} + " must be a boolean"};
                    return v->get_bool();
                };
                control.add_inputs = boolean("add_inputs").value_or(true);
                control.lock_unspents = boolean("lockUnspents").value_or(false);
                if (boolean("replaceable").value_or(false)) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "replaceable is not supported: the HPIPS mempool does not accept replacements"};
                }
                if (const json::value* v = options.if_contains("changeAddress"); v && !v->is_null()) {
                    if (!v->is_string()) throw RPCError{RPCErrorCode::TYPE_ERROR, "changeAddress must be a string"};
                    auto dest = DecodeAddress(v->get_string(), wallet->GetNetwork());
                    if (!dest) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Change address must be a valid HPIPS address"};
                    control.change_destination = *dest;
                }
                if (const json::value* v = options.if_contains("changePosition"); v && !v->is_null()) {
                    const int64_t pos = IntFromValue(*v);
                    if (pos < 0 || static_cast<uint64_t>(pos) > mtx.outputs.size()) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "changePosition out of bounds"};
                    }
                    control.change_position = static_cast<size_t>(pos);
                }
                const json::value* fee_rate = options.if_contains("fee_rate");
                if (fee_rate && fee_rate->is_null()) fee_rate = nullptr;
                const json::value* fee_rate_kvb = options.if_contains("feeRate");
                if (fee_rate_kvb && fee_rate_kvb->is_null()) fee_rate_kvb = nullptr;
                const json::value* conf_target = options.if_contains("conf_target");
                if (conf_target && conf_target->is_null()) conf_target = nullptr;
                const json::value* estimate_mode = options.if_contains("estimate_mode");
                if (estimate_mode && estimate_mode->is_null()) estimate_mode = nullptr;
                if (fee_rate && fee_rate_kvb) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Cannot specify both fee_rate (base units/byte) and feeRate (coins/kvB)"};
                }
                if (fee_rate_kvb) {
                    if (conf_target || estimate_mode) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                       "Cannot specify both conf_target/estimate_mode and feeRate"};
                    }
                    const Amount rate = AmountFromValue(*fee_rate_kvb);
                    if (rate > MAX_WALLET_FEE_RATE) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "feeRate is too high"};
                    control.fee_rate = rate;
                } else {
                    ParseFeeArgs(conf_target, estimate_mode, fee_rate, control);
                }
                if (const json::value* v = options.if_contains("subtractFeeFromOutputs"); v && !v->is_null()) {
                    if (!v->is_array()) throw RPCError{RPCErrorCode::TYPE_ERROR, "subtractFeeFromOutputs must be an array"};
                    std::set<int64_t> seen;
                    for (const json::value& entry : v->get_array()) {
                        const int64_t pos = IntFromValue(entry);
                        if (!seen.insert(pos).second) {
                            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                           "Invalid parameter, duplicated position: " + std::to_string(pos)};
                        }
                        if (pos < 0) {
                            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                           "Invalid parameter, negative position: " + std::to_string(pos)};
                        }
                        if (static_cast<uint64_t>(pos) >= mtx.outputs.size()) {
                            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                           "Invalid parameter, position too large: " + std::to_string(pos)};
                        }
                        subtract.push_back(static_cast<size_t>(pos));
                    }
                }
            }
            if (mtx.outputs.empty()) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "TX must have at least one output"};
            }
            auto funded = wallet->Fund(std::move(mtx), subtract, control);
            if (!funded) {
                // Core's fundrawtransaction answers -4 for every failure to fund.
                if (funded.error().failure == SendFailure::DATABASE) ThrowSendError(funded.error());
                throw RPCError{RPCErrorCode::WALLET_ERROR, funded.error().message};
            }
            json::object out;
            out["hex"] = HexStr(EncodeTransaction(Transaction{funded->tx}));
            out["fee"] = ValueFromAmount(funded->fee);
            out["changepos"] = funded->change_position;
            return out;
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "signrawtransactionwithwallet",
        .description = "Sign inputs for raw transaction (serialized, hex-encoded) with the wallet's keys.\n"
                       "Every HPIPS signature commits to the outputs spent by all inputs, so inputs are signed "
                       "only when each spends an output of this wallet.",
        .args = {{"hexstring", RPCArgType::STRING, false, "", "The transaction hex string"},
                 {"prevtxs", RPCArgType::ARRAY, true, "", "Not supported yet (must be empty)"},
                 {"sighashtype", RPCArgType::STRING, true, "\"DEFAULT\"",
                  "The signature hash type: \"DEFAULT\" or \"ALL\" (the same; no other type exists yet)"}},
        .result = SIGN_RAW_TRANSACTION_RESULT_HELP,
        .examples = HelpExampleCli("signrawtransactionwithwallet", "\"myhex\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            MutableTransaction mtx = DecodeTxParam(request, 0);
            if (const json::value* prevtxs = OptionalParam(request, 1); prevtxs && !prevtxs->get_array().empty()) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "prevtxs is not supported yet by the wallet"};
            }
            const std::string sighash = OptionalParamString(request, 2).value_or("DEFAULT");
            if (sighash != "DEFAULT" && sighash != "ALL") {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "'" + TruncateForMessage(sighash) + "' is not a valid sighash parameter."};
            }
            EnsureUnlocked(*wallet);
            auto signed_tx = wallet->SignTransaction(std::move(mtx));
            if (!signed_tx) ThrowSendError(signed_tx.error());
            json::array errors;
            for (const InputSigningError& error : signed_tx->errors) {
                errors.push_back(SigningErrorJson(signed_tx->tx.inputs[error.input], error.error));
            }
            json::object out;
            out["hex"] = HexStr(EncodeTransaction(Transaction{signed_tx->tx}));
            out["complete"] = errors.empty();
            if (!errors.empty()) out["errors"] = std::move(errors);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "abandontransaction",
        .description = "Mark in-wallet transaction <txid> as abandoned.\n"
                       "This will mark this transaction and all its in-wallet descendants as abandoned which will "
                       "allow for their inputs to be respent. It can be used to replace \"stuck\" or evicted "
                       "transactions.\nIt only works on transactions which are not included in a block and are "
                       "not currently in the mempool. HPIPS: an abandoned transaction is never resubmitted to the "
                       "mempool (doc/wallet.md).",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("abandontransaction", "\"1075db55d416d3ca199f55b6084e2115b9345e16c5cf302fc80e9d5fbf5d48d\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const std::string text = ParamString(request, 0);
            const auto txid = text.size() == 64 ? uint256::FromHex(text) : std::nullopt;
            if (!txid) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "txid must be of length 64 and hexadecimal (not '" + TruncateForMessage(text) + "')"};
            }
            auto done = wallet->AbandonTransaction(*txid);
            if (!done) {
                throw RPCError{done.error().failure == AbandonFailure::DATABASE ? RPCErrorCode::DATABASE_ERROR
                                                                                : RPCErrorCode::INVALID_ADDRESS_OR_KEY,
                               done.error().message};
            }
            return nullptr;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "lockunspent",
        .description = "Updates list of temporarily unspendable outputs.\n"
                       "Temporarily lock (unlock=false) or unlock (unlock=true) specified transaction outputs.\n"
                       "If no transaction outputs are specified when unlocking then all current locked "
                       "transaction outputs are unlocked.\nA locked transaction output will not be chosen by "
                       "automatic coin selection, when spending coins.\nLocks are stored in memory only: they "
                       "are cleared when the wallet is unloaded or the node restarts (persistent=true is refused).\n"
                       "All listed outputs are checked before any lock changes (at most 10,000 per call).",
        .args = {{"unlock", RPCArgType::BOOL, false, "", "Whether to unlock (true) or lock (false) the specified transactions"},
                 {"transactions", RPCArgType::ARRAY, true, "[]",
                  "The transaction outputs and within each, the txid (string) vout (numeric)."},
                 {"persistent", RPCArgType::BOOL, true, "false", "Not supported: must be false"}},
        .result = "true|false    (boolean) Whether the command was successful or not",
        .examples = HelpExampleCli("lockunspent", "false \"[{\\\"txid\\\":\\\"a08e6907dbbd3d809776dbfc5d82e371b764ed838b5655e72f463568df1aadf0\\\",\\\"vout\\\":1}]\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const bool unlock = ParamBool(request, 0);
            if (OptionalParamBool(request, 2).value_or(false)) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Invalid parameter, persistent locks are not supported by this wallet"};
            }
            const json::value* listed = OptionalParam(request, 1);
            if (listed == nullptr) {
                if (!unlock) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, no outputs to lock"};
                wallet->UnlockAllCoins();
                return true;
            }
            auto outpoints = ParseOutPoints(listed->get_array());
            auto done = wallet->SetCoinLocks(outpoints, unlock);
            if (!done) throw RPCError{RPCErrorCode::INVALID_PARAMETER, done.error().message};
            return true;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "listlockunspent",
        .description = "Returns list of temporarily unspendable outputs.\nSee the lockunspent call to lock and "
                       "unlock transactions for spending.",
        .args = {},
        .result = "[ { \"txid\", \"vout\" }, ... ]",
        .examples = HelpExampleCli("listlockunspent", ""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            json::array out;
            for (const OutPoint& outpoint : wallet->LockedCoins()) {
                json::object entry;
                entry["txid"] = outpoint.txid.GetHex();
                entry["vout"] = outpoint.index;
                out.push_back(std::move(entry));
            }
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "bumpfee",
        .description = "Not available: bumping a fee replaces a mempool transaction (BIP125), and the HPIPS "
                       "mempool does not accept replacements (doc/wallet.md, \"Sending\"). Always fails with "
                       "-4 (-13 first when the wallet is locked). For a transaction that left the mempool, use "
                       "abandontransaction and send again.",
        .args = {{"txid", RPCArgType::STRING, false, "", "The txid to be bumped"},
                 {"options", RPCArgType::OBJECT, true, "{}", "Ignored"}},
        .result = "(always an error)",
        .examples = HelpExampleCli("bumpfee", "<txid>"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            EnsureUnlocked(*wallet);
            throw RPCError{RPCErrorCode::WALLET_ERROR,
                           "bumpfee is not supported: the HPIPS mempool does not accept replacement transactions "
                           "(no BIP125 replace-by-fee)"};
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips::wallet
