// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_MEMPOOL_H
#define HPIPS_CHAIN_MEMPOOL_H

#include <chain/chainstate.h>
#include <consensus/validation_state.h>
#include <primitives/amount.h>
#include <primitives/transaction.h>
#include <util/threadsafety.h>

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
 *    parent arrives.
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
/** Most orphan transactions kept, and the largest one accepted. */
constexpr size_t MAX_ORPHANS = 100;
constexpr size_t MAX_ORPHAN_TX_SIZE = 100'000;

/** The fee rate of `fee` over `size` bytes, rounded down. */
FeeRate GetFeeRate(Amount fee, size_t size);

/** One pool transaction. */
struct MempoolEntry {
    Transaction tx;
    Amount fee{0};
    size_t size{0};
    FeeRate fee_rate{0};
    int64_t time{0};
    /** Tip height when it entered. */
    int64_t height{0};
    /** Arrival order: ties in fee rate go to the earlier transaction. */
    uint64_t sequence{0};
};

/** The outcome of AcceptToMemoryPool. */
struct MempoolAcceptResult {
    TxValidationState state;
    Amount fee{0};
    size_t size{0};
    /** Stored as an orphan (missing inputs) rather than rejected outright. */
    bool orphan{false};
    bool Accepted() const { return state.IsValid(); }
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
     *  (TxFailure::FEE_EXCEEDS_MAXIMUM, before signatures are checked). */
    MempoolAcceptResult AcceptToMemoryPool(const Transaction& tx, bool test_only = false,
                                           std::optional<Amount> max_fee = std::nullopt) LOCKS_EXCLUDED(m_mutex);

    /** Transactions for a block, parents before children, best fee rate
     *  first, up to `max_bytes` in total; with their total fee. */
    std::vector<MempoolEntry> SelectForBlock(size_t max_bytes, Amount& total_fee) const LOCKS_EXCLUDED(m_mutex);

    bool Exists(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);
    std::optional<MempoolEntry> Get(const uint256& txid) const LOCKS_EXCLUDED(m_mutex);
    /** Every txid, in fee-rate order (best first). */
    std::vector<uint256> Txids() const LOCKS_EXCLUDED(m_mutex);
    std::vector<MempoolEntry> Entries() const LOCKS_EXCLUDED(m_mutex);
    size_t Size() const LOCKS_EXCLUDED(m_mutex);
    size_t Bytes() const LOCKS_EXCLUDED(m_mutex);
    size_t OrphanCount() const LOCKS_EXCLUDED(m_mutex);
    /** The unspent output of a pool transaction (for gettxout with include_mempool). */
    std::optional<TxOut> GetOutput(const OutPoint& outpoint) const LOCKS_EXCLUDED(m_mutex);
    /** Whether a pool transaction spends `outpoint`. */
    bool IsSpent(const OutPoint& outpoint) const LOCKS_EXCLUDED(m_mutex);
    const MempoolOptions& Options() const { return m_options; }

    // ChainListener (called with the chainstate's lock held).
    void BlockConnected(const Block& block, const BlockIndex& index) override LOCKS_EXCLUDED(m_mutex);
    void BlockDisconnected(const Block& block, const BlockIndex& index) override LOCKS_EXCLUDED(m_mutex);
    /** Re-accepts the transactions of the blocks disconnected by the chain
     *  operation that just ended, and drops what the new tip invalidates. */
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override LOCKS_EXCLUDED(m_mutex);

private:
    /** Order of the fee-rate index: best rate first, then arrival. */
    struct ByFeeRate {
        bool operator()(const MempoolEntry* a, const MempoolEntry* b) const
        {
            if (a->fee_rate != b->fee_rate) return a->fee_rate > b->fee_rate;
            return a->sequence < b->sequence;
        }
    };

    MempoolAcceptResult AcceptLocked(const Transaction& tx, bool test_only, std::optional<Amount> max_fee,
                                     const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                                     int64_t tip_height, int64_t tip_mtp) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Removes `txid` and every pool transaction that spends its outputs. */
    void RemoveRecursive(const uint256& txid) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void RemoveEntry(const uint256& txid) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Evicts the lowest fee-rate transactions until the pool fits. */
    void TrimToSize() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void AddOrphan(const Transaction& tx) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
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
    uint64_t m_next_sequence GUARDED_BY(m_mutex){0};
    /** Orphans by txid, and their arrival order for eviction (oldest first). */
    std::map<uint256, Transaction> m_orphans GUARDED_BY(m_mutex);
    std::vector<uint256> m_orphan_order GUARDED_BY(m_mutex);
    /** Transactions of disconnected blocks awaiting ActiveTipChanged, one
     *  vector per block in the order the blocks were disconnected (tip first). */
    std::vector<std::vector<Transaction>> m_disconnected GUARDED_BY(m_mutex);
    /** Number of in-pool ancestors of a transaction spending `tx`'s inputs,
     *  counting until `limit` + 1 at most. */
    size_t CountAncestors(const Transaction& tx, size_t limit) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_MEMPOOL_H
