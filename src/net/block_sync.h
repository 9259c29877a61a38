// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_BLOCK_SYNC_H
#define HPIPS_NET_BLOCK_SYNC_H

#include <chain/chainstate.h>
#include <net/connman.h>
#include <net/net_processing.h>
#include <util/threadsafety.h>

#include <atomic>
#include <cstdint>
#include <deque>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

/**
 * Headers-first sync, block download and block relay (doc/p2p.md, "Sync"),
 * a ProtocolHandler of the PeerManager. Blocks reach the chain only through
 * Chainstate::ProcessNewBlock / ProcessNewBlockHeaders.
 *
 * Sync: every peer is asked for headers (getheaders with our locator) once
 * it is ready; a full `headers` answer (2,000) is followed by the next
 * request. Headers are checked cheaply by the chain and never count as work.
 * Because the cheap check can be forged with SHA-256 alone, a peer may have
 * at most MAX_UNVERIFIED_HEADERS_PER_PEER headers that no verified block
 * backs yet: beyond that its headers are dropped and we stop asking until
 * its blocks verify. Headers whose chain does not have more work than our
 * tip get no blocks requested, so they never verify and the budget stops
 * them; the chain caps headers-only entries overall (MAX_HEADERS_ONLY).
 *
 * Download: blocks of a peer's best known chain within BLOCK_DOWNLOAD_WINDOW
 * of our tip, at most MAX_BLOCKS_IN_FLIGHT_PER_PEER per peer, each block
 * from one peer at a time. A block requested longer than
 * BLOCK_DOWNLOAD_TIMEOUT ago, or a peer holding up the window (the lowest
 * missing block) for BLOCK_STALLING_TIMEOUT while another peer could
 * download, gets the peer disconnected (not discouraged) and its blocks
 * requested elsewhere.
 *
 * Relay: when the tip moves, each peer gets the new blocks as `headers`
 * (if it sent sendheaders and at most MAX_BLOCKS_TO_ANNOUNCE are new to
 * it) or an `inv` of the tip. An announced unknown block is fetched through
 * getheaders. A block that arrives unrequested from a peer without the
 * noban permission is stored only if its chain has at least the tip's work.
 *
 * Misbehaviour (disconnect and discourage): non-continuous headers, more
 * than MAX_UNCONNECTING_HEADERS unconnecting `headers` messages, a header or
 * block the chain finds invalid (consensus, PoUW, a body or opening that
 * does not match its header — the hash of such a MUTATED block is not
 * marked invalid). A block or header too far in the future, a missing
 * parent or a system failure are never blamed on the peer.
 *
 * Threads: HandleMessage, SendMessages and OnPeerGone run on the message
 * handler thread; ActiveTipChanged on whichever thread moved the chain;
 * GetSyncStats from RPC. State is under m_mutex, which is never held while
 * calling the chain (the chain calls back into ActiveTipChanged).
 */
namespace hpips::net {

/** Blocks requested from one peer at a time. */
constexpr size_t MAX_BLOCKS_IN_FLIGHT_PER_PEER = 16;
/** Blocks beyond the tip that may be requested: a moving window, so a slow
 *  peer cannot make us hold many out-of-order blocks. */
constexpr int64_t BLOCK_DOWNLOAD_WINDOW = 1024;
/** Headers one peer may have given us that no verified block backs yet:
 *  two `headers` messages, so honest sync never waits on it, while a peer
 *  with forged headers makes us store at most this many before its blocks
 *  fail (doc/p2p.md explains the cost). */
constexpr size_t MAX_UNVERIFIED_HEADERS_PER_PEER = 2 * 2'000;
/** `headers` messages whose first header has an unknown parent we tolerate
 *  from a peer (Core's 10): each makes us ask for headers again. */
constexpr int MAX_UNCONNECTING_HEADERS = 10;
/** New blocks announced with `headers` at most; more are announced by inv. */
constexpr size_t MAX_BLOCKS_TO_ANNOUNCE = 8;
/** Seconds a requested block may take before the peer is dropped. */
constexpr int64_t BLOCK_DOWNLOAD_TIMEOUT = 60;
/** Seconds a peer may hold up the download window while others wait. */
constexpr int64_t BLOCK_STALLING_TIMEOUT = 2;
/** getdata entries waiting to be served to one peer (one message's worth). */
constexpr size_t MAX_PENDING_GETDATA = 1'000;

/** Sync figures of a peer for getpeerinfo. */
struct PeerSyncStats {
    int64_t synced_headers{-1};
    int64_t synced_blocks{-1};
    std::vector<int64_t> inflight;
    size_t unverified_headers{0};
};

/** See the file comment. */
class BlockSync final : public ProtocolHandler, public ChainListener {
public:
    /** Registers with the chain; `chainstate`, `peerman` and `connman` must
     *  outlive it. */
    BlockSync(Chainstate& chainstate, PeerManager& peerman, ConnectionManager& connman, const NodeClock& clock);
    ~BlockSync() override;
    BlockSync(const BlockSync&) = delete;
    BlockSync& operator=(const BlockSync&) = delete;

    // ProtocolHandler
    Result<Handling> HandleMessage(Peer& peer, const Message& message) override LOCKS_EXCLUDED(m_mutex);
    void OnPeerReady(Peer& peer) override LOCKS_EXCLUDED(m_mutex);
    void SendMessages(Peer& peer) override LOCKS_EXCLUDED(m_mutex);
    void OnPeerGone(NodeId id) override LOCKS_EXCLUDED(m_mutex);

    // ChainListener
    void ActiveTipChanged(const uint256& tip_hash, int64_t tip_height) override;

    std::optional<PeerSyncStats> GetSyncStats(NodeId id) const LOCKS_EXCLUDED(m_mutex);

private:
    /** What we know of one peer's chain and what we asked it for. */
    struct SyncPeer {
        /** The most-work header we know the peer has (in our index). */
        std::optional<uint256> best_known;
        ArithUint512 best_known_work{0};
        int64_t best_known_height{-1};
        /** The last block we announced to it. */
        std::optional<uint256> best_announced;
        /** Headers from it without verified blocks (MAX_UNVERIFIED_HEADERS_PER_PEER). */
        std::set<uint256> unverified;
        /** It may have more headers after its last full answer. */
        bool more_headers{false};
        bool headers_requested{false};
        int unconnecting{0};
        /** Block hash → node-clock second requested. */
        std::map<uint256, int64_t> in_flight;
        /** Since when it holds up the window (0: it does not). */
        int64_t stalling_since{0};
        /** getdata block requests not served yet. */
        std::deque<uint256> pending_blocks;
        uint64_t announced_tip_moves{0};
    };

    Result<Handling> OnGetHeaders(Peer& peer, const GetHeadersMsg& msg);
    Result<Handling> OnHeaders(Peer& peer, const HeadersMsg& msg) LOCKS_EXCLUDED(m_mutex);
    Result<Handling> OnBlock(Peer& peer, const BlockMsg& msg) LOCKS_EXCLUDED(m_mutex);
    void OnBlockInv(Peer& peer, const uint256& hash) LOCKS_EXCLUDED(m_mutex);
    void OnGetDataBlocks(Peer& peer, const std::vector<uint256>& hashes) LOCKS_EXCLUDED(m_mutex);
    void OnNotFoundBlocks(Peer& peer, const std::vector<uint256>& hashes) LOCKS_EXCLUDED(m_mutex);

    void RequestHeaders(Peer& peer, const std::optional<uint256>& from, const uint256& stop = uint256{})
        LOCKS_EXCLUDED(m_mutex);
    /** Raises the peer's best known header to `hash` if it has more work. */
    void UpdateBestKnown(NodeId id, const uint256& hash) LOCKS_EXCLUDED(m_mutex);
    /** `hash` now has verified data: no peer owes it any more. */
    void MarkVerified(const uint256& hash) LOCKS_EXCLUDED(m_mutex);
    void ServeBlocks(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    void Announce(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    void RequestBlocks(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    void CheckTimeouts(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    void ContinueHeaders(Peer& peer) LOCKS_EXCLUDED(m_mutex);

    Chainstate& m_chainstate;
    PeerManager& m_peerman;
    ConnectionManager& m_connman;
    const NodeClock& m_clock;

    mutable Mutex m_mutex;
    std::map<NodeId, SyncPeer> m_peers GUARDED_BY(m_mutex);
    /** Which peer each block in flight was asked from. */
    std::map<uint256, NodeId> m_in_flight GUARDED_BY(m_mutex);
    /** Counts tip changes; each peer announces when its count is behind. */
    std::atomic<uint64_t> m_tip_moves{0};
};

}  // namespace hpips::net

#endif  // HPIPS_NET_BLOCK_SYNC_H
