// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <miner_app/cpu_miner.h>

#include <algorithm>

namespace hpips::miner {

bool JobOpen(const MinerJob& job)
{
    return !job.stop.load() && job.next_nonce.load() < job.nonce_end;
}

CpuMiner::CpuMiner(size_t threads, WinHandler on_win) : m_on_win{std::move(on_win)}
{
    threads = std::max<size_t>(threads, 1);
    for (size_t i = 0; i < threads; ++i) m_threads.emplace_back([this] { ThreadMain(); });
}

CpuMiner::~CpuMiner()
{
    {
        LockGuard lock{m_mutex};
        m_shutdown = true;
        if (m_job) m_job->stop = true;
    }
    m_cv.notify_all();
    for (auto& thread : m_threads) thread.join();
}

void CpuMiner::SetJob(std::shared_ptr<MinerJob> job)
{
    job->next_nonce = job->nonce_begin;
    {
        LockGuard lock{m_mutex};
        if (m_job) m_job->stop = true;
        m_job = std::move(job);
    }
    m_cv.notify_all();
}

void CpuMiner::ClearJob()
{
    LockGuard lock{m_mutex};
    if (m_job) m_job->stop = true;
    m_job.reset();
}

bool CpuMiner::JobFinished() const
{
    LockGuard lock{m_mutex};
    if (!m_job) return true;
    // active is raised before a thread takes nonces, so a closed job with no
    // active thread stays finished (doc in cpu_miner.h).
    return !JobOpen(*m_job) && m_job->active.load() == 0;
}

CpuMiner::Totals CpuMiner::GetTotals() const
{
    LockGuard lock{m_mutex};
    return m_totals;
}

void CpuMiner::ThreadMain()
{
    for (;;) {
        std::shared_ptr<MinerJob> job;
        {
            UniqueLock lock{m_mutex};
            m_cv.wait(lock.native(), [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) {
                return m_shutdown || (m_job && JobOpen(*m_job));
            });
            if (m_shutdown) return;
            job = m_job;
        }
        job->active.fetch_add(1);
        while (!job->stop.load()) {
            const uint64_t begin = job->next_nonce.fetch_add(MINER_NONCE_BATCH);
            if (begin >= job->nonce_end) break;
            pouw::EngineRequest request = job->request;
            request.nonce_begin = begin;
            request.nonce_end = std::min(job->nonce_end, begin + MINER_NONCE_BATCH);
            request.stop_at_first_win = true;
            request.backend = m_backend;
            auto result = pouw::EvaluateUnits(request, std::span{&job->unit, 1}, job->rules, nullptr, &job->stop);
            if (!result) {
                job->stop = true;
                LockGuard lock{m_mutex};
                ++m_totals.errors;
                m_totals.last_error = result.error_message();
                break;
            }
            {
                LockGuard lock{m_mutex};
                m_totals.work += result->counters;
                m_totals.tickets += result->wins.size();
            }
            if (!result->wins.empty()) {
                // One ticket is one block: the job is done whoever wins first.
                if (!job->stop.exchange(true)) m_on_win(*job, std::move(result->wins.front()));
                break;
            }
        }
        job->active.fetch_sub(1);
        {
            // Wait for the next job rather than spin on this closed one.
            UniqueLock lock{m_mutex};
            m_cv.wait(lock.native(), [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) {
                return m_shutdown || (m_job && m_job != job && JobOpen(*m_job)) || (m_job == job && JobOpen(*job));
            });
        }
    }
}

}  // namespace hpips::miner
