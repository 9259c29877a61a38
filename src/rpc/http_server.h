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
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/** The JSON-RPC HTTP server: HTTP/1.1 with keep-alive (Boost.Beast over
 *  Asio), one I/O thread, and a bounded pool of worker threads executing
 *  requests. Untrusted input is bounded at every step: header size and time
 *  (-rpcheadertimeout), credentials checked on the head before any body byte
 *  is read (401, connection closed), body size (MAX_RPC_REQUEST_SIZE, HTTP
 *  413), read timeout, connections in all and per address (idle and
 *  unauthenticated ones are evicted first when full), work queue depth
 *  (HTTP 503); every exception is caught at this boundary. */
namespace hpips {

/** Default -rpcthreads. */
constexpr size_t DEFAULT_RPC_THREADS = 4;
/** Default -rpcworkqueue. */
constexpr size_t DEFAULT_RPC_WORK_QUEUE = 16;
/** Default -rpcservertimeout: seconds a client may take to send a request
 *  body, and an authenticated keep-alive connection may stay idle. */
constexpr std::chrono::seconds DEFAULT_RPC_SERVER_TIMEOUT{30};
/** Default -rpcheadertimeout: seconds a new connection may take to send its
 *  request line and headers. Short, because until then the client has not
 *  authenticated: a connection that sends nothing holds a slot only this long
 *  (and is the first evicted when the server is full). A local client sends
 *  its head in microseconds; 5 s leaves room for a slow remote link. */
constexpr std::chrono::seconds DEFAULT_RPC_HEADER_TIMEOUT{5};
/** Delay before answering wrong credentials, slowing password guessing
 *  without holding a worker (Core sleeps 250 ms in the worker). */
constexpr std::chrono::milliseconds AUTH_FAILURE_DELAY{250};
/** Most simultaneous client connections. When full, a new connection evicts
 *  an idle or unauthenticated one (see HTTPRPCServer); it is closed at once
 *  only if every connection is busy with an authenticated request. */
constexpr size_t MAX_RPC_CONNECTIONS = 256;
/** Most simultaneous connections from one IP address, with the same
 *  eviction. Far more than one client needs (at most -rpcthreads +
 *  -rpcworkqueue requests run or wait at once anyway), and a quarter of
 *  MAX_RPC_CONNECTIONS so that one remote address cannot fill the server. */
constexpr size_t MAX_RPC_CONNECTIONS_PER_ADDRESS = 64;
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
    std::chrono::seconds header_timeout{DEFAULT_RPC_HEADER_TIMEOUT};
};

/** What the server looks at in a request head (request line and headers). */
struct HTTPRequestHead {
    /** The method as sent ("POST"). */
    std::string method;
    std::string target;
    /** The Authorization header value, if present. */
    std::optional<std::string> authorization;
    /** Content-Length, if given (absent for chunked bodies and no body). */
    std::optional<uint64_t> content_length;
    /** A body follows the head (Content-Length > 0 or chunked). */
    bool has_body{false};
    bool keep_alive{false};
    /** "Expect: 100-continue": the client waits for "100 Continue" before sending the body. */
    bool expect_continue{false};
};

/** What the server does with a request, decided from its head alone, before
 *  any byte of the body is read. In Core's order: address, method, path,
 *  credentials, then the announced body size. */
enum class HeadDecision {
    /** Authenticated POST to / or /wallet/<name>: read the body and execute it. */
    SERVE,
    /** 403: the client's address is not in -rpcallowip. */
    FORBIDDEN,
    /** 405: not POST. */
    BAD_METHOD,
    /** 404: a path other than / and /wallet/<name>. */
    NOT_FOUND,
    /** 400: a malformed %-escape in the wallet name. */
    BAD_WALLET_URI,
    /** 401 at once: no Authorization header. */
    NO_CREDENTIALS,
    /** 401 after AUTH_FAILURE_DELAY: credentials that match nothing. */
    WRONG_CREDENTIALS,
    /** 413: Content-Length above MAX_RPC_REQUEST_SIZE (chunked bodies are
     *  stopped at that size while read). */
    BODY_TOO_LARGE,
};

/** CheckRequestHead's answer; user and wallet are set for SERVE. */
struct HeadCheck {
    HeadDecision decision{HeadDecision::FORBIDDEN};
    std::string user;
    std::optional<std::string> wallet;
};

/** Decides what to do with a request from its head. `address_allowed`: the
 *  client's address is in the allowed subnets. Cost: one credentials check
 *  (constant time per accepted credential). Thread-safe. */
HeadCheck CheckRequestHead(const HTTPRequestHead& head, bool address_allowed, const RPCAuthenticator& auth);

/** How far ParseHTTPRequest got. */
enum class HTTPParseStatus {
    /** Head and body parsed. */
    COMPLETE,
    /** The bytes end before the request does. */
    INCOMPLETE,
    /** The head exceeds MAX_RPC_HEADERS_SIZE (the server answers 400). */
    HEADER_TOO_LARGE,
    /** Content-Length or a chunked body exceeds MAX_RPC_REQUEST_SIZE (413). */
    BODY_TOO_LARGE,
    /** Not HTTP/1.x request syntax (400). */
    MALFORMED,
};

/** ParseHTTPRequest's result: `head` is set once the head parsed (also when
 *  the body then fails), `body` when COMPLETE. */
struct ParsedHTTPRequest {
    HTTPParseStatus status{HTTPParseStatus::INCOMPLETE};
    std::optional<HTTPRequestHead> head;
    std::string body;
    /** Bytes of the input used by this request (a pipelined next request starts here). */
    size_t consumed{0};
};

/** Parses one request from `bytes` with the parser and limits the server uses
 *  on a socket, in the same two steps: the head first (no body limit yet, as
 *  credentials are checked before the size), then the body under
 *  MAX_RPC_REQUEST_SIZE. For tests and fuzzing: no socket involved. Memory:
 *  the body, at most MAX_RPC_REQUEST_SIZE. */
ParsedHTTPRequest ParseHTTPRequest(std::string_view bytes);

/** Serves POST / and POST /wallet/<name> with ExecuteJSONRPCBody. The table
 *  and authenticator must outlive the server.
 *
 *  Connection slots: a new connection needs a free slot in all
 *  (MAX_RPC_CONNECTIONS) and for its address (MAX_RPC_CONNECTIONS_PER_ADDRESS).
 *  If there is none, the server evicts (closes) one connection, in this
 *  order: one draining a refused upload, then one that has not authenticated
 *  yet (waiting for its head, or being refused), then an authenticated
 *  keep-alive connection idle between requests; the oldest first within each
 *  class. Connections reading an authenticated body, executing or writing a
 *  reply are never evicted; only when every candidate is such is the new
 *  connection closed. So idle sockets cannot lock authenticated clients out. */
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

    /** Connections open now (for tests and diagnostics). Thread-safe. */
    size_t ConnectionCount() const;

    /** Opaque implementation (Beast stays out of this header). */
    struct Impl;

private:
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hpips

#endif  // HPIPS_RPC_HTTP_SERVER_H
