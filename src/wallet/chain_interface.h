// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_CHAIN_INTERFACE_H
#define HPIPS_WALLET_CHAIN_INTERFACE_H

#include <primitives/block.h>
#include <primitives/network.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <optional>

/**
 * The only door between the wallet and the rest of the node (as Bitcoin
 * Core's interfaces/chain.h): the wallet never includes chainstate or
 * mempool headers, so it could later run in another process. The node
 * implements WalletChain over its chainstate and mempool
 * (src/node/wallet_chain.cpp) and delivers WalletChainListener events.
 *
 * Event contract:
 *  - BlockConnected / BlockDisconnected arrive in chain order, one block at
 *    a time, after the chain operation that moved the tip is over (never
 *    with a chain lock held that a WalletChain call would need), so the
 *    listener may call WalletChain and do disk I/O.
 *  - TransactionAddedToMempool / TransactionRemovedFromMempool arrive in
 *    the order the pool changed, without the pool's lock.
 *  - A transaction confirmed by a block may be reported as removed from the
 *    pool (reason BLOCK) before its BlockConnected arrives.
 */
namespace hpips::wallet {

/** Why a transaction left the mempool (mirrors the pool's reasons the
 *  wallet cares about). */
enum class MempoolRemoval {
    BLOCK,     //!< confirmed (its BlockConnected follows or preceded)
    CONFLICT,  //!< double spent by a confirmed transaction
    EVICTED,   //!< size limit
    REORG,     //!< invalid after a reorg
};

/** A block the wallet hears about or asks for, with its place in the chain. */
struct ChainBlockRef {
    uint256 hash;
    int64_t height{0};
    int64_t time{0};
};

/** Receives chain and mempool events (see the file comment). */
class WalletChainListener {
public:
    virtual ~WalletChainListener() = default;
    virtual void BlockConnected(const Block& /*block*/, const ChainBlockRef& /*ref*/) {}
    virtual void BlockDisconnected(const Block& /*block*/, const ChainBlockRef& /*ref*/) {}
    virtual void TransactionAddedToMempool(const Transaction& /*tx*/, int64_t /*time*/) {}
    virtual void TransactionRemovedFromMempool(const uint256& /*txid*/, MempoolRemoval /*reason*/) {}
};

/** What the wallet may ask of the chain. Every call is thread-safe and
 *  consistent on its own; two calls may see different tips. */
class WalletChain {
public:
    virtual ~WalletChain() = default;
    /** The network (addresses, signature hashes). */
    virtual Network GetNetwork() const = 0;
    /** The node's clock in seconds (mockable on regtest): when the wallet
     *  first saw a transaction. */
    virtual int64_t Now() const = 0;
    /** The active tip. */
    virtual ChainBlockRef Tip() const = 0;
    /** The active chain's block at `height`, nullopt beyond the tip. */
    virtual std::optional<ChainBlockRef> BlockAt(int64_t height) const = 0;
    /** Where block `hash` stands: nullopt when unknown or not on the active chain. */
    virtual std::optional<ChainBlockRef> ActiveBlock(const uint256& hash) const = 0;
    /** The full block from disk. */
    virtual Result<Block> ReadBlock(const uint256& hash) const = 0;
    /** Whether the mempool holds `txid`. */
    virtual bool InMempool(const uint256& txid) const = 0;
    /** Puts `tx` into the mempool, which relays it to peers; the error says
     *  why the pool refused it. */
    virtual Result<void> BroadcastTransaction(const Transaction& tx) = 0;
    /** estimatesmartfee's answer for `conf_target` blocks (clamped to 1 ..
     *  1008): a fee rate in base units per 1000 bytes, nullopt when the node
     *  has too little data. May read recent blocks from disk. */
    virtual std::optional<int64_t> EstimateFeeRate(int64_t conf_target, bool conservative) const = 0;
    /** Starts / stops delivering events to `listener`. After
     *  RemoveListener returns no callback runs on it. */
    virtual void AddListener(WalletChainListener* listener) = 0;
    virtual void RemoveListener(WalletChainListener* listener) = 0;
};

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_CHAIN_INTERFACE_H
