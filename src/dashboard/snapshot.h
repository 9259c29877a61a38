// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_DASHBOARD_SNAPSHOT_H
#define HPIPS_DASHBOARD_SNAPSHOT_H

#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <deque>
#include <string>

/** The figures the dashboard shows and /metrics exports, read through the
 *  RPC table: the same numbers getblockchaininfo, getnetworkinfo,
 *  getmempoolinfo and getmininginfo return, so the page, Prometheus and
 *  hpips-cli never disagree and no chain code is duplicated here. */
namespace hpips {
class RPCTable;

/** One reading. A section whose method failed (still warming up, the chain
 *  methods not registered yet, any RPC error) is null. */
struct DashboardSnapshot {
    /** Unix time of the reading, milliseconds. */
    int64_t time_ms{0};
    boost::json::value blockchain;
    boost::json::value network;
    boost::json::value mempool;
    boost::json::value mining;
};

/** Calls the four methods (each takes the chain's locks only briefly).
 *  Thread-safe as RPCTable::Execute is. Never throws for an RPC failure. */
DashboardSnapshot TakeDashboardSnapshot(const RPCTable& table, int64_t time_ms);

/** /dashboard/api/status: {"time": ms, "blockchain", "network", "mempool",
 *  "mining" (the methods' results or null), "jobs": {"available": false,
 *  "message"} (the job market does not exist yet)}. */
boost::json::value DashboardStatusJson(const DashboardSnapshot& snapshot);

/** The Prometheus text exposition format 0.0.4 of a snapshot: a HELP and
 *  TYPE line per metric, counters ending in _total; metrics of a null
 *  section are left out. Names are listed in doc/dashboard.md. */
std::string DashboardMetricsText(const DashboardSnapshot& snapshot);

/** One point of the charts. Unknown figures are -1. */
struct DashboardSample {
    int64_t time_ms{0};
    int64_t blocks{-1};
    int64_t headers{-1};
    int64_t peers{-1};
    int64_t mempool_tx{-1};
    int64_t miner_units{-1};
    int64_t miner_tickets{-1};
    int64_t miner_macs{-1};
    int64_t miner_blocks_found{-1};
};

DashboardSample SampleOf(const DashboardSnapshot& snapshot);

/** Most samples kept: 10 minutes at the default one per second. */
constexpr size_t MAX_DASHBOARD_HISTORY = 600;

/** The last MAX_DASHBOARD_HISTORY samples, oldest first, so a page that
 *  just loaded draws the recent past at once. Not thread-safe: the
 *  dashboard server uses it from its one I/O thread only. */
class DashboardHistory {
public:
    void Add(const DashboardSample& sample);
    size_t Size() const { return m_samples.size(); }
    /** {"fields": [names...], "samples": [[values...], ...]}: column
     *  names once, then one array per sample, to keep the reply small. */
    boost::json::value Json() const;

private:
    std::deque<DashboardSample> m_samples;
};

}  // namespace hpips

#endif  // HPIPS_DASHBOARD_SNAPSHOT_H
