// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_TX_RELAY_H
#define HPIPS_NET_TX_RELAY_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <net/fast_random.h>
#include <net/messages.h>
#include <net/net_processing.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <util/uint256.h>

#include <array>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <optional>
#include <set>
#include <unordered_set>
#include <vector>

/**
 * Transaction relay (doc/p2p.md, "Transaction relay"), a ProtocolHandler of
 * the PeerManager and a MempoolListener of the pool.
 *
 * Announcing. Every transaction that enters the pool (RPC, a peer, an
 * orphan completed, a reorg) is queued for every peer that takes
 * transactions (not block-relay-only, relay=1 in its version) and does not
 * know it yet (it announced or sent it to us, or we announced it). Each peer's
 * queue is flushed on a Poisson timer (Core's trickle: 5 s on average,
 * shared by all inbound peers so that several connections from one observer
 * learn nothing more; 2 s per outbound peer): at most INVENTORY_BROADCAST_MAX
 * entries per flush, in arrival order (parents before children), skipping
 * transactions that left the pool and those below the peer's feefilter, as
 * MSG_WTX (wtxid) to peers that sent wtxidrelay and MSG_TX (txid) to the rest.
 *
 * Downloading. inv entries of the peer's kind (MSG_WTX from wtxidrelay
 * peers, MSG_TX from the rest; the other kind is ignored) that we do not
 * have and did not recently reject become announcements, at most
 * MAX_PEER_TX_ANNOUNCEMENTS per peer (more are dropped, not punished). A transaction is requested (getdata)
 * from one announcer at a time, at most MAX_PEER_TX_REQUEST_IN_FLIGHT per
 * peer; an inbound announcer waits NONPREF_PEER_TX_DELAY so an outbound one
 * is asked first. A request unanswered after GETDATA_TX_INTERVAL, or
 * answered by notfound, goes to the next announcer.
 *
 * tx messages, requested or not, go to AcceptToMemoryPool under the
 * sender's id (its orphans are its own: mempool.h). An accepted one sets
 * the connection's last_tx_time (eviction). A consensus failure is a
 * violation (HandleMessage returns an Error: disconnect and discourage)
 * unless the peer has noban; policy failures are not punished. Rejected
 * wtxids are remembered (at most MAX_RECENT_REJECTS, forgotten when the tip
 * moves) so they are not fetched again. An orphan's missing parents are
 * requested from its sender by txid (MSG_TX), as announcements of that peer
 * (they count toward its caps, as do the orphans of unrequested txs).
 *
 * getdata for MSG_TX / MSG_WTX is answered from the pool (tx), or with one
 * notfound for the rest; a transaction still waiting in the peer's queue is
 * not served (nobody learns of a transaction before its announcement).
 * Items wait in a per-peer queue (at most MAX_PEER_GETDATA_QUEUE; beyond it
 * notfound) while the peer's send queue is over its soft limit. mempool from
 * a peer with the mempool permission is answered with inv of the whole pool
 * (chunks of at most MAX_INV_SZ, feefilter applied); without it the peer is
 * disconnected (not discouraged, as Core). inv, getdata and notfound return
 * NOT_HANDLED so the block handler sees their other entries; tx and mempool
 * return HANDLED. A block-relay-only peer that sends tx or a tx inv is
 * disconnected.
 *
 * Thread safety: one mutex (m_mutex) guards all state. ProtocolHandler calls
 * come from the message-handler thread, MempoolListener calls from whichever
 * thread changed the pool (the pool holds none of its or the chainstate's
 * m_mutex then). Lock order: m_mutex, then a Peer's m_mutex or the pool's
 * m_mutex (reads only: Entries, HaveOrphan). m_mutex is never held while
 * calling a mutating pool method (AcceptToMemoryPool, EraseOrphansFrom),
 * whose listener callbacks take it.
 */
namespace hpips::net {

/** Average interval between announcements to inbound peers (Core's 5 s). */
constexpr std::chrono::milliseconds INBOUND_INVENTORY_BROADCAST_INTERVAL{5'000};
/** Average interval between announcements to an outbound peer (Core's 2 s). */
constexpr std::chrono::milliseconds OUTBOUND_INVENTORY_BROADCAST_INTERVAL{2'000};
/** Most transactions announced to one peer per flush (Core's). */
constexpr size_t INVENTORY_BROADCAST_MAX = 1'000;
/** Most transactions waiting to be announced to one peer: a flush every
 *  2–5 s of 1,000 drains far more than any pool accepts; beyond it new ones
 *  are not queued for that peer (it gets them from others). */
constexpr size_t MAX_PEER_TX_ANNOUNCE_QUEUE = 50'000;
/** Transaction hashes remembered per peer as known to it (sent, announced
 *  either way): short keyed ids, oldest forgotten first. Forgetting only
 *  costs a redundant inv entry. */
constexpr size_t MAX_PEER_KNOWN_TXS = 20'000;
/** Most announcements tracked per peer (Core's MAX_PEER_TX_ANNOUNCEMENTS):
 *  bounds what one peer makes us remember and request. */
constexpr size_t MAX_PEER_TX_ANNOUNCEMENTS = 5'000;
/** Most transactions requested from one peer at once (Core's). */
constexpr size_t MAX_PEER_TX_REQUEST_IN_FLIGHT = 100;
/** How long a requested transaction may take before the next announcer is
 *  asked (Core's GETDATA_TX_INTERVAL). */
constexpr std::chrono::seconds GETDATA_TX_INTERVAL{60};
/** Delay before requesting from an inbound announcer, so that an outbound
 *  one (harder for an attacker to be) is asked first (Core's). */
constexpr std::chrono::seconds NONPREF_PEER_TX_DELAY{2};
/** Rejected transactions remembered (wtxid, and txid where the failure does
 *  not depend on the witness) until the tip moves. */
constexpr size_t MAX_RECENT_REJECTS = 50'000;
/** Requested transactions waiting for the peer's send queue to drain: one
 *  getdata's worth; more are answered notfound. */
constexpr size_t MAX_PEER_GETDATA_QUEUE = MAX_GETDATA_SZ;

/** How the relay runs. */
struct TxRelayOptions {
    /** Average announcement intervals (-txrelayinterval shortens both on regtest). */
    std::chrono::milliseconds inbound_interval{INBOUND_INVENTORY_BROADCAST_INTERVAL};
    std::chrono::milliseconds outbound_interval{OUTBOUND_INVENTORY_BROADCAST_INTERVAL};
    /** The relay's time (timers, request timeouts); empty: the steady clock. */
    std::function<std::chrono::microseconds()> now;
    /** Random seed for tests; nullopt: strong randomness. */
    std::optional<std::array<uint8_t, 32>> random_seed;
};

/** One peer's relay bookkeeping, for tests and diagnostics. */
struct PeerTxRelayStats {
    /** Transactions waiting to be announced to it. */
    size_t to_announce{0};
    /** Hashes remembered as known to it. */
    size_t known{0};
    /** Its announcements we track (requested or not). */
    size_t announcements{0};
    /** Requests outstanding with it. */
    size_t in_flight{0};
    /** getdata items waiting for its send queue. */
    size_t getdata_queued{0};
    /** tx messages it sent that we had not requested. */
    uint64_t unrequested_txs{0};
    /** Announcements dropped because it was at MAX_PEER_TX_ANNOUNCEMENTS. */
    uint64_t announcements_dropped{0};
};

/** Transaction relay (see the file comment). */
class TxRelay final : public ProtocolHandler, public MempoolListener {
public:
    /** Registers with `mempool` as a listener; `chainstate`, `mempool` and
     *  `clock` must outlive it. */
    TxRelay(const Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, TxRelayOptions options = {});
    /** Unregisters from the pool. */
    ~TxRelay() override;
    TxRelay(const TxRelay&) = delete;
    TxRelay& operator=(const TxRelay&) = delete;

    // ProtocolHandler (message-handler thread)
    Result<Handling> HandleMessage(Peer& peer, const Message& message) override LOCKS_EXCLUDED(m_mutex);
    void OnPeerReady(Peer& peer) override LOCKS_EXCLUDED(m_mutex);
    void SendMessages(Peer& peer) override LOCKS_EXCLUDED(m_mutex);
    void OnPeerGone(NodeId id) override LOCKS_EXCLUDED(m_mutex);

    // MempoolListener (any thread)
    void TransactionAdded(const MempoolEntry& entry) override LOCKS_EXCLUDED(m_mutex);
    void TransactionRemoved(const uint256& txid, const uint256& wtxid, MempoolRemovalReason reason,
                            uint64_t mempool_sequence) override LOCKS_EXCLUDED(m_mutex);

    /** A peer's bookkeeping; nullopt for an unknown peer. */
    std::optional<PeerTxRelayStats> GetPeerStats(NodeId id) const LOCKS_EXCLUDED(m_mutex);
    /** Distinct transactions being tracked for download. */
    size_t DownloadCount() const LOCKS_EXCLUDED(m_mutex);
    /** Entries of the recent-rejects set. */
    size_t RecentRejectCount() const LOCKS_EXCLUDED(m_mutex);

private:
    using Clock = std::chrono::microseconds;

    /** A transaction queued for announcement. */
    struct Queued {
        uint256 txid;
        uint256 wtxid;
    };
    /** What the relay knows of a pool transaction. */
    struct PoolTx {
        uint256 wtxid;
        FeeRate fee_rate{0};
    };
    /** One announcement a peer made to us. */
    struct Announcement {
        /** MSG_TX or MSG_WTX: how to ask for it. */
        uint32_t type{MSG_TX};
        /** When it may be requested from this peer. */
        Clock requestable{0};
        /** Its key in PeerState::pending while it waits there. */
        std::optional<Clock> pending_at;
        bool requested{false};
        /** When the request expires (requested only). */
        Clock expiry{0};
    };
    /** A bounded set of 64-bit keyed ids, oldest forgotten first. */
    struct KnownSet {
        std::unordered_set<uint64_t> ids;
        std::deque<uint64_t> order;
        void Insert(uint64_t id);
        bool Contains(uint64_t id) const { return ids.count(id) != 0; }
    };
    /** One peer's state. */
    struct PeerState {
        bool inbound{false};
        /** We announce transactions to it. */
        bool relay_to{false};
        bool wtxid_relay{false};
        bool block_relay_only{false};
        std::deque<Queued> to_announce;
        /** Txids in to_announce (not served before they are announced). */
        std::set<uint256> to_announce_set;
        KnownSet known;
        Clock next_inv_send{0};
        std::map<uint256, Announcement> announcements;
        /** Unrequested announcements by the time they may be requested. */
        std::set<std::pair<Clock, uint256>> pending;
        /** Requests outstanding, by expiry. */
        std::set<std::pair<Clock, uint256>> in_flight;
        std::deque<InvItem> getdata_queue;
        uint64_t unrequested_txs{0};
        uint64_t announcements_dropped{0};
    };
    /** A transaction being downloaded: who announced it, who was asked. */
    struct Download {
        std::set<NodeId> announcers;
        std::optional<NodeId> requested_from;
    };

    Clock Now() const;
    /** The keyed short id of a hash for the known sets. */
    uint64_t ShortId(const uint256& hash) const;
    PeerState& StateFor(Peer& peer) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Clock NextPoisson(Clock now, std::chrono::milliseconds average) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Forgets the recent rejects if the tip moved since they were recorded. */
    void RefreshRejects(const uint256& tip) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void AddReject(const uint256& hash) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** True if the hash is in the pool (by txid or wtxid) or recently rejected. */
    bool AlreadyHave(const uint256& hash, bool is_wtxid) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    /** Tracks an announcement of `hash` by `id` (false: over its cap). */
    bool AddAnnouncement(NodeId id, PeerState& state, const uint256& hash, uint32_t type, Clock requestable)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Drops `id`'s announcement of `hash`; if it was the one asked, the
     *  other announcers may be asked now. */
    void DropAnnouncement(NodeId id, PeerState& state, const uint256& hash, Clock now)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Forgets `hash` entirely (we have it, or it is rejected). */
    void ForgetHash(const uint256& hash) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    void HandleInv(Peer& peer, const InvMsg& msg) LOCKS_EXCLUDED(m_mutex);
    void HandleGetData(Peer& peer, const GetDataMsg& msg) LOCKS_EXCLUDED(m_mutex);
    void HandleNotFound(Peer& peer, const NotFoundMsg& msg) LOCKS_EXCLUDED(m_mutex);
    Result<Handling> HandleTx(Peer& peer, const TxMsg& msg) LOCKS_EXCLUDED(m_mutex);
    void HandleMempool(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    /** Serves queued getdata items while the send queue has room. */
    void ServeGetData(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    /** Flushes the announcement queue when its timer is due. */
    void MaybeAnnounce(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    /** Expires requests and sends getdata for what may be requested now. */
    void RequestTransactions(Peer& peer) LOCKS_EXCLUDED(m_mutex);

    const Chainstate& m_chainstate;
    Mempool& m_mempool;
    const NodeClock& m_clock;
    const TxRelayOptions m_options;

    mutable Mutex m_mutex;
    FastRandom m_rng GUARDED_BY(m_mutex);
    /** Key of the short ids (so nobody can make two hashes collide). */
    uint64_t m_short_id_key{0};
    std::map<NodeId, PeerState> m_peers GUARDED_BY(m_mutex);
    std::map<uint256, Download> m_downloads GUARDED_BY(m_mutex);
    /** Every pool transaction (kept by the listener callbacks), and wtxid -> txid. */
    std::map<uint256, PoolTx> m_pool GUARDED_BY(m_mutex);
    std::map<uint256, uint256> m_pool_wtxids GUARDED_BY(m_mutex);
    std::set<uint256> m_recent_rejects GUARDED_BY(m_mutex);
    std::deque<uint256> m_recent_rejects_order GUARDED_BY(m_mutex);
    uint256 m_rejects_tip GUARDED_BY(m_mutex);
    /** The flush time all inbound peers share. */
    Clock m_next_inbound_inv_send GUARDED_BY(m_mutex){0};
};

}  // namespace hpips::net

#endif  // HPIPS_NET_TX_RELAY_H
