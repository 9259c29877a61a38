// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/mempool.h>

#include <consensus/block_check.h>
#include <consensus/tx_check.h>
#include <consensus/tx_inputs.h>
#include <util/logging.h>

#include <algorithm>
#include <chrono>
#include <deque>
#include <limits>

namespace hpips {
namespace {

int64_t NowSeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
        .count();
}

}  // namespace

FeeRate GetFeeRate(Amount fee, size_t size)
{
    if (size == 0) return 0;
    // 128-bit: a modified fee (fee + prioritisetransaction delta) times 1000
    // can exceed int64; the rate saturates.
    const __int128 rate = static_cast<__int128>(fee) * 1000 / static_cast<__int128>(size);
    if (rate > std::numeric_limits<FeeRate>::max()) return std::numeric_limits<FeeRate>::max();
    if (rate < std::numeric_limits<FeeRate>::min()) return std::numeric_limits<FeeRate>::min();
    return static_cast<FeeRate>(rate);
}

Mempool::Mempool(Chainstate& chainstate, MempoolOptions options)
    : m_chainstate{chainstate}, m_options{options}
{
    m_chainstate.AddListener(this);
}

Mempool::~Mempool() { m_chainstate.RemoveListener(this); }

MempoolAcceptResult Mempool::AcceptToMemoryPool(const Transaction& tx, bool test_only, std::optional<Amount> max_fee,
                                                OrphanOwner orphan_owner)
{
    MempoolAcceptResult result;
    m_chainstate.WithCoins([&](const auto& lookup, int64_t tip_height, int64_t tip_mtp) {
        LockGuard lock{m_mutex};
        result = AcceptLocked(tx, test_only, max_fee, lookup, tip_height, tip_mtp, orphan_owner);
        if (result.Accepted() && !test_only) ProcessOrphans(tx.GetTxid(), lookup, tip_height, tip_mtp);
    });
    // Neither the chainstate's lock nor ours is held here.
    DeliverNotifications();
    return result;
}

void Mempool::AddListener(MempoolListener* listener)
{
    LockGuard lock{m_delivery_mutex};
    m_listeners.push_back(listener);
    m_listener_count = m_listeners.size();
}

void Mempool::RemoveListener(MempoolListener* listener)
{
    // Taking the delivery mutex waits for a delivery under way.
    LockGuard lock{m_delivery_mutex};
    m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), listener), m_listeners.end());
    m_listener_count = m_listeners.size();
}

void Mempool::Notify(Notification notification)
{
    if (m_listener_count.load() == 0) return;
    m_notifications.push_back(std::move(notification));
}

void Mempool::DeliverNotifications()
{
    LockGuard delivery{m_delivery_mutex};
    while (true) {
        std::vector<Notification> batch;
        {
            LockGuard lock{m_mutex};
            batch.swap(m_notifications);
        }
        if (batch.empty()) return;
        // Whoever queued later events waits on m_delivery_mutex and finds
        // them in the next batch, so the order holds across threads.
        for (const Notification& n : batch) {
            for (MempoolListener* listener : m_listeners) {
                if (n.added) {
                    listener->TransactionAdded(*n.entry);
                } else {
                    listener->TransactionRemoved(n.txid, n.wtxid, n.reason, n.mempool_sequence);
                }
            }
        }
    }
}

MempoolAcceptResult Mempool::AcceptLocked(const Transaction& tx, bool test_only, std::optional<Amount> max_fee,
                                          const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                                          int64_t tip_height, int64_t tip_mtp, OrphanOwner orphan_owner)
{
    MempoolAcceptResult result;
    TxValidationState& state = result.state;
    result.size = tx.GetTotalSize();
    if (!CheckTransaction(tx, state)) return result;
    if (tx.IsCoinbase()) {
        state.Invalid(TxFailure::CONSENSUS, "coinbase");
        return result;
    }
    if (result.size > MAX_STANDARD_TX_SIZE) {
        state.Invalid(TxFailure::POLICY, "tx-size");
        return result;
    }
    const int64_t spend_height = tip_height + 1;
    if (!IsFinalTx(tx, spend_height, tip_mtp)) {
        state.Invalid(TxFailure::POLICY, "non-final");
        return result;
    }
    const uint256 txid = tx.GetTxid();
    if (m_entries.count(txid) != 0) {
        state.Invalid(TxFailure::ALREADY_IN_MEMPOOL, "txn-already-in-mempool");
        return result;
    }
    for (const TxIn& in : tx.inputs()) {
        if (m_spenders.count(in.prevout) != 0) {
            state.Invalid(TxFailure::CONFLICT, "txn-mempool-conflict");
            return result;
        }
    }

    std::vector<Coin> coins;
    coins.reserve(tx.inputs().size());
    for (const TxIn& in : tx.inputs()) {
        if (const auto parent = m_entries.find(in.prevout.txid); parent != m_entries.end()) {
            const auto& outputs = parent->second->tx.outputs();
            if (in.prevout.index >= outputs.size()) {
                state.Invalid(TxFailure::CONSENSUS, "bad-txns-inputs-missingorspent");
                return result;
            }
            coins.emplace_back(outputs[in.prevout.index], static_cast<uint32_t>(spend_height), false);
            continue;
        } else if (auto coin = lookup(in.prevout)) {
            coins.push_back(std::move(*coin));
            continue;
        }
        // Already confirmed? Then its outputs are in the UTXO set.
        for (uint32_t i = 0; i < tx.outputs().size(); ++i) {
            if (lookup(OutPoint{txid, i})) {
                state.Invalid(TxFailure::ALREADY_IN_CHAIN, "txn-already-known");
                return result;
            }
        }
        state.Invalid(TxFailure::MISSING_INPUTS, "missing-inputs");
        if (!test_only) result.orphan = AddOrphan(tx, orphan_owner);
        return result;
    }

    if (CountAncestors(tx, MAX_MEMPOOL_ANCESTORS) + 1 > MAX_MEMPOOL_ANCESTORS) {
        state.Invalid(TxFailure::POLICY, "too-long-mempool-chain");
        return result;
    }

    std::vector<SpentCoin> spent;
    spent.reserve(coins.size());
    for (const Coin& coin : coins) spent.push_back(SpentCoin{&coin.out, coin.height, coin.coinbase});
    const auto fee = CheckTxInputs(tx, spent, spend_height, state);
    if (!fee) return result;
    result.fee = *fee;
    if (max_fee && *fee > *max_fee) {
        state.Invalid(TxFailure::FEE_EXCEEDS_MAXIMUM, "max-fee-exceeded",
                      std::to_string(*fee) + " > " + std::to_string(*max_fee));
        return result;
    }
    const auto delta_it = m_deltas.find(txid);
    const Amount fee_delta = delta_it == m_deltas.end() ? 0 : delta_it->second;
    // The floor applies to the modified fee (Core): a prioritised
    // transaction may enter below it, a deprioritised one may not.
    const FeeRate rate = GetFeeRate(*fee + fee_delta, result.size);
    if (rate < m_options.min_relay_fee_rate) {
        state.Invalid(TxFailure::POLICY, "min relay fee not met",
                      std::to_string(*fee + fee_delta) + " < " +
                          std::to_string(m_options.min_relay_fee_rate * static_cast<int64_t>(result.size) / 1000));
        return result;
    }
    std::vector<TxOut> spent_outputs;
    spent_outputs.reserve(coins.size());
    for (const Coin& coin : coins) spent_outputs.push_back(coin.out);
    if (!VerifyTransactionSignatures(tx, spent_outputs, m_chainstate.Params().network, state)) return result;
    if (test_only) return result;

    auto entry = std::make_unique<MempoolEntry>();
    entry->tx = tx;
    entry->fee = *fee;
    entry->fee_delta = fee_delta;
    entry->size = result.size;
    entry->fee_rate = rate;
    entry->time = NowSeconds();
    entry->height = tip_height;
    entry->sequence = m_sequence_number++;
    for (const TxIn& in : tx.inputs()) m_spenders.emplace(in.prevout, txid);
    m_by_fee_rate.insert(entry.get());
    m_bytes += entry->size;
    m_by_wtxid.emplace(tx.GetWtxid(), txid);
    const MempoolEntry* added = entry.get();
    m_entries.emplace(txid, std::move(entry));
    // Queued before TrimToSize so that listeners hear of the changes in the
    // order of their sequence numbers (this addition, then any eviction).
    Notify(Notification{true, std::make_shared<const MempoolEntry>(*added), txid, tx.GetWtxid(), {}, added->sequence});
    TrimToSize();
    if (m_entries.count(txid) == 0) {
        // Listeners never hear of it: drop its addition and the removal
        // TrimToSize queued (their sequence numbers stay used).
        std::erase_if(m_notifications, [&](const Notification& n) { return n.txid == txid; });
        state.Invalid(TxFailure::POLICY, "mempool full");
        return result;
    }
    ++m_transactions_updated;
    LogDebug(LogCategory::MEMPOOL, "accepted {} (fee {}, {} bytes, pool {} txs)", txid.GetHex(), *fee, result.size,
             m_entries.size());
    return result;
}

size_t Mempool::CountAncestors(const Transaction& tx, size_t limit) const
{
    std::set<uint256> seen;
    std::deque<const Transaction*> queue{&tx};
    while (!queue.empty() && seen.size() <= limit) {
        const Transaction* current = queue.front();
        queue.pop_front();
        for (const TxIn& in : current->inputs()) {
            const auto parent = m_entries.find(in.prevout.txid);
            if (parent != m_entries.end() && seen.insert(parent->first).second) queue.push_back(&parent->second->tx);
        }
    }
    return seen.size();
}

void Mempool::RemoveEntry(const uint256& txid, MempoolRemovalReason reason)
{
    const auto it = m_entries.find(txid);
    if (it == m_entries.end()) return;
    const MempoolEntry* entry = it->second.get();
    for (const TxIn& in : entry->tx.inputs()) {
        const auto spender = m_spenders.find(in.prevout);
        if (spender != m_spenders.end() && spender->second == txid) m_spenders.erase(spender);
    }
    const uint256 wtxid = entry->tx.GetWtxid();
    m_by_wtxid.erase(wtxid);
    m_by_fee_rate.erase(entry);
    m_bytes -= entry->size;
    m_entries.erase(it);
    ++m_transactions_updated;
    Notify(Notification{false, nullptr, txid, wtxid, reason, m_sequence_number++});
}

void Mempool::RemoveRecursive(const uint256& txid, MempoolRemovalReason reason)
{
    std::deque<uint256> queue{txid};
    std::set<uint256> seen{txid};
    std::vector<uint256> order;
    while (!queue.empty()) {
        const uint256 current = queue.front();
        queue.pop_front();
        const auto it = m_entries.find(current);
        if (it == m_entries.end()) continue;
        order.push_back(current);
        for (uint32_t i = 0; i < it->second->tx.outputs().size(); ++i) {
            const auto spender = m_spenders.find(OutPoint{current, i});
            if (spender != m_spenders.end() && seen.insert(spender->second).second) queue.push_back(spender->second);
        }
    }
    for (const uint256& removed : order) RemoveEntry(removed, reason);
}

void Mempool::TrimToSize()
{
    while (m_bytes > m_options.max_bytes && !m_by_fee_rate.empty()) {
        const MempoolEntry* worst = *m_by_fee_rate.rbegin();
        LogDebug(LogCategory::MEMPOOL, "evicting {} (fee rate {})", worst->tx.GetTxid().GetHex(), worst->fee_rate);
        RemoveRecursive(worst->tx.GetTxid(), MempoolRemovalReason::SIZE_LIMIT);
    }
}

bool Mempool::AddOrphan(const Transaction& tx, OrphanOwner owner)
{
    const uint256 txid = tx.GetTxid();
    const size_t size = tx.GetTotalSize();
    if (size > MAX_ORPHAN_TX_SIZE || m_orphans.count(txid) != 0) return false;
    while (!m_orphans.empty() &&
           (m_orphans.size() >= MAX_ORPHANS || m_orphan_bytes + size > MAX_ORPHAN_TOTAL_BYTES)) {
        EvictOneOrphan();
    }
    m_orphans.emplace(txid, Orphan{tx, owner, size});
    m_orphan_order.push_back(txid);
    m_orphan_bytes += size;
    return true;
}

void Mempool::EraseOrphan(const uint256& txid)
{
    const auto it = m_orphans.find(txid);
    if (it == m_orphans.end()) return;
    m_orphan_bytes -= it->second.size;
    m_orphans.erase(it);
    m_orphan_order.erase(std::remove(m_orphan_order.begin(), m_orphan_order.end(), txid), m_orphan_order.end());
}

void Mempool::EvictOneOrphan()
{
    // The owner with the most orphans loses its oldest (ties: the owner
    // whose oldest orphan is oldest, as m_orphan_order is walked oldest
    // first). At most MAX_ORPHANS entries: linear is fine.
    std::map<OrphanOwner, size_t> counts;
    for (const auto& [txid, orphan] : m_orphans) ++counts[orphan.owner];
    size_t most{0};
    for (const auto& [owner, count] : counts) most = std::max(most, count);
    for (const uint256& txid : m_orphan_order) {
        const Orphan& orphan = m_orphans.at(txid);
        if (counts[orphan.owner] == most) {
            LogDebug(LogCategory::MEMPOOL, "orphan pool full: evicting {} (owner {})", txid.GetHex(), orphan.owner);
            EraseOrphan(txid);
            return;
        }
    }
}

void Mempool::EraseOrphansFrom(OrphanOwner owner)
{
    LockGuard lock{m_mutex};
    std::vector<uint256> erase;
    for (const auto& [txid, orphan] : m_orphans) {
        if (orphan.owner == owner) erase.push_back(txid);
    }
    for (const uint256& txid : erase) EraseOrphan(txid);
}

void Mempool::ProcessOrphans(const uint256& parent, const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                             int64_t tip_height, int64_t tip_mtp)
{
    std::deque<uint256> parents{parent};
    while (!parents.empty()) {
        const uint256 current = parents.front();
        parents.pop_front();
        std::vector<uint256> children;
        for (const auto& [txid, orphan] : m_orphans) {
            const bool spends = std::any_of(orphan.tx.inputs().begin(), orphan.tx.inputs().end(),
                                            [&](const TxIn& in) { return in.prevout.txid == current; });
            if (spends) children.push_back(txid);
        }
        for (const uint256& txid : children) {
            const Orphan orphan = m_orphans.at(txid);
            EraseOrphan(txid);
            // Still missing another parent: AcceptLocked files it as an orphan again.
            if (AcceptLocked(orphan.tx, false, std::nullopt, lookup, tip_height, tip_mtp, orphan.owner).Accepted()) {
                parents.push_back(txid);
            }
        }
    }
}

void Mempool::BlockConnected(const Block& block, const BlockIndex& /*index*/)
{
    LockGuard lock{m_mutex};
    std::set<uint256> confirmed;
    for (const Transaction& tx : block.txs) {
        if (tx.IsCoinbase()) continue;
        const uint256 txid = tx.GetTxid();
        confirmed.insert(txid);
        // Confirmed: it leaves the pool, its children stay (their parent is now a coin).
        RemoveEntry(txid, MempoolRemovalReason::BLOCK);
        EraseOrphan(txid);
        m_deltas.erase(txid);  // confirmed: the prioritisation has done its work (Core)
        // Anything else spending the same coins can never confirm now.
        for (const TxIn& in : tx.inputs()) {
            const auto spender = m_spenders.find(in.prevout);
            if (spender != m_spenders.end()) RemoveRecursive(spender->second, MempoolRemovalReason::CONFLICT);
        }
    }
    if (confirmed.empty()) return;
    const auto is_confirmed = [&](const uint256& txid) { return confirmed.count(txid) != 0; };
    for (auto& queued : m_disconnected) {
        queued.erase(std::remove_if(queued.begin(), queued.end(),
                                    [&](const Transaction& tx) { return is_confirmed(tx.GetTxid()); }),
                     queued.end());
    }
}

void Mempool::BlockDisconnected(const Block& block, const BlockIndex& /*index*/)
{
    LockGuard lock{m_mutex};
    std::vector<Transaction> txs;
    for (const Transaction& tx : block.txs) {
        if (!tx.IsCoinbase()) txs.push_back(tx);
    }
    m_disconnected.push_back(std::move(txs));
}

void Mempool::ActiveTipChanged(const uint256& /*tip_hash*/, int64_t /*tip_height*/)
{
    // The removals of the blocks just connected (queued under the
    // chainstate's lock) go out first, before anything re-enters.
    DeliverNotifications();
    std::vector<std::vector<Transaction>> queued;
    {
        LockGuard lock{m_mutex};
        queued.swap(m_disconnected);
    }
    if (queued.empty()) return;
    // Blocks were disconnected tip first; the lowest block's transactions go
    // back first so that parents precede their children.
    for (auto block = queued.rbegin(); block != queued.rend(); ++block) {
        for (const Transaction& tx : *block) AcceptToMemoryPool(tx);
    }

    // A reorg can leave pool transactions spending coins that no longer
    // exist (their parent conflicted with the new chain), coinbases that are
    // immature again, or lock times not yet final at the lower tip: drop them
    // and what depends on them.
    m_chainstate.WithCoins([&](const auto& lookup, int64_t tip_height, int64_t tip_mtp) {
        LockGuard lock{m_mutex};
        std::vector<uint256> invalid;
        for (const auto& [txid, entry] : m_entries) {
            bool valid = IsFinalTx(entry->tx, tip_height + 1, tip_mtp);
            for (const TxIn& in : entry->tx.inputs()) {
                if (!valid) break;
                if (m_entries.count(in.prevout.txid) != 0) continue;
                const auto coin = lookup(in.prevout);
                valid = coin && !(coin->coinbase && tip_height + 1 - coin->height < COINBASE_MATURITY);
            }
            if (!valid) invalid.push_back(txid);
        }
        for (const uint256& txid : invalid) RemoveRecursive(txid, MempoolRemovalReason::REORG);
    });
    DeliverNotifications();
}

std::vector<MempoolEntry> Mempool::SelectForBlock(size_t max_bytes, Amount& total_fee) const
{
    LockGuard lock{m_mutex};
    std::vector<MempoolEntry> selected;
    std::set<uint256> included;
    std::set<uint256> skipped;  // did not fit: its descendants cannot go in either
    size_t bytes = 0;
    total_fee = 0;
    // Walk by fee rate; a transaction whose pool parents are not in yet waits
    // in `ready` order until the last of them is included. One pass, O(P log P).
    std::set<const MempoolEntry*, ByFeeRate> ready{m_by_fee_rate.begin(), m_by_fee_rate.end()};
    std::map<uint256, std::vector<const MempoolEntry*>> waiting;  // parent txid -> children
    const auto missing_parent = [&](const MempoolEntry* entry)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> std::optional<uint256> {
        for (const TxIn& in : entry->tx.inputs()) {
            if (m_entries.count(in.prevout.txid) != 0 && included.count(in.prevout.txid) == 0) return in.prevout.txid;
        }
        return std::nullopt;
    };
    while (!ready.empty()) {
        const MempoolEntry* entry = *ready.begin();
        ready.erase(ready.begin());
        const uint256 txid = entry->tx.GetTxid();
        if (const auto parent = missing_parent(entry)) {
            if (skipped.count(*parent) != 0) {
                skipped.insert(txid);
            } else {
                waiting[*parent].push_back(entry);
            }
            continue;
        }
        if (bytes + entry->size > max_bytes) {
            skipped.insert(txid);
            continue;
        }
        selected.push_back(*entry);
        included.insert(txid);
        bytes += entry->size;
        total_fee += entry->fee;
        if (const auto children = waiting.find(txid); children != waiting.end()) {
            for (const MempoolEntry* child : children->second) ready.insert(child);
            waiting.erase(children);
        }
    }
    return selected;
}

void Mempool::PrioritiseTransaction(const uint256& txid, Amount delta)
{
    LockGuard lock{m_mutex};
    const Amount old_delta = m_deltas.count(txid) != 0 ? m_deltas[txid] : 0;
    const Amount new_delta = std::clamp(std::clamp(delta, -MAX_FEE_DELTA, MAX_FEE_DELTA) + old_delta,
                                        -MAX_FEE_DELTA, MAX_FEE_DELTA);
    if (new_delta == 0) {
        m_deltas.erase(txid);
    } else {
        m_deltas[txid] = new_delta;
    }
    const auto it = m_entries.find(txid);
    if (it == m_entries.end()) return;
    MempoolEntry* entry = it->second.get();
    // Re-rank: the fee-rate index orders by fee_rate, so take it out first.
    m_by_fee_rate.erase(entry);
    entry->fee_delta = new_delta;
    entry->fee_rate = GetFeeRate(entry->ModifiedFee(), entry->size);
    m_by_fee_rate.insert(entry);
    ++m_transactions_updated;  // a template built before is stale
    LogDebug(LogCategory::MEMPOOL, "prioritised {} (fee delta {})", txid.GetHex(), new_delta);
}

Amount Mempool::FeeDelta(const uint256& txid) const
{
    LockGuard lock{m_mutex};
    const auto it = m_deltas.find(txid);
    return it == m_deltas.end() ? 0 : it->second;
}

std::map<uint256, Amount> Mempool::FeeDeltas() const
{
    LockGuard lock{m_mutex};
    return m_deltas;
}

bool Mempool::Exists(const uint256& txid) const
{
    LockGuard lock{m_mutex};
    return m_entries.count(txid) != 0;
}

std::optional<MempoolEntry> Mempool::Get(const uint256& txid) const
{
    LockGuard lock{m_mutex};
    const auto it = m_entries.find(txid);
    if (it == m_entries.end()) return std::nullopt;
    return *it->second;
}

std::vector<uint256> Mempool::Txids() const
{
    LockGuard lock{m_mutex};
    std::vector<uint256> txids;
    txids.reserve(m_by_fee_rate.size());
    for (const MempoolEntry* entry : m_by_fee_rate) txids.push_back(entry->tx.GetTxid());
    return txids;
}

Mempool::TxidsAndSequence Mempool::TxidsWithSequence() const
{
    LockGuard lock{m_mutex};
    TxidsAndSequence out;
    out.txids.reserve(m_by_fee_rate.size());
    for (const MempoolEntry* entry : m_by_fee_rate) out.txids.push_back(entry->tx.GetTxid());
    out.mempool_sequence = m_sequence_number;
    return out;
}

std::vector<MempoolEntry> Mempool::Entries() const
{
    LockGuard lock{m_mutex};
    std::vector<MempoolEntry> entries;
    entries.reserve(m_by_fee_rate.size());
    for (const MempoolEntry* entry : m_by_fee_rate) entries.push_back(*entry);
    return entries;
}

size_t Mempool::Size() const
{
    LockGuard lock{m_mutex};
    return m_entries.size();
}

size_t Mempool::Bytes() const
{
    LockGuard lock{m_mutex};
    return m_bytes;
}

bool Mempool::ExistsWtxid(const uint256& wtxid) const
{
    LockGuard lock{m_mutex};
    return m_by_wtxid.count(wtxid) != 0;
}

std::optional<MempoolEntry> Mempool::GetByWtxid(const uint256& wtxid) const
{
    LockGuard lock{m_mutex};
    const auto id = m_by_wtxid.find(wtxid);
    if (id == m_by_wtxid.end()) return std::nullopt;
    return *m_entries.at(id->second);
}

size_t Mempool::OrphanCount() const
{
    LockGuard lock{m_mutex};
    return m_orphans.size();
}

size_t Mempool::OrphanBytes() const
{
    LockGuard lock{m_mutex};
    return m_orphan_bytes;
}

bool Mempool::HaveOrphan(const uint256& txid) const
{
    LockGuard lock{m_mutex};
    return m_orphans.count(txid) != 0;
}

std::optional<TxOut> Mempool::GetOutput(const OutPoint& outpoint) const
{
    LockGuard lock{m_mutex};
    const auto it = m_entries.find(outpoint.txid);
    if (it == m_entries.end() || outpoint.index >= it->second->tx.outputs().size()) return std::nullopt;
    return it->second->tx.outputs()[outpoint.index];
}

bool Mempool::IsSpent(const OutPoint& outpoint) const
{
    LockGuard lock{m_mutex};
    return m_spenders.count(outpoint) != 0;
}

}  // namespace hpips
