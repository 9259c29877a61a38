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

/** Which reply shape a request asked for. */
enum class JSONRPCVersion { V1_LEGACY, V2 };

/** One parsed request object. */
struct JSONRPCRequest {
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

/** Executes an HTTP request body: parse (-32700 on bad JSON), a single
 *  request or a batch (each element answered in order, notifications left
 *  out, errors always inside a 200 reply; an empty batch is an Invalid
 *  Request), a top-level value that is neither object nor array (-32600).
 *  Legacy errors map to HTTP 400 (-32600), 404 (-32601) or 500 (others).
 *  `context` supplies the caller (user, wallet URI) to every call. Never
 *  throws: anything unexpected becomes an error reply. */
HTTPReplyData ExecuteJSONRPCBody(const RPCTable& table, std::string_view body, const RPCRequest& context);

}  // namespace hpips

#endif  // HPIPS_RPC_REQUEST_H
