// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINER_APP_TEMPLATE_FEED_H
#define HPIPS_MINER_APP_TEMPLATE_FEED_H

#include <miner_app/block_work.h>
#include <miner_app/node_client.h>

#include <atomic>
#include <chrono>
#include <functional>
#include <memory>
#include <string>

/** The miner's side of getblocktemplate long polling: fetch a template, hand
 *  it over, wait on its longpollid for the next one, forever. When the node
 *  goes away the feed says so once, tells the miner to pause (no work), and
 *  reconnects with exponential backoff (1 s doubling to MAX_BACKOFF);
 *  credentials the node refuses end the feed with FeedEnd::UNAUTHORIZED, an
 *  address it refuses with FeedEnd::BAD_ADDRESS. */
namespace hpips::miner {

/** Longest wait between reconnection attempts. */
constexpr std::chrono::seconds MAX_BACKOFF{16};
/** Timeout of a long-poll call: above the node's LONGPOLL_MAX_SECONDS (120). */
constexpr std::chrono::seconds LONGPOLL_CALL_TIMEOUT{150};
/** Timeout of every other call. */
constexpr std::chrono::seconds CALL_TIMEOUT{30};

enum class FeedEnd { STOPPED, UNAUTHORIZED, BAD_ADDRESS };

struct FeedResult {
    FeedEnd end{FeedEnd::STOPPED};
    std::string message;
};

/** Runs until `stop` or a fatal refusal. `on_work` gets each new template
 *  (nullptr: the node is unreachable, stop mining); it runs on the feed's
 *  thread. `log` prints a line. */
FeedResult RunTemplateFeed(const NodeEndpoint& endpoint, const std::string& address, const std::atomic<bool>& stop,
                           const std::function<void(std::shared_ptr<const BlockWork>)>& on_work,
                           const std::function<void(const std::string&)>& log);

/** submitblock: an empty string when the node accepted the block, otherwise
 *  the reason: the node's BIP 22 answer, or "not delivered: ..." when the
 *  call failed. */
std::string SubmitBlock(const NodeEndpoint& endpoint, const std::string& block_hex);

}  // namespace hpips::miner

#endif  // HPIPS_MINER_APP_TEMPLATE_FEED_H
