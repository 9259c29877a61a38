// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The dashboard's pure parts: the -dashboard address rule, the Host check,
// the Prometheus text, the history bound, and the embedded files.
#include <dashboard/assets.h>
#include <dashboard/server.h>
#include <dashboard/snapshot.h>
#include <rpc/json.h>
#include <rpc/server.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>
#include <gtest/gtest.h>

#include <string>

namespace hpips {
namespace {

namespace json = boost::json;

TEST(DashboardAddress, OnlyLoopbackWithAPort)
{
    const auto v4 = ParseDashboardAddress("127.0.0.1:8080");
    ASSERT_TRUE(v4);
    EXPECT_EQ(v4->port(), 8080);
    EXPECT_TRUE(v4->address().is_loopback());
    EXPECT_TRUE(ParseDashboardAddress("127.1.2.3:1"));
    EXPECT_TRUE(ParseDashboardAddress("[::1]:8080"));
    EXPECT_TRUE(ParseDashboardAddress("localhost:8080"));
    for (const char* bad : {"0.0.0.0:8080", "192.0.2.1:8080", "[::]:8080", "[2001:db8::1]:80", "1", "127.0.0.1",
                            "[::1]", "", "127.0.0.1:x", "127.0.0.1:0", "127.0.0.1:65536", "example.com:80"}) {
        EXPECT_FALSE(ParseDashboardAddress(bad)) << bad;
    }
}

TEST(DashboardHost, LoopbackNamesOnly)
{
    for (const char* good : {"localhost", "localhost:8080", "127.0.0.1", "127.0.0.1:1", "127.9.9.9:80", "[::1]",
                             "[::1]:8080"}) {
        EXPECT_TRUE(IsLoopbackHost(good)) << good;
    }
    for (const char* bad : {"", "attacker.example", "attacker.example:8080", "192.0.2.1", "[::1", "[::1]x",
                            "localhost.attacker.example", "0.0.0.0:80", "::1"}) {
        EXPECT_FALSE(IsLoopbackHost(bad)) << bad;
    }
}

DashboardSnapshot Sample()
{
    DashboardSnapshot s;
    s.time_ms = 1'700'000'000'000;
    s.blockchain = json::object{{"chain", "regtest"}, {"blocks", 12}, {"headers", 13},
                                {"verificationprogress", *MakeJsonNumber("0.5")}, {"initialblockdownload", true}};
    s.network = json::object{{"connections", 3}, {"connections_in", 1}, {"connections_out", 2}};
    s.mempool = json::object{{"size", 4}, {"bytes", 1000}};
    s.mining = json::object{{"difficulty", 1},
                            {"miner", json::object{{"running", true}, {"backend", "cpu \"x\""}, {"units", 100},
                                                   {"tiles", 200}, {"macs", 300}, {"blocks_found", 5}}}};
    return s;
}

TEST(DashboardMetrics, PrometheusText)
{
    const std::string text = DashboardMetricsText(Sample());
    for (const char* line : {"hpips_blocks 12\n", "hpips_headers 13\n", "hpips_verification_progress 0.5\n",
                             "hpips_initial_block_download 1\n", "hpips_peers 3\n", "hpips_mempool_tx 4\n",
                             "hpips_mempool_bytes 1000\n", "hpips_miner_units_total 100\n",
                             "hpips_miner_tickets_total 200\n", "hpips_miner_macs_total 300\n",
                             "hpips_miner_blocks_found_total 5\n", "# TYPE hpips_miner_units_total counter\n",
                             "# TYPE hpips_blocks gauge\n", "hpips_miner_info{backend=\"cpu \\\"x\\\"\"} 1\n",
                             "hpips_chain_info{chain=\"regtest\"} 1\n"}) {
        EXPECT_NE(text.find(line), std::string::npos) << line;
    }
    // Sections that could not answer leave their metrics out.
    DashboardSnapshot empty;
    EXPECT_EQ(DashboardMetricsText(empty), "");
}

TEST(DashboardSnapshot, EmptyTableGivesNullSections)
{
    RPCTable table;
    const auto snapshot = TakeDashboardSnapshot(table, 42);
    EXPECT_TRUE(snapshot.blockchain.is_null());
    EXPECT_TRUE(snapshot.mining.is_null());
    const auto status = DashboardStatusJson(snapshot);
    EXPECT_EQ(status.at("time").as_int64(), 42);
    EXPECT_FALSE(status.at("jobs").at("available").as_bool());
    const auto sample = SampleOf(snapshot);
    EXPECT_EQ(sample.blocks, -1);
    EXPECT_EQ(sample.miner_units, -1);
}

TEST(DashboardHistory, KeepsTheLastSamplesOnly)
{
    DashboardHistory history;
    DashboardSample sample = SampleOf(Sample());
    EXPECT_EQ(sample.blocks, 12);
    EXPECT_EQ(sample.miner_tickets, 200);
    // One more than the bound: the oldest goes.
    for (size_t i{0}; i < MAX_DASHBOARD_HISTORY + 1; ++i) {
        sample.time_ms = static_cast<int64_t>(i);
        history.Add(sample);
    }
    EXPECT_EQ(history.Size(), MAX_DASHBOARD_HISTORY);
    const auto value = history.Json();
    const auto& samples = value.at("samples").as_array();
    ASSERT_EQ(samples.size(), MAX_DASHBOARD_HISTORY);
    EXPECT_EQ(samples.front().as_array().at(0).as_int64(), 1);
    EXPECT_EQ(samples.back().as_array().size(), value.at("fields").as_array().size());
}

TEST(DashboardAssets, EmbeddedFiles)
{
    for (const char* name : {"index.html", "dashboard.js", "dashboard.css", "uPlot.iife.min.js", "uPlot.min.css"}) {
        const auto* asset = FindDashboardAsset(name);
        ASSERT_NE(asset, nullptr) << name;
        EXPECT_GT(asset->body.size(), 100u) << name;
    }
    EXPECT_EQ(FindDashboardAsset("../index.html"), nullptr);
    EXPECT_NE(FindDashboardAsset("index.html")->body.find("chart-units"), std::string_view::npos);
    EXPECT_EQ(FindDashboardAsset("index.html")->content_type, "text/html; charset=utf-8");
}

}  // namespace
}  // namespace hpips
