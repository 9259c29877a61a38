// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/request.h>

#include <rpc/json.h>
#include <util/logging.h>

#include <boost/json/array.hpp>

#include <new>

namespace hpips {
namespace {

namespace json = boost::json;

/** Legacy error replies carry an HTTP status chosen from the error code. */
HTTPStatus LegacyErrorStatus(RPCErrorCode code)
{
    if (code == RPCErrorCode::INVALID_REQUEST) return HTTPStatus::BAD_REQUEST;
    if (code == RPCErrorCode::METHOD_NOT_FOUND) return HTTPStatus::NOT_FOUND;
    return HTTPStatus::INTERNAL_SERVER_ERROR;
}

HTTPReplyData JsonReply(HTTPStatus status, const json::value& reply)
{
    return {status, WriteJson(reply) + "\n"};
}

/** Longest untrusted text copied into a log line. */
constexpr size_t MAX_LOGGED_TEXT = 100;

/** Untrusted text made safe for one log line: printable ASCII only, bounded. */
std::string SanitizeForLog(std::string_view text)
{
    std::string out;
    for (const char c : text.substr(0, MAX_LOGGED_TEXT)) out += (c >= 0x20 && c < 0x7f) ? c : '?';
    if (text.size() > MAX_LOGGED_TEXT) out += "...";
    return out;
}

/** Executes one parsed request, returning its reply object; errors become
 *  error replies (the caller decides the HTTP status). */
json::object ExecuteOne(const RPCTable& table, const JSONRPCRequest& request, const RPCRequest& context)
{
    LogDebug(LogCategory::RPC, "ThreadRPCServer method={} user={}", SanitizeForLog(request.method),
             SanitizeForLog(context.user));
    json::value result = table.Execute(request.method, request.params, context);
    return JSONRPCReply(std::move(result), nullptr, request.id, request.version);
}

/** A batch element: always a reply object, never an HTTP error. */
std::optional<json::object> ExecuteBatchElement(const RPCTable& table, const json::value& element,
                                                const RPCRequest& context)
{
    JSONRPCRequest request;
    // An invalid request is answered even if it lacks an id: only a valid
    // notification goes unanswered.
    bool notification{false};
    try {
        request.Parse(element);
        notification = request.IsNotification();
        auto reply = ExecuteOne(table, request, context);
        if (notification) return std::nullopt;
        return reply;
    } catch (const RPCError& e) {
        if (notification) return std::nullopt;
        return JSONRPCReply(nullptr, JSONRPCErrorObject(e.Code(), e.what()), request.id, request.version);
    } catch (const std::exception& e) {
        if (notification) return std::nullopt;
        return JSONRPCReply(nullptr, JSONRPCErrorObject(RPCErrorCode::INTERNAL_ERROR, e.what()), request.id,
                            request.version);
    }
}

HTTPReplyData ExecuteBody(const RPCTable& table, std::string_view body, const RPCRequest& context)
{
    const auto parsed = ParseJson(body);
    if (!parsed) {
        return JsonReply(HTTPStatus::INTERNAL_SERVER_ERROR,
                         JSONRPCReply(nullptr, JSONRPCErrorObject(RPCErrorCode::PARSE_ERROR, "Parse error"),
                                      std::nullopt, JSONRPCVersion::V1_LEGACY));
    }
    const json::value& document = *parsed;

    if (document.is_array()) {
        const auto& batch = document.get_array();
        if (batch.empty()) {
            return JsonReply(HTTPStatus::BAD_REQUEST,
                             JSONRPCReply(nullptr,
                                          JSONRPCErrorObject(RPCErrorCode::INVALID_REQUEST, "Invalid Request: empty batch"),
                                          std::nullopt, JSONRPCVersion::V1_LEGACY));
        }
        json::array replies;
        for (const auto& element : batch) {
            if (auto reply = ExecuteBatchElement(table, element, context)) replies.emplace_back(std::move(*reply));
        }
        if (replies.empty()) return {HTTPStatus::NO_CONTENT, {}};
        return JsonReply(HTTPStatus::OK, replies);
    }

    JSONRPCRequest request;
    bool notification{false};
    try {
        request.Parse(document);
        notification = request.IsNotification();
        auto reply = ExecuteOne(table, request, context);
        if (notification) return {HTTPStatus::NO_CONTENT, {}};
        return JsonReply(HTTPStatus::OK, reply);
    } catch (const RPCError& e) {
        if (notification) return {HTTPStatus::NO_CONTENT, {}};
        const HTTPStatus status =
            request.version == JSONRPCVersion::V2 ? HTTPStatus::OK : LegacyErrorStatus(e.Code());
        return JsonReply(status,
                         JSONRPCReply(nullptr, JSONRPCErrorObject(e.Code(), e.what()), request.id, request.version));
    }
}

}  // namespace

void JSONRPCRequest::Parse(const json::value& value)
{
    if (!value.is_object()) throw RPCError{RPCErrorCode::INVALID_REQUEST, "Invalid Request object"};
    const auto& request = value.get_object();

    if (const auto* id_value = request.if_contains("id")) id = *id_value;

    version = JSONRPCVersion::V1_LEGACY;
    if (const auto* jsonrpc = request.if_contains("jsonrpc"); jsonrpc != nullptr && !jsonrpc->is_null()) {
        if (!IsJsonString(*jsonrpc)) throw RPCError{RPCErrorCode::INVALID_REQUEST, "jsonrpc field must be a string"};
        const std::string_view text{jsonrpc->get_string()};
        // Some old documentation put "jsonrpc": "1.0" in requests; Core keeps accepting it.
        if (text == "2.0") {
            version = JSONRPCVersion::V2;
        } else if (text != "1.0" && text != "1.1") {
            throw RPCError{RPCErrorCode::INVALID_REQUEST, "JSON-RPC version not supported"};
        }
    }

    const auto* method_value = request.if_contains("method");
    if (method_value == nullptr || method_value->is_null()) {
        throw RPCError{RPCErrorCode::INVALID_REQUEST, "Missing method"};
    }
    if (!IsJsonString(*method_value)) throw RPCError{RPCErrorCode::INVALID_REQUEST, "Method must be a string"};
    method = std::string{method_value->get_string()};

    params = nullptr;
    if (const auto* params_value = request.if_contains("params")) {
        if (params_value->is_array() || params_value->is_object()) {
            params = *params_value;
        } else if (!params_value->is_null()) {
            throw RPCError{RPCErrorCode::INVALID_REQUEST, "Params must be an array or object"};
        }
    }
}

json::object JSONRPCErrorObject(RPCErrorCode code, std::string_view message)
{
    json::object error;
    error["code"] = static_cast<int>(code);
    error["message"] = message;
    return error;
}

json::object JSONRPCReply(json::value result, json::value error, const std::optional<json::value>& id,
                          JSONRPCVersion version)
{
    json::object reply;
    if (version == JSONRPCVersion::V2) {
        reply["jsonrpc"] = "2.0";
        if (error.is_null()) {
            reply["result"] = std::move(result);
        } else {
            reply["error"] = std::move(error);
        }
    } else {
        reply["result"] = error.is_null() ? std::move(result) : json::value(nullptr);
        reply["error"] = std::move(error);
    }
    reply["id"] = id.value_or(nullptr);
    return reply;
}

HTTPReplyData ExecuteJSONRPCBody(const RPCTable& table, std::string_view body, const RPCRequest& context)
{
    try {
        return ExecuteBody(table, body, context);
    } catch (const std::bad_alloc&) {
        return JsonReply(HTTPStatus::INTERNAL_SERVER_ERROR,
                         JSONRPCReply(nullptr, JSONRPCErrorObject(RPCErrorCode::OUT_OF_MEMORY, "Out of memory"),
                                      std::nullopt, JSONRPCVersion::V1_LEGACY));
    } catch (const std::exception& e) {
        return JsonReply(HTTPStatus::INTERNAL_SERVER_ERROR,
                         JSONRPCReply(nullptr, JSONRPCErrorObject(RPCErrorCode::INTERNAL_ERROR, e.what()),
                                      std::nullopt, JSONRPCVersion::V1_LEGACY));
    }
}

}  // namespace hpips
