// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_CHAIN_CONTEXT_H
#define HPIPS_RPC_CHAIN_CONTEXT_H

#include <atomic>

namespace hpips {
class BlobStore;
class Chainstate;
class Mempool;
class Miner;
class NodeClock;
class ThreadPool;
class TxIndex;
struct ChainParams;

/** What the chain RPC methods (blockchain, rawtransaction, mining,
 *  misc_chain, blobs) read and drive. The node fills one after loading the chain and
 *  passes it to each Register...RPCCommands; the methods keep a pointer to it,
 *  so it (and everything it refers to) must outlive the RPC table's use, and
 *  the node may set `miner` later (start/stop of the built-in miner) as long
 *  as no RPC runs at that moment. */
struct ChainContext {
    Chainstate& chainstate;
    Mempool& mempool;
    /** "Now" for templates and the initial-block-download estimate. */
    const NodeClock& clock;
    /** Equal to chainstate.Params(); spelled out because every method needs it. */
    const ChainParams& params;
    /** The built-in miner when -mine is on (getmininginfo reports it); may be null. */
    Miner* miner{nullptr};
    /** Set when the node shuts down: generatetoaddress / generateblock stop
     *  mining at once (they return what they have), and the waitfor* methods
     *  return the current tip. May be null. */
    const std::atomic<bool>* interrupt{nullptr};
    /** Worker threads for RPC mining (generate*); null mines on the RPC thread. */
    ThreadPool* mining_pool{nullptr};
    /** The store of job data (blobs); null when the node has none. */
    BlobStore* blobs{nullptr};
    /** The transaction index (-txindex); null when off. */
    TxIndex* txindex{nullptr};
};

}  // namespace hpips

#endif  // HPIPS_RPC_CHAIN_CONTEXT_H
