// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/work_queue.h>

namespace hpips {

WorkQueue::WorkQueue(size_t threads, size_t max_depth) : m_max_depth{max_depth}
{
    if (threads == 0) threads = 1;
    m_threads.reserve(threads);
    for (size_t i{0}; i < threads; ++i) m_threads.emplace_back([this] { Run(); });
}

WorkQueue::~WorkQueue() { Stop(); }

bool WorkQueue::TryPush(std::function<void()> task)
{
    {
        LockGuard lock{m_mutex};
        if (m_stopping || m_tasks.size() >= m_max_depth) return false;
        m_tasks.push_back(std::move(task));
    }
    m_cv.notify_one();
    return true;
}

void WorkQueue::Stop()
{
    {
        LockGuard lock{m_mutex};
        m_stopping = true;
    }
    m_cv.notify_all();
    for (auto& thread : m_threads) {
        if (thread.joinable()) thread.join();
    }
}

size_t WorkQueue::Depth() const
{
    LockGuard lock{m_mutex};
    return m_tasks.size();
}

void WorkQueue::Run()
{
    while (true) {
        std::function<void()> task;
        {
            UniqueLock lock{m_mutex};
            m_cv.wait(lock.native(),
                      [this]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_stopping || !m_tasks.empty(); });
            if (m_tasks.empty()) return;  // stopping and drained
            task = std::move(m_tasks.front());
            m_tasks.pop_front();
        }
        task();
    }
}

}  // namespace hpips
