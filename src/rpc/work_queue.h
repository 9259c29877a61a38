// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_WORK_QUEUE_H
#define HPIPS_RPC_WORK_QUEUE_H

#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <thread>
#include <vector>

#include <util/threadsafety.h>

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
    bool TryPush(std::function<void()> task) LOCKS_EXCLUDED(m_mutex);

    /** Refuses new tasks, runs every task already queued, joins the threads.
     *  Idempotent. */
    void Stop() LOCKS_EXCLUDED(m_mutex);

    /** Tasks waiting to start. */
    size_t Depth() const LOCKS_EXCLUDED(m_mutex);

private:
    void Run() LOCKS_EXCLUDED(m_mutex);

    const size_t m_max_depth;
    mutable Mutex m_mutex;
    std::condition_variable m_cv;
    std::deque<std::function<void()>> m_tasks GUARDED_BY(m_mutex);
    bool m_stopping GUARDED_BY(m_mutex){false};
    std::vector<std::thread> m_threads;
};

}  // namespace hpips

#endif  // HPIPS_RPC_WORK_QUEUE_H
