// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/wallet_chain.h>

#include <algorithm>

namespace hpips {

NodeWalletChain::NodeWalletChain(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock)
    : m_chainstate{chainstate}, m_mempool{mempool}, m_clock{clock}
{
    m_chainstate.AddListener(this);
    m_mempool.AddListener(this);
}

NodeWalletChain::~NodeWalletChain()
{
    m_mempool.RemoveListener(this);
    m_chainstate.RemoveListener(this);
}

Network NodeWalletChain::GetNetwork() const { return m_chainstate.Params().network; }

int64_t NodeWalletChain::Now() const { return m_clock.Now(); }

wallet::ChainBlockRef NodeWalletChain::Tip() const
{
    const BlockInfo tip = m_chainstate.TipInfo();
    return {tip.hash, tip.height, tip.header.time};
}

std::optional<wallet::ChainBlockRef> NodeWalletChain::BlockAt(int64_t height) const
{
    const auto hash = m_chainstate.GetBlockHashAt(height);
    if (!hash) return std::nullopt;
    const auto info = m_chainstate.GetBlockInfo(*hash);
    if (!info) return std::nullopt;
    return wallet::ChainBlockRef{info->hash, info->height, info->header.time};
}

std::optional<wallet::ChainBlockRef> NodeWalletChain::ActiveBlock(const uint256& hash) const
{
    const auto info = m_chainstate.GetBlockInfo(hash);
    if (!info || !info->in_active_chain) return std::nullopt;
    return wallet::ChainBlockRef{info->hash, info->height, info->header.time};
}

Result<Block> NodeWalletChain::ReadBlock(const uint256& hash) const { return m_chainstate.ReadBlock(hash); }

bool NodeWalletChain::InMempool(const uint256& txid) const { return m_mempool.Exists(txid); }

Result<void> NodeWalletChain::BroadcastTransaction(const Transaction& tx)
{
    // Accepted transactions are announced to peers by transaction relay (a
    // listener of the pool).
    const MempoolAcceptResult result = m_mempool.AcceptToMemoryPool(tx);
    if (!result.Accepted()) return Error{result.state.ToString()};
    if (result.orphan) return Error{"missing inputs"};
    return {};
}

std::optional<int64_t> NodeWalletChain::EstimateFeeRate(int64_t conf_target, bool conservative) const
{
    return EstimateSmartFeeRate(m_chainstate, m_mempool, conf_target, conservative, m_fee_cache);
}

void NodeWalletChain::AddListener(wallet::WalletChainListener* listener)
{
    LockGuard lock{m_listeners_mutex};
    m_listeners.push_back(listener);
}

void NodeWalletChain::RemoveListener(wallet::WalletChainListener* listener)
{
    LockGuard lock{m_listeners_mutex};
    m_listeners.erase(std::remove(m_listeners.begin(), m_listeners.end(), listener), m_listeners.end());
}

void NodeWalletChain::BlockConnected(const Block& block, const BlockIndex& index)
{
    LockGuard lock{m_queue_mutex};
    m_queue.push_back({true, block, {index.hash, index.height, index.header.time}});
}

void NodeWalletChain::BlockDisconnected(const Block& block, const BlockIndex& index)
{
    LockGuard lock{m_queue_mutex};
    m_queue.push_back({false, block, {index.hash, index.height, index.header.time}});
}

void NodeWalletChain::ActiveTipChanged(const uint256& /*tip_hash*/, int64_t /*tip_height*/)
{
    std::vector<QueuedBlock> queue;
    {
        LockGuard lock{m_queue_mutex};
        queue.swap(m_queue);
    }
    LockGuard lock{m_listeners_mutex};
    for (const QueuedBlock& queued : queue) {
        for (auto* listener : m_listeners) {
            if (queued.connected) {
                listener->BlockConnected(queued.block, queued.ref);
            } else {
                listener->BlockDisconnected(queued.block, queued.ref);
            }
        }
    }
}

void NodeWalletChain::TransactionAdded(const MempoolEntry& entry)
{
    LockGuard lock{m_listeners_mutex};
    for (auto* listener : m_listeners) listener->TransactionAddedToMempool(entry.tx, entry.time);
}

void NodeWalletChain::TransactionRemoved(const uint256& txid, const uint256& /*wtxid*/, MempoolRemovalReason reason,
                                         uint64_t /*mempool_sequence*/)
{
    wallet::MempoolRemoval removal{wallet::MempoolRemoval::BLOCK};
    switch (reason) {
    case MempoolRemovalReason::BLOCK: removal = wallet::MempoolRemoval::BLOCK; break;
    case MempoolRemovalReason::CONFLICT: removal = wallet::MempoolRemoval::CONFLICT; break;
    case MempoolRemovalReason::SIZE_LIMIT: removal = wallet::MempoolRemoval::EVICTED; break;
    case MempoolRemovalReason::REORG: removal = wallet::MempoolRemoval::REORG; break;
    }
    LockGuard lock{m_listeners_mutex};
    for (auto* listener : m_listeners) listener->TransactionRemovedFromMempool(txid, removal);
}

}  // namespace hpips
