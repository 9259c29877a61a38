// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_SHUTDOWN_H
#define HPIPS_NODE_SHUTDOWN_H

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <functional>
#include <thread>

#include <util/threadsafety.h>

namespace hpips {

/** A one-way "please shut down" flag that threads can wait on. Requested by
 *  the stop RPC, SIGINT/SIGTERM (through SignalWatcher) or a fatal error;
 *  the main thread waits for it and then runs Shutdown. Thread-safe. */
class ShutdownSignal {
public:
    /** Sets the flag and wakes every waiter. */
    void Request() LOCKS_EXCLUDED(m_mutex);
    /** True once requested. */
    bool Requested() const LOCKS_EXCLUDED(m_mutex);
    /** Blocks until requested. */
    void Wait() LOCKS_EXCLUDED(m_mutex);
    /** Blocks until requested or `timeout` passed; returns Requested(). */
    bool WaitFor(std::chrono::milliseconds timeout) LOCKS_EXCLUDED(m_mutex);

private:
    mutable Mutex m_mutex;
    std::condition_variable m_cv;
    bool m_requested GUARDED_BY(m_mutex){false};
};

/** Blocks SIGINT, SIGTERM and SIGHUP in the calling thread, and so in every
 *  thread it starts afterwards; call first thing in main so that only the
 *  SignalWatcher receives them (no async-signal handler, no global). Also
 *  ignores SIGPIPE (a client hanging up must not kill the node). */
void BlockShutdownSignals();

/** A thread that waits (sigtimedwait) for the blocked signals: SIGINT and
 *  SIGTERM request shutdown; SIGHUP calls `on_hangup` (reopen debug.log). */
class SignalWatcher {
public:
    SignalWatcher(ShutdownSignal& shutdown, std::function<void()> on_hangup);
    /** Stops and joins the thread. */
    ~SignalWatcher();
    SignalWatcher(const SignalWatcher&) = delete;
    SignalWatcher& operator=(const SignalWatcher&) = delete;

private:
    std::atomic<bool> m_stop{false};
    std::thread m_thread;
};

}  // namespace hpips

#endif  // HPIPS_NODE_SHUTDOWN_H
