// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_MEMPOOL_H
#define HPIPS_CHAIN_MEMPOOL_H

#include <chain/chainstate.h>
#include <consensus/validation_state.h>
#include <primitives/amount.h>
#include <primitives/transaction.h>
#include <util/threadsafety.h>

#include <atomic>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

/**
 * Unconfirmed transactions (doc/mempool.md): valid against the tip's UTXO set
 * plus each other, ordered by fee rate, bounded in bytes.
 *
 *  - A transaction spending an outpoint another pool transaction spends is
 *    rejected ("txn-mempool-conflict"; no replacement yet).
 *  - When the pool is over its size limit, the lowest fee-rate transactions
 *    (with everything that spends them) are evicted.
 *  - A transaction with unknown inputs waits in a bounded orphan pool until a
 *    parent arrives. The pool is bounded in count (MAX_ORPHANS), in each
 *    orphan's size (MAX_ORPHAN_TX_SIZE) and in total bytes
 *    (MAX_ORPHAN_TOTAL_BYTES); each orphan remembers who sent it (an
 *    OrphanOwner, the peer id), and when a bound is hit the oldest orphan of
 *    the owner holding the most is evicted, so one flooding peer evicts its
 *    own orphans before anyone else's. EraseOrphansFrom drops a departed
 *    peer's orphans.
 *  - Listeners (MempoolListener) hear of every transaction that enters or
 *    leaves the pool, in order, outside the pool's lock (see below).
 *  - The pool follows the chain by itself (it is a ChainListener):
 *    connected blocks remove their transactions and anything conflicting
 *    with them; disconnected blocks' transactions are queued and re-accepted
 *    once the chain operation is over (ActiveTipChanged), with whatever the
 *    new tip makes invalid dropped. No caller has anything to remember.
 *
 * Thread safety: public methods take the pool's mutex. Lock order is
 * chainstate, then mempool: the pool takes the chainstate's lock (through
 * Chainstate::WithCoins) before its own, and chainstate callbacks arrive with
 * the chainstate's lock held.
 *
 * Notifications: every change queues its events under the pool's mutex; they
 * are delivered, in the order they happened, by the thread that made the
 * change once it holds neither the pool's mutex nor the chainstate's m_mutex:
 * at the end of AcceptToMemoryPool, and for the removals of a connected
 * block at ActiveTipChanged (which the chainstate calls without its m_mutex,
 * once the chain operation is over). Delivery is serialised by a mutex of
 * its own (m_delivery_mutex, taken after the chainstate's m_change_mutex and
 * before the pool's mutex), so a mutating call returns only once its events
 * were delivered. A callback must be quick and must not call a mutating pool
 * method or AddListener / RemoveListener (that would deadlock); it may read
 * the pool (Get, Exists, ...).
 *
 * Sequence numbers (Core's mempool_sequence): every addition and every
 * removal, whatever its reason, takes the pool's next sequence number,
 * starting at 1; an entry keeps the number of its addition
 * (MempoolEntry::sequence) and a removal's number reaches the listeners.
 * TxidsWithSequence pairs the pool's contents with the next number, so a
 * client (getrawmempool with mempool_sequence, the ZMQ sequence topic) can
 * apply exactly the changes after its snapshot.
 */
namespace hpips {

/** Fee rate in base units per 1000 bytes. */
using FeeRate = int64_t;

/** Transactions bigger than this are not relayed or mined from the pool. */
constexpr size_t MAX_STANDARD_TX_SIZE = 400'000;
/** Default minimum relay fee rate: 1000 base units per 1000 bytes. */
constexpr FeeRate DEFAULT_MIN_RELAY_FEE_RATE = 1000;
/** Default pool size limit (-maxmempool, in bytes). */
constexpr size_t DEFAULT_MAX_MEMPOOL_BYTES = 300u << 20;
/** Longest chain of unconfirmed transactions, counting the transaction
 *  itself (Bitcoin Core's 25): bounds every walk over a transaction's family. */
constexpr size_t MAX_MEMPOOL_ANCESTORS = 25;
/** Most orphan transactions kept, and the largest one accepted (Core's
 *  numbers): an orphan cannot be checked until its parents arrive, so the
 *  pool holds only what a few honest parent-child races need. */
constexpr size_t MAX_ORPHANS = 100;
constexpr size_t MAX_ORPHAN_TX_SIZE = 100'000;
/** Most bytes (full encodings) of all orphans together: 4 MB, less than
 *  MAX_ORPHANS largest orphans (10 MB), so memory is bounded by bytes and
 *  not only by count. */
constexpr size_t MAX_ORPHAN_TOTAL_BYTES = 4'000'000;

/** Who gave the pool an orphan: a peer id (net's NodeId), or
 *  LOCAL_ORPHAN_OWNER for the node itself (RPC, reorgs). */
using OrphanOwner = int64_t;
constexpr OrphanOwner LOCAL_ORPHAN_OWNER = -1;

/** The fee rate of `fee` over `size` bytes, rounded down. */
FeeRate GetFeeRate(Amount fee, size_t size);

/** One pool transaction. */
struct MempoolEntry {
    Transaction tx;
    /** The fee the transaction pays (what a block containing it collects). */
    Amount fee{0};
    /** prioritisetransaction's delta for it (0 unless prioritised). */
    Amount fee_delta{0};
    size_t size{0};
    /** The rate of the modified fee (fee + fee_delta): what orders the pool
     *  for block templates and eviction, and what the relay floor checks. */
    FeeRate fee_rate{0};
    int64_t time{0};
    /** Tip height when it entered. */
    int64_t height{0};
    /** The pool's sequence number when it entered (see "Sequence numbers"
     *  in the file comment): ties in fee rate go to the earlier transaction. */
    uint64_t sequence{0};
    /** fee + fee_delta (both within ±MAX_MONEY, so it cannot overflow). */
    Amount ModifiedFee() const { return fee + fee_delta; }
};

/** Bound of one transaction's accumulated prioritisetransaction delta: sums
 *  saturate at ±MAX_MONEY, so a modified fee stays within ±2 × MAX_MONEY. */
constexpr Amount MAX_FEE_DELTA = MAX_MONEY;

/** The outcome of AcceptToMemoryPool. */
struct MempoolAcceptResult {
    TxValidationState state;
    Amount fee{0};
    size_t size{0};
    /** Stored as an orphan (missing inputs) rather than rejected outright. */
    bool orphan{false};
    bool Accepted() const { return state.IsValid(); }
};

/** Why a transaction left the pool. */
enum class MempoolRemovalReason {
    BLOCK,       //!< confirmed by a connected block
    CONFLICT,    //!< spends a coin a connected block spent (or descends from such a transaction)
    SIZE_LIMIT,  //!< evicted to keep the pool within its size limit
    REORG,       //!< invalid at the new tip after a reorg (vanished or immature input, non-final)
};

/** Hears of the pool's changes (see "Notifications" in the file comment).
 *  Callbacks run on whichever thread changed the pool, without the pool's
 *  or the chainstate's m_mutex, one at a time, in the order of the changes. */
class MempoolListener {
public:
    virtual ~MempoolListener() = default;
    /** `entry` entered the pool (from any source: RPC, a peer, an orphan
     *  completed by its parent, a reorg putting a block's transactions back). */
    virtual void TransactionAdded(const MempoolEntry& /*entry*/) {}
    /** The transaction left the pool; `mempool_sequence` is the pool's
     *  sequence number of this removal (see "Sequence numbers"). */
    virtual void TransactionRemoved(const uint256& /*txid*/, const uint256& /*wtxid*/,
                                    MempoolRemovalReason /*reason*/, uint64_t /*mempool_sequence*/)
    {
    }
};

/** Pool options (-maxmempool, -minrelaytxfee). */
struct MempoolOptions {
    size_t max_bytes{DEFAULT_MAX_MEMPOOL_BYTES};
    FeeRate min_relay_fee_rate{DEFAULT_MIN_RELAY_FEE_RATE};
};

/** See the file comment. */
class Mempool : public ChainListener {
public:
    Mempool(Chainstate& chainstate, MempoolOptions options);
    ~Mempool() override;
    Mempool(const Mempool&) = delete;
    Mempool& operator=(const Mempool&) = delete;

    /** Validates `tx` against the tip and the pool and adds it (unless
     *  `test_only`, as testmempoolaccept). Transactions with missing inputs
     *  go to the orphan pool. Accepting a transaction also accepts the
     *  orphans it completes. The context-free checks (CheckTransaction, no
     *  coinbase) come first, so a malformed transaction is reported as such
     *  whatever its inputs. With `max_fee`, a fee above it is refused
     *  (TxFailure::FEE_EXCEEDS_MAXIMUM, before signatures are checked).
     *  An orphan is filed under `orphan_owner` (result.orphan says whether
     *  it was kept: one over MAX_ORPHAN_TX_SIZE is not). Listeners have
     *  heard of every resulting change when it returns. */
    MempoolAcceptResult AcceptToMemoryPool(const Transaction& tx, bool test_only = false,
                                           std::optional<Amount> max_fee = std::nullopt,
                                           OrphanOwner orphan_owner = LOCAL_ORPHAN_OWNER)
        LOCKS_EXCLUDED(m_mutex, m_delivery_mutex);

    /** Transactions for a block, parents before children, best fee rate
     *  first, up to `max_bytes` in total; with their total fee. */
    std::vector<MempoolEntry> SelectForBlock(size_t max_bytes, Amount& total_fee) const LOCKS_EXCLUDED(m_mutex);

    bool Exists(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);
    std::optional<MempoolEntry> Get(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);
    /** The same by witness txid (transaction relay announces by wtxid). */
    bool ExistsWtxid(const uint256& wtxid) const LOCKS_EXCLUDED(m_mutex);
    std::optional<MempoolEntry> GetByWtxid(const uint256& wtxid) const LOCKS_EXCLUDED(m_mutex);
    /** Every txid, in fee-rate order (best first). */
    std::vector<uint256> Txids() const LOCKS_EXCLUDED(m_mutex);
    /** Every txid (as Txids), and the sequence number the pool's next change
     *  will take, read together. */
    struct TxidsAndSequence {
        std::vector<uint256> txids;
        uint64_t mempool_sequence{0};
    };
    TxidsAndSequence TxidsWithSequence() const LOCKS_EXCLUDED(m_mutex);
    std::vector<MempoolEntry> Entries() const LOCKS_EXCLUDED(m_mutex);
    size_t Size() const LOCKS_EXCLUDED(m_mutex);
    /** Counts every transaction added or removed since start (Core's
     *  GetTransactionsUpdated): getblocktemplate's long poll compares it. */
    uint64_t TransactionsUpdated() const { return m_transactions_updated.load(); }
    size_t Bytes() const LOCKS_EXCLUDED(m_mutex);
    size_t OrphanCount() const LOCKS_EXCLUDED(m_mutex);
    /** Total bytes of the orphans (at most MAX_ORPHAN_TOTAL_BYTES). */
    size_t OrphanBytes() const LOCKS_EXCLUDED(m_mutex);
    /** Whether an orphan with this txid waits in the orphan pool. */
    bool HaveOrphan(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);
    /** Drops every orphan `owner` gave (the peer disconnected). */
    void EraseOrphansFrom(OrphanOwner owner) LOCKS_EXCLUDED(m_mutex);

    /** prioritisetransaction: adds `delta` (saturating at ±MAX_FEE_DELTA) to
     *  the fee delta of `txid`, whether or not it is in the pool yet (a
     *  transaction accepted later gets its delta on entry, before the relay
     *  fee floor is checked). An entry in the pool is re-ranked at once:
     *  block templates, eviction and getmempoolentry's fees.modified use
     *  fee + delta; a block's collected fee still uses the real fee. The
     *  delta is forgotten when the transaction is confirmed; a delta that
     *  sums to 0 is forgotten too. Listeners hear nothing (no pool change). */
    void PrioritiseTransaction(const uint256& txid, Amount delta) LOCKS_EXCLUDED(m_mutex);
    /** The fee delta recorded for `txid` (0 if none). */
    Amount FeeDelta(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);
    /** Every recorded delta, in or out of the pool (getprioritisedtransactions). */
    std::map<uint256, Amount> FeeDeltas() const LOCKS_EXCLUDED(m_mutex);

    /** Registers a listener (see MempoolListener). Not from a callback. */
    void AddListener(MempoolListener* listener) LOCKS_EXCLUDED(m_delivery_mutex);
    /** Unregisters a listener; once it returns no callback runs on it. Not
     *  from a callback. */
    void RemoveListener(MempoolListener* listener) LOCKS_EXCLUDED(m_delivery_mutex);
    /** The unspent output of a pool transaction (for gettxout with include_mempool). */
    std::optional<TxOut> GetOutput(const OutPoint& outpoint) const LOCKS_EXCLUDED(m_mutex);
    /** Whether a pool transaction spends `outpoint`. */
    bool IsSpent(const OutPoint& outpoint) const LOCKS_EXCLUDED(m_mutex);
    const MempoolOptions& Options() const { return m_options; }

    // ChainListener (called with the chainstate's lock held).
    /** Queues the removals' notifications; ActiveTipChanged delivers them. */
    void BlockConnected(const Block& block, const BlockIndex& index) override LOCKS_EXCLUDED(m_mutex);
    void BlockDisconnected(const Block& block, const BlockIndex& index) override LOCKS_EXCLUDED(m_mutex);
    /** Re-accepts the transactions of the blocks disconnected by the chain
     *  operation that just ended, and drops what the new tip invalidates. */
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override
        LOCKS_EXCLUDED(m_mutex, m_delivery_mutex);

private:
    /** Order of the fee-rate index: best rate first, then arrival. */
    struct ByFeeRate {
        bool operator()(const MempoolEntry* a, const MempoolEntry* b) const
        {
            if (a->fee_rate != b->fee_rate) return a->fee_rate > b->fee_rate;
            return a->sequence < b->sequence;
        }
    };

    /** One queued notification. */
    struct Notification {
        bool added{false};
        /** The entry (added) or its ids (removed: txid, wtxid in entry.tx). */
        std::shared_ptr<const MempoolEntry> entry;
        uint256 txid;
        uint256 wtxid;
        MempoolRemovalReason reason{MempoolRemovalReason::BLOCK};
        /** The change's sequence number (an addition's is also entry->sequence). */
        uint64_t mempool_sequence{0};
    };
    /** One orphan with its owner and size. */
    struct Orphan {
        Transaction tx;
        OrphanOwner owner{LOCAL_ORPHAN_OWNER};
        size_t size{0};
    };

    MempoolAcceptResult AcceptLocked(const Transaction& tx, bool test_only, std::optional<Amount> max_fee,
                                     const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                                     int64_t tip_height, int64_t tip_mtp, OrphanOwner orphan_owner)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Removes `txid` and every pool transaction that spends its outputs. */
    void RemoveRecursive(const uint256& txid, MempoolRemovalReason reason) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void RemoveEntry(const uint256& txid, MempoolRemovalReason reason) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Evicts the lowest fee-rate transactions until the pool fits. */
    void TrimToSize() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Files an orphan (evicting as the bounds require); false if it was not
     *  kept (too large, or already there). */
    bool AddOrphan(const Transaction& tx, OrphanOwner owner) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void EraseOrphan(const uint256& txid) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Evicts the oldest orphan of the owner holding the most orphans. */
    void EvictOneOrphan() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Queues a notification if anyone listens. */
    void Notify(Notification notification) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Delivers the queued notifications, in order (see the file comment). */
    void DeliverNotifications() LOCKS_EXCLUDED(m_mutex, m_delivery_mutex);
    /** Accepts orphans that spend outputs of `parent`, recursively. */
    void ProcessOrphans(const uint256& parent, const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                        int64_t tip_height, int64_t tip_mtp) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    Chainstate& m_chainstate;
    const MempoolOptions m_options;

    mutable Mutex m_mutex;
    std::map<uint256, std::unique_ptr<MempoolEntry>> m_entries GUARDED_BY(m_mutex);
    std::set<const MempoolEntry*, ByFeeRate> m_by_fee_rate GUARDED_BY(m_mutex);
    /** Which pool transaction spends each outpoint. */
    std::map<OutPoint, uint256> m_spenders GUARDED_BY(m_mutex);
    size_t m_bytes GUARDED_BY(m_mutex){0};
    /** The next sequence number (see "Sequence numbers"). */
    uint64_t m_sequence_number GUARDED_BY(m_mutex){1};
    std::atomic<uint64_t> m_transactions_updated{0};
    /** Witness txid -> txid of every pool transaction. */
    std::map<uint256, uint256> m_by_wtxid GUARDED_BY(m_mutex);
    /** Orphans by txid, and their arrival order for eviction (oldest first). */
    std::map<uint256, Orphan> m_orphans GUARDED_BY(m_mutex);
    std::vector<uint256> m_orphan_order GUARDED_BY(m_mutex);
    size_t m_orphan_bytes GUARDED_BY(m_mutex){0};
    /** prioritisetransaction's deltas by txid (never 0), in the pool or not.
     *  Bounded by the RPC's callers only (as Core's mapDeltas): it is local
     *  configuration, never filled from the network. */
    std::map<uint256, Amount> m_deltas GUARDED_BY(m_mutex);
    /** Changes not yet delivered to the listeners, oldest first. */
    std::vector<Notification> m_notifications GUARDED_BY(m_mutex);

    /** Serialises delivery; guards the listener list. Taken before m_mutex. */
    Mutex m_delivery_mutex;
    std::vector<MempoolListener*> m_listeners GUARDED_BY(m_delivery_mutex);
    /** m_listeners.size(), readable under m_mutex (no queueing without listeners). */
    std::atomic<size_t> m_listener_count{0};
    /** Transactions of disconnected blocks awaiting ActiveTipChanged, one
     *  vector per block in the order the blocks were disconnected (tip first). */
    std::vector<std::vector<Transaction>> m_disconnected GUARDED_BY(m_mutex);
    /** Number of in-pool ancestors of a transaction spending `tx`'s inputs,
     *  counting until `limit` + 1 at most. */
    size_t CountAncestors(const Transaction& tx, size_t limit) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_MEMPOOL_H
