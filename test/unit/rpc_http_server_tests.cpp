// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/http_server.h>

#include <rpc/auth.h>
#include <rpc/control.h>
#include <rpc/protocol.h>
#include <rpc/request.h>
#include <util/clock.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http.hpp>

#include <gtest/gtest.h>

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <poll.h>
#include <sys/socket.h>
#include <sys/time.h>

namespace hpips {
namespace {

namespace net = boost::asio;
namespace http = boost::beast::http;
using tcp = net::ip::tcp;

const std::string GOOD_AUTH{"Basic " + EncodeBase64("user:pass")};

std::string Post(std::string_view extra_headers, std::string_view body)
{
    return "POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " + std::to_string(body.size()) + "\r\n" +
           std::string{extra_headers} + "\r\n" + std::string{body};
}

// --- the parser, on bytes -------------------------------------------------

TEST(RpcHttpServerTests, ParsesHeadAndBody)
{
    const std::string first = Post("Authorization: " + GOOD_AUTH + "\r\nExpect: 100-continue\r\n", "{\"a\":1}");
    const auto parsed = ParseHTTPRequest(first + "GET / HTTP/1.1\r\n\r\n");
    ASSERT_EQ(parsed.status, HTTPParseStatus::COMPLETE);
    ASSERT_TRUE(parsed.head);
    EXPECT_EQ(parsed.head->method, "POST");
    EXPECT_EQ(parsed.head->target, "/");
    EXPECT_EQ(parsed.head->authorization, GOOD_AUTH);
    EXPECT_EQ(parsed.head->content_length, 7u);
    EXPECT_TRUE(parsed.head->has_body);
    EXPECT_TRUE(parsed.head->keep_alive);
    EXPECT_TRUE(parsed.head->expect_continue);
    EXPECT_EQ(parsed.body, "{\"a\":1}");
    EXPECT_EQ(parsed.consumed, first.size());  // a pipelined request starts there

    const auto chunked = ParseHTTPRequest("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n");
    ASSERT_EQ(chunked.status, HTTPParseStatus::COMPLETE);
    EXPECT_FALSE(chunked.head->content_length);
    EXPECT_EQ(chunked.body, "abc");

    const auto no_body = ParseHTTPRequest("GET /x HTTP/1.0\r\n\r\n");
    ASSERT_EQ(no_body.status, HTTPParseStatus::COMPLETE);
    EXPECT_FALSE(no_body.head->has_body);
    EXPECT_FALSE(no_body.head->keep_alive);
    EXPECT_FALSE(no_body.head->authorization);
}

TEST(RpcHttpServerTests, ParserLimits)
{
    EXPECT_EQ(ParseHTTPRequest("").status, HTTPParseStatus::INCOMPLETE);
    EXPECT_EQ(ParseHTTPRequest("POST / HTTP/1.1\r\nContent-Le").status, HTTPParseStatus::INCOMPLETE);
    const auto partial = ParseHTTPRequest("POST / HTTP/1.1\r\nContent-Length: 10\r\n\r\nabc");
    EXPECT_EQ(partial.status, HTTPParseStatus::INCOMPLETE);
    EXPECT_TRUE(partial.head);  // the head is judged before the body arrives
    EXPECT_EQ(ParseHTTPRequest("THIS IS NOT HTTP\r\n\r\n").status, HTTPParseStatus::MALFORMED);
    EXPECT_EQ(ParseHTTPRequest("POST / HTTP/1.1\r\nContent-Length: x\r\n\r\n").status, HTTPParseStatus::MALFORMED);

    // The headers after the request line: MAX_RPC_HEADERS_SIZE, the blank
    // line included (the request line has the same limit of its own).
    const std::string request_line{"POST / HTTP/1.1\r\n"};
    const auto headers = [](size_t size) { return "X: " + std::string(size - 7, 'a') + "\r\n\r\n"; };
    EXPECT_EQ(ParseHTTPRequest(request_line + headers(MAX_RPC_HEADERS_SIZE)).status, HTTPParseStatus::COMPLETE);
    EXPECT_EQ(ParseHTTPRequest(request_line + headers(MAX_RPC_HEADERS_SIZE + 1)).status,
              HTTPParseStatus::HEADER_TOO_LARGE);
    EXPECT_EQ(ParseHTTPRequest("POST /" + std::string(MAX_RPC_HEADERS_SIZE, 'a') + " HTTP/1.1\r\n\r\n").status,
              HTTPParseStatus::HEADER_TOO_LARGE);

    // The body: MAX_RPC_REQUEST_SIZE, announced or chunked; an announced
    // excess is refused from the head, before any body byte.
    const auto announced = ParseHTTPRequest("POST / HTTP/1.1\r\nContent-Length: " +
                                            std::to_string(MAX_RPC_REQUEST_SIZE + 1) + "\r\n\r\n");
    EXPECT_EQ(announced.status, HTTPParseStatus::BODY_TOO_LARGE);
    ASSERT_TRUE(announced.head);
    EXPECT_EQ(announced.head->content_length, MAX_RPC_REQUEST_SIZE + 1);
    const std::string chunk_head{"POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n"};
    const auto chunk = [](size_t n) {
        std::ostringstream size;
        size << std::hex << n;
        return size.str() + "\r\n" + std::string(n, 'a') + "\r\n";
    };
    EXPECT_EQ(ParseHTTPRequest(chunk_head + chunk(MAX_RPC_REQUEST_SIZE) + "0\r\n\r\n").status,
              HTTPParseStatus::COMPLETE);
    EXPECT_EQ(ParseHTTPRequest(chunk_head + chunk(MAX_RPC_REQUEST_SIZE) + chunk(1) + "0\r\n\r\n").status,
              HTTPParseStatus::BODY_TOO_LARGE);
}

// --- decisions from the head ----------------------------------------------

TEST(RpcHttpServerTests, HeadDecisionsInCoreOrder)
{
    RPCAuthenticator auth;
    auth.AddPassword({"user", "pass"});
    HTTPRequestHead head;
    head.method = "POST";
    head.target = "/";
    head.authorization = GOOD_AUTH;
    head.content_length = MAX_RPC_REQUEST_SIZE;
    head.has_body = true;

    auto check = CheckRequestHead(head, true, auth);
    EXPECT_EQ(check.decision, HeadDecision::SERVE);
    EXPECT_EQ(check.user, "user");
    EXPECT_FALSE(check.wallet);

    head.target = "/wallet/my%20wallet";
    check = CheckRequestHead(head, true, auth);
    EXPECT_EQ(check.decision, HeadDecision::SERVE);
    EXPECT_EQ(check.wallet, "my wallet");

    // Credentials are judged before the announced size: no 413 without them.
    head.content_length = MAX_RPC_REQUEST_SIZE + 1;
    EXPECT_EQ(CheckRequestHead(head, true, auth).decision, HeadDecision::BODY_TOO_LARGE);
    head.authorization = "Basic " + EncodeBase64("user:wrong");
    EXPECT_EQ(CheckRequestHead(head, true, auth).decision, HeadDecision::WRONG_CREDENTIALS);
    head.authorization.reset();
    EXPECT_EQ(CheckRequestHead(head, true, auth).decision, HeadDecision::NO_CREDENTIALS);
    head.target = "/wallet/%zz";
    EXPECT_EQ(CheckRequestHead(head, true, auth).decision, HeadDecision::BAD_WALLET_URI);
    head.target = "/other";
    EXPECT_EQ(CheckRequestHead(head, true, auth).decision, HeadDecision::NOT_FOUND);
    head.method = "GET";
    EXPECT_EQ(CheckRequestHead(head, true, auth).decision, HeadDecision::BAD_METHOD);
    EXPECT_EQ(CheckRequestHead(head, false, auth).decision, HeadDecision::FORBIDDEN);
}

// --- a live server on 127.0.0.1 -------------------------------------------

/** Waits (without a deadline: ctest's timeout bounds it) until `done`. */
template <typename Predicate>
void WaitFor(Predicate done)
{
    while (!done()) std::this_thread::sleep_for(std::chrono::milliseconds{10});
}

class RpcHttpServerLiveTests : public ::testing::Test {
protected:
    void StartServer(std::chrono::seconds header_timeout)
    {
        ControlContext context;
        context.request_shutdown = [] {};
        context.clock = &m_clock;
        ASSERT_TRUE(RegisterControlRPCCommands(m_table, std::move(context)));
        m_auth.AddPassword({"user", "pass"});
        HTTPServerOptions options;
        options.bind = {tcp::endpoint{net::ip::address_v4::loopback(), 0}};
        options.allow = {*ParseSubnet("127.0.0.0/8")};
        options.header_timeout = header_timeout;
        m_server = std::make_unique<HTTPRPCServer>(m_table, m_auth, options);
        ASSERT_TRUE(m_server->Start());
        m_port = m_server->BoundEndpoints().at(0).port();
    }

    void TearDown() override
    {
        if (m_server) m_server->Stop();
    }

    /** A connection from `from` (any 127.x.y.z address works on Linux). A
     *  blocking read gives up after a minute, so a broken server fails the
     *  test instead of hanging it. */
    std::unique_ptr<tcp::socket> Connect(const std::string& from = "127.0.0.1")
    {
        auto socket = std::make_unique<tcp::socket>(m_ioc);
        socket->open(tcp::v4());
        socket->bind(tcp::endpoint{net::ip::make_address(from), 0});
        socket->connect(tcp::endpoint{net::ip::address_v4::loopback(), m_port});
        timeval timeout{60, 0};
        setsockopt(socket->native_handle(), SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof(timeout));
        return socket;
    }

    static http::response<http::string_body> ReadResponse(tcp::socket& socket, boost::beast::flat_buffer& buffer)
    {
        http::response<http::string_body> response;
        http::read(socket, buffer, response);
        return response;
    }

    static http::response<http::string_body> Exchange(tcp::socket& socket, const std::string& request)
    {
        net::write(socket, net::buffer(request));
        boost::beast::flat_buffer buffer;
        return ReadResponse(socket, buffer);
    }

    /** True once the server closed `socket` (a read ends with EOF or reset). */
    static bool ClosedByServer(tcp::socket& socket)
    {
        char byte;
        boost::system::error_code ec;
        while (true) {
            socket.read_some(net::buffer(&byte, 1), ec);
            if (ec) return ec == net::error::eof || ec == net::error::connection_reset;
        }
    }

    /** True if the server has not closed `socket` (nothing to read, no EOF). */
    static bool StillOpen(tcp::socket& socket)
    {
        pollfd fd{socket.native_handle(), POLLIN, 0};
        return poll(&fd, 1, 0) == 0;
    }

    std::string Uptime() const { return Post("Authorization: " + GOOD_AUTH + "\r\n", R"({"id":1,"method":"uptime"})"); }

    NodeClock m_clock;
    RPCTable m_table;
    RPCAuthenticator m_auth;
    std::unique_ptr<HTTPRPCServer> m_server;
    uint16_t m_port{0};
    net::io_context m_ioc;
};

TEST_F(RpcHttpServerLiveTests, IdleConnectionsCannotLockClientsOut)
{
    // A long head deadline: whatever works here works by eviction, not
    // because idle sockets timed out.
    StartServer(std::chrono::seconds{600});

    // An authenticated keep-alive connection, idle between requests.
    auto keep_alive = Connect();
    EXPECT_EQ(Exchange(*keep_alive, Uptime()).result(), http::status::ok);

    // More idle, unauthenticated sockets than the server holds, from several
    // addresses (each under the per-address limit).
    std::vector<std::unique_ptr<tcp::socket>> idle;
    for (size_t i{0}; i < MAX_RPC_CONNECTIONS + 20; ++i) idle.push_back(Connect("127.0.0." + std::to_string(2 + i % 5)));
    // A fresh authenticated client is served; so is the keep-alive one:
    // unauthenticated connections were evicted first, the oldest first.
    auto client = Connect();
    EXPECT_EQ(Exchange(*client, Uptime()).result(), http::status::ok);
    EXPECT_LE(m_server->ConnectionCount(), MAX_RPC_CONNECTIONS);
    EXPECT_EQ(Exchange(*keep_alive, Uptime()).result(), http::status::ok);
    EXPECT_TRUE(ClosedByServer(*idle.front()));
    EXPECT_TRUE(StillOpen(*idle.back()));
}

TEST_F(RpcHttpServerLiveTests, OneAddressHoldsAtMostItsShare)
{
    StartServer(std::chrono::seconds{600});
    constexpr size_t EXTRA{6};
    std::vector<std::unique_ptr<tcp::socket>> idle;
    for (size_t i{0}; i < MAX_RPC_CONNECTIONS_PER_ADDRESS + EXTRA; ++i) idle.push_back(Connect("127.0.0.9"));
    // Its request answered, every earlier connection has been accepted.
    auto client = Connect("127.0.0.9");
    EXPECT_EQ(Exchange(*client, Uptime()).result(), http::status::ok);
    // The oldest EXTRA + 1 made room, the others are open.
    for (size_t i{0}; i < idle.size(); ++i) {
        if (i <= EXTRA) {
            EXPECT_TRUE(ClosedByServer(*idle[i])) << i;
        } else {
            EXPECT_TRUE(StillOpen(*idle[i])) << i;
        }
    }
}

TEST_F(RpcHttpServerLiveTests, SilentConnectionsCloseAfterTheHeadDeadline)
{
    StartServer(std::chrono::seconds{1});
    auto silent = Connect();
    auto partial = Connect();
    net::write(*partial, net::buffer(std::string{"POST / HTTP/1.1\r\nAuthorization: "}));
    EXPECT_TRUE(ClosedByServer(*silent));
    EXPECT_TRUE(ClosedByServer(*partial));
    WaitFor([&] { return m_server->ConnectionCount() == 0; });
    // An authenticated client that sends its head at once is unaffected.
    auto client = Connect();
    EXPECT_EQ(Exchange(*client, Uptime()).result(), http::status::ok);
}

TEST_F(RpcHttpServerLiveTests, CredentialsAreCheckedBeforeTheBody)
{
    StartServer(DEFAULT_RPC_HEADER_TIMEOUT);
    const std::string big_head_start{"POST / HTTP/1.1\r\nHost: x\r\nContent-Length: " +
                                     std::to_string(MAX_RPC_REQUEST_SIZE - 1) + "\r\n"};
    // No credentials, then wrong ones: 401 on the head alone, then closed.
    for (const std::string& auth : {std::string{}, "Authorization: Basic " + EncodeBase64("user:wrong") + "\r\n"}) {
        auto socket = Connect();
        const auto response = Exchange(*socket, big_head_start + auth + "\r\n");
        EXPECT_EQ(response.result(), http::status::unauthorized);
        EXPECT_EQ(response[http::field::www_authenticate], "Basic realm=\"jsonrpc\"");
        EXPECT_FALSE(response.keep_alive());
        EXPECT_TRUE(ClosedByServer(*socket));
    }
    // With credentials, an announced excess is refused from the head.
    auto socket = Connect();
    const auto refused = Exchange(*socket, "POST / HTTP/1.1\r\nContent-Length: " +
                                               std::to_string(MAX_RPC_REQUEST_SIZE + 1) +
                                               "\r\nAuthorization: " + GOOD_AUTH + "\r\n\r\n");
    EXPECT_EQ(refused.result(), http::status::payload_too_large);
    // "Expect: 100-continue" is answered once the head is accepted.
    socket = Connect();
    const std::string body{R"({"id":1,"method":"echo","params":[1]})"};
    net::write(*socket, net::buffer("POST / HTTP/1.1\r\nContent-Length: " + std::to_string(body.size()) +
                                    "\r\nExpect: 100-continue\r\nAuthorization: " + GOOD_AUTH + "\r\n\r\n"));
    boost::beast::flat_buffer buffer;
    EXPECT_EQ(ReadResponse(*socket, buffer).result(), http::status::continue_);
    net::write(*socket, net::buffer(body));
    const auto answered = ReadResponse(*socket, buffer);
    EXPECT_EQ(answered.result(), http::status::ok);
    EXPECT_EQ(answered.body(), "{\"result\":[1],\"error\":null,\"id\":1}\n");
}

}  // namespace
}  // namespace hpips
