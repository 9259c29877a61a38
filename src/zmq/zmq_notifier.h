// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_ZMQ_ZMQ_NOTIFIER_H
#define HPIPS_ZMQ_ZMQ_NOTIFIER_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <zmq/zmq_publisher.h>

#include <atomic>
#include <memory>

/** Turns chain and mempool events into ZMQ messages (doc/zmq.md), with
 *  Bitcoin Core's choice of what each topic carries:
 *
 *   block connected     hashtx + rawtx for each of its transactions, then
 *                       sequence "C"
 *   block disconnected  hashtx + rawtx for each of its transactions, then
 *                       sequence "D"
 *   new active tip      hashblock + rawblock, once per chain operation that
 *                       connected a block, not during initial block download
 *                       (a tip moved back by invalidateblock is not one)
 *   tx entered the pool hashtx + rawtx, then sequence "A" + pool sequence
 *   tx left the pool    sequence "R" + pool sequence, unless a block
 *                       confirmed it (its block's "C" says so)
 *
 * Events arrive in order on the threads that cause them (ChainListener,
 * MempoolListener contracts); the only blocking work here is encoding and
 * the publisher's non-blocking sends, plus one block read from disk per new
 * tip when rawblock is published (in ActiveTipChanged, with no chainstate
 * lock held). */
namespace hpips {

/** See the file comment. Register it with the chainstate and the mempool;
 *  unregister it before either goes away. */
class ZmqNotifier final : public ChainListener, public MempoolListener {
public:
    ZmqNotifier(const Chainstate& chainstate, std::unique_ptr<ZmqPublisher> publisher);

    /** The sockets and what they publish (getzmqnotifications). */
    const ZmqPublisher& Publisher() const { return *m_publisher; }

    // ChainListener
    void BlockConnected(const Block& block, const BlockIndex& index) override;
    void BlockDisconnected(const Block& block, const BlockIndex& index) override;
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override;

    // MempoolListener
    void TransactionAdded(const MempoolEntry& entry) override;
    void TransactionRemoved(const uint256& txid, const uint256& wtxid, MempoolRemovalReason reason,
                            uint64_t mempool_sequence) override;

private:
    /** hashtx and rawtx for `tx`. */
    void PublishTransaction(const Transaction& tx);

    const Chainstate& m_chainstate;
    const std::unique_ptr<ZmqPublisher> m_publisher;
    /** A block was connected since the last ActiveTipChanged (both arrive
     *  on the thread running the chain operation; atomic for the reader of
     *  the next operation on another thread). */
    std::atomic<bool> m_connected_since_tip{false};
};

}  // namespace hpips

#endif  // HPIPS_ZMQ_ZMQ_NOTIFIER_H
