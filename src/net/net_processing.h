// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_NET_PROCESSING_H
#define HPIPS_NET_NET_PROCESSING_H

#include <net/addrman.h>
#include <net/connman.h>
#include <net/fast_random.h>
#include <net/messages.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

/**
 * The protocol logic (Core's net_processing, our own code): what a peer may
 * send when, and what we answer. The transport (connection.h, connman.h)
 * hands it one complete, checksummed message at a time.
 *
 * Handshake: each side sends version; the receiver answers with
 * wtxidrelay (optional) and verack. Rules, each broken one a violation
 * (disconnect and discourage, connman.h Misbehaving):
 *   - the first message must be version, and only one version is allowed;
 *   - before the peer's verack only verack and wtxidrelay may follow it;
 *   - every other command, and any command this node does not know, must
 *     wait for verack;
 *   - a payload that does not decode (messages.h) is a violation.
 * A peer below MIN_PEER_PROTO_VERSION, an automatic outbound peer without
 * NODE_NETWORK, and a connection to ourselves (our own version nonce) are
 * disconnected without discouragement. A version before our own on an
 * inbound connection is answered with ours.
 *
 * After the handshake this skeleton handles: ping/pong (PING_INTERVAL,
 * timeout -pingtimeout), sendheaders / feefilter / wtxidrelay (recorded per
 * peer), addr (rate-limited by a token bucket, stored in the address
 * manager, relayed to one or two peers) and getaddr (answered once per
 * inbound connection from a cached sample of the address manager).
 * Unknown commands after the handshake (which the transport kept below
 * MAX_UNKNOWN_PAYLOAD) are ignored.
 *
 * EXTENSION POINT: getheaders, headers, inv, getdata, notfound, tx, block,
 * getblob, blob and mempool are decoded (so their limits hold today) and
 * then offered to every registered ProtocolHandler in turn; a message no
 * handler takes is ignored. Headers-first sync, block download, block and
 * transaction relay and the blob store plug in there, without touching the
 * transport or the handshake.
 *
 * Thread safety: InitializeNode may run on a network thread, everything
 * else of NetEventsInterface on the message-handler thread; the RPC
 * accessors (GetPeerStats, SendPings) from any thread. Peers are guarded
 * by m_peers_mutex (the map) and each Peer's own m_mutex (its fields).
 */
namespace hpips::net {

/** Default -pingtimeout: seconds a ping may go unanswered (Core's 20 minutes). */
constexpr int64_t DEFAULT_PING_TIMEOUT = 20 * 60;
/** Seconds between pings to a peer. */
constexpr int64_t PING_INTERVAL = 2 * 60;
/** Addresses relayed per second a peer earns (Core's 0.1). */
constexpr double MAX_ADDR_RATE_PER_SECOND = 0.1;
/** Most addresses a peer's bucket can hold: one full addr message. */
constexpr double MAX_ADDR_PROCESSING_TOKEN_BUCKET = static_cast<double>(MAX_ADDR_TO_SEND);
/** Percentage of the address manager a getaddr answer may reveal. */
constexpr size_t MAX_PCT_ADDR_TO_SEND = 23;
/** A getaddr answer is reused for this long, so repeated connections cannot
 *  scrape the whole address manager (Core: 21 hours and up). */
constexpr int64_t ADDR_RESPONSE_CACHE_LIFETIME = 21 * 60 * 60;
/** Average seconds between addr relay flushes to one peer (Poisson). */
constexpr int64_t AVG_ADDRESS_BROADCAST_INTERVAL = 30;
/** Addresses remembered per peer as already known to it. */
constexpr size_t MAX_KNOWN_ADDRESSES = 5'000;
/** Seconds an addr-fetch (-seednode) connection is kept at most. */
constexpr int64_t ADDR_FETCH_TIMEOUT = 2 * 60;
/** Time penalty on gossiped addresses (their time moves this far back). */
constexpr int64_t ADDR_TIME_PENALTY = 2 * 60 * 60;
/** Gossiped addresses younger than this may be relayed on. */
constexpr int64_t ADDR_RELAY_MAX_AGE = 10 * 60;

/** One peer's protocol state, owned by the PeerManager. */
struct Peer {
    explicit Peer(std::shared_ptr<Connection> conn_in) : conn{std::move(conn_in)} {}

    /** The transport; always valid while the Peer exists. */
    const std::shared_ptr<Connection> conn;

    mutable Mutex m_mutex;
    // Handshake.
    bool version_received GUARDED_BY(m_mutex){false};
    bool verack_received GUARDED_BY(m_mutex){false};
    bool version_sent GUARDED_BY(m_mutex){false};
    /** Our version nonce (self-connection detection). */
    uint64_t local_nonce GUARDED_BY(m_mutex){0};
    int32_t version GUARDED_BY(m_mutex){0};
    uint64_t services GUARDED_BY(m_mutex){NODE_NONE};
    /** The user agent, reduced to safe characters for display. */
    std::string user_agent GUARDED_BY(m_mutex);
    int32_t start_height GUARDED_BY(m_mutex){-1};
    bool relay_txs GUARDED_BY(m_mutex){false};
    /** Peer's clock minus ours at version time, seconds. */
    int64_t time_offset GUARDED_BY(m_mutex){0};
    /** Our address as the peer sees it. */
    std::optional<Service> addr_local GUARDED_BY(m_mutex);
    // Announcement preferences.
    bool prefer_headers GUARDED_BY(m_mutex){false};
    bool wtxid_relay GUARDED_BY(m_mutex){false};
    /** feefilter; 0 until received. */
    int64_t fee_filter GUARDED_BY(m_mutex){0};
    // Ping.
    uint64_t ping_nonce_sent GUARDED_BY(m_mutex){0};
    std::chrono::steady_clock::time_point ping_start GUARDED_BY(m_mutex);
    /** Node-clock second the outstanding ping was sent (timeout). */
    int64_t ping_sent_time GUARDED_BY(m_mutex){0};
    int64_t next_ping_time GUARDED_BY(m_mutex){0};
    bool ping_queued GUARDED_BY(m_mutex){false};
    std::optional<int64_t> last_ping_us GUARDED_BY(m_mutex);
    // Address relay.
    bool addr_relay_enabled GUARDED_BY(m_mutex){false};
    double addr_token_bucket GUARDED_BY(m_mutex){1.0};
    int64_t addr_token_time GUARDED_BY(m_mutex){0};
    uint64_t addr_processed GUARDED_BY(m_mutex){0};
    uint64_t addr_rate_limited GUARDED_BY(m_mutex){0};
    bool getaddr_answered GUARDED_BY(m_mutex){false};
    bool getaddr_sent GUARDED_BY(m_mutex){false};
    std::vector<AddressEntry> addrs_to_send GUARDED_BY(m_mutex);
    int64_t next_addr_send GUARDED_BY(m_mutex){0};
    std::set<Service> known_addrs GUARDED_BY(m_mutex);
    std::deque<Service> known_addrs_order GUARDED_BY(m_mutex);

    /** Remembers that the peer knows `service` (bounded, oldest dropped). */
    void AddKnownAddress(const Service& service) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
};

/** What getpeerinfo shows of a peer's protocol state. */
struct PeerStats {
    int32_t version{0};
    uint64_t services{NODE_NONE};
    std::string user_agent;
    int32_t start_height{-1};
    bool relay_txs{false};
    int64_t time_offset{0};
    std::optional<Service> addr_local;
    bool prefer_headers{false};
    bool wtxid_relay{false};
    int64_t fee_filter{0};
    std::optional<int64_t> last_ping_us;
    std::optional<int64_t> ping_wait_us;
    bool addr_relay_enabled{false};
    uint64_t addr_processed{0};
    uint64_t addr_rate_limited{0};
};

/** EXTENSION POINT for the protocol parts to come (see the file comment). */
class ProtocolHandler {
public:
    virtual ~ProtocolHandler() = default;
    /** Whether a handler took a message. */
    enum class Handling { NOT_HANDLED, HANDLED };
    /** A post-handshake message outside the built-in set, already decoded.
     *  An Error is a protocol violation: the peer is disconnected and
     *  discouraged with its message as the reason. Runs on the
     *  message-handler thread; must not block on the network. */
    virtual Result<Handling> HandleMessage(Peer& peer, const Message& message) = 0;
    /** The peer completed the handshake. */
    virtual void OnPeerReady(Peer& /*peer*/) {}
    /** Periodic work for a ready peer (announcements, requests, stall
     *  checks), every message-handler round. */
    virtual void SendMessages(Peer& /*peer*/) {}
    /** The peer is gone; drop its state. */
    virtual void OnPeerGone(NodeId /*id*/) {}
};

/** How the protocol logic runs. */
struct PeerManagerOptions {
    /** -pingtimeout, seconds. */
    int64_t ping_timeout{DEFAULT_PING_TIMEOUT};
    /** Services we announce. */
    uint64_t local_services{NODE_NETWORK};
    /** The height announced in version (the chain's tip). */
    std::function<int64_t()> best_height;
    /** Fee rate announced in feefilter (base units per 1,000 bytes). */
    int64_t min_relay_fee_rate{0};
    /** False (-blocksonly): ask peers not to announce transactions. */
    bool relay_txs{true};
    /** Random seed for tests; nullopt: strong randomness. */
    std::optional<std::array<uint8_t, 32>> random_seed;
};

/** The protocol logic (see the file comment). */
class PeerManager final : public NetEventsInterface {
public:
    /** `connman` and `clock` must outlive the PeerManager. */
    PeerManager(ConnectionManager& connman, const NodeClock& clock, PeerManagerOptions options);

    /** Adds a handler; call before the connection manager starts. */
    void RegisterHandler(ProtocolHandler& handler);

    // NetEventsInterface
    void InitializeNode(const std::shared_ptr<Connection>& conn) override LOCKS_EXCLUDED(m_peers_mutex);
    void FinalizeNode(const Connection& conn) override LOCKS_EXCLUDED(m_peers_mutex);
    bool ProcessMessages(const std::shared_ptr<Connection>& conn) override LOCKS_EXCLUDED(m_peers_mutex);
    void SendMessages(const std::shared_ptr<Connection>& conn) override LOCKS_EXCLUDED(m_peers_mutex);

    /** Processes one decoded-or-not message from `peer` (tests and fuzzing
     *  drive this directly). */
    void ProcessMessage(Peer& peer, const NetMessage& message);

    /** A violation: disconnect and discourage (connman.h Misbehaving). */
    void Misbehaving(Peer& peer, const std::string& reason);

    /** The peer's protocol state for getpeerinfo; nullopt if unknown. */
    std::optional<PeerStats> GetPeerStats(NodeId id) const LOCKS_EXCLUDED(m_peers_mutex);
    /** The ping RPC: every peer gets a ping at the next round. */
    void SendPings() LOCKS_EXCLUDED(m_peers_mutex);

    /** Sends a message to a peer (encodes the payload). */
    void Send(Peer& peer, const Message& message);

private:
    std::shared_ptr<Peer> GetPeer(NodeId id) const LOCKS_EXCLUDED(m_peers_mutex);
    void PushVersion(Peer& peer);
    void HandleVersion(Peer& peer, const VersionMsg& msg);
    void HandleVerack(Peer& peer);
    void HandleAddr(Peer& peer, const AddrMsg& msg);
    void HandleGetAddr(Peer& peer);
    void HandlePong(Peer& peer, const PongMsg& msg);
    void MaybeSendPing(Peer& peer);
    void MaybeSendAddr(Peer& peer);
    void RelayAddress(NodeId from, const AddressEntry& entry);
    std::vector<AddressEntry> AddressesForGetAddr(NetType requestor_net) LOCKS_EXCLUDED(m_addr_cache_mutex);
    bool IsSelfNonce(uint64_t nonce) const LOCKS_EXCLUDED(m_peers_mutex);
    int64_t NextPoisson(int64_t now, int64_t average) LOCKS_EXCLUDED(m_rng_mutex);
    uint64_t RandomNonce() LOCKS_EXCLUDED(m_rng_mutex);

    ConnectionManager& m_connman;
    AddrMan& m_addrman;
    const NodeClock& m_clock;
    const PeerManagerOptions m_options;
    std::vector<ProtocolHandler*> m_handlers;

    mutable Mutex m_peers_mutex;
    std::map<NodeId, std::shared_ptr<Peer>> m_peers GUARDED_BY(m_peers_mutex);

    Mutex m_rng_mutex;
    FastRandom m_rng GUARDED_BY(m_rng_mutex);
    /** Key of the deterministic choice of addr relay targets. */
    uint256 m_addr_relay_key;

    struct AddrCache {
        std::vector<AddressEntry> addrs;
        int64_t expires{0};
    };
    Mutex m_addr_cache_mutex;
    std::map<NetType, AddrCache> m_addr_cache GUARDED_BY(m_addr_cache_mutex);
};

/** Keeps the printable characters Core's SanitizeString keeps (letters,
 *  digits, " .,;-_/:?@()"), dropping the rest. */
std::string SanitizeUserAgent(std::string_view text);

}  // namespace hpips::net

#endif  // HPIPS_NET_NET_PROCESSING_H
