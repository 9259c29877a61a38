// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/mempool.h>

#include <consensus/block_check.h>
#include <consensus/tx_check.h>
#include <consensus/tx_inputs.h>
#include <util/logging.h>

#include <algorithm>
#include <chrono>
#include <deque>

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
    return fee * 1000 / static_cast<int64_t>(size);
}

Mempool::Mempool(Chainstate& chainstate, MempoolOptions options)
    : m_chainstate{chainstate}, m_options{options}
{
    m_chainstate.AddListener(this);
}

Mempool::~Mempool() { m_chainstate.RemoveListener(this); }

MempoolAcceptResult Mempool::AcceptToMemoryPool(const Transaction& tx, bool test_only)
{
    MempoolAcceptResult result;
    m_chainstate.WithCoins([&](const auto& lookup, int64_t tip_height, int64_t tip_mtp) {
        LockGuard lock{m_mutex};
        result = AcceptLocked(tx, test_only, lookup, tip_height, tip_mtp);
        if (result.Accepted() && !test_only) ProcessOrphans(tx.GetTxid(), lookup, tip_height, tip_mtp);
    });
    return result;
}

MempoolAcceptResult Mempool::AcceptLocked(const Transaction& tx, bool test_only,
                                          const std::function<std::optional<Coin>(const OutPoint&)>& lookup,
                                          int64_t tip_height, int64_t tip_mtp)
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
        state.Invalid(TxFailure::POLICY, "txn-already-in-mempool");
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
            if (in.prevout.index < outputs.size()) {
                coins.emplace_back(outputs[in.prevout.index], static_cast<uint32_t>(spend_height), false);
                continue;
            }
        } else if (auto coin = lookup(in.prevout)) {
            coins.push_back(std::move(*coin));
            continue;
        }
        // Already confirmed? Then its outputs are in the UTXO set.
        for (uint32_t i = 0; i < tx.outputs().size(); ++i) {
            if (lookup(OutPoint{txid, i})) {
                state.Invalid(TxFailure::POLICY, "txn-already-known");
                return result;
            }
        }
        state.Invalid(TxFailure::MISSING_INPUTS, "missing-inputs");
        if (!test_only) {
            AddOrphan(tx);
            result.orphan = true;
        }
        return result;
    }

    std::vector<SpentCoin> spent;
    spent.reserve(coins.size());
    for (const Coin& coin : coins) spent.push_back(SpentCoin{&coin.out, coin.height, coin.coinbase});
    const auto fee = CheckTxInputs(tx, spent, spend_height, state);
    if (!fee) return result;
    result.fee = *fee;
    const FeeRate rate = GetFeeRate(*fee, result.size);
    if (rate < m_options.min_relay_fee_rate) {
        state.Invalid(TxFailure::POLICY, "min relay fee not met",
                      std::to_string(*fee) + " < " +
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
    entry->size = result.size;
    entry->fee_rate = rate;
    entry->time = NowSeconds();
    entry->height = tip_height;
    entry->sequence = m_next_sequence++;
    for (const TxIn& in : tx.inputs()) m_spenders.emplace(in.prevout, txid);
    m_by_fee_rate.insert(entry.get());
    m_bytes += entry->size;
    m_entries.emplace(txid, std::move(entry));
    TrimToSize();
    if (m_entries.count(txid) == 0) {
        state.Invalid(TxFailure::POLICY, "mempool full");
        return result;
    }
    LogDebug(LogCategory::MEMPOOL, "accepted {} (fee {}, {} bytes, pool {} txs)", txid.GetHex(), *fee, result.size,
             m_entries.size());
    return result;
}

void Mempool::RemoveEntry(const uint256& txid)
{
    const auto it = m_entries.find(txid);
    if (it == m_entries.end()) return;
    const MempoolEntry* entry = it->second.get();
    for (const TxIn& in : entry->tx.inputs()) {
        const auto spender = m_spenders.find(in.prevout);
        if (spender != m_spenders.end() && spender->second == txid) m_spenders.erase(spender);
    }
    m_by_fee_rate.erase(entry);
    m_bytes -= entry->size;
    m_entries.erase(it);
}

void Mempool::RemoveRecursive(const uint256& txid)
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
    for (const uint256& removed : order) RemoveEntry(removed);
}

void Mempool::TrimToSize()
{
    while (m_bytes > m_options.max_bytes && !m_by_fee_rate.empty()) {
        const MempoolEntry* worst = *m_by_fee_rate.rbegin();
        LogDebug(LogCategory::MEMPOOL, "evicting {} (fee rate {})", worst->tx.GetTxid().GetHex(), worst->fee_rate);
        RemoveRecursive(worst->tx.GetTxid());
    }
}

void Mempool::AddOrphan(const Transaction& tx)
{
    const uint256 txid = tx.GetTxid();
    if (tx.GetTotalSize() > MAX_ORPHAN_TX_SIZE || m_orphans.count(txid) != 0) return;
    while (m_orphans.size() >= MAX_ORPHANS && !m_orphan_order.empty()) {
        m_orphans.erase(m_orphan_order.front());
        m_orphan_order.erase(m_orphan_order.begin());
    }
    m_orphans.emplace(txid, tx);
    m_orphan_order.push_back(txid);
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
            const bool spends = std::any_of(orphan.inputs().begin(), orphan.inputs().end(),
                                            [&](const TxIn& in) { return in.prevout.txid == current; });
            if (spends) children.push_back(txid);
        }
        for (const uint256& txid : children) {
            const Transaction orphan = m_orphans.at(txid);
            m_orphans.erase(txid);
            m_orphan_order.erase(std::remove(m_orphan_order.begin(), m_orphan_order.end(), txid),
                                 m_orphan_order.end());
            // Still missing another parent: AcceptLocked files it as an orphan again.
            if (AcceptLocked(orphan, false, lookup, tip_height, tip_mtp).Accepted()) parents.push_back(txid);
        }
    }
}

void Mempool::BlockConnected(const Block& block, const BlockIndex& /*index*/)
{
    LockGuard lock{m_mutex};
    for (const Transaction& tx : block.txs) {
        if (tx.IsCoinbase()) continue;
        const uint256 txid = tx.GetTxid();
        // Confirmed: it leaves the pool, its children stay (their parent is now a coin).
        RemoveEntry(txid);
        m_orphans.erase(txid);
        m_disconnected.erase(std::remove_if(m_disconnected.begin(), m_disconnected.end(),
                                            [&](const Transaction& queued) { return queued.GetTxid() == txid; }),
                             m_disconnected.end());
        // Anything else spending the same coins can never confirm now.
        for (const TxIn& in : tx.inputs()) {
            const auto spender = m_spenders.find(in.prevout);
            if (spender != m_spenders.end()) RemoveRecursive(spender->second);
        }
    }
}

void Mempool::BlockDisconnected(const Block& block, const BlockIndex& /*index*/)
{
    LockGuard lock{m_mutex};
    for (const Transaction& tx : block.txs) {
        if (!tx.IsCoinbase()) m_disconnected.push_back(tx);
    }
}

void Mempool::ResubmitDisconnected()
{
    std::vector<Transaction> queued;
    {
        LockGuard lock{m_mutex};
        queued.swap(m_disconnected);
    }
    for (const Transaction& tx : queued) AcceptToMemoryPool(tx);

    // A reorg can leave pool transactions spending coins that no longer
    // exist (their parent conflicted with the new chain) or coinbases that are
    // immature again: drop them and what depends on them.
    m_chainstate.WithCoins([&](const auto& lookup, int64_t tip_height, int64_t /*tip_mtp*/) {
        LockGuard lock{m_mutex};
        std::vector<uint256> invalid;
        for (const auto& [txid, entry] : m_entries) {
            for (const TxIn& in : entry->tx.inputs()) {
                if (m_entries.count(in.prevout.txid) != 0) continue;
                const auto coin = lookup(in.prevout);
                if (!coin || (coin->coinbase && tip_height + 1 - coin->height < COINBASE_MATURITY)) {
                    invalid.push_back(txid);
                    break;
                }
            }
        }
        for (const uint256& txid : invalid) RemoveRecursive(txid);
    });
}

std::vector<MempoolEntry> Mempool::SelectForBlock(size_t max_bytes, Amount& total_fee) const
{
    LockGuard lock{m_mutex};
    std::vector<MempoolEntry> selected;
    std::set<uint256> included;
    size_t bytes = 0;
    total_fee = 0;
    // Best fee rate first; a transaction waits for its pool parents, so
    // repeat passes until nothing more fits.
    bool progress = true;
    while (progress) {
        progress = false;
        for (const MempoolEntry* entry : m_by_fee_rate) {
            const uint256 txid = entry->tx.GetTxid();
            if (included.count(txid) != 0 || bytes + entry->size > max_bytes) continue;
            const bool parents_in = std::all_of(entry->tx.inputs().begin(), entry->tx.inputs().end(), [&](const TxIn& in) {
                return m_entries.count(in.prevout.txid) == 0 || included.count(in.prevout.txid) != 0;
            });
            if (!parents_in) continue;
            selected.push_back(*entry);
            included.insert(txid);
            bytes += entry->size;
            total_fee += entry->fee;
            progress = true;
        }
    }
    return selected;
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

size_t Mempool::OrphanCount() const
{
    LockGuard lock{m_mutex};
    return m_orphans.size();
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
