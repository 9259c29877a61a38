// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <dashboard/server.h>

#include <dashboard/assets.h>
#include <dashboard/snapshot.h>
#include <rpc/json.h>
#include <rpc/subnet.h>
#include <util/logging.h>
#include <util/run_until_done.h>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

#include <map>
#include <optional>
#include <string>
#include <thread>

namespace hpips {
namespace {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;
using Response = http::response<http::string_body>;

constexpr std::string_view INDEX_FILE{"index.html"};
constexpr std::string_view STATIC_PREFIX{"/dashboard/static/"};
constexpr std::string_view METRICS_CONTENT_TYPE{"text/plain; version=0.0.4; charset=utf-8"};
/** The page loads only its own files; uPlot sets inline styles. */
constexpr std::string_view CONTENT_SECURITY_POLICY{
    "default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "connect-src 'self'; frame-ancestors 'none'"};

int64_t NowMs()
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string Text(beast::string_view text) { return std::string(text.data(), text.size()); }

}  // namespace

Result<tcp::endpoint> ParseDashboardAddress(std::string_view text)
{
    const bool has_port = [&] {
        if (!text.empty() && text.front() == '[') {
            const auto close = text.find(']');
            return close != std::string_view::npos && close + 1 < text.size() && text[close + 1] == ':';
        }
        return text.find(':') != std::string_view::npos;
    }();
    if (!has_port) {
        return Error{"Invalid -dashboard address '" + std::string{text} + "': expected 127.0.0.1:PORT or [::1]:PORT"};
    }
    auto endpoint = ParseEndpoint(text, 0);
    if (!endpoint) return Error{"Invalid -dashboard address '" + std::string{text} + "': " + endpoint.error_message()};
    if (!endpoint->address().is_loopback()) {
        return Error{"-dashboard must bind a loopback address (127.0.0.1 or [::1]): the dashboard has no "
                     "credentials; got '" +
                     std::string{text} + "'"};
    }
    return *endpoint;
}

bool IsLoopbackHost(std::string_view host)
{
    std::string_view name{host};
    if (!name.empty() && name.front() == '[') {
        const auto close = name.find(']');
        if (close == std::string_view::npos) return false;
        const auto rest = name.substr(close + 1);
        if (!rest.empty() && rest.front() != ':') return false;
        name = name.substr(1, close - 1);
    } else if (const auto colon = name.rfind(':'); colon != std::string_view::npos) {
        name = name.substr(0, colon);
    }
    if (name == "localhost") return true;
    beast::error_code ec;
    const auto address = net::ip::make_address(std::string{name}, ec);
    return !ec && address.is_loopback();
}

class DashboardSession;

struct DashboardServer::Impl {
    Impl(const RPCTable& table_in, tcp::endpoint bind_in, std::chrono::milliseconds interval_in)
        : table{table_in}, bind{bind_in}, interval{interval_in}
    {
    }

    void Accept();
    void Sample();
    /** The reply to a request head (never reads a body). */
    Response Answer(const http::request<http::empty_body>& request);

    const RPCTable& table;
    const tcp::endpoint bind;
    const std::chrono::milliseconds interval;
    tcp::endpoint bound;
    bool started{false};
    bool stopped{false};
    // Used on the I/O thread only (no lock needed).
    DashboardHistory history;
    std::map<uint64_t, std::weak_ptr<DashboardSession>> sessions;
    uint64_t next_id{0};
    // Declared last: destroyed first, with any handler (and session) still queued.
    net::io_context ioc;
    tcp::acceptor acceptor{ioc};
    net::steady_timer sample_timer{ioc};
    std::thread thread;
};

class DashboardSession : public std::enable_shared_from_this<DashboardSession> {
public:
    DashboardSession(tcp::socket socket, DashboardServer::Impl& server, uint64_t id)
        : m_stream{std::move(socket)}, m_server{server}, m_id{id}
    {
    }

    void Start() { ReadHead(/*first=*/true); }

    /** Closes the socket; the pending operation ends with an error and drops the session. */
    void Close()
    {
        if (m_closed) return;
        m_closed = true;
        beast::error_code ec;
        m_stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        m_stream.close();
        m_server.sessions.erase(m_id);
    }

private:
    void ReadHead(bool first)
    {
        if (m_closed) return;
        m_stream.expires_after(first ? DASHBOARD_HEADER_TIMEOUT : DASHBOARD_IDLE_TIMEOUT);
        // The buffer holds MAX_DASHBOARD_HEADERS_SIZE bytes at most: a head
        // longer than that ends the read with not_found.
        net::async_read_until(m_stream, net::dynamic_buffer(m_input, MAX_DASHBOARD_HEADERS_SIZE), "\r\n\r\n",
                              [self = shared_from_this()](beast::error_code ec, size_t n) { self->OnHead(ec, n); });
    }

    void OnHead(beast::error_code ec, size_t head_size)
    {
        if (m_closed) return;
        if (ec == net::error::not_found) {
            Reply(Plain(http::status::request_header_fields_too_large, "Request header too large\n"), true);
            return;
        }
        if (ec) {
            if (ec != net::error::eof) LogDebug(LogCategory::RPC, "dashboard: reading a request failed: {}", ec.message());
            Close();
            return;
        }
        http::request_parser<http::empty_body> parser;
        parser.eager(false);
        beast::error_code parse_ec;
        parser.put(net::buffer(m_input.data(), head_size), parse_ec);
        // What follows the head (a pipelined request) stays for the next read.
        m_input.erase(0, head_size);
        if ((parse_ec && parse_ec != http::error::need_more) || !parser.is_header_done()) {
            Reply(Plain(http::status::bad_request, "Malformed request\n"), true);
            return;
        }
        const auto& request = parser.get();
        Response response;
        bool close{!request.keep_alive()};
        if (!parser.is_done()) {
            // The dashboard takes no input: a body is never read.
            response = Plain(http::status::payload_too_large, "The dashboard accepts no request body\n");
            close = true;
        } else {
            try {
                response = m_server.Answer(request);
            } catch (const std::exception& e) {
                LogInfo("dashboard: unexpected error answering {}: {}", Text(request.target()), e.what());
                response = Plain(http::status::internal_server_error, "Internal error\n");
            }
        }
        Reply(std::move(response), close);
    }

    static Response Plain(http::status status, std::string body)
    {
        Response response{status, 11};
        response.set(http::field::content_type, "text/plain; charset=utf-8");
        response.body() = std::move(body);
        response.prepare_payload();
        return response;
    }

    void Reply(Response response, bool close)
    {
        response.keep_alive(!close);
        auto shared = std::make_shared<Response>(std::move(response));
        m_stream.expires_after(DASHBOARD_IDLE_TIMEOUT);
        http::async_write(m_stream, *shared, [self = shared_from_this(), shared](beast::error_code ec, size_t) {
            if (ec || !shared->keep_alive()) {
                self->Close();
                return;
            }
            self->ReadHead(/*first=*/false);
        });
    }

    beast::tcp_stream m_stream;
    /** Bytes read and not yet used: one request head at most (a head that does not fit is refused, 431). */
    std::string m_input;
    DashboardServer::Impl& m_server;
    const uint64_t m_id;
    bool m_closed{false};
};

Response DashboardServer::Impl::Answer(const http::request<http::empty_body>& request)
{
    const auto plain = [&](http::status status, std::string body) {
        Response response{status, request.version()};
        response.set(http::field::content_type, "text/plain; charset=utf-8");
        response.body() = std::move(body);
        response.prepare_payload();
        return response;
    };
    const bool head = request.method() == http::verb::head;
    if (request.method() != http::verb::get && !head) {
        auto response = plain(http::status::method_not_allowed, "Only GET and HEAD\n");
        response.set(http::field::allow, "GET, HEAD");
        return response;
    }
    if (!IsLoopbackHost(Text(request[http::field::host]))) {
        return plain(http::status::forbidden, "The dashboard answers only requests to a loopback host name\n");
    }
    std::string_view target{request.target().data(), request.target().size()};
    target = target.substr(0, target.find('?'));

    std::string_view content_type;
    std::string body;
    bool cache{false};
    if (target == "/" || target == "/dashboard" || target == "/dashboard/" || target.starts_with(STATIC_PREFIX)) {
        const auto name = target.starts_with(STATIC_PREFIX) ? target.substr(STATIC_PREFIX.size()) : INDEX_FILE;
        const auto* asset = FindDashboardAsset(name);
        if (asset == nullptr) return plain(http::status::not_found, "Not found\n");
        content_type = asset->content_type;
        body.assign(asset->body);
        cache = name != INDEX_FILE;
    } else if (target == "/dashboard/api/status") {
        content_type = "application/json";
        body = WriteJson(DashboardStatusJson(TakeDashboardSnapshot(table, NowMs())));
    } else if (target == "/dashboard/api/history") {
        content_type = "application/json";
        body = WriteJson(history.Json());
    } else if (target == "/metrics") {
        content_type = METRICS_CONTENT_TYPE;
        body = DashboardMetricsText(TakeDashboardSnapshot(table, NowMs()));
    } else {
        return plain(http::status::not_found, "Not found\n");
    }
    Response response{http::status::ok, request.version()};
    response.set(http::field::content_type, content_type);
    response.set(http::field::cache_control, cache ? "max-age=300" : "no-store");
    response.set("X-Content-Type-Options", "nosniff");
    response.set("Content-Security-Policy", CONTENT_SECURITY_POLICY);
    const size_t size{body.size()};
    if (!head) response.body() = std::move(body);
    response.content_length(size);
    return response;
}

void DashboardServer::Impl::Accept()
{
    acceptor.async_accept([this](beast::error_code ec, tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor.is_open()) return;
        if (!ec) {
            if (sessions.size() >= MAX_DASHBOARD_CONNECTIONS) {
                LogDebug(LogCategory::RPC, "dashboard: connection refused, {} already open", sessions.size());
                beast::error_code ignored;
                socket.close(ignored);
            } else {
                try {
                    const uint64_t id{next_id++};
                    auto session = std::make_shared<DashboardSession>(std::move(socket), *this, id);
                    sessions.emplace(id, session);
                    session->Start();
                } catch (const std::exception& e) {
                    LogInfo("dashboard: could not start a session: {}", e.what());
                }
            }
        }
        Accept();
    });
}

void DashboardServer::Impl::Sample()
{
    try {
        history.Add(SampleOf(TakeDashboardSnapshot(table, NowMs())));
    } catch (const std::exception& e) {
        LogInfo("dashboard: sampling failed: {}", e.what());
    }
    sample_timer.expires_after(interval);
    sample_timer.async_wait([this](beast::error_code ec) {
        if (!ec) Sample();
    });
}

DashboardServer::DashboardServer(const RPCTable& table, tcp::endpoint bind, std::chrono::milliseconds sample_interval)
    : m_impl{std::make_unique<Impl>(table, bind, sample_interval)}
{
}

DashboardServer::~DashboardServer() { Stop(); }

Result<void> DashboardServer::Start()
{
    Impl& impl = *m_impl;
    if (impl.started) return Error{"dashboard already started"};
    beast::error_code ec;
    impl.acceptor.open(impl.bind.protocol(), ec);
    if (!ec) impl.acceptor.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec && impl.bind.address().is_v6()) impl.acceptor.set_option(net::ip::v6_only(true), ec);
    if (!ec) impl.acceptor.bind(impl.bind, ec);
    if (!ec) impl.acceptor.listen(net::socket_base::max_listen_connections, ec);
    if (!ec) impl.bound = impl.acceptor.local_endpoint(ec);
    if (ec) {
        return Error{"Unable to bind the dashboard on " + impl.bind.address().to_string() + " port " +
                     std::to_string(impl.bind.port()) + ": " + ec.message()};
    }
    LogInfo("Dashboard on http://{}:{}/ (metrics at /metrics)",
            impl.bound.address().is_v6() ? "[" + impl.bound.address().to_string() + "]"
                                         : impl.bound.address().to_string(),
            impl.bound.port());
    impl.Accept();
    net::post(impl.ioc, [&impl] { impl.Sample(); });
    impl.thread = std::thread{[&impl] { RunUntilDone(impl.ioc, "dashboard I/O thread"); }};
    impl.started = true;
    return {};
}

void DashboardServer::Stop()
{
    Impl& impl = *m_impl;
    if (!impl.started || impl.stopped) return;
    impl.stopped = true;
    net::post(impl.ioc, [&impl] {
        beast::error_code ec;
        impl.acceptor.close(ec);
        impl.sample_timer.cancel();
        // Close() erases from the map: collect the sessions first.
        std::vector<std::shared_ptr<DashboardSession>> open;
        for (const auto& [id, weak] : impl.sessions) {
            if (auto session = weak.lock()) open.push_back(std::move(session));
        }
        for (auto& session : open) session->Close();
        impl.sessions.clear();
    });
    // With the listener, the timer and every socket closed, run() runs out of work.
    if (impl.thread.joinable()) impl.thread.join();
}

tcp::endpoint DashboardServer::BoundEndpoint() const { return m_impl->bound; }

}  // namespace hpips
