// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_DASHBOARD_SERVER_H
#define HPIPS_DASHBOARD_SERVER_H

#include <util/result.h>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string_view>

/** The dashboard (-dashboard=127.0.0.1:PORT): a small read-only HTTP/1.1
 *  listener of its own (Beast over Asio, one I/O thread), separate from the
 *  JSON-RPC server. It serves
 *    GET /, /dashboard/               the page (embedded, dashboard/assets.h)
 *    GET /dashboard/static/<file>     its script, style and uPlot
 *    GET /dashboard/api/status        the current figures (JSON)
 *    GET /dashboard/api/history       the recent samples for the charts (JSON)
 *    GET /metrics                     the same figures for Prometheus
 *  (HEAD too). It has no credentials: it binds a loopback address only
 *  (ParseDashboardAddress refuses any other at startup) and answers only
 *  requests whose Host header names a loopback host, so that a web page on
 *  another site cannot read it through DNS rebinding. It never reads a
 *  request body (a request announcing one gets 413 and the connection is
 *  closed), bounds the head (MAX_DASHBOARD_HEADERS_SIZE, DASHBOARD_HEADER_TIMEOUT)
 *  and the connections (MAX_DASHBOARD_CONNECTIONS: a new one beyond is closed
 *  at once), and catches every exception at this boundary. */
namespace hpips {
class RPCTable;

/** Most simultaneous connections; beyond, a new one is closed at once. A
 *  browser opens about 6 per host; 32 leaves room for a few tabs and a scraper. */
constexpr size_t MAX_DASHBOARD_CONNECTIONS = 32;
/** Largest request line plus headers. */
constexpr size_t MAX_DASHBOARD_HEADERS_SIZE = 8 * 1024;
/** How long a connection may take to send a request head. */
constexpr std::chrono::seconds DASHBOARD_HEADER_TIMEOUT{5};
/** How long a keep-alive connection may stay idle, and a reply may take to write. */
constexpr std::chrono::seconds DASHBOARD_IDLE_TIMEOUT{30};
/** How often the charts' history is sampled. */
constexpr std::chrono::milliseconds DASHBOARD_SAMPLE_INTERVAL{1000};

/** Parses the -dashboard value "127.0.0.1:PORT" or "[::1]:PORT" (any
 *  127.0.0.0/8 address; "localhost:PORT" means 127.0.0.1). The port is
 *  required (1-65535). Any address that is not loopback is an
 *  error: the dashboard has no credentials. */
Result<boost::asio::ip::tcp::endpoint> ParseDashboardAddress(std::string_view text);

/** True when a Host header value names a loopback host ("localhost",
 *  "127.x.y.z", "[::1]", each with or without ":port"). */
bool IsLoopbackHost(std::string_view host);

class DashboardServer {
public:
    /** `table` answers the figures (see dashboard/snapshot.h) and must outlive the server. */
    DashboardServer(const RPCTable& table, boost::asio::ip::tcp::endpoint bind,
                    std::chrono::milliseconds sample_interval = DASHBOARD_SAMPLE_INTERVAL);
    /** Stops the server if it runs. */
    ~DashboardServer();
    DashboardServer(const DashboardServer&) = delete;
    DashboardServer& operator=(const DashboardServer&) = delete;

    /** Binds and starts the I/O thread; an error if the address cannot be bound. */
    Result<void> Start();
    /** Closes the listener and every connection and joins the thread. Idempotent. */
    void Stop();
    /** The address listening (its real port when 0 was asked for). */
    boost::asio::ip::tcp::endpoint BoundEndpoint() const;

    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hpips

#endif  // HPIPS_DASHBOARD_SERVER_H
