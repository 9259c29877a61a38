// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_CONNMAN_H
#define HPIPS_NET_CONNMAN_H

#include <net/addrman.h>
#include <net/banman.h>
#include <net/connection.h>
#include <net/fast_random.h>
#include <net/net_permissions.h>
#include <net/netaddress.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <array>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <thread>
#include <vector>

/**
 * The connection manager (Core's CConnman, our own code): listening
 * sockets, outbound connections, the set of live connections, inbound
 * eviction, and the message-handler thread that hands received messages to
 * the protocol logic (NetEventsInterface, implemented by PeerManager).
 *
 * Threads: one io_context run by `io_threads` threads does all socket work
 * (accept, connect, read, write, timers); one message-handler thread runs
 * the protocol logic, one message per peer per round, so a peer flooding
 * messages gets no more attention than one that sends a message a minute.
 *
 * Connection policy (doc/p2p.md, "Connections"):
 *  - -maxconnections (default 125) = MAX_OUTBOUND_FULL_RELAY (8) +
 *    MAX_BLOCK_RELAY_ONLY (2) automatic outbound slots + the rest inbound;
 *    manual connections (-addnode, -connect, addnode RPC, at most
 *    MAX_ADDNODE_CONNECTIONS) and -seednode fetches come on top.
 *  - automatic outbound peers come from the address manager, each from a
 *    network group no other automatic outbound peer is in.
 *  - -connect: only those peers, no automatic outbound; -connect=0: none.
 *  - an inbound peer that is banned or discouraged is refused (unless it
 *    has noban); when inbound slots are full an inbound peer is evicted
 *    (eviction.h) or, if all are protected, the new one is refused.
 *  - a connection whose handshake is not complete after -peertimeout
 *    seconds, whose send queue stays above SEND_BUFFER_SOFT_LIMIT with
 *    nothing taken for -peertimeout seconds, or that sent or received
 *    nothing for INACTIVITY_TIMEOUT, is closed.
 *
 * Misbehaviour: Misbehaving() disconnects the peer and, unless it has the
 * noban permission, discourages its address (banman.h). There are no
 * scores: one violation is enough.
 *
 * Thread safety: every public method may be called from any thread (RPC,
 * the message handler); node state is guarded by m_nodes_mutex.
 */
namespace hpips::net {

/** Automatic full-relay outbound connections. */
constexpr int MAX_OUTBOUND_FULL_RELAY = 8;
/** Automatic block-relay-only outbound connections. */
constexpr int MAX_BLOCK_RELAY_ONLY = 2;
/** Most manual (addnode / connect) connections at once. */
constexpr int MAX_ADDNODE_CONNECTIONS = 8;
/** Default -maxconnections. */
constexpr int DEFAULT_MAX_PEER_CONNECTIONS = 125;
/** Default -timeout: milliseconds a TCP connect may take. */
constexpr int64_t DEFAULT_CONNECT_TIMEOUT_MS = 5'000;
/** Default -peertimeout: seconds for the version handshake to complete, and
 *  for a peer with a full send queue to take a byte. */
constexpr int64_t DEFAULT_PEER_CONNECT_TIMEOUT = 60;
/** A connection that sends or receives nothing this long is closed (Core's
 *  TIMEOUT_INTERVAL); pings every two minutes keep honest ones busy. */
constexpr int64_t INACTIVITY_TIMEOUT = 20 * 60;
/** Default network I/O threads. */
constexpr size_t DEFAULT_NET_IO_THREADS = 2;
/** Seconds between peers.dat writes while running (and one at shutdown). */
constexpr int64_t DUMP_PEERS_INTERVAL = 15 * 60;
/** Seconds before retrying a manual or -connect peer that is not connected. */
constexpr int64_t MANUAL_RETRY_INTERVAL = 2;
/** Most entries in the added-node list (addnode RPC, -addnode). */
constexpr size_t MAX_ADDED_NODES = 256;

/** What the protocol logic implements for the connection manager. */
class NetEventsInterface {
public:
    virtual ~NetEventsInterface() = default;
    /** A new connection, before it reads anything (any network thread). */
    virtual void InitializeNode(const std::shared_ptr<Connection>& conn) = 0;
    /** A closed connection is being dropped (message-handler thread). */
    virtual void FinalizeNode(const Connection& conn) = 0;
    /** Processes at most one received message; true if more wait
     *  (message-handler thread). */
    virtual bool ProcessMessages(const std::shared_ptr<Connection>& conn) = 0;
    /** Periodic work for one peer: pings, timeouts, announcements
     *  (message-handler thread, every round). */
    virtual void SendMessages(const std::shared_ptr<Connection>& conn) = 0;
};

/** A listening endpoint and the permissions it grants (-bind, -whitebind). */
struct ListenSpec {
    Service service;
    uint32_t permissions{PF_NONE};
    /** Failing to bind is an init error (given explicitly) or only logged. */
    bool required{true};
};

/** How the connection manager runs. */
struct ConnmanOptions {
    std::array<uint8_t, 4> magic{};
    /** The chain's default port (outbound addresses without a port). */
    uint16_t default_port{0};
    bool listen{true};
    std::vector<ListenSpec> listen_on;
    /** -connect: only these peers (empty with use_addrman_outgoing false: none). */
    std::vector<std::string> connect;
    /** False with -connect (any value): no automatic outbound connections. */
    bool use_addrman_outgoing{true};
    std::vector<std::string> addnodes;
    std::vector<std::string> seednodes;
    int max_connections{DEFAULT_MAX_PEER_CONNECTIONS};
    std::chrono::milliseconds connect_timeout{DEFAULT_CONNECT_TIMEOUT_MS};
    int64_t peer_connect_timeout{DEFAULT_PEER_CONNECT_TIMEOUT};
    /** -onlynet: the reachable networks (empty: all). */
    std::set<NetType> only_networks;
    std::vector<WhitelistEntry> whitelist;
    size_t io_threads{DEFAULT_NET_IO_THREADS};
    /** Where peers.dat and banlist.json live ("" : nowhere, for tests). */
    std::filesystem::path data_dir;
};

/** Node statistics for getpeerinfo and friends. */
struct NodeStats {
    ConnectionStats conn;
    bool successfully_connected{false};
    int64_t min_ping_us{INT64_MAX};
};

/** One entry of getaddednodeinfo. */
struct AddedNodeInfo {
    std::string added_node;
    bool connected{false};
    std::optional<Service> resolved;
};

/** The connection manager (see the file comment). */
class ConnectionManager {
public:
    /** `clock` must outlive it. Loads peers.dat and banlist.json from
     *  options.data_dir (moving damaged files aside). */
    ConnectionManager(ConnmanOptions options, const NodeClock& clock);
    ~ConnectionManager();
    ConnectionManager(const ConnectionManager&) = delete;
    ConnectionManager& operator=(const ConnectionManager&) = delete;

    /** Binds, starts the threads and begins connecting. `events` must
     *  outlive Stop(). Errors: an explicit bind failed, or listening was
     *  asked for and nothing could be bound. */
    Result<void> Start(NetEventsInterface& events);
    /** Stops accepting and connecting, closes every connection, finalizes
     *  them with the protocol logic, joins the threads, writes peers.dat and
     *  banlist.json. Idempotent. */
    void Stop();

    AddrMan& GetAddrMan() { return *m_addrman; }
    BanMan& GetBanMan() { return *m_banman; }
    const NodeClock& Clock() const { return m_clock; }

    /** Disconnects `conn`, and discourages its address unless it has the
     *  noban permission; logs `reason`. */
    void Misbehaving(Connection& conn, const std::string& reason);

    /** Calls fn for each connection that is not closing. */
    void ForEachNode(const std::function<void(const std::shared_ptr<Connection>&)>& fn) const
        LOCKS_EXCLUDED(m_nodes_mutex);
    /** The connection with this id (even if closing), or nullptr. */
    std::shared_ptr<Connection> FindNode(NodeId id) const LOCKS_EXCLUDED(m_nodes_mutex);

    /** Statistics of every live connection. */
    std::vector<NodeStats> GetNodeStats() const LOCKS_EXCLUDED(m_nodes_mutex);
    /** Connections that are not closing: inbound, outbound (all kinds). */
    size_t CountInbound() const LOCKS_EXCLUDED(m_nodes_mutex);
    size_t CountOutbound() const LOCKS_EXCLUDED(m_nodes_mutex);

    /** disconnectnode: by the address text it was connected as ("ip:port"),
     *  by subnet (setban), or by id. True if one was found. */
    bool DisconnectNode(const std::string& address) LOCKS_EXCLUDED(m_nodes_mutex);
    bool DisconnectNode(const SubNet& subnet) LOCKS_EXCLUDED(m_nodes_mutex);
    bool DisconnectNode(NodeId id) LOCKS_EXCLUDED(m_nodes_mutex);

    /** addnode add/remove; false if already there / not there, or the
     *  list is full. */
    bool AddNode(const std::string& node) LOCKS_EXCLUDED(m_added_mutex);
    bool RemoveAddedNode(const std::string& node) LOCKS_EXCLUDED(m_added_mutex);
    /** getaddednodeinfo. */
    std::vector<AddedNodeInfo> GetAddedNodeInfo() const LOCKS_EXCLUDED(m_added_mutex, m_nodes_mutex);
    /** addnode onetry: one manual connection attempt now. Error if the
     *  text is not an address or the manual slots are full. */
    Result<void> OpenManualConnection(const std::string& node) LOCKS_EXCLUDED(m_nodes_mutex);

    /** setnetworkactive. Turning it off closes every connection. */
    void SetNetworkActive(bool active);
    bool GetNetworkActive() const { return m_network_active.load(); }

    /** -onlynet: true if `type` is a network we connect to. */
    bool IsReachable(NetType type) const;
    const std::set<NetType>& OnlyNetworks() const { return m_options.only_networks; }

    /** getnettotals. */
    uint64_t TotalBytesSent() const { return m_totals.bytes_sent.load(); }
    uint64_t TotalBytesRecv() const { return m_totals.bytes_recv.load(); }

    /** The endpoints being listened on (fixed once Start returned). */
    std::vector<Service> ListeningOn() const;

    /** Keyed hash of an address's network group (eviction, diversity). */
    uint64_t KeyedNetGroup(const NetAddr& addr) const;

    /** Max inbound / automatic outbound slots for the configured -maxconnections. */
    int MaxInbound() const { return m_max_inbound; }
    int MaxOutboundFullRelay() const { return m_max_outbound_full_relay; }
    int MaxOutboundBlockRelay() const { return m_max_outbound_block_relay; }

    /** Wakes the message-handler thread (a message arrived). */
    void WakeMessageHandler() LOCKS_EXCLUDED(m_wake_mutex);

private:
    struct PendingConnect;

    Result<void> BindListeners();
    void Accept(size_t listener_index);
    void HandleAccepted(boost::asio::ip::tcp::socket socket, const ListenSpec& spec);
    void ConnectTo(const Service& target, ConnectionType type, const std::string& name);
    void OnConnected(const std::shared_ptr<PendingConnect>& pending);
    std::shared_ptr<Connection> AddConnection(boost::asio::ip::tcp::socket socket, ConnectionType type,
                                              const std::string& name, uint32_t permissions)
        LOCKS_EXCLUDED(m_nodes_mutex);
    bool AttemptToEvictConnection() LOCKS_EXCLUDED(m_nodes_mutex);
    uint32_t WhitelistPermissions(const NetAddr& addr) const;

    /** The outbound/maintenance timer: the next round after `delay` (0 at
     *  start, TICK_INTERVAL after each round). */
    void ScheduleTick(std::chrono::milliseconds delay);
    void Tick();
    void OpenAutomaticConnection();
    void OpenManualConnections();
    void CheckInactivity();
    /** True if a connection (or attempt) to `service` exists. */
    bool IsConnectedOrPending(const Service& service) const LOCKS_EXCLUDED(m_nodes_mutex);

    void ThreadMessageHandler() LOCKS_EXCLUDED(m_wake_mutex);
    void RemoveClosedNodes() LOCKS_EXCLUDED(m_nodes_mutex);
    void DumpPeers();

    ConnmanOptions m_options;
    const NodeClock& m_clock;
    std::unique_ptr<AddrMan> m_addrman;
    std::unique_ptr<BanMan> m_banman;
    NetEventsInterface* m_events{nullptr};
    NetTotals m_totals;
    int m_max_outbound_full_relay{0};
    int m_max_outbound_block_relay{0};
    int m_max_inbound{0};
    uint256 m_netgroup_key;

    boost::asio::io_context m_ioc;
    std::optional<boost::asio::executor_work_guard<boost::asio::io_context::executor_type>> m_work;
    std::vector<std::thread> m_io_threads;
    std::vector<std::unique_ptr<boost::asio::ip::tcp::acceptor>> m_acceptors;
    std::vector<ListenSpec> m_listen_specs;
    /** Where the listeners are bound (set by Start, read-only afterwards). */
    std::vector<Service> m_bound;
    std::unique_ptr<boost::asio::steady_timer> m_tick_timer;

    std::thread m_msghand_thread;
    Mutex m_wake_mutex;
    std::condition_variable m_wake_cv;
    bool m_wake GUARDED_BY(m_wake_mutex){false};
    std::atomic<bool> m_interrupt{false};
    std::atomic<bool> m_network_active{true};
    std::atomic<bool> m_started{false};

    mutable Mutex m_nodes_mutex;
    std::map<NodeId, std::shared_ptr<Connection>> m_nodes GUARDED_BY(m_nodes_mutex);
    /** Outbound attempts under way: target -> type, and the attempts
     *  themselves (so Stop can cancel them instead of waiting out -timeout). */
    std::map<Service, ConnectionType> m_pending GUARDED_BY(m_nodes_mutex);
    std::map<Service, std::weak_ptr<PendingConnect>> m_pending_connects GUARDED_BY(m_nodes_mutex);
    NodeId m_next_id GUARDED_BY(m_nodes_mutex){0};

    mutable Mutex m_added_mutex;
    std::vector<std::string> m_added_nodes GUARDED_BY(m_added_mutex);
    /** Manual targets -> node-clock time of the last attempt. */
    std::map<std::string, int64_t> m_last_manual_attempt GUARDED_BY(m_added_mutex);

    Mutex m_rng_mutex;
    FastRandom m_rng GUARDED_BY(m_rng_mutex);
    /** Seed nodes not fetched from yet. */
    std::vector<std::string> m_seeds_todo;
    int64_t m_last_dump{0};
};

}  // namespace hpips::net

#endif  // HPIPS_NET_CONNMAN_H
