// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <dashboard/snapshot.h>

#include <rpc/json.h>
#include <rpc/server.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <optional>
#include <string_view>

namespace hpips {
namespace {

namespace json = boost::json;

/** The result of `method` without parameters, or null if it failed. */
json::value Call(const RPCTable& table, const std::string& method)
{
    RPCRequest context;
    context.method = method;
    context.user = "dashboard";
    try {
        return table.Execute(method, json::value{}, context);
    } catch (...) {
        // Warmup, a method not registered yet, or any failure: the section is unknown.
        return json::value{};
    }
}

/** section[key] (or section[key][subkey]) when it exists. */
const json::value* Field(const json::value& section, std::string_view key, std::string_view subkey = {})
{
    const auto* object = section.if_object();
    if (object == nullptr) return nullptr;
    const auto* value = object->if_contains(key);
    if (value == nullptr || subkey.empty()) return value;
    const auto* inner = value->if_object();
    return inner == nullptr ? nullptr : inner->if_contains(subkey);
}

int64_t IntField(const json::value& section, std::string_view key, std::string_view subkey = {})
{
    const auto* value = Field(section, key, subkey);
    if (value == nullptr) return -1;
    if (value->is_int64()) return value->get_int64();
    if (value->is_uint64()) {
        const uint64_t v{value->get_uint64()};
        return v > static_cast<uint64_t>(INT64_MAX) ? INT64_MAX : static_cast<int64_t>(v);
    }
    if (value->is_bool()) return value->get_bool() ? 1 : 0;
    return -1;
}

enum class Section { BLOCKCHAIN, NETWORK, MEMPOOL, MINING };

/** One exported figure: where it comes from and how Prometheus sees it. */
struct MetricSpec {
    std::string_view name;
    std::string_view type;
    std::string_view help;
    Section section;
    std::string_view key;
    std::string_view subkey;
};

constexpr std::array METRICS{
    MetricSpec{"hpips_blocks", "gauge", "Height of the active chain's tip", Section::BLOCKCHAIN, "blocks", {}},
    MetricSpec{"hpips_headers", "gauge", "Height of the best known header chain", Section::BLOCKCHAIN, "headers", {}},
    MetricSpec{"hpips_verification_progress", "gauge", "Estimated fraction of the chain verified (0..1)",
               Section::BLOCKCHAIN, "verificationprogress", {}},
    MetricSpec{"hpips_initial_block_download", "gauge", "1 while in initial block download, else 0",
               Section::BLOCKCHAIN, "initialblockdownload", {}},
    MetricSpec{"hpips_peers", "gauge", "Peer connections", Section::NETWORK, "connections", {}},
    MetricSpec{"hpips_peers_inbound", "gauge", "Inbound peer connections", Section::NETWORK, "connections_in", {}},
    MetricSpec{"hpips_peers_outbound", "gauge", "Outbound peer connections", Section::NETWORK, "connections_out", {}},
    MetricSpec{"hpips_mempool_tx", "gauge", "Transactions in the mempool", Section::MEMPOOL, "size", {}},
    MetricSpec{"hpips_mempool_bytes", "gauge", "Virtual size of the mempool's transactions", Section::MEMPOOL,
               "bytes", {}},
    MetricSpec{"hpips_difficulty", "gauge", "Difficulty of the tip", Section::MINING, "difficulty", {}},
    MetricSpec{"hpips_network_macs_per_second", "gauge",
               "The network's estimated multiply-accumulates per second (getmininginfo networkmacps)",
               Section::MINING, "networkmacps", {}},
    MetricSpec{"hpips_miner_running", "gauge", "1 while the built-in miner runs", Section::MINING, "miner",
               "running"},
    MetricSpec{"hpips_miner_units_total", "counter", "Unit transcripts the built-in miner completed",
               Section::MINING, "miner", "units"},
    MetricSpec{"hpips_miner_tickets_total", "counter", "Tickets (tiles) the built-in miner checked", Section::MINING,
               "miner", "tiles"},
    MetricSpec{"hpips_miner_macs_total", "counter", "Multiply-accumulates of the built-in miner's transcripts",
               Section::MINING, "miner", "macs"},
    MetricSpec{"hpips_miner_blocks_found_total", "counter", "Blocks the built-in miner found", Section::MINING,
               "miner", "blocks_found"},
    MetricSpec{"hpips_miner_seconds_total", "counter", "Seconds the built-in miner spent mining", Section::MINING,
               "miner", "seconds"},
};

const json::value& SectionOf(const DashboardSnapshot& snapshot, Section section)
{
    switch (section) {
    case Section::BLOCKCHAIN: return snapshot.blockchain;
    case Section::NETWORK: return snapshot.network;
    case Section::MEMPOOL: return snapshot.mempool;
    case Section::MINING: return snapshot.mining;
    }
    return snapshot.blockchain;
}

/** A metric's value as Prometheus text; nullopt when absent or not a number. */
std::optional<std::string> MetricValue(const json::value& value)
{
    if (value.is_bool()) return std::string{value.get_bool() ? "1" : "0"};
    return JsonNumberString(value);
}

/** Escapes a label value (backslash, double quote, newline). */
std::string LabelValue(std::string_view text)
{
    std::string out;
    for (const char c : text) {
        if (c == '\\' || c == '"') out += '\\';
        if (c == '\n') {
            out += "\\n";
            continue;
        }
        out += c;
    }
    return out;
}

}  // namespace

DashboardSnapshot TakeDashboardSnapshot(const RPCTable& table, int64_t time_ms)
{
    DashboardSnapshot snapshot;
    snapshot.time_ms = time_ms;
    snapshot.blockchain = Call(table, "getblockchaininfo");
    snapshot.network = Call(table, "getnetworkinfo");
    snapshot.mempool = Call(table, "getmempoolinfo");
    snapshot.mining = Call(table, "getmininginfo");
    return snapshot;
}

json::value DashboardStatusJson(const DashboardSnapshot& snapshot)
{
    json::object out;
    out["time"] = snapshot.time_ms;
    out["blockchain"] = snapshot.blockchain;
    out["network"] = snapshot.network;
    out["mempool"] = snapshot.mempool;
    out["mining"] = snapshot.mining;
    json::object jobs;
    jobs["available"] = false;
    jobs["message"] = "The job market does not exist yet: there are no jobs to show.";
    jobs["jobs"] = json::array{};
    out["jobs"] = std::move(jobs);
    return out;
}

std::string DashboardMetricsText(const DashboardSnapshot& snapshot)
{
    std::string out;
    out.reserve(4096);
    for (const auto& metric : METRICS) {
        const auto* field = Field(SectionOf(snapshot, metric.section), metric.key, metric.subkey);
        if (field == nullptr) continue;
        const auto value = MetricValue(*field);
        if (!value) continue;
        out.append("# HELP ").append(metric.name).append(" ").append(metric.help).append("\n");
        out.append("# TYPE ").append(metric.name).append(" ").append(metric.type).append("\n");
        out.append(metric.name).append(" ").append(*value).append("\n");
    }
    // The miner's engine as a label of an always-1 gauge (the info-metric habit).
    if (const auto* backend = Field(snapshot.mining, "miner", "backend"); backend != nullptr && backend->is_string()) {
        out.append("# HELP hpips_miner_info The built-in miner's engine\n");
        out.append("# TYPE hpips_miner_info gauge\n");
        out.append("hpips_miner_info{backend=\"")
            .append(LabelValue(std::string_view{backend->get_string()}))
            .append("\"} 1\n");
    }
    if (const auto* chain = Field(snapshot.blockchain, "chain"); chain != nullptr && chain->is_string()) {
        out.append("# HELP hpips_chain_info The chain this node runs\n");
        out.append("# TYPE hpips_chain_info gauge\n");
        out.append("hpips_chain_info{chain=\"").append(LabelValue(std::string_view{chain->get_string()})).append("\"} 1\n");
    }
    return out;
}

DashboardSample SampleOf(const DashboardSnapshot& snapshot)
{
    DashboardSample sample;
    sample.time_ms = snapshot.time_ms;
    sample.blocks = IntField(snapshot.blockchain, "blocks");
    sample.headers = IntField(snapshot.blockchain, "headers");
    sample.peers = IntField(snapshot.network, "connections");
    sample.mempool_tx = IntField(snapshot.mempool, "size");
    sample.miner_units = IntField(snapshot.mining, "miner", "units");
    sample.miner_tickets = IntField(snapshot.mining, "miner", "tiles");
    sample.miner_macs = IntField(snapshot.mining, "miner", "macs");
    sample.miner_blocks_found = IntField(snapshot.mining, "miner", "blocks_found");
    return sample;
}

void DashboardHistory::Add(const DashboardSample& sample)
{
    m_samples.push_back(sample);
    while (m_samples.size() > MAX_DASHBOARD_HISTORY) m_samples.pop_front();
}

json::value DashboardHistory::Json() const
{
    json::object out;
    out["fields"] = json::array{"time",        "blocks",      "headers",          "peers",
                                "mempool_tx",  "miner_units", "miner_tickets",    "miner_macs",
                                "miner_blocks_found"};
    json::array samples;
    samples.reserve(m_samples.size());
    for (const auto& s : m_samples) {
        samples.push_back(json::array{s.time_ms, s.blocks, s.headers, s.peers, s.mempool_tx, s.miner_units,
                                      s.miner_tickets, s.miner_macs, s.miner_blocks_found});
    }
    out["samples"] = std::move(samples);
    return out;
}

}  // namespace hpips
