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
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

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

/** How MineBlockWith spreads and checks its work. */
struct MineOptions {
    /** Unit evaluations after which it gives up (returns nullopt). */
    uint64_t max_units{UINT64_MAX};
    /** CUDA: the GPU engine (gpu_engine.h) on the calling thread's current
     *  device, one persistent session per filler unit; else EvaluateUnits. */
    pouw::TranscriptBackend backend{pouw::BestTranscriptBackend()};
    /** Filler indices first, first + stride, ...: engines mining one template
     *  side by side take distinct `first` values and the same stride, so
     *  they never repeat each other's units. stride ≥ 1. */
    uint32_t filler_first{0};
    uint32_t filler_stride{1};
    /** When set, called after every nonce batch with the unit, the batch's
     *  request (nonces [nonce_begin, nonce_end)) and, on the GPU engine,
     *  every tile's state of the batch nonce-major (empty on the CPU); an
     *  error ends the mining with that error (the miner's spot checks). */
    std::function<Result<void>(const pouw::WorkUnit&, const pouw::EngineRequest&, std::span<const pouw::TileState>)>
        after_batch;
};

/** MineBlock with its options spelled out (see MineOptions). */
Result<std::optional<Block>> MineBlockWith(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                           const std::atomic<bool>* stop, pouw::WorkCounters* work,
                                           const MineOptions& options);

/** Picks the mempool's best transactions and builds a template paying `payout`. */
Result<BlockTemplate> CreateTemplateFromMempool(const Chainstate& chainstate, const Mempool& mempool,
                                                const Destination& payout, int64_t now, uint64_t extra_nonce = 0);

/** Default of -minerspotcheck: one tile of one unit in this many units a
 *  GPU evaluates is recomputed on the CPU. */
constexpr uint64_t DEFAULT_MINER_SPOT_CHECK{1024};
/** Largest -minerspotcheck accepted. */
constexpr int64_t MAX_MINER_SPOT_CHECK{int64_t{1} << 40};

/** Options of the built-in miner (-mine, -mineraddress, -minerthreads,
 *  -minerdevice, -minerspotcheck). */
struct MinerOptions {
    Destination payout;
    /** Threads of the CPU engine. */
    size_t threads{1};
    /** -minerdevice: "auto", "cpu", "cuda" or "cuda:N[,N...]" (miner_devices.h). */
    std::string device{"auto"};
    /** Whether the CPU engine mines beside the GPU engines (-minerthreads
     *  given). Without GPU engines the CPU engine always runs. */
    bool cpu_beside_gpu{false};
    /** A GPU engine spot-checks one tile in this many units on the CPU; 0: never. */
    uint64_t spot_check_every{DEFAULT_MINER_SPOT_CHECK};
};

/** One engine of the miner (getmininginfo's miner.devices). */
struct MinerDeviceStatus {
    /** "cpu", or the GPU's name as the runtime reports it. */
    std::string name;
    /** "cpu" or "cuda". */
    std::string kind;
    /** The CUDA ordinal; -1 for the CPU engine. */
    int index{-1};
    /** False once the engine was taken out (a device error or a spot-check mismatch). */
    bool running{true};
    uint64_t blocks_found{0};
    /** Failures that took the engine out (0 or 1) or ended a template early. */
    uint64_t errors{0};
    uint64_t spot_checks{0};
    pouw::WorkCounters work;
    /** Why the engine stopped; empty while it runs. */
    std::string last_error;
};

/** What the miner reports (getmininginfo). */
struct MinerStatus {
    bool running{false};
    std::string backend;
    uint64_t blocks_found{0};
    /** The sum over every engine (nanoseconds: the longest engine's, since
     *  the engines mine side by side). */
    pouw::WorkCounters work;
    std::vector<MinerDeviceStatus> devices;
};

/** The built-in miner: one thread that builds a template on the tip and has
 *  every engine mine it side by side (the CPU engine with a pool of `threads`
 *  workers, one engine per selected GPU, each on its own filler units),
 *  submits what the first winner found, and starts over whenever the tip
 *  changes (it listens to the chainstate and stops the current unit at
 *  once). A GPU engine that fails is taken out with one log line and the
 *  others keep mining; one whose spot check differs from the CPU stops with
 *  a fatal message. Stop() or the destructor ends it. */
class Miner : public ChainListener {
public:
    /** Selects the devices (-minerdevice, miner_devices.h: "cuda" without a
     *  usable GPU is an error; "auto" falls back to the CPU with one log
     *  line) and starts mining. */
    static Result<std::unique_ptr<Miner>> Start(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock,
                                                MinerOptions options);
    ~Miner() override;
    Miner(const Miner&) = delete;
    Miner& operator=(const Miner&) = delete;

    void Stop();
    MinerStatus Status() const LOCKS_EXCLUDED(m_status_mutex);

    void BlockConnected(const Block& block, const BlockIndex& index) override;

private:
    /** One engine: the CPU (pool) or one GPU. */
    struct Engine {
        bool cuda{false};
        int index{-1};
        std::string name;
        /** Units since the last spot check; touched by the engine's thread only. */
        uint64_t units_since_check{0};
        uint64_t checks_done{0};
    };
    /** What one engine's run over a template gave. */
    struct EngineRun {
        Result<std::optional<Block>> mined{std::optional<Block>{}};
        pouw::WorkCounters work;
        uint64_t spot_checks{0};
        bool mismatch{false};
    };

    Miner(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, MinerOptions options,
          std::vector<Engine> engines);
    void Run();
    /** Mines `tmpl` on engine `e` as slot `slot` of `slots`; sets m_stale when it wins. */
    EngineRun MineOn(size_t e, uint32_t slot, uint32_t slots, const BlockTemplate& tmpl);
    /** Books an engine's run: counters, and taking a failed GPU out. */
    void Book(size_t e, EngineRun& run) LOCKS_EXCLUDED(m_status_mutex);

    Chainstate& m_chainstate;
    Mempool& m_mempool;
    const NodeClock& m_clock;
    const MinerOptions m_options;
    /** Fixed at Start; each Engine's mutable fields belong to its thread. */
    std::vector<Engine> m_engines;
    std::unique_ptr<ThreadPool> m_pool;
    std::atomic<bool> m_shutdown{false};
    /** Set when the tip moved: the current template is stale. */
    std::atomic<bool> m_stale{false};
    /** Guards the counters only; never held while mining or calling out. */
    mutable Mutex m_status_mutex;
    uint64_t m_blocks_found GUARDED_BY(m_status_mutex){0};
    /** One per engine, same order as m_engines. */
    std::vector<MinerDeviceStatus> m_devices GUARDED_BY(m_status_mutex);
    std::thread m_thread;
};

}  // namespace hpips

#endif  // HPIPS_MINING_MINER_H
