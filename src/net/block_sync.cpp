// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/block_sync.h>

#include <consensus/validation_state.h>
#include <net/net_permissions.h>
#include <net/protocol.h>
#include <util/logging.h>

#include <algorithm>
#include <chrono>

namespace hpips::net {
namespace {

/** Seconds on a steady clock: download timers must not jump with setmocktime. */
int64_t SteadySeconds()
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

template <typename T>
const T* As(const Message& message)
{
    return std::get_if<T>(&message);
}

/** The hashes of the inventory entries of type MSG_BLOCK. */
std::vector<uint256> BlockHashes(const std::vector<InvItem>& items)
{
    std::vector<uint256> hashes;
    for (const InvItem& item : items) {
        if (item.type == MSG_BLOCK) hashes.push_back(item.hash);
    }
    return hashes;
}

}  // namespace

BlockSync::BlockSync(Chainstate& chainstate, PeerManager& peerman, ConnectionManager& connman, const NodeClock& clock)
    : m_chainstate{chainstate}, m_peerman{peerman}, m_connman{connman}, m_clock{clock}
{
    m_chainstate.AddListener(this);
}

BlockSync::~BlockSync() { m_chainstate.RemoveListener(this); }

void BlockSync::ActiveTipChanged(const uint256& /*tip_hash*/, int64_t /*tip_height*/)
{
    ++m_tip_moves;
    m_connman.WakeMessageHandler();
}

void BlockSync::OnPeerReady(Peer& peer)
{
    {
        LockGuard lock{m_mutex};
        m_peers[peer.conn->Id()].announced_tip_moves = m_tip_moves.load();
    }
    // Start (or continue) header sync from the best header we know.
    RequestHeaders(peer, m_chainstate.BestHeaderHash());
}

void BlockSync::OnPeerGone(NodeId id)
{
    LockGuard lock{m_mutex};
    const auto it = m_peers.find(id);
    if (it == m_peers.end()) return;
    for (const auto& [hash, requested] : it->second.in_flight) {
        if (const auto owner = m_in_flight.find(hash); owner != m_in_flight.end() && owner->second == id) {
            m_in_flight.erase(owner);
        }
    }
    m_peers.erase(it);
}

Result<ProtocolHandler::Handling> BlockSync::HandleMessage(Peer& peer, const Message& message)
{
    {
        LockGuard lock{m_mutex};
        if (m_peers.count(peer.conn->Id()) == 0) return Handling::NOT_HANDLED;
    }
    if (const auto* msg = As<GetHeadersMsg>(message)) return OnGetHeaders(peer, *msg);
    if (const auto* msg = As<HeadersMsg>(message)) return OnHeaders(peer, *msg);
    if (const auto* msg = As<BlockMsg>(message)) return OnBlock(peer, *msg);
    // inv, getdata and notfound may mix blocks with transactions and blobs:
    // take the blocks and leave the message to the other handlers.
    if (const auto* msg = As<InvMsg>(message)) {
        for (const uint256& hash : BlockHashes(msg->items)) OnBlockInv(peer, hash);
    } else if (const auto* getdata = As<GetDataMsg>(message)) {
        OnGetDataBlocks(peer, BlockHashes(getdata->items));
    } else if (const auto* notfound = As<NotFoundMsg>(message)) {
        OnNotFoundBlocks(peer, BlockHashes(notfound->items));
    }
    return Handling::NOT_HANDLED;
}

Result<ProtocolHandler::Handling> BlockSync::OnGetHeaders(Peer& peer, const GetHeadersMsg& msg)
{
    // As Core: a node still catching up does not serve a possibly stale chain,
    // except to peers allowed to download from it.
    if (m_chainstate.IsInitialBlockDownload() && !peer.conn->HasPermission(PF_DOWNLOAD)) {
        LogDebug(LogCategory::NET, "ignoring getheaders from peer={}: in initial block download", peer.conn->Id());
        return Handling::HANDLED;
    }
    std::vector<BlockHeader> headers = m_chainstate.GetHeadersAfter(msg.locator, msg.stop, MAX_HEADERS_RESULTS);
    if (!headers.empty()) {
        LockGuard lock{m_mutex};
        m_peers[peer.conn->Id()].best_announced = headers.back().GetHash();
    }
    m_peerman.Send(peer, HeadersMsg{std::move(headers)});
    return Handling::HANDLED;
}

Result<ProtocolHandler::Handling> BlockSync::OnHeaders(Peer& peer, const HeadersMsg& msg)
{
    const NodeId id = peer.conn->Id();
    if (msg.headers.empty()) {
        LockGuard lock{m_mutex};
        SyncPeer& state = m_peers[id];
        state.more_headers = false;
        state.headers_requested = false;
        return Handling::HANDLED;
    }
    std::vector<uint256> hashes;
    hashes.reserve(msg.headers.size());
    for (size_t i = 0; i < msg.headers.size(); ++i) {
        if (i > 0 && msg.headers[i].prev_block != hashes.back()) return Error{"non-continuous headers sequence"};
        hashes.push_back(msg.headers[i].GetHash());
    }
    if (!m_chainstate.GetHeaderInfo(msg.headers.front().prev_block)) {
        // We do not know where these start: ask again from our best header.
        {
            LockGuard lock{m_mutex};
            if (++m_peers[id].unconnecting > MAX_UNCONNECTING_HEADERS) {
                return Error{"more than " + std::to_string(MAX_UNCONNECTING_HEADERS) + " unconnecting headers messages"};
            }
        }
        RequestHeaders(peer, m_chainstate.BestHeaderHash());
        return Handling::HANDLED;
    }

    // The budget of unverified headers: known headers cost nothing, new ones
    // count until their blocks verify.
    size_t budget{0};
    {
        LockGuard lock{m_mutex};
        const size_t used = m_peers[id].unverified.size();
        budget = used < MAX_UNVERIFIED_HEADERS_PER_PEER ? MAX_UNVERIFIED_HEADERS_PER_PEER - used : 0;
    }
    std::vector<uint256> added;
    size_t take{0};
    for (; take < hashes.size(); ++take) {
        if (m_chainstate.GetHeaderInfo(hashes[take])) continue;
        if (added.size() == budget) break;
        added.push_back(hashes[take]);
    }
    const bool truncated = take < hashes.size();
    BlockValidationState state;
    uint256 last;
    if (take > 0 && !m_chainstate.ProcessNewBlockHeaders(std::span{msg.headers}.first(take), state, &last)) {
        if (IsPeerMisbehaviour(state.GetFailure())) return Error{"invalid header: " + state.ToString()};
        LogDebug(LogCategory::NET, "headers from peer={} not accepted: {}", id, state.ToString());
        // Keep what was accepted before the failure.
    }
    if (truncated) {
        LogDebug(LogCategory::NET, "peer={} reached its {} unverified headers; the rest wait for its blocks", id,
                 MAX_UNVERIFIED_HEADERS_PER_PEER);
    }
    {
        LockGuard lock{m_mutex};
        SyncPeer& sync = m_peers[id];
        for (const uint256& hash : added) sync.unverified.insert(hash);
        sync.unconnecting = 0;
        sync.headers_requested = false;
        sync.more_headers = truncated || msg.headers.size() == MAX_HEADERS_RESULTS;
    }
    if (!last.IsNull()) UpdateBestKnown(id, last);
    ContinueHeaders(peer);
    return Handling::HANDLED;
}

Result<ProtocolHandler::Handling> BlockSync::OnBlock(Peer& peer, const BlockMsg& msg)
{
    const NodeId id = peer.conn->Id();
    const uint256 hash = msg.block->GetHash();
    bool requested{false};
    {
        LockGuard lock{m_mutex};
        SyncPeer& sync = m_peers[id];
        requested = sync.in_flight.erase(hash) != 0;
        if (requested) {
            sync.stalling_since = 0;
            if (const auto owner = m_in_flight.find(hash); owner != m_in_flight.end() && owner->second == id) {
                m_in_flight.erase(owner);
            }
        }
    }
    // Unrequested blocks from ordinary peers are stored only if they could
    // become the tip; requested ones and noban peers' always.
    const bool force = requested || peer.conn->HasPermission(PF_NOBAN);
    BlockValidationState state;
    bool new_block{false};
    if (m_chainstate.ProcessNewBlock(*msg.block, state, &new_block, force)) {
        if (new_block) {
            peer.conn->last_block_time = m_clock.Now();
            MarkVerified(hash);
        }
        UpdateBestKnown(id, hash);
        return Handling::HANDLED;
    }
    switch (state.GetFailure()) {
    case BlockFailure::DUPLICATE:
        MarkVerified(hash);
        UpdateBestKnown(id, hash);
        break;
    case BlockFailure::MISSING_PREV:
        RequestHeaders(peer, m_chainstate.BestHeaderHash());
        break;
    default:
        if (IsPeerMisbehaviour(state.GetFailure())) {
            return Error{"invalid block " + hash.GetHex() + ": " + state.ToString()};
        }
        LogDebug(LogCategory::NET, "block {} from peer={} not accepted: {}", hash.GetHex(), id, state.ToString());
    }
    return Handling::HANDLED;
}

void BlockSync::OnBlockInv(Peer& peer, const uint256& hash)
{
    if (m_chainstate.GetHeaderInfo(hash)) {
        UpdateBestKnown(peer.conn->Id(), hash);
        return;
    }
    // An unknown block: its header comes with getheaders (Core does the same).
    RequestHeaders(peer, m_chainstate.BestHeaderHash(), hash);
}

void BlockSync::OnGetDataBlocks(Peer& peer, const std::vector<uint256>& hashes)
{
    if (hashes.empty()) return;
    {
        LockGuard lock{m_mutex};
        SyncPeer& sync = m_peers[peer.conn->Id()];
        for (const uint256& hash : hashes) {
            if (sync.pending_blocks.size() >= MAX_PENDING_GETDATA) break;
            sync.pending_blocks.push_back(hash);
        }
    }
    ServeBlocks(peer);
}

void BlockSync::OnNotFoundBlocks(Peer& peer, const std::vector<uint256>& hashes)
{
    LockGuard lock{m_mutex};
    SyncPeer& sync = m_peers[peer.conn->Id()];
    for (const uint256& hash : hashes) {
        if (sync.in_flight.erase(hash) == 0) continue;
        if (const auto owner = m_in_flight.find(hash); owner != m_in_flight.end() && owner->second == peer.conn->Id()) {
            m_in_flight.erase(owner);
        }
    }
}

void BlockSync::ServeBlocks(Peer& peer)
{
    std::vector<InvItem> not_found;
    // One block at a time while the peer takes what we send: a getdata of
    // 1,000 blocks never sits in memory at once.
    while (!peer.conn->IsSendPaused() && !peer.conn->IsDisconnecting()) {
        uint256 hash;
        {
            LockGuard lock{m_mutex};
            std::deque<uint256>& pending = m_peers[peer.conn->Id()].pending_blocks;
            if (pending.empty()) break;
            hash = pending.front();
            pending.pop_front();
        }
        const auto info = m_chainstate.GetHeaderInfo(hash);
        auto block = info && info->have_data && !info->invalid ? m_chainstate.ReadBlock(hash)
                                                               : Result<Block>{Error{"not available"}};
        if (!block) {
            not_found.push_back(InvItem{MSG_BLOCK, hash});
            continue;
        }
        m_peerman.Send(peer, BlockMsg{std::make_shared<const Block>(std::move(*block))});
    }
    if (!not_found.empty()) m_peerman.Send(peer, NotFoundMsg{std::move(not_found)});
}

void BlockSync::RequestHeaders(Peer& peer, const std::optional<uint256>& from, const uint256& stop)
{
    std::vector<uint256> locator = m_chainstate.GetLocator(from);
    {
        LockGuard lock{m_mutex};
        m_peers[peer.conn->Id()].headers_requested = true;
    }
    m_peerman.Send(peer, GetHeadersMsg{PROTOCOL_VERSION, std::move(locator), stop});
}

void BlockSync::ContinueHeaders(Peer& peer)
{
    std::optional<uint256> from;
    {
        LockGuard lock{m_mutex};
        const SyncPeer& sync = m_peers[peer.conn->Id()];
        // Followed only while the peer's unverified headers leave room for
        // a full answer: a chain whose blocks never verify stops here.
        if (!sync.more_headers || sync.headers_requested ||
            sync.unverified.size() + MAX_HEADERS_RESULTS > MAX_UNVERIFIED_HEADERS_PER_PEER) {
            return;
        }
        from = sync.best_known;
    }
    RequestHeaders(peer, from);
}

void BlockSync::UpdateBestKnown(NodeId id, const uint256& hash)
{
    const auto info = m_chainstate.GetHeaderInfo(hash);
    if (!info || info->invalid) return;
    LockGuard lock{m_mutex};
    SyncPeer& sync = m_peers[id];
    if (!sync.best_known || info->chain_work > sync.best_known_work) {
        sync.best_known = hash;
        sync.best_known_work = info->chain_work;
        sync.best_known_height = info->height;
    }
}

void BlockSync::MarkVerified(const uint256& hash)
{
    LockGuard lock{m_mutex};
    for (auto& [id, sync] : m_peers) sync.unverified.erase(hash);
}

void BlockSync::SendMessages(Peer& peer)
{
    {
        LockGuard lock{m_mutex};
        if (m_peers.count(peer.conn->Id()) == 0) return;
    }
    ServeBlocks(peer);
    Announce(peer);
    ContinueHeaders(peer);
    RequestBlocks(peer);
    CheckTimeouts(peer);
}

void BlockSync::Announce(Peer& peer)
{
    const uint64_t moves = m_tip_moves.load();
    std::vector<uint256> known;
    {
        LockGuard lock{m_mutex};
        SyncPeer& sync = m_peers[peer.conn->Id()];
        if (sync.announced_tip_moves == moves) return;
        sync.announced_tip_moves = moves;
        if (sync.best_known) known.push_back(*sync.best_known);
        if (sync.best_announced) known.push_back(*sync.best_announced);
    }
    if (m_chainstate.IsInitialBlockDownload()) return;
    const uint256 tip = m_chainstate.TipHash();
    if (std::find(known.begin(), known.end(), tip) != known.end()) return;
    // A peer whose chain holds our tip needs no announcement: while we catch
    // up from it, every block would otherwise go back as a headers message
    // it has to check (Core: PeerHasHeader).
    if (std::any_of(known.begin(), known.end(),
                    [&](const uint256& hash) { return m_chainstate.IsAncestorOrSelf(tip, hash); })) {
        return;
    }
    bool prefer_headers{false};
    {
        LockGuard lock{peer.m_mutex};
        prefer_headers = peer.prefer_headers;
    }
    std::vector<BlockHeader> headers;
    if (prefer_headers) headers = m_chainstate.GetHeadersAfter(known, tip, MAX_BLOCKS_TO_ANNOUNCE);
    if (!headers.empty() && headers.back().GetHash() == tip) {
        m_peerman.Send(peer, HeadersMsg{std::move(headers)});
    } else {
        m_peerman.Send(peer, InvMsg{{InvItem{MSG_BLOCK, tip}}});
    }
    LockGuard lock{m_mutex};
    m_peers[peer.conn->Id()].best_announced = tip;
}

void BlockSync::RequestBlocks(Peer& peer)
{
    const NodeId id = peer.conn->Id();
    std::optional<uint256> target;
    size_t room{0};
    {
        LockGuard lock{m_mutex};
        const SyncPeer& sync = m_peers[id];
        target = sync.best_known;
        room = MAX_BLOCKS_IN_FLIGHT_PER_PEER - std::min(MAX_BLOCKS_IN_FLIGHT_PER_PEER, sync.in_flight.size());
        // Asked in batches: while more than half the blocks asked for are
        // still coming, the peer stays busy and one getdata per block would
        // only cost both sides a message each.
        if (sync.in_flight.size() > MAX_BLOCKS_IN_FLIGHT_PER_PEER / 2) room = 0;
    }
    if (!target || room == 0) return;
    const int64_t max_height = m_chainstate.Height() + BLOCK_DOWNLOAD_WINDOW;
    // The chain calls `in_flight` under its own lock: order chain, then ours.
    const auto in_flight = [this](const uint256& hash) {
        LockGuard lock{m_mutex};
        return m_in_flight.count(hash) != 0;
    };
    const std::vector<uint256> wanted = m_chainstate.FindBlocksToDownload(*target, max_height, room, in_flight);
    const int64_t now = SteadySeconds();
    if (wanted.empty()) {
        // Nothing left for this peer while the window is not done: whoever
        // holds its lowest block is stalling the download.
        const auto lowest = m_chainstate.FindBlocksToDownload(*target, max_height, 1, nullptr);
        if (lowest.empty()) return;
        LockGuard lock{m_mutex};
        const auto owner = m_in_flight.find(lowest.front());
        if (owner == m_in_flight.end() || owner->second == id) return;
        SyncPeer& staller = m_peers[owner->second];
        if (staller.stalling_since == 0) staller.stalling_since = now;
        return;
    }
    std::vector<InvItem> items;
    {
        LockGuard lock{m_mutex};
        SyncPeer& sync = m_peers[id];
        for (const uint256& hash : wanted) {
            if (!m_in_flight.emplace(hash, id).second) continue;
            sync.in_flight.emplace(hash, now);
            items.push_back(InvItem{MSG_BLOCK, hash});
        }
    }
    if (!items.empty()) m_peerman.Send(peer, GetDataMsg{std::move(items)});
}

void BlockSync::CheckTimeouts(Peer& peer)
{
    const int64_t now = SteadySeconds();
    std::string reason;
    {
        LockGuard lock{m_mutex};
        const SyncPeer& sync = m_peers[peer.conn->Id()];
        if (sync.stalling_since != 0 && now - sync.stalling_since > BLOCK_STALLING_TIMEOUT) {
            reason = "stalling block download";
        }
        for (const auto& [hash, requested] : sync.in_flight) {
            if (now - requested > BLOCK_DOWNLOAD_TIMEOUT) reason = "block download timeout";
        }
    }
    // Slow, not malicious: disconnect without discouraging; OnPeerGone frees its blocks.
    if (!reason.empty()) {
        LogInfo("Peer={} disconnected: {}", peer.conn->Id(), reason);
        peer.conn->Disconnect(reason);
    }
}

std::optional<PeerSyncStats> BlockSync::GetSyncStats(NodeId id) const
{
    PeerSyncStats stats;
    std::vector<uint256> in_flight;
    std::optional<uint256> best_known;
    {
        LockGuard lock{m_mutex};
        const auto it = m_peers.find(id);
        if (it == m_peers.end()) return std::nullopt;
        stats.synced_headers = it->second.best_known_height;
        stats.unverified_headers = it->second.unverified.size();
        best_known = it->second.best_known;
        for (const auto& [hash, requested] : it->second.in_flight) in_flight.push_back(hash);
    }
    // Outside our lock: the chain may call back into ActiveTipChanged.
    for (const uint256& hash : in_flight) {
        if (const auto info = m_chainstate.GetHeaderInfo(hash)) stats.inflight.push_back(info->height);
    }
    std::sort(stats.inflight.begin(), stats.inflight.end());
    // Its best block we also have (Core: the last block in common).
    if (best_known) {
        const auto info = m_chainstate.GetHeaderInfo(*best_known);
        if (info && info->have_data) stats.synced_blocks = info->height;
    }
    return stats;
}

}  // namespace hpips::net
