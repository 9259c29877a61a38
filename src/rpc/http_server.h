// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_HTTP_SERVER_H
#define HPIPS_RPC_HTTP_SERVER_H

#include <rpc/auth.h>
#include <rpc/server.h>
#include <rpc/subnet.h>
#include <util/result.h>

#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <vector>

/** The JSON-RPC HTTP server: HTTP/1.1 with keep-alive (Boost.Beast over
 *  Asio), one I/O thread, and a bounded pool of worker threads executing
 *  requests. Untrusted input is bounded at every step: header size, body
 *  size (MAX_RPC_REQUEST_SIZE, HTTP 413), read timeout, connection count,
 *  work queue depth (HTTP 503); every exception is caught at this boundary. */
namespace hpips {

/** Default -rpcthreads. */
constexpr size_t DEFAULT_RPC_THREADS = 4;
/** Default -rpcworkqueue. */
constexpr size_t DEFAULT_RPC_WORK_QUEUE = 16;
/** Default -rpcservertimeout: seconds a client may take to send a request. */
constexpr std::chrono::seconds DEFAULT_RPC_SERVER_TIMEOUT{30};
/** Delay before answering wrong credentials, slowing password guessing
 *  without holding a worker (Core sleeps 250 ms in the worker). */
constexpr std::chrono::milliseconds AUTH_FAILURE_DELAY{250};
/** Most simultaneous client connections; more are closed at once. */
constexpr size_t MAX_RPC_CONNECTIONS = 256;
/** How long Stop waits for replies already computed to be written. */
constexpr std::chrono::seconds RPC_STOP_GRACE{5};

/** How the server listens and whom it serves. */
struct HTTPServerOptions {
    std::vector<boost::asio::ip::tcp::endpoint> bind;
    /** Clients allowed to connect (others get 403). */
    std::vector<Subnet> allow;
    size_t threads{DEFAULT_RPC_THREADS};
    size_t work_queue{DEFAULT_RPC_WORK_QUEUE};
    std::chrono::seconds timeout{DEFAULT_RPC_SERVER_TIMEOUT};
};

/** Serves POST / and POST /wallet/<name> with ExecuteJSONRPCBody. The table
 *  and authenticator must outlive the server. */
class HTTPRPCServer {
public:
    HTTPRPCServer(const RPCTable& table, const RPCAuthenticator& auth, HTTPServerOptions options);
    /** Stops the server if it is running. */
    ~HTTPRPCServer();
    HTTPRPCServer(const HTTPRPCServer&) = delete;
    HTTPRPCServer& operator=(const HTTPRPCServer&) = delete;

    /** Binds every endpoint and starts the threads. Endpoints that fail to
     *  bind are logged and skipped; it is an error only if none binds. */
    Result<void> Start();

    /** Stops accepting, lets queued requests finish and their replies be
     *  written (up to RPC_STOP_GRACE), then closes every connection and
     *  joins the threads. Idempotent. */
    void Stop();

    /** The endpoints actually listening (useful when port 0 was asked for). */
    std::vector<boost::asio::ip::tcp::endpoint> BoundEndpoints() const;

    /** Opaque implementation (Beast stays out of this header). */
    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hpips

#endif  // HPIPS_RPC_HTTP_SERVER_H
