// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/rawtransaction.h>

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <chain/txindex.h>
#include <consensus/params.h>
#include <crypto/key.h>
#include <crypto/random.h>
#include <primitives/address.h>
#include <primitives/descriptor.h>
#include <primitives/key_io.h>
#include <primitives/sighash.h>
#include <primitives/tx_sign.h>
#include <rpc/chain_util.h>
#include <rpc/json.h>
#include <rpc/tx_json.h>
#include <rpc/util.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** The reject reason sendrawtransaction reports for missing inputs (Core's). */
constexpr std::string_view MISSING_INPUTS_REASON = "bad-txns-inputs-missingorspent";

const json::object& ObjectOrThrow(const json::value& value)
{
    if (!value.is_object()) {
        throw RPCError{RPCErrorCode::TYPE_ERROR,
                       "JSON value of type " + std::string{JsonTypeName(value)} + " is not of expected type object"};
    }
    return value.get_object();
}

std::string StringOrThrow(const json::value& value)
{
    if (!IsJsonString(value)) {
        throw RPCError{RPCErrorCode::TYPE_ERROR,
                       "JSON value of type " + std::string{JsonTypeName(value)} + " is not of expected type string"};
    }
    return std::string{value.get_string()};
}

Transaction DecodeTxOrThrow(std::string_view hex)
{
    auto tx = DecodeHexTx(hex);
    if (!tx) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "TX decode failed: " + tx.error_message()};
    return std::move(*tx);
}

/** getrawtransaction's verbosity: a bool (false = 0, true = 1) or a number. */
int ParseVerbosity(const RPCRequest& request, size_t index)
{
    const json::value* value = OptionalParam(request, index);
    if (value == nullptr) return 0;
    if (value->is_bool()) return value->get_bool() ? 1 : 0;
    const int64_t level = IntFromValue(*value);
    return level <= 0 ? 0 : level == 1 ? 1 : 2;
}

/** The coin an input spends, from the UTXO set or a pool transaction. */
std::optional<TxOut> LookupSpent(const ChainContext& ctx, const OutPoint& outpoint)
{
    if (auto coin = ctx.chainstate.GetCoin(outpoint); coin && !coin->IsSpent()) return coin->out;
    return ctx.mempool.GetOutput(outpoint);
}

/** The most a transaction of `size` bytes may pay at `rate` (per 1000 bytes). */
Amount MaxFee(Amount rate, size_t size) { return rate * static_cast<Amount>(size) / 1000; }

/** createrawtransaction's inputs. */
std::vector<TxIn> ParseInputs(const json::array& inputs, uint32_t lock_time)
{
    if (inputs.size() > MAX_TX_INPUTS) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many inputs"};
    std::vector<TxIn> out;
    out.reserve(inputs.size());
    for (const json::value& value : inputs) {
        const json::object& input = ObjectOrThrow(value);
        TxIn in;
        in.prevout.txid = ParseHashO(input, "txid");
        const json::value* vout = input.if_contains("vout");
        if (vout == nullptr || !IsJsonNumber(*vout)) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, missing vout key"};
        }
        const int64_t index = IntFromValue(*vout);
        if (index < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, vout cannot be negative"};
        if (index > int64_t{UINT32_MAX}) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, vout out of range"};
        }
        in.prevout.index = static_cast<uint32_t>(index);
        // As Core: a lock time needs a non-final sequence to take effect.
        in.sequence = lock_time != 0 ? SEQUENCE_FINAL - 1 : SEQUENCE_FINAL;
        if (const json::value* sequence = input.if_contains("sequence"); sequence != nullptr && !sequence->is_null()) {
            const int64_t number = IntFromValue(*sequence);
            if (number < 0 || number > int64_t{SEQUENCE_FINAL}) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, sequence number is out of range"};
            }
            in.sequence = static_cast<uint32_t>(number);
        }
        out.push_back(std::move(in));
    }
    return out;
}

/** createrawtransaction's outputs: an array of one-key objects, or one
 *  object (Core accepts both). */
std::vector<TxOut> ParseOutputs(const json::value& outputs_value, Network net)
{
    std::vector<std::pair<std::string, const json::value*>> pairs;
    if (outputs_value.is_object()) {
        const json::object& outputs = outputs_value.get_object();
        if (outputs.size() > MAX_TX_OUTPUTS) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many outputs"};
        }
        for (const auto& member : outputs) pairs.emplace_back(std::string{member.key()}, &member.value());
    } else if (outputs_value.is_array()) {
        const json::array& outputs = outputs_value.get_array();
        if (outputs.size() > MAX_TX_OUTPUTS) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many outputs"};
        }
        for (const json::value& value : outputs) {
            if (!value.is_object()) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, key-value pair not an object as expected"};
            }
            const json::object& pair = value.get_object();
            if (pair.size() != 1) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Invalid parameter, key-value pair must contain exactly one key"};
            }
            pairs.emplace_back(std::string{pair.begin()->key()}, &pair.begin()->value());
        }
    } else {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, output argument must be non-null"};
    }
    std::set<std::string> seen;
    std::vector<TxOut> out;
    out.reserve(pairs.size());
    for (const auto& [address, amount] : pairs) {
        if (!seen.insert(address).second) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                           "Invalid parameter, duplicated address: " + TruncateForMessage(address)};
        }
        TxOut output;
        output.destination = ParseAddressOrThrow(address, net, "Invalid HPIPS address: ");
        output.amount = AmountFromValue(*amount);
        out.push_back(std::move(output));
    }
    return out;
}

/** signrawtransactionwithkey's prevtxs: outpoint → output. */
std::map<OutPoint, TxOut> ParsePrevTxs(const json::array& prevtxs, Network net)
{
    if (prevtxs.size() > MAX_SIGNING_ITEMS) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many prevtxs"};
    }
    std::map<OutPoint, TxOut> out;
    for (const json::value& value : prevtxs) {
        const json::object& prev = ObjectOrThrow(value);
        OutPoint outpoint;
        outpoint.txid = ParseHashO(prev, "txid");
        const json::value* vout = prev.if_contains("vout");
        if (vout == nullptr || !IsJsonNumber(*vout)) throw RPCError{RPCErrorCode::TYPE_ERROR, "Missing vout"};
        const int64_t index = IntFromValue(*vout);
        if (index < 0) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "vout cannot be negative"};
        if (index > int64_t{UINT32_MAX}) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "vout out of range"};
        outpoint.index = static_cast<uint32_t>(index);
        TxOut output;
        if (const json::value* address = prev.if_contains("address"); address != nullptr && !address->is_null()) {
            output.destination = ParseAddressOrThrow(StringOrThrow(*address), net, "Invalid HPIPS address: ");
        } else if (const json::value* hex = prev.if_contains("scriptPubKey"); hex != nullptr && !hex->is_null()) {
            // Core's field name, holding the destination's encoding in hex.
            const auto bytes = ParseBoundedHex(StringOrThrow(*hex), 2 * (MAX_DESTINATION_PAYLOAD + 4));
            auto dest = bytes ? Decode(*bytes, [](Reader& r) { return ReadDestination(r); })
                              : Result<Destination>{Error{"not hex"}};
            if (!dest) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "Invalid scriptPubKey (destination) hex"};
            output.destination = std::move(*dest);
        } else {
            throw RPCError{RPCErrorCode::TYPE_ERROR, "Missing address"};
        }
        const json::value* amount = prev.if_contains("amount");
        if (amount == nullptr || amount->is_null()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Missing amount"};
        output.amount = AmountFromValue(*amount);
        out[outpoint] = std::move(output);
    }
    return out;
}

}  // namespace

Result<void> RegisterRawTransactionRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "rawtransactions",
        .name = "getrawtransaction",
        .description = "Return the raw transaction data.\n\n"
                       "By default, this call only returns a transaction if it is in the mempool. If -txindex is "
                       "enabled and no blockhash argument is passed, it will return the transaction if it is in a "
                       "block in the blockchain.\n\n"
                       "If a blockhash argument is passed, it will return the transaction if the specified block "
                       "is available and the transaction is in that block.\n\n"
                       "If verbosity is 0 or omitted, returns the serialized transaction as a hex-encoded string.\n"
                       "If verbosity is 1, returns a JSON Object with information about the transaction.\n"
                       "If verbosity is 2, returns a JSON Object with information about the transaction, including "
                       "fee and prevout information (for a confirmed transaction, from its block's undo data; for "
                       "a mempool transaction, the fee only).",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id"},
                 {"verbosity", RPCArgType::ANY, true, "0",
                  "0 for hex-encoded data, 1 for a JSON object, and 2 for JSON object with fee and prevout (a "
                  "boolean means 1 or 0)"},
                 {"blockhash", RPCArgType::STRING, true, "", "The block in which to look for the transaction"}},
        .result = "\"str\"    (string) The serialized, hex-encoded data for 'txid' (verbosity 0)\n"
                  "{ \"in_active_chain\" (only with blockhash), ...decoderawtransaction fields..., \"hex\", "
                  "\"blockhash\", \"confirmations\", \"time\", \"blocktime\" (confirmed only), \"fee\" and "
                  "\"vin[].prevout\" (verbosity 2) }    (json object) verbosity 1 and 2",
        .examples = HelpExampleCli("getrawtransaction", "\"mytxid\"") +
                    HelpExampleCli("getrawtransaction", "\"mytxid\" 1") +
                    HelpExampleCli("getrawtransaction", "\"mytxid\" 1 \"myblockhash\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 txid = ParseHashV(request.params[0], "parameter 1");
            const int verbosity = ParseVerbosity(request, 1);
            const json::value* blockhash_param = OptionalParam(request, 2);
            if (txid == ctx->params.genesis.txs[0].GetTxid()) {
                throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY,
                               "The genesis block coinbase is not considered an ordinary transaction and cannot be "
                               "retrieved"};
            }
            // A confirmed transaction: from the given block or the index.
            std::optional<Transaction> found;
            uint256 block_hash;
            uint32_t position{0};
            if (blockhash_param != nullptr) {
                block_hash = ParseHashV(*blockhash_param, "parameter 3");
                if (!ctx->chainstate.GetBlockInfo(block_hash)) {
                    throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Block hash not found"};
                }
                auto block = ctx->chainstate.ReadBlock(block_hash);
                if (!block) throw RPCError{RPCErrorCode::MISC_ERROR, "Block not available"};
                for (uint32_t i{0}; i < block->txs.size(); ++i) {
                    if (block->txs[i].GetTxid() != txid) continue;
                    found = std::move(block->txs[i]);
                    position = i;
                    break;
                }
                if (!found) {
                    throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY,
                                   "No such transaction found in the provided block. Use gettransaction for wallet "
                                   "transactions."};
                }
            } else {
                if (const auto entry = ctx->mempool.Get(txid)) {
                    if (verbosity == 0) return json::value(HexStr(EncodeTransaction(entry->tx)));
                    const std::optional<Amount> fee =
                        verbosity >= 2 ? std::optional<Amount>{entry->fee} : std::nullopt;
                    return TxToJSON(entry->tx, ctx->params.network, fee, /*include_hex=*/true);
                }
                std::string not_found{"No such mempool transaction. Use -txindex or provide a block hash to enable "
                                      "blockchain transaction queries"};
                if (ctx->txindex != nullptr) {
                    auto indexed = ctx->txindex->FindTx(txid);
                    if (!indexed) {
                        throw RPCError{RPCErrorCode::MISC_ERROR, "Transaction index: " + indexed.error_message()};
                    }
                    if (*indexed) {
                        found = std::move((*indexed)->tx);
                        block_hash = (*indexed)->block_hash;
                        position = (*indexed)->position;
                    } else if (!ctx->txindex->Summary().synced) {
                        not_found = "No such mempool transaction. Blockchain transactions are still in the process "
                                    "of being indexed";
                    } else {
                        not_found = "No such mempool or blockchain transaction";
                    }
                }
                if (!found) {
                    throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY,
                                   not_found + ". Use gettransaction for wallet transactions."};
                }
            }
            if (verbosity == 0) return json::value(HexStr(EncodeTransaction(*found)));
            // The block may have left the active chain since it was read:
            // its info is read once, after, and reported as it is now.
            const auto info = ctx->chainstate.GetBlockInfo(block_hash);
            std::optional<Amount> fee;
            std::optional<BlockUndo> undo;
            if (verbosity >= 2 && position > 0) {
                if (auto read = ctx->chainstate.ReadBlockUndo(block_hash);
                    read && read->txs.size() > position - 1) {
                    undo = std::move(*read);
                    fee = FeeFromSpent(*found, undo->txs[position - 1]);
                }
            }
            json::object out;
            if (blockhash_param != nullptr) out["in_active_chain"] = info && info->in_active_chain;
            json::object body = TxToJSON(*found, ctx->params.network, fee, /*include_hex=*/true,
                                         undo ? &undo->txs[position - 1] : nullptr);
            for (auto& member : body) out[member.key()] = std::move(member.value());
            out["blockhash"] = block_hash.GetHex();
            const bool active = info && info->in_active_chain;
            out["confirmations"] = active ? info->confirmations : 0;
            if (info) {
                out["time"] = info->header.time;
                out["blocktime"] = info->header.time;
            }
            return out;
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "decoderawtransaction",
        .description = "Return a JSON object representing the serialized, hex-encoded transaction.",
        .args = {{"hexstring", RPCArgType::STRING, false, "", "The transaction hex string"}},
        .result = "{\n"
                  "  \"txid\" : \"hex\",        (string) The transaction id\n"
                  "  \"hash\" : \"hex\",        (string) The transaction hash (wtxid: includes the witnesses)\n"
                  "  \"size\" : n,            (numeric) The serialized transaction size\n"
                  "  \"vsize\" : n,           (numeric) Equal to size (HPIPS has no witness discount)\n"
                  "  \"weight\" : n,          (numeric) Equal to size\n"
                  "  \"version\" : n,         (numeric) The version\n"
                  "  \"locktime\" : xxx,      (numeric) The lock time\n"
                  "  \"vin\" : [ { \"txid\", \"vout\", \"txinwitness\" : [ \"hex\" ], \"sequence\" } or "
                  "{ \"coinbase\", \"sequence\" }, ... ],\n"
                  "  \"vout\" : [ { \"value\", \"n\", \"scriptPubKey\" : { \"asm\", \"desc\", \"hex\", \"address\", "
                  "\"type\" } }, ... ]\n"
                  "}",
        .examples = HelpExampleCli("decoderawtransaction", "\"hexstring\"") +
                    HelpExampleRpc("decoderawtransaction", "\"hexstring\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const Transaction tx = DecodeTxOrThrow(ParamString(request, 0));
            return TxToJSON(tx, ctx->params.network);
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "decodescript",
        .description = "Decode a hex-encoded script.\n"
                       "HPIPS outputs carry destination bytes (kind u8, CompactSize length, payload) rather than "
                       "scripts: the hex is read as those bytes, as scriptPubKey.hex shows them.",
        .args = {{"hexstring", RPCArgType::STRING, false, "", "the hex-encoded destination bytes"}},
        .result = "{\n"
                  "  \"asm\" : \"str\",       (string) \"<kind> <payload hex>\", or \"[error]\" for bytes that are "
                  "not a destination\n"
                  "  \"desc\" : \"str\",      (string) Inferred descriptor: addr(...) or raw(...), with checksum\n"
                  "  \"hex\" : \"hex\",       (string) The bytes decoded\n"
                  "  \"address\" : \"str\",   (string, optional) The address, when the destination has one\n"
                  "  \"type\" : \"str\"       (string) \"witness_v1_taproot\" for a key destination, else "
                  "\"nonstandard\"\n"
                  "}",
        .examples = HelpExampleCli("decodescript", "\"hexstring\"") + HelpExampleRpc("decodescript", "\"hexstring\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const std::string hex = ParamString(request, 0);
            const auto bytes = ParseHex(hex);
            if (!bytes) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "argument must be hexadecimal string (not '" + TruncateForMessage(hex) + "')"};
            }
            if (const auto dest = DestinationFromBytes(*bytes)) return ScriptPubKeyToJSON(*dest, ctx->params.network);
            // Not a destination's encoding: Core's answer for a script it
            // cannot parse (asm "[error]", a raw() descriptor, nonstandard).
            json::object out;
            out["asm"] = bytes->empty() ? "" : "[error]";
            out["desc"] = AddDescriptorChecksum("raw(" + HexStr(*bytes) + ")").value_or("");
            out["hex"] = HexStr(*bytes);
            out["type"] = "nonstandard";
            return out;
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "createrawtransaction",
        .description = "Create a transaction spending the given inputs and creating new outputs.\n"
                       "Outputs can be addresses only (HPIPS has no data outputs).\n"
                       "Returns hex-encoded raw transaction.\n"
                       "Note that the transaction's inputs are not signed, and\n"
                       "it is not stored in the wallet or transmitted to the network.",
        .args = {{"inputs", RPCArgType::ARRAY, false, "",
                  "The inputs: [{\"txid\":\"hex\",\"vout\":n,\"sequence\":n},...]"},
                 {"outputs", RPCArgType::ANY, false, "",
                  "The outputs: [{\"address\":amount},...] or {\"address\":amount,...}"},
                 {"locktime", RPCArgType::NUMBER, true, "0",
                  "Raw locktime. Non-0 value also locktime-activates inputs"}},
        .result = "\"hex\"    (string) hex string of the transaction",
        .examples = HelpExampleCli("createrawtransaction",
                                   "\"[{\\\"txid\\\":\\\"myid\\\",\\\"vout\\\":0}]\" \"[{\\\"address\\\":0.01}]\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const int64_t lock_time = OptionalParamInt64(request, 2).value_or(0);
            if (lock_time < 0 || lock_time > int64_t{UINT32_MAX}) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, locktime out of range"};
            }
            MutableTransaction mtx;
            mtx.lock_time = static_cast<uint32_t>(lock_time);
            mtx.inputs = ParseInputs(request.params[0].get_array(), mtx.lock_time);
            mtx.outputs = ParseOutputs(request.params[1], ctx->params.network);
            return json::value(HexStr(EncodeTransaction(Transaction{std::move(mtx)})));
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "signrawtransactionwithkey",
        .description = "Sign inputs for raw transaction (serialized, hex-encoded).\n"
                       "The second argument is an array of WIF private keys that will be the only keys used to "
                       "sign the transaction.\n"
                       "The third optional argument (may be null) is an array of previous transaction outputs "
                       "that this transaction depends on but may not yet be in the block chain.\n"
                       "Every input's spent output must be known (chain, mempool or prevtxs): each signature "
                       "commits to all of them.",
        .args = {{"hexstring", RPCArgType::STRING, false, "", "The transaction hex string"},
                 {"privkeys", RPCArgType::ARRAY, false, "", "The base58-encoded private keys for signing"},
                 {"prevtxs", RPCArgType::ARRAY, true, "",
                  "The previous dependent transaction outputs: [{\"txid\":\"hex\",\"vout\":n,\"address\":\"str\","
                  "\"amount\":amount},...] (\"scriptPubKey\": destination hex may replace \"address\")"},
                 {"sighashtype", RPCArgType::STRING, true, "\"DEFAULT\"",
                  "The signature hash type: \"DEFAULT\" or \"ALL\" (the same; no other type exists yet)"}},
        .result = SIGN_RAW_TRANSACTION_RESULT_HELP,
        .examples = HelpExampleCli("signrawtransactionwithkey", "\"myhex\" \"[\\\"key1\\\",\\\"key2\\\"]\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const Network net = ctx->params.network;
            MutableTransaction mtx = DecodeTxOrThrow(ParamString(request, 0)).fields();
            const json::array& keys_json = request.params[1].get_array();
            if (keys_json.size() > MAX_SIGNING_ITEMS) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many private keys"};
            }
            std::vector<PrivKey> keys;
            std::map<XOnlyPubKey, size_t> key_index;
            for (const json::value& value : keys_json) {
                auto key = DecodeSecret(StringOrThrow(value), net);
                if (!key) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid private key"};
                key_index.emplace(key->GetXOnlyPubKey(), keys.size());
                keys.push_back(std::move(*key));
            }
            std::map<OutPoint, TxOut> given;
            if (const json::value* prevtxs = OptionalParam(request, 2)) given = ParsePrevTxs(prevtxs->get_array(), net);
            const std::string sighash = OptionalParamString(request, 3).value_or("DEFAULT");
            if (sighash != "DEFAULT" && sighash != "ALL") {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "'" + TruncateForMessage(sighash) + "' is not a valid sighash parameter."};
            }

            // The spent outputs: chain and pool first, prevtxs for the rest.
            std::vector<std::optional<TxOut>> spent(mtx.inputs.size());
            for (size_t i{0}; i < mtx.inputs.size(); ++i) {
                const OutPoint& prevout = mtx.inputs[i].prevout;
                spent[i] = LookupSpent(*ctx, prevout);
                const auto it = given.find(prevout);
                if (spent[i] && it != given.end() && it->second.destination != spent[i]->destination) {
                    throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR,
                                   "Previous output destination mismatch:\n" + DestinationHex(spent[i]->destination) +
                                       "\nvs:\n" + DestinationHex(it->second.destination)};
                }
                if (!spent[i] && it != given.end()) spent[i] = it->second;
            }

            const auto signing_errors = SignTransactionInputs(
                mtx, spent,
                [&](const XOnlyPubKey& pubkey) -> std::optional<PrivKey> {
                    const auto key = key_index.find(pubkey);
                    if (key == key_index.end()) return std::nullopt;
                    return keys[key->second].Clone();
                },
                net);
            json::array errors;
            for (const InputSigningError& error : signing_errors) {
                errors.push_back(SigningErrorJson(mtx.inputs[error.input], error.error));
            }
            json::object out;
            out["hex"] = HexStr(EncodeTransaction(Transaction{mtx}));
            out["complete"] = errors.empty();
            if (!errors.empty()) out["errors"] = std::move(errors);
            return out;
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "sendrawtransaction",
        .description = "Submit a raw transaction (serialized, hex-encoded) to local node and network.\n\n"
                       "Once the mempool accepts it, the transaction is announced to every peer that relays\n"
                       "transactions (by wtxid or txid, on the next announcement timer, subject to each peer's\n"
                       "feefilter). A transaction already in the mempool is not announced again.",
        .args = {{"hexstring", RPCArgType::STRING, false, "", "The hex string of the raw transaction"},
                 {"maxfeerate", RPCArgType::AMOUNT, true, "0.10",
                  "Reject transactions whose fee rate is higher than the specified value, expressed in "
                  "coins/kvB.\nSet to 0 to accept any fee rate."}},
        .result = "\"hex\"    (string) The transaction hash in hex",
        .examples = HelpExampleCli("sendrawtransaction", "\"signedhex\"") +
                    HelpExampleRpc("sendrawtransaction", "\"signedhex\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const Transaction tx = DecodeTxOrThrow(ParamString(request, 0));
            const json::value* rate_param = OptionalParam(request, 1);
            const Amount max_rate = rate_param ? ParseFeeRate(*rate_param) : DEFAULT_MAX_RAW_TX_FEE_RATE;
            const std::string txid = tx.GetTxid().GetHex();
            if (ctx->mempool.Exists(tx.GetTxid())) return json::value(txid);
            // One pass through the pool's checks, context-free ones first, so
            // the reason is the consensus one (bad-txns-prevout-null, coinbase,
            // bad-txns-vout-empty, ...) whatever the inputs; the fee limit is
            // checked there once the inputs are known.
            std::optional<Amount> max_fee;
            if (max_rate != 0) max_fee = MaxFee(max_rate, tx.GetTotalSize());
            const MempoolAcceptResult result = ctx->mempool.AcceptToMemoryPool(tx, /*test_only=*/false, max_fee);
            if (result.Accepted()) return json::value(txid);
            const TxValidationState& state = result.state;
            switch (state.GetFailure()) {
            case TxFailure::ALREADY_IN_MEMPOOL:
                return json::value(txid);
            case TxFailure::MISSING_INPUTS:
                throw RPCError{RPCErrorCode::VERIFY_ERROR, std::string{MISSING_INPUTS_REASON}};
            case TxFailure::ALREADY_IN_CHAIN:
                throw RPCError{RPCErrorCode::VERIFY_ALREADY_IN_CHAIN, "Transaction already in block chain"};
            case TxFailure::FEE_EXCEEDS_MAXIMUM:
                throw RPCError{RPCErrorCode::VERIFY_ERROR,
                               "Fee exceeds maximum configured by user (e.g. -maxtxfee, maxfeerate)"};
            default:
                break;
            }
            throw RPCError{RPCErrorCode::VERIFY_REJECTED, state.ToString()};
        },
    });

    methods.push_back({
        .category = "rawtransactions",
        .name = "testmempoolaccept",
        .description = "Returns result of mempool acceptance tests indicating if raw transaction(s) (serialized, "
                       "hex-encoded) would be accepted by mempool.\n\n"
                       "Each transaction is tested on its own against the current mempool (HPIPS has no package "
                       "evaluation: a child of another transaction in the list reports missing-inputs).\n\n"
                       "This checks if transactions violate the consensus or policy rules.\n\n"
                       "See sendrawtransaction call.",
        .args = {{"rawtxs", RPCArgType::ARRAY, false, "",
                  "An array of hex strings of raw transactions (1 to 25)"},
                 {"maxfeerate", RPCArgType::AMOUNT, true, "0.10",
                  "Reject transactions whose fee rate is higher than the specified value, expressed in "
                  "coins/kvB"}},
        .result = "[ { \"txid\", \"wtxid\", \"allowed\", \"vsize\", \"fees\" : { \"base\" }, \"reject-reason\" }, "
                  "... ]    (json array) one result per transaction, in order",
        .examples = HelpExampleCli("testmempoolaccept", "'[\"signedhex\"]'") +
                    HelpExampleRpc("testmempoolaccept", "[\"signedhex\"]"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const json::array& raw = request.params[0].get_array();
            if (raw.empty() || raw.size() > MAX_TESTMEMPOOLACCEPT_TXS) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Array must contain between 1 and " + std::to_string(MAX_TESTMEMPOOLACCEPT_TXS) +
                                   " transactions."};
            }
            const json::value* rate_param = OptionalParam(request, 1);
            const Amount max_rate = rate_param ? ParseFeeRate(*rate_param) : DEFAULT_MAX_RAW_TX_FEE_RATE;
            std::vector<Transaction> txs;
            txs.reserve(raw.size());
            for (const json::value& value : raw) txs.push_back(DecodeTxOrThrow(StringOrThrow(value)));
            json::array out;
            for (const Transaction& tx : txs) {
                json::object entry;
                entry["txid"] = tx.GetTxid().GetHex();
                entry["wtxid"] = tx.GetWtxid().GetHex();
                std::optional<Amount> max_fee;
                if (max_rate != 0) max_fee = MaxFee(max_rate, tx.GetTotalSize());
                const MempoolAcceptResult result = ctx->mempool.AcceptToMemoryPool(tx, /*test_only=*/true, max_fee);
                if (!result.Accepted()) {
                    entry["allowed"] = false;
                    entry["reject-reason"] = result.state.GetFailure() == TxFailure::MISSING_INPUTS
                                                 ? std::string{"missing-inputs"}
                                                 : result.state.GetReason();
                } else {
                    entry["allowed"] = true;
                    entry["vsize"] = result.size;
                    json::object fees;
                    fees["base"] = ValueFromAmount(result.fee);
                    entry["fees"] = std::move(fees);
                }
                out.push_back(std::move(entry));
            }
            return out;
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
