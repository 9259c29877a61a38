// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/request.h>

#include <rpc/json.h>
#include <rpc/kernel_memory.h>
#include <util/logging.h>

#include <boost/json/array.hpp>
#include <boost/json/monotonic_resource.hpp>

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
    HTTPReplyData data{status, WriteJson(reply)};
    data.body += '\n';  // appended in place: a reply can be tens of megabytes
    return data;
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

/** A legacy error reply carrying no id, as an HTTP reply with `status`. */
HTTPReplyData TopLevelError(HTTPStatus status, RPCErrorCode code, std::string_view message)
{
    return JsonReply(status,
                     JSONRPCReply(nullptr, JSONRPCErrorObject(code, message), std::nullopt, JSONRPCVersion::V1_LEGACY));
}

/** Executes one parsed request, returning its reply object; errors become
 *  error replies (the caller decides the HTTP status). The request's params
 *  are moved into the call. */
json::object ExecuteOne(const RPCTable& table, JSONRPCRequest& request, const RPCRequest& context)
{
    LogDebug(LogCategory::RPC, "ThreadRPCServer method={} user={}", SanitizeForLog(request.method),
             SanitizeForLog(context.user));
    json::value result = table.Execute(request.method, std::move(request.params), context);
    return JSONRPCReply(std::move(result), nullptr, request.id, request.version);
}

/** A batch element: always a reply object, never an HTTP error. With
 *  `execute` false (the batch reply is already too large) the request is only
 *  parsed and, unless it is a valid notification, answered with -7. */
std::optional<json::object> ExecuteBatchElement(const RPCTable& table, json::value&& element,
                                                const RPCRequest& context, bool execute)
{
    JSONRPCRequest request{element.storage()};
    // An invalid request is answered even if it lacks an id: only a valid
    // notification goes unanswered.
    bool notification{false};
    try {
        request.Parse(std::move(element));
        notification = request.IsNotification();
        if (!execute) {
            if (notification) return std::nullopt;
            return JSONRPCReply(nullptr,
                                JSONRPCErrorObject(RPCErrorCode::OUT_OF_MEMORY,
                                                   "Batch reply too large: the replies before this request exceed " +
                                                       std::to_string(MAX_RPC_BATCH_REPLY_SIZE) +
                                                       " bytes, so it was not executed; send fewer requests per batch"),
                                request.id, request.version);
        }
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

/** Runs a batch, serializing each reply as soon as it is made so that memory
 *  holds reply text, not reply objects; each element is freed once used. */
HTTPReplyData ExecuteBatch(const RPCTable& table, json::array& batch, const RPCRequest& context)
{
    if (batch.size() > MAX_RPC_BATCH_SIZE) {
        return TopLevelError(HTTPStatus::BAD_REQUEST, RPCErrorCode::INVALID_REQUEST,
                             "Batch too large: " + std::to_string(batch.size()) + " requests, at most " +
                                 std::to_string(MAX_RPC_BATCH_SIZE) + " are allowed in one batch");
    }
    std::string out{"["};
    size_t replies{0};
    for (auto& element : batch) {
        const bool execute = out.size() <= MAX_RPC_BATCH_REPLY_SIZE;
        auto reply = ExecuteBatchElement(table, std::move(element), context, execute);
        element = nullptr;
        if (!reply) continue;
        if (replies++ > 0) out += ',';
        out += WriteJson(*reply);
    }
    // Core answers an empty batch with an empty array; a batch of
    // notifications only gets no reply at all.
    if (replies == 0 && !batch.empty()) return {HTTPStatus::NO_CONTENT, {}};
    out += "]\n";
    return {HTTPStatus::OK, std::move(out)};
}

/** The first block of a request's arena; later blocks double. */
constexpr size_t REQUEST_ARENA_FIRST_BLOCK = 4 * 1024;

/** A fresh arena for the JSON of one request: a monotonic resource (fast,
 *  freed as a whole) over kernel memory (rpc/kernel_memory.h), shared by
 *  reference count, so a value that outlives the request by mistake keeps
 *  its arena alive instead of dangling. */
json::storage_ptr NewRequestArena()
{
    static KernelMemoryResource kernel;
    return json::make_shared_resource<json::monotonic_resource>(REQUEST_ARENA_FIRST_BLOCK, json::storage_ptr{&kernel});
}

HTTPReplyData ExecuteBody(const RPCTable& table, std::string_view body, const RPCRequest& context)
{
    // The document, the params handed to the methods and the reply objects
    // built around their results share one arena, given back to the kernel
    // as a whole when the request is done; nothing is copied between them.
    const json::storage_ptr arena = NewRequestArena();
    auto parsed = ParseJsonLimited(body, MAX_RPC_REQUEST_JSON_VALUES, arena);
    if (!parsed.value) {
        if (parsed.failure == JsonParseFailure::TOO_MANY_VALUES) {
            return TopLevelError(HTTPStatus::BAD_REQUEST, RPCErrorCode::INVALID_REQUEST,
                                 "Request too large: more than " + std::to_string(MAX_RPC_REQUEST_JSON_VALUES) +
                                     " JSON values in one request");
        }
        return TopLevelError(HTTPStatus::INTERNAL_SERVER_ERROR, RPCErrorCode::PARSE_ERROR, "Parse error");
    }
    json::value& document = *parsed.value;

    if (document.is_array()) return ExecuteBatch(table, document.get_array(), context);

    JSONRPCRequest request{document.storage()};
    bool notification{false};
    try {
        request.Parse(std::move(document));
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

void JSONRPCRequest::Parse(const json::value& value) { Parse(json::value(value)); }

void JSONRPCRequest::Parse(json::value&& value)
{
    if (!value.is_object()) throw RPCError{RPCErrorCode::INVALID_REQUEST, "Invalid Request object"};
    auto& request = value.get_object();

    if (auto* id_value = request.if_contains("id")) id = std::move(*id_value);

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
    if (auto* params_value = request.if_contains("params")) {
        if (params_value->is_array() || params_value->is_object()) {
            params = std::move(*params_value);
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
    // In the result's storage, so that a large result is moved, not copied.
    json::object reply(result.storage());
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
