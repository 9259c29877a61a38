// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_REQUEST_H
#define HPIPS_RPC_REQUEST_H

#include <rpc/protocol.h>
#include <rpc/server.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <optional>
#include <string>
#include <string_view>

/** The JSON-RPC envelope, as Bitcoin Core (28) speaks it: legacy 1.0/1.1
 *  requests get {"result", "error", "id"} with one of the first two null and
 *  HTTP errors on failure; "jsonrpc": "2.0" requests get only "result" or only
 *  "error" with HTTP 200, and nothing at all for notifications (no "id"). */
namespace hpips {

/** Most requests in one batch. Core has no limit; without one, a 16 MiB body
 *  of `[1,1,...]` (8 million elements) cost about 1 KiB of memory per element
 *  (gigabytes). 100,000 is far above any batch a client sends for real (a
 *  block's transactions, a page of addresses) and keeps a batch's memory and
 *  time bounded. One more: -32600 "Batch too large", HTTP 400. */
constexpr size_t MAX_RPC_BATCH_SIZE = 100'000;

/** Most JSON values (scalars, arrays, objects; keys do not count) in one
 *  request body, batch or not. A parsed value costs 16 to about 100 bytes
 *  whatever its text (`1,` is 2 characters, 16 bytes parsed, 32 more on the
 *  parser's stack), so this, not the body size, bounds the parse: measured,
 *  the worst request (echo of 999,990 values) peaked at 141 MiB of RSS in
 *  all. A full batch of MAX_RPC_BATCH_SIZE requests of up to 10 values each
 *  fits (`{"jsonrpc":"2.0","id":7,"method":"getblockhash","params":[7]}` is
 *  6). One more: -32600 "Request too large", HTTP 400. */
constexpr size_t MAX_RPC_REQUEST_JSON_VALUES = 1'000'000;

/** Replies of a batch are serialized one by one as they are computed; once
 *  their text exceeds this, the remaining requests of the batch are not
 *  executed and each is answered with -7 "Batch reply too large" (a single
 *  request, or the first of a batch, is never refused for its size). It
 *  bounds a batch reply to about this plus one request's reply. */
constexpr size_t MAX_RPC_BATCH_REPLY_SIZE = 64 * 1024 * 1024;

/** Which reply shape a request asked for. */
enum class JSONRPCVersion { V1_LEGACY, V2 };

/** One parsed request object. */
struct JSONRPCRequest {
    /** `storage` holds the params moved in by Parse(value&&) (use the
     *  storage of the parsed document, so that nothing is copied). */
    explicit JSONRPCRequest(boost::json::storage_ptr storage = {}) : params(std::move(storage)) {}

    /** Absent when the request had no "id" member. */
    std::optional<boost::json::value> id;
    std::string method;
    /** Array (positional), object (named) or null (none). */
    boost::json::value params;
    JSONRPCVersion version{JSONRPCVersion::V1_LEGACY};

    /** A 2.0 request without "id": executed, never answered. */
    bool IsNotification() const { return !id.has_value() && version == JSONRPCVersion::V2; }

    /** Fills the fields from a request object, in Core's order (id first, so
     *  later errors can carry it; then version, method, params). Throws
     *  RPCError INVALID_REQUEST for a non-object, a non-string or unknown
     *  "jsonrpc", a missing or non-string method, or params that are neither
     *  array, object nor null. */
    void Parse(const boost::json::value& request);
    /** The same, moving "id" and "params" out of `request` instead of
     *  copying them (a batch element is used once). */
    void Parse(boost::json::value&& request);
};

/** {"code": code, "message": message}. */
boost::json::object JSONRPCErrorObject(RPCErrorCode code, std::string_view message);

/** A reply object in the shape `version` asks for (see the namespace comment).
 *  The id is echoed; a legacy reply without one carries "id": null. */
boost::json::object JSONRPCReply(boost::json::value result, boost::json::value error,
                                 const std::optional<boost::json::value>& id, JSONRPCVersion version);

/** What the HTTP layer sends back for one request body. */
struct HTTPReplyData {
    HTTPStatus status{HTTPStatus::OK};
    /** JSON text followed by a newline; empty for 204. */
    std::string body;
};

/** Executes an HTTP request body: parse (-32700 on bad JSON; -32600 with
 *  HTTP 400 beyond MAX_RPC_REQUEST_JSON_VALUES), a single request or a batch
 *  (each element answered in order, notifications left out, errors always
 *  inside a 200 reply; an empty batch answers [] as Core does; more than
 *  MAX_RPC_BATCH_SIZE elements is -32600 with HTTP 400 and nothing runs;
 *  past MAX_RPC_BATCH_REPLY_SIZE of replies the rest answer -7 unexecuted),
 *  a top-level value that is neither object nor array (-32600). Legacy
 *  errors map to HTTP 400 (-32600), 404 (-32601) or 500 (others). `context`
 *  supplies the caller (user, wallet URI) to every call. Memory: the parsed
 *  body (bounded by MAX_RPC_REQUEST_JSON_VALUES) plus the reply text; batch
 *  replies are serialized as they come, not kept as JSON. Never throws:
 *  anything unexpected becomes an error reply. */
HTTPReplyData ExecuteJSONRPCBody(const RPCTable& table, std::string_view body, const RPCRequest& context);

}  // namespace hpips

#endif  // HPIPS_RPC_REQUEST_H
