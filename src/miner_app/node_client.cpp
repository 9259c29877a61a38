// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <miner_app/node_client.h>

#include <rpc/auth.h>

#include <boost/json/object.hpp>
#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>

namespace hpips::miner {

namespace json = boost::json;

Result<json::value, CallError> CallNode(const NodeEndpoint& endpoint, std::string_view method, json::array params,
                                        std::chrono::seconds timeout)
{
    static std::atomic<uint64_t> next_id{1};
    HTTPPostOptions http = endpoint.http;
    http.timeout = timeout;
    if (endpoint.cookie) {
        auto cookie = ReadAuthCookie(*endpoint.cookie);
        if (!cookie) {
            return CallError{CallFailure::NO_COOKIE,
                             "cannot read the RPC cookie " + endpoint.cookie->string() + ": " + cookie.error_message()};
        }
        http.user = cookie->user;
        http.password = cookie->password;
    }
    json::object request;
    request["jsonrpc"] = "1.0";
    request["id"] = next_id++;
    request["method"] = method;
    request["params"] = std::move(params);
    const HTTPPostResult reply = PostJSONRPC(http, json::serialize(request));
    if (!reply.connected) {
        return CallError{CallFailure::UNREACHABLE, reply.error.empty() ? "connection refused" : reply.error};
    }
    if (reply.status == 401 || reply.status == 403) {
        return CallError{CallFailure::UNAUTHORIZED,
                         "the node refused the RPC credentials (HTTP " + std::to_string(reply.status) + ")"};
    }
    if (!reply.error.empty()) return CallError{CallFailure::UNREACHABLE, reply.error};
    boost::system::error_code ec;
    json::value parsed = json::parse(reply.body, ec);
    if (ec || !parsed.is_object()) {
        return CallError{CallFailure::BAD_REPLY, "not a JSON-RPC reply (HTTP " + std::to_string(reply.status) + ")"};
    }
    const json::object& object = parsed.as_object();
    if (const auto* error = object.if_contains("error"); error != nullptr && !error->is_null()) {
        CallError out{CallFailure::RPC_ERROR, "RPC error", 0};
        if (error->is_object()) {
            if (const auto* code = error->as_object().if_contains("code"); code && code->is_int64()) {
                out.rpc_code = code->as_int64();
            }
            if (const auto* text = error->as_object().if_contains("message"); text && text->is_string()) {
                out.message = std::string{text->as_string()};
            }
        }
        return out;
    }
    const auto* result = object.if_contains("result");
    if (result == nullptr) return CallError{CallFailure::BAD_REPLY, "JSON-RPC reply without a result"};
    return *result;
}

std::string EndpointName(const NodeEndpoint& endpoint)
{
    return endpoint.http.host + ":" + std::to_string(endpoint.http.port);
}

}  // namespace hpips::miner
