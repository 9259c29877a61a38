// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/chainstate.h>

#include <chain/block_connect.h>
#include <consensus/block_check.h>
#include <consensus/pouw_check.h>
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

int64_t SystemNow()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

ParentInfo MakeParentInfo(const BlockIndex& parent)
{
    return ParentInfo{parent.height, parent.header.time, MedianTimePast(&parent)};
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
    LockGuard lock{m_mutex};
    if (m_coins) {
        if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed) {
            LogInfo("chainstate: final flush failed: {}", flushed.error_message());
        }
    }
}

int64_t Chainstate::Now() const { return m_options.now ? m_options.now() : SystemNow(); }

Result<std::unique_ptr<Chainstate>> Chainstate::Open(const ChainParams& params, ChainstateOptions options)
{
    std::unique_ptr<Chainstate> chainstate{new Chainstate{params, std::move(options)}};
    LockGuard lock{chainstate->m_mutex};
    if (auto loaded = chainstate->LoadLocked(); !loaded) return loaded.error();
    return chainstate;
}

Result<void> Chainstate::LoadLocked()
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
    auto coins_db = CoinsViewDB::Open(chainstate_dir, std::move(coins_options));
    if (!coins_db) return Error{"cannot open chainstate: " + coins_db.error_message()};
    m_coins_db = std::move(*coins_db);
    m_coins = std::make_unique<CoinsViewCache>(*m_coins_db);
    m_last_flush = Now();

    if (auto loaded = LoadBlockIndex(); !loaded) return loaded;
    if (m_options.reindex) {
        if (auto rebuilt = Reindex(); !rebuilt) return rebuilt;
    }
    if (m_index.empty()) {
        if (auto genesis = InitGenesis(); !genesis) return genesis;
    }
    if (const auto marker = m_coins_db->GetFlushMarker()) {
        if (auto recovered = RecoverInterruptedFlush(*marker); !recovered) return recovered;
    }

    const uint256 best = m_coins_db->GetBestBlock();
    BlockIndex* tip = Lookup(best);
    if (tip == nullptr) return Error{"chainstate best block " + best.GetHex() + " is not in the block index"};
    m_chain.SetTip(tip);
    // A crash after invalidateblock and before the next flush leaves the
    // coins on a block now marked invalid: step back to valid ground.
    while (m_chain.Tip()->IsInvalid() && m_chain.Tip()->prev != nullptr) {
        if (auto disconnected = DisconnectTip(); !disconnected) return disconnected;
    }
    tip = m_chain.Tip();
    LogInfo("Loaded best chain: hashBestChain={} height={} blocks_known={}", tip->hash.GetHex(), tip->height,
            m_index.size());

    // Blocks stored but not connected before a shutdown or crash. (Genesis,
    // recovery and reindex flushed already; nothing else needs a write now.)
    BlockValidationState state;
    ActivateBestChain(state, nullptr);
    return FlushIfNeeded(/*force=*/false);
}

Result<void> Chainstate::LoadBlockIndex()
{
    auto records = m_index_db->LoadAll();
    if (!records) return Error{"cannot read block index: " + records.error_message()};
    // Parents before children: sort by height, then link.
    std::sort(records->begin(), records->end(),
              [](const BlockIndexRecord& a, const BlockIndexRecord& b) { return a.height < b.height; });
    for (const auto& record : *records) {
        auto entry = std::make_unique<BlockIndex>();
        entry->hash = record.GetHash();
        entry->header = record.header;
        entry->height = record.height;
        entry->status = record.status;
        entry->data_pos = record.data_pos;
        entry->undo_pos = record.undo_pos;
        entry->tx_count = record.tx_count;
        if (record.height == 0) {
            if (entry->hash != m_params.genesis_hash) return Error{"block index has a foreign genesis block"};
        } else {
            entry->prev = Lookup(record.header.prev_block);
            if (entry->prev == nullptr || entry->prev->height + 1 != entry->height) {
                return Error{"block index entry " + entry->hash.GetHex() + " has no parent"};
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
        if (!raw->IsInvalid() && raw->HasStatus(BlockStatus::HAVE_DATA)) m_candidates.insert(raw);
    }
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
    index->data_pos = pos;
    index->tx_count = static_cast<uint32_t>(genesis.txs.size());
    index->status |= CONNECTED_BITS | StatusBit(BlockStatus::HAVE_DATA);
    SetDirty(index);
    m_candidates.insert(index);
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

BlockIndex* Chainstate::AddToIndex(const BlockHeader& header)
{
    const uint256 hash = header.GetHash();
    if (BlockIndex* existing = Lookup(hash)) return existing;
    auto entry = std::make_unique<BlockIndex>();
    entry->hash = hash;
    entry->header = header;
    entry->prev = Lookup(header.prev_block);
    entry->height = entry->prev ? entry->prev->height + 1 : 0;
    const auto target = TargetFromBits(header.bits);
    entry->chain_work = (entry->prev ? entry->prev->chain_work : ArithUint512{0}) +
                        (target ? BlockWork(*target) : ArithUint512{0});
    entry->status = StatusBit(BlockStatus::VALID_TREE);
    if (entry->prev != nullptr && entry->prev->IsInvalid()) entry->SetStatus(BlockStatus::FAILED_CHILD);
    entry->BuildSkip();
    BlockIndex* raw = entry.get();
    m_index.emplace(hash, std::move(entry));
    SetDirty(raw);
    return raw;
}

void Chainstate::SetDirty(BlockIndex* index) { m_dirty.insert(index); }

bool Chainstate::ProcessNewBlock(const Block& block, BlockValidationState& state, bool* new_block)
{
    LockGuard lock{m_mutex};
    if (!AcceptBlock(block, state, new_block)) return false;
    BlockValidationState activate_state;
    if (!ActivateBestChain(activate_state, &block)) {
        state = activate_state;
        return false;
    }
    // A block that failed to connect was accepted (stored) but is invalid:
    // report why, as submitblock does.
    const BlockIndex* index = Lookup(block.GetHash());
    if (index != nullptr && index->IsInvalid() && activate_state.IsInvalid()) {
        state = activate_state;
        return false;
    }
    return true;
}

bool Chainstate::AcceptBlock(const Block& block, BlockValidationState& state, bool* new_block,
                             const FlatFilePos* stored_pos)
{
    if (new_block) *new_block = false;
    const uint256 hash = block.GetHash();
    if (BlockIndex* known = Lookup(hash)) {
        if (known->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "duplicate-invalid");
        if (known->HasStatus(BlockStatus::HAVE_DATA)) return state.Invalid(BlockFailure::NONE, "duplicate");
    }
    if (hash == m_params.genesis_hash) return state.Invalid(BlockFailure::NONE, "duplicate");
    BlockIndex* parent = Lookup(block.header.prev_block);
    if (parent == nullptr) return state.Invalid(BlockFailure::MISSING_PREV, "prev-blk-not-found");
    // A failure that costs nothing to produce leaves no trace: remembering
    // it would let anyone fill the block index for free.
    if (parent->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "bad-prevblk");
    if (!ContextualCheckBlockHeader(block.header, MakeParentInfo(*parent), m_params, Now(), state)) return false;
    if (!CheckBlockHeaderProof(block.header, m_params, state)) return false;
    // The body, size first; a body that does not match its header (MUTATED)
    // says nothing about the header and is never remembered.
    BlockValidationState body_state;
    const bool body_ok = CheckBlock(block, body_state) && ContextualCheckBlock(block, MakeParentInfo(*parent), body_state);
    if (!body_ok && body_state.GetFailure() == BlockFailure::MUTATED) {
        state = body_state;
        return false;
    }
    // The full proof (one tile re-executed). Failing it means the header has
    // no real work behind it, or the opening was swapped (MUTATED): no trace.
    if (!CheckBlockProof(block, m_params, state)) return false;
    // Real work and an invalid body: remember the hash, so nobody makes us
    // check it again.
    if (!body_ok) {
        state = body_state;
        MarkInvalid(AddToIndex(block.header));
        return false;
    }

    // Data first, then the index entry that points at it.
    FlatFilePos pos;
    if (stored_pos != nullptr) {
        pos = *stored_pos;
    } else {
        auto written = m_storage->WriteBlock(block);
        if (!written) return state.Invalid(BlockFailure::NONE, "write-failed", written.error_message());
        pos = *written;
    }
    BlockIndex* index = AddToIndex(block.header);
    index->data_pos = pos;
    index->tx_count = static_cast<uint32_t>(block.txs.size());
    index->SetStatus(BlockStatus::HAVE_DATA);
    index->SetStatus(BlockStatus::VALID_TRANSACTIONS);
    index->sequence_id = m_next_sequence++;
    SetDirty(index);
    m_candidates.insert(index);
    if (m_best_header == nullptr || index->chain_work > m_best_header->chain_work) m_best_header = index;
    if (new_block) *new_block = true;
    LogDebug(LogCategory::VALIDATION, "accepted block {} height {}", hash.GetHex(), index->height);
    return true;
}

void Chainstate::MarkInvalid(BlockIndex* index)
{
    index->SetStatus(BlockStatus::FAILED);
    SetDirty(index);
    for (auto& [hash, entry] : m_index) {
        BlockIndex* other = entry.get();
        if (other != index && other->height > index->height && other->GetAncestor(index->height) == index &&
            !other->HasStatus(BlockStatus::FAILED_CHILD)) {
            other->SetStatus(BlockStatus::FAILED_CHILD);
            SetDirty(other);
        }
    }
    if (m_best_header != nullptr && m_best_header->IsInvalid()) {
        m_best_header = m_chain.Tip();
        for (auto& [hash, entry] : m_index) {
            if (!entry->IsInvalid() && entry->chain_work > m_best_header->chain_work) m_best_header = entry.get();
        }
    }
}

bool Chainstate::ConnectableFromActiveChain(const BlockIndex* index) const
{
    for (const BlockIndex* walk = index; walk != nullptr && !m_chain.Contains(walk); walk = walk->prev) {
        if (walk->IsInvalid() || !walk->HasStatus(BlockStatus::HAVE_DATA)) return false;
    }
    return true;
}

BlockIndex* Chainstate::FindBestCandidate()
{
    BlockIndex* tip = m_chain.Tip();
    while (!m_candidates.empty()) {
        BlockIndex* best = *m_candidates.begin();
        if (!ConnectableFromActiveChain(best)) {
            m_candidates.erase(m_candidates.begin());
            continue;
        }
        return BetterCandidate(best, tip) ? best : tip;
    }
    return tip;
}

bool Chainstate::ActivateBestChain(BlockValidationState& state, const Block* just_received)
{
    while (true) {
        BlockIndex* tip = m_chain.Tip();
        BlockIndex* best = FindBestCandidate();
        if (best == tip) break;
        const BlockIndex* fork = m_chain.FindFork(best);

        while (m_chain.Tip() != fork) {
            if (auto disconnected = DisconnectTip(); !disconnected) {
                LogInfo("chainstate: cannot disconnect block: {}", disconnected.error_message());
                return state.Invalid(BlockFailure::NONE, "disconnect-failed", disconnected.error_message());
            }
        }
        std::vector<BlockIndex*> path;
        for (BlockIndex* walk = best; walk != fork; walk = walk->prev) path.push_back(walk);
        std::reverse(path.begin(), path.end());
        for (BlockIndex* index : path) {
            const Block* known = (just_received != nullptr && just_received->GetHash() == index->hash)
                                     ? just_received
                                     : nullptr;
            if (!ConnectTip(index, known, state)) {
                if (state.GetFailure() == BlockFailure::CONSENSUS || state.GetFailure() == BlockFailure::POUW) {
                    LogInfo("chainstate: block {} at height {} is invalid: {}", index->hash.GetHex(), index->height,
                            state.ToString());
                    MarkInvalid(index);
                    break;  // pick the best remaining candidate
                }
                return false;  // a system error: stop, keep the current tip
            }
        }
    }
    if (auto flushed = FlushIfNeeded(/*force=*/false); !flushed) {
        return state.Invalid(BlockFailure::NONE, "flush-failed", flushed.error_message());
    }
    return true;
}

bool Chainstate::ConnectTip(BlockIndex* index, const Block* known_block, BlockValidationState& state)
{
    assert(index->prev == m_chain.Tip());
    Block loaded;
    if (known_block == nullptr) {
        auto read = m_storage->ReadBlock(index->data_pos, index->hash);
        if (!read) return state.Invalid(BlockFailure::NONE, "read-failed", read.error_message());
        loaded = std::move(*read);
        known_block = &loaded;
    }
    const auto start = std::chrono::steady_clock::now();
    CoinsViewCache overlay{*m_coins};
    // Blocks connected once before (a reorg back, or a restart) skip signatures.
    const bool check_signatures = !index->HasStatus(BlockStatus::VALID_SCRIPTS);
    auto undo = ConnectBlock(*known_block, index->height, m_params, overlay, check_signatures, state,
                             m_signature_checks.get());
    if (!undo) return false;
    auto undo_pos = m_storage->WriteUndo(*undo, index->hash);
    if (!undo_pos) return state.Invalid(BlockFailure::NONE, "write-failed", undo_pos.error_message());
    if (auto merged = overlay.Flush(); !merged) {
        return state.Invalid(BlockFailure::NONE, "coins-merge-failed", merged.error_message());
    }
    index->undo_pos = *undo_pos;
    index->status |= CONNECTED_BITS | StatusBit(BlockStatus::HAVE_UNDO);
    SetDirty(index);
    m_chain.SetTip(index);
    for (ChainListener* listener : m_listeners) listener->BlockConnected(*known_block, *index);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    // Progress against the best header known: exact integer permille-style
    // figure, so logs never depend on floating point.
    const int64_t headers = std::max(index->height, m_best_header != nullptr ? m_best_header->height : 0);
    const int64_t progress_millionths = headers > 0 ? index->height * 1'000'000 / headers : 1'000'000;
    LogInfo("UpdateTip: new best={} height={} headers={} progress={}.{:06} txs={} connect={}us", index->hash.GetHex(),
            index->height, headers, progress_millionths / 1'000'000, progress_millionths % 1'000'000,
            known_block->txs.size(), micros);
    // Flush when due even in the middle of a long catch-up (reindex, a deep
    // reorg), so the cache stays within -dbcache and progress survives a crash.
    // The crash knob wants flushes everywhere, so crashes land everywhere.
    if (auto flushed = FlushIfNeeded(/*force=*/m_options.crash_ratio != 0); !flushed) {
        return state.Invalid(BlockFailure::NONE, "flush-failed", flushed.error_message());
    }
    return true;
}

Result<void> Chainstate::DisconnectTip()
{
    BlockIndex* tip = m_chain.Tip();
    if (tip == nullptr || tip->prev == nullptr) return Error{"cannot disconnect genesis"};
    auto block = m_storage->ReadBlock(tip->data_pos, tip->hash);
    if (!block) return Error{"cannot read block: " + block.error_message()};
    auto undo = m_storage->ReadUndo(tip->undo_pos, tip->hash);
    if (!undo) return Error{"cannot read undo data: " + undo.error_message()};
    CoinsViewCache overlay{*m_coins};
    if (DisconnectBlock(*block, *undo, overlay) != DisconnectResult::OK) {
        return Error{"undo data does not match the UTXO set for block " + tip->hash.GetHex()};
    }
    if (auto merged = overlay.Flush(); !merged) return merged;
    m_chain.SetTip(tip->prev);
    for (ChainListener* listener : m_listeners) listener->BlockDisconnected(*block, *tip);
    LogInfo("DisconnectTip: block={} height={}", tip->hash.GetHex(), tip->height);
    return FlushIfNeeded(/*force=*/false);
}

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
    // position (files hold parents before children: a block is only ever
    // stored once its parent is known). LoadLocked connects them afterwards.
    LogInfo("Reindexing block files...");
    size_t accepted = 0;
    size_t rejected = 0;
    auto scanned = m_storage->ForEachBlock([&](const FlatFilePos& pos, Block&& block) NO_THREAD_SAFETY_ANALYSIS {
        if (block.GetHash() == m_params.genesis_hash) {
            if (Lookup(m_params.genesis_hash) == nullptr) {
                if (auto genesis = InitGenesis(&pos); !genesis) return false;
            }
            return true;
        }
        BlockValidationState state;
        if (AcceptBlock(block, state, nullptr, &pos)) {
            if (++accepted % 1000 == 0) LogInfo("Reindexing: {} blocks", accepted);
        } else if (state.GetReason() != "duplicate") {
            ++rejected;
            LogDebug(LogCategory::VALIDATION, "reindex: block {} rejected: {}", block.GetHash().GetHex(),
                     state.ToString());
        }
        return true;
    });
    if (!scanned) return Error{"reindex: " + scanned.error_message()};
    LogInfo("Reindexed {} blocks ({} rejected, {} damaged file tails)", accepted, rejected, *scanned);
    return {};
}

Result<void> Chainstate::FlushIfNeeded(bool force)
{
    const int64_t now = Now();
    const bool cache_full = m_coins->DynamicMemoryUsage() > m_options.coins_cache_bytes;
    const bool periodic = now - m_last_flush >= m_options.flush_interval_seconds;
    // The block index is cheap to write and makes stored blocks survive a
    // crash; write it whenever it changed. Files first: an index entry or a
    // coin must never point at data a crash could lose.
    if (!m_dirty.empty() || force || cache_full || periodic) {
        if (auto synced = m_storage->FlushFiles(); !synced) return synced;
    }
    const bool flush_coins = force || cache_full || periodic;
    if (!m_dirty.empty()) {
        std::vector<BlockIndexRecord> records;
        records.reserve(m_dirty.size());
        for (const BlockIndex* index : m_dirty) records.push_back(index->ToRecord());
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
    LockGuard lock{m_mutex};
    return FlushIfNeeded(/*force=*/true);
}

bool Chainstate::InvalidateBlock(const uint256& hash, BlockValidationState& state)
{
    LockGuard lock{m_mutex};
    BlockIndex* index = Lookup(hash);
    if (index == nullptr) return state.Invalid(BlockFailure::NONE, "block-not-found", "Block not found");
    if (index->height == 0) return state.Invalid(BlockFailure::NONE, "genesis", "cannot invalidate genesis");
    while (m_chain.Contains(index)) {
        if (auto disconnected = DisconnectTip(); !disconnected) {
            return state.Invalid(BlockFailure::NONE, "disconnect-failed", disconnected.error_message());
        }
    }
    MarkInvalid(index);
    const bool activated = ActivateBestChain(state, nullptr);
    // Make the marks and the new tip durable now: a crash must not bring
    // the node back on the chain it was told to leave.
    if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed && activated) {
        return state.Invalid(BlockFailure::NONE, "flush-failed", flushed.error_message());
    }
    return activated;
}

bool Chainstate::ReconsiderBlock(const uint256& hash, BlockValidationState& state)
{
    LockGuard lock{m_mutex};
    BlockIndex* index = Lookup(hash);
    if (index == nullptr) return state.Invalid(BlockFailure::NONE, "block-not-found", "Block not found");
    for (auto& [other_hash, entry] : m_index) {
        BlockIndex* other = entry.get();
        const bool descendant = other->height >= index->height && other->GetAncestor(index->height) == index;
        const bool ancestor = index->GetAncestor(other->height) == other;
        if ((descendant || ancestor) && other->IsInvalid()) {
            other->ClearStatus(BlockStatus::FAILED);
            other->ClearStatus(BlockStatus::FAILED_CHILD);
            SetDirty(other);
            if (other->HasStatus(BlockStatus::HAVE_DATA)) m_candidates.insert(other);
            if (m_best_header == nullptr || other->chain_work > m_best_header->chain_work) m_best_header = other;
        }
    }
    const bool activated = ActivateBestChain(state, nullptr);
    if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed && activated) {
        return state.Invalid(BlockFailure::NONE, "flush-failed", flushed.error_message());
    }
    return activated;
}

void Chainstate::AddListener(ChainListener* listener)
{
    LockGuard lock{m_mutex};
    m_listeners.push_back(listener);
}

void Chainstate::RemoveListener(ChainListener* listener)
{
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
    LockGuard lock{m_mutex};
    const BlockIndex* index = Lookup(hash);
    if (index == nullptr) return Error{"Block not found"};
    if (!index->HasStatus(BlockStatus::HAVE_DATA)) return Error{"Block not available"};
    return m_storage->ReadBlock(index->data_pos, hash);
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
    LockGuard lock{m_mutex};
    if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed) return flushed.error();
    return ComputeUtxoStats(*m_coins_db);
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

}  // namespace hpips
