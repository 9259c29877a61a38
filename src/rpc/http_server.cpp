// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/http_server.h>

#include <rpc/kernel_memory.h>
#include <rpc/protocol.h>
#include <rpc/request.h>
#include <rpc/work_queue.h>
#include <util/logging.h>
#include <util/threadsafety.h>
#include <util/run_until_done.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <atomic>
#include <condition_variable>
#include <map>
#include <memory>
#include <optional>
#include <thread>

namespace hpips {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

/** Request bodies live in memory from the kernel (rpc/kernel_memory.h): a
 *  body is allocated on the I/O thread and freed on a worker, and from malloc
 *  the I/O thread's arena stayed grown by the largest recent body (15 MiB
 *  after one 15 MiB body, measured). */
using Body = http::basic_string_body<char, std::char_traits<char>, KernelAllocator<char>>;
using BodyText = Body::value_type;
using Parser = http::request_parser<Body>;

/** Bytes a refused upload may still send before the connection is closed:
 *  reading (and discarding) them lets the client see the refusal instead of
 *  a reset. Costs no memory beyond a 64 KiB scratch buffer. */
constexpr size_t MAX_LINGER_BYTES = 2 * MAX_RPC_REQUEST_SIZE;
/** How long a refused upload may keep sending. */
constexpr std::chrono::seconds LINGER_TIMEOUT{5};
/** Scratch buffer for discarding a refused upload. */
constexpr size_t LINGER_CHUNK = 64 * 1024;
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

bool EqualsIgnoreCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size()) return false;
    for (size_t i{0}; i < a.size(); ++i) {
        const auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
        if (lower(a[i]) != lower(b[i])) return false;
    }
    return true;
}

std::string Text(beast::string_view text) { return std::string(text.data(), text.size()); }

/** The limits a request head is read under, on a socket or from a buffer.
 *  No body limit yet: the announced size is judged after the credentials
 *  (HeadDecision::BODY_TOO_LARGE), so an unauthenticated client learns
 *  nothing but 401; ArmBodyLimit sets it before the body is read. */
void ConfigureHeadParser(Parser& parser)
{
    parser.header_limit(static_cast<std::uint32_t>(MAX_RPC_HEADERS_SIZE));
    parser.body_limit(boost::none);
}

/** Bounds the body about to be read (chunked bodies have no Content-Length). */
void ArmBodyLimit(Parser& parser) { parser.body_limit(static_cast<std::uint64_t>(MAX_RPC_REQUEST_SIZE)); }

/** The head of a parser whose header is done. */
HTTPRequestHead HeadOf(const Parser& parser)
{
    const auto& request = parser.get();
    HTTPRequestHead head;
    head.method = Text(request.method_string());
    head.target = Text(request.target());
    if (const auto it = request.find(http::field::authorization); it != request.end()) {
        head.authorization = Text(it->value());
    }
    if (const auto length = parser.content_length()) head.content_length = *length;
    head.has_body = !parser.is_done();
    head.keep_alive = request.keep_alive();
    head.expect_continue = EqualsIgnoreCase(Text(request[http::field::expect]), "100-continue");
    return head;
}

/** How a parse error is answered. */
HTTPParseStatus ParseErrorStatus(const beast::error_code& ec)
{
    if (ec == http::error::body_limit) return HTTPParseStatus::BODY_TOO_LARGE;
    if (ec == http::error::header_limit || ec == http::error::buffer_overflow) return HTTPParseStatus::HEADER_TOO_LARGE;
    if (ec == http::error::need_more || ec == http::error::end_of_stream || ec == http::error::partial_message) {
        return HTTPParseStatus::INCOMPLETE;
    }
    return HTTPParseStatus::MALFORMED;
}

}  // namespace

HeadCheck CheckRequestHead(const HTTPRequestHead& head, bool address_allowed, const RPCAuthenticator& auth)
{
    HeadCheck check;
    if (!address_allowed) {
        check.decision = HeadDecision::FORBIDDEN;
        return check;
    }
    if (head.method != "POST") {
        check.decision = HeadDecision::BAD_METHOD;
        return check;
    }
    const std::string_view target{head.target};
    constexpr std::string_view WALLET_PREFIX{"/wallet/"};
    if (target.substr(0, WALLET_PREFIX.size()) == WALLET_PREFIX) {
        check.wallet = UrlDecode(target.substr(WALLET_PREFIX.size()));
        if (!check.wallet) {
            check.decision = HeadDecision::BAD_WALLET_URI;
            return check;
        }
    } else if (target != "/") {
        check.decision = HeadDecision::NOT_FOUND;
        return check;
    }
    if (!head.authorization) {
        check.decision = HeadDecision::NO_CREDENTIALS;
        check.wallet.reset();
        return check;
    }
    auto user = auth.Check(*head.authorization);
    if (!user) {
        check.decision = HeadDecision::WRONG_CREDENTIALS;
        check.wallet.reset();
        return check;
    }
    if (head.content_length && *head.content_length > MAX_RPC_REQUEST_SIZE) {
        check.decision = HeadDecision::BODY_TOO_LARGE;
        check.wallet.reset();
        return check;
    }
    check.decision = HeadDecision::SERVE;
    check.user = std::move(*user);
    return check;
}

ParsedHTTPRequest ParseHTTPRequest(std::string_view bytes)
{
    ParsedHTTPRequest out;
    Parser parser;
    ConfigureHeadParser(parser);
    // Like async_read_header: stop at the end of the head.
    parser.eager(false);
    // put() consumes what it can and asks for more with need_more.
    const auto feed = [&]() -> bool {
        if (out.consumed == bytes.size()) {
            out.status = HTTPParseStatus::INCOMPLETE;
            return false;
        }
        beast::error_code ec;
        const size_t used = parser.put(net::buffer(bytes.data() + out.consumed, bytes.size() - out.consumed), ec);
        out.consumed += used;
        if (ec) {
            out.status = ParseErrorStatus(ec);
            return false;
        }
        if (used == 0) {
            out.status = HTTPParseStatus::INCOMPLETE;
            return false;
        }
        return true;
    };
    while (!parser.is_header_done()) {
        if (!feed()) return out;
    }
    out.head = HeadOf(parser);
    if (out.head->content_length && *out.head->content_length > MAX_RPC_REQUEST_SIZE) {
        out.status = HTTPParseStatus::BODY_TOO_LARGE;
        return out;
    }
    ArmBodyLimit(parser);
    parser.eager(true);
    while (!parser.is_done()) {
        if (!feed()) return out;
    }
    const BodyText& body = parser.get().body();
    out.body.assign(body.data(), body.size());
    out.status = HTTPParseStatus::COMPLETE;
    return out;
}

namespace {
class Session;
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
    std::atomic<bool> stopping{false};
    Mutex inflight_mutex;
    std::condition_variable inflight_cv;
    /** Requests queued or being answered. */
    size_t inflight GUARDED_BY(inflight_mutex){0};

    /** One open connection, for the limits and eviction. */
    struct Connection {
        std::weak_ptr<Session> session;
        net::ip::address address;
    };
    /** Sessions register on the I/O thread and leave when they close there or
     *  are destroyed (which may happen on a worker thread, hence the mutex). */
    mutable Mutex connections_mutex;
    std::map<uint64_t, Connection> connections GUARDED_BY(connections_mutex);
    /** Used on the I/O thread only. */
    uint64_t next_connection_id{0};

    std::unique_ptr<WorkQueue> queue;
    net::io_context ioc{1};
    std::optional<net::executor_work_guard<net::io_context::executor_type>> work_guard;
    std::vector<std::unique_ptr<tcp::acceptor>> acceptors;
    std::vector<tcp::endpoint> bound;
    std::thread io_thread;
    bool started{false};
    bool stopped{false};

    void Accept(tcp::acceptor& acceptor);

    /** Frees a slot for a new connection from `address` by evicting, if the
     *  server or the address is full; false if nothing could be evicted.
     *  I/O thread only. */
    bool MakeRoom(const net::ip::address& address);

    /** The connection to evict first (see HTTPRPCServer), among all or among
     *  those from `address`; null if none may be evicted. I/O thread only. */
    std::shared_ptr<Session> PickVictim(const std::optional<net::ip::address>& address);

    void Register(uint64_t id, const std::shared_ptr<Session>& session, const net::ip::address& address)
    {
        LockGuard lock{connections_mutex};
        connections.emplace(id, Connection{session, address});
    }

    void Deregister(uint64_t id)
    {
        LockGuard lock{connections_mutex};
        connections.erase(id);
    }

    bool Allowed(const net::ip::address& address) const
    {
        for (const auto& subnet : options.allow) {
            if (subnet.Contains(address)) return true;
        }
        return false;
    }

    void BeginInflight()
    {
        LockGuard lock{inflight_mutex};
        ++inflight;
    }

    void EndInflight()
    {
        {
            LockGuard lock{inflight_mutex};
            --inflight;
        }
        inflight_cv.notify_all();
    }
};

namespace {

/** Where a connection is in its life; decides whether it may be evicted. */
enum class Phase {
    /** Waiting for the first request head: not authenticated yet. */
    HEAD_FIRST,
    /** Authenticated before, idle between keep-alive requests. */
    HEAD_NEXT,
    /** Being refused from its head (401, 403, ...): not authenticated. */
    REFUSING,
    /** Reading an authenticated body (or writing 100 Continue). */
    BODY,
    /** Queued, executing, or writing its reply. */
    BUSY,
    /** Discarding what a refused client still sends. */
    LINGER,
    CLOSED,
};

/** Eviction class of a phase, lowest first; nullopt: never evicted. */
std::optional<int> EvictionRank(Phase phase)
{
    switch (phase) {
    case Phase::LINGER: return 0;
    case Phase::HEAD_FIRST:
    case Phase::REFUSING: return 1;
    case Phase::HEAD_NEXT: return 2;
    case Phase::BODY:
    case Phase::BUSY:
    case Phase::CLOSED: return std::nullopt;
    }
    return std::nullopt;
}

/** One client connection: reads a request head, decides from it alone
 *  whether to serve it (CheckRequestHead), then reads the body, hands it to
 *  the work queue, writes the reply, and loops while the client keeps the
 *  connection alive. Every member is used on the I/O thread only; workers
 *  post their result back to it. */
class Session : public std::enable_shared_from_this<Session> {
public:
    Session(tcp::socket socket, HTTPRPCServer::Impl& server, uint64_t id)
        : m_server{server},
          m_id{id},
          m_stream{std::move(socket)},
          m_buffer{MAX_RPC_HEADERS_SIZE + LINGER_CHUNK},
          m_timer{m_stream.get_executor()}
    {
        beast::error_code ec;
        m_peer = m_stream.socket().remote_endpoint(ec);
    }

    ~Session() { m_server.Deregister(m_id); }

    void Start() { ReadHead(/*first=*/true); }

    /** The eviction class now (nullopt: busy, never evicted) and since when. I/O thread only. */
    std::optional<int> Rank() const { return EvictionRank(m_phase); }
    std::chrono::steady_clock::time_point Since() const { return m_since; }

    /** Closes the connection to make room for a new one. I/O thread only. */
    void Evict()
    {
        LogDebug(LogCategory::RPC, "RPC: closing an idle or unauthenticated connection from {} to make room", Peer());
        Close();
    }

private:
    using Response = http::response<http::string_body>;

    void SetPhase(Phase phase)
    {
        m_phase = phase;
        m_since = std::chrono::steady_clock::now();
    }

    void ReadHead(bool first)
    {
        SetPhase(first ? Phase::HEAD_FIRST : Phase::HEAD_NEXT);
        m_parser.emplace();
        ConfigureHeadParser(*m_parser);
        // Until a client has authenticated it gets the short head deadline;
        // an authenticated keep-alive connection may idle as long as Core's.
        m_stream.expires_after(first ? std::min(m_server.options.header_timeout, m_server.options.timeout)
                                     : m_server.options.timeout);
        http::async_read_header(m_stream, m_buffer, *m_parser,
                                [self = shared_from_this()](beast::error_code ec, size_t) { self->OnHead(ec); });
    }

    /** Handles a failed read of a head or body; every outcome ends the connection. */
    void OnReadError(beast::error_code ec)
    {
        switch (ParseErrorStatus(ec)) {
        case HTTPParseStatus::BODY_TOO_LARGE:
            LogDebug(LogCategory::RPC, "RPC request from {} exceeds {} bytes", Peer(), MAX_RPC_REQUEST_SIZE);
            Refuse(http::status::payload_too_large, "Request body too large\n", /*linger=*/true);
            return;
        case HTTPParseStatus::HEADER_TOO_LARGE:
            Refuse(http::status::bad_request, "Request header too large\n", /*linger=*/true);
            return;
        case HTTPParseStatus::MALFORMED:
            // A malformed request gets a 400 if the peer is still there;
            // timeouts, resets and clean closes end the connection quietly.
            if (ec.category() == http::make_error_code(http::error::bad_version).category()) {
                Refuse(http::status::bad_request, "Bad request\n", /*linger=*/false);
                return;
            }
            Close();
            return;
        case HTTPParseStatus::INCOMPLETE:
        case HTTPParseStatus::COMPLETE: Close(); return;
        }
        Close();
    }

    void OnHead(beast::error_code ec)
    {
        if (m_phase == Phase::CLOSED) return;
        if (ec) {
            OnReadError(ec);
            return;
        }
        const HTTPRequestHead head = HeadOf(*m_parser);
        m_keep_alive = head.keep_alive;
        m_body_pending = head.has_body;
        HeadCheck check = CheckRequestHead(head, m_server.Allowed(m_peer.address()), m_server.auth);
        switch (check.decision) {
        case HeadDecision::SERVE: break;
        case HeadDecision::FORBIDDEN:
            LogInfo("HTTP request from {} rejected: Client network is not allowed RPC access", Peer());
            Refuse(http::status::forbidden, "", m_body_pending);
            return;
        case HeadDecision::BAD_METHOD:
            Refuse(http::status::method_not_allowed, "JSONRPC server handles only POST requests", m_body_pending);
            return;
        case HeadDecision::NOT_FOUND: Refuse(http::status::not_found, "", m_body_pending); return;
        case HeadDecision::BAD_WALLET_URI:
            Refuse(http::status::bad_request, "Malformed wallet name in URI\n", m_body_pending);
            return;
        case HeadDecision::NO_CREDENTIALS: RefuseUnauthorized(); return;
        case HeadDecision::WRONG_CREDENTIALS:
            LogInfo("ThreadRPCServer incorrect password attempt from {}", Peer());
            // Answer later without holding a worker or blocking other clients.
            SetPhase(Phase::REFUSING);
            m_stream.expires_never();
            m_timer.expires_after(AUTH_FAILURE_DELAY);
            m_timer.async_wait([self = shared_from_this()](beast::error_code timer_ec) {
                if (timer_ec != net::error::operation_aborted && self->m_phase != Phase::CLOSED) {
                    self->RefuseUnauthorized();
                }
            });
            return;
        case HeadDecision::BODY_TOO_LARGE:
            LogDebug(LogCategory::RPC, "RPC request from {} announces more than {} bytes", Peer(), MAX_RPC_REQUEST_SIZE);
            Refuse(http::status::payload_too_large, "Request body too large\n", /*linger=*/true);
            return;
        }
        if (m_server.stopping) {
            Refuse(http::status::service_unavailable, "Server is shutting down\n", m_body_pending);
            return;
        }
        m_context = RPCRequest{};
        m_context.user = std::move(check.user);
        m_context.wallet = std::move(check.wallet);
        SetPhase(Phase::BODY);
        if (head.expect_continue && head.has_body) {
            auto go_on = std::make_shared<http::response<http::empty_body>>(http::status::continue_, 11);
            m_stream.expires_after(m_server.options.timeout);
            http::async_write(m_stream, *go_on, [self = shared_from_this(), go_on](beast::error_code write_ec, size_t) {
                if (write_ec) {
                    self->Close();
                    return;
                }
                self->ReadBody();
            });
            return;
        }
        ReadBody();
    }

    void ReadBody()
    {
        if (m_phase == Phase::CLOSED) return;
        ArmBodyLimit(*m_parser);
        if (m_parser->is_done()) {
            OnBody({});
            return;
        }
        m_stream.expires_after(m_server.options.timeout);
        http::async_read(m_stream, m_buffer, *m_parser,
                         [self = shared_from_this()](beast::error_code ec, size_t) { self->OnBody(ec); });
    }

    void OnBody(beast::error_code ec)
    {
        if (m_phase == Phase::CLOSED) return;
        if (ec) {
            OnReadError(ec);
            return;
        }
        m_stream.expires_never();
        try {
            Dispatch(std::move(m_parser->get().body()));
        } catch (const std::exception& e) {
            LogInfo("RPC: unexpected error handling a request from {}: {}", Peer(), e.what());
            Refuse(http::status::internal_server_error, "Internal error\n", false);
        }
    }

    void Dispatch(BodyText body)
    {
        SetPhase(Phase::BUSY);
        m_server.BeginInflight();
        const bool queued = m_server.queue->TryPush(
            [self = shared_from_this(), body = std::move(body), context = std::move(m_context)]() mutable {
                HTTPReplyData reply;
                try {
                    reply = ExecuteJSONRPCBody(self->m_server.table, {body.data(), body.size()}, context);
                } catch (...) {
                    reply = {HTTPStatus::INTERNAL_SERVER_ERROR, {}};
                }
                // The body is not needed while the reply waits to be written.
                BodyText{}.swap(body);
                net::post(self->m_stream.get_executor(),
                          [self, reply = std::move(reply)]() mutable { self->SendReply(std::move(reply)); });
            });
        if (!queued) {
            m_server.EndInflight();
            LogInfo("WARNING: request rejected because http work queue depth exceeded, it can be increased with the "
                    "-rpcworkqueue= setting");
            SendText(http::status::service_unavailable, "Work queue depth exceeded", /*close=*/false);
        }
    }

    void RefuseUnauthorized()
    {
        SetPhase(Phase::REFUSING);
        auto response = MakeResponse(http::status::unauthorized, /*close=*/true);
        response->set(http::field::www_authenticate, WWW_AUTH_HEADER_DATA);
        response->prepare_payload();
        Write(response, /*close=*/true, /*from_worker=*/false, /*linger=*/m_body_pending);
    }

    void SendReply(HTTPReplyData reply)
    {
        auto response = MakeResponse(static_cast<http::status>(static_cast<unsigned>(reply.status)), false);
        if (reply.status != HTTPStatus::NO_CONTENT) {
            response->set(http::field::content_type, "application/json");
            response->body() = std::move(reply.body);
            response->prepare_payload();
        }
        Write(response, m_server.stopping.load(), /*from_worker=*/true, /*linger=*/false);
    }

    /** Answers from the head (or a failed read) and ends the connection; the
     *  body, if any, is never read into memory. */
    void Refuse(http::status status, std::string body, bool linger)
    {
        SetPhase(Phase::REFUSING);
        SendText(status, std::move(body), /*close=*/true, linger);
    }

    void SendText(http::status status, std::string body, bool close, bool linger = false)
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
                              const bool keep_alive = response->keep_alive();
                              if (ec) {
                                  self->Close();
                              } else if (linger) {
                                  self->Linger();
                              } else if (!keep_alive) {
                                  self->Close();
                              } else {
                                  self->ReadHead(/*first=*/false);
                              }
                          });
    }

    /** After refusing a request whose body was not read: stop sending, keep
     *  reading (and discarding) for a bounded time and size so the client
     *  gets to read the refusal instead of a connection reset. */
    void Linger()
    {
        if (m_phase == Phase::CLOSED) return;
        SetPhase(Phase::LINGER);
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_send, ec);
        m_drain.resize(LINGER_CHUNK);
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
        if (m_phase == Phase::CLOSED) return;
        SetPhase(Phase::CLOSED);
        m_timer.cancel();
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        m_stream.close();
        // The slot is free now, even while handlers still hold the session.
        m_server.Deregister(m_id);
    }

    std::string Peer() const
    {
        beast::error_code ec;
        return m_peer.address().to_string(ec) + ":" + std::to_string(m_peer.port());
    }

    HTTPRPCServer::Impl& m_server;
    const uint64_t m_id;
    beast::tcp_stream m_stream;
    beast::flat_buffer m_buffer;
    std::optional<Parser> m_parser;
    net::steady_timer m_timer;
    tcp::endpoint m_peer;
    Phase m_phase{Phase::HEAD_FIRST};
    std::chrono::steady_clock::time_point m_since{std::chrono::steady_clock::now()};
    bool m_keep_alive{false};
    /** The current request has a body that was not read. */
    bool m_body_pending{false};
    /** The caller of the request being read (user, wallet URI). */
    RPCRequest m_context;
    std::vector<char> m_drain;
    size_t m_drained{0};
};

}  // namespace

std::shared_ptr<Session> HTTPRPCServer::Impl::PickVictim(const std::optional<net::ip::address>& address)
{
    // Collected under the lock, released after it: dropping the last
    // reference to a session runs its destructor, which takes the lock.
    std::vector<std::shared_ptr<Session>> candidates;
    {
        LockGuard lock{connections_mutex};
        for (const auto& [id, connection] : connections) {
            if (address && connection.address != *address) continue;
            // An expired one is being destroyed and leaves by itself.
            if (auto session = connection.session.lock()) candidates.push_back(std::move(session));
        }
    }
    std::shared_ptr<Session> victim;
    std::optional<int> victim_rank;
    for (auto& session : candidates) {
        const auto rank = session->Rank();
        if (!rank) continue;
        if (!victim || *rank < *victim_rank || (*rank == *victim_rank && session->Since() < victim->Since())) {
            victim = session;
            victim_rank = rank;
        }
    }
    return victim;
}

bool HTTPRPCServer::Impl::MakeRoom(const net::ip::address& address)
{
    const auto count = [&](bool same_address) {
        LockGuard lock{connections_mutex};
        if (!same_address) return connections.size();
        size_t n{0};
        for (const auto& [id, connection] : connections) n += connection.address == address ? 1 : 0;
        return n;
    };
    if (count(true) >= MAX_RPC_CONNECTIONS_PER_ADDRESS) {
        auto victim = PickVictim(address);
        if (!victim) return false;
        victim->Evict();
    }
    if (count(false) >= MAX_RPC_CONNECTIONS) {
        auto victim = PickVictim(std::nullopt);
        if (!victim) return false;
        victim->Evict();
    }
    return true;
}

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
        beast::error_code peer_ec;
        const auto peer = socket.remote_endpoint(peer_ec);
        if (stopping || peer_ec) {
            beast::error_code ignored;
            socket.close(ignored);
        } else if (!MakeRoom(peer.address())) {
            LogDebug(LogCategory::RPC, "RPC connection from {} refused: every connection is busy",
                     peer.address().to_string());
            beast::error_code ignored;
            socket.close(ignored);
        } else {
            try {
                const uint64_t id{next_connection_id++};
                auto session = std::make_shared<Session>(std::move(socket), *this, id);
                Register(id, session, peer.address());
                session->Start();
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
    impl.io_thread = std::thread{[&impl] { RunUntilDone(impl.ioc, "RPC I/O thread"); }};
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
        UniqueLock lock{impl.inflight_mutex};
        impl.inflight_cv.wait_for(lock.native(), RPC_STOP_GRACE,
                                  [&impl]() EXCLUSIVE_LOCKS_REQUIRED(impl.inflight_mutex) { return impl.inflight == 0; });
    }
    impl.work_guard.reset();
    impl.ioc.stop();
    if (impl.io_thread.joinable()) impl.io_thread.join();
    impl.acceptors.clear();
    LogDebug(LogCategory::RPC, "Stopped HTTP server");
}

std::vector<tcp::endpoint> HTTPRPCServer::BoundEndpoints() const { return m_impl->bound; }

size_t HTTPRPCServer::ConnectionCount() const
{
    LockGuard lock{m_impl->connections_mutex};
    return m_impl->connections.size();
}

}  // namespace hpips
