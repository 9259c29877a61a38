// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINER_APP_CPU_MINER_H
#define HPIPS_MINER_APP_CPU_MINER_H

#include <miner_app/block_work.h>
#include <pouw/engine.h>
#include <pouw/params.h>
#include <util/threadsafety.h>

#include <atomic>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

/** CPU mining threads for hpips-miner: each thread takes batches of nonces
 *  from the current job's range and evaluates the job's unit with the PoUW
 *  engine (pouw::EvaluateUnits on the best CPU transcript backend, no thread pool: one nonce range per thread,
 *  so even a one-tile regtest unit keeps every thread busy). A new job stops
 *  the old one between tiles. A win is handed to the callback (on the mining
 *  thread) and ends the job: one ticket is one block. An engine error (a
 *  unit or template the engine refuses) ends the job too and is counted in
 *  the totals with its message. */
namespace hpips::miner {

/** One range of nonces on one header template. */
struct MinerJob {
    uint64_t generation{0};
    pouw::EngineRequest request;  //!< template bytes and miner key; the range and backend are the miner's
    pouw::WorkUnit unit;
    pouw::ShapeRules rules{pouw::ShapeRules::Main()};
    uint64_t nonce_begin{0};
    uint64_t nonce_end{0};
    /** The block being mined, when this process submits it (null on farm workers). */
    std::shared_ptr<const BlockWork> work;

    std::atomic<uint64_t> next_nonce{0};
    std::atomic<int> active{0};
    std::atomic<bool> stop{false};
};

/** Nonces one thread evaluates per engine call: a new job is still noticed
 *  between tiles through the stop flag. */
constexpr uint64_t MINER_NONCE_BATCH = 16;

class CpuMiner {
public:
    using WinHandler = std::function<void(const MinerJob& job, pouw::WinningTicket win)>;

    CpuMiner(size_t threads, WinHandler on_win);
    ~CpuMiner();
    CpuMiner(const CpuMiner&) = delete;
    CpuMiner& operator=(const CpuMiner&) = delete;

    /** Replaces the current job (the old one stops between tiles). */
    void SetJob(std::shared_ptr<MinerJob> job) LOCKS_EXCLUDED(m_mutex);
    /** Stops mining until the next SetJob. */
    void ClearJob() LOCKS_EXCLUDED(m_mutex);
    /** True when there is no job, or no thread works on it any more (range
     *  done or a ticket won). */
    bool JobFinished() const LOCKS_EXCLUDED(m_mutex);

    struct Totals {
        pouw::WorkCounters work;
        uint64_t tickets{0};
        /** Engine errors (each ends its job) and the last one's message. */
        uint64_t errors{0};
        std::string last_error;
    };
    Totals GetTotals() const LOCKS_EXCLUDED(m_mutex);
    size_t Threads() const { return m_threads.size(); }
    /** The transcript backend every thread uses: the best this CPU runs. */
    pouw::TranscriptBackend Backend() const { return m_backend; }

private:
    void ThreadMain() LOCKS_EXCLUDED(m_mutex);

    const WinHandler m_on_win;
    const pouw::TranscriptBackend m_backend{pouw::BestTranscriptBackend()};
    mutable Mutex m_mutex;
    std::condition_variable m_cv;
    std::shared_ptr<MinerJob> m_job GUARDED_BY(m_mutex);
    bool m_shutdown GUARDED_BY(m_mutex){false};
    Totals m_totals GUARDED_BY(m_mutex);
    std::vector<std::thread> m_threads;
};

/** A job that can still give out nonces. */
bool JobOpen(const MinerJob& job);

}  // namespace hpips::miner

#endif  // HPIPS_MINER_APP_CPU_MINER_H
