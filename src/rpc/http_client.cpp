// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/http_client.h>

#include <rpc/auth.h>

#include <boost/asio/connect.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace hpips {

namespace beast = boost::beast;
namespace http = beast::http;
namespace net = boost::asio;
using tcp = net::ip::tcp;

HTTPPostResult PostJSONRPC(const HTTPPostOptions& options, const std::string& body)
{
    HTTPPostResult result;
    try {
        net::io_context ioc;
        tcp::resolver resolver{ioc};
        beast::tcp_stream stream{ioc};
        beast::error_code ec;
        const auto endpoints = resolver.resolve(options.host, std::to_string(options.port), ec);
        if (ec) {
            result.error = ec.message();
            return result;
        }
        // The timeout covers the whole exchange, run on this thread's io_context.
        const auto deadline = options.timeout.count() > 0 ? options.timeout : std::chrono::seconds{365 * 24 * 3600};
        stream.expires_after(deadline);
        stream.async_connect(endpoints, [&](beast::error_code e, const tcp::endpoint&) { ec = e; });
        ioc.run();
        if (ec) {
            result.error = ec.message();
            return result;
        }
        result.connected = true;

        http::request<http::string_body> request{http::verb::post, options.target, 11};
        request.set(http::field::host, options.host);
        request.set(http::field::content_type, "application/json");
        request.set(http::field::authorization, "Basic " + EncodeBase64(options.user + ":" + options.password));
        request.keep_alive(false);
        request.body() = body;
        request.prepare_payload();

        beast::flat_buffer buffer;
        http::response_parser<http::string_body> parser;
        parser.body_limit(MAX_RPC_REPLY_SIZE);
        ioc.restart();
        http::async_write(stream, request, [&](beast::error_code e, size_t) {
            ec = e;
            if (e) return;
            http::async_read(stream, buffer, parser, [&](beast::error_code e2, size_t) { ec = e2; });
        });
        ioc.run();
        if (ec) {
            result.error = ec == beast::error::timeout ? "timeout on transient error: " + ec.message() : ec.message();
            return result;
        }
        auto response = parser.release();
        result.status = response.result_int();
        result.body = std::move(response.body());
        beast::error_code ignored;
        stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
    } catch (const std::exception& e) {
        result.error = e.what();
    }
    return result;
}

std::string UrlEncode(const std::string& text)
{
    static constexpr char HEX[] = "0123456789ABCDEF";
    std::string out;
    for (const char c : text) {
        const auto u = static_cast<unsigned char>(c);
        if ((u >= 'a' && u <= 'z') || (u >= 'A' && u <= 'Z') || (u >= '0' && u <= '9') || u == '-' || u == '_' ||
            u == '.' || u == '~') {
            out += c;
        } else {
            out += '%';
            out += HEX[u >> 4];
            out += HEX[u & 0xf];
        }
    }
    return out;
}

}  // namespace hpips
