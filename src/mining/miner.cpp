// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/miner.h>

#include <kernels/device.h>
#include <mining/block_assembler.h>
#include <mining/gpu_engine.h>
#include <mining/miner_devices.h>
#include <mining/spot_check.h>
#include <util/logging.h>
#include <util/thread_pool.h>

#include <algorithm>
#include <chrono>

namespace hpips {
namespace {

/** Block space left for transactions after the header, coinbase and a
 *  full-size job opening. */
constexpr size_t MAX_TEMPLATE_TX_BYTES = MAX_BLOCK_SIZE - MAX_OPENING_SIZE - 1000;

/** Nonces tried per EvaluateUnits call: small enough that a stop request or a
 *  new tip is noticed quickly, large enough to amortise the call. */
constexpr uint64_t NONCE_BATCH = 64;
static_assert(NONCE_BATCH <= GPU_ENGINE_MAX_BATCH, "a GPU engine batch holds one miner batch");
/** Filler units tried before moving on; the nonce space of one is 2^64, so
 *  this only spreads work, it never runs out. */
constexpr uint64_t NONCES_PER_FILLER = uint64_t{1} << 32;

}  // namespace

Result<std::optional<Block>> MineBlock(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                       const std::atomic<bool>* stop, pouw::WorkCounters* work, uint64_t max_units,
                                       pouw::TranscriptBackend backend)
{
    MineOptions options;
    options.max_units = max_units;
    options.backend = backend;
    return MineBlockWith(tmpl, params, pool, stop, work, options);
}

Result<std::optional<Block>> MineBlockWith(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                           const std::atomic<bool>* stop, pouw::WorkCounters* work,
                                           const MineOptions& options)
{
    if (options.filler_stride == 0) return Error{"filler stride must be at least 1"};
    const BlockHeader& header = tmpl.block.header;
    pouw::EngineRequest request;
    request.template_bytes = header.SerializeTemplate();
    request.miner_key = header.proof.miner_key;
    request.stop_at_first_win = true;
    request.backend = options.backend;
    uint64_t units_done = 0;
    // Every filler index is a distinct unit (doc/pouw.md): the u32 index
    // bounds the loop, though 2^32 fillers of 2^32 nonces never run out.
    for (uint64_t filler = options.filler_first; filler <= UINT32_MAX; filler += options.filler_stride) {
        const pouw::WorkUnit unit = pouw::MakeFillerUnit(header.prev_block, request.miner_key,
                                                         static_cast<uint32_t>(filler), params.shape_rules);
        // The GPU engine keeps the unit on the device for all its nonces.
        std::unique_ptr<GpuUnitEvaluator> gpu;
        std::vector<pouw::TileState> states;
        if (options.backend == pouw::TranscriptBackend::CUDA) {
            auto opened = GpuUnitEvaluator::Open(unit);
            if (!opened) return opened.error();
            gpu = std::move(*opened);
        }
        for (uint64_t nonce = 0; nonce < NONCES_PER_FILLER; nonce += NONCE_BATCH) {
            if (stop != nullptr && stop->load(std::memory_order_relaxed)) return std::optional<Block>{};
            if (units_done >= options.max_units) return std::optional<Block>{};
            request.nonce_begin = nonce;
            request.nonce_end = nonce + NONCE_BATCH;
            auto mined = gpu ? gpu->Evaluate(request, states)
                             : pouw::EvaluateUnits(request, std::span{&unit, 1}, params.shape_rules, pool, stop);
            if (!mined) return mined.error();
            units_done += mined->counters.units;
            if (work != nullptr) *work += mined->counters;
            if (options.after_batch) {
                pouw::EngineRequest done{request};
                done.nonce_end = mined->next_nonce;
                if (done.nonce_end > done.nonce_begin) {
                    if (auto checked = options.after_batch(unit, done, states); !checked) return checked.error();
                }
            }
            if (!mined->wins.empty()) {
                Block block = tmpl.block;
                block.header.proof = mined->wins.front().proof;
                block.opening = std::move(mined->wins.front().opening);
                return std::optional<Block>{std::move(block)};
            }
        }
    }
    return std::optional<Block>{};
}

Result<BlockTemplate> CreateTemplateFromMempool(const Chainstate& chainstate, const Mempool& mempool,
                                                const Destination& payout, int64_t now, uint64_t extra_nonce)
{
    Amount fees = 0;
    const auto entries = mempool.SelectForBlock(MAX_TEMPLATE_TX_BYTES, fees);
    std::vector<Transaction> txs;
    txs.reserve(entries.size());
    for (const auto& entry : entries) txs.push_back(entry.tx);
    return CreateBlockTemplate(chainstate, payout, txs, fees, now, extra_nonce);
}

Result<std::unique_ptr<Miner>> Miner::Start(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock,
                                            MinerOptions options)
{
    if (!options.payout.IsKey()) return Error{"-mineraddress must be a key address"};
    auto request = ParseMinerDevice(options.device);
    if (!request) return request.error();
    const std::vector<DeviceInfo> devices{ListCudaDevices()};
    auto plan = ResolveMinerDevices(*request, devices, CudaUnavailableReason());
    if (!plan) return plan.error();
    if (!plan->cpu_fallback_reason.empty()) {
        LogInfo("miner: no CUDA device ({}); mining on the CPU", plan->cpu_fallback_reason);
    }
    std::vector<Engine> engines;
    for (const DeviceInfo& device : plan->cuda) {
        Engine engine;
        engine.cuda = true;
        engine.index = device.index;
        engine.name = device.name;
        engines.push_back(std::move(engine));
    }
    if (engines.empty() || options.cpu_beside_gpu) {
        Engine cpu;
        cpu.name = "cpu";
        engines.push_back(std::move(cpu));
    }
    std::unique_ptr<Miner> miner{new Miner{chainstate, mempool, clock, std::move(options), std::move(engines)}};
    chainstate.AddListener(miner.get());
    miner->m_thread = std::thread{[m = miner.get()] { m->Run(); }};
    return miner;
}

Miner::Miner(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, MinerOptions options,
             std::vector<Engine> engines)
    : m_chainstate{chainstate},
      m_mempool{mempool},
      m_clock{clock},
      m_options{std::move(options)},
      m_engines{std::move(engines)},
      m_pool{std::make_unique<ThreadPool>(m_options.threads)}
{
    LockGuard lock{m_status_mutex};
    for (const Engine& engine : m_engines) {
        MinerDeviceStatus device;
        device.name = engine.name;
        device.kind = engine.cuda ? "cuda" : "cpu";
        device.index = engine.index;
        m_devices.push_back(std::move(device));
    }
}

Miner::~Miner()
{
    Stop();
    m_chainstate.RemoveListener(this);
}

void Miner::Stop()
{
    m_shutdown = true;
    m_stale = true;
    if (m_thread.joinable()) m_thread.join();
}

void Miner::BlockConnected(const Block& /*block*/, const BlockIndex& /*index*/) { m_stale = true; }

MinerStatus Miner::Status() const
{
    MinerStatus status;
    status.running = !m_shutdown;
    LockGuard lock{m_status_mutex};
    status.blocks_found = m_blocks_found;
    status.devices = m_devices;
    bool gpu{false};
    for (const MinerDeviceStatus& device : m_devices) {
        // The engines mine side by side: work adds up, wall time does not.
        const uint64_t wall{std::max(status.work.nanoseconds, device.work.nanoseconds)};
        status.work += device.work;
        status.work.nanoseconds = wall;
        gpu = gpu || (device.kind == "cuda" && device.running);
    }
    status.backend = gpu ? "cuda" : "cpu";
    return status;
}

Miner::EngineRun Miner::MineOn(size_t e, uint32_t slot, uint32_t slots, const BlockTemplate& tmpl)
{
    Engine& engine{m_engines[e]};
    EngineRun run;
    MineOptions options;
    options.filler_first = slot;
    options.filler_stride = slots;
    ThreadPool* pool{m_pool.get()};
    if (engine.cuda) {
        // The CUDA runtime's current device is per host thread: this engine's
        // thread selects its GPU, and every launch below runs there.
        if (auto used = UseCudaDeviceOnThisThread(engine.index); !used) {
            run.mined = used.error();
            return run;
        }
        options.backend = pouw::TranscriptBackend::CUDA;
        pool = nullptr;  // tiles run on the device, not the CPU pool
        const uint64_t every{m_options.spot_check_every};
        if (every > 0) {
            options.after_batch = [&, every](const pouw::WorkUnit& unit, const pouw::EngineRequest& batch,
                                             std::span<const pouw::TileState> states) -> Result<void> {
                const uint64_t units{batch.nonce_end - batch.nonce_begin};
                engine.units_since_check += units;
                if (engine.units_since_check < every) return {};
                engine.units_since_check = 0;
                // Vary the nonce and the tile from one check to the next.
                const uint64_t nonce{batch.nonce_begin + engine.checks_done % units};
                const uint32_t tile{
                    static_cast<uint32_t>(engine.checks_done % unit.descriptor.shape.TileCount())};
                ++engine.checks_done;
                ++run.spot_checks;
                // The state the device mined with, recomputed on the CPU.
                const size_t at{size_t(nonce - batch.nonce_begin) * unit.descriptor.shape.TileCount() + tile};
                if (at >= states.size()) return Error{"spot check: the GPU engine returned no states"};
                auto outcome = CheckTileState(batch, unit, nonce, tile, states[at]);
                if (!outcome) return outcome.error();
                if (*outcome == SpotCheckOutcome::DIFFERENT) {
                    run.mismatch = true;
                    return Error{fmt::format("tile {} of unit {} at nonce {} differs from the CPU", tile,
                                             pouw::ComputeUnitId(unit.descriptor).GetHex(), nonce)};
                }
                return {};
            };
        }
    }
    run.mined = MineBlockWith(tmpl, m_chainstate.Params(), pool, &m_stale, &run.work, options);
    // A winner stops the other engines: the template is done.
    if (run.mined && run.mined->has_value()) m_stale = true;
    return run;
}

void Miner::Book(size_t e, EngineRun& run)
{
    const Engine& engine{m_engines[e]};
    LockGuard lock{m_status_mutex};
    MinerDeviceStatus& device{m_devices[e]};
    device.work += run.work;
    device.spot_checks += run.spot_checks;
    if (run.mined) return;
    ++device.errors;
    if (!engine.cuda) {
        LogInfo("miner: {}", run.mined.error_message());
        return;
    }
    device.running = false;
    device.last_error = run.mined.error_message();
    if (run.mismatch) {
        LogInfo("miner: FATAL: GPU cuda:{} ({}) computed a transcript state that differs from the CPU ({}); "
                "this is a bug in the CUDA backend: the device stops mining, please report it",
                engine.index, engine.name, device.last_error);
    } else {
        LogInfo("miner: GPU cuda:{} ({}) failed and is taken out, the other devices keep mining: {}", engine.index,
                engine.name, device.last_error);
    }
}

void Miner::Run()
{
    {
        std::string names;
        for (const Engine& engine : m_engines) {
            if (!names.empty()) names += ", ";
            names += engine.cuda ? fmt::format("cuda:{} ({})", engine.index, engine.name)
                                 : fmt::format("cpu ({} threads)", m_pool->Size());
        }
        LogInfo("miner: started on {}", names);
    }
    uint64_t extra_nonce = 0;
    while (!m_shutdown) {
        m_stale = false;
        // Stop() sets m_shutdown before m_stale: if its m_stale was just
        // overwritten above, m_shutdown is already visible here.
        if (m_shutdown) break;
        std::vector<size_t> active;
        {
            LockGuard lock{m_status_mutex};
            for (size_t e = 0; e < m_devices.size(); ++e) {
                if (m_devices[e].running) active.push_back(e);
            }
        }
        if (active.empty()) {
            LogInfo("miner: every device was taken out; the miner stops");
            break;
        }
        auto tmpl = CreateTemplateFromMempool(m_chainstate, m_mempool, m_options.payout, m_clock.Now(), extra_nonce++);
        if (!tmpl) {
            LogInfo("miner: cannot build a template: {}", tmpl.error_message());
            std::this_thread::sleep_for(std::chrono::seconds{1});
            continue;
        }
        // A chain mined faster than one block per second (regtest) pushes the
        // median time past ahead of the clock; a block past the future limit
        // would be rejected, so wait for the clock instead.
        if (int64_t{tmpl->block.header.time} > m_clock.Now() + MAX_FUTURE_BLOCK_TIME) {
            std::this_thread::sleep_for(std::chrono::milliseconds{250});
            continue;
        }
        // Every active engine mines the template on its own filler units; the
        // last one runs on this thread.
        std::vector<EngineRun> runs(active.size());
        const uint32_t slots{static_cast<uint32_t>(active.size())};
        {
            std::vector<std::thread> threads;
            for (uint32_t slot = 0; slot + 1 < slots; ++slot) {
                threads.emplace_back([&, slot] { runs[slot] = MineOn(active[slot], slot, slots, *tmpl); });
            }
            runs[slots - 1] = MineOn(active[slots - 1], slots - 1, slots, *tmpl);
            for (std::thread& thread : threads) thread.join();
        }
        bool failed{false};
        std::optional<size_t> winner;
        for (size_t i = 0; i < runs.size(); ++i) {
            Book(active[i], runs[i]);
            if (!runs[i].mined) {
                failed = true;
            } else if (runs[i].mined->has_value() && !winner) {
                winner = i;
            }
        }
        if (!winner) {
            // A CPU error (never a GPU's: that GPU is out now) waits a moment.
            if (failed) std::this_thread::sleep_for(std::chrono::milliseconds{250});
            continue;  // the tip moved, we are stopping, or a device failed
        }
        const Block& block{**runs[*winner].mined};
        const pouw::WorkCounters& stats{runs[*winner].work};
        BlockValidationState state;
        if (!m_chainstate.ProcessNewBlock(block, state)) {
            LogInfo("miner: mined block rejected: {}", state.ToString());
            continue;
        }
        {
            LockGuard lock{m_status_mutex};
            ++m_blocks_found;
            ++m_devices[active[*winner]].blocks_found;
        }
        const double seconds = static_cast<double>(stats.nanoseconds) / 1e9;  // display only
        LogInfo("miner: found block {} height={} txs={} device={} units={} units/s={:.1f} GMAC/s={:.2f}",
                block.GetHash().GetHex(), tmpl->height, block.txs.size(), m_engines[active[*winner]].name,
                stats.units, seconds > 0 ? static_cast<double>(stats.units) / seconds : 0.0,
                seconds > 0 ? static_cast<double>(stats.macs) / seconds / 1e9 : 0.0);
    }
    LogInfo("miner: stopped");
}

}  // namespace hpips
