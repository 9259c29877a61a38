// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_WALLET_CHAIN_H
#define HPIPS_NODE_WALLET_CHAIN_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <rpc/misc_chain.h>
#include <util/clock.h>
#include <util/threadsafety.h>
#include <wallet/chain_interface.h>

#include <vector>

namespace hpips {

/** The node's implementation of the wallet's chain interface
 *  (wallet/chain_interface.h) over the chainstate and the mempool.
 *
 *  Block events: the chainstate calls BlockConnected / BlockDisconnected
 *  with its m_mutex held, where nothing slow may run; they are queued and
 *  delivered at ActiveTipChanged (the chain operation is over, m_mutex is
 *  free), in order, on the chain's thread. Mempool events are delivered as
 *  they come. m_listeners_mutex is held while delivering, so that
 *  RemoveListener returns only once no callback runs. */
class NodeWalletChain final : public wallet::WalletChain, public ChainListener, public MempoolListener {
public:
    NodeWalletChain(Chainstate& chainstate, Mempool& mempool, const NodeClock& clock);
    ~NodeWalletChain() override;
    NodeWalletChain(const NodeWalletChain&) = delete;
    NodeWalletChain& operator=(const NodeWalletChain&) = delete;

    // wallet::WalletChain
    Network GetNetwork() const override;
    int64_t Now() const override;
    wallet::ChainBlockRef Tip() const override;
    std::optional<wallet::ChainBlockRef> BlockAt(int64_t height) const override;
    std::optional<wallet::ChainBlockRef> ActiveBlock(const uint256& hash) const override;
    Result<Block> ReadBlock(const uint256& hash) const override;
    bool InMempool(const uint256& txid) const override;
    Result<void> BroadcastTransaction(const Transaction& tx) override;
    std::optional<int64_t> EstimateFeeRate(int64_t conf_target, bool conservative) const override;
    void AddListener(wallet::WalletChainListener* listener) override LOCKS_EXCLUDED(m_listeners_mutex);
    void RemoveListener(wallet::WalletChainListener* listener) override LOCKS_EXCLUDED(m_listeners_mutex);

    // ChainListener
    void BlockConnected(const Block& block, const BlockIndex& index) override LOCKS_EXCLUDED(m_queue_mutex);
    void BlockDisconnected(const Block& block, const BlockIndex& index) override LOCKS_EXCLUDED(m_queue_mutex);
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override
        LOCKS_EXCLUDED(m_queue_mutex, m_listeners_mutex);

    // MempoolListener
    void TransactionAdded(const MempoolEntry& entry) override LOCKS_EXCLUDED(m_listeners_mutex);
    void TransactionRemoved(const uint256& txid, const uint256& wtxid, MempoolRemovalReason reason,
                            uint64_t mempool_sequence) override LOCKS_EXCLUDED(m_listeners_mutex);

private:
    struct QueuedBlock {
        bool connected{true};
        Block block;
        wallet::ChainBlockRef ref;
    };

    Chainstate& m_chainstate;
    Mempool& m_mempool;
    const NodeClock& m_clock;
    Mutex m_queue_mutex;
    std::vector<QueuedBlock> m_queue GUARDED_BY(m_queue_mutex);
    mutable Mutex m_listeners_mutex;
    std::vector<wallet::WalletChainListener*> m_listeners GUARDED_BY(m_listeners_mutex);
    /** The confirmed fee rates EstimateFeeRate samples, per tip. */
    mutable FeeSampleCache m_fee_cache;
};

}  // namespace hpips

#endif  // HPIPS_NODE_WALLET_CHAIN_H
