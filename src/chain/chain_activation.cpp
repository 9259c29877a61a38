// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Where the active chain moves: choosing the best chain, connecting and
// disconnecting blocks, invalidateblock / reconsiderblock (chainstate.h).
#include <chain/chainstate.h>

#include <chain/block_connect.h>
#include <util/logging.h>

#include <algorithm>
#include <cassert>
#include <chrono>
#include <deque>

namespace hpips {
namespace {

/** Status bits of a block that has been fully connected once. */
constexpr uint32_t CONNECTED_BITS = StatusBit(BlockStatus::VALID_TREE) | StatusBit(BlockStatus::VALID_TRANSACTIONS) |
                                    StatusBit(BlockStatus::VALID_CHAIN) | StatusBit(BlockStatus::VALID_SCRIPTS);

/** What to tell the operator when our own block or undo data is unreadable. */
constexpr const char* REINDEX_ADVICE = "Restart with -reindex to rebuild the block index and chainstate from the block files.";

}  // namespace

uint64_t Chainstate::TipMoves() const
{
    LockGuard lock{m_mutex};
    return m_tip_moves;
}

void Chainstate::NotifyTipChanged(uint64_t moves_before)
{
    uint256 tip;
    int64_t height{0};
    std::vector<ChainListener*> listeners;
    {
        LockGuard lock{m_mutex};
        if (m_tip_moves == moves_before) return;
        tip = m_chain.Tip()->hash;
        height = m_chain.Height();
        listeners = m_listeners;
    }
    // Listeners stay registered while m_change_mutex is held (RemoveListener
    // takes it), so the copy is safe to call without m_mutex.
    for (ChainListener* listener : listeners) listener->ActiveTipChanged(tip, height);
}

void Chainstate::LinkBlockData(BlockIndex* index)
{
    if (index->prev != nullptr && !index->prev->data_linked) {
        m_unlinked.emplace(index->prev, index);
        return;
    }
    std::deque<BlockIndex*> queue{index};
    while (!queue.empty()) {
        BlockIndex* linked = queue.front();
        queue.pop_front();
        linked->data_linked = true;
        linked->chain_tx_count = (linked->prev != nullptr ? linked->prev->chain_tx_count : 0) + linked->tx_count;
        if (!linked->IsInvalid()) m_candidates.insert(linked);
        const auto [first, last] = m_unlinked.equal_range(linked);
        for (auto it = first; it != last; ++it) queue.push_back(it->second);
        m_unlinked.erase(first, last);
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
        if (m_fatal_error) return state.Invalid(BlockFailure::SYSTEM, "system-error", "the node is shutting down");
        BlockIndex* best{nullptr};
        const BlockIndex* fork{nullptr};
        {
            LockGuard lock{m_mutex};
            best = FindBestCandidate();
            if (best == m_chain.Tip()) break;
            fork = m_chain.FindFork(best);
        }
        // Index links never change and we are the only writer: walk them
        // without m_mutex; each step below publishes under it.
        while (TipHash() != fork->hash) {
            if (!DisconnectTip(state)) return false;
        }
        std::vector<BlockIndex*> path;
        for (BlockIndex* walk = best; walk != fork; walk = walk->prev) path.push_back(walk);
        std::reverse(path.begin(), path.end());
        for (BlockIndex* index : path) {
            const Block* known = (just_received != nullptr && just_received->GetHash() == index->hash)
                                     ? just_received
                                     : nullptr;
            if (ConnectTip(index, known, state)) continue;
            if (!IsRememberedInvalid(state.GetFailure())) return false;  // a system failure: stop
            LogInfo("chainstate: block {} at height {} is invalid: {}", index->hash.GetHex(), index->height,
                    state.ToString());
            LockGuard lock{m_mutex};
            MarkInvalid(index);
            break;  // pick the best remaining candidate
        }
    }
    LockGuard lock{m_mutex};
    if (auto flushed = FlushIfNeeded(/*force=*/false); !flushed) {
        return FatalError(state, "Failed to write to the chainstate: " + flushed.error_message());
    }
    return true;
}

bool Chainstate::ConnectTip(BlockIndex* index, const Block* known_block, BlockValidationState& state)
{
    Block loaded;
    if (known_block == nullptr) {
        // No m_mutex: our own stored block, read while readers go on.
        auto read = m_storage->ReadBlock(index->data_pos, index->hash);
        if (!read) {
            return FatalError(state, "Failed to read block " + index->hash.GetHex() + " from " +
                                         m_storage->BlockFilePath(index->data_pos.file).string() + ": " +
                                         read.error_message() + ". " + REINDEX_ADVICE);
        }
        loaded = std::move(*read);
        known_block = &loaded;
    }
    const auto start = std::chrono::steady_clock::now();
    // A private overlay over the tip's coins: m_mutex is taken per lookup
    // only, so signature checks do not hold readers up.
    TipCoinsView tip_view{*this};
    CoinsViewCache overlay{tip_view};
    // Blocks connected once before (a reorg back, or a restart) skip signatures.
    const bool check_signatures = !index->HasStatus(BlockStatus::VALID_SCRIPTS);
    auto undo = ConnectBlock(*known_block, index->height, m_params, overlay, check_signatures, state,
                             m_signature_checks.get());
    if (!undo) return false;
    auto undo_pos = m_storage->WriteUndo(*undo, index->hash);
    if (!undo_pos) {
        return FatalError(state, "Failed to write undo data of block " + index->hash.GetHex() + ": " +
                                     undo_pos.error_message());
    }

    LockGuard lock{m_mutex};
    assert(index->prev == m_chain.Tip());
    if (auto merged = overlay.Flush(); !merged) {
        return FatalError(state, "Failed to update the coins cache: " + merged.error_message());
    }
    index->undo_pos = *undo_pos;
    index->status |= CONNECTED_BITS | StatusBit(BlockStatus::HAVE_UNDO);
    SetDirty(index);
    m_chain.SetTip(index);
    ++m_tip_moves;
    for (ChainListener* listener : m_listeners) listener->BlockConnected(*known_block, *index);
    const auto micros =
        std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start).count();
    // Progress against the best header known: exact integer figure, so logs
    // never depend on floating point.
    const int64_t headers = std::max(index->height, m_best_header != nullptr ? m_best_header->height : 0);
    const int64_t progress_millionths = headers > 0 ? index->height * 1'000'000 / headers : 1'000'000;
    LogInfo("UpdateTip: new best={} height={} headers={} progress={}.{:06} txs={} connect={}us", index->hash.GetHex(),
            index->height, headers, progress_millionths / 1'000'000, progress_millionths % 1'000'000,
            known_block->txs.size(), micros);
    // Flush when due even in the middle of a long catch-up (reindex, a deep
    // reorg), so the cache stays within -dbcache and progress survives a crash.
    // The crash knob wants flushes everywhere, so crashes land everywhere.
    if (auto flushed = FlushIfNeeded(/*force=*/m_options.crash_ratio != 0); !flushed) {
        return FatalError(state, "Failed to write to the chainstate: " + flushed.error_message());
    }
    return true;
}

bool Chainstate::DisconnectTip(BlockValidationState& state)
{
    BlockIndex* tip{nullptr};
    {
        LockGuard lock{m_mutex};
        tip = m_chain.Tip();
    }
    if (tip->prev == nullptr) return state.Invalid(BlockFailure::BAD_REQUEST, "genesis", "cannot disconnect genesis");
    // Our own data, read with no m_mutex. If it is unreadable or does not fit,
    // the node cannot follow the chain any more: stop and say how to repair.
    auto block = m_storage->ReadBlock(tip->data_pos, tip->hash);
    if (!block) {
        return FatalError(state, "Failed to read block " + tip->hash.GetHex() + " from " +
                                     m_storage->BlockFilePath(tip->data_pos.file).string() + ": " +
                                     block.error_message() + ". " + REINDEX_ADVICE);
    }
    const std::string undo_file = m_storage->UndoFilePath(tip->undo_pos.file).string();
    auto undo = m_storage->ReadUndo(tip->undo_pos, tip->hash);
    if (!undo) {
        return FatalError(state, "Corrupt undo data of block " + tip->hash.GetHex() + " in " + undo_file + ": " +
                                     undo.error_message() + ". " + REINDEX_ADVICE);
    }
    TipCoinsView tip_view{*this};
    CoinsViewCache overlay{tip_view};
    if (DisconnectBlock(*block, *undo, overlay) != DisconnectResult::OK) {
        return FatalError(state, "Undo data of block " + tip->hash.GetHex() + " in " + undo_file +
                                     " does not match the UTXO set. " + REINDEX_ADVICE);
    }

    LockGuard lock{m_mutex};
    if (auto merged = overlay.Flush(); !merged) {
        return FatalError(state, "Failed to update the coins cache: " + merged.error_message());
    }
    m_chain.SetTip(tip->prev);
    ++m_tip_moves;
    for (ChainListener* listener : m_listeners) listener->BlockDisconnected(*block, *tip);
    LogInfo("DisconnectTip: block={} height={}", tip->hash.GetHex(), tip->height);
    if (auto flushed = FlushIfNeeded(/*force=*/false); !flushed) {
        return FatalError(state, "Failed to write to the chainstate: " + flushed.error_message());
    }
    return true;
}

bool Chainstate::InvalidateBlock(const uint256& hash, BlockValidationState& state)
{
    LockGuard change{m_change_mutex};
    if (m_fatal_error) return state.Invalid(BlockFailure::SYSTEM, "system-error", "the node is shutting down");
    BlockIndex* index{nullptr};
    {
        LockGuard lock{m_mutex};
        index = Lookup(hash);
    }
    if (index == nullptr) return state.Invalid(BlockFailure::BAD_REQUEST, "block-not-found", "Block not found");
    if (index->height == 0) return state.Invalid(BlockFailure::BAD_REQUEST, "genesis", "cannot invalidate genesis");
    const uint64_t moves_before = TipMoves();
    bool ok = true;
    while (ok) {
        {
            LockGuard lock{m_mutex};
            if (!m_chain.Contains(index)) break;
        }
        ok = DisconnectTip(state);
    }
    if (ok) {
        {
            LockGuard lock{m_mutex};
            MarkInvalid(index);
        }
        ok = ActivateBestChain(state, nullptr);
        // Make the marks and the new tip durable now: a crash must not bring
        // the node back on the chain it was told to leave.
        LockGuard lock{m_mutex};
        if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed && ok) {
            ok = FatalError(state, "Failed to write to the chainstate: " + flushed.error_message());
        }
    }
    NotifyTipChanged(moves_before);
    return ok;
}

bool Chainstate::ReconsiderBlock(const uint256& hash, BlockValidationState& state)
{
    LockGuard change{m_change_mutex};
    if (m_fatal_error) return state.Invalid(BlockFailure::SYSTEM, "system-error", "the node is shutting down");
    const uint64_t moves_before = TipMoves();
    {
        LockGuard lock{m_mutex};
        BlockIndex* index = Lookup(hash);
        if (index == nullptr) return state.Invalid(BlockFailure::BAD_REQUEST, "block-not-found", "Block not found");
        for (auto& [other_hash, entry] : m_index) {
            BlockIndex* other = entry.get();
            const bool descendant = other->height >= index->height && other->GetAncestor(index->height) == index;
            const bool ancestor = index->GetAncestor(other->height) == other;
            if ((descendant || ancestor) && other->IsInvalid()) {
                other->ClearStatus(BlockStatus::FAILED);
                other->ClearStatus(BlockStatus::FAILED_CHILD);
                SetDirty(other);
                if (other->data_linked) m_candidates.insert(other);
                if (m_best_header == nullptr || other->chain_work > m_best_header->chain_work) m_best_header = other;
            }
        }
    }
    bool ok = ActivateBestChain(state, nullptr);
    {
        LockGuard lock{m_mutex};
        if (auto flushed = FlushIfNeeded(/*force=*/true); !flushed && ok) {
            ok = FatalError(state, "Failed to write to the chainstate: " + flushed.error_message());
        }
    }
    NotifyTipChanged(moves_before);
    return ok;
}

}  // namespace hpips
