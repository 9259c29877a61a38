// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/blob_relay.h>

#include <util/logging.h>

#include <algorithm>
#include <type_traits>

namespace hpips::net {
namespace {

bool IsRunning(BlobFetchState state)
{
    return state == BlobFetchState::SEARCHING || state == BlobFetchState::DOWNLOADING;
}

NotFoundMsg BlobNotFound(const uint256& id) { return NotFoundMsg{{InvItem{MSG_BLOB, id}}}; }

}  // namespace

MerkleProof BlobMsgProof(const BlobMsg& msg)
{
    return MerkleProof{.leaf_index = msg.chunk_index, .leaf_count = msg.chunk_count, .branch = msg.proof};
}

BlobMsg MakeBlobMsg(const uint256& id, uint64_t size, uint32_t index, BlobChunk chunk)
{
    BlobMsg msg;
    msg.blob_id = id;
    msg.chunk_index = index;
    msg.chunk_count = static_cast<uint32_t>(chunk.proof.leaf_count);
    msg.blob_size = size;
    msg.data = std::move(chunk.data);
    msg.proof = std::move(chunk.proof.branch);
    return msg;
}

Result<void, BlobError> VerifyBlobMsg(const BlobMsg& msg)
{
    return VerifyChunk(msg.blob_id, msg.blob_size, msg.chunk_index, msg.data, BlobMsgProof(msg));
}

std::string_view BlobFetchStateName(BlobFetchState state)
{
    switch (state) {
    case BlobFetchState::SEARCHING: return "searching";
    case BlobFetchState::DOWNLOADING: return "downloading";
    case BlobFetchState::COMPLETE: return "complete";
    case BlobFetchState::FAILED: return "failed";
    }
    return "unknown";
}

BlobRelay::BlobRelay(PeerManager& peerman, BlobStore& store, const NodeClock& clock)
    : m_peerman{peerman}, m_store{store}, m_clock{clock}
{
}

Result<BlobFetchStatus, BlobFetchError> BlobRelay::FetchBlob(const uint256& id, std::optional<NodeId> peer)
{
    if (const auto info = m_store.GetInfo(id); info && info->complete) {
        BlobFetchStatus status;
        status.id = id;
        status.state = BlobFetchState::COMPLETE;
        status.only_peer = peer;
        status.size = info->size;
        status.chunks = info->chunks;
        status.received = info->received;
        return status;
    }
    LockGuard lock{m_mutex};
    if (const auto it = m_fetches.find(id); it != m_fetches.end() && IsRunning(it->second.status.state)) {
        return StatusOf(it->second);
    }
    if (peer) {
        const auto it = m_peers.find(*peer);
        if (it == m_peers.end() || !it->second.serves_blobs) {
            return BlobFetchError{BlobFetchFailure::NO_SUCH_PEER,
                                  "Peer " + std::to_string(*peer) + " is not connected or does not serve blobs"};
        }
    } else if (std::none_of(m_peers.begin(), m_peers.end(), [](const auto& p) { return p.second.serves_blobs; })) {
        return BlobFetchError{BlobFetchFailure::NO_PEERS, "No connected peer serves blobs"};
    }
    const size_t running = static_cast<size_t>(std::count_if(
        m_fetches.begin(), m_fetches.end(), [](const auto& f) { return IsRunning(f.second.status.state); }));
    if (running >= MAX_BLOB_FETCHES) {
        return BlobFetchError{BlobFetchFailure::TOO_MANY, "Too many blob fetches at once (" +
                                                              std::to_string(MAX_BLOB_FETCHES) + ")"};
    }
    Fetch fetch;
    fetch.status.id = id;
    fetch.status.only_peer = peer;
    std::erase_if(m_finished, [&](const BlobFetchStatus& s) { return s.id == id; });
    const auto [it, inserted] = m_fetches.insert_or_assign(id, std::move(fetch));
    LogDebug(LogCategory::NET, "blob fetch of {} started{}", id.GetHex(),
             peer ? " from peer=" + std::to_string(*peer) : std::string{});
    return StatusOf(it->second);
}

std::optional<BlobFetchStatus> BlobRelay::GetFetch(const uint256& id) const
{
    LockGuard lock{m_mutex};
    if (const auto it = m_fetches.find(id); it != m_fetches.end()) return StatusOf(it->second);
    for (auto it = m_finished.rbegin(); it != m_finished.rend(); ++it) {
        if (it->id == id) return *it;
    }
    return std::nullopt;
}

BlobFetchStatus BlobRelay::StatusOf(const Fetch& fetch) const
{
    BlobFetchStatus status = fetch.status;
    status.sources.assign(fetch.sources.begin(), fetch.sources.end());
    if (status.state != BlobFetchState::COMPLETE) status.received = static_cast<uint32_t>(fetch.have.size());
    status.in_flight = 0;
    for (const auto& [id, peer] : m_peers) {
        for (const auto& [key, request] : peer.requests) {
            if (key.first == fetch.status.id && !request.expired) ++status.in_flight;
        }
    }
    return status;
}

bool BlobRelay::IsCandidate(const Fetch& fetch, NodeId peer) const
{
    const auto it = m_peers.find(peer);
    if (it == m_peers.end() || !it->second.serves_blobs) return false;
    if (fetch.status.only_peer && *fetch.status.only_peer != peer) return false;
    return !fetch.excluded.contains(peer);
}

bool BlobRelay::FailFetch(Fetch& fetch, std::string reason)
{
    LogDebug(LogCategory::NET, "blob fetch of {} failed: {}", fetch.status.id.GetHex(), reason);
    fetch.status.state = BlobFetchState::FAILED;
    fetch.status.error = std::move(reason);
    fetch.assigned.clear();
    const bool abort = fetch.download_begun;
    fetch.download_begun = false;
    return abort;
}

bool BlobRelay::FailIfNoCandidate(Fetch& fetch)
{
    if (!IsRunning(fetch.status.state)) return false;
    for (const auto& [id, peer] : m_peers) {
        if (IsCandidate(fetch, id)) return false;
    }
    return FailFetch(fetch, fetch.sources.empty() ? "not found: no connected peer has the blob"
                                                  : "stalled: no peer left to ask for the missing chunks");
}

void BlobRelay::RetireFinished()
{
    for (auto it = m_fetches.begin(); it != m_fetches.end();) {
        if (IsRunning(it->second.status.state)) {
            ++it;
            continue;
        }
        BlobFetchStatus status = StatusOf(it->second);
        status.in_flight = 0;
        m_finished.push_back(std::move(status));
        while (m_finished.size() > MAX_FINISHED_BLOB_FETCHES) m_finished.pop_front();
        it = m_fetches.erase(it);
    }
}

Result<ProtocolHandler::Handling> BlobRelay::HandleMessage(Peer& peer, const Message& message)
{
    if (const auto* getblob = std::get_if<GetBlobMsg>(&message)) return HandleGetBlob(peer, *getblob);
    if (const auto* blob = std::get_if<BlobMsg>(&message)) return HandleBlob(peer, *blob);
    if (const auto* notfound = std::get_if<NotFoundMsg>(&message)) return HandleNotFound(peer, *notfound);
    return Handling::NOT_HANDLED;
}

void BlobRelay::OnPeerReady(Peer& peer)
{
    uint64_t services{NODE_NONE};
    {
        LockGuard lock{peer.m_mutex};
        services = peer.services;
    }
    LockGuard lock{m_mutex};
    m_peers[peer.conn->Id()].serves_blobs = (services & NODE_BLOBS) != 0;
}

void BlobRelay::OnPeerGone(NodeId id)
{
    std::vector<uint256> to_abort;
    {
        LockGuard lock{m_mutex};
        m_peers.erase(id);
        for (auto& [blob_id, fetch] : m_fetches) {
            if (!IsRunning(fetch.status.state)) continue;
            fetch.asked.erase(id);
            fetch.sources.erase(id);
            std::erase_if(fetch.assigned, [id](const auto& a) { return a.second == id; });
            if (FailIfNoCandidate(fetch)) to_abort.push_back(blob_id);
        }
        RetireFinished();
    }
    for (const auto& blob_id : to_abort) m_store.AbortDownload(blob_id);
}

void BlobRelay::SendMessages(Peer& peer)
{
    ServeQueued(peer);
    if (!peer.conn->IsDisconnecting()) RequestChunks(peer);
}

// --- serving ---------------------------------------------------------------

Result<ProtocolHandler::Handling> BlobRelay::HandleGetBlob(Peer& peer, const GetBlobMsg& msg)
{
    // The decoder bounded chunk_count (1..MAX_GETBLOB_CHUNKS) and the range.
    const auto info = m_store.GetInfo(msg.blob_id);
    const bool have = info && info->complete && uint64_t{msg.first_chunk} + msg.chunk_count <= info->chunks;
    {
        LockGuard lock{m_mutex};
        PeerState& state = m_peers[peer.conn->Id()];
        if (state.serve_queue.size() + msg.chunk_count > MAX_BLOB_SERVE_BACKLOG) {
            return Error{"getblob beyond the backlog: " + std::to_string(state.serve_queue.size()) + " + " +
                         std::to_string(msg.chunk_count) + " chunks > " + std::to_string(MAX_BLOB_SERVE_BACKLOG)};
        }
        if (have) {
            for (uint32_t i{0}; i < msg.chunk_count; ++i) {
                state.serve_queue.emplace_back(msg.blob_id, msg.first_chunk + i);
            }
        }
    }
    if (!have) m_peerman.Send(peer, BlobNotFound(msg.blob_id));
    return Handling::HANDLED;
}

void BlobRelay::ServeQueued(Peer& peer)
{
    const NodeId id = peer.conn->Id();
    // One chunk at a time while the peer takes our answers: a chunk is at
    // most 1 MiB, so the send queue never exceeds the soft limit by more.
    while (!peer.conn->IsSendPaused() && !peer.conn->IsDisconnecting()) {
        std::pair<uint256, uint32_t> next;
        {
            LockGuard lock{m_mutex};
            const auto it = m_peers.find(id);
            if (it == m_peers.end() || it->second.serve_queue.empty()) return;
            next = it->second.serve_queue.front();
            it->second.serve_queue.pop_front();
        }
        const auto& [blob_id, index] = next;
        auto chunk = m_store.GetChunk(blob_id, index);  // disk read, no lock held
        const auto info = m_store.GetInfo(blob_id);
        if (!chunk || !info) {
            // Removed meanwhile, or damaged on disk: the rest of it goes unserved too.
            LogDebug(LogCategory::NET, "cannot serve chunk {} of blob {} to peer={}: {}", index, blob_id.GetHex(),
                     id, chunk ? "removed" : chunk.error().message);
            {
                LockGuard lock{m_mutex};
                if (const auto it = m_peers.find(id); it != m_peers.end()) {
                    // Named through an init-capture: clang 14 cannot capture a structured binding.
                    std::erase_if(it->second.serve_queue,
                                  [&, &removed = blob_id](const auto& e) { return e.first == removed; });
                }
            }
            m_peerman.Send(peer, BlobNotFound(blob_id));
            continue;
        }
        m_peerman.Send(peer, MakeBlobMsg(blob_id, info->size, index, std::move(*chunk)));
    }
}

// --- fetching --------------------------------------------------------------

void BlobRelay::RequestChunks(Peer& peer)
{
    const NodeId id = peer.conn->Id();
    const int64_t now = m_clock.Now();
    std::vector<GetBlobMsg> to_send;
    std::vector<uint256> to_abort;
    bool stalling{false};
    {
        LockGuard lock{m_mutex};
        const auto peer_it = m_peers.find(id);
        if (peer_it == m_peers.end() || !peer_it->second.serves_blobs) return;
        PeerState& state = peer_it->second;
        // Overdue requests: the chunk goes to another peer; this one is asked
        // nothing more for that blob.
        size_t expired{0};
        for (auto& [key, request] : state.requests) {
            if (!request.expired && now >= request.deadline) {
                request.expired = true;
                LogDebug(LogCategory::NET, "blob chunk {} of {} from peer={} timed out", key.second,
                         key.first.GetHex(), id);
                if (const auto f = m_fetches.find(key.first); f != m_fetches.end()) {
                    Fetch& fetch = f->second;
                    fetch.excluded.insert(id);
                    std::erase_if(fetch.assigned, [id](const auto& a) { return a.second == id; });
                    if (FailIfNoCandidate(fetch)) to_abort.push_back(key.first);
                }
            }
            expired += request.expired ? 1 : 0;
        }
        // Requests that expired stay until answered (a late answer is not
        // unrequested); a peer that leaves more than a full window of them
        // unanswered is not serving blobs at all.
        stalling = expired > MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER;
        const auto in_flight = [&state] {
            return static_cast<uint32_t>(std::count_if(state.requests.begin(), state.requests.end(),
                                                       [](const auto& r) { return !r.second.expired; }));
        };
        for (auto& [blob_id, fetch] : m_fetches) {
            if (stalling) break;
            if (!IsRunning(fetch.status.state) || !IsCandidate(fetch, id)) continue;
            const uint32_t room = MAX_BLOB_CHUNKS_IN_FLIGHT_PER_PEER - in_flight();
            if (room == 0) break;
            const auto ask = [&, &wanted = blob_id](uint32_t first, uint32_t count) {
                to_send.push_back(GetBlobMsg{wanted, first, count});
                for (uint32_t i{0}; i < count; ++i) {
                    state.requests[{wanted, first + i}] = Request{now + BLOB_REQUEST_TIMEOUT, false};
                }
            };
            if (fetch.status.state == BlobFetchState::SEARCHING) {
                // Size unknown: chunk 0 tells it (and whether the peer has the blob).
                if (fetch.asked.insert(id).second) ask(0, 1);
                continue;
            }
            const bool source = fetch.sources.contains(id);
            // A peer not yet known to have the blob gets one chunk as a probe.
            if (!source && fetch.asked.contains(id)) continue;
            const uint32_t want = source ? room : 1;
            std::vector<uint32_t> chunks;
            for (uint32_t i{0}; i < fetch.status.chunks && chunks.size() < want; ++i) {
                if (fetch.have.contains(i) || fetch.assigned.contains(i) || state.requests.contains({blob_id, i})) {
                    continue;
                }
                chunks.push_back(i);
            }
            if (chunks.empty()) continue;
            fetch.asked.insert(id);
            for (const uint32_t i : chunks) fetch.assigned[i] = id;
            // Consecutive chunks go in one getblob.
            size_t start{0};
            for (size_t i{1}; i <= chunks.size(); ++i) {
                if (i == chunks.size() || chunks[i] != chunks[i - 1] + 1 || i - start == MAX_GETBLOB_CHUNKS) {
                    ask(chunks[start], static_cast<uint32_t>(i - start));
                    start = i;
                }
            }
        }
        RetireFinished();
    }
    for (const auto& blob_id : to_abort) m_store.AbortDownload(blob_id);
    if (stalling) {
        LogDebug(LogCategory::NET, "peer={} leaves blob requests unanswered; disconnecting", id);
        peer.conn->Disconnect("stalling blob requests");
        return;
    }
    for (const auto& msg : to_send) m_peerman.Send(peer, msg);
}

Result<ProtocolHandler::Handling> BlobRelay::HandleNotFound(Peer& peer, const NotFoundMsg& msg)
{
    const NodeId id = peer.conn->Id();
    bool only_blobs{!msg.items.empty()};
    std::vector<uint256> to_abort;
    {
        LockGuard lock{m_mutex};
        const auto peer_it = m_peers.find(id);
        for (const auto& item : msg.items) {
            if (item.type != MSG_BLOB) {
                only_blobs = false;
                continue;
            }
            // Unsolicited entries are ignored, as Core ignores them.
            if (peer_it != m_peers.end()) {
                std::erase_if(peer_it->second.requests, [&](const auto& r) { return r.first.first == item.hash; });
            }
            const auto f = m_fetches.find(item.hash);
            if (f == m_fetches.end() || !IsRunning(f->second.status.state)) continue;
            Fetch& fetch = f->second;
            fetch.excluded.insert(id);
            std::erase_if(fetch.assigned, [id](const auto& a) { return a.second == id; });
            if (FailIfNoCandidate(fetch)) to_abort.push_back(item.hash);
        }
        RetireFinished();
    }
    for (const auto& blob_id : to_abort) m_store.AbortDownload(blob_id);
    // Entries of other types belong to other handlers.
    return only_blobs ? Handling::HANDLED : Handling::NOT_HANDLED;
}

Result<ProtocolHandler::Handling> BlobRelay::HandleBlob(Peer& peer, const BlobMsg& msg)
{
    const NodeId id = peer.conn->Id();
    const uint256& blob_id = msg.blob_id;
    const uint32_t index = msg.chunk_index;
    std::optional<uint64_t> known_size;
    {
        LockGuard lock{m_mutex};
        const auto peer_it = m_peers.find(id);
        if (peer_it == m_peers.end() || peer_it->second.requests.erase({blob_id, index}) == 0) {
            return Error{"unrequested blob chunk " + std::to_string(index) + " of " + blob_id.GetHex()};
        }
        if (const auto f = m_fetches.find(blob_id); f != m_fetches.end()) {
            known_size = f->second.status.size;
            if (const auto a = f->second.assigned.find(index); a != f->second.assigned.end() && a->second == id) {
                f->second.assigned.erase(a);
            }
        }
    }
    // Checked here, without any lock, before anything touches the store: the
    // verdict on the peer does not depend on the store's state.
    if (const auto verified = VerifyBlobMsg(msg); !verified) {
        return Error{"blob chunk " + std::to_string(index) + " of " + blob_id.GetHex() + " does not match its proof (" +
                     std::string{BlobFailureName(verified.error().failure)} + "): " + verified.error().message};
    }
    if (known_size && *known_size != msg.blob_size) {
        return Error{"blob chunk claims size " + std::to_string(msg.blob_size) + " for a blob of " +
                     std::to_string(*known_size) + " bytes"};
    }
    bool begin{false};
    {
        LockGuard lock{m_mutex};
        const auto f = m_fetches.find(blob_id);
        // A late answer for a fetch that finished: verified, not needed.
        if (f == m_fetches.end() || !IsRunning(f->second.status.state)) return Handling::HANDLED;
        Fetch& fetch = f->second;
        fetch.sources.insert(id);
        if (fetch.status.state == BlobFetchState::SEARCHING) {
            // The chunk verified against the id, which commits to the size:
            // the size is authentic.
            fetch.status.state = BlobFetchState::DOWNLOADING;
            fetch.status.size = msg.blob_size;
            fetch.status.chunks = msg.chunk_count;
            fetch.download_begun = true;
            begin = true;
        }
    }
    if (begin) {
        auto begun = m_store.BeginDownload(blob_id, msg.blob_size);
        std::vector<uint32_t> missing;
        if (begun && !begun->complete) missing = m_store.MissingChunks(blob_id);
        LockGuard lock{m_mutex};
        const auto f = m_fetches.find(blob_id);
        if (f == m_fetches.end()) return Handling::HANDLED;
        Fetch& fetch = f->second;
        if (!begun) {
            // Nothing of ours to abort (a CONFLICT download is someone else's).
            fetch.download_begun = false;
            FailFetch(fetch, std::string{"store refused the download ("} +
                                 std::string{BlobStoreFailureName(begun.error().failure)} + "): " +
                                 begun.error().message);
            RetireFinished();
            return Handling::HANDLED;
        }
        if (begun->complete) {
            fetch.status.state = BlobFetchState::COMPLETE;
            fetch.status.received = begun->chunks;
            RetireFinished();
            return Handling::HANDLED;
        }
        for (uint32_t i{0}; i < fetch.status.chunks; ++i) {
            if (!std::binary_search(missing.begin(), missing.end(), i)) fetch.have.insert(i);
        }
    }
    auto receipt = m_store.AcceptChunk(blob_id, index, msg.data, BlobMsgProof(msg));  // disk write, no lock held
    if (!receipt && receipt.error().failure == BlobStoreFailure::INVALID) {
        return Error{"blob chunk " + std::to_string(index) + " refused by the store: " + receipt.error().message};
    }
    bool abort{false};
    {
        LockGuard lock{m_mutex};
        const auto f = m_fetches.find(blob_id);
        if (f == m_fetches.end() || !IsRunning(f->second.status.state)) return Handling::HANDLED;
        Fetch& fetch = f->second;
        if (receipt) {
            fetch.have.insert(index);
            if (receipt->info.complete) {
                fetch.status.state = BlobFetchState::COMPLETE;
                fetch.status.received = receipt->info.chunks;
                fetch.download_begun = false;
                LogInfo("Blob {} ({} bytes) received from {} peer(s)", blob_id.GetHex(), receipt->info.size,
                        fetch.sources.size());
            }
        } else if (receipt.error().failure == BlobStoreFailure::NOT_FOUND) {
            // The download was aborted meanwhile (removeblob, a failed fetch).
            abort = FailFetch(fetch, "download aborted: " + receipt.error().message);
        } else {
            abort = FailFetch(fetch, std::string{"store error ("} +
                                         std::string{BlobStoreFailureName(receipt.error().failure)} + "): " +
                                         receipt.error().message);
        }
        RetireFinished();
    }
    if (abort) m_store.AbortDownload(blob_id);
    return Handling::HANDLED;
}

}  // namespace hpips::net
