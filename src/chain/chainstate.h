// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_CHAINSTATE_H
#define HPIPS_CHAIN_CHAINSTATE_H

#include <chain/block_connect.h>
#include <chain/block_index.h>
#include <chain/blockindex_db.h>
#include <chain/blockstorage.h>
#include <chain/coinsdb.h>
#include <chain/coins_view.h>
#include <chain/undo.h>
#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

/**
 * The chainstate: every known block, the active chain, the UTXO set, and the
 * rules that move between them (doc/chainstate.md, "Chain selection").
 *
 *   ProcessNewBlock  — checks a block (header context, body, PoUW), stores it,
 *                      and activates the best chain.
 *   ActivateBestChain— disconnects back to the fork point and connects the
 *                      most-work valid chain, block by block; a block that
 *                      fails to connect is marked invalid with its
 *                      descendants and the next best chain is tried.
 *   Flush            — block and undo files reach disk before the block index,
 *                      and both before the coins (which write a flush marker).
 *
 * Thread safety: every public method takes the chainstate's own mutex (there
 * is no global lock). Listeners are called with it held; they must not call
 * back into the chainstate.
 */
namespace hpips {

/** Notified, under the chainstate's lock, as the active chain changes
 *  (the mempool listens). */
class ChainListener {
public:
    virtual ~ChainListener() = default;
    /** `block` was connected at the tip (`index`). */
    virtual void BlockConnected(const Block& /*block*/, const BlockIndex& /*index*/) {}
    /** `block` was disconnected from the tip; its parent is now the tip. */
    virtual void BlockDisconnected(const Block& /*block*/, const BlockIndex& /*index*/) {}
};

/** How to open a chainstate. */
struct ChainstateOptions {
    /** The network's data directory (blocks/ and chainstate/ go below it). */
    std::filesystem::path datadir;
    /** Bytes of coins cache before a flush is forced (-dbcache). */
    size_t coins_cache_bytes{450u << 20};
    /** Seconds between periodic flushes of the coins cache. */
    int64_t flush_interval_seconds{60};
    /** Regtest test knob (-dbcrashratio): exit abruptly in mid-flush with
     *  probability 1/crash_ratio; also flushes after every block so crashes
     *  land everywhere. 0 = off. */
    uint32_t crash_ratio{0};
    /** Rebuild the block index and coins from the block files (-reindex). */
    bool reindex{false};
    /** Threads verifying a block's signatures, the connecting one included
     *  (-par): 0 = one per core; capped at MAX_SCRIPT_CHECK_THREADS; 1 = no
     *  extra thread (ScriptCheckThreads in block_connect.h). */
    int64_t script_check_threads{0};
    /** The node's clock (seconds); the future-time rule compares against it. */
    std::function<int64_t()> now;
};

/** One tip of the block tree, as getchaintips reports it. */
struct ChainTipInfo {
    uint256 hash;
    int64_t height{0};
    /** Blocks from the tip back to the active chain (0 for the active tip). */
    int64_t branch_length{0};
    /** "active", "valid-fork", "valid-headers", "headers-only" or "invalid". */
    std::string status;
};

/** Summary of one known block for RPC. */
struct BlockInfo {
    uint256 hash;
    BlockHeader header;
    int64_t height{0};
    ArithUint512 chain_work{0};
    uint32_t status{0};
    uint32_t tx_count{0};
    int64_t median_time_past{0};
    bool in_active_chain{false};
    std::optional<uint256> next_hash;
    /** Blocks on the active chain above this one, plus one; 0 when off the active chain (-1 in RPC). */
    int64_t confirmations{0};
};

/** The chainstate (see the file comment). */
class Chainstate {
public:
    /** Opens the databases and files below options.datadir, loads the block
     *  index, repairs a cut-short coins flush, writes genesis on first start,
     *  and connects any stored blocks that are not yet connected. */
    static Result<std::unique_ptr<Chainstate>> Open(const ChainParams& params, ChainstateOptions options);
    ~Chainstate();
    Chainstate(const Chainstate&) = delete;
    Chainstate& operator=(const Chainstate&) = delete;

    /** Checks, stores and (if it leads the best chain) connects `block`.
     *  Returns false with `state` set when the block is invalid or cannot be
     *  placed; `new_block` says whether it was new to us. A block whose body
     *  does not match its header (MUTATED) or that is too far in the future is
     *  refused without remembering its hash as invalid. */
    bool ProcessNewBlock(const Block& block, BlockValidationState& state, bool* new_block = nullptr)
        LOCKS_EXCLUDED(m_mutex);

    /** Marks `hash` and its descendants invalid and moves the tip off them. */
    bool InvalidateBlock(const uint256& hash, BlockValidationState& state) LOCKS_EXCLUDED(m_mutex);
    /** Clears the invalid marks of `hash`, its ancestors and descendants, and
     *  activates the best chain again. */
    bool ReconsiderBlock(const uint256& hash, BlockValidationState& state) LOCKS_EXCLUDED(m_mutex);

    /** Writes everything to disk (shutdown, or an RPC that needs the set on disk). */
    Result<void> Flush() LOCKS_EXCLUDED(m_mutex);

    void AddListener(ChainListener* listener) LOCKS_EXCLUDED(m_mutex);
    void RemoveListener(ChainListener* listener) LOCKS_EXCLUDED(m_mutex);

    // Read access. Each call is consistent on its own.
    const ChainParams& Params() const { return m_params; }
    int64_t Height() const LOCKS_EXCLUDED(m_mutex);
    uint256 TipHash() const LOCKS_EXCLUDED(m_mutex);
    /** The tip's info (always exists: genesis at least). */
    BlockInfo TipInfo() const LOCKS_EXCLUDED(m_mutex);
    std::optional<BlockInfo> GetBlockInfo(const uint256& hash) const LOCKS_EXCLUDED(m_mutex);
    std::optional<uint256> GetBlockHashAt(int64_t height) const LOCKS_EXCLUDED(m_mutex);
    /** The full block from disk. */
    Result<Block> ReadBlock(const uint256& hash) const LOCKS_EXCLUDED(m_mutex);
    /** The unspent coin at `outpoint` in the tip's UTXO set. */
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const LOCKS_EXCLUDED(m_mutex);
    /** Calls `fn` with the coin of each outpoint (nullopt when missing), the
     *  tip height and the tip's median time past, all under one lock: what the
     *  mempool needs for one transaction. */
    void WithCoins(const std::function<void(const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                                            int64_t tip_height, int64_t tip_mtp)>& fn) const
        LOCKS_EXCLUDED(m_mutex);
    /** Flushes, then summarises the UTXO set on disk (gettxoutsetinfo). */
    Result<UtxoStats> GetUtxoStats() LOCKS_EXCLUDED(m_mutex);
    std::vector<ChainTipInfo> GetChainTips() const LOCKS_EXCLUDED(m_mutex);
    /** What the next block on the tip must carry: height, bits, the minimum
     *  time (median time past + 1) and the parent's hash. */
    struct NextBlockContext {
        int64_t height{0};
        uint32_t bits{0};
        int64_t min_time{0};
        uint256 prev_hash;
    };
    NextBlockContext GetNextBlockContext() const LOCKS_EXCLUDED(m_mutex);
    /** Total work of the active chain. */
    ArithUint512 TipChainWork() const LOCKS_EXCLUDED(m_mutex);
    /** Number of block headers known (getblockchaininfo's "headers"). */
    int64_t BestHeaderHeight() const LOCKS_EXCLUDED(m_mutex);

private:
    Chainstate(const ChainParams& params, ChainstateOptions options);

    Result<void> LoadLocked() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> LoadBlockIndex() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Indexes genesis; writes it to the block files unless `stored_pos` says where it is. */
    Result<void> InitGenesis(const FlatFilePos* stored_pos = nullptr) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> RecoverInterruptedFlush(const FlushMarker& marker) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> Reindex() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    /** Adds (or finds) the index entry of `header`, whose parent must be known. */
    BlockIndex* AddToIndex(const BlockHeader& header) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Checks and stores a block; with `stored_pos` (reindex) the block is
     *  already on disk there and is not written again. */
    bool AcceptBlock(const Block& block, BlockValidationState& state, bool* new_block,
                     const FlatFilePos* stored_pos = nullptr) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    bool ActivateBestChain(BlockValidationState& state, const Block* just_received)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    bool ConnectTip(BlockIndex* index, const Block* known_block, BlockValidationState& state)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> DisconnectTip() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Marks `index` FAILED and its descendants FAILED_CHILD. */
    void MarkInvalid(BlockIndex* index) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** True when `index` and every ancestor down to the active chain have
     *  data and are not known invalid: the branch can be connected. */
    bool ConnectableFromActiveChain(const BlockIndex* index) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** The best valid block with data, or the tip. */
    BlockIndex* FindBestCandidate() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void SetDirty(BlockIndex* index) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Writes files, index and coins when due (or always with `force`). */
    Result<void> FlushIfNeeded(bool force) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    BlockInfo MakeInfo(const BlockIndex& index) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    BlockIndex* Lookup(const uint256& hash) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    int64_t Now() const;

    const ChainParams& m_params;
    const ChainstateOptions m_options;
    /** ConnectBlock's signature checks (used under m_mutex; synchronised inside). */
    const std::unique_ptr<SignatureCheckQueue> m_signature_checks;

    mutable Mutex m_mutex;
    std::unique_ptr<BlockStorage> m_storage GUARDED_BY(m_mutex);
    std::unique_ptr<BlockIndexDB> m_index_db GUARDED_BY(m_mutex);
    std::unique_ptr<CoinsViewDB> m_coins_db GUARDED_BY(m_mutex);
    std::unique_ptr<CoinsViewCache> m_coins GUARDED_BY(m_mutex);
    /** Every known block; entries live as long as the chainstate. */
    std::map<uint256, std::unique_ptr<BlockIndex>> m_index GUARDED_BY(m_mutex);
    ActiveChain m_chain GUARDED_BY(m_mutex);
    /** Orders tip candidates best first (BetterCandidate). */
    struct CandidateOrder {
        bool operator()(const BlockIndex* a, const BlockIndex* b) const { return BetterCandidate(a, b); }
    };
    /** Blocks with data that may become the tip: every stored block not known
     *  to be invalid. Invalid entries are dropped lazily by FindBestCandidate. */
    std::set<BlockIndex*, CandidateOrder> m_candidates GUARDED_BY(m_mutex);
    /** Index entries changed since the last index flush. */
    std::set<BlockIndex*> m_dirty GUARDED_BY(m_mutex);
    BlockIndex* m_best_header GUARDED_BY(m_mutex){nullptr};
    uint64_t m_next_sequence GUARDED_BY(m_mutex){1};
    int64_t m_last_flush GUARDED_BY(m_mutex){0};
    std::vector<ChainListener*> m_listeners GUARDED_BY(m_mutex);
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_CHAINSTATE_H
