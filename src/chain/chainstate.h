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
#include <consensus/block_check.h>
#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <primitives/block.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <atomic>
#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <vector>

/**
 * The chainstate: every known block, the active chain, the UTXO set, and the
 * rules that move between them (doc/chainstate.md, "Chain selection").
 *
 * Blocks enter the node through one door, whoever brings them (RPC, the
 * miner, the network):
 *
 *   ProcessNewBlock        — checks a block (header context, body, PoUW),
 *                            stores it and activates the best chain
 *                            (block_accept.cpp, chain_activation.cpp).
 *   ProcessNewBlockHeaders — checks headers cheaply and indexes them as
 *                            headers-only (they never count as work).
 *   TestBlockValidity      — checks a block on the tip without storing it.
 *
 * Failures are BlockFailure classes (consensus/validation_state.h). A
 * SYSTEM failure (a write or read of our own data failed, undo data is
 * corrupt) is never blamed on the block: the chainstate calls
 * ChainstateOptions::fatal_error once and refuses further changes, and the
 * node shuts down with the message.
 *
 * Locks (acquire in this order; never the other way):
 *
 *   m_change_mutex — held by whoever changes the block tree or the active
 *       chain: storing a block, connecting and disconnecting, invalidating,
 *       flushing. One writer at a time. Held across block and undo file I/O
 *       and signature checks, but never taken by readers.
 *   m_mutex        — guards the in-memory index, the active chain and the
 *       coins cache. Readers take only this one, for short lookups. Changes
 *       take it after m_change_mutex, only to publish their result.
 *   (then Mempool::m_mutex, through the listeners)
 *
 * The PoUW check of a block (one tile re-executed) runs with no lock held,
 * so a second block and every reader are served while one block verifies;
 * block reads for RPC and the UTXO scan of gettxoutsetinfo (a LevelDB
 * snapshot) also run with no lock. BlockIndex fields are written only with
 * both locks held, so the holder of m_change_mutex may read them without
 * m_mutex. Coin flushes to LevelDB hold m_mutex (readers share the cache).
 */
namespace hpips {

/** Follows the active chain. BlockConnected / BlockDisconnected arrive with
 *  the chainstate's m_mutex held, as each block moves (they must be quick and
 *  must not call the chainstate); ActiveTipChanged arrives once a chain
 *  operation is over, without m_mutex, in order (the mempool re-accepts
 *  disconnected transactions there; it may read the chainstate but not
 *  change it). */
class ChainListener {
public:
    virtual ~ChainListener() = default;
    /** `block` was connected at the tip (`index`). */
    virtual void BlockConnected(const Block& /*block*/, const BlockIndex& /*index*/) {}
    /** `block` was disconnected from the tip; its parent is now the tip. */
    virtual void BlockDisconnected(const Block& /*block*/, const BlockIndex& /*index*/) {}
    /** A chain operation that moved the tip is over; `tip_hash` is the new tip. */
    virtual void ActiveTipChanged(const uint256& /*tip_hash*/, int64_t /*tip_height*/) {}
};

/** While the chain catches up with a better header chain (initial download,
 *  a reindex, a long reorg), the longest a stored or connected block waits
 *  before its block-index record (and the block and undo files it points
 *  into) reaches disk, unless a coins flush or the crash knob writes it
 *  sooner. Writing the index after every block cost two fdatasyncs per
 *  block, which bounded a fast download by the disk's sync latency; a crash
 *  then loses about this much of downloaded blocks, which are fetched again
 *  (Core waits up to an hour). A block that makes the tip the best header
 *  known (a new block, a mined one) is written at once, as before. */
constexpr std::chrono::milliseconds BLOCK_INDEX_WRITE_INTERVAL{1000};

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
    /** Called once, from the thread that hit it, when a system failure stops
     *  the chainstate (disk full, a failed write, corrupt undo data): the node
     *  shows the message and shuts down (Bitcoin Core's AbortNode). */
    std::function<void(const std::string& message)> fatal_error;
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
    /** Transactions from genesis to this block (0 while its chain lacks data). */
    uint64_t chain_tx_count{0};
    int64_t median_time_past{0};
    bool in_active_chain{false};
    std::optional<uint256> next_hash;
    /** Blocks on the active chain above this one, plus one; 0 when off the active chain (-1 in RPC). */
    int64_t confirmations{0};
};

/** A tip at least this old (seconds, by the node clock) means the node is
 *  still catching up (main and test networks). */
constexpr int64_t MAX_TIP_AGE = 24 * 60 * 60;

/** Most block index entries without block data (headers-only, and blocks
 *  remembered invalid from their header alone) kept in memory. Headers cost
 *  only a cheap ticket check to forge, so their number is capped: beyond it
 *  the lowest-work ones that nothing builds on are forgotten (they can be
 *  fetched again). About 400 bytes each: 20,000 is under 10 MiB, ten full
 *  `headers` messages (doc/chainstate.md, "Headers"). */
constexpr size_t MAX_HEADERS_ONLY = 20'000;
/** Most entries in a block locator (the P2P limit, doc/p2p.md). */
constexpr size_t MAX_LOCATOR_ENTRIES = 101;

/** Where initial block download stands: the share of the time from genesis
 *  to now that the tip covers, as an exact fraction (covered / total). */
struct SyncProgress {
    bool initial_block_download{false};
    int64_t covered_seconds{0};
    int64_t total_seconds{1};
};

/** What TestBlockValidity checks beyond the transactions. */
struct TestBlockOptions {
    /** Recompute the PoUW tile (false for a template that is not mined yet). */
    bool check_pouw{true};
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

    /** The one entry for a block, whoever brings it. Checks, stores and (if
     *  it leads the best chain) connects `block`. Returns false with `state`
     *  set when the block is invalid or cannot be placed (DUPLICATE when it
     *  is already stored); `new_block` says whether it was stored now. A
     *  MUTATED block or one too far in the future is refused without
     *  remembering its hash. Without `force_processing` (an unrequested block
     *  from a peer), a block is only stored when its chain would have at
     *  least the tip's work; otherwise it is ignored (true, not new).
     *  Cost: one PoUW tile and the block's signatures; the PoUW check runs
     *  with no lock held. */
    bool ProcessNewBlock(const Block& block, BlockValidationState& state, bool* new_block = nullptr,
                         bool force_processing = true) LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** Checks `headers` (in order, each following a known header or the one
     *  before it) with the cheap rules — parent known
     *  and valid, context (bits, time), the header-only ticket check — and
     *  indexes them as headers-only. They never count as chain work before
     *  their blocks verify. Stops at the first failure. `last_accepted`
     *  gets the hash of the last header now known (also when already known). */
    bool ProcessNewBlockHeaders(std::span<const BlockHeader> headers, BlockValidationState& state,
                                uint256* last_accepted = nullptr) LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** Checks `block` as the next block on the current tip without storing
     *  it: header context, body, the PoUW proof unless options say not, and
     *  every transaction connected on a throwaway view (inputs, amounts,
     *  signatures, coinbase amount). `fees` receives the block's total fee.
     *  The tip cannot move while it runs. */
    bool TestBlockValidity(const Block& block, BlockValidationState& state, TestBlockOptions options = {},
                           Amount* fees = nullptr) LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** Marks `hash` and its descendants invalid and moves the tip off them. */
    bool InvalidateBlock(const uint256& hash, BlockValidationState& state) LOCKS_EXCLUDED(m_change_mutex, m_mutex);
    /** Clears the invalid marks of `hash`, its ancestors and descendants, and
     *  activates the best chain again. */
    bool ReconsiderBlock(const uint256& hash, BlockValidationState& state) LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** Writes everything to disk (shutdown, or an RPC that needs the set on disk). */
    Result<void> Flush() LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** Registers a listener (see ChainListener). */
    void AddListener(ChainListener* listener) LOCKS_EXCLUDED(m_change_mutex, m_mutex);
    /** Unregisters a listener; once it returns, no callback is running or
     *  will run on it. Must not be called from a callback. */
    void RemoveListener(ChainListener* listener) LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** True after a system failure stopped the chainstate (see the file comment). */
    bool HasFatalError() const { return m_fatal_error.load(); }

    // Read access. Each call is consistent on its own.
    const ChainParams& Params() const { return m_params; }
    int64_t Height() const LOCKS_EXCLUDED(m_mutex);
    uint256 TipHash() const LOCKS_EXCLUDED(m_mutex);
    /** The tip's info (always exists: genesis at least). */
    BlockInfo TipInfo() const LOCKS_EXCLUDED(m_mutex);
    std::optional<BlockInfo> GetBlockInfo(const uint256& hash) const LOCKS_EXCLUDED(m_mutex);
    std::optional<uint256> GetBlockHashAt(int64_t height) const LOCKS_EXCLUDED(m_mutex);
    /** The full block from disk (read with no lock held). */
    Result<Block> ReadBlock(const uint256& hash) const LOCKS_EXCLUDED(m_mutex);
    /** The undo data of a block that has been connected once (the coins its
     *  transactions spent; read with no lock held): what getblock 3 and
     *  getrawtransaction 2 show as fees and prevouts. An error when the block
     *  is unknown, genesis, or was never connected. */
    Result<BlockUndo> ReadBlockUndo(const uint256& hash) const LOCKS_EXCLUDED(m_mutex);
    /** The unspent coin at `outpoint` in the tip's UTXO set. */
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const LOCKS_EXCLUDED(m_mutex);
    /** Calls `fn` with the coin of each outpoint (nullopt when missing), the
     *  tip height and the tip's median time past, all under one lock: what the
     *  mempool needs for one transaction. */
    void WithCoins(const std::function<void(const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                                            int64_t tip_height, int64_t tip_mtp)>& fn) const
        LOCKS_EXCLUDED(m_mutex);
    /** Flushes, then summarises the UTXO set on disk (gettxoutsetinfo); the
     *  scan reads a database snapshot with no lock held. */
    Result<UtxoStats> GetUtxoStats() LOCKS_EXCLUDED(m_change_mutex, m_mutex);
    /** Flushes, then calls `visit` for every coin of one consistent snapshot
     *  of the UTXO set on disk, in outpoint order, with no lock held during
     *  the walk (scantxoutset); `visit` returns false to stop early. Returns
     *  the block the snapshot corresponds to. */
    Result<uint256> ScanCoins(const std::function<bool(const OutPoint&, const Coin&)>& visit)
        LOCKS_EXCLUDED(m_change_mutex, m_mutex);
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

    // What the network asks of the block tree (chain_sync.cpp).
    /** A block locator from `from` (the tip when nullopt or unknown): the
     *  last 10 hashes, then exponentially sparser back to genesis, at most
     *  MAX_LOCATOR_ENTRIES. */
    std::vector<uint256> GetLocator(const std::optional<uint256>& from = std::nullopt) const LOCKS_EXCLUDED(m_mutex);
    /** The headers of the active chain after the first `locator` hash on it
     *  (genesis when none is), up to and including `stop` (null: no stop), at
     *  most `max_count` (getheaders). */
    std::vector<BlockHeader> GetHeadersAfter(std::span<const uint256> locator, const uint256& stop,
                                             size_t max_count) const LOCKS_EXCLUDED(m_mutex);
    /** Blocks to download towards the known header `target`: those on its
     *  branch above the fork with the active chain, without data, not
     *  invalid, at most `max_height`, for which `skip` (blocks already
     *  requested) is false; at most `max_count`, lowest first. Empty when
     *  `target` is unknown, invalid, or has no more work than the tip. */
    std::vector<uint256> FindBlocksToDownload(const uint256& target, int64_t max_height, size_t max_count,
                                              const std::function<bool(const uint256&)>& skip) const
        LOCKS_EXCLUDED(m_mutex);
    /** Height and total work of a known header, and whether its block is
     *  stored; nullopt when unknown. */
    struct HeaderInfo {
        int64_t height{0};
        ArithUint512 chain_work{0};
        bool have_data{false};
        bool invalid{false};
        bool in_active_chain{false};
    };
    std::optional<HeaderInfo> GetHeaderInfo(const uint256& hash) const LOCKS_EXCLUDED(m_mutex);
    /** True when both headers are known and `ancestor` is `descendant` or
     *  one of its ancestors (a peer whose best block is `descendant` has
     *  `ancestor`). Cost: O(log height). */
    bool IsAncestorOrSelf(const uint256& ancestor, const uint256& descendant) const LOCKS_EXCLUDED(m_mutex);
    /** The hash of the most-work valid header known (tip or beyond). */
    uint256 BestHeaderHash() const LOCKS_EXCLUDED(m_mutex);
    /** Index entries without block data (see MAX_HEADERS_ONLY). */
    size_t HeadersOnlyCount() const LOCKS_EXCLUDED(m_mutex);

    /** Initial block download: on regtest, until the first block after
     *  genesis; on main and test, while reindexing or while the tip is older
     *  than MAX_TIP_AGE by the node clock. Once it ends it never comes back
     *  (as in Core). */
    bool IsInitialBlockDownload() const LOCKS_EXCLUDED(m_mutex);
    /** IsInitialBlockDownload and how far the tip has come (getblockchaininfo's
     *  verificationprogress is covered/total, or 1 once out of IBD). */
    SyncProgress GetSyncProgress() const LOCKS_EXCLUDED(m_mutex);

private:
    /** Reads the coins cache under m_mutex, so a block can be connected on a
     *  private overlay with the lock taken only per lookup (signatures are
     *  checked without it). BatchWrite (the overlay's merge) requires m_mutex
     *  held by the caller, so the merge and the tip move are one step. */
    class TipCoinsView;

    Chainstate(const ChainParams& params, ChainstateOptions options);

    Result<void> Load() LOCKS_EXCLUDED(m_change_mutex, m_mutex);
    Result<void> OpenDatabases() EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    Result<void> LoadBlockIndex() EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** Indexes genesis; writes it to the block files unless `stored_pos` says where it is. */
    Result<void> InitGenesis(const FlatFilePos* stored_pos = nullptr) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    Result<void> RecoverInterruptedFlush(const FlushMarker& marker) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** Makes the coins' best block the tip, preferred over other tips of
     *  equal work, and steps back off a tip marked invalid. */
    Result<void> LoadTip() EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex) LOCKS_EXCLUDED(m_mutex);
    Result<void> Reindex() LOCKS_EXCLUDED(m_change_mutex, m_mutex);

    /** Adds (or finds) the index entry of `header`, whose parent must be known. */
    BlockIndex* AddToIndex(const BlockHeader& header) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** The context checks of a block against the index, without its proof:
     *  known, parent, header context. Fills `parent`; `header_known` says the
     *  header is in the index already (so its ticket passed
     *  CheckBlockHeaderProof when it entered). */
    bool PreCheckBlock(const Block& block, BlockValidationState& state, ParentInfo& parent,
                       bool force_processing, bool& worth_processing, bool& header_known) const
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Checks and stores a block (PoUW check with no lock held); with
     *  `stored_pos` (reindex) the block is already on disk there. */
    bool AcceptBlock(const Block& block, BlockValidationState& state, bool* new_block, bool force_processing,
                     const FlatFilePos* stored_pos = nullptr) LOCKS_EXCLUDED(m_change_mutex, m_mutex);
    /** Stores a checked block and indexes it. */
    bool StoreBlock(const Block& block, BlockValidationState& state, bool* new_block, const FlatFilePos* stored_pos)
        EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex) LOCKS_EXCLUDED(m_mutex);
    bool ActivateBestChain(BlockValidationState& state, const Block* just_received)
        EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex) LOCKS_EXCLUDED(m_mutex);
    bool ConnectTip(BlockIndex* index, const Block* known_block, BlockValidationState& state)
        EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex) LOCKS_EXCLUDED(m_mutex);
    bool DisconnectTip(BlockValidationState& state) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex) LOCKS_EXCLUDED(m_mutex);
    /** Tells the listeners the tip moved, if it did since m_tip_moves was
     *  `moves_before`. */
    void NotifyTipChanged(uint64_t moves_before) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex) LOCKS_EXCLUDED(m_mutex);
    uint64_t TipMoves() const LOCKS_EXCLUDED(m_mutex);
    /** Marks `index` (whose data just arrived) data_linked when its parent
     *  is, makes it a candidate, and does the same for its stored
     *  descendants waiting in m_unlinked. */
    void LinkBlockData(BlockIndex* index) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** Forgets the lowest-work entries without data that nothing builds on
     *  until at most MAX_HEADERS_ONLY · 9/10 remain (chain_sync.cpp). */
    void PruneHeadersOnly() EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** Marks `index` FAILED and its descendants FAILED_CHILD. */
    void MarkInvalid(BlockIndex* index) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** True when `index` and every ancestor down to the active chain have
     *  data and are not known invalid: the branch can be connected. */
    bool ConnectableFromActiveChain(const BlockIndex* index) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** The best valid block with data, or the tip. */
    BlockIndex* FindBestCandidate() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void SetDirty(BlockIndex* index) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Writes files, index and coins when due (or always with `force`). */
    Result<void> FlushIfNeeded(bool force) EXCLUSIVE_LOCKS_REQUIRED(m_change_mutex, m_mutex);
    /** Records a system failure: logs it and calls options.fatal_error,
     *  once; the chainstate then refuses further changes. Thread-safe. */
    void FatalError(const std::string& message);
    /** FatalError, and fails `state` with BlockFailure::SYSTEM. Returns false. */
    bool FatalError(BlockValidationState& state, const std::string& message);
    BlockInfo MakeInfo(const BlockIndex& index) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    BlockIndex* Lookup(const uint256& hash) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    bool InitialDownloadLocked() const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    int64_t Now() const;

    const ChainParams& m_params;
    const ChainstateOptions m_options;
    /** ConnectBlock's signature checks, on a fixed pool (used by the holder
     *  of m_change_mutex, without m_mutex; synchronised inside). */
    const std::unique_ptr<SignatureCheckQueue> m_signature_checks;

    /** See the file comment; always taken before m_mutex. */
    mutable Mutex m_change_mutex;
    mutable Mutex m_mutex;
    /** Block and undo files. Appended to only under m_change_mutex; reads
     *  open their own file handles and are safe from any thread. Set once
     *  during Open. */
    std::unique_ptr<BlockStorage> m_storage;
    std::unique_ptr<BlockIndexDB> m_index_db GUARDED_BY(m_mutex);
    /** The coins database. Set once during Open; LevelDB is thread-safe, so
     *  snapshot reads need no lock. Written through m_coins under m_mutex. */
    std::unique_ptr<CoinsViewDB> m_coins_db;
    std::unique_ptr<CoinsViewCache> m_coins GUARDED_BY(m_mutex);
    /** Every known block; entries live as long as the chainstate. */
    std::map<uint256, std::unique_ptr<BlockIndex>> m_index GUARDED_BY(m_mutex);
    ActiveChain m_chain GUARDED_BY(m_mutex);
    /** Orders tip candidates best first (BetterCandidate). */
    struct CandidateOrder {
        bool operator()(const BlockIndex* a, const BlockIndex* b) const { return BetterCandidate(a, b); }
    };
    /** Blocks that may become the tip: every data_linked block not known to
     *  be invalid. Invalid entries are dropped lazily by FindBestCandidate. */
    std::set<BlockIndex*, CandidateOrder> m_candidates GUARDED_BY(m_mutex);
    /** Stored blocks whose parent's chain lacks data (blocks downloaded out
     *  of order), by parent: linked and made candidates when it arrives. */
    std::multimap<BlockIndex*, BlockIndex*> m_unlinked GUARDED_BY(m_mutex);
    /** Blocks connected or disconnected so far: tells a chain operation
     *  whether to notify ActiveTipChanged. */
    uint64_t m_tip_moves GUARDED_BY(m_mutex){0};
    /** Entries of m_index without HAVE_DATA (headers-only or remembered
     *  invalid from the header): bounded by MAX_HEADERS_ONLY. */
    size_t m_headers_only GUARDED_BY(m_mutex){0};
    /** Index entries changed since the last index flush. */
    std::set<BlockIndex*> m_dirty GUARDED_BY(m_mutex);
    BlockIndex* m_best_header GUARDED_BY(m_mutex){nullptr};
    /** Arrival order of block data; 0 is the tip loaded from disk, 1 every
     *  other stored block, so the stored tip keeps its place among equal-work
     *  tips across a restart. */
    uint64_t m_next_sequence GUARDED_BY(m_mutex){2};
    int64_t m_last_flush GUARDED_BY(m_mutex){0};
    /** Steady time of the last block-index write (see BLOCK_INDEX_WRITE_INTERVAL). */
    std::chrono::steady_clock::time_point m_last_index_write GUARDED_BY(m_mutex){};
    bool m_reindexing GUARDED_BY(m_mutex){false};
    std::vector<ChainListener*> m_listeners GUARDED_BY(m_mutex);
    /** Latched once initial block download is over. */
    mutable std::atomic<bool> m_left_ibd{false};
    /** Set by FatalError: no further changes are made. */
    std::atomic<bool> m_fatal_error{false};
};

/** See Chainstate::TipCoinsView's declaration. */
class Chainstate::TipCoinsView final : public CoinsView {
public:
    explicit TipCoinsView(const Chainstate& chainstate) : m_chainstate{chainstate} {}
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override LOCKS_EXCLUDED(m_chainstate.m_mutex)
    {
        LockGuard lock{m_chainstate.m_mutex};
        return m_chainstate.m_coins->GetCoin(outpoint);
    }
    uint256 GetBestBlock() const override LOCKS_EXCLUDED(m_chainstate.m_mutex)
    {
        LockGuard lock{m_chainstate.m_mutex};
        return m_chainstate.m_coins->GetBestBlock();
    }
    /** Precondition: the caller holds m_mutex (and m_change_mutex). */
    Result<void> BatchWrite(const CoinsMap& coins, const uint256& best_block) override NO_THREAD_SAFETY_ANALYSIS
    {
        m_chainstate.m_mutex.AssertHeld();
        return m_chainstate.m_coins->BatchWrite(coins, best_block);
    }

private:
    const Chainstate& m_chainstate;
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_CHAINSTATE_H
