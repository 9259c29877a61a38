// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/mining.h>

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/block_check.h>
#include <consensus/params.h>
#include <consensus/tx_check.h>
#include <consensus/tx_inputs.h>
#include <crypto/sha256.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/address.h>
#include <pouw/params.h>
#include <pouw/unit.h>
#include <rpc/chain_util.h>
#include <rpc/json.h>
#include <rpc/tx_json.h>
#include <rpc/util.h>
#include <util/clock.h>
#include <util/strencodings.h>
#include <util/threadsafety.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <charconv>
#include <chrono>
#include <deque>
#include <limits>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <thread>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** Multiply-accumulates of one reference tile (64·64·K_REF): the expected
 *  cost of one unit of chain work, since a tile of any k wins with a chance
 *  proportional to k (doc/pouw.md §7). */
constexpr uint64_t MACS_PER_WORK = uint64_t{pouw::TILE} * pouw::TILE * pouw::K_REF;

/** Shared by the methods: the extra nonce that keeps successive templates
 *  distinct, and getworktemplate's recent templates. */
struct MiningState {
    ChainContext* context{nullptr};
    std::atomic<uint64_t> extra_nonce{0};
    Mutex mutex;
    std::map<std::string, BlockTemplate> templates GUARDED_BY(mutex);
    std::deque<std::string> template_order GUARDED_BY(mutex);  // oldest first
};

Destination ParseMiningAddress(const ChainContext& ctx, const std::string& address, const std::string& message)
{
    auto dest = DecodeAddress(address, ctx.params.network);
    if (!dest) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, message};
    return std::move(*dest);
}

/** Expected chain work per second over the `lookup` blocks before `height`
 *  (the tip when negative), as Core's GetNetworkHashPS. */
ArithUint512 NetworkWorkRate(const ChainContext& ctx, int64_t lookup, int64_t height)
{
    const int64_t tip_height = ctx.chainstate.Height();
    if (height < 0 || height > tip_height) height = tip_height;
    if (lookup <= 0) lookup = NETWORK_RATE_WINDOW;
    lookup = std::min(lookup, height);
    if (lookup <= 0) return 0;
    const auto last_hash = ctx.chainstate.GetBlockHashAt(height);
    const auto first_hash = ctx.chainstate.GetBlockHashAt(height - lookup);
    if (!last_hash || !first_hash) return 0;
    const auto last = ctx.chainstate.GetBlockInfo(*last_hash);
    const auto first = ctx.chainstate.GetBlockInfo(*first_hash);
    if (!last || !first) return 0;
    int64_t min_time{std::numeric_limits<int64_t>::max()};
    int64_t max_time{std::numeric_limits<int64_t>::min()};
    for (int64_t h{height - lookup}; h <= height; ++h) {
        const auto hash = ctx.chainstate.GetBlockHashAt(h);
        const auto info = hash ? ctx.chainstate.GetBlockInfo(*hash) : std::nullopt;
        if (!info) return 0;  // the chain moved under us; report nothing rather than nonsense
        min_time = std::min<int64_t>(min_time, info->header.time);
        max_time = std::max<int64_t>(max_time, info->header.time);
    }
    if (min_time >= max_time || last->chain_work <= first->chain_work) return 0;
    return (last->chain_work - first->chain_work) / static_cast<uint64_t>(max_time - min_time);
}

/** A 512-bit count as a JSON integer, saturated at UINT64_MAX. */
json::value SaturatedCount(const ArithUint512& value)
{
    if (value > ArithUint512{std::numeric_limits<uint64_t>::max()}) return std::numeric_limits<uint64_t>::max();
    return static_cast<uint64_t>(value);
}

/** submitblock's answer for a block (BIP 22 / Core): null when it became
 *  part of the active chain, "inconclusive" when stored on a side branch,
 *  "duplicate" / "duplicate-invalid" when already known, otherwise the
 *  reject reason ("rejected" if there is none). */
json::value SubmitAndReport(const ChainContext& ctx, const Block& block)
{
    BlockValidationState state;
    bool new_block{false};
    const bool ok = ctx.chainstate.ProcessNewBlock(block, state, &new_block);
    if (ok) {
        if (!new_block) return json::value("duplicate");
        const auto info = ctx.chainstate.GetBlockInfo(block.GetHash());
        if (info && info->in_active_chain) return nullptr;
        return json::value("inconclusive");
    }
    if (state.GetReason().empty()) return json::value("rejected");
    return json::value(state.GetReason());
}

/** generateblock's check: the block of `txs` on the tip, as the chain would
 *  connect it (TestBlockValidity, everything but the proof). Returns the
 *  total fee. */
Amount CheckBlockTransactions(const ChainContext& ctx, MiningState& state, const Destination& payout,
                              const std::vector<Transaction>& txs)
{
    auto probe = CreateBlockTemplate(ctx.chainstate, payout, txs, /*fees=*/0, ctx.clock.Now(), state.extra_nonce++);
    if (!probe) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Couldn't create new block: " + probe.error_message()};
    BlockValidationState validation;
    Amount fees{0};
    if (!ctx.chainstate.TestBlockValidity(probe->block, validation, TestBlockOptions{.check_pouw = false}, &fees)) {
        throw RPCError{RPCErrorCode::VERIFY_ERROR, "TestBlockValidity failed: " + validation.ToString()};
    }
    return fees;
}

/** Mines `tmpl` with at most `max_units` unit evaluations; nullopt when they
 *  ran out or the node is shutting down. */
std::optional<Block> MineTemplate(const ChainContext& ctx, const BlockTemplate& tmpl, uint64_t max_units,
                                  uint64_t* units_used)
{
    pouw::WorkCounters stats;
    auto mined = MineBlock(tmpl, ctx.params, ctx.mining_pool, ctx.interrupt, &stats, max_units);
    if (units_used != nullptr) *units_used = stats.units;
    if (!mined) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Mining failed: " + mined.error_message()};
    return std::move(*mined);
}

void RememberTemplate(MiningState& state, const std::string& id, BlockTemplate tmpl)
{
    LockGuard lock{state.mutex};
    if (state.templates.count(id) != 0) return;
    state.templates.emplace(id, std::move(tmpl));
    state.template_order.push_back(id);
    while (state.template_order.size() > MAX_WORK_TEMPLATES) {
        state.templates.erase(state.template_order.front());
        state.template_order.pop_front();
    }
}

std::optional<BlockTemplate> FindTemplate(MiningState& state, const std::string& id)
{
    LockGuard lock{state.mutex};
    const auto it = state.templates.find(id);
    if (it == state.templates.end()) return std::nullopt;
    return it->second;
}

json::object FillerRules(const ChainParams& params)
{
    const pouw::UnitShape shape = params.shape_rules.FillerShape();
    json::object out;
    out["m"] = shape.m;
    out["n"] = shape.n;
    out["k"] = shape.k;
    out["tile"] = pouw::TILE;
    out["tile_count"] = shape.TileCount();
    out["noise_rank"] = pouw::NOISE_RANK;
    out["k_ref"] = pouw::K_REF;
    out["rules_version"] = pouw::RULES_VERSION;
    out["key_rule"] = "FK = TaggedHash(\"" + std::string{pouw::FILLER_KEY_TAG} +
                      "\", prev_block_hash || miner_key || index u32 LE)";
    out["unit_id_rule"] = "U = TaggedHash(\"" + std::string{pouw::UNIT_ID_TAG} + "\", 148-byte descriptor)";
    out["opening"] = "the 148-byte filler descriptor (doc/pouw.md §8)";
    return out;
}

/** A placeholder payee for templates whose coinbase the client builds: the
 *  x coordinate of secp256k1's generator, a valid x-only key nobody uses as
 *  a payout. Only the transactions and coinbasevalue of such a template are
 *  returned. */
Destination PlaceholderPayout()
{
    const auto bytes = ParseHex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").value();
    std::array<uint8_t, XONLY_KEY_SIZE> key{};
    std::copy(bytes.begin(), bytes.end(), key.begin());
    return Destination::ForKey(key);
}

/** "<tip hash hex><mempool update count>": what a long poll waits to change. */
std::string MakeLongPollId(const uint256& tip, uint64_t transactions_updated)
{
    return tip.GetHex() + std::to_string(transactions_updated);
}

/** Waits as LONGPOLL_* say for `longpollid` to go stale. */
void WaitForLongPoll(const ChainContext& ctx, const std::string& longpollid)
{
    if (longpollid.size() < 64 || longpollid.size() > MAX_LONGPOLLID_LENGTH) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid longpollid"};
    }
    const auto tip = uint256::FromHex(std::string_view{longpollid}.substr(0, 64));
    if (!tip) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid longpollid"};
    uint64_t updates_seen{0};
    const std::string_view counter = std::string_view{longpollid}.substr(64);
    if (!counter.empty()) {
        const auto [end, ec] = std::from_chars(counter.data(), counter.data() + counter.size(), updates_seen);
        if (ec != std::errc{} || end != counter.data() + counter.size()) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid longpollid"};
        }
    }
    // The tip first; after LONGPOLL_MEMPOOL_SECONDS a mempool change too.
    const auto start = std::chrono::steady_clock::now();
    const auto stale = [&] {
        if (ctx.chainstate.TipHash() != *tip) return true;
        return std::chrono::steady_clock::now() - start >= std::chrono::seconds{LONGPOLL_MEMPOOL_SECONDS} &&
               ctx.mempool.TransactionsUpdated() != updates_seen;
    };
    if (PollChain(ctx, std::chrono::seconds{LONGPOLL_MAX_SECONDS}, stale) == PollEnd::SHUTDOWN) {
        throw RPCError{RPCErrorCode::CLIENT_NOT_CONNECTED, "Shutting down"};
    }
}

/** getblocktemplate's "proposal" mode (BIP 23): null when the block would
 *  be valid on the tip (everything but its proof), otherwise the reason. */
json::value CheckProposal(const ChainContext& ctx, const std::string& hex)
{
    const auto bytes = ParseBoundedHex(hex, MAX_BLOCK_HEX_LENGTH);
    if (!bytes) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "Block decode failed"};
    auto block = DecodeBlock(*bytes);
    if (!block) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "Block decode failed"};
    if (const auto known = ctx.chainstate.GetBlockInfo(block->GetHash())) {
        if (known->in_active_chain) return json::value("duplicate");
        return json::value("duplicate-inconclusive");
    }
    if (block->header.prev_block != ctx.chainstate.TipHash()) return json::value("inconclusive-not-best-prevblk");
    BlockValidationState state;
    if (!ctx.chainstate.TestBlockValidity(*block, state, TestBlockOptions{.check_pouw = false})) {
        return json::value(state.GetReason().empty() ? std::string{"rejected"} : state.GetReason());
    }
    return nullptr;
}

/** The `pouw` object of getblocktemplate: what a miner needs beyond BIP 22. */
json::object PouwTemplateObject(const ChainContext& ctx)
{
    json::object out;
    out["rules_version"] = pouw::RULES_VERSION;
    out["max_tile_count"] = ctx.params.shape_rules.MaxTileCount();
    out["miner_key_rule"] = "the coinbase has one output, to a KEY destination; its x-only key is the miner key "
                            "bound into the PoUW seed";
    out["coinbase_rule"] = "one input spending the null outpoint, lock_time = height (doc/transactions.md)";
    out["seed_input"] = "the 76-byte header template: version, previousblockhash, merkle root, time, bits";
    out["filler"] = FillerRules(ctx.params);
    // The job market (open job units a miner may work on) is not built yet:
    // every unit is a filler unit.
    out["job_units"] = json::array{};
    return out;
}

}  // namespace

Result<void> RegisterMiningRPCCommands(RPCTable& table, ChainContext& context)
{
    const auto shared = std::make_shared<MiningState>();
    shared->context = &context;
    ChainContext* ctx = &context;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "mining",
        .name = "getmininginfo",
        .description = "Returns a json object containing mining-related information.",
        .args = {},
        .result = "{\n"
                  "  \"blocks\" : n,          (numeric) The current block\n"
                  "  \"difficulty\" : n,      (numeric) The current difficulty\n"
                  "  \"networkhashps\" : n,   (numeric) The network's expected winning-ticket checks per second "
                  "(chain work per second)\n"
                  "  \"networkmacps\" : n,    (numeric) The same in multiply-accumulates per second\n"
                  "  \"pooledtx\" : n,        (numeric) The size of the mempool\n"
                  "  \"chain\" : \"str\",       (string) current network name (main, test, regtest)\n"
                  "  \"warnings\" : \"str\",    (string) any network and blockchain warnings\n"
                  "  \"miner\" : {            (json object, optional) the built-in miner, when it runs\n"
                  "    \"running\", \"backend\", \"blocks_found\", \"units\", \"tiles\" (tickets checked), \"macs\", \"seconds\",\n"
                  "    \"devices\" : [       (json array) one object per engine: \"name\", \"kind\" (cpu or cuda), \"index\"\n"
                  "                        (CUDA ordinal, -1 for the CPU), \"running\", \"units\", \"tiles\", \"macs\",\n"
                  "                        \"seconds\", \"blocks_found\", \"errors\", \"spot_checks\", \"last_error\"\n"
                  "    ]\n"
                  "  }\n"
                  "}",
        .examples = HelpExampleCli("getmininginfo", "") + HelpExampleRpc("getmininginfo", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            const BlockInfo tip = ctx->chainstate.TipInfo();
            const ArithUint512 rate = NetworkWorkRate(*ctx, NETWORK_RATE_WINDOW, -1);
            json::object out;
            out["blocks"] = tip.height;
            out["difficulty"] = DifficultyValue(tip.header.bits, ctx->params.pow_limit);
            out["networkhashps"] = SaturatedCount(rate);
            out["networkmacps"] = SaturatedCount(rate * MACS_PER_WORK);
            out["pooledtx"] = ctx->mempool.Size();
            out["chain"] = ctx->params.Name();
            out["warnings"] = "";
            if (ctx->miner != nullptr) {
                const MinerStatus status = ctx->miner->Status();
                json::object miner;
                miner["running"] = status.running;
                miner["backend"] = status.backend;
                miner["blocks_found"] = status.blocks_found;
                miner["units"] = status.work.units;
                miner["tiles"] = status.work.tiles;
                miner["macs"] = status.work.macs;
                miner["seconds"] = status.work.nanoseconds / 1'000'000'000;
                json::array devices;
                for (const MinerDeviceStatus& engine : status.devices) {
                    json::object device;
                    device["name"] = engine.name;
                    device["kind"] = engine.kind;
                    device["index"] = engine.index;
                    device["running"] = engine.running;
                    device["units"] = engine.work.units;
                    device["tiles"] = engine.work.tiles;
                    device["macs"] = engine.work.macs;
                    device["seconds"] = engine.work.nanoseconds / 1'000'000'000;
                    device["blocks_found"] = engine.blocks_found;
                    device["errors"] = engine.errors;
                    device["spot_checks"] = engine.spot_checks;
                    device["last_error"] = engine.last_error;
                    devices.push_back(std::move(device));
                }
                miner["devices"] = std::move(devices);
                out["miner"] = std::move(miner);
            }
            return out;
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "getnetworkhashps",
        .description = "Returns the estimated network work rate based on the last n blocks (expected winning-ticket "
                       "checks per second; multiply by 64·64·4096 for multiply-accumulates per second).\n"
                       "Pass in [blocks] to override # of blocks, -1 or 0 means the default (120).\n"
                       "Pass in [height] to estimate the network speed at the time when a certain block was found.",
        .args = {{"nblocks", RPCArgType::NUMBER, true, "120", "The number of blocks"},
                 {"height", RPCArgType::NUMBER, true, "-1", "To estimate at the time of the given height."}},
        .result = "n    (numeric) Work per second estimated",
        .examples = HelpExampleCli("getnetworkhashps", "") + HelpExampleRpc("getnetworkhashps", ""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const int64_t lookup = OptionalParamInt64(request, 0).value_or(NETWORK_RATE_WINDOW);
            const int64_t height = OptionalParamInt64(request, 1).value_or(-1);
            return SaturatedCount(NetworkWorkRate(*ctx, lookup, height));
        },
    });

    methods.push_back({
        .category = "generating",
        .name = "generatetoaddress",
        .description = "Mine blocks immediately to a specified address (before the RPC call returns)",
        .args = {{"nblocks", RPCArgType::NUMBER, false, "",
                  "How many blocks are generated (at most " + std::to_string(MAX_GENERATE_BLOCKS) + ")."},
                 {"address", RPCArgType::STRING, false, "", "The address to send the newly generated coins to."},
                 {"maxtries", RPCArgType::NUMBER, true, std::to_string(DEFAULT_MAX_TRIES),
                  "How many PoUW unit evaluations to try, over all blocks."}},
        .result = "[ \"hex\", ... ]    (json array) hashes of blocks generated",
        .examples = HelpExampleCli("generatetoaddress", "11 \"myaddress\""),
        .handler = [shared, ctx](const RPCRequest& request) -> json::value {
            const int64_t nblocks = ParamInt64(request, 0);
            if (nblocks < 0 || nblocks > MAX_GENERATE_BLOCKS) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Invalid parameter, nblocks must be between 0 and " +
                                   std::to_string(MAX_GENERATE_BLOCKS)};
            }
            const Destination payout = ParseMiningAddress(*ctx, ParamString(request, 1), "Error: Invalid address");
            const int64_t max_tries = OptionalParamInt64(request, 2).value_or(static_cast<int64_t>(DEFAULT_MAX_TRIES));
            if (max_tries < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, maxtries must be non-negative"};
            uint64_t tries_left = static_cast<uint64_t>(max_tries);
            json::array hashes;
            for (int64_t i{0}; i < nblocks && tries_left > 0; ++i) {
                auto tmpl = CreateTemplateFromMempool(ctx->chainstate, ctx->mempool, payout, ctx->clock.Now(),
                                                      shared->extra_nonce++);
                if (!tmpl) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Couldn't create new block: " + tmpl.error_message()};
                uint64_t used{0};
                const auto block = MineTemplate(*ctx, *tmpl, tries_left, &used);
                tries_left -= std::min(used, tries_left);
                if (!block) break;
                BlockValidationState state;
                if (!ctx->chainstate.ProcessNewBlock(*block, state)) {
                    throw RPCError{RPCErrorCode::INTERNAL_ERROR, "ProcessNewBlock, block not accepted: " + state.ToString()};
                }
                hashes.push_back(json::value(block->GetHash().GetHex()));
            }
            return hashes;
        },
    });

    methods.push_back({
        .category = "generating",
        .name = "generateblock",
        .description = "Mine a set of ordered transactions to a specified address and return the block hash.\n"
                       "The coinbase pays the subsidy plus, when the transactions are checked, their fees.",
        .args = {{"output", RPCArgType::STRING, false, "", "The address to send the newly generated coins to."},
                 {"transactions", RPCArgType::ARRAY, false, "",
                  "An array of hex strings which are either txids or raw transactions.\n"
                  "Txids must reference transactions currently in the mempool.\n"
                  "All transactions must be valid and in valid order, otherwise the block will be rejected."},
                 {"submit", RPCArgType::BOOL, true, "true",
                  "Whether to submit the block before the RPC call returns or to return it as hex."},
                 {"check", RPCArgType::BOOL, true, "true",
                  "HPIPS: whether to validate the transactions first (false builds the block as given — with a "
                  "valid proof of useful work — so tests can make invalid blocks)."}},
        .result = "{\n"
                  "  \"hash\" : \"hex\",    (string) hash of generated block\n"
                  "  \"hex\" : \"hex\"      (string, optional) hex of generated block, only present when submit=false\n"
                  "}",
        .examples = HelpExampleCli("generateblock", "\"myaddress\" '[\"rawtx\", \"mempool_txid\"]'"),
        .handler = [shared, ctx](const RPCRequest& request) -> json::value {
            const Destination payout =
                ParseMiningAddress(*ctx, ParamString(request, 0), "Error: Invalid address or descriptor");
            const json::array& entries = request.params[1].get_array();
            if (entries.size() > MAX_BLOCK_TXS) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, too many transactions"};
            }
            const bool submit = OptionalParamBool(request, 2).value_or(true);
            const bool check = OptionalParamBool(request, 3).value_or(true);
            std::vector<Transaction> txs;
            txs.reserve(entries.size());
            for (const json::value& entry : entries) {
                if (!IsJsonString(entry)) {
                    throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON value of type " + std::string{JsonTypeName(entry)} +
                                                                 " is not of expected type string"};
                }
                const std::string text{entry.get_string()};
                if (const auto txid = text.size() == 64 ? uint256::FromHex(text) : std::nullopt) {
                    auto pool_entry = ctx->mempool.Get(*txid);
                    if (!pool_entry) {
                        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Transaction " + text + " not in mempool."};
                    }
                    txs.push_back(std::move(pool_entry->tx));
                    continue;
                }
                auto tx = DecodeHexTx(text);
                if (!tx) {
                    throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR,
                                   "Transaction decode failed for " + TruncateForMessage(text) +
                                       ". Make sure the tx has at least one input."};
                }
                txs.push_back(std::move(*tx));
            }
            const Amount fees = check ? CheckBlockTransactions(*ctx, *shared, payout, txs) : 0;
            auto tmpl = CreateBlockTemplate(ctx->chainstate, payout, txs, fees, ctx->clock.Now(), shared->extra_nonce++);
            if (!tmpl) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Couldn't create new block: " + tmpl.error_message()};
            const auto block = MineTemplate(*ctx, *tmpl, DEFAULT_MAX_TRIES, nullptr);
            if (!block) throw RPCError{RPCErrorCode::MISC_ERROR, "Failed to make block."};
            if (check) {
                BlockValidationState state;
                if (!CheckBlock(*block, state)) {
                    throw RPCError{RPCErrorCode::VERIFY_ERROR, "TestBlockValidity failed: " + state.ToString()};
                }
            }
            json::object out;
            out["hash"] = block->GetHash().GetHex();
            if (!submit) {
                out["hex"] = HexStr(EncodeBlock(*block));
                return out;
            }
            BlockValidationState state;
            if (!ctx->chainstate.ProcessNewBlock(*block, state)) {
                throw RPCError{RPCErrorCode::INTERNAL_ERROR, "ProcessNewBlock, block not accepted: " + state.ToString()};
            }
            return out;
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "submitblock",
        .description = "Attempts to submit new block to network.",
        .args = {{"hexdata", RPCArgType::STRING, false, "", "the hex-encoded block data to submit"},
                 {"dummy", RPCArgType::STRING, true, "ignored", "dummy value, for compatibility with BIP22. This value is ignored."}},
        .result = "null    (json null) When the block was accepted onto the active chain\n"
                  "\"str\"    (string) Otherwise: \"duplicate\", \"duplicate-invalid\", \"inconclusive\" (stored on a "
                  "side branch) or the reject reason",
        .examples = HelpExampleCli("submitblock", "\"mydata\"") + HelpExampleRpc("submitblock", "\"mydata\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            auto block = DecodeHexBlock(ParamString(request, 0));
            if (!block) throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "Block decode failed: " + block.error_message()};
            if (block->txs.empty() || !block->txs[0].IsCoinbase()) {
                throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR, "Block does not start with a coinbase"};
            }
            return SubmitAndReport(*ctx, *block);
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "getblocktemplate",
        .description = "Returns data needed to construct a block to work on (BIP 22/23), plus an HPIPS \"pouw\" "
                       "object with the proof-of-useful-work rules. The client builds the coinbase (or names "
                       "\"coinbase_address\" to get it as coinbasetxn), computes the Merkle root, mines a ticket "
                       "(doc/pouw.md) and submits the block with submitblock. With \"longpollid\" the call waits "
                       "until the tip moves (or the mempool changed and " +
                       std::to_string(LONGPOLL_MEMPOOL_SECONDS) + " s passed; at most " +
                       std::to_string(LONGPOLL_MAX_SECONDS) + " s). mode \"proposal\" checks a block without "
                       "its proof.",
        .args = {{"template_request", RPCArgType::OBJECT, true, "{}",
                  "{\"mode\": \"template\"|\"proposal\", \"capabilities\": [...], \"rules\": [...], "
                  "\"longpollid\": \"str\", \"data\": \"hex\" (proposal), \"coinbase_address\": \"address\" "
                  "(HPIPS)}"}},
        .result = "{ \"version\", \"rules\", \"vbavailable\", \"vbrequired\", \"previousblockhash\", "
                  "\"transactions\": [{\"data\", \"txid\", \"hash\", \"depends\", \"fee\", \"sigops\", "
                  "\"weight\"}], \"coinbaseaux\", \"coinbasevalue\", [\"coinbasetxn\"], \"longpollid\", "
                  "\"target\", \"mintime\", \"mutable\", \"noncerange\", \"sigoplimit\", \"sizelimit\", "
                  "\"weightlimit\", \"curtime\", \"bits\", \"height\", \"pouw\" }  (doc/mining.md)",
        .examples = HelpExampleCli("getblocktemplate", "") +
                    HelpExampleCli("getblocktemplate", "'{\"coinbase_address\": \"myaddress\"}'"),
        .handler = [shared, ctx](const RPCRequest& request) -> json::value {
            const json::value* param = OptionalParam(request, 0);
            json::object template_request;
            if (param != nullptr) {
                if (!param->is_object()) {
                    throw RPCError{RPCErrorCode::TYPE_ERROR, "template_request must be an object"};
                }
                template_request = param->as_object();
            }
            const auto string_field = [&](const char* name) -> std::optional<std::string> {
                const auto it = template_request.find(name);
                if (it == template_request.end() || it->value().is_null()) return std::nullopt;
                if (!it->value().is_string()) {
                    throw RPCError{RPCErrorCode::TYPE_ERROR, std::string{name} + " must be a string"};
                }
                return std::string{it->value().as_string()};
            };
            const std::string mode = string_field("mode").value_or("template");
            if (mode == "proposal") {
                const auto data = string_field("data");
                if (!data) throw RPCError{RPCErrorCode::TYPE_ERROR, "Missing data String key for proposal"};
                return CheckProposal(*ctx, *data);
            }
            if (mode != "template") throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid mode"};
            if (ctx->params.network != Network::REGTEST && ctx->chainstate.IsInitialBlockDownload()) {
                throw RPCError{RPCErrorCode::CLIENT_IN_INITIAL_DOWNLOAD, "HPIPS is in initial sync and waiting for blocks..."};
            }
            if (const auto longpollid = string_field("longpollid")) WaitForLongPoll(*ctx, *longpollid);
            const auto address = string_field("coinbase_address");
            const Destination payout =
                address ? ParseMiningAddress(*ctx, *address, "Error: Invalid coinbase_address") : PlaceholderPayout();
            if (!payout.IsKey()) {
                throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "coinbase_address must be a key address"};
            }
            // The mempool counter first: a change while the template is built
            // makes the next long poll answer at once rather than miss it.
            const uint64_t updates = ctx->mempool.TransactionsUpdated();
            auto tmpl = CreateTemplateFromMempool(ctx->chainstate, ctx->mempool, payout, ctx->clock.Now(),
                                                  shared->extra_nonce++);
            if (!tmpl) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Couldn't create new block: " + tmpl.error_message()};
            const BlockHeader& header = tmpl->block.header;
            const auto next = ctx->chainstate.GetNextBlockContext();
            const auto target = TargetFromBits(header.bits);

            json::array transactions;
            std::map<uint256, int64_t> position;  // txid -> 1-based index in "transactions"
            for (size_t i{1}; i < tmpl->block.txs.size(); ++i) {
                const Transaction& tx = tmpl->block.txs[i];
                json::object entry;
                const std::vector<uint8_t> bytes = EncodeTransaction(tx);
                entry["data"] = HexStr(bytes);
                entry["txid"] = tx.GetTxid().GetHex();
                entry["hash"] = tx.GetWtxid().GetHex();
                json::array depends;
                std::set<int64_t> seen;
                for (const TxIn& in : tx.inputs()) {
                    const auto it = position.find(in.prevout.txid);
                    if (it != position.end() && seen.insert(it->second).second) depends.push_back(it->second);
                }
                entry["depends"] = std::move(depends);
                const auto pooled = ctx->mempool.Get(tx.GetTxid());
                entry["fee"] = pooled ? pooled->fee : 0;
                // HPIPS counts no signature operations against a block limit.
                entry["sigops"] = 0;
                entry["weight"] = 4 * bytes.size();
                position.emplace(tx.GetTxid(), static_cast<int64_t>(i));
                transactions.push_back(std::move(entry));
            }

            json::object out;
            out["capabilities"] = json::array{"proposal"};
            out["version"] = header.version;
            out["rules"] = json::array{};
            out["vbavailable"] = json::object{};
            out["vbrequired"] = 0;
            out["previousblockhash"] = header.prev_block.GetHex();
            out["transactions"] = std::move(transactions);
            out["coinbaseaux"] = json::object{};
            out["coinbasevalue"] = tmpl->block.txs[0].outputs()[0].amount;
            if (address) {
                const Transaction& coinbase = tmpl->block.txs[0];
                json::object coinbasetxn;
                coinbasetxn["data"] = HexStr(EncodeTransaction(coinbase));
                coinbasetxn["txid"] = coinbase.GetTxid().GetHex();
                coinbasetxn["hash"] = coinbase.GetWtxid().GetHex();
                coinbasetxn["depends"] = json::array{};
                coinbasetxn["fee"] = -tmpl->fees;
                out["coinbasetxn"] = std::move(coinbasetxn);
            }
            out["longpollid"] = MakeLongPollId(header.prev_block, updates);
            out["target"] = target ? ArithToUint256(*target).GetHex() : std::string(64, '0');
            out["mintime"] = next.min_time;
            out["mutable"] = json::array{"time", "transactions", "prevblock"};
            out["noncerange"] = "0000000000000000ffffffffffffffff";
            out["sigoplimit"] = 0;
            out["sizelimit"] = MAX_BLOCK_SIZE;
            out["weightlimit"] = 4 * MAX_BLOCK_SIZE;
            out["curtime"] = header.time;
            out["bits"] = BitsHex(header.bits);
            out["height"] = tmpl->height;
            out["pouw"] = PouwTemplateObject(*ctx);
            return out;
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "getworktemplate",
        .description = "HPIPS: returns everything an external miner needs to mine the next block: the 76-byte "
                       "header template the PoUW seed hashes, the target, the miner key (from the address, which "
                       "the coinbase pays) and the filler unit rules (doc/pouw.md). Submit a proof with submitwork; "
                       "the last " + std::to_string(MAX_WORK_TEMPLATES) + " templates are remembered.",
        .args = {{"address", RPCArgType::STRING, false, "", "The address the coinbase pays; its key is the miner key."}},
        .result = "{\n"
                  "  \"template_id\" : \"hex\",        (string) pass to submitwork\n"
                  "  \"header_template\" : \"hex\",    (string) the 76 template bytes (version, prev, merkle root, time, bits)\n"
                  "  \"height\" : n, \"version\" : n, \"previousblockhash\" : \"hex\", \"merkleroot\" : \"hex\",\n"
                  "  \"curtime\" : n, \"mintime\" : n, \"bits\" : \"hex\", \"target\" : \"hex\",\n"
                  "  \"miner_key\" : \"hex\",          (string) x-only key bound into the seed\n"
                  "  \"coinbasevalue\" : n,          (numeric) base units the coinbase pays\n"
                  "  \"transactions\" : n,           (numeric) transactions besides the coinbase\n"
                  "  \"max_tile_count\" : n,         (numeric) a proof's tile index must be below it\n"
                  "  \"filler\" : { \"m\", \"n\", \"k\", \"tile\", \"tile_count\", \"noise_rank\", \"k_ref\", "
                  "\"rules_version\", \"key_rule\", \"unit_id_rule\", \"opening\" }\n"
                  "}",
        .examples = HelpExampleCli("getworktemplate", "\"myaddress\""),
        .handler = [shared, ctx](const RPCRequest& request) -> json::value {
            const Destination payout = ParseMiningAddress(*ctx, ParamString(request, 0), "Error: Invalid address");
            auto tmpl = CreateTemplateFromMempool(ctx->chainstate, ctx->mempool, payout, ctx->clock.Now(),
                                                  shared->extra_nonce++);
            if (!tmpl) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Couldn't create new block: " + tmpl.error_message()};
            const BlockHeader& header = tmpl->block.header;
            const auto template_bytes = header.SerializeTemplate();
            const std::string id = Sha256d(template_bytes).GetHex();
            const auto next = ctx->chainstate.GetNextBlockContext();
            const auto target = TargetFromBits(header.bits);
            json::object out;
            out["template_id"] = id;
            out["header_template"] = HexStr(template_bytes);
            out["height"] = tmpl->height;
            out["version"] = header.version;
            out["previousblockhash"] = header.prev_block.GetHex();
            out["merkleroot"] = header.merkle_root.GetHex();
            out["curtime"] = header.time;
            out["mintime"] = next.min_time;
            out["bits"] = BitsHex(header.bits);
            out["target"] = target ? ArithToUint256(*target).GetHex() : std::string(64, '0');
            out["miner_key"] = HexStr(header.proof.miner_key);
            out["coinbasevalue"] = tmpl->block.txs[0].outputs()[0].amount;
            out["transactions"] = tmpl->block.txs.size() - 1;
            out["max_tile_count"] = ctx->params.shape_rules.MaxTileCount();
            out["filler"] = FillerRules(ctx->params);
            RememberTemplate(*shared, id, std::move(*tmpl));
            return out;
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "submitwork",
        .description = "HPIPS: completes a template from getworktemplate with a proof of useful work and its "
                       "opening, and submits the block. Answers like submitblock.",
        .args = {{"template_id", RPCArgType::STRING, false, "", "From getworktemplate"},
                 {"nonce", RPCArgType::NUMBER, false, "", "The miner's nonce (0 to 2^64-1)"},
                 {"unit_id", RPCArgType::STRING, false, "", "The work unit's id U (display hex, as getblockheader shows)"},
                 {"tile_index", RPCArgType::NUMBER, false, "", "The winning tile"},
                 {"state", RPCArgType::STRING, false, "", "The tile's 32-byte transcript state (hex, in order)"},
                 {"opening", RPCArgType::STRING, false, "", "The block's PoUW opening (hex)"}},
        .result = "null or \"str\"    as submitblock",
        .examples = HelpExampleCli("submitwork", "\"id\" 42 \"unitid\" 3 \"state\" \"opening\""),
        .handler = [shared, ctx](const RPCRequest& request) -> json::value {
            const std::string id = ParamString(request, 0);
            auto tmpl = FindTemplate(*shared, id);
            if (!tmpl) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Unknown or expired template_id"};
            const uint64_t nonce = UInt64FromValue(request.params[1]);
            const uint256 unit_id = ParseHashV(request.params[2], "unit_id");
            const int64_t tile_index = ParamInt64(request, 3);
            if (tile_index < 0 || tile_index > int64_t{UINT32_MAX}) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "tile_index out of range"};
            }
            const auto state = ParseBoundedHex(ParamString(request, 4), 2 * 32);
            if (!state || state->size() != 32) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "state must be 32 bytes in hex"};
            }
            const auto opening = ParseBoundedHex(ParamString(request, 5), 2 * MAX_OPENING_SIZE);
            if (!opening) {
                throw RPCError{RPCErrorCode::DESERIALIZATION_ERROR,
                               "Opening decode failed: not hex or larger than " + std::to_string(MAX_OPENING_SIZE) +
                                   " bytes"};
            }
            Block block = std::move(tmpl->block);
            block.header.proof.nonce = nonce;
            block.header.proof.unit_id = unit_id;
            block.header.proof.tile_index = static_cast<uint32_t>(tile_index);
            std::copy(state->begin(), state->end(), block.header.proof.state.begin());
            block.opening = *opening;
            return SubmitAndReport(*ctx, block);
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
