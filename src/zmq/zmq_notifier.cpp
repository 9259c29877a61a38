// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_notifier.h>

#include <util/logging.h>

namespace hpips {

ZmqNotifier::ZmqNotifier(const Chainstate& chainstate, std::unique_ptr<ZmqPublisher> publisher)
    : m_chainstate{chainstate}, m_publisher{std::move(publisher)}
{
}

void ZmqNotifier::PublishTransaction(const Transaction& tx)
{
    if (m_publisher->Publishes(ZmqTopic::HASHTX)) m_publisher->Publish(ZmqTopic::HASHTX, ZmqHashBody(tx.GetTxid()));
    if (m_publisher->Publishes(ZmqTopic::RAWTX)) m_publisher->Publish(ZmqTopic::RAWTX, EncodeTransaction(tx));
}

void ZmqNotifier::BlockConnected(const Block& block, const BlockIndex& index)
{
    for (const Transaction& tx : block.txs) PublishTransaction(tx);
    if (m_publisher->Publishes(ZmqTopic::SEQUENCE)) {
        m_publisher->Publish(ZmqTopic::SEQUENCE, ZmqSequenceBody(index.hash, ZmqSequenceLabel::BLOCK_CONNECTED));
    }
    m_connected_since_tip = true;
}

void ZmqNotifier::BlockDisconnected(const Block& block, const BlockIndex& index)
{
    for (const Transaction& tx : block.txs) PublishTransaction(tx);
    if (m_publisher->Publishes(ZmqTopic::SEQUENCE)) {
        m_publisher->Publish(ZmqTopic::SEQUENCE, ZmqSequenceBody(index.hash, ZmqSequenceLabel::BLOCK_DISCONNECTED));
    }
}

void ZmqNotifier::ActiveTipChanged(const uint256& tip_hash, int64_t /*tip_height*/)
{
    if (!m_connected_since_tip.exchange(false)) return;
    if (m_chainstate.IsInitialBlockDownload()) return;
    if (m_publisher->Publishes(ZmqTopic::HASHBLOCK)) m_publisher->Publish(ZmqTopic::HASHBLOCK, ZmqHashBody(tip_hash));
    if (m_publisher->Publishes(ZmqTopic::RAWBLOCK)) {
        auto block = m_chainstate.ReadBlock(tip_hash);
        if (!block) {
            LogInfo("zmq: cannot read block {} for rawblock: {}", tip_hash.GetHex(), block.error_message());
            return;
        }
        m_publisher->Publish(ZmqTopic::RAWBLOCK, EncodeBlock(*block));
    }
}

void ZmqNotifier::TransactionAdded(const MempoolEntry& entry)
{
    PublishTransaction(entry.tx);
    if (m_publisher->Publishes(ZmqTopic::SEQUENCE)) {
        m_publisher->Publish(ZmqTopic::SEQUENCE,
                             ZmqSequenceBody(entry.tx.GetTxid(), ZmqSequenceLabel::TX_ADDED, entry.sequence));
    }
}

void ZmqNotifier::TransactionRemoved(const uint256& txid, const uint256& /*wtxid*/, MempoolRemovalReason reason,
                                     uint64_t mempool_sequence)
{
    // A confirmed transaction's removal is told by its block's "C" (Core).
    if (reason == MempoolRemovalReason::BLOCK) return;
    if (m_publisher->Publishes(ZmqTopic::SEQUENCE)) {
        m_publisher->Publish(ZmqTopic::SEQUENCE,
                             ZmqSequenceBody(txid, ZmqSequenceLabel::TX_REMOVED, mempool_sequence));
    }
}

}  // namespace hpips
