// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_COINSDB_H
#define HPIPS_CHAIN_COINSDB_H

#include <chain/coin.h>
#include <chain/coins_view.h>
#include <chain/dbwrapper.h>
#include <primitives/amount.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

/**
 * The bottom of the coins stack: the UTXO set in LevelDB (the chainstate
 * database, conventionally `<datadir>/chainstate`). doc/chainstate.md has
 * every key and value.
 *
 * Keys:
 *   'C' | txid (32) | index (u32 big-endian)  → Coin encoding (coin.h)
 *   'B'                                       → best block hash (32)
 *   'H'                                       → flush marker: from (32) | to (32)
 *   'J' ...                                   → reserved: job queue and escrow state
 *   'V'                                       → format version (dbwrapper.h)
 * The index is big-endian so LevelDB's byte order equals outpoint order.
 *
 * Crash safety. BatchWrite moves the database from best block A to B in one
 * or more LevelDB writes (several when the changes exceed
 * MAX_COINS_BATCH_BYTES): the first write erases 'B' and puts 'H' = (A, B)
 * together with the first coins; the last one erases 'H' and puts 'B' = B,
 * and is synced. A crash therefore leaves either
 *   - 'B' = A and no 'H' (nothing of the flush happened), or
 *   - 'B' = B and no 'H' (all of it happened), or
 *   - no 'B' and 'H' = (A, B): some of the coins of B were written. Every
 *     write is idempotent, so the chainstate recovers by replaying blocks:
 *     disconnect from A down to the fork point with B, connect up to B, and
 *     flush with best block B (GetFlushMarker; doc/chainstate.md, "Recovery").
 *
 * Not thread-safe: the chainstate serialises calls.
 */
namespace hpips {

/** Key prefix of a coin record. */
constexpr char DB_COIN = 'C';
/** Key of the best block record. */
constexpr std::string_view DB_BEST_BLOCK{"B"};
/** Key of the flush marker ("head blocks"). */
constexpr std::string_view DB_HEAD_BLOCKS{"H"};
/** Key prefix reserved for the job queue and escrow state (job-market issue). */
constexpr char DB_JOB_STATE = 'J';
/** Encoded size of a coin key. */
constexpr size_t COIN_KEY_SIZE = 1 + 32 + 4;
/** Largest LevelDB write a flush makes before starting another; bounds the
 *  memory a flush holds at once (the flush marker makes splitting safe). */
constexpr size_t MAX_COINS_BATCH_BYTES = 16 << 20;
/** Format version of the chainstate database. */
constexpr uint32_t COINS_DB_VERSION = 1;

/** A flush cut short: the database holds a mix of the states at `from` and `to`. */
struct FlushMarker {
    /** Best block before the interrupted flush (null for the first flush). */
    uint256 from;
    /** Best block the interrupted flush was writing. */
    uint256 to;

    friend bool operator==(const FlushMarker&, const FlushMarker&) = default;
};

/** How to open the chainstate database. */
struct CoinsDBOptions {
    /** LevelDB's own caches (block cache, write buffer); the coins cache
     *  above it is sized separately by -dbcache. */
    DBOptions db;
    /** Largest single LevelDB write of a flush. */
    size_t max_batch_bytes{MAX_COINS_BATCH_BYTES};
    /** Test knob, regtest only (the caller enforces it, as -dbcrashratio):
     *  when non-zero, every BatchWrite is split into two LevelDB writes and,
     *  with probability 1/crash_ratio, the process exits with std::_Exit(1)
     *  between them, leaving a half-written flush for recovery to repair. */
    uint32_t crash_ratio{0};
    /** Called when a read fails (I/O error or a corrupt record): the node
     *  cannot continue safely. Default: log the reason and abort. */
    std::function<void(const std::string&)> fatal_error;
};

/** The coins in LevelDB (see the file comment). Not thread-safe. */
class CoinsViewDB : public CoinsView {
public:
    /** Opens or creates the database in `dir`. */
    static Result<std::unique_ptr<CoinsViewDB>> Open(const std::filesystem::path& dir, CoinsDBOptions options);

    CoinsViewDB(const CoinsViewDB&) = delete;
    CoinsViewDB& operator=(const CoinsViewDB&) = delete;

    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override;
    bool HaveCoin(const OutPoint& outpoint) const override;
    /** The 'B' record; the null hash for a new database or one cut short
     *  mid-flush (then GetFlushMarker says what happened). */
    uint256 GetBestBlock() const override;
    /** Writes the DIRTY entries and `best_block` under the flush-marker
     *  protocol. After a cut-short flush (no 'B', marker (A, B)) only a flush
     *  to B is accepted — the recovery's — and the marker keeps A. */
    [[nodiscard]] Result<void> BatchWrite(const CoinsMap& coins, const uint256& best_block) override;

    /** The marker of a flush that did not finish; nullopt when the database
     *  is consistent. A present marker means the chainstate must recover
     *  ("needs recovery from `from` to `to`") before using the coins. */
    std::optional<FlushMarker> GetFlushMarker() const;

    /** A consistent read view of the database, held until destroyed (RAII
     *  over a LevelDB snapshot). Safe to read from any thread while writes
     *  continue; the CoinsViewDB must outlive it. */
    class Snapshot {
    public:
        explicit Snapshot(const CoinsViewDB& db);
        ~Snapshot();
        Snapshot(const Snapshot&) = delete;
        Snapshot& operator=(const Snapshot&) = delete;

    private:
        friend class CoinsViewDB;
        const CoinsViewDB& m_db;
        const leveldb::Snapshot* m_snapshot;
    };

    /** Calls `visit` for every coin in outpoint order over one consistent
     *  snapshot (`snapshot`, or one taken now); returns that snapshot's best
     *  block (null if it had none). A corrupt record or read error stops the
     *  walk with an error. Thread-safe (LevelDB reads). */
    Result<uint256> ForEachCoin(const std::function<void(const OutPoint&, const Coin&)>& visit,
                                const Snapshot* snapshot = nullptr) const;
    /** The same, but `visit` returns false to stop the walk early (the
     *  result is then still the snapshot's best block). */
    Result<uint256> ForEachCoinWhile(const std::function<bool(const OutPoint&, const Coin&)>& visit,
                                     const Snapshot* snapshot = nullptr) const;

    /** LevelDB's estimate of the bytes the coins take on disk. */
    uint64_t EstimateDiskSize() const;

private:
    CoinsViewDB(std::unique_ptr<Database> db, CoinsDBOptions options);
    /** Reports an unrecoverable read failure through options.fatal_error. */
    void Fatal(const std::string& reason) const;

    std::unique_ptr<Database> m_db;
    CoinsDBOptions m_options;
};

/** The LevelDB key of a coin: 'C' | txid | index (big-endian). */
std::string CoinKey(const OutPoint& outpoint);

/** Summary of the whole UTXO set for gettxoutsetinfo. */
struct UtxoStats {
    /** The block the set corresponds to. */
    uint256 best_block;
    /** Distinct transactions with at least one unspent output. */
    uint64_t transactions{0};
    /** Unspent outputs. */
    uint64_t coins{0};
    /** Sum of their amounts. */
    Amount total_amount{0};
    /** SHA-256 over every coin's serialization in outpoint order:
     *  txid (32) | index u32 LE | height u32 LE | coinbase u8 | amount i64 LE
     *  | destination kind u8 | CompactSize payload length | payload. */
    uint256 hash;
    /** LevelDB's estimate of the database's size on disk. */
    uint64_t disk_size{0};
};

/** Walks the whole set (`snapshot`, or one taken now) and summarises it.
 *  Errors: a read failure, a corrupt record, a total above MAX_MONEY, or a
 *  database that needs recovery (no best block). Thread-safe. */
Result<UtxoStats> ComputeUtxoStats(const CoinsViewDB& db, const CoinsViewDB::Snapshot* snapshot = nullptr);

}  // namespace hpips

#endif  // HPIPS_CHAIN_COINSDB_H
