// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/miner.h>

#include <kernels/device.h>
#include <mining/block_assembler.h>
#include <util/logging.h>
#include <util/thread_pool.h>

#include <chrono>

namespace hpips {
namespace {

/** Block space left for transactions after the header, coinbase and a
 *  full-size job opening. */
constexpr size_t MAX_TEMPLATE_TX_BYTES = MAX_BLOCK_SIZE - MAX_OPENING_SIZE - 1000;

/** Nonces tried per EvaluateUnits call: small enough that a stop request or a
 *  new tip is noticed quickly, large enough to amortise the call. */
constexpr uint64_t NONCE_BATCH = 64;
/** Filler units tried before moving on; the nonce space of one is 2^64, so
 *  this only spreads work, it never runs out. */
constexpr uint64_t NONCES_PER_FILLER = uint64_t{1} << 32;

}  // namespace

Result<std::optional<Block>> MineBlock(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                       const std::atomic<bool>* stop, pouw::WorkCounters* work, uint64_t max_units,
                                       pouw::TranscriptBackend backend)
{
    const BlockHeader& header = tmpl.block.header;
    pouw::EngineRequest request;
    request.template_bytes = header.SerializeTemplate();
    request.miner_key = header.proof.miner_key;
    request.stop_at_first_win = true;
    request.backend = backend;
    uint64_t units_done = 0;
    // Every filler index is a distinct unit (doc/pouw.md): the u32 index
    // bounds the loop, though 2^32 fillers of 2^32 nonces never run out.
    for (uint64_t filler = 0; filler <= UINT32_MAX; ++filler) {
        const pouw::WorkUnit unit = pouw::MakeFillerUnit(header.prev_block, request.miner_key,
                                                         static_cast<uint32_t>(filler), params.shape_rules);
        for (uint64_t nonce = 0; nonce < NONCES_PER_FILLER; nonce += NONCE_BATCH) {
            if (stop != nullptr && stop->load(std::memory_order_relaxed)) return std::optional<Block>{};
            if (units_done >= max_units) return std::optional<Block>{};
            request.nonce_begin = nonce;
            request.nonce_end = nonce + NONCE_BATCH;
            auto mined = pouw::EvaluateUnits(request, std::span{&unit, 1}, params.shape_rules, pool, stop);
            if (!mined) return mined.error();
            units_done += mined->counters.units;
            if (work != nullptr) *work += mined->counters;
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
    auto backend = SelectBackend(options.device);
    if (!backend) return backend.error();
    std::string backend_name{BackendName(*backend)};
    if (*backend == Backend::CUDA) {
        // The CUDA transcript kernel is compiled but the miner engine drives
        // the CPU kernels until it is wired in; say so once.
        LogInfo("miner: CUDA device found, but the GPU miner engine is not wired in yet; mining on the CPU");
        backend_name = "cpu";
    }
    std::unique_ptr<Miner> miner{new Miner{chainstate, mempool, clock, std::move(options), backend_name}};
    chainstate.AddListener(miner.get());
    miner->m_thread = std::thread{[m = miner.get()] { m->Run(); }};
    return miner;
}

Miner::Miner(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, MinerOptions options,
             std::string backend)
    : m_chainstate{chainstate},
      m_mempool{mempool},
      m_clock{clock},
      m_options{std::move(options)},
      m_backend{std::move(backend)},
      m_pool{std::make_unique<ThreadPool>(m_options.threads)}
{
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
    status.backend = m_backend;
    LockGuard lock{m_status_mutex};
    status.blocks_found = m_blocks_found;
    status.work = m_work;
    return status;
}

void Miner::Run()
{
    LogInfo("miner: started ({} threads, {} backend)", m_pool->Size(), m_backend);
    uint64_t extra_nonce = 0;
    while (!m_shutdown) {
        m_stale = false;
        // Stop() sets m_shutdown before m_stale: if its m_stale was just
        // overwritten above, m_shutdown is already visible here.
        if (m_shutdown) break;
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
        pouw::WorkCounters stats;
        auto mined = MineBlock(*tmpl, m_chainstate.Params(), m_pool.get(), &m_stale, &stats);
        {
            LockGuard lock{m_status_mutex};
            m_work += stats;
        }
        if (!mined) {
            LogInfo("miner: {}", mined.error_message());
            std::this_thread::sleep_for(std::chrono::seconds{1});
            continue;
        }
        if (!mined->has_value()) continue;  // the tip moved or we are stopping
        BlockValidationState state;
        if (!m_chainstate.ProcessNewBlock(**mined, state)) {
            LogInfo("miner: mined block rejected: {}", state.ToString());
            continue;
        }
        {
            LockGuard lock{m_status_mutex};
            ++m_blocks_found;
        }
        const double seconds = static_cast<double>(stats.nanoseconds) / 1e9;  // display only
        LogInfo("miner: found block {} height={} txs={} units={} units/s={:.1f} GMAC/s={:.2f}",
                (*mined)->GetHash().GetHex(), tmpl->height, (*mined)->txs.size(), stats.units,
                seconds > 0 ? static_cast<double>(stats.units) / seconds : 0.0,
                seconds > 0 ? static_cast<double>(stats.macs) / seconds / 1e9 : 0.0);
    }
    LogInfo("miner: stopped");
}

}  // namespace hpips
