// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_MINER_H
#define HPIPS_MINING_MINER_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <mining/block_assembler.h>
#include <pouw/engine.h>
#include <pouw/transcript.h>
#include <primitives/destination.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>

/** Mining in the node: MineBlock finds the proof of one block template with
 *  the PoUW engine (pouw/engine.h); Miner is the built-in miner (-mine) that
 *  keeps doing so on the tip. */
namespace hpips {
class ThreadPool;

/** Mines `tmpl` with filler units: for filler index 0, 1, … and nonces in
 *  batches, evaluates every tile's ticket until one wins, then fills in the
 *  proof and the opening. The miner key is the template's (the payout key).
 *  Returns nullopt when `stop` was set first, `max_units` unit evaluations
 *  found nothing, or (never in practice) every filler index and nonce was
 *  tried. `pool` may be null; `work` (may be null) accumulates the counters. */
Result<std::optional<Block>> MineBlock(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                       const std::atomic<bool>* stop, pouw::WorkCounters* work,
                                       uint64_t max_units = UINT64_MAX,
                                       pouw::TranscriptBackend backend = pouw::BestTranscriptBackend());

/** Picks the mempool's best transactions and builds a template paying `payout`. */
Result<BlockTemplate> CreateTemplateFromMempool(const Chainstate& chainstate, const Mempool& mempool,
                                                const Destination& payout, int64_t now, uint64_t extra_nonce = 0);

/** Options of the built-in miner (-mine, -mineraddress, -minerthreads, -minerdevice). */
struct MinerOptions {
    Destination payout;
    size_t threads{1};
    /** "auto", "cpu" or "cuda". */
    std::string device{"auto"};
};

/** What the miner reports (getmininginfo). */
struct MinerStatus {
    bool running{false};
    std::string backend;
    uint64_t blocks_found{0};
    pouw::WorkCounters work;
};

/** The built-in miner: one thread that builds a template on the tip, mines
 *  it with a pool of `threads` workers, submits what it finds, and starts
 *  over whenever the tip changes (it listens to the chainstate and stops the
 *  current unit at once). Stop() or the destructor ends it. */
class Miner : public ChainListener {
public:
    /** Selects the device ("cuda" without a usable GPU is an error; "auto"
     *  falls back to the CPU with one log line) and starts mining. */
    static Result<std::unique_ptr<Miner>> Start(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock,
                                                MinerOptions options);
    ~Miner() override;
    Miner(const Miner&) = delete;
    Miner& operator=(const Miner&) = delete;

    void Stop();
    MinerStatus Status() const LOCKS_EXCLUDED(m_status_mutex);

    void BlockConnected(const Block& block, const BlockIndex& index) override;

private:
    Miner(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, MinerOptions options, std::string backend);
    void Run();

    Chainstate& m_chainstate;
    Mempool& m_mempool;
    const NodeClock& m_clock;
    const MinerOptions m_options;
    const std::string m_backend;
    std::unique_ptr<ThreadPool> m_pool;
    std::atomic<bool> m_shutdown{false};
    /** Set when the tip moved: the current template is stale. */
    std::atomic<bool> m_stale{false};
    /** Guards the counters only; never held while mining or calling out. */
    mutable Mutex m_status_mutex;
    uint64_t m_blocks_found GUARDED_BY(m_status_mutex){0};
    pouw::WorkCounters m_work GUARDED_BY(m_status_mutex);
    std::thread m_thread;
};

}  // namespace hpips

#endif  // HPIPS_MINING_MINER_H
