// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_COINS_VIEW_H
#define HPIPS_CHAIN_COINS_VIEW_H

#include <chain/coin.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>

/**
 * The UTXO set as a stack of views:
 *
 *   CoinsViewDB (LevelDB, coinsdb.h)
 *     └ CoinsViewCache  — the big in-memory cache sized by -dbcache
 *         └ CoinsViewCache  — a per-block overlay: ConnectBlock works on it,
 *                             and it is Flush()ed into the cache only if the
 *                             block connects; otherwise it is just destroyed.
 *
 * A cache entry carries two flags relative to the view directly below it:
 *  - DIRTY: the entry differs from the parent's version and must be written
 *    on flush;
 *  - FRESH: the parent has no unspent version of this coin, so if the coin is
 *    spent here the entry can simply be erased — a coin created and spent
 *    while cached never reaches the parent (and so never touches disk).
 * FRESH is only ever set together with DIRTY.
 *
 * The map is a std::map ordered by outpoint: no hasher to salt (txids are
 * attacker-grindable, and a tree has no worst-case buckets), and nothing
 * observable depends on the order anyway — a flush writes each dirty entry
 * once, into an atomic batch or a parent map, so any order gives the same
 * result.
 *
 * Thread safety: none of these classes is thread-safe. The chainstate owns
 * the whole stack and serialises every call under its own mutex.
 */
namespace hpips {

/** A coin held in a cache, with its DIRTY/FRESH flags. */
struct CoinsCacheEntry {
    /** The entry differs from the parent view's version. */
    static constexpr uint8_t DIRTY = 1 << 0;
    /** The parent view has no unspent version of this coin. */
    static constexpr uint8_t FRESH = 1 << 1;

    /** The coin; IsSpent() for an entry that records a spend. */
    Coin coin;
    /** DIRTY and/or FRESH. */
    uint8_t flags{0};

    /** True when the entry must be written on flush. */
    bool IsDirty() const { return (flags & DIRTY) != 0; }
    /** True when the parent view has no unspent version of the coin. */
    bool IsFresh() const { return (flags & FRESH) != 0; }
};

/** The cache's storage: entries by outpoint. */
using CoinsMap = std::map<OutPoint, CoinsCacheEntry>;

/** Read access to a set of coins plus the one way to change it (BatchWrite). */
class CoinsView {
public:
    virtual ~CoinsView() = default;

    /** The unspent coin at `outpoint`, or nullopt when it does not exist or
     *  is spent. */
    virtual std::optional<Coin> GetCoin(const OutPoint& outpoint) const = 0;
    /** Whether an unspent coin exists at `outpoint`. */
    virtual bool HaveCoin(const OutPoint& outpoint) const { return GetCoin(outpoint).has_value(); }
    /** The block whose state this view represents; the null hash when none
     *  (empty set, or a database cut short mid-flush: see CoinsViewDB). */
    virtual uint256 GetBestBlock() const = 0;
    /** Applies the DIRTY entries of `coins` (spent ones as deletions) and sets
     *  the best block, as one logical step. Entries without DIRTY are
     *  ignored; `coins` itself is not modified. An error means the write did
     *  not (fully) happen; the caller must treat the view as failed. */
    [[nodiscard]] virtual Result<void> BatchWrite(const CoinsMap& coins, const uint256& best_block) = 0;
};

/** A cache in front of another view (see the file comment). Not thread-safe.
 *  The base view must outlive the cache. */
class CoinsViewCache : public CoinsView {
public:
    /** A cache over `base` (the database, or another cache). */
    explicit CoinsViewCache(CoinsView& base) : m_base{base} {}
    /** An overlay over another cache. (Without this overload, `CoinsViewCache
     *  overlay{cache}` would select the deleted copy constructor.) */
    explicit CoinsViewCache(CoinsViewCache& parent) : m_base{static_cast<CoinsView&>(parent)} {}
    CoinsViewCache(const CoinsViewCache&) = delete;
    CoinsViewCache& operator=(const CoinsViewCache&) = delete;

    /** Looks in the cache, then in the base view; a coin found in the base is
     *  cached (clean) for the next lookup. */
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override;
    bool HaveCoin(const OutPoint& outpoint) const override;
    /** The best block set with SetBestBlock, else the base view's. */
    uint256 GetBestBlock() const override;
    /** Merges a child cache's DIRTY entries into this one (the overlay's
     *  Flush). An error here is a logic error in the child's flags (FRESH on
     *  a coin this cache holds unspent); the cache is then unusable. */
    [[nodiscard]] Result<void> BatchWrite(const CoinsMap& coins, const uint256& best_block) override;

    /** True when the cache holds an entry (spent or not) for `outpoint`,
     *  without consulting the base view. */
    bool HaveCoinInCache(const OutPoint& outpoint) const;
    /** Sets the block this view's state represents (after connecting or
     *  disconnecting a block). */
    void SetBestBlock(const uint256& block_hash) { m_best_block = block_hash; }

    /**
     * Adds an unspent coin.
     * `possible_overwrite` says the outpoint may already hold an unspent coin
     * (re-adding a coinbase with a duplicate txid, or replaying blocks during
     * recovery); the new coin then replaces it. Without it, finding an
     * unspent coin at `outpoint` in this cache is an error and nothing
     * changes, and the coin is marked FRESH when the cache does not hold a
     * DIRTY spend of it — the caller asserts the base view has no unspent
     * coin there (validation checked that the txid is new).
     * Returns an error for a spent `coin` or a refused overwrite.
     */
    [[nodiscard]] Result<void> AddCoin(const OutPoint& outpoint, Coin coin, bool possible_overwrite);
    /** Spends the coin at `outpoint`, returning it (for undo data); nullopt
     *  when there is no unspent coin there. A FRESH entry is erased outright;
     *  otherwise the spend is kept as a DIRTY spent entry for the next flush. */
    std::optional<Coin> SpendCoin(const OutPoint& outpoint);
    /** Drops the entry for `outpoint` if it is clean (neither DIRTY nor
     *  FRESH): frees memory after a lookup whose coin will not be needed
     *  again (e.g. a rejected mempool transaction's inputs). */
    void Uncache(const OutPoint& outpoint);

    /** Writes every DIRTY entry and the best block to the base view, then
     *  empties the cache. On error the cache keeps its entries. */
    [[nodiscard]] Result<void> Flush();
    /** Like Flush but keeps the unspent coins cached (now clean), so a
     *  periodic write to disk does not cool the cache. */
    [[nodiscard]] Result<void> Sync();

    /** Number of entries (including spent ones awaiting a flush). */
    size_t GetCacheSize() const { return m_map.size(); }
    /** Estimated heap bytes used by the entries; the chainstate flushes when
     *  this exceeds -dbcache. */
    size_t DynamicMemoryUsage() const { return m_dynamic_usage; }

private:
    /** The entry for `outpoint`, fetching it from the base view when the cache
     *  lacks it; m_map.end() when neither has an unspent coin. */
    CoinsMap::iterator FetchCoin(const OutPoint& outpoint) const;
    /** Inserts or erases with the memory estimate kept in step. */
    CoinsMap::iterator Insert(const OutPoint& outpoint, CoinsCacheEntry entry) const;
    void Erase(CoinsMap::iterator it) const;

    CoinsView& m_base;
    /** Mutable: a lookup caches what it fetched from the base view. */
    mutable CoinsMap m_map;
    mutable size_t m_dynamic_usage{0};
    uint256 m_best_block;
};

/** Estimated heap bytes of one cache entry: the map node (allocation rounded
 *  like glibc's malloc) plus the destination payload's allocation. */
size_t CoinsCacheEntryUsage(const CoinsCacheEntry& entry);

/**
 * Adds every output of `tx` as a coin at `height`. With `check_overwrite`,
 * each outpoint is looked up first and overwriting is allowed only where a
 * coin exists (replaying blocks during recovery); otherwise a coinbase may
 * overwrite (a duplicate coinbase txid) and any other transaction may not.
 */
[[nodiscard]] Result<void> AddTransactionCoins(CoinsViewCache& cache, const Transaction& tx, uint32_t height,
                                               bool check_overwrite = false);

}  // namespace hpips

#endif  // HPIPS_CHAIN_COINS_VIEW_H
