// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOCK_INDEX_H
#define HPIPS_CHAIN_BLOCK_INDEX_H

#include <chain/blockindex_db.h>
#include <primitives/block.h>
#include <primitives/target.h>

#include <cstdint>
#include <vector>

/** The in-memory block tree: one BlockIndex per known header, linked to its
 *  parent, and the active chain as a vector from genesis to the tip.
 *  Not thread-safe: the chainstate owns every BlockIndex and serialises all
 *  access under its mutex. Entries are never freed while the chainstate
 *  lives, so raw pointers between them stay valid. */
namespace hpips {

/** What the node knows about one block header. */
struct BlockIndex {
    uint256 hash;
    BlockHeader header;
    /** The parent; nullptr only for genesis. */
    BlockIndex* prev{nullptr};
    /** An ancestor further back (for O(log n) GetAncestor). */
    BlockIndex* skip{nullptr};
    int64_t height{0};
    /** Σ BlockWork(target) from genesis to this block. */
    ArithUint512 chain_work{0};
    /** BlockStatus bits (blockindex_db.h). */
    uint32_t status{0};
    FlatFilePos data_pos;
    FlatFilePos undo_pos;
    uint32_t tx_count{0};
    /** Order in which full block data arrived (first seen wins a work tie);
     *  0 for blocks loaded from disk, which were all seen before any new one. */
    uint64_t sequence_id{0};
    /** This block and every ancestor have data: the chain up to here can be
     *  connected (Core's nChainTx != 0). Derived, not stored. */
    bool data_linked{false};
    /** Transactions from genesis up to and including this block, known once
     *  data_linked (Core's nChainTx; getchaintxstats reads it). Derived, not
     *  stored: LinkBlockData sums it as the block joins its linked parent. */
    uint64_t chain_tx_count{0};

    bool HasStatus(BlockStatus flag) const { return (status & StatusBit(flag)) != 0; }
    void SetStatus(BlockStatus flag) { status |= StatusBit(flag); }
    void ClearStatus(BlockStatus flag) { status &= ~StatusBit(flag); }
    /** FAILED or FAILED_CHILD. */
    bool IsInvalid() const { return HasStatus(BlockStatus::FAILED) || HasStatus(BlockStatus::FAILED_CHILD); }

    /** The ancestor at `height` (this block for its own height), or nullptr
     *  when `height` is negative or above this block. */
    const BlockIndex* GetAncestor(int64_t height) const;
    BlockIndex* GetAncestor(int64_t height);
    /** Sets `skip` from `prev`; call once after `prev` and `height` are set. */
    void BuildSkip();

    /** The record the block index database stores. */
    BlockIndexRecord ToRecord() const;
};

/** The last block both `a` and `b` descend from (nullptr if either is null). */
const BlockIndex* LastCommonAncestor(const BlockIndex* a, const BlockIndex* b);

/** The median of the times of `index` and up to MEDIAN_TIME_SPAN − 1 of its
 *  ancestors: the lower bound for the next block's time. */
int64_t MedianTimePast(const BlockIndex* index);

/** True when `a` is a better tip candidate than `b`: more work, or equal
 *  work and seen earlier (lower sequence id), then by hash for a total order. */
bool BetterCandidate(const BlockIndex* a, const BlockIndex* b);

/** The active chain: blocks by height from genesis to the tip. */
class ActiveChain {
public:
    /** The tip, or nullptr when empty. */
    BlockIndex* Tip() const { return m_blocks.empty() ? nullptr : m_blocks.back(); }
    BlockIndex* Genesis() const { return m_blocks.empty() ? nullptr : m_blocks.front(); }
    /** The tip's height; −1 when empty. */
    int64_t Height() const { return static_cast<int64_t>(m_blocks.size()) - 1; }
    /** The block at `height`, or nullptr outside [0, Height()]. */
    BlockIndex* operator[](int64_t height) const;
    /** Whether `index` is on the active chain. */
    bool Contains(const BlockIndex* index) const;
    /** The block after `index` on the active chain, or nullptr. */
    BlockIndex* Next(const BlockIndex* index) const;
    /** Makes `tip` (and its ancestors) the active chain; nullptr empties it. */
    void SetTip(BlockIndex* tip);
    /** The last block of the active chain that `index` descends from. */
    const BlockIndex* FindFork(const BlockIndex* index) const;

private:
    std::vector<BlockIndex*> m_blocks;
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOCK_INDEX_H
