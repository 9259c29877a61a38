// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The RPC server's HTTP request parser (ParseHTTPRequest: the same Beast
// parser and limits the server uses on a socket, head first, then the body)
// and its decision from the head (CheckRequestHead) must never crash on any
// bytes, and must keep their limits: no body beyond MAX_RPC_REQUEST_SIZE, a
// complete body of exactly the announced length, credentials judged before
// the announced size. Pipelined requests are parsed one after the other.
#include <rpc/auth.h>
#include <rpc/http_server.h>
#include <rpc/protocol.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

/** Requests parsed from one input at most (pipelining). */
constexpr int MAX_PIPELINED = 8;

const hpips::RPCAuthenticator& Authenticator()
{
    static const hpips::RPCAuthenticator auth = [] {
        hpips::RPCAuthenticator a;
        a.AddPassword({"user", "pass"});
        // user "alice", password "pw" (salt "s").
        a.AddRPCAuth({"alice", "s", hpips::RPCAuthHash("s", "pw")});
        return a;
    }();
    return auth;
}

void CheckHead(const hpips::HTTPRequestHead& head)
{
    using hpips::HeadDecision;
    if (hpips::CheckRequestHead(head, false, Authenticator()).decision != HeadDecision::FORBIDDEN) std::abort();
    const auto check = hpips::CheckRequestHead(head, true, Authenticator());
    switch (check.decision) {
    case HeadDecision::SERVE:
        if (head.method != "POST" || !head.authorization) std::abort();
        if (head.content_length && *head.content_length > hpips::MAX_RPC_REQUEST_SIZE) std::abort();
        if (check.user != "user" && check.user != "alice") std::abort();
        break;
    case HeadDecision::BODY_TOO_LARGE:
        if (!head.content_length || *head.content_length <= hpips::MAX_RPC_REQUEST_SIZE) std::abort();
        if (check.user.size() != 0) std::abort();
        break;
    case HeadDecision::NO_CREDENTIALS:
        if (head.authorization) std::abort();
        break;
    default: break;
    }
    if (check.decision != HeadDecision::SERVE && (!check.user.empty() || check.wallet)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    std::string_view bytes{reinterpret_cast<const char*>(data), size};
    for (int i{0}; i < MAX_PIPELINED && !bytes.empty(); ++i) {
        const auto parsed = hpips::ParseHTTPRequest(bytes);
        if (parsed.consumed > bytes.size()) std::abort();
        if (parsed.head) CheckHead(*parsed.head);
        if (parsed.status != hpips::HTTPParseStatus::COMPLETE) {
            if (!parsed.body.empty()) std::abort();
            break;
        }
        if (!parsed.head || parsed.body.size() > hpips::MAX_RPC_REQUEST_SIZE) std::abort();
        if (parsed.head->content_length && *parsed.head->content_length != parsed.body.size()) std::abort();
        if (parsed.consumed == 0) std::abort();
        bytes.remove_prefix(parsed.consumed);
    }
    return 0;
}
