// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_NOTIFY_H
#define HPIPS_NODE_NOTIFY_H

#include <chain/chainstate.h>
#include <util/threadsafety.h>

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <string>
#include <string_view>
#include <thread>

/** -startupnotify and -blocknotify: shell commands the node runs on events,
 *  as bitcoind does. Commands run through /bin/sh -c on a worker thread of
 *  their own, one after the other in event order, so the validation thread
 *  never waits for a script. */
namespace hpips {

/** Most commands waiting to run: a script slower than the blocks arrive
 *  cannot grow memory without bound; beyond this, events are dropped with a
 *  log line. */
constexpr size_t MAX_PENDING_NOTIFY_COMMANDS = 1000;

/** Runs shell commands on one worker thread, in the order queued. The
 *  command gets the default signal mask and dispositions (the node blocks
 *  SIGINT/SIGTERM in its threads and ignores SIGPIPE). Thread-safe. */
class CommandRunner {
public:
    CommandRunner();
    /** Runs what is queued, then joins the worker (a running script is
     *  waited for; a stuck one delays shutdown as in Core). */
    ~CommandRunner();
    CommandRunner(const CommandRunner&) = delete;
    CommandRunner& operator=(const CommandRunner&) = delete;

    /** Queues `command`; false (and a log line) when the queue is full. */
    bool Queue(std::string command) LOCKS_EXCLUDED(m_mutex);

private:
    void Run() LOCKS_EXCLUDED(m_mutex);

    Mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::string> m_queue GUARDED_BY(m_mutex);
    bool m_stop GUARDED_BY(m_mutex){false};
    std::thread m_thread;
};

/** Runs `command` through /bin/sh -c and waits for it; returns its exit
 *  status (-1 if it could not be started). Logs a failure. */
int RunShellCommand(const std::string& command);

/** `command` with every "%s" replaced by `value`. */
std::string ReplaceAll(std::string_view command, std::string_view pattern, std::string_view value);

/** -blocknotify: queues the command once for every new active tip (with %s
 *  the tip's hash), once the chain has left initial block download, as Core.
 *  A tip notified already (the same hash again) is not notified twice. */
class BlockNotifier : public ChainListener {
public:
    BlockNotifier(const Chainstate& chainstate, CommandRunner& runner, std::string command);
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override LOCKS_EXCLUDED(m_mutex);

private:
    const Chainstate& m_chainstate;
    CommandRunner& m_runner;
    const std::string m_command;
    Mutex m_mutex;
    uint256 m_last GUARDED_BY(m_mutex);
};

}  // namespace hpips

#endif  // HPIPS_NODE_NOTIFY_H
