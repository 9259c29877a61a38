// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_BLOB_RELAY_H
#define HPIPS_NET_BLOB_RELAY_H

#include <chain/blob_store.h>
#include <net/messages.h>
#include <net/net_processing.h>
#include <util/clock.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <util/uint256.h>

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

/**
 * Job data over P2P (doc/p2p.md, "Job data (blobs)"; doc/blobs.md §7): a
 * ProtocolHandler that serves the node's BlobStore to peers and downloads
 * blobs from them.
 *
 * Serving. `getblob` (id, first chunk, count ≤ MAX_GETBLOB_CHUNKS) for a
 * complete blob whose chunk range lies inside it queues the chunks; each
 * message-handler round sends queued chunks as `blob` messages (bytes + proof
 * from BlobStore::GetChunk, which re-checks the disk's bytes) while the
 * peer's send queue is below its soft limit, so a request never makes us
 * queue more than one chunk beyond SEND_BUFFER_SOFT_LIMIT. A blob we do not
 * have complete, or a range outside it, is answered with `notfound` holding
 * one entry {MSG_BLOB, id} (answering is what lets a fetcher move on at once
 * instead of waiting for a timeout). A peer may have at most
 * MAX_BLOB_SERVE_BACKLOG requested chunks not yet sent; one more is a
 * violation.
 *
 * Fetching. FetchBlob(id, peer) registers a fetch (at most MAX_BLOB_FETCHES
 * at once). Discovery is by asking: every ready peer that announced
 * NODE_BLOBS (or only `peer`) gets `getblob` for one chunk — chunk 0 while
 * the size is unknown — and answers with the chunk or `notfound`. The first
 * chunk that verifies fixes the size (the id commits to it, so a verified
 * chunk authenticates the size it came with); the store's download is begun
 * with it (BlobStore::BeginDownload reserves the size in the quota), and
 * from then on every peer that has sent a valid chunk gets requests for the
 * missing chunks, at most MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER outstanding per
 * peer, never the same chunk to two peers. A request unanswered after
 * BLOB_REQUEST_TIMEOUT seconds goes to another peer; the slow peer is asked
 * nothing more for that blob (its late answer is still accepted). A fetch
 * fails when no candidate peer is left (all answered notfound, stalled or
 * went away), when the store refuses the download (quota), or on a disk
 * error; a failed fetch's partial download is aborted.
 *
 * Checks on arrival, in order, each failure a violation (disconnect and
 * discourage, PeerManager::Misbehaving): the chunk was requested from this
 * peer (by id and index) and not answered yet; it verifies against the id
 * with its proof (VerifyChunk with the message's size, index, count and
 * siblings: BlobMsgProof); its size is the size already known for the
 * fetch. Only then is it handed to BlobStore::AcceptChunk, which checks it
 * again and writes it through its crash-safe path.
 *
 * Memory: ≤ MAX_BLOB_FETCHES fetches (plus MAX_FINISHED_BLOB_FETCHES
 * finished ones kept for status), each with a few sets of peer ids and
 * ≤ MAX_BLOB_CHUNKS chunk assignments; per peer ≤ MAX_BLOB_SERVE_BACKLOG
 * queued chunk indexes and ≤ MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER outstanding
 * requests. No chunk data is held beyond the one being handled.
 *
 * Thread safety: HandleMessage / SendMessages / OnPeerReady / OnPeerGone run
 * on the message-handler thread; FetchBlob and GetFetch from any thread (RPC).
 * m_mutex guards all state and is never held across disk I/O (BlobStore
 * calls that read or write data) or while sending.
 */
namespace hpips::net {

/** Blobs being fetched at once: each holds a download in the store (its
 *  size reserved in the quota) and bounds the state kept per fetch. */
constexpr size_t MAX_BLOB_FETCHES = 8;
/** Finished (complete or failed) fetches remembered for fetchblob's status;
 *  the oldest is forgotten first. */
constexpr size_t MAX_FINISHED_BLOB_FETCHES = 64;
/** Chunk requests outstanding to one peer: 8 MiB of answers at most, enough
 *  to keep a fast link busy while one slow peer cannot hold up a fetch. */
constexpr uint32_t MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER = 8;
static_assert(MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER <= MAX_GETBLOB_CHUNKS);
/** Seconds (node clock) a chunk request may stay unanswered before the chunk
 *  is asked of another peer: 1 MiB at about 17 KiB/s. */
constexpr int64_t BLOB_REQUEST_TIMEOUT = 60;
/** Chunks a peer may have asked us for and not yet received: two full
 *  getblob messages, four times what our own fetcher keeps outstanding. */
constexpr size_t MAX_BLOB_SERVE_BACKLOG = 2 * MAX_GETBLOB_CHUNKS;

/** The MerkleProof a blob message carries (doc/p2p.md): leaf index = the
 *  message's chunk index, leaf count = its chunk count, branch = its proof
 *  hashes. The message has no separate proof index or count, so they cannot
 *  disagree with the chunk's. */
MerkleProof BlobMsgProof(const BlobMsg& msg);

/** The blob message for chunk `index` of blob `id` of `size` bytes, from
 *  what BlobStore::GetChunk returned. */
BlobMsg MakeBlobMsg(const uint256& id, uint64_t size, uint32_t index, BlobChunk chunk);

/** Checks a blob message against its id: VerifyChunk(id, size, index, data,
 *  BlobMsgProof). Pure; cost one hash of the chunk. */
Result<void, BlobError> VerifyBlobMsg(const BlobMsg& msg);

/** Where a fetch stands. */
enum class BlobFetchState : uint8_t {
    /** Size not known yet: asking peers for chunk 0. */
    SEARCHING,
    /** Size known, download running in the store. */
    DOWNLOADING,
    /** The blob is complete in the store. */
    COMPLETE,
    /** Given up (see BlobFetchStatus::error). */
    FAILED,
};

/** "searching", "downloading", "complete", "failed". */
std::string_view BlobFetchStateName(BlobFetchState state);

/** A fetch as fetchblob shows it. */
struct BlobFetchStatus {
    uint256 id;
    BlobFetchState state{BlobFetchState::SEARCHING};
    /** The peer the fetch is limited to, if any. */
    std::optional<NodeId> only_peer;
    /** Known once a chunk verified. */
    std::optional<uint64_t> size;
    uint32_t chunks{0};
    /** Chunks stored so far. */
    uint32_t received{0};
    /** Peers that sent a valid chunk of it. */
    std::vector<NodeId> sources;
    /** Requests outstanding now. */
    uint32_t in_flight{0};
    /** Why it failed ("" otherwise). */
    std::string error;
};

/** Why FetchBlob refused to start a fetch. */
enum class BlobFetchFailure : uint8_t {
    /** MAX_BLOB_FETCHES fetches are running. */
    TOO_MANY,
    /** The requested peer is not connected, not ready, or does not serve
     *  blobs. */
    NO_SUCH_PEER,
    /** No connected peer serves blobs. */
    NO_PEERS,
};

struct BlobFetchError {
    BlobFetchFailure failure{BlobFetchFailure::TOO_MANY};
    std::string message;
};

/** The handler (see the file comment). */
class BlobRelay final : public ProtocolHandler {
public:
    /** `peerman`, `store` and `clock` must outlive the relay. Register it
     *  with peerman.RegisterHandler before the network starts. */
    BlobRelay(PeerManager& peerman, BlobStore& store, const NodeClock& clock);

    /** Starts fetching blob `id` from the peers (or only from `peer`), or
     *  returns the running fetch's status. A blob already complete in the
     *  store is returned COMPLETE at once. A finished fetch of the same id is
     *  replaced by a new one. Errors: TOO_MANY, NO_SUCH_PEER, NO_PEERS. */
    Result<BlobFetchStatus, BlobFetchError> FetchBlob(const uint256& id, std::optional<NodeId> peer = std::nullopt)
        LOCKS_EXCLUDED(m_mutex);

    /** The status of the fetch of `id` (running or among the recently
     *  finished ones); nullopt if none. */
    std::optional<BlobFetchStatus> GetFetch(const uint256& id) const LOCKS_EXCLUDED(m_mutex);

    // ProtocolHandler
    Result<Handling> HandleMessage(Peer& peer, const Message& message) override LOCKS_EXCLUDED(m_mutex);
    void OnPeerReady(Peer& peer) override LOCKS_EXCLUDED(m_mutex);
    void SendMessages(Peer& peer) override LOCKS_EXCLUDED(m_mutex);
    void OnPeerGone(NodeId id) override LOCKS_EXCLUDED(m_mutex);

private:
    /** A chunk request outstanding to a peer. */
    struct Request {
        int64_t deadline{0};
        /** Timed out: the chunk went to another peer; an answer is still
         *  welcome (and still counts against the peer's in-flight limit). */
        bool expired{false};
    };
    struct PeerState {
        bool serves_blobs{false};
        /** (blob id, chunk index) → request; ≤ MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER. */
        std::map<std::pair<uint256, uint32_t>, Request> requests;
        /** Chunks the peer asked of us, in order; ≤ MAX_BLOB_SERVE_BACKLOG. */
        std::deque<std::pair<uint256, uint32_t>> serve_queue;
    };
    struct Fetch {
        BlobFetchStatus status;
        /** Peers asked for a first chunk (SEARCHING) or probed. */
        std::set<NodeId> asked;
        /** Peers that sent a valid chunk: asked for more. */
        std::set<NodeId> sources;
        /** Peers that answered notfound, or timed out: asked nothing more. */
        std::set<NodeId> excluded;
        /** Chunk index → peer it is requested from (DOWNLOADING). */
        std::map<uint32_t, NodeId> assigned;
        /** Chunks stored (DOWNLOADING). */
        std::set<uint32_t> have;
        /** The store's download was begun (and must be aborted on failure). */
        bool download_begun{false};
    };

    Result<Handling> HandleGetBlob(Peer& peer, const GetBlobMsg& msg) LOCKS_EXCLUDED(m_mutex);
    Result<Handling> HandleBlob(Peer& peer, const BlobMsg& msg) LOCKS_EXCLUDED(m_mutex);
    Result<Handling> HandleNotFound(Peer& peer, const NotFoundMsg& msg) LOCKS_EXCLUDED(m_mutex);
    /** Sends queued chunks while the peer's send queue has room. */
    void ServeQueued(Peer& peer) LOCKS_EXCLUDED(m_mutex);
    /** Expires the peer's overdue requests and sends new ones. */
    void RequestChunks(Peer& peer) LOCKS_EXCLUDED(m_mutex);

    /** Marks `fetch` failed with `reason`; returns true if its store
     *  download must be aborted (by the caller, without the lock). */
    bool FailFetch(Fetch& fetch, std::string reason) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Fails `fetch` if no peer is left to ask and nothing is outstanding;
     *  returns FailFetch's answer (false if it goes on). */
    bool FailIfNoCandidate(Fetch& fetch) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Whether `peer` may still be asked for `fetch`. */
    bool IsCandidate(const Fetch& fetch, NodeId peer) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Moves finished fetches out of m_fetches (oldest forgotten). */
    void RetireFinished() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    BlobFetchStatus StatusOf(const Fetch& fetch) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    PeerManager& m_peerman;
    BlobStore& m_store;
    const NodeClock& m_clock;

    mutable Mutex m_mutex;
    std::map<NodeId, PeerState> m_peers GUARDED_BY(m_mutex);
    /** Running fetches (≤ MAX_BLOB_FETCHES), and finished ones until
     *  RetireFinished moves them. */
    std::map<uint256, Fetch> m_fetches GUARDED_BY(m_mutex);
    /** Finished fetches, oldest first (≤ MAX_FINISHED_BLOB_FETCHES). */
    std::deque<BlobFetchStatus> m_finished GUARDED_BY(m_mutex);
};

}  // namespace hpips::net

#endif  // HPIPS_NET_BLOB_RELAY_H
