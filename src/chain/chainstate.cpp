// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The chainstate's life cycle (open, load, recover, reindex, flush, fatal
// errors) and its read access. Blocks enter in block_accept.cpp; the active
// chain moves in chain_activation.cpp.
#include <chain/chainstate.h>

#include <chain/block_connect.h>
#include <consensus/block_check.h>
#include <util/logging.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <thread>

namespace hpips {
namespace {

/** Status bits of a block that has been fully connected once. */
constexpr uint32_t CONNECTED_BITS = StatusBit(BlockStatus::VALID_TREE) | StatusBit(BlockStatus::VALID_TRANSACTIONS) |
                                    StatusBit(BlockStatus::VALID_CHAIN) | StatusBit(BlockStatus::VALID_SCRIPTS);
/** Sequence id of every stored block loaded from disk but the tip (see m_next_sequence). */
constexpr uint64_t LOADED_SEQUENCE = 1;

int64_t SystemNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

Chainstate::Chainstate(const ChainParams& params, ChainstateOptions options)
    : m_params{params}, m_options{std::move(options)},
      m_signature_checks{std::make_unique<SignatureCheckQueue>(
          ScriptCheckThreads(m_options.script_check_threads, std::thread::hardware_concurrency()) - 1)}
{
}

Chainstate::~Chainstate()
{
    LockGuard change{m_change_mutex};
    LockGuard lock{m_mutex};
    if (m_coins && !m_fatal_error) {
        if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed) {
            LogInfo("chainstate: final flush failed: {}", flushed.error_message());
        }
    }
}

int64_t Chainstate::Now() const { return m_options.now ? m_options.now() : SystemNow(); }

void Chainstate::FatalError(const std::string& message)
{
    if (m_fatal_error.exchange(true)) return;
    LogInfo("*** {}", message);
    LogInfo("Error: A fatal internal error occurred, see debug.log for details");
    if (m_options.fatal_error) m_options.fatal_error(message);
}

bool Chainstate::FatalError(BlockValidationState& state, const std::string& message)
{
    FatalError(message);
    return state.Invalid(BlockFailure::SYSTEM, "system-error", message);
}

Result<std::unique_ptr<Chainstate>> Chainstate::Open(const ChainParams& params, ChainstateOptions options)
{
    std::unique_ptr<Chainstate> chainstate{new Chainstate{params, std::move(options)}};
    if (auto loaded = chainstate->Load(); !loaded) return loaded.error();
    return chainstate;
}

Result<void> Chainstate::OpenDatabases()
{
    const auto blocks_dir = m_options.datadir / "blocks";
    const auto chainstate_dir = m_options.datadir / "chainstate";
    if (m_options.reindex) {
        // The block files stay; the index and the coins are rebuilt from them.
        std::error_code ec;
        std::filesystem::remove_all(blocks_dir / "index", ec);
        std::filesystem::remove_all(chainstate_dir, ec);
    }
    auto storage = BlockStorage::Open(blocks_dir, m_params.message_start);
    if (!storage) return Error{"cannot open block files: " + storage.error_message()};
    m_storage = std::move(*storage);
    auto index_db = BlockIndexDB::Open(blocks_dir / "index");
    if (!index_db) return Error{"cannot open block index: " + index_db.error_message()};
    m_index_db = std::move(*index_db);
    CoinsDBOptions coins_options;
    coins_options.crash_ratio = m_options.crash_ratio;
    // A failed coin read keeps CoinsDBOptions' default: log and abort, as
    // Core does. Going on would read a missing coin as "spent" and mark a
    // valid block invalid.
    auto coins_db = CoinsViewDB::Open(chainstate_dir, std::move(coins_options));
    if (!coins_db) return Error{"cannot open chainstate: " + coins_db.error_message()};
    m_coins_db = std::move(*coins_db);
    m_coins = std::make_unique<CoinsViewCache>(*m_coins_db);
    m_last_flush = Now();
    return {};
}

Result<void> Chainstate::Load()
{
    {
        LockGuard change{m_change_mutex};
        LockGuard lock{m_mutex};
        if (auto opened = OpenDatabases(); !opened) return opened;
        if (auto loaded = LoadBlockIndex(); !loaded) return loaded;
        m_reindexing = m_options.reindex;
    }
    if (m_options.reindex) {
        if (auto rebuilt = Reindex(); !rebuilt) return rebuilt;
    }
    LockGuard change{m_change_mutex};
    {
        LockGuard lock{m_mutex};
        m_reindexing = false;
        if (m_index.empty()) {
            if (auto genesis = InitGenesis(); !genesis) return genesis;
        }
        if (const auto marker = m_coins_db->GetFlushMarker()) {
            if (auto recovered = RecoverInterruptedFlush(*marker); !recovered) return recovered;
        }
    }
    if (auto tip = LoadTip(); !tip) return tip;

    // Blocks stored but not connected before a shutdown or crash. (Genesis,
    // recovery and reindex flushed already; nothing else needs a write now.)
    BlockValidationState state;
    if (!ActivateBestChain(state, nullptr) && state.IsError()) return Error{state.GetDetail()};
    LockGuard lock{m_mutex};
    return FlushIfNeeded(/*force=*/false);
}

Result<void> Chainstate::LoadTip()
{
    {
        LockGuard lock{m_mutex};
        const uint256 best = m_coins_db->GetBestBlock();
        BlockIndex* tip = Lookup(best);
        if (tip == nullptr) return Error{"chainstate best block " + best.GetHex() + " is not in the block index"};
        m_chain.SetTip(tip);
        // The stored tip was first seen before any other tip of equal work:
        // it stays the tip after a restart (doc/chainstate.md).
        const bool candidate = m_candidates.erase(tip) != 0;
        tip->sequence_id = 0;
        if (candidate) m_candidates.insert(tip);
    }
    // A crash after invalidateblock and before the next flush leaves the
    // coins on a block now marked invalid: step back to valid ground.
    while (true) {
        {
            LockGuard lock{m_mutex};
            if (!m_chain.Tip()->IsInvalid() || m_chain.Tip()->prev == nullptr) break;
        }
        BlockValidationState state;
        if (!DisconnectTip(state)) return Error{state.GetDetail()};
    }
    LockGuard lock{m_mutex};
    const BlockIndex* tip = m_chain.Tip();
    LogInfo("Loaded best chain: hashBestChain={} height={} blocks_known={}", tip->hash.GetHex(), tip->height,
            m_index.size());
    return {};
}

Result<void> Chainstate::LoadBlockIndex()
{
    auto records = m_index_db->LoadAll();
    if (!records) return Error{"cannot read block index: " + records.error_message()};
    // Parents before children: sort by height, then link.
    std::sort(records->begin(), records->end(),
              [](const BlockIndexRecord& a, const BlockIndexRecord& b) { return a.height < b.height; });
    size_t orphaned{0};
    for (const auto& record : *records) {
        auto entry = std::make_unique<BlockIndex>();
        entry->hash = record.GetHash();
        entry->header = record.header;
        entry->height = record.height;
        entry->status = record.status;
        entry->data_pos = record.data_pos;
        entry->undo_pos = record.undo_pos;
        entry->tx_count = record.tx_count;
        entry->sequence_id = LOADED_SEQUENCE;
        if (record.height == 0) {
            if (entry->hash != m_params.genesis_hash) return Error{"block index has a foreign genesis block"};
        } else {
            entry->prev = Lookup(record.header.prev_block);
            if (entry->prev == nullptr) {
                // Headers without data are not stored, so a block downloaded
                // before its parent can come back without one: forget it
                // (it is fetched again, or found by -reindex).
                ++orphaned;
                continue;
            }
            if (entry->prev->height + 1 != entry->height) {
                return Error{"block index entry " + entry->hash.GetHex() + " does not follow its parent"};
            }
        }
        // Recompute work from the headers rather than trusting the stored sum.
        const auto target = TargetFromBits(entry->header.bits);
        if (!target && !entry->IsInvalid()) {
            return Error{"block index entry " + entry->hash.GetHex() + " has invalid bits"};
        }
        entry->chain_work = (entry->prev ? entry->prev->chain_work : ArithUint512{0}) +
                            (target ? BlockWork(*target) : ArithUint512{0});
        entry->BuildSkip();
        BlockIndex* raw = entry.get();
        m_index.emplace(raw->hash, std::move(entry));
        if (!raw->IsInvalid() && (m_best_header == nullptr || raw->chain_work > m_best_header->chain_work)) {
            m_best_header = raw;
        }
        if (raw->HasStatus(BlockStatus::HAVE_DATA)) {
            LinkBlockData(raw);
        } else {
            ++m_headers_only;
        }
    }
    if (orphaned != 0) LogInfo("chainstate: {} stored blocks had no known parent and were left out", orphaned);
    return {};
}

Result<void> Chainstate::InitGenesis(const FlatFilePos* stored_pos)
{
    const Block& genesis = m_params.genesis;
    FlatFilePos pos;
    if (stored_pos != nullptr) {
        pos = *stored_pos;
    } else {
        auto written = m_storage->WriteBlock(genesis);
        if (!written) return Error{"cannot write genesis block: " + written.error_message()};
        pos = *written;
    }
    BlockIndex* index = AddToIndex(genesis.header);
    --m_headers_only;
    index->data_pos = pos;
    index->tx_count = static_cast<uint32_t>(genesis.txs.size());
    index->status |= CONNECTED_BITS | StatusBit(BlockStatus::HAVE_DATA);
    SetDirty(index);
    LinkBlockData(index);
    // Genesis's coinbase never enters the UTXO set: the empty set is at genesis.
    m_coins->SetBestBlock(index->hash);
    m_chain.SetTip(index);
    return FlushIfNeeded(/*force=*/true);
}

BlockIndex* Chainstate::Lookup(const uint256& hash) const
{
    const auto it = m_index.find(hash);
    return it == m_index.end() ? nullptr : it->second.get();
}

void Chainstate::SetDirty(BlockIndex* index) { m_dirty.insert(index); }

Result<void> Chainstate::RecoverInterruptedFlush(const FlushMarker& marker)
{
    // The coins on disk are a mix of the states at `from` and `to`. Every
    // write of the flush was idempotent, so: undo the blocks of `from`'s
    // branch down to the fork point (tolerating coins already gone or
    // already back), redo the blocks up to `to`, and flush to `to`.
    LogInfo("chainstate: a flush from {} to {} was cut short; replaying blocks", marker.from.GetHex(),
            marker.to.GetHex());
    BlockIndex* to = Lookup(marker.to);
    if (to == nullptr) return Error{"flush marker names an unknown block " + marker.to.GetHex()};
    BlockIndex* from = marker.from.IsNull() ? nullptr : Lookup(marker.from);
    if (!marker.from.IsNull() && from == nullptr) return Error{"flush marker names an unknown block"};
    const BlockIndex* fork = from != nullptr ? LastCommonAncestor(from, to) : nullptr;

    CoinsViewCache replay{*m_coins_db};
    for (BlockIndex* walk = from; walk != fork; walk = walk->prev) {
        if (walk->prev == nullptr) break;
        auto block = m_storage->ReadBlock(walk->data_pos, walk->hash);
        auto undo = m_storage->ReadUndo(walk->undo_pos, walk->hash);
        if (!block || !undo) return Error{"cannot read block or undo data of " + walk->hash.GetHex()};
        if (DisconnectBlock(*block, *undo, replay) == DisconnectResult::FAILED) {
            return Error{"undo data does not fit block " + walk->hash.GetHex()};
        }
    }
    std::vector<BlockIndex*> path;
    for (BlockIndex* walk = to; walk != fork && walk != nullptr; walk = walk->prev) path.push_back(walk);
    std::reverse(path.begin(), path.end());
    for (BlockIndex* index : path) {
        if (index->height == 0) continue;  // genesis adds no coins
        auto block = m_storage->ReadBlock(index->data_pos, index->hash);
        if (!block) return Error{"cannot read block " + index->hash.GetHex() + ": " + block.error_message()};
        for (const Transaction& tx : block->txs) {
            if (!tx.IsCoinbase()) {
                for (const TxIn& in : tx.inputs()) replay.SpendCoin(in.prevout);
            }
            if (auto added = AddTransactionCoins(replay, tx, static_cast<uint32_t>(index->height),
                                                 /*check_overwrite=*/true);
                !added) {
                return Error{"replaying block " + index->hash.GetHex() + ": " + added.error_message()};
            }
        }
    }
    replay.SetBestBlock(to->hash);
    if (auto flushed = replay.Flush(); !flushed) return flushed;
    LogInfo("chainstate: recovered to {} (height {})", to->hash.GetHex(), to->height);
    return {};
}

Result<void> Chainstate::Reindex()
{
    // The index and coins were wiped; re-accept every stored block at its
    // position. A block downloaded before its parent (headers-first) sits
    // before it in the files: it waits, by position only, until its parent
    // is accepted. Load connects everything afterwards.
    LogInfo("Reindexing block files...");
    size_t accepted = 0;
    size_t rejected = 0;
    std::multimap<uint256, FlatFilePos> waiting_for_parent;
    bool failed{false};
    // Accepts `block`, then every waiting descendant it unlocks.
    const auto accept = [&](Block first, const FlatFilePos& first_pos) {
        std::vector<std::pair<Block, FlatFilePos>> queue;
        queue.emplace_back(std::move(first), first_pos);
        while (!queue.empty() && !failed) {
            auto [block, pos] = std::move(queue.back());
            queue.pop_back();
            BlockValidationState state;
            if (AcceptBlock(block, state, nullptr, /*force_processing=*/true, &pos)) {
                if (++accepted % 1000 == 0) LogInfo("Reindexing: {} blocks", accepted);
                const auto [begin, end] = waiting_for_parent.equal_range(block.GetHash());
                for (auto it = begin; it != end; ++it) {
                    auto child = m_storage->ReadBlock(it->second);
                    if (child) queue.emplace_back(std::move(*child), it->second);
                }
                waiting_for_parent.erase(begin, end);
            } else if (state.IsError()) {
                failed = true;
            } else if (state.GetFailure() == BlockFailure::MISSING_PREV) {
                waiting_for_parent.emplace(block.header.prev_block, pos);
            } else if (state.GetFailure() != BlockFailure::DUPLICATE) {
                ++rejected;
                LogDebug(LogCategory::VALIDATION, "reindex: block {} rejected: {}", block.GetHash().GetHex(),
                         state.ToString());
            }
        }
    };
    auto scanned = m_storage->ForEachBlock([&](const FlatFilePos& pos, Block&& block) {
        if (block.GetHash() == m_params.genesis_hash) {
            LockGuard change{m_change_mutex};
            LockGuard lock{m_mutex};
            if (Lookup(m_params.genesis_hash) == nullptr) {
                if (auto genesis = InitGenesis(&pos); !genesis) return false;
            }
            return true;
        }
        accept(std::move(block), pos);
        return !failed;
    });
    if (!scanned) return Error{"reindex: " + scanned.error_message()};
    if (failed || m_fatal_error) return Error{"reindex stopped by a system error (see the log)"};
    LogInfo("Reindexed {} blocks ({} rejected, {} without a parent, {} damaged file tails)", accepted, rejected,
            waiting_for_parent.size(), *scanned);
    return {};
}

Result<void> Chainstate::FlushIfNeeded(bool force)
{
    const int64_t now = Now();
    const bool cache_full = m_coins->DynamicMemoryUsage() > m_options.coins_cache_bytes;
    const bool periodic = now - m_last_flush >= m_options.flush_interval_seconds;
    const bool flush_coins = force || cache_full || periodic;
    // The block index makes stored blocks survive a crash. Caught up with the
    // best header (a new block at the tip), it is written at once; while
    // catching up (more blocks known to come), with the coins or once
    // BLOCK_INDEX_WRITE_INTERVAL passed since the last write (a steady clock:
    // mock time must not stop it). Files first: an index entry or a coin
    // must never point at data a crash could lose.
    const auto steady_now = std::chrono::steady_clock::now();
    const bool catching_up = m_best_header != nullptr && m_best_header->chain_work > m_chain.Tip()->chain_work;
    const bool write_index = !m_dirty.empty() && (flush_coins || !catching_up ||
                                                  steady_now - m_last_index_write >= BLOCK_INDEX_WRITE_INTERVAL);
    if (write_index || flush_coins) {
        if (auto synced = m_storage->FlushFiles(); !synced) return synced;
    }
    if (write_index) {
        m_last_index_write = steady_now;
        std::vector<BlockIndexRecord> records;
        records.reserve(m_dirty.size());
        for (const BlockIndex* index : m_dirty) {
            // Headers alone are not worth a write (they are cheap to fetch
            // again and bounded in memory); blocks and invalid marks are.
            if (index->HasStatus(BlockStatus::HAVE_DATA) || index->IsInvalid()) records.push_back(index->ToRecord());
        }
        // Synced whenever coins follow: a durable coins best block must never
        // name a block whose index record a power cut could still lose.
        if (auto written = m_index_db->WriteRecords(records, /*sync=*/flush_coins); !written) return written;
        m_dirty.clear();
    }
    if (flush_coins) {
        // Sync keeps the cache warm unless it is over budget.
        auto flushed = cache_full ? m_coins->Flush() : m_coins->Sync();
        if (!flushed) return flushed;
        m_last_flush = now;
    }
    return {};
}

Result<void> Chainstate::Flush()
{
    LockGuard change{m_change_mutex};
    if (m_fatal_error) return Error{"the chainstate stopped after a system error"};
    LockGuard lock{m_mutex};
    auto flushed = FlushIfNeeded(/*force=*/true);
    if (!flushed) FatalError("Failed to write to the chainstate: " + flushed.error_message());
    return flushed;
}

void Chainstate::AddListener(ChainListener* listener)
{
    LockGuard change{m_change_mutex};
    LockGuard lock{m_mutex};
    m_listeners.push_back(listener);
}

void Chainstate::RemoveListener(ChainListener* listener)
{
    // ActiveTipChanged runs under m_change_mutex: taking it here waits for a
    // callback in flight.
    LockGuard change{m_change_mutex};
    LockGuard lock{m_mutex};
    m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), listener), m_listeners.end());
}

int64_t Chainstate::Height() const
{
    LockGuard lock{m_mutex};
    return m_chain.Height();
}

uint256 Chainstate::TipHash() const
{
    LockGuard lock{m_mutex};
    return m_chain.Tip()->hash;
}

BlockInfo Chainstate::MakeInfo(const BlockIndex& index) const
{
    BlockInfo info;
    info.hash = index.hash;
    info.header = index.header;
    info.height = index.height;
    info.chain_work = index.chain_work;
    info.status = index.status;
    info.tx_count = index.tx_count;
    info.chain_tx_count = index.chain_tx_count;
    info.median_time_past = MedianTimePast(&index);
    info.in_active_chain = m_chain.Contains(&index);
    if (info.in_active_chain) {
        info.confirmations = m_chain.Height() - index.height + 1;
        if (const BlockIndex* next = m_chain.Next(&index)) info.next_hash = next->hash;
    }
    return info;
}

BlockInfo Chainstate::TipInfo() const
{
    LockGuard lock{m_mutex};
    return MakeInfo(*m_chain.Tip());
}

std::optional<BlockInfo> Chainstate::GetBlockInfo(const uint256& hash) const
{
    LockGuard lock{m_mutex};
    const BlockIndex* index = Lookup(hash);
    if (index == nullptr) return std::nullopt;
    return MakeInfo(*index);
}

std::optional<uint256> Chainstate::GetBlockHashAt(int64_t height) const
{
    LockGuard lock{m_mutex};
    const BlockIndex* index = m_chain[height];
    if (index == nullptr) return std::nullopt;
    return index->hash;
}

Result<Block> Chainstate::ReadBlock(const uint256& hash) const
{
    FlatFilePos pos;
    {
        LockGuard lock{m_mutex};
        const BlockIndex* index = Lookup(hash);
        if (index == nullptr) return Error{"Block not found"};
        if (!index->HasStatus(BlockStatus::HAVE_DATA)) return Error{"Block not available"};
        pos = index->data_pos;
    }
    // A stored block's position never changes and its record is complete
    // before the index says HAVE_DATA: read it with no lock held.
    return m_storage->ReadBlock(pos, hash);
}

Result<BlockUndo> Chainstate::ReadBlockUndo(const uint256& hash) const
{
    FlatFilePos pos;
    {
        LockGuard lock{m_mutex};
        const BlockIndex* index = Lookup(hash);
        if (index == nullptr) return Error{"Block not found"};
        if (!index->HasStatus(BlockStatus::HAVE_UNDO) || index->undo_pos.IsNull()) {
            return Error{"Undo data not available"};
        }
        pos = index->undo_pos;
    }
    // As ReadBlock: a written undo record never moves.
    return m_storage->ReadUndo(pos, hash);
}

std::optional<Coin> Chainstate::GetCoin(const OutPoint& outpoint) const
{
    LockGuard lock{m_mutex};
    return m_coins->GetCoin(outpoint);
}

void Chainstate::WithCoins(const std::function<void(const std::function<std::optional<Coin>(const OutPoint&)>&,
                                                    int64_t, int64_t)>& fn) const
{
    LockGuard lock{m_mutex};
    const auto lookup = [this](const OutPoint& outpoint) NO_THREAD_SAFETY_ANALYSIS {
        return m_coins->GetCoin(outpoint);
    };
    fn(lookup, m_chain.Height(), MedianTimePast(m_chain.Tip()));
}

Result<UtxoStats> Chainstate::GetUtxoStats()
{
    std::optional<CoinsViewDB::Snapshot> snapshot;
    {
        LockGuard change{m_change_mutex};
        if (m_fatal_error) return Error{"the chainstate stopped after a system error"};
        LockGuard lock{m_mutex};
        if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed) {
            FatalError("Failed to write to the chainstate: " + flushed.error_message());
            return flushed.error();
        }
        // Taken while no flush can run: the snapshot is one consistent state.
        snapshot.emplace(*m_coins_db);
    }
    return ComputeUtxoStats(*m_coins_db, &*snapshot);
}

Result<uint256> Chainstate::ScanCoins(const std::function<bool(const OutPoint&, const Coin&)>& visit)
{
    std::optional<CoinsViewDB::Snapshot> snapshot;
    {
        LockGuard change{m_change_mutex};
        if (m_fatal_error) return Error{"the chainstate stopped after a system error"};
        LockGuard lock{m_mutex};
        if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed) {
            FatalError("Failed to write to the chainstate: " + flushed.error_message());
            return flushed.error();
        }
        snapshot.emplace(*m_coins_db);
    }
    return m_coins_db->ForEachCoinWhile(visit, &*snapshot);
}

std::vector<ChainTipInfo> Chainstate::GetChainTips() const
{
    LockGuard lock{m_mutex};
    // A tip is a block no other known block builds on.
    std::set<const BlockIndex*> has_child;
    for (const auto& [hash, entry] : m_index) {
        if (entry->prev != nullptr) has_child.insert(entry->prev);
    }
    std::vector<ChainTipInfo> tips;
    for (const auto& [hash, entry] : m_index) {
        const BlockIndex* index = entry.get();
        if (has_child.count(index) != 0 && index != m_chain.Tip()) continue;
        ChainTipInfo tip;
        tip.hash = index->hash;
        tip.height = index->height;
        const BlockIndex* fork = m_chain.FindFork(index);
        tip.branch_length = index->height - (fork ? fork->height : 0);
        if (m_chain.Contains(index)) {
            tip.status = "active";
        } else if (index->IsInvalid()) {
            tip.status = "invalid";
        } else if (!index->HasStatus(BlockStatus::HAVE_DATA)) {
            tip.status = "headers-only";
        } else if (index->HasStatus(BlockStatus::VALID_SCRIPTS)) {
            tip.status = "valid-fork";
        } else {
            tip.status = "valid-headers";
        }
        tips.push_back(std::move(tip));
    }
    std::sort(tips.begin(), tips.end(), [](const ChainTipInfo& a, const ChainTipInfo& b) {
        return a.height != b.height ? a.height > b.height : a.hash < b.hash;
    });
    return tips;
}

Chainstate::NextBlockContext Chainstate::GetNextBlockContext() const
{
    LockGuard lock{m_mutex};
    const BlockIndex* tip = m_chain.Tip();
    NextBlockContext context;
    context.height = tip->height + 1;
    context.bits = NextWorkRequired(m_params, tip->height, tip->header.time);
    context.min_time = MedianTimePast(tip) + 1;
    context.prev_hash = tip->hash;
    return context;
}

ArithUint512 Chainstate::TipChainWork() const
{
    LockGuard lock{m_mutex};
    return m_chain.Tip()->chain_work;
}

int64_t Chainstate::BestHeaderHeight() const
{
    LockGuard lock{m_mutex};
    return m_best_header ? std::max(m_best_header->height, m_chain.Height()) : m_chain.Height();
}

bool Chainstate::InitialDownloadLocked() const
{
    if (m_left_ibd.load()) return false;
    if (m_reindexing) return true;
    const BlockIndex* tip = m_chain.Tip();
    const bool ibd = m_params.network == Network::REGTEST ? tip->height == 0
                                                          : int64_t{tip->header.time} < Now() - MAX_TIP_AGE;
    if (!ibd) {
        m_left_ibd = true;
        LogInfo("Leaving InitialBlockDownload (latching to false)");
    }
    return ibd;
}

bool Chainstate::IsInitialBlockDownload() const
{
    if (m_left_ibd.load()) return false;
    LockGuard lock{m_mutex};
    return InitialDownloadLocked();
}

SyncProgress Chainstate::GetSyncProgress() const
{
    LockGuard lock{m_mutex};
    SyncProgress progress;
    progress.initial_block_download = InitialDownloadLocked();
    const int64_t genesis_time = m_params.genesis.header.time;
    progress.covered_seconds = std::max<int64_t>(0, int64_t{m_chain.Tip()->header.time} - genesis_time);
    progress.total_seconds = std::max<int64_t>(1, Now() - genesis_time);
    if (!progress.initial_block_download || progress.covered_seconds > progress.total_seconds) {
        progress.covered_seconds = progress.total_seconds;
    }
    return progress;
}

}  // namespace hpips
