// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/thread_pool.h>

#include <algorithm>

namespace hpips {

ThreadPool::ThreadPool(size_t threads)
{
    const size_t workers = threads > 1 ? threads - 1 : 0;
    m_workers.reserve(workers);
    for (size_t i = 0; i < workers; ++i) {
        m_workers.emplace_back([this] { WorkerLoop(); });
    }
}

ThreadPool::~ThreadPool()
{
    {
        LockGuard lock{m_mutex};
        m_stop = true;
    }
    m_work_cv.notify_all();
    for (auto& worker : m_workers) worker.join();
}

void ThreadPool::RunChunks()
{
    UniqueLock lock{m_mutex};
    while (m_body != nullptr && m_next_chunk < m_chunks) {
        const size_t chunk = m_next_chunk++;
        const auto* body = m_body;
        const size_t begin = m_count * chunk / m_chunks;
        const size_t end = m_count * (chunk + 1) / m_chunks;
        lock.unlock();
        (*body)(begin, end);
        lock.lock();
        if (++m_chunks_done == m_chunks) m_done_cv.notify_all();
    }
}

void ThreadPool::WorkerLoop()
{
    uint64_t seen_generation = 0;
    while (true) {
        {
            UniqueLock lock{m_mutex};
            m_work_cv.wait(lock.native(), [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) {
                return m_stop || m_generation != seen_generation;
            });
            if (m_stop) return;
            seen_generation = m_generation;
        }
        RunChunks();
    }
}

void ThreadPool::ParallelFor(size_t count, const std::function<void(size_t, size_t)>& body, size_t max_chunks)
{
    if (count == 0) return;
    size_t chunks = max_chunks == 0 ? Size() : max_chunks;
    chunks = std::min(chunks, count);
    if (m_workers.empty() || chunks == 1) {
        body(0, count);
        return;
    }
    LockGuard call_lock{m_call_mutex};
    {
        LockGuard lock{m_mutex};
        m_body = &body;
        m_count = count;
        m_chunks = chunks;
        m_next_chunk = 0;
        m_chunks_done = 0;
        ++m_generation;
    }
    m_work_cv.notify_all();
    RunChunks();
    UniqueLock lock{m_mutex};
    m_done_cv.wait(lock.native(), [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_chunks_done == m_chunks; });
    m_body = nullptr;
}

}  // namespace hpips
