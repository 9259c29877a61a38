// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINER_APP_NODE_CLIENT_H
#define HPIPS_MINER_APP_NODE_CLIENT_H

#include <rpc/http_client.h>
#include <util/result.h>

#include <boost/json/array.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

/** hpips-miner's JSON-RPC client: one synchronous call to the node, with the
 *  failure sorted into a class the miner acts on (retry, or stop with a clear
 *  message). With cookie authentication the cookie file is read again on
 *  every call, so a restarted node (which writes a new cookie) is reached
 *  without restarting the miner. Safe to call from several threads. */
namespace hpips::miner {

/** Why a call failed. */
enum class CallFailure {
    UNREACHABLE,   //!< no connection, or it broke before a reply: retry later
    NO_COOKIE,     //!< the cookie file could not be read (node not started yet?): retry later
    UNAUTHORIZED,  //!< HTTP 401/403: wrong password or cookie; retrying cannot help
    RPC_ERROR,     //!< the node answered with a JSON-RPC error (code, message)
    BAD_REPLY,     //!< the reply was not a JSON-RPC reply
};

struct CallError {
    CallFailure kind{CallFailure::UNREACHABLE};
    std::string message;
    /** The JSON-RPC error code, for RPC_ERROR. */
    int64_t rpc_code{0};
};

/** Where the node is and how to authenticate. */
struct NodeEndpoint {
    HTTPPostOptions http;
    /** Set when the credentials come from the cookie (no -rpcpassword). */
    std::optional<std::filesystem::path> cookie;
};

/** Calls `method` with positional `params`; `timeout` bounds the whole
 *  exchange (a long poll needs more than LONGPOLL_MAX_SECONDS). */
Result<boost::json::value, CallError> CallNode(const NodeEndpoint& endpoint, std::string_view method,
                                               boost::json::array params, std::chrono::seconds timeout);

/** "host:port" for log lines. */
std::string EndpointName(const NodeEndpoint& endpoint);

}  // namespace hpips::miner

#endif  // HPIPS_MINER_APP_NODE_CLIENT_H
