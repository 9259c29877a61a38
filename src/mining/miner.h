// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_MINER_H
#define HPIPS_MINING_MINER_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <mining/block_assembler.h>
#include <primitives/destination.h>
#include <util/clock.h>
#include <util/result.h>

#include <atomic>
#include <cstdint>
#include <memory>
#include <string>
#include <thread>

namespace hpips {
class ThreadPool;

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

/** Counters the miner exposes (getmininginfo). */
struct MinerStatus {
    bool running{false};
    std::string backend;
    uint64_t blocks_found{0};
    uint64_t units{0};
    uint64_t macs{0};
    uint64_t nanoseconds{0};
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
    MinerStatus Status() const;

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
    std::atomic<uint64_t> m_blocks_found{0};
    std::atomic<uint64_t> m_units{0};
    std::atomic<uint64_t> m_macs{0};
    std::atomic<uint64_t> m_nanoseconds{0};
    std::thread m_thread;
};

}  // namespace hpips

#endif  // HPIPS_MINING_MINER_H
