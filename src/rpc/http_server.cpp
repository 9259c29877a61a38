// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/http_server.h>

#include <rpc/protocol.h>
#include <rpc/request.h>
#include <rpc/work_queue.h>
#include <util/logging.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <optional>
#include <thread>

namespace hpips {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/** Bytes a rejected (413) upload may still send before the connection is
 *  closed: reading them lets the client see the 413 instead of a reset. */
constexpr size_t MAX_LINGER_BYTES = 2 * MAX_RPC_REQUEST_SIZE;
/** How long a rejected upload may keep sending. */
constexpr std::chrono::seconds LINGER_TIMEOUT{5};
/** Pause before accepting again after accept() failed (e.g. out of file descriptors). */
constexpr std::chrono::milliseconds ACCEPT_RETRY_DELAY{100};

constexpr std::string_view WWW_AUTH_HEADER_DATA{"Basic realm=\"jsonrpc\""};

/** Decodes %XX escapes of a URI path segment; nullopt for a malformed escape. */
std::optional<std::string> UrlDecode(std::string_view in)
{
    std::string out;
    out.reserve(in.size());
    for (size_t i{0}; i < in.size(); ++i) {
        if (in[i] != '%') {
            out += in[i];
            continue;
        }
        if (i + 2 >= in.size()) return std::nullopt;
        unsigned value{0};
        for (size_t j{1}; j <= 2; ++j) {
            const char c{in[i + j]};
            value <<= 4;
            if (c >= '0' && c <= '9') value |= static_cast<unsigned>(c - '0');
            else if (c >= 'a' && c <= 'f') value |= static_cast<unsigned>(c - 'a' + 10);
            else if (c >= 'A' && c <= 'F') value |= static_cast<unsigned>(c - 'A' + 10);
            else return std::nullopt;
        }
        out += static_cast<char>(value);
        i += 2;
    }
    return out;
}

}  // namespace

struct HTTPRPCServer::Impl {
    Impl(const RPCTable& table_in, const RPCAuthenticator& auth_in, HTTPServerOptions options_in)
        : table{table_in}, auth{auth_in}, options{std::move(options_in)}
    {
    }

    const RPCTable& table;
    const RPCAuthenticator& auth;
    const HTTPServerOptions options;

    // Declared before the io_context: sessions destroyed with it still use them.
    std::atomic<size_t> connections{0};
    std::atomic<bool> stopping{false};
    std::mutex inflight_mutex;
    std::condition_variable inflight_cv;
    size_t inflight{0};  // guarded by inflight_mutex: requests queued or being answered

    std::unique_ptr<WorkQueue> queue;
    net::io_context ioc{1};
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_guard;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::vector<tcp::endpoint> bound;
    std::thread io_thread;
    bool started{false};
    bool stopped{false};

    void Accept(tcp::acceptor& acceptor);

    bool Allowed(const net::ip::address& address) const
    {
        for (const auto& subnet : options.allow) {
            if (subnet.Contains(address)) return true;
        }
        return false;
    }

    void BeginInflight()
    {
        std::lock_guard lock{inflight_mutex};
        ++inflight;
    }

    void EndInflight()
    {
        {
            std::lock_guard lock{inflight_mutex};
            --inflight;
        }
        inflight_cv.notify_all();
    }
};

namespace {

/** One client connection: reads requests one at a time, hands each to the
 *  work queue, writes the reply, and loops while the client keeps the
 *  connection alive. Every member is used on the I/O thread only; workers
 *  post their result back to it. */
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, HTTPRPCServer::Impl& server)
        : m_server{server},
          m_stream{std::move(socket)},
          m_buffer{MAX_RPC_REQUEST_SIZE + MAX_RPC_HEADERS_SIZE},
          m_timer{m_stream.get_executor()}
    {
        beast::error_code ec;
        m_peer = m_stream.socket().remote_endpoint(ec);
    }

    ~Session() { --m_server.connections; }

    void Start() { DoRead(); }

private:
    using Response = http::response<http::string_body>;

    void DoRead()
    {
        m_parser.emplace();
        m_parser->body_limit(MAX_RPC_REQUEST_SIZE);
        m_parser->header_limit(static_cast<std::uint32_t>(MAX_RPC_HEADERS_SIZE));
        m_stream.expires_after(m_server.options.timeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, size_t) { self->OnRead(ec); });
    }

    void OnRead(beast::error_code ec)
    {
        if (ec == http::error::body_limit) {
            LogDebug(LogCategory::RPC, "RPC request from {} exceeds {} bytes", Peer(), MAX_RPC_REQUEST_SIZE);
            SendText(http::status::payload_too_large, "Request body too large\n", /*close=*/true, /*linger=*/true);
            return;
        }
        if (ec == http::error::header_limit || ec == http::error::buffer_overflow) {
            SendText(http::status::bad_request, "Request header too large\n", true, true);
            return;
        }
        if (ec) {
            // Timeouts, resets and clean closes end the connection quietly;
            // a malformed request gets a 400 if the peer is still there.
            if (ec.category() == http::make_error_code(http::error::bad_version).category() &&
                ec != http::error::end_of_stream && ec != http::error::partial_message) {
                SendText(http::status::bad_request, "Bad request\n", true, false);
                return;
            }
            Close();
            return;
        }
        m_stream.expires_never();
        try {
            Handle(m_parser->release());
        } catch (const std::exception& e) {
            LogInfo("RPC: unexpected error handling a request from {}: {}", Peer(), e.what());
            SendText(http::status::internal_server_error, "Internal error\n", true, false);
        }
    }

    void Handle(http::request<http::string_body> request)
    {
        m_keep_alive = request.keep_alive();
        if (!m_server.Allowed(m_peer.address())) {
            LogInfo("HTTP request from {} rejected: Client network is not allowed RPC access", Peer());
            SendText(http::status::forbidden, "", true, false);
            return;
        }
        if (request.method() != http::verb::post) {
            SendText(http::status::method_not_allowed, "JSONRPC server handles only POST requests", false, false);
            return;
        }
        const std::string_view target{request.target().data(), request.target().size()};
        std::optional<std::string> wallet;
        constexpr std::string_view WALLET_PREFIX{"/wallet/"};
        if (target.substr(0, WALLET_PREFIX.size()) == WALLET_PREFIX) {
            wallet = UrlDecode(target.substr(WALLET_PREFIX.size()));
            if (!wallet) {
                SendText(http::status::bad_request, "Malformed wallet name in URI\n", false, false);
                return;
            }
        } else if (target != "/") {
            SendText(http::status::not_found, "", false, false);
            return;
        }

        const auto authorization = request.find(http::field::authorization);
        if (authorization == request.end()) {
            SendUnauthorized();
            return;
        }
        const auto user = m_server.auth.Check({authorization->value().data(), authorization->value().size()});
        if (!user) {
            LogInfo("ThreadRPCServer incorrect password attempt from {}", Peer());
            // Answer later without holding a worker or blocking other clients.
            m_timer.expires_after(AUTH_FAILURE_DELAY);
            m_timer.async_wait([self = shared_from_this()](beast::error_code ec) {
                if (ec != net::error::operation_aborted) self->SendUnauthorized();
            });
            return;
        }

        if (m_server.stopping) {
            SendText(http::status::service_unavailable, "Server is shutting down\n", true, false);
            return;
        }
        RPCRequest context;
        context.user = *user;
        context.wallet = std::move(wallet);
        m_server.BeginInflight();
        const bool queued = m_server.queue->TryPush(
            [self = shared_from_this(), body = std::move(request.body()), context = std::move(context)]() mutable {
                HTTPReplyData reply;
                try {
                    reply = ExecuteJSONRPCBody(self->m_server.table, body, context);
                } catch (...) {
                    reply = {HTTPStatus::INTERNAL_SERVER_ERROR, {}};
                }
                body.clear();
                body.shrink_to_fit();
                net::post(self->m_stream.get_executor(),
                          [self, reply = std::move(reply)]() mutable { self->SendReply(std::move(reply)); });
            });
        if (!queued) {
            m_server.EndInflight();
            LogInfo("WARNING: request rejected because http work queue depth exceeded, it can be increased with the "
                    "-rpcworkqueue= setting");
            SendText(http::status::service_unavailable, "Work queue depth exceeded", false, false);
        }
    }

    void SendUnauthorized()
    {
        auto response = MakeResponse(http::status::unauthorized, false);
        response->set(http::field::www_authenticate, WWW_AUTH_HEADER_DATA);
        response->prepare_payload();
        Write(response, false, false, false);
    }

    void SendReply(HTTPReplyData reply)
    {
        auto response = MakeResponse(static_cast<http::status>(static_cast<unsigned>(reply.status)), false);
        if (reply.status != HTTPStatus::NO_CONTENT) {
            response->set(http::field::content_type, "application/json");
            response->body() = std::move(reply.body);
            response->prepare_payload();
        }
        Write(response, m_server.stopping.load(), /*from_worker=*/true, false);
    }

    void SendText(http::status status, std::string body, bool close, bool linger)
    {
        auto response = MakeResponse(status, close);
        if (!body.empty()) response->set(http::field::content_type, "text/plain");
        response->body() = std::move(body);
        response->prepare_payload();
        Write(response, close, false, linger);
    }

    std::shared_ptr<Response> MakeResponse(http::status status, bool close)
    {
        auto response = std::make_shared<Response>(status, 11);
        response->keep_alive(m_keep_alive && !close && !m_server.stopping);
        return response;
    }

    void Write(const std::shared_ptr<Response>& response, bool close, bool from_worker, bool linger)
    {
        if (close) response->keep_alive(false);
        m_stream.expires_after(m_server.options.timeout);
        http::async_write(m_stream, *response,
                          [self = shared_from_this(), response, from_worker, linger](beast::error_code ec, size_t) {
                              if (from_worker) self->m_server.EndInflight();
                              if (ec) {
                                  self->Close();
                              } else if (linger) {
                                  self->Linger();
                              } else if (!response->keep_alive()) {
                                  self->Close();
                              } else {
                                  self->DoRead();
                              }
                          });
    }

    /** After refusing an oversized upload: stop sending, keep reading (and
     *  discarding) for a bounded time and size so the client gets to read
     *  the refusal instead of a connection reset. */
    void Linger()
    {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_drain.resize(64 * 1024);
        m_stream.expires_after(LINGER_TIMEOUT);
        DrainSome();
    }

    void DrainSome()
    {
        m_stream.async_read_some(net::buffer(m_drain), [self = shared_from_this()](beast::error_code ec, size_t n) {
            self->m_drained += n;
            if (ec || self->m_drained > MAX_LINGER_BYTES) {
                self->Close();
                return;
            }
            self->DrainSome();
        });
    }

    void Close()
    {
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        m_stream.close();
    }

    std::string Peer() const
    {
        beast::error_code ec;
        return m_peer.address().to_string(ec) + ":" + std::to_string(m_peer.port());
    }

    HTTPRPCServer::Impl& m_server;
    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<http::request_parser<http::string_body>> m_parser;
    net::steady_timer m_timer;
    tcp::endpoint m_peer;
    bool m_keep_alive{false};
    std::vector<char> m_drain;
    size_t m_drained{0};
};

}  // namespace

void HTTPRPCServer::Impl::Accept(tcp::acceptor& acceptor)
{
    acceptor.async_accept([this, &acceptor](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        if (ec) {
            LogDebug(LogCategory::RPC, "RPC accept failed: {}", ec.message());
            auto timer = std::make_shared<net::steady_timer>(ioc, ACCEPT_RETRY_DELAY);
            timer->async_wait([this, &acceptor, timer](beast::error_code) {
                if (acceptor.is_open()) Accept(acceptor);
            });
            return;
        }
        if (connections.load() >= MAX_RPC_CONNECTIONS || stopping) {
            beast::error_code ignored;
            socket.close(ignored);
        } else {
            ++connections;
            try {
                std::make_shared<Session>(std::move(socket), *this)->Start();
            } catch (const std::exception& e) {
                LogInfo("RPC: could not start a session: {}", e.what());
            }
        }
        Accept(acceptor);
    });
}

HTTPRPCServer::HTTPRPCServer(const RPCTable& table, const RPCAuthenticator& auth, HTTPServerOptions options)
    : m_impl{std::make_unique<Impl>(table, auth, std::move(options))}
{
}

HTTPRPCServer::~HTTPRPCServer() { Stop(); }

Result<void> HTTPRPCServer::Start()
{
    Impl& impl = *m_impl;
    if (impl.started) return Error{"RPC server already started"};
    for (const auto& endpoint : impl.options.bind) {
        auto acceptor = std::make_unique<tcp::acceptor>(impl.ioc);
        beast::error_code ec;
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) acceptor->set_option(net::socket_base::reuse_address(true), ec);
        if (!ec && endpoint.address().is_v6()) acceptor->set_option(net::ip::v6_only(true), ec);
        if (!ec) acceptor->bind(endpoint, ec);
        if (!ec) acceptor->listen(net::socket_base::max_listen_connections, ec);
        if (ec) {
            LogInfo("Binding RPC on address {} port {} failed: {}", endpoint.address().to_string(), endpoint.port(),
                    ec.message());
            continue;
        }
        const auto local = acceptor->local_endpoint(ec);
        LogInfo("Binding RPC on address {} port {}", local.address().to_string(), local.port());
        impl.bound.push_back(local);
        impl.acceptors.push_back(std::move(acceptor));
    }
    if (impl.acceptors.empty()) return Error{"Unable to bind any endpoint for RPC server"};

    impl.queue = std::make_unique<WorkQueue>(impl.options.threads, impl.options.work_queue);
    for (auto& acceptor : impl.acceptors) impl.Accept(*acceptor);
    impl.work_guard.emplace(impl.ioc.get_executor());
    impl.io_thread = std::thread{[&impl] {
        while (true) {
            try {
                impl.ioc.run();
                return;
            } catch (const std::exception& e) {
                // A handler that throws must not take the server down.
                LogInfo("RPC I/O thread: unexpected error: {}", e.what());
            }
        }
    }};
    impl.started = true;
    return {};
}

void HTTPRPCServer::Stop()
{
    Impl& impl = *m_impl;
    if (!impl.started || impl.stopped) return;
    impl.stopped = true;
    impl.stopping = true;
    LogDebug(LogCategory::RPC, "Stopping HTTP server");
    net::post(impl.ioc, [&impl] {
        for (auto& acceptor : impl.acceptors) {
            beast::error_code ec;
            acceptor->close(ec);
        }
    });
    // Queued requests still run; their replies are then written.
    impl.queue->Stop();
    {
        std::unique_lock lock{impl.inflight_mutex};
        impl.inflight_cv.wait_for(lock, RPC_STOP_GRACE, [&impl] { return impl.inflight == 0; });
    }
    impl.work_guard.reset();
    impl.ioc.stop();
    if (impl.io_thread.joinable()) impl.io_thread.join();
    impl.acceptors.clear();
    LogDebug(LogCategory::RPC, "Stopped HTTP server");
}

std::vector<tcp::endpoint> HTTPRPCServer::BoundEndpoints() const { return m_impl->bound; }

}  // namespace hpips
