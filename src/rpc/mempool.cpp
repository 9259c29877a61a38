// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/mempool.h>

#include <chain/mempool.h>
#include <rpc/chain_util.h>
#include <rpc/json.h>
#include <rpc/util.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** Parent and child links among pool transactions, for the package fields
 *  of verbose mempool entries. */
class MempoolGraph {
public:
    explicit MempoolGraph(std::vector<MempoolEntry> entries)
    {
        for (auto& entry : entries) {
            const uint256 txid = entry.tx.GetTxid();
            m_entries.emplace(txid, std::move(entry));
        }
        for (const auto& [txid, entry] : m_entries) {
            for (const TxIn& in : entry.tx.inputs()) {
                if (m_entries.count(in.prevout.txid) == 0) continue;
                m_parents[txid].insert(in.prevout.txid);
                m_children[in.prevout.txid].insert(txid);
            }
        }
    }

    const std::map<uint256, MempoolEntry>& Entries() const { return m_entries; }

    /** The in-pool ancestors (or descendants) of `txid`, not itself, at most
     *  MAX_MEMPOOL_PACKAGE_WALK of them (getmempoolancestors / -descendants). */
    std::set<uint256> Related(const uint256& txid, bool ancestors) const
    {
        const Links& links = ancestors ? m_parents : m_children;
        std::set<uint256> seen{txid};
        std::deque<uint256> queue{txid};
        while (!queue.empty() && seen.size() <= MAX_MEMPOOL_PACKAGE_WALK) {
            const auto it = links.find(queue.front());
            queue.pop_front();
            if (it == links.end()) continue;
            for (const uint256& next : it->second) {
                if (seen.size() > MAX_MEMPOOL_PACKAGE_WALK) break;
                if (seen.insert(next).second) queue.push_back(next);
            }
        }
        seen.erase(txid);
        return seen;
    }

    json::object EntryToJSON(const MempoolEntry& entry) const
    {
        const uint256 txid = entry.tx.GetTxid();
        const Package ancestors = Walk(txid, m_parents);
        const Package descendants = Walk(txid, m_children);
        json::object out;
        out["vsize"] = entry.size;
        out["weight"] = entry.size;
        out["time"] = entry.time;
        out["height"] = entry.height;
        out["descendantcount"] = descendants.count;
        out["descendantsize"] = descendants.size;
        out["ancestorcount"] = ancestors.count;
        out["ancestorsize"] = ancestors.size;
        out["wtxid"] = entry.tx.GetWtxid().GetHex();
        json::object fees;
        fees["base"] = ValueFromAmount(entry.fee);
        fees["modified"] = ValueFromAmount(entry.ModifiedFee());
        fees["ancestor"] = ValueFromAmount(ancestors.fees);
        fees["descendant"] = ValueFromAmount(descendants.fees);
        out["fees"] = std::move(fees);
        out["depends"] = HashArray(m_parents, txid);
        out["spentby"] = HashArray(m_children, txid);
        out["bip125-replaceable"] = false;
        out["unbroadcast"] = false;
        return out;
    }

private:
    using Links = std::map<uint256, std::set<uint256>>;
    struct Package {
        uint64_t count{0};
        uint64_t size{0};
        Amount fees{0};
    };

    static json::array HashArray(const Links& links, const uint256& txid)
    {
        json::array out;
        if (const auto it = links.find(txid); it != links.end()) {
            for (const uint256& other : it->second) out.push_back(json::value(other.GetHex()));
        }
        return out;
    }

    /** `txid` and everything reachable through `links`, bounded by MAX_MEMPOOL_PACKAGE_WALK. */
    Package Walk(const uint256& txid, const Links& links) const
    {
        Package package;
        std::set<uint256> seen{txid};
        std::deque<uint256> queue{txid};
        while (!queue.empty() && seen.size() <= MAX_MEMPOOL_PACKAGE_WALK) {
            const uint256 current = queue.front();
            queue.pop_front();
            const MempoolEntry& entry = m_entries.at(current);
            ++package.count;
            package.size += entry.size;
            // Modified fees (Core): each within ±2 × MAX_MONEY (fee plus a
            // delta bounded by MAX_FEE_DELTA), so the clamped sum never overflows.
            package.fees = std::clamp<Amount>(package.fees + entry.ModifiedFee(), -2 * MAX_MONEY, 2 * MAX_MONEY);
            const auto it = links.find(current);
            if (it == links.end()) continue;
            for (const uint256& next : it->second) {
                if (seen.insert(next).second) queue.push_back(next);
            }
        }
        return package;
    }

    std::map<uint256, MempoolEntry> m_entries;
    Links m_parents;
    Links m_children;
};

/** getmempoolancestors / getmempooldescendants: txids, or verbose entries. */
json::value MempoolRelatives(const ChainContext& ctx, const RPCRequest& request, bool ancestors)
{
    const uint256 txid = ParseHashV(request.params[0], "txid");
    const bool verbose = OptionalParamBool(request, 1).value_or(false);
    const MempoolGraph graph{ctx.mempool.Entries()};
    if (graph.Entries().count(txid) == 0) {
        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Transaction not in mempool"};
    }
    const std::set<uint256> related = graph.Related(txid, ancestors);
    if (!verbose) {
        json::array out;
        for (const uint256& other : related) out.push_back(json::value(other.GetHex()));
        return out;
    }
    json::object out;
    for (const uint256& other : related) out[other.GetHex()] = graph.EntryToJSON(graph.Entries().at(other));
    return out;
}
}  // namespace

Result<void> RegisterMempoolRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "blockchain",
        .name = "getmempoolinfo",
        .description = "Returns details on the active state of the TX memory pool.",
        .args = {},
        .result = "{\n"
                  "  \"loaded\" : true|false,       (boolean) always true\n"
                  "  \"size\" : n,                  (numeric) Current tx count\n"
                  "  \"bytes\" : n,                 (numeric) Sum of all transaction sizes\n"
                  "  \"usage\" : n,                 (numeric) Same as bytes (heap usage is not measured)\n"
                  "  \"total_fee\" : n,             (numeric) Total fees for the mempool, ignoring modified fees\n"
                  "  \"maxmempool\" : n,            (numeric) Maximum size of the mempool in bytes\n"
                  "  \"mempoolminfee\" : n,         (numeric) Minimum fee rate in coins/kvB for tx to be accepted\n"
                  "  \"minrelaytxfee\" : n,         (numeric) Current minimum relay fee for transactions\n"
                  "  \"unbroadcastcount\" : n,      (numeric) always 0\n"
                  "  \"orphans\" : n,               (numeric) HPIPS: transactions waiting for a parent (at most 100)\n"
                  "  \"orphanbytes\" : n            (numeric) HPIPS: their total size in bytes (at most 4,000,000)\n"
                  "}",
        .examples = HelpExampleCli("getmempoolinfo", "") + HelpExampleRpc("getmempoolinfo", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            const auto entries = ctx->mempool.Entries();
            Amount total_fee{0};
            for (const auto& entry : entries) total_fee = CheckedMoneyAdd(total_fee, entry.fee).value_or(MAX_MONEY);
            size_t bytes{0};
            for (const auto& entry : entries) bytes += entry.size;
            json::object out;
            out["loaded"] = true;
            out["size"] = entries.size();
            out["bytes"] = bytes;
            out["usage"] = bytes;
            out["total_fee"] = ValueFromAmount(total_fee);
            out["maxmempool"] = ctx->mempool.Options().max_bytes;
            out["mempoolminfee"] = ValueFromAmount(ctx->mempool.Options().min_relay_fee_rate);
            out["minrelaytxfee"] = ValueFromAmount(ctx->mempool.Options().min_relay_fee_rate);
            out["unbroadcastcount"] = 0;
            out["orphans"] = ctx->mempool.OrphanCount();
            out["orphanbytes"] = ctx->mempool.OrphanBytes();
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getrawmempool",
        .description = "Returns all transaction ids in memory pool as a json array of string transaction ids.\n\n"
                       "Hint: use getmempoolentry to fetch a specific transaction from the mempool.",
        .args = {{"verbose", RPCArgType::BOOL, true, "false",
                  "True for a json object, false for array of transaction ids"},
                 {"mempool_sequence", RPCArgType::BOOL, true, "false",
                  "If verbose=false, returns a json object with transaction list and mempool sequence number "
                  "attached (doc/zmq.md)."}},
        .result = "[ \"hex\", ... ]    (json array) for verbose = false, best fee rate first\n"
                  "{ \"txids\" : [ \"hex\", ... ], \"mempool_sequence\" : n }    (json object) for "
                  "verbose = false and mempool_sequence = true\n"
                  "{ \"txid\" : { \"vsize\", \"weight\", \"time\", \"height\", \"descendantcount\", "
                  "\"descendantsize\", \"ancestorcount\", \"ancestorsize\", \"wtxid\", \"fees\" : { \"base\", "
                  "\"modified\", \"ancestor\", \"descendant\" }, \"depends\", \"spentby\", "
                  "\"bip125-replaceable\", \"unbroadcast\" }, ... }    (json object) for verbose = true",
        .examples = HelpExampleCli("getrawmempool", "true") + HelpExampleRpc("getrawmempool", "true"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const bool verbose = OptionalParamBool(request, 0).value_or(false);
            if (OptionalParamBool(request, 1).value_or(false)) {
                if (verbose) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Verbose results cannot contain mempool sequence values."};
                }
                const auto snapshot = ctx->mempool.TxidsWithSequence();
                json::array txids;
                for (const uint256& txid : snapshot.txids) txids.push_back(json::value(txid.GetHex()));
                return json::object{{"txids", std::move(txids)}, {"mempool_sequence", snapshot.mempool_sequence}};
            }
            if (!verbose) {
                json::array out;
                for (const uint256& txid : ctx->mempool.Txids()) out.push_back(json::value(txid.GetHex()));
                return out;
            }
            const MempoolGraph graph{ctx->mempool.Entries()};
            json::object out;
            for (const auto& [txid, entry] : graph.Entries()) out[txid.GetHex()] = graph.EntryToJSON(entry);
            return out;
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getmempoolentry",
        .description = "Returns mempool data for given transaction",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id (must be in mempool)"}},
        .result = "{ ... }    (json object) the fields of a verbose getrawmempool entry",
        .examples = HelpExampleCli("getmempoolentry", "\"mytxid\"") + HelpExampleRpc("getmempoolentry", "\"mytxid\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 txid = ParseHashV(request.params[0], "txid");
            if (!ctx->mempool.Exists(txid)) {
                throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Transaction not in mempool"};
            }
            const MempoolGraph graph{ctx->mempool.Entries()};
            const auto it = graph.Entries().find(txid);
            if (it == graph.Entries().end()) {
                throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Transaction not in mempool"};
            }
            return graph.EntryToJSON(it->second);
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getmempoolancestors",
        .description = "If txid is in the mempool, returns all in-mempool ancestors.",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id (must be in mempool)"},
                 {"verbose", RPCArgType::BOOL, true, "false",
                  "True for a json object, false for array of transaction ids"}},
        .result = "[ \"hex\", ... ]    (json array) for verbose = false: the ancestors' txids\n"
                  "{ \"txid\" : { ...verbose getrawmempool entry... }, ... }    (json object) for verbose = true",
        .examples = HelpExampleCli("getmempoolancestors", "\"mytxid\"") +
                    HelpExampleRpc("getmempoolancestors", "\"mytxid\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            return MempoolRelatives(*ctx, request, /*ancestors=*/true);
        },
    });

    methods.push_back({
        .category = "blockchain",
        .name = "getmempooldescendants",
        .description = "If txid is in the mempool, returns all in-mempool descendants.",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id (must be in mempool)"},
                 {"verbose", RPCArgType::BOOL, true, "false",
                  "True for a json object, false for array of transaction ids"}},
        .result = "[ \"hex\", ... ]    (json array) for verbose = false: the descendants' txids\n"
                  "{ \"txid\" : { ...verbose getrawmempool entry... }, ... }    (json object) for verbose = true",
        .examples = HelpExampleCli("getmempooldescendants", "\"mytxid\"") +
                    HelpExampleRpc("getmempooldescendants", "\"mytxid\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            return MempoolRelatives(*ctx, request, /*ancestors=*/false);
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "prioritisetransaction",
        .description = "Accepts the transaction into mined blocks at a higher (or lower) priority: the pool ranks it "
                       "by its fee plus fee_delta (for block templates and eviction) without changing the fee it "
                       "actually pays. The delta adds to any earlier one, may be set before the transaction "
                       "arrives, is kept in mempool.dat, and is forgotten once the transaction is mined.",
        .args = {{"txid", RPCArgType::STRING, false, "", "The transaction id."},
                 {"dummy", RPCArgType::ANY, true, "null",
                  "API-Compatibility for previous API. Must be zero or null."},
                 // Required (ParamInt64 refuses null), declared optional only
                 // because the table wants required arguments first.
                 {"fee_delta", RPCArgType::NUMBER, true, "required",
                  "The fee value (in base units) to add (or subtract, if negative). The accumulated delta "
                  "saturates at +/- MAX_MONEY."}},
        .result = "true|false    (boolean) Returns true",
        .examples = HelpExampleCli("prioritisetransaction", "\"txid\" 0.0 10000") +
                    HelpExampleRpc("prioritisetransaction", "\"txid\", 0.0, 10000"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const uint256 txid = ParseHashV(request.params[0], "txid");
            if (const json::value* dummy = OptionalParam(request, 1)) {
                // Core accepts any zero number (0, 0.0); anything else is the
                // long-gone priority argument.
                bool zero = false;
                try {
                    zero = AmountFromValue(*dummy) == 0;
                } catch (const RPCError&) {
                }
                if (!zero) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Priority is no longer supported, dummy argument to prioritisetransaction must "
                                   "be 0."};
                }
            }
            const int64_t delta = ParamInt64(request, 2);
            ctx->mempool.PrioritiseTransaction(txid, delta);
            return true;
        },
    });

    methods.push_back({
        .category = "mining",
        .name = "getprioritisedtransactions",
        .description = "Returns a map of all user-created (see prioritisetransaction) fee deltas by txid, and "
                       "whether the tx is present in mempool.",
        .args = {},
        .result = "{ \"txid\" : { \"fee_delta\" : n, \"in_mempool\" : true|false }, ... }",
        .examples = HelpExampleCli("getprioritisedtransactions", "") +
                    HelpExampleRpc("getprioritisedtransactions", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            json::object out;
            for (const auto& [txid, delta] : ctx->mempool.FeeDeltas()) {
                json::object item;
                item["fee_delta"] = delta;
                item["in_mempool"] = ctx->mempool.Exists(txid);
                out[txid.GetHex()] = std::move(item);
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
