// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Where a block enters the node and is validated before it is stored:
// ProcessNewBlock, ProcessNewBlockHeaders, TestBlockValidity (chainstate.h).
#include <chain/chainstate.h>

#include <chain/block_connect.h>
#include <consensus/block_check.h>
#include <consensus/pouw_check.h>
#include <util/logging.h>

namespace hpips {
namespace {

ParentInfo MakeParentInfo(const BlockIndex& parent)
{
    return ParentInfo{parent.height, parent.header.time, MedianTimePast(&parent)};
}

/** The total fee of a connected block: what its inputs spent (the undo
 *  data) minus what its non-coinbase outputs create. */
Amount BlockFees(const Block& block, const BlockUndo& undo)
{
    Amount fees{0};
    for (size_t t = 1; t < block.txs.size(); ++t) {
        for (const Coin& spent : undo.txs[t - 1].spent) fees += spent.out.amount;
        for (const TxOut& out : block.txs[t].outputs()) fees -= out.amount;
    }
    return fees;
}

}  // namespace

bool Chainstate::ProcessNewBlock(const Block& block, BlockValidationState& state, bool* new_block,
                                 bool force_processing)
{
    if (new_block) *new_block = false;
    if (m_fatal_error) return state.Invalid(BlockFailure::SYSTEM, "system-error", "the node is shutting down");
    if (!AcceptBlock(block, state, new_block, force_processing)) return false;

    LockGuard change{m_change_mutex};
    const uint64_t moves_before = TipMoves();
    BlockValidationState activate_state;
    const bool activated = ActivateBestChain(activate_state, &block);
    NotifyTipChanged(moves_before);
    if (!activated) {
        state = activate_state;
        return false;
    }
    // A block that failed to connect was accepted (stored) but is invalid:
    // report why, as submitblock does.
    LockGuard lock{m_mutex};
    const BlockIndex* index = Lookup(block.GetHash());
    if (index != nullptr && index->IsInvalid() && activate_state.IsInvalid()) {
        state = activate_state;
        return false;
    }
    return true;
}

bool Chainstate::PreCheckBlock(const Block& block, BlockValidationState& state, ParentInfo& parent_info,
                               bool force_processing, bool& worth_processing, bool& header_known) const
{
    worth_processing = true;
    header_known = false;
    const uint256 hash = block.GetHash();
    if (const BlockIndex* known = Lookup(hash)) {
        if (known->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "duplicate-invalid");
        if (known->HasStatus(BlockStatus::HAVE_DATA)) return state.Invalid(BlockFailure::DUPLICATE, "duplicate");
        // Only headers whose ticket passed CheckBlockHeaderProof enter the index.
        header_known = true;
    }
    if (hash == m_params.genesis_hash) return state.Invalid(BlockFailure::DUPLICATE, "duplicate");
    const BlockIndex* parent = Lookup(block.header.prev_block);
    if (parent == nullptr) return state.Invalid(BlockFailure::MISSING_PREV, "prev-blk-not-found");
    // A failure that costs nothing to produce leaves no trace: remembering
    // it would let anyone fill the block index for free.
    if (parent->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "bad-prevblk");
    parent_info = MakeParentInfo(*parent);
    if (!ContextualCheckBlockHeader(block.header, parent_info, m_params, Now(), state)) return false;
    if (!force_processing) {
        // An unrequested block is worth storing only if its chain could
        // become the tip (Core: "more or the same work").
        const auto target = TargetFromBits(block.header.bits);
        const ArithUint512 work = parent->chain_work + (target ? BlockWork(*target) : ArithUint512{0});
        worth_processing = work >= m_chain.Tip()->chain_work;
    }
    return true;
}

bool Chainstate::AcceptBlock(const Block& block, BlockValidationState& state, bool* new_block, bool force_processing,
                             const FlatFilePos* stored_pos)
{
    if (new_block) *new_block = false;
    ParentInfo parent;
    bool worth_processing{true};
    bool header_known{false};
    {
        LockGuard lock{m_mutex};
        if (!PreCheckBlock(block, state, parent, force_processing, worth_processing, header_known)) return false;
    }
    if (!worth_processing) {
        LogDebug(LogCategory::VALIDATION, "ignoring unrequested block {}: less work than the tip",
                 block.GetHash().GetHex());
        return true;
    }
    // With no lock held: the cheap ticket check, the body, then the full
    // proof (one tile re-executed), so readers and other blocks go on.
    if (!header_known && !CheckBlockHeaderProof(block.header, m_params, state)) return false;
    // The body, size first; a body that does not match its header (MUTATED)
    // says nothing about the header and is never remembered.
    BlockValidationState body_state;
    const bool body_ok = CheckBlock(block, body_state) && ContextualCheckBlock(block, parent, body_state);
    if (!body_ok && body_state.GetFailure() == BlockFailure::MUTATED) {
        state = body_state;
        return false;
    }
    // Failing the full proof means the header has no real work behind it, or
    // the opening was swapped (MUTATED): no trace either way.
    if (!CheckBlockOpening(block, m_params, state)) return false;

    LockGuard change{m_change_mutex};
    if (m_fatal_error) return state.Invalid(BlockFailure::SYSTEM, "system-error", "the node is shutting down");
    if (!body_ok) {
        // Real work and an invalid body: remember the hash, so nobody makes
        // us check it again.
        LockGuard lock{m_mutex};
        state = body_state;
        if (const BlockIndex* parent_index = Lookup(block.header.prev_block); parent_index && !parent_index->IsInvalid()) {
            MarkInvalid(AddToIndex(block.header));
            PruneHeadersOnly();
        }
        return false;
    }
    return StoreBlock(block, state, new_block, stored_pos);
}

bool Chainstate::StoreBlock(const Block& block, BlockValidationState& state, bool* new_block,
                            const FlatFilePos* stored_pos)
{
    const uint256 hash = block.GetHash();
    {
        // The index may have moved while the proof was checked without a lock.
        LockGuard lock{m_mutex};
        if (const BlockIndex* known = Lookup(hash)) {
            if (known->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "duplicate-invalid");
            if (known->HasStatus(BlockStatus::HAVE_DATA)) return state.Invalid(BlockFailure::DUPLICATE, "duplicate");
        }
        const BlockIndex* parent = Lookup(block.header.prev_block);
        if (parent == nullptr || parent->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "bad-prevblk");
    }
    // Data first (no m_mutex: only the holder of m_change_mutex appends),
    // then the index entry that points at it.
    FlatFilePos pos;
    if (stored_pos != nullptr) {
        pos = *stored_pos;
    } else {
        auto written = m_storage->WriteBlock(block);
        if (!written) return FatalError(state, "Failed to write block " + hash.GetHex() + ": " + written.error_message());
        pos = *written;
    }
    LockGuard lock{m_mutex};
    BlockIndex* index = AddToIndex(block.header);
    if (!index->HasStatus(BlockStatus::HAVE_DATA)) --m_headers_only;
    index->data_pos = pos;
    index->tx_count = static_cast<uint32_t>(block.txs.size());
    index->SetStatus(BlockStatus::HAVE_DATA);
    index->SetStatus(BlockStatus::VALID_TRANSACTIONS);
    index->sequence_id = m_next_sequence++;
    SetDirty(index);
    LinkBlockData(index);
    if (m_best_header == nullptr || index->chain_work > m_best_header->chain_work) m_best_header = index;
    if (new_block) *new_block = true;
    LogDebug(LogCategory::VALIDATION, "accepted block {} height {}", hash.GetHex(), index->height);
    return true;
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
    entry->BuildSkip();
    BlockIndex* raw = entry.get();
    m_index.emplace(hash, std::move(entry));
    ++m_headers_only;  // until its data arrives
    SetDirty(raw);
    return raw;
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

bool Chainstate::ProcessNewBlockHeaders(std::span<const BlockHeader> headers, BlockValidationState& state,
                                        uint256* last_accepted)
{
    if (m_fatal_error) return state.Invalid(BlockFailure::SYSTEM, "system-error", "the node is shutting down");
    // The ticket check is context-free: run it with no lock held.
    for (const BlockHeader& header : headers) {
        if (!CheckBlockHeaderProof(header, m_params, state)) return false;
    }
    LockGuard change{m_change_mutex};
    LockGuard lock{m_mutex};
    for (const BlockHeader& header : headers) {
        const uint256 hash = header.GetHash();
        if (const BlockIndex* known = Lookup(hash)) {
            if (known->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "duplicate-invalid");
            if (last_accepted) *last_accepted = hash;
            continue;
        }
        const BlockIndex* parent = Lookup(header.prev_block);
        if (parent == nullptr) return state.Invalid(BlockFailure::MISSING_PREV, "prev-blk-not-found");
        if (parent->IsInvalid()) return state.Invalid(BlockFailure::CACHED_INVALID, "bad-prevblk");
        if (!ContextualCheckBlockHeader(header, MakeParentInfo(*parent), m_params, Now(), state)) return false;
        BlockIndex* index = AddToIndex(header);
        if (m_best_header == nullptr || index->chain_work > m_best_header->chain_work) m_best_header = index;
        if (last_accepted) *last_accepted = hash;
    }
    PruneHeadersOnly();
    return true;
}

bool Chainstate::TestBlockValidity(const Block& block, BlockValidationState& state, TestBlockOptions options,
                                   Amount* fees)
{
    // The proof does not depend on the tip: check it before taking a lock.
    if (options.check_pouw && !CheckBlockProof(block, m_params, state)) return false;
    // The tip must not move while the block is checked against it.
    LockGuard change{m_change_mutex};
    ParentInfo parent;
    int64_t height{0};
    {
        LockGuard lock{m_mutex};
        const BlockIndex* tip = m_chain.Tip();
        if (block.header.prev_block != tip->hash) {
            return state.Invalid(BlockFailure::MISSING_PREV, "inconclusive-not-best-prevblk");
        }
        parent = MakeParentInfo(*tip);
        height = tip->height + 1;
    }
    if (!ContextualCheckBlockHeader(block.header, parent, m_params, Now(), state)) return false;
    if (!CheckBlock(block, state) || !ContextualCheckBlock(block, parent, state)) return false;
    // Connect on a throwaway overlay; signatures are checked with m_mutex
    // taken only per coin lookup.
    TipCoinsView tip_view{*this};
    CoinsViewCache overlay{tip_view};
    const auto undo =
        ConnectBlock(block, height, m_params, overlay, /*check_signatures=*/true, state, m_signature_checks.get());
    if (!undo) return false;
    if (fees) *fees = BlockFees(block, *undo);
    return true;
}

}  // namespace hpips
