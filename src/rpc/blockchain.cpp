// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/blockchain.h>

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <rpc/chain_util.h>
#include <rpc/fees.h>
#include <rpc/json.h>
#include <rpc/tx_json.h>
#include <rpc/util.h>
#include <util/clock.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** getblockchaininfo's verificationprogress: the chain's estimate, 1 once
 *  out of initial block download. */
json::value VerificationProgress(const SyncProgress& progress)
{
    if (!progress.initial_block_download || progress.covered_seconds >= progress.total_seconds) return json::value(1);
    return *MakeJsonNumber(FormatRatio(ArithUint512{static_cast<uint64_t>(progress.covered_seconds)},
                                       ArithUint512{static_cast<uint64_t>(progress.total_seconds)}));
}

BlockInfo LookupBlockOrThrow(const ChainContext& ctx, const uint256& hash)
{
    auto info = ctx.chainstate.GetBlockInfo(hash);
    if (!info) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Block not found"};
    return std::move(*info);
}

/** {hash, height} of the tip: the result of the waitfor* methods. */
json::object TipHashHeight(const BlockInfo& tip)
{
    json::object out;
    out["hash"] = tip.hash.GetHex();
    out["height"] = tip.height;
    return out;
}

/** Polls the tip (PollChain) until `done` holds for it, the
 *  timeout (ms; 0 = none) or MAX_BLOCK_WAIT_MS passes, or the node shuts
 *  down; returns the tip it saw last. "Negative timeout" as Core. */
json::value WaitForTip(const ChainContext& ctx, const json::value* timeout_param,
                       const std::function<bool(const BlockInfo&)>& done)
{
    int64_t timeout_ms{0};
    if (timeout_param != nullptr) timeout_ms = IntFromValue(*timeout_param);
    if (timeout_ms < 0) throw RPCError{RPCErrorCode::MISC_ERROR, "Negative timeout"};
    const int64_t wait_ms = timeout_ms == 0 ? MAX_BLOCK_WAIT_MS : std::min(timeout_ms, MAX_BLOCK_WAIT_MS);
    BlockInfo tip;
    // Every end returns the tip seen last (Core's shape on timeout or exit).
    PollChain(ctx, std::chrono::milliseconds{wait_ms}, [&] {
        tip = ctx.chainstate.TipInfo();
        return done(tip);
    });
    return TipHashHeight(tip);
}

/** The block getblockstats names, with Core's errors: a height (numeric)
 *  on the active chain, or the hash (string) of any known block. */
BlockInfo BlockFromHashOrHeight(const ChainContext& ctx, const json::value& param)
{
    if (param.is_string()) {
        const uint256 hash = ParseHashV(param, "hash_or_height");
        return LookupBlockOrThrow(ctx, hash);
    }
    const int64_t height = IntFromValue(param);
    const int64_t tip = ctx.chainstate.Height();
    if (height < 0) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                       "Target block height " + std::to_string(height) + " is negative"};
    }
    if (height > tip) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Target block height " + std::to_string(height) +
                                                            " after current tip " + std::to_string(tip)};
    }
    const auto hash = ctx.chainstate.GetBlockHashAt(height);
    if (!hash) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Block height out of range"};
    return LookupBlockOrThrow(ctx, *hash);
}

/** Every statistic getblockstats can return (doc/rpc.md lists the ones of
 *  Core it leaves out). */
const std::set<std::string, std::less<>>& BlockStatNames()
{
    static const std::set<std::string, std::less<>> names{
        "avgfee",    "avgfeerate", "avgtxsize", "blockhash", "feerate_percentiles", "height", "ins",
        "maxfee",    "maxfeerate", "maxtxsize", "medianfee", "mediantime", "mediantxsize", "minfee",
        "minfeerate", "mintxsize", "outs",      "subsidy",   "time",       "total_out",    "total_size",
        "totalfee",  "txs",        "utxo_increase",
    };
    return names;
}

/** getblockstats' object for a block and (height > 0) its undo data. Fee
 *  rates are base units per byte, rounded down, as Core's sat/vB. */
json::object BlockStatsToJSON(const Block& block, const BlockInfo& info, const BlockUndo* undo)
{
    Amount total_fee{0};
    Amount total_out{0};
    int64_t ins{0};
    int64_t outs{0};
    uint64_t total_size{0};
    std::vector<int64_t> fees;
    std::vector<int64_t> sizes;
    std::vector<int64_t> rates;
    std::vector<FeeSample> samples;
    for (size_t t{0}; t < block.txs.size(); ++t) {
        const Transaction& tx = block.txs[t];
        outs += static_cast<int64_t>(tx.outputs().size());
        if (t == 0) continue;  // the coinbase counts only for txs and outs, as in Core
        ins += static_cast<int64_t>(tx.inputs().size());
        for (const TxOut& out : tx.outputs()) total_out = CheckedMoneyAdd(total_out, out.amount).value_or(MAX_MONEY);
        const uint64_t size = tx.GetTotalSize();
        total_size += size;
        sizes.push_back(static_cast<int64_t>(size));
        if (undo == nullptr || undo->txs.size() + 1 != block.txs.size()) continue;
        const std::optional<Amount> fee = FeeFromSpent(tx, undo->txs[t - 1]);
        if (!fee) continue;
        total_fee = CheckedMoneyAdd(total_fee, *fee).value_or(MAX_MONEY);
        fees.push_back(*fee);
        rates.push_back(FeeRatePerKvB(*fee, size) / 1000);
        samples.push_back({*fee, size});
    }
    const int64_t spends = static_cast<int64_t>(block.txs.size()) - 1;
    const auto min_of = [](const std::vector<int64_t>& v) {
        return v.empty() ? 0 : *std::min_element(v.begin(), v.end());
    };
    const auto max_of = [](const std::vector<int64_t>& v) {
        return v.empty() ? 0 : *std::max_element(v.begin(), v.end());
    };
    json::object out;
    out["avgfee"] = spends > 0 ? total_fee / spends : 0;
    out["avgfeerate"] = total_size > 0 ? FeeRatePerKvB(total_fee, total_size) / 1000 : 0;
    out["avgtxsize"] = spends > 0 ? static_cast<int64_t>(total_size) / spends : 0;
    out["blockhash"] = info.hash.GetHex();
    json::array percentiles;
    for (const int64_t rate : WeightedFeeRatePercentiles(samples)) percentiles.push_back(rate / 1000);
    out["feerate_percentiles"] = std::move(percentiles);
    out["height"] = info.height;
    out["ins"] = ins;
    out["maxfee"] = max_of(fees);
    out["maxfeerate"] = max_of(rates);
    out["maxtxsize"] = max_of(sizes);
    out["medianfee"] = TruncatedMedian(fees);
    out["mediantime"] = info.median_time_past;
    out["mediantxsize"] = TruncatedMedian(sizes);
    out["minfee"] = min_of(fees);
    out["minfeerate"] = min_of(rates);
    out["mintxsize"] = min_of(sizes);
    out["outs"] = outs;
    out["subsidy"] = BlockSubsidy(info.height);
    out["time"] = info.header.time;
    out["total_out"] = total_out;
    out["total_size"] = total_size;
    out["totalfee"] = total_fee;
    out["txs"] = block.txs.size();
    out["utxo_increase"] = outs - ins;
    return out;
}

}  // namespace

Result<void> RegisterBlockchainRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "blockchain",
        .name = "getblockchaininfo",
        .description = "Returns an object containing various state info regarding blockchain processing.",
        .args = {},
        .result = "{\n"
                  "  \"chain\" : \"str\",                  (string) current network name (main, test, regtest)\n"
                  "  \"blocks\" : n,                     (numeric) the height of the most-work fully-validated chain\n"
                  "  \"headers\" : n,                    (numeric) the current number of headers we have validated\n"
                  "  \"bestblockhash\" : \"str\",          (string) the hash of the currently best block\n"
                  "  \"difficulty\" : n,                 (numeric) the current difficulty\n"
                  "  \"time\" : xxx,                     (numeric) The block time expressed in UNIX epoch time\n"
                  "  \"mediantime\" : xxx,               (numeric) The median block time expressed in UNIX epoch time\n"
                  "  \"verificationprogress\" : n,       (numeric) estimate of verification progress [0..1]\n"
                  "  \"initialblockdownload\" : true|false, (boolean) estimate of whether this node is in Initial Block Download mode\n"
                  "  \"chainwork\" : \"hex\",              (string) total amount of work in active chain, in hexadecimal\n"
                  "  \"size_on_disk\" : n,               (numeric) always 0 (not measured yet)\n"
                  "  \"pruned\" : true|false,            (boolean) always false\n"
                  "  \"warnings\" : \"str\"                (string) any network and blockchain warnings\n"
                  "}",
        .examples = HelpExampleCli("getblockchaininfo", "") + HelpExampleRpc("getblockchaininfo", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            const BlockInfo tip = ctx->chainstate.TipInfo();
            const SyncProgress progress = ctx->chainstate.GetSyncProgress();
            const bool ibd = progress.initial_block_download;
            json::object out;
            out["chain"] = ctx->params.Name();
            out["blocks"] = tip.height;
            out["headers"] = ctx->chainstate.BestHeaderHeight();
            out["bestblockhash"] = tip.hash.GetHex();
            out["difficulty"] = DifficultyValue(tip.header.bits, ctx->params.pow_limit);
            out["time"] = tip.header.time;
            out["mediantime"] = tip.median_time_past;
            out["verificationprogress"] = VerificationProgress(progress);
            out["initialblockdownload"] = ibd;
            out["chainwork"] = ChainWorkHex(tip.chain_work);
            out["size_on_disk"] = 0;
            out["pruned"] = false;
            out["warnings"] = ctx->chainstate.HasFatalError()
                                  ? "A fatal internal error occurred, see debug.log for details"
                                  : "";
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getblockcount",
        .description = "Returns the height of the most-work fully-validated chain.\nThe genesis block has height 0.",
        .args = {},
        .result = "n    (numeric) The current block count",
        .examples = HelpExampleCli("getblockcount", "") + HelpExampleRpc("getblockcount", ""),
        .handler = [ctx](const RPCRequest&) -> json::value { return ctx->chainstate.Height(); },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getbestblockhash",
        .description = "Returns the hash of the best (tip) block in the most-work fully-validated chain.",
        .args = {},
        .result = "\"hex\"    (string) the block hash, hex-encoded",
        .examples = HelpExampleCli("getbestblockhash", "") + HelpExampleRpc("getbestblockhash", ""),
        .handler = [ctx](const RPCRequest&) -> json::value { return json::value(ctx->chainstate.TipHash().GetHex()); },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getblockhash",
        .description = "Returns hash of block in best-block-chain at height provided.",
        .args = {{"height", RPCArgType::NUMBER, false, "", "The height index"}},
        .result = "\"hex\"    (string) The block hash",
        .examples = HelpExampleCli("getblockhash", "1000") + HelpExampleRpc("getblockhash", "1000"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const int64_t height = ParamInt64(request, 0);
            const auto hash = ctx->chainstate.GetBlockHashAt(height);
            if (!hash) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Block height out of range"};
            return json::value(hash->GetHex());
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getblockheader",
        .description = "If verbose is false, returns a string that is serialized, hex-encoded data for blockheader "
                       "'hash'.\nIf verbose is true, returns an Object with information about blockheader <hash>.",
        .args = {{"blockhash", RPCArgType::STRING, false, "", "The block hash"},
                 {"verbose", RPCArgType::BOOL, true, "true", "true for a json object, false for the hex-encoded data"}},
        .result = "{ \"hash\", \"confirmations\", \"height\", \"version\", \"versionHex\", \"merkleroot\", \"time\", "
                  "\"mediantime\", \"nonce\", \"bits\", \"difficulty\", \"chainwork\", \"nTx\", "
                  "\"previousblockhash\", \"nextblockhash\", \"pouw\": { \"miner_key\", \"nonce\", \"unit_id\", "
                  "\"tile_index\", \"state\" } }    (json object) for verbose = true\n"
                  "\"hex\"    (string) the 184-byte header, hex-encoded, for verbose = false",
        .examples = HelpExampleCli("getblockheader", "\"<blockhash>\"") +
                    HelpExampleRpc("getblockheader", "\"<blockhash>\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 hash = ParseHashV(request.params[0], "blockhash");
            const bool verbose = OptionalParamBool(request, 1).value_or(true);
            const BlockInfo info = LookupBlockOrThrow(*ctx, hash);
            if (!verbose) return json::value(HexStr(EncodeBlockHeader(info.header)));
            return BlockHeaderToJSON(info, ctx->params);
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getblock",
        .description = "If verbosity is 0, returns a string that is serialized, hex-encoded data for block 'hash'.\n"
                       "If verbosity is 1, returns an Object with information about block <hash>.\n"
                       "If verbosity is 2, returns an Object with information about block <hash> and information "
                       "about each transaction, including its fee.\n"
                       "If verbosity is 3, returns an Object with information about block <hash> and information "
                       "about each transaction, including prevout information for inputs.",
        .args = {{"blockhash", RPCArgType::STRING, false, "", "The block hash"},
                 {"verbosity", RPCArgType::ANY, true, "1",
                  "0 for hex-encoded data, 1 for a JSON object, 2 for JSON object with transaction data, and 3 "
                  "for JSON object with transaction data including prevout information for inputs "
                  "(a boolean means 1 or 0)"}},
        .result = "\"hex\"    (string) verbosity 0: the block, hex-encoded\n"
                  "{ ...getblockheader fields..., \"size\", \"strippedsize\", \"weight\", \"opening_size\", "
                  "\"tx\": [ \"txid\" or transaction objects ] }    (json object) verbosity 1, 2 and 3; "
                  "transaction objects carry \"fee\" (not the coinbase) and, with 3, \"vin[].prevout\": "
                  "{ \"generated\", \"height\", \"value\", \"scriptPubKey\" }",
        .examples = HelpExampleCli("getblock", "\"<blockhash>\"") + HelpExampleRpc("getblock", "\"<blockhash>\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 hash = ParseHashV(request.params[0], "blockhash");
            int verbosity{1};
            if (const json::value* value = OptionalParam(request, 1)) {
                if (value->is_bool()) {
                    verbosity = value->get_bool() ? 1 : 0;
                } else {
                    const int64_t level = IntFromValue(*value);
                    verbosity = static_cast<int>(std::clamp<int64_t>(level, 0, 3));
                }
            }
            const BlockInfo info = LookupBlockOrThrow(*ctx, hash);
            auto block = ctx->chainstate.ReadBlock(hash);
            if (!block) throw RPCError{RPCErrorCode::MISC_ERROR, "Block not available: " + block.error_message()};
            if (verbosity == 0) return json::value(HexStr(EncodeBlock(*block)));
            // Fees and prevouts come from the undo data of a block connected
            // once (genesis and blocks never connected have none).
            std::optional<BlockUndo> undo;
            if (verbosity >= 2 && info.height > 0) {
                if (auto read = ctx->chainstate.ReadBlockUndo(hash)) undo = std::move(*read);
            }
            return BlockToJSON(*block, info, ctx->params, verbosity, undo ? &*undo : nullptr);
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getchaintips",
        .description = "Return information about all known tips in the block tree, including the main chain as "
                       "well as orphaned branches.",
        .args = {},
        .result = "[ { \"height\" : n, \"hash\" : \"hex\", \"branchlen\" : n, \"status\" : \"str\" }, ... ]\n"
                  "status is \"active\", \"valid-fork\", \"valid-headers\", \"headers-only\" or \"invalid\"",
        .examples = HelpExampleCli("getchaintips", "") + HelpExampleRpc("getchaintips", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            json::array out;
            for (const ChainTipInfo& tip : ctx->chainstate.GetChainTips()) {
                json::object entry;
                entry["height"] = tip.height;
                entry["hash"] = tip.hash.GetHex();
                entry["branchlen"] = tip.branch_length;
                entry["status"] = tip.status;
                out.push_back(std::move(entry));
            }
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getdifficulty",
        .description = "Returns the proof-of-work difficulty as a multiple of the minimum difficulty "
                       "(the chain's easiest target divided by the tip's target).",
        .args = {},
        .result = "n    (numeric) the proof-of-work difficulty as a multiple of the minimum difficulty.",
        .examples = HelpExampleCli("getdifficulty", "") + HelpExampleRpc("getdifficulty", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            return DifficultyValue(ctx->chainstate.TipInfo().header.bits, ctx->params.pow_limit);
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "gettxout",
        .description = "Returns details about an unspent transaction output.",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id"},
                 {"n", RPCArgType::NUMBER, false, "", "vout number"},
                 {"include_mempool", RPCArgType::BOOL, true, "true",
                  "Whether to include the mempool. Note that an unspent output that is spent in the mempool "
                  "won't appear."}},
        .result = "null    (json null) If the output is spent or not found\n"
                  "{\n"
                  "  \"bestblock\" : \"hex\",      (string) The hash of the block at the tip of the chain\n"
                  "  \"confirmations\" : n,      (numeric) The number of confirmations (0 in the mempool)\n"
                  "  \"value\" : n,              (numeric) The transaction value in coins\n"
                  "  \"scriptPubKey\" : {        (json object) The output's destination, as Core's scriptPubKey\n"
                  "    \"asm\" : \"str\",          (string) \"<kind> <payload hex>\" (\"1 <x-only key>\" for a key)\n"
                  "    \"desc\" : \"str\",         (string) Inferred descriptor for the output: addr(...)#checksum\n"
                  "    \"hex\" : \"hex\",          (string) The destination's encoding (kind, length, payload)\n"
                  "    \"address\" : \"str\",      (string, optional) The HPIPS address (only if well-defined)\n"
                  "    \"type\" : \"str\"          (string) The type, eg witness_v1_taproot (doc/rpc.md)\n"
                  "  },\n"
                  "  \"coinbase\" : true|false   (boolean) Coinbase or not\n"
                  "}",
        .examples = HelpExampleCli("gettxout", "\"txid\" 1") + HelpExampleRpc("gettxout", "\"txid\", 1"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 txid = ParseHashV(request.params[0], "txid");
            const int64_t n = ParamInt64(request, 1);
            if (n < 0 || n > int64_t{UINT32_MAX}) throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON integer out of range"};
            const OutPoint outpoint{txid, static_cast<uint32_t>(n)};
            const bool include_mempool = OptionalParamBool(request, 2).value_or(true);
            const BlockInfo tip = ctx->chainstate.TipInfo();
            std::optional<Coin> coin;
            int64_t confirmations{0};
            if (include_mempool) {
                if (ctx->mempool.IsSpent(outpoint)) return nullptr;
                if (auto output = ctx->mempool.GetOutput(outpoint)) coin = Coin{std::move(*output), 0, false};
            }
            if (!coin) {
                coin = ctx->chainstate.GetCoin(outpoint);
                if (!coin || coin->IsSpent()) return nullptr;
                confirmations = tip.height - int64_t{coin->height} + 1;
            }
            json::object out;
            out["bestblock"] = tip.hash.GetHex();
            out["confirmations"] = confirmations;
            out["value"] = ValueFromAmount(coin->out.amount);
            out["scriptPubKey"] = ScriptPubKeyToJSON(coin->out.destination, ctx->params.network);
            out["coinbase"] = coin->coinbase;
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "gettxoutsetinfo",
        .description = "Returns statistics about the unspent transaction output set.\n"
                       "Note this call may take some time (it flushes the coins cache and walks the whole set).",
        .args = {},
        .result = "{\n"
                  "  \"height\" : n,             (numeric) The block height (index) of the returned statistics\n"
                  "  \"bestblock\" : \"hex\",      (string) The hash of the block at which these statistics are calculated\n"
                  "  \"txouts\" : n,             (numeric) The number of unspent transaction outputs\n"
                  "  \"transactions\" : n,       (numeric) The number of transactions with unspent outputs\n"
                  "  \"hash_serialized\" : \"hex\", (string) SHA-256 of the serialized UTXO set (doc/chainstate.md)\n"
                  "  \"total_amount\" : n,       (numeric) The total amount of coins in the UTXO set\n"
                  "  \"disk_size\" : n           (numeric) The estimated size of the chainstate on disk\n"
                  "}",
        .examples = HelpExampleCli("gettxoutsetinfo", "") + HelpExampleRpc("gettxoutsetinfo", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            auto stats = ctx->chainstate.GetUtxoStats();
            if (!stats) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Unable to read UTXO set: " + stats.error_message()};
            const auto info = ctx->chainstate.GetBlockInfo(stats->best_block);
            json::object out;
            out["height"] = info ? info->height : int64_t{-1};
            out["bestblock"] = stats->best_block.GetHex();
            out["txouts"] = stats->coins;
            out["transactions"] = stats->transactions;
            out["hash_serialized"] = stats->hash.GetHex();
            out["total_amount"] = ValueFromAmount(stats->total_amount);
            out["disk_size"] = stats->disk_size;
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "invalidateblock",
        .description = "Permanently marks a block as invalid, as if it violated a consensus rule.",
        .args = {{"blockhash", RPCArgType::STRING, false, "", "the hash of the block to mark as invalid"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("invalidateblock", "\"blockhash\"") +
                    HelpExampleRpc("invalidateblock", "\"blockhash\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 hash = ParseHashV(request.params[0], "blockhash");
            LookupBlockOrThrow(*ctx, hash);
            BlockValidationState state;
            const bool ok = ctx->chainstate.InvalidateBlock(hash, state);
            if (!ok) throw RPCError{RPCErrorCode::DATABASE_ERROR, state.ToString()};
            return nullptr;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "reconsiderblock",
        .description = "Removes invalidity status of a block, its ancestors and its descendants, reconsider them "
                       "for activation.\nThis can be used to undo the effects of invalidateblock.",
        .args = {{"blockhash", RPCArgType::STRING, false, "", "the hash of the block to reconsider"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("reconsiderblock", "\"blockhash\"") +
                    HelpExampleRpc("reconsiderblock", "\"blockhash\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 hash = ParseHashV(request.params[0], "blockhash");
            LookupBlockOrThrow(*ctx, hash);
            BlockValidationState state;
            const bool ok = ctx->chainstate.ReconsiderBlock(hash, state);
            if (!ok) throw RPCError{RPCErrorCode::DATABASE_ERROR, state.ToString()};
            return nullptr;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "waitfornewblock",
        .description = "Waits for a specific new block and returns useful info about it.\n\n"
                       "Returns the current block on timeout or exit. HPIPS polls the tip every 50 ms and waits "
                       "at most 10 minutes, also when timeout is 0.",
        .args = {{"timeout", RPCArgType::NUMBER, true, "0", "Time in milliseconds to wait for a response. 0 "
                                                             "indicates no timeout (capped at 600000)."}},
        .result = "{\n"
                  "  \"hash\" : \"hex\",     (string) The blockhash\n"
                  "  \"height\" : n        (numeric) Block height\n"
                  "}",
        .examples = HelpExampleCli("waitfornewblock", "1000") + HelpExampleRpc("waitfornewblock", "1000"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 start = ctx->chainstate.TipHash();
            return WaitForTip(*ctx, OptionalParam(request, 0),
                              [&start](const BlockInfo& tip) { return tip.hash != start; });
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "waitforblock",
        .description = "Waits for a specific new block and returns useful info about it.\n\n"
                       "Returns the current block on timeout or exit. HPIPS polls the tip every 50 ms and waits "
                       "at most 10 minutes, also when timeout is 0.",
        .args = {{"blockhash", RPCArgType::STRING, false, "", "Block hash to wait for."},
                 {"timeout", RPCArgType::NUMBER, true, "0", "Time in milliseconds to wait for a response. 0 "
                                                             "indicates no timeout (capped at 600000)."}},
        .result = "{\n"
                  "  \"hash\" : \"hex\",     (string) The blockhash\n"
                  "  \"height\" : n        (numeric) Block height\n"
                  "}",
        .examples = HelpExampleCli("waitforblock", "\"<blockhash>\" 1000") +
                    HelpExampleRpc("waitforblock", "\"<blockhash>\", 1000"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 hash = ParseHashV(request.params[0], "blockhash");
            return WaitForTip(*ctx, OptionalParam(request, 1),
                              [&hash](const BlockInfo& tip) { return tip.hash == hash; });
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "waitforblockheight",
        .description = "Waits for (at least) block height and returns the height and hash\n"
                       "of the current tip.\n\n"
                       "Returns the current block on timeout or exit. HPIPS polls the tip every 50 ms and waits "
                       "at most 10 minutes, also when timeout is 0.",
        .args = {{"height", RPCArgType::NUMBER, false, "", "Block height to wait for."},
                 {"timeout", RPCArgType::NUMBER, true, "0", "Time in milliseconds to wait for a response. 0 "
                                                             "indicates no timeout (capped at 600000)."}},
        .result = "{\n"
                  "  \"hash\" : \"hex\",     (string) The blockhash\n"
                  "  \"height\" : n        (numeric) Block height\n"
                  "}",
        .examples = HelpExampleCli("waitforblockheight", "100 1000") +
                    HelpExampleRpc("waitforblockheight", "100, 1000"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const int64_t height = ParamInt64(request, 0);
            return WaitForTip(*ctx, OptionalParam(request, 1),
                              [height](const BlockInfo& tip) { return tip.height >= height; });
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getblockstats",
        .description = "Compute per block statistics for a given window. All amounts are in base units "
                       "(1e-8 coin).\nIt won't work for some heights with pruning (HPIPS does not prune).",
        .args = {{"hash_or_height", RPCArgType::ANY, false, "",
                  "The block hash or height of the target block"},
                 {"stats", RPCArgType::ARRAY, true, "all values", "Values to plot (see result below)"}},
        .result = "{\n"
                  "  \"avgfee\" : n,              (numeric) Average fee in the block\n"
                  "  \"avgfeerate\" : n,          (numeric) Average feerate (in base units per byte)\n"
                  "  \"avgtxsize\" : n,           (numeric) Average transaction size\n"
                  "  \"blockhash\" : \"hex\",       (string) The block hash (to check for potential reorgs)\n"
                  "  \"feerate_percentiles\" : [  (json array) Feerates at the 10th, 25th, 50th, 75th, and 90th "
                  "percentile weight unit (in base units per byte)\n"
                  "    n, n, n, n, n\n"
                  "  ],\n"
                  "  \"height\" : n,              (numeric) The height of the block\n"
                  "  \"ins\" : n,                 (numeric) The number of inputs (excluding coinbase)\n"
                  "  \"maxfee\" : n,              (numeric) Maximum fee in the block\n"
                  "  \"maxfeerate\" : n,          (numeric) Maximum feerate (in base units per byte)\n"
                  "  \"maxtxsize\" : n,           (numeric) Maximum transaction size\n"
                  "  \"medianfee\" : n,           (numeric) Truncated median fee in the block\n"
                  "  \"mediantime\" : n,          (numeric) The block median time past\n"
                  "  \"mediantxsize\" : n,        (numeric) Truncated median transaction size\n"
                  "  \"minfee\" : n,              (numeric) Minimum fee in the block\n"
                  "  \"minfeerate\" : n,          (numeric) Minimum feerate (in base units per byte)\n"
                  "  \"mintxsize\" : n,           (numeric) Minimum transaction size\n"
                  "  \"outs\" : n,                (numeric) The number of outputs\n"
                  "  \"subsidy\" : n,             (numeric) The block subsidy\n"
                  "  \"time\" : n,                (numeric) The block time\n"
                  "  \"total_out\" : n,           (numeric) Total amount in all outputs (excluding coinbase)\n"
                  "  \"total_size\" : n,          (numeric) Total size of all non-coinbase transactions\n"
                  "  \"totalfee\" : n,            (numeric) The fee total\n"
                  "  \"txs\" : n,                 (numeric) The number of transactions (including coinbase)\n"
                  "  \"utxo_increase\" : n        (numeric) The increase/decrease in the number of unspent outputs\n"
                  "}",
        .examples = HelpExampleCli("getblockstats", "1000 '[\"minfeerate\",\"avgfeerate\"]'") +
                    HelpExampleRpc("getblockstats", "1000, [\"minfeerate\",\"avgfeerate\"]"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const BlockInfo info = BlockFromHashOrHeight(*ctx, request.params[0]);
            std::set<std::string, std::less<>> selected;
            if (const json::value* stats = OptionalParam(request, 1)) {
                if (!stats->is_array()) throw RPCError{RPCErrorCode::TYPE_ERROR, "stats must be an array"};
                for (const json::value& name : stats->get_array()) {
                    if (!name.is_string()) throw RPCError{RPCErrorCode::TYPE_ERROR, "stats must be strings"};
                    const std::string_view text{name.get_string()};
                    if (BlockStatNames().count(text) == 0) {
                        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                       "Invalid selected statistic '" + TruncateForMessage(text) + "'"};
                    }
                    selected.emplace(text);
                }
            }
            auto block = ctx->chainstate.ReadBlock(info.hash);
            if (!block) throw RPCError{RPCErrorCode::MISC_ERROR, "Block not available: " + block.error_message()};
            std::optional<BlockUndo> undo;
            if (info.height > 0) {
                auto read = ctx->chainstate.ReadBlockUndo(info.hash);
                if (!read) throw RPCError{RPCErrorCode::MISC_ERROR, "Can't read undo data from disk"};
                undo = std::move(*read);
            }
            json::object stats = BlockStatsToJSON(*block, info, undo ? &*undo : nullptr);
            if (selected.empty()) return stats;
            json::object out;
            for (const std::string& name : selected) out[name] = stats.at(name);
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getchaintxstats",
        .description = "Compute statistics about the total number and rate of transactions in the chain.",
        .args = {{"nblocks", RPCArgType::NUMBER, true, "one month",
                  "Size of the window in number of blocks"},
                 {"blockhash", RPCArgType::STRING, true, "chain tip", "The hash of the block that ends the window."}},
        .result = "{\n"
                  "  \"time\" : xxx,                        (numeric) The timestamp for the final block in the "
                  "window, expressed in UNIX epoch time\n"
                  "  \"txcount\" : n,                       (numeric) The total number of transactions in the "
                  "chain up to that point\n"
                  "  \"window_final_block_hash\" : \"hex\",   (string) The hash of the final block in the window\n"
                  "  \"window_final_block_height\" : n,     (numeric) The height of the final block in the window.\n"
                  "  \"window_block_count\" : n,            (numeric) Size of the window in number of blocks\n"
                  "  \"window_tx_count\" : n,               (numeric, optional) The number of transactions in the "
                  "window. Only returned if \"window_block_count\" is > 0\n"
                  "  \"window_interval\" : n,               (numeric, optional) The elapsed time in the window in "
                  "seconds. Only returned if \"window_block_count\" is > 0\n"
                  "  \"txrate\" : n                         (numeric, optional) The average rate of transactions "
                  "per second in the window. Only returned if \"window_interval\" is > 0\n"
                  "}",
        .examples = HelpExampleCli("getchaintxstats", "") + HelpExampleRpc("getchaintxstats", "2016"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            BlockInfo final_block;
            if (OptionalParam(request, 1) != nullptr) {
                final_block = LookupBlockOrThrow(*ctx, ParseHashV(request.params[1], "blockhash"));
                if (!final_block.in_active_chain) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Block is not in main chain"};
                }
            } else {
                final_block = ctx->chainstate.TipInfo();
            }
            int64_t blockcount{0};
            if (const auto nblocks = OptionalParamInt64(request, 0)) {
                blockcount = *nblocks;
                if (blockcount < 0 || (blockcount > 0 && blockcount >= final_block.height)) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Invalid block count: should be between 0 and the block's height - 1"};
                }
            } else {
                blockcount = std::max<int64_t>(0, std::min(CHAIN_TX_STATS_DEFAULT_SECONDS / TARGET_SPACING,
                                                           final_block.height - 1));
            }
            json::object out;
            out["time"] = final_block.header.time;
            out["txcount"] = final_block.chain_tx_count;
            out["window_final_block_hash"] = final_block.hash.GetHex();
            out["window_final_block_height"] = final_block.height;
            out["window_block_count"] = blockcount;
            if (blockcount > 0) {
                const auto start_hash = ctx->chainstate.GetBlockHashAt(final_block.height - blockcount);
                const auto start = start_hash ? ctx->chainstate.GetBlockInfo(*start_hash) : std::nullopt;
                // The chain moved under us (a reorg below the window's end).
                if (!start) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Block is not in main chain"};
                const int64_t interval = final_block.median_time_past - start->median_time_past;
                const uint64_t window_txs = final_block.chain_tx_count - std::min(final_block.chain_tx_count,
                                                                                  start->chain_tx_count);
                out["window_tx_count"] = window_txs;
                out["window_interval"] = interval;
                if (interval > 0) {
                    out["txrate"] = *MakeJsonNumber(FormatRatio(ArithUint512{window_txs},
                                                                ArithUint512{static_cast<uint64_t>(interval)}));
                }
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
