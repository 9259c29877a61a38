// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_CONTEXT_H
#define HPIPS_NODE_CONTEXT_H

#include <chain/blob_store.h>
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <chain/txindex.h>
#include <dashboard/server.h>
#include <mining/miner.h>
#include <net/block_sync.h>
#include <net/blob_relay.h>
#include <net/connman.h>
#include <net/net_processing.h>
#include <net/tx_relay.h>
#include <node/lockfile.h>
#include <node/notify.h>
#include <node/settings.h>
#include <node/shutdown.h>
#include <primitives/network.h>
#include <rpc/auth.h>
#include <rpc/chain_context.h>
#include <rpc/http_server.h>
#include <rpc/mempool_file.h>
#include <rpc/server.h>
#include <util/clock.h>
#include <util/thread_pool.h>
#include <wallet/chain_interface.h>
#include <wallet/wallet_manager.h>
#include <zmq/zmq_notifier.h>

#include <atomic>

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>

namespace hpips {

/** Everything a running node owns, in one place, so that init wires the
 *  subsystems together and shutdown takes them apart in reverse order; no
 *  subsystem is a global. Later work adds its members here (chainstate,
 *  mempool, miner, peer manager) and its steps to AppInit / Shutdown. */
struct NodeContext {
    /** Command line and hpips.conf. */
    std::unique_ptr<Settings> args;
    /** The chain this node runs. */
    Network network{Network::MAIN};
    /** The network's data directory (<datadir>, <datadir>/testnet or <datadir>/regtest). */
    std::filesystem::path data_dir;
    /** Held while the node runs: no second node on the same directory. */
    std::unique_ptr<DirectoryLock> lock;
    /** The node's clock (mockable on regtest through setmocktime). */
    NodeClock clock;
    /** Set by the stop RPC and by SIGINT/SIGTERM. */
    ShutdownSignal shutdown;
    std::chrono::steady_clock::time_point start_time{std::chrono::steady_clock::now()};

    /** RPC: the dispatch table, who may call, and the HTTP server. */
    std::unique_ptr<RPCTable> rpc_table;
    std::unique_ptr<RPCAuthenticator> rpc_auth;
    std::unique_ptr<HTTPRPCServer> rpc_server;
    /** The dashboard and /metrics (-dashboard); null when off. Reads through rpc_table. */
    std::unique_ptr<DashboardServer> dashboard;
    /** The cookie written at startup, deleted at shutdown. */
    std::optional<std::filesystem::path> cookie_path;

    /** The chain: blocks, coins and the rules that move between them. */
    std::unique_ptr<Chainstate> chainstate;
    std::unique_ptr<Mempool> mempool;
    /** The transaction index (-txindex); null when off. Stopped before the chainstate. */
    std::unique_ptr<TxIndex> txindex;
    /** Job data (blobs) in <datadir>/blobs. */
    std::unique_ptr<BlobStore> blob_store;
    /** What the chain RPC methods read and drive (refers to the members above). */
    std::unique_ptr<ChainContext> chain_context;
    /** Threads for RPC-driven mining (generatetoaddress, generateblock). */
    std::unique_ptr<ThreadPool> rpc_mining_pool;
    /** The built-in miner (-mine). */
    std::unique_ptr<Miner> miner;
    /** The peer-to-peer network: connections and the protocol logic over
     *  them (started by StartNetwork, stopped by StopNetwork before the chain). */
    std::unique_ptr<net::ConnectionManager> connman;
    std::unique_ptr<net::PeerManager> peerman;
    /** Headers-first sync, block download and relay (a PeerManager handler). */
    std::unique_ptr<net::BlockSync> block_sync;
    /** Serves and fetches blobs over P2P (a handler of peerman, over blob_store). */
    std::unique_ptr<net::BlobRelay> blob_relay;
    /** Transaction relay, a handler of peerman and a listener of the mempool
     *  (destroyed after the connections stop, before peerman). */
    std::unique_ptr<net::TxRelay> tx_relay;
    /** Wallets (src/wallet): the chain as they see it, and the loaded
     *  wallets (null with -disablewallet). Torn down before the chain. */
    std::unique_ptr<wallet::WalletChain> wallet_chain;
    std::unique_ptr<wallet::WalletManager> wallet_manager;
    /** Raised at the start of shutdown: long RPC mining calls return at once. */
    std::atomic<bool> interrupt{false};
    /** bitcoind habits (node/init.cpp). The configuration file read. */
    std::filesystem::path conf_path;
    /** The debug log (-debuglogfile); empty with -nodebuglogfile. */
    std::filesystem::path log_path;
    /** The pid file written at start (-pid), removed at shutdown. */
    std::optional<std::filesystem::path> pid_path;
    /** Runs -blocknotify / -startupnotify commands off the validation thread. */
    std::unique_ptr<CommandRunner> notify_runner;
    /** -blocknotify, a listener of the chainstate. */
    std::unique_ptr<BlockNotifier> block_notifier;
    /** -zmqpub*: ZMQ notifications, a listener of the chainstate and the
     *  mempool (node/zmq_setup.h); null without those options. */
    std::unique_ptr<ZmqNotifier> zmq_notifier;
    /** -persistmempool (default on), and whether the start got as far as
     *  reading mempool.dat (only then is it written at shutdown). */
    bool persist_mempool{true};
    bool mempool_load_tried{false};
    /** savemempool's context. */
    std::unique_ptr<MempoolFileContext> mempool_file;

    /** hpipsd's exit status: 1 once a fatal error (a system failure of the
     *  chain: disk full, corrupt undo data) stopped the node. */
    std::atomic<int> exit_status{0};
};

}  // namespace hpips

#endif  // HPIPS_NODE_CONTEXT_H
