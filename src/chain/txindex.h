// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_TXINDEX_H
#define HPIPS_CHAIN_TXINDEX_H

#include <chain/chainstate.h>
#include <chain/dbwrapper.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <util/uint256.h>

#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

/**
 * The transaction index (-txindex): txid → the active-chain block that holds
 * the transaction, in its own LevelDB database, <datadir>/indexes/txindex/
 * (doc/chainstate.md, "Transaction index"), so getrawtransaction finds any
 * confirmed transaction without a block hash.
 *
 * Database records (besides dbwrapper's version record "V", format 1):
 *   't' ‖ txid (32 bytes)  → block hash (32 bytes) ‖ position u32 LE
 *                            (the transaction's place in the block)
 *   'B'                    → the index's best block: height i64 LE ‖
 *                            CompactSize n ‖ n × block hash, a locator from
 *                            the best block (first entry) back to genesis
 * The genesis coinbase is not indexed (its outputs are not spendable; Core
 * does the same).
 *
 * How it follows the chain: one background thread owns every write. It
 * compares the index's best block with the chainstate's active chain and
 * steps towards the tip: a best block no longer on the active chain is
 * rewound (its block is read back and the entries that point at it are
 * deleted), then each next block of the active chain is appended. The
 * chain's ActiveTipChanged notification (the same one the mempool follows)
 * wakes the thread; the first pass after start builds the index from the
 * block files, logging its progress. Several blocks go into one LevelDB
 * batch during a long catch-up.
 *
 * Crash safety: every batch writes the entries of its blocks together with
 * the new best-block record, atomically, so after a restart or a SIGKILL the
 * index resumes from the best block it recorded. A best block that the
 * chainstate no longer has on its active chain is rewound; one it does not
 * know at all (its block index was not flushed before the crash) is left
 * through the locator, and entries of such blocks stay until overwritten —
 * harmless, because a lookup only answers with a transaction found at the
 * recorded place in a block of the active chain.
 *
 * Thread safety: every public method may be called from any thread.
 * Lookups read LevelDB and the block files with no lock of this class held.
 * Lock order: the chainstate's locks, then m_mutex (ActiveTipChanged is
 * called under the chainstate's m_change_mutex); the thread never holds
 * m_mutex while it calls the chainstate or does disk I/O.
 */
namespace hpips {

/** Name of the index in getindexinfo, and its directory below indexes/. */
constexpr std::string_view TXINDEX_NAME{"txindex"};
/** Format version stored under DB_VERSION_KEY in the txindex database. */
constexpr uint32_t TXINDEX_FORMAT_VERSION = 1;
/** Most blocks written in one LevelDB batch while catching up. */
constexpr int64_t TXINDEX_MAX_BATCH_BLOCKS = 1000;
/** Seconds between progress lines in the log while the index catches up. */
constexpr int64_t TXINDEX_LOG_INTERVAL_SECONDS = 10;

/** How to open the transaction index. */
struct TxIndexOptions {
    /** The database directory (<datadir>/indexes/txindex). */
    std::filesystem::path dir;
    /** Bytes of LevelDB block cache. */
    size_t cache_bytes{8 << 20};
    /** Start from scratch (-reindex). */
    bool wipe{false};
    /** Called once when the index cannot go on (a failed write, unreadable
     *  block data): the node shuts down with the message, as for the chain. */
    std::function<void(const std::string& message)> fatal_error;
};

/** Where the index stands (getindexinfo). */
struct TxIndexSummary {
    /** True once the index has caught up with the active chain since start
     *  (stays true while it follows new blocks, as in Core). */
    bool synced{false};
    /** Height and hash of the last block whose transactions are indexed. */
    int64_t best_block_height{0};
    uint256 best_block_hash;
};

/** A transaction found through the index. */
struct IndexedTx {
    Transaction tx;
    uint256 block_hash;
    /** The transaction's place in its block (0: the coinbase). */
    uint32_t position{0};
};

/** The transaction index (see the file comment). */
class TxIndex final : public ChainListener {
public:
    /** Opens (or creates) the database and reads its best block. Does not
     *  start following the chain: call Start. */
    static Result<std::unique_ptr<TxIndex>> Open(Chainstate& chainstate, TxIndexOptions options);
    ~TxIndex() override;
    TxIndex(const TxIndex&) = delete;
    TxIndex& operator=(const TxIndex&) = delete;

    /** Registers with the chainstate and starts the thread (catching up
     *  first). Call once. */
    void Start() LOCKS_EXCLUDED(m_mutex);
    /** Stops the thread (writing what it has, synced to disk) and unregisters
     *  from the chainstate. Idempotent; the destructor calls it. Must not be
     *  called from a chain callback. */
    void Stop() LOCKS_EXCLUDED(m_mutex);

    /** Where the index stands. */
    TxIndexSummary Summary() const LOCKS_EXCLUDED(m_mutex);

    /** The confirmed transaction `txid` in the active chain; nullopt when the
     *  index has no such transaction (not indexed yet, never confirmed, or
     *  its block left the active chain). An error when the database or the
     *  block files cannot be read. */
    Result<std::optional<IndexedTx>> FindTx(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);

    /** Waits until the index's best block is the chainstate's tip (as read
     *  now) or `timeout` passes; returns whether it got there. For tests and
     *  benchmarks. */
    bool WaitForTip(std::chrono::milliseconds timeout) const LOCKS_EXCLUDED(m_mutex);

    // ChainListener
    /** Wakes the thread (under the chainstate's m_change_mutex: quick). */
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override LOCKS_EXCLUDED(m_mutex);

private:
    /** The index's best block as the thread tracks it. */
    struct BestBlock {
        uint256 hash;
        int64_t height{0};
    };

    TxIndex(Chainstate& chainstate, TxIndexOptions options, std::unique_ptr<Database> db, BestBlock best);

    void ThreadMain() LOCKS_EXCLUDED(m_mutex);
    /** Steps the index to the chainstate's tip (see the file comment);
     *  returns early when stopping. Errors are fatal to the index. */
    Result<void> CatchUp() LOCKS_EXCLUDED(m_mutex);
    /** Writes `batch` with the best-block record of `best` and publishes it;
     *  `reached_tip` also marks the index synced in the same step. */
    Result<void> Commit(leveldb::WriteBatch& batch, const BestBlock& best, bool sync, bool reached_tip = false)
        LOCKS_EXCLUDED(m_mutex);
    bool Stopping() const LOCKS_EXCLUDED(m_mutex);

    Chainstate& m_chainstate;
    const TxIndexOptions m_options;
    /** LevelDB is thread-safe; only the thread writes. */
    const std::unique_ptr<Database> m_db;

    mutable Mutex m_mutex;
    /** Signalled on wake-ups, stop, and each commit (WaitForTip). */
    mutable std::condition_variable m_cv;
    /** The committed best block. */
    BestBlock m_best GUARDED_BY(m_mutex);
    bool m_synced GUARDED_BY(m_mutex){false};
    bool m_wake GUARDED_BY(m_mutex){true};
    bool m_stop GUARDED_BY(m_mutex){false};
    bool m_started GUARDED_BY(m_mutex){false};
    /** Set when a fatal error stopped the thread. */
    bool m_failed GUARDED_BY(m_mutex){false};
    /** The thread's best block (touched only by the thread). */
    BestBlock m_thread_best;
    std::thread m_thread;
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_TXINDEX_H
