// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/misc_chain.h>

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <chain/txindex.h>
#include <consensus/params.h>
#include <crypto/cleanse.h>
#include <primitives/address.h>
#include <primitives/key_io.h>
#include <primitives/message.h>
#include <rpc/auth.h>
#include <rpc/fees.h>
#include <rpc/tx_json.h>
#include <rpc/util.h>
#include <util/bech32.h>
#include <util/strencodings.h>
#include <util/threadsafety.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <cctype>
#include <memory>
#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** Longest verifymessage signature text decoded (a 64-byte signature is 88
 *  base64 characters). */
constexpr size_t MAX_MESSAGE_SIGNATURE_BASE64 = 88;

/** Reads the blocks (no lock held): each non-coinbase transaction's fee
 *  rate from the block and its undo data. A block whose data cannot be read
 *  is skipped (it only makes the sample smaller). */
std::vector<int64_t> SampleConfirmedFeeRates(Chainstate& chainstate, const BlockInfo& tip)
{
    std::vector<int64_t> rates;
    const int64_t lowest = std::max<int64_t>(1, tip.height - FEE_ESTIMATE_BLOCKS + 1);
    for (int64_t height = tip.height; height >= lowest; --height) {
        const auto hash = chainstate.GetBlockHashAt(height);
        if (!hash) break;
        auto block = chainstate.ReadBlock(*hash);
        auto undo = chainstate.ReadBlockUndo(*hash);
        if (!block || !undo || undo->txs.size() + 1 != block->txs.size()) continue;
        for (size_t t{1}; t < block->txs.size(); ++t) {
            const Transaction& tx = block->txs[t];
            if (const auto fee = FeeFromSpent(tx, undo->txs[t - 1])) {
                rates.push_back(FeeRatePerKvB(*fee, tx.GetTotalSize()));
            }
        }
    }
    return rates;
}

std::vector<int64_t> CachedConfirmedFeeRates(Chainstate& chainstate, FeeSampleCache& cache)
{
    const BlockInfo tip = chainstate.TipInfo();
    {
        LockGuard lock{cache.mutex};
        if (cache.valid && cache.tip == tip.hash) return cache.rates;
    }
    std::vector<int64_t> rates = SampleConfirmedFeeRates(chainstate, tip);
    LockGuard lock{cache.mutex};
    cache.tip = tip.hash;
    cache.valid = true;
    cache.rates = rates;
    return rates;
}

/** The mempool's entries as fee samples, best fee rate first; empty when
 *  the whole pool fits in `room` bytes (its floor is then 0 anyway), so the
 *  common case copies nothing. */
std::vector<FeeSample> MempoolByRate(const Mempool& mempool, uint64_t room)
{
    std::vector<FeeSample> pool;
    if (mempool.Bytes() <= room) return pool;
    for (const MempoolEntry& entry : mempool.Entries()) pool.push_back({entry.fee, entry.size});
    std::sort(pool.begin(), pool.end(), [](const FeeSample& a, const FeeSample& b) {
        return FeeRatePerKvB(a.fee, a.size) > FeeRatePerKvB(b.fee, b.size);
    });
    return pool;
}

/** Core's estimate modes, case-insensitive; true for conservative (also
 *  "unset", Core 25's default). */
bool ParseConservativeMode(const std::string& mode)
{
    std::string upper = mode;
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper == "UNSET" || upper == "CONSERVATIVE") return true;
    if (upper == "ECONOMICAL") return false;
    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                   "Invalid estimate_mode parameter, must be one of: \"unset\", \"economical\", \"conservative\""};
}

}  // namespace

std::optional<int64_t> EstimateSmartFeeRate(Chainstate& chainstate, Mempool& mempool, int64_t conf_target,
                                            bool conservative, FeeSampleCache& cache)
{
    const int64_t target = std::clamp(conf_target, MIN_CONF_TARGET, MAX_CONF_TARGET);
    std::vector<int64_t> rates = CachedConfirmedFeeRates(chainstate, cache);
    const std::vector<FeeSample> pool = MempoolByRate(mempool, static_cast<uint64_t>(target) * MAX_BLOCK_SIZE);
    const int64_t floor = MempoolFeeRateFloor(pool, target, MAX_BLOCK_SIZE);
    return EstimateFeeRate(rates, target, conservative, floor, mempool.Options().min_relay_fee_rate);
}

Result<void> RegisterMiscChainRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    const auto fee_cache = std::make_shared<FeeSampleCache>();
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "util",
        .name = "validateaddress",
        .description = "Return information about the given HPIPS address.",
        .args = {{"address", RPCArgType::STRING, false, "", "The HPIPS address to validate"}},
        .result = "{\n"
                  "  \"isvalid\" : true|false,     (boolean) If the address is valid or not\n"
                  "  \"address\" : \"str\",          (string, optional) The address validated\n"
                  "  \"scriptPubKey\" : \"hex\",     (string, optional) The destination's encoding (kind, length, key)\n"
                  "  \"isscript\" : false,         (boolean, optional) Always false\n"
                  "  \"iswitness\" : true,         (boolean, optional) Always true (a witness version 1 program)\n"
                  "  \"witness_version\" : 1,      (numeric, optional) The witness version\n"
                  "  \"witness_program\" : \"hex\",  (string, optional) The 32-byte x-only key\n"
                  "  \"error\" : \"str\",            (string, optional) Error message, if any\n"
                  "  \"error_locations\" : [ n ]   (json array, optional) Indices of likely error locations in "
                  "address, if known (e.g. Bech32 errors)\n"
                  "}",
        .examples = HelpExampleCli("validateaddress", "\"rhp1p...\"") + HelpExampleRpc("validateaddress", "\"rhp1p...\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const std::string address = ParamString(request, 0);
            const auto dest = DecodeAddress(address, ctx->params.network);
            json::object out;
            if (dest) {
                out["isvalid"] = true;
                out["address"] = EncodeAddress(*dest, ctx->params.network);
                out["scriptPubKey"] = DestinationHex(*dest);
                out["isscript"] = false;
                out["iswitness"] = true;
                out["witness_version"] = ADDRESS_WITNESS_VERSION;
                out["witness_program"] = HexStr(dest->payload);
                return out;
            }
            json::array locations;
            // The located typos, when the text is bech32-shaped (DecodeAddress
            // bounds the length first, so this never sees huge input).
            if (address.size() <= bech32::MAX_LENGTH) {
                for (const size_t position : bech32::Decode(address).error_positions) locations.push_back(position);
            }
            out["isvalid"] = false;
            out["error_locations"] = std::move(locations);
            out["error"] = dest.error_message();
            return out;
        },
    });

    methods.push_back({
        .category = "util",
        .name = "verifymessage",
        .description = "Verify a signed message.\nHPIPS: the signature is a 64-byte BIP-340 Schnorr signature (base64) "
                       "by the address's x-only key over TaggedHash(\"HPIPS/message\", message) (doc/wallet.md, "
                       "\"Signed messages\").",
        .args = {{"address", RPCArgType::STRING, false, "", "The HPIPS address to use for the signature."},
                 {"signature", RPCArgType::STRING, false, "",
                  "The signature provided by the signer in base 64 encoding (see signmessage)."},
                 {"message", RPCArgType::STRING, false, "", "The message that was signed (at most 1 MiB)."}},
        .result = "true|false    (boolean) If the signature is verified or not.",
        .examples = HelpExampleCli("verifymessage", "\"rhp1p...\" \"signature\" \"my message\"") +
                    HelpExampleRpc("verifymessage", "\"rhp1p...\", \"signature\", \"my message\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const std::string address = ParamString(request, 0);
            const std::string signature = ParamString(request, 1);
            const std::string message = ParamString(request, 2);
            const auto dest = DecodeAddress(address, ctx->params.network);
            if (!dest) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid address"};
            if (!dest->IsKey()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Address does not refer to key"};
            if (message.size() > MAX_MESSAGE_SIZE) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Message too long (at most 1048576 bytes)"};
            }
            // A 64-byte signature is 88 base64 characters: longer text cannot
            // be one (false, as Core answers for a signature of the wrong
            // size) and is not decoded.
            if (signature.size() > MAX_MESSAGE_SIGNATURE_BASE64) return false;
            const auto sig = DecodeBase64(signature);
            if (!sig) throw RPCError{RPCErrorCode::TYPE_ERROR, "Malformed base64 encoding"};
            const std::span<const uint8_t> bytes{reinterpret_cast<const uint8_t*>(sig->data()), sig->size()};
            return VerifyMessage(*dest, bytes, message);
        },
    });

    methods.push_back({
        .category = "util",
        .name = "signmessagewithprivkey",
        .description = "Sign a message with the private key of an address (see verifymessage for the scheme).",
        .args = {{"privkey", RPCArgType::STRING, false, "", "The private key to sign the message with (WIF)."},
                 {"message", RPCArgType::STRING, false, "", "The message to create a signature of (at most 1 MiB)."}},
        .result = "\"str\"    (string) The signature of the message encoded in base 64",
        .examples = HelpExampleCli("signmessagewithprivkey", "\"privkey\" \"my message\"") +
                    HelpExampleRpc("signmessagewithprivkey", "\"privkey\", \"my message\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            std::string wif = ParamString(request, 0);
            const std::string message = ParamString(request, 1);
            if (message.size() > MAX_MESSAGE_SIZE) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Message too long (at most 1048576 bytes)"};
            }
            const auto key = DecodeSecret(wif, ctx->params.network);
            MemoryCleanse(wif.data(), wif.size());
            if (!key) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid private key"};
            const auto sig = SignMessage(*key, message);
            return json::value(EncodeBase64(std::string_view{reinterpret_cast<const char*>(sig.data()), sig.size()}));
        },
    });

    methods.push_back({
        .category = "util",
        .name = "getindexinfo",
        .description = "Returns the status of one or all available indices currently running in the node.",
        .args = {{"index_name", RPCArgType::STRING, true, "", "Filter results for an index with a specific name."}},
        .result = "{                               (json object) An object with one key per index (none without "
                  "-txindex)\n"
                  "  \"txindex\" : {                 (json object) The name of the index\n"
                  "    \"synced\" : true|false,      (boolean) Whether the index is synced or not\n"
                  "    \"best_block_height\" : n     (numeric) The block height to which the index is synced\n"
                  "  }\n"
                  "}",
        .examples = HelpExampleCli("getindexinfo", "") + HelpExampleRpc("getindexinfo", "") +
                    HelpExampleCli("getindexinfo", "txindex") + HelpExampleRpc("getindexinfo", "txindex"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const json::value* name = OptionalParam(request, 0);
            json::object out;
            if (ctx->txindex == nullptr) return out;
            if (name != nullptr && ParamString(request, 0) != TXINDEX_NAME) return out;
            const TxIndexSummary summary = ctx->txindex->Summary();
            json::object entry;
            entry["synced"] = summary.synced;
            entry["best_block_height"] = summary.best_block_height;
            out[TXINDEX_NAME] = std::move(entry);
            return out;
        },
    });

    methods.push_back({
        .category = "util",
        .name = "estimatesmartfee",
        .description = "Estimates the approximate fee per kilobyte needed for a transaction to begin\n"
                       "confirmation within conf_target blocks if possible and return the number of blocks\n"
                       "for which the estimate is valid.\n"
                       "HPIPS estimates from the fee rates of the transactions confirmed in the last 24 blocks (a "
                       "percentile that falls with the target) and the mempool (doc/rpc.md).",
        .args = {{"conf_target", RPCArgType::NUMBER, false, "", "Confirmation target in blocks (1 - 1008)"},
                 {"estimate_mode", RPCArgType::STRING, true, "\"conservative\"",
                  "The fee estimate mode.\n\"unset\", \"economical\" or \"conservative\" (case-insensitive)"}},
        .result = "{\n"
                  "  \"feerate\" : n,     (numeric, optional) estimate fee rate in coins/kvB (only present if no "
                  "errors were encountered)\n"
                  "  \"errors\" : [       (json array, optional) Errors encountered during processing (if there "
                  "are any)\n"
                  "    \"str\",           (string) error\n"
                  "    ...\n"
                  "  ],\n"
                  "  \"blocks\" : n       (numeric) block number where estimate was found\n"
                  "}",
        .examples = HelpExampleCli("estimatesmartfee", "6") +
                    HelpExampleRpc("estimatesmartfee", "6, \"economical\""),
        .handler = [ctx, fee_cache](const RPCRequest& request) -> json::value {
            const int64_t target = ParamInt64(request, 0);
            if (target < MIN_CONF_TARGET || target > MAX_CONF_TARGET) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid conf_target, must be between " +
                                                                    std::to_string(MIN_CONF_TARGET) + " and " +
                                                                    std::to_string(MAX_CONF_TARGET)};
            }
            const bool conservative = ParseConservativeMode(OptionalParamString(request, 1).value_or("unset"));
            std::vector<int64_t> rates = CachedConfirmedFeeRates(ctx->chainstate, *fee_cache);
            const std::vector<FeeSample> pool = MempoolByRate(ctx->mempool, static_cast<uint64_t>(target) * MAX_BLOCK_SIZE);
            const int64_t floor = MempoolFeeRateFloor(pool, target, MAX_BLOCK_SIZE);
            const auto estimate =
                EstimateFeeRate(rates, target, conservative, floor, ctx->mempool.Options().min_relay_fee_rate);
            json::object out;
            if (estimate) {
                out["feerate"] = ValueFromAmount(*estimate);
            } else {
                json::array errors;
                errors.push_back(json::value("Insufficient data or no feerate found"));
                out["errors"] = std::move(errors);
            }
            out["blocks"] = target;
            return out;
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
