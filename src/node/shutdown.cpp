// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/shutdown.h>

#include <util/logging.h>

#include <csignal>
#include <ctime>
#include <pthread.h>

namespace hpips {
namespace {

/** How often the watcher checks whether it should stop. */
constexpr long SIGNAL_POLL_NANOSECONDS = 100'000'000;

sigset_t ShutdownSignals()
{
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGHUP);
    return set;
}

}  // namespace

void ShutdownSignal::Request()
{
    {
        LockGuard lock{m_mutex};
        m_requested = true;
    }
    m_cv.notify_all();
}

bool ShutdownSignal::Requested() const
{
    LockGuard lock{m_mutex};
    return m_requested;
}

void ShutdownSignal::Wait()
{
    UniqueLock lock{m_mutex};
    m_cv.wait(lock.native(), [this]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_requested; });
}

bool ShutdownSignal::WaitFor(std::chrono::milliseconds timeout)
{
    UniqueLock lock{m_mutex};
    return m_cv.wait_for(lock.native(), timeout, [this]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_requested; });
}

void BlockShutdownSignals()
{
    const sigset_t set = ShutdownSignals();
    pthread_sigmask(SIG_BLOCK, &set, nullptr);
    std::signal(SIGPIPE, SIG_IGN);
}

SignalWatcher::SignalWatcher(ShutdownSignal& shutdown, std::function<void()> on_hangup)
{
    m_thread = std::thread{[this, &shutdown, on_hangup = std::move(on_hangup)] {
        const sigset_t set = ShutdownSignals();
        const timespec poll{0, SIGNAL_POLL_NANOSECONDS};
        while (!m_stop.load()) {
            const int signal = sigtimedwait(&set, nullptr, &poll);
            if (signal == SIGINT || signal == SIGTERM) {
                LogInfo("Received {}: shutting down", signal == SIGINT ? "SIGINT" : "SIGTERM");
                shutdown.Request();
            } else if (signal == SIGHUP && on_hangup) {
                on_hangup();
            }
        }
    }};
}

SignalWatcher::~SignalWatcher()
{
    m_stop = true;
    if (m_thread.joinable()) m_thread.join();
}

}  // namespace hpips
