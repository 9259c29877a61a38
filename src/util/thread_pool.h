// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_THREAD_POOL_H
#define HPIPS_UTIL_THREAD_POOL_H

#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <thread>
#include <vector>

#include <util/threadsafety.h>

namespace hpips {

/** A fixed set of worker threads for data-parallel loops (kernels, miner).
 *
 *  ParallelFor splits [0, count) into contiguous chunks and runs them on the
 *  workers and on the calling thread; it returns when every chunk is done.
 *  Results must never depend on how the range was split: callers write
 *  disjoint outputs per index, so any thread count gives identical bytes.
 *  One ParallelFor runs at a time per pool (concurrent callers are serialised).
 *  The body must not throw. */
class ThreadPool {
public:
    /** threads = total parallelism including the caller; 0 or 1 = run inline. */
    explicit ThreadPool(size_t threads);
    ~ThreadPool();
    ThreadPool(const ThreadPool&) = delete;
    ThreadPool& operator=(const ThreadPool&) = delete;

    /** Total parallelism (workers + the calling thread). */
    size_t Size() const { return m_workers.size() + 1; }

    /** Runs body(begin, end) over chunks covering [0, count); at most
     *  `max_chunks` chunks (0 = one per thread). */
    void ParallelFor(size_t count, const std::function<void(size_t begin, size_t end)>& body,
                     size_t max_chunks = 0) LOCKS_EXCLUDED(m_call_mutex, m_mutex);

private:
    void WorkerLoop() LOCKS_EXCLUDED(m_mutex);
    /** Takes and runs chunks of the current job until none are left. */
    void RunChunks() LOCKS_EXCLUDED(m_mutex);

    std::vector<std::thread> m_workers;
    Mutex m_call_mutex;  //!< serialises ParallelFor callers
    Mutex m_mutex;
    std::condition_variable m_work_cv;
    std::condition_variable m_done_cv;
    // The current job.
    const std::function<void(size_t, size_t)>* m_body GUARDED_BY(m_mutex){nullptr};
    size_t m_count GUARDED_BY(m_mutex){0};
    size_t m_chunks GUARDED_BY(m_mutex){0};
    size_t m_next_chunk GUARDED_BY(m_mutex){0};
    size_t m_chunks_done GUARDED_BY(m_mutex){0};
    uint64_t m_generation GUARDED_BY(m_mutex){0};
    bool m_stop GUARDED_BY(m_mutex){false};
};

}  // namespace hpips

#endif  // HPIPS_UTIL_THREAD_POOL_H
