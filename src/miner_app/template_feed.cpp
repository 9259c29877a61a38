// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <miner_app/template_feed.h>

#include <rpc/protocol.h>

#include <boost/json/object.hpp>

#include <thread>

namespace hpips::miner {

namespace json = boost::json;

namespace {

/** Sleeps `duration` in short steps, returning early on `stop`. */
void SleepUnless(const std::atomic<bool>& stop, std::chrono::milliseconds duration)
{
    const auto until = std::chrono::steady_clock::now() + duration;
    while (!stop.load() && std::chrono::steady_clock::now() < until) {
        std::this_thread::sleep_for(std::chrono::milliseconds{50});
    }
}

}  // namespace

FeedResult RunTemplateFeed(const NodeEndpoint& endpoint, const std::string& address, const std::atomic<bool>& stop,
                           const std::function<void(std::shared_ptr<const BlockWork>)>& on_work,
                           const std::function<void(const std::string&)>& log)
{
    std::chrono::milliseconds backoff{1000};
    bool connected{false};
    bool ever_connected{false};
    bool first_attempt{true};
    std::string longpollid;
    while (!stop.load()) {
        json::object request;
        request["rules"] = json::array{};
        request["coinbase_address"] = address;
        if (!longpollid.empty()) request["longpollid"] = longpollid;
        auto reply = CallNode(endpoint, "getblocktemplate", json::array{request},
                              longpollid.empty() ? CALL_TIMEOUT : LONGPOLL_CALL_TIMEOUT);
        if (stop.load()) break;
        if (!reply) {
            const CallError& error = reply.error();
            if (error.kind == CallFailure::UNAUTHORIZED) {
                return {FeedEnd::UNAUTHORIZED, error.message + " at " + EndpointName(endpoint) +
                                                   ": check -rpcuser/-rpcpassword, or -datadir/-rpccookiefile "
                                                   "for the node's cookie"};
            }
            if (error.kind == CallFailure::RPC_ERROR &&
                error.rpc_code == static_cast<int64_t>(RPCErrorCode::INVALID_ADDRESS_OR_KEY)) {
                return {FeedEnd::BAD_ADDRESS, "the node refused -address: " + error.message};
            }
            // Unreachable, no cookie yet, warming up, in initial download,
            // shutting down: pause mining and try again later.
            if (connected || first_attempt) {
                log("node " + EndpointName(endpoint) + " unavailable (" + error.message +
                    "); mining paused, reconnecting with backoff");
            }
            if (connected) on_work(nullptr);
            connected = false;
            longpollid.clear();
            log("retrying in " + std::to_string(backoff.count() / 1000) + " s");
            SleepUnless(stop, backoff);
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, MAX_BACKOFF);
            first_attempt = false;
            continue;
        }
        if (!reply->is_object()) {
            log("getblocktemplate answered with something other than an object");
            SleepUnless(stop, backoff);
            continue;
        }
        auto work = ParseBlockTemplate(reply->as_object());
        if (!work) {
            log("cannot use the template: " + work.error_message());
            longpollid.clear();
            SleepUnless(stop, backoff);
            backoff = std::min<std::chrono::milliseconds>(backoff * 2, MAX_BACKOFF);
            continue;
        }
        if (!connected) {
            log((ever_connected ? "reconnected to node " : "connected to node ") + EndpointName(endpoint) +
                ", mining at height " + std::to_string(work->height));
        }
        connected = true;
        ever_connected = true;
        first_attempt = false;
        backoff = std::chrono::milliseconds{1000};
        longpollid = work->longpollid;
        on_work(std::make_shared<const BlockWork>(std::move(*work)));
    }
    return {FeedEnd::STOPPED, ""};
}

std::string SubmitBlock(const NodeEndpoint& endpoint, const std::string& block_hex)
{
    auto reply = CallNode(endpoint, "submitblock", json::array{json::value(block_hex)}, CALL_TIMEOUT);
    if (!reply) return "not delivered: " + reply.error().message;
    if (reply->is_null()) return "";
    if (reply->is_string()) return std::string{reply->as_string()};
    return "unexpected submitblock answer";
}

}  // namespace hpips::miner
