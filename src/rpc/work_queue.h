// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_WORK_QUEUE_H
#define HPIPS_RPC_WORK_QUEUE_H

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <vector>

namespace hpips {

/** The RPC worker pool: `threads` threads take tasks from a queue that holds
 *  at most `max_depth` tasks waiting to start (-rpcthreads, -rpcworkqueue).
 *  When the queue is full TryPush refuses, and the HTTP layer answers 503,
 *  as Core does. Tasks must not throw. */
class WorkQueue {
public:
    WorkQueue(size_t threads, size_t max_depth);
    /** Stops (see Stop). */
    ~WorkQueue();
    WorkQueue(const WorkQueue&) = delete;
    WorkQueue& operator=(const WorkQueue&) = delete;

    /** Queues a task; false if max_depth tasks are already waiting or the
     *  queue is stopping. */
    bool TryPush(std::function<void()> task);

    /** Refuses new tasks, runs every task already queued, joins the threads.
     *  Idempotent. */
    void Stop();

    /** Tasks waiting to start. */
    size_t Depth() const;

private:
    void Run();

    const size_t m_max_depth;
    mutable std::mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_tasks;  // guarded by m_mutex
    bool m_stopping{false};                     // guarded by m_mutex
    std::vector<std::thread> m_threads;
};

}  // namespace hpips

#endif  // HPIPS_RPC_WORK_QUEUE_H
