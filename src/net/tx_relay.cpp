// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/tx_relay.h>

#include <net/net_permissions.h>
#include <util/logging.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace hpips::net {
namespace {

void Send(Peer& peer, const Message& message)
{
    const auto payload = EncodePayload(message);
    peer.conn->PushMessage(CommandOf(message), payload);
}

bool IsTxType(uint32_t type) { return type == MSG_TX || type == MSG_WTX; }

/** Sends `items` as messages of type M, at most `max` entries each. */
template <typename M>
void SendChunked(Peer& peer, const std::vector<InvItem>& items, size_t max)
{
    for (size_t start{0}; start < items.size(); start += max) {
        const size_t end = std::min(items.size(), start + max);
        Send(peer, M{std::vector<InvItem>(items.begin() + static_cast<std::ptrdiff_t>(start),
                                          items.begin() + static_cast<std::ptrdiff_t>(end))});
    }
}

/** A bijective 64-bit mixer (splitmix64's finalizer). */
uint64_t Mix(uint64_t x)
{
    x ^= x >> 30;
    x *= 0xbf58476d1ce4e5b9ULL;
    x ^= x >> 27;
    x *= 0x94d049bb133111ebULL;
    x ^= x >> 31;
    return x;
}

}  // namespace

void TxRelay::KnownSet::Insert(uint64_t id)
{
    if (!ids.insert(id).second) return;
    order.push_back(id);
    while (order.size() > MAX_PEER_KNOWN_TXS) {
        ids.erase(order.front());
        order.pop_front();
    }
}

TxRelay::TxRelay(const Chainstate& chainstate, Mempool& mempool, const NodeClock& clock, TxRelayOptions options)
    : m_chainstate{chainstate}, m_mempool{mempool}, m_clock{clock}, m_options{std::move(options)},
      m_rng{m_options.random_seed}
{
    {
        LockGuard lock{m_mutex};
        m_short_id_key = m_rng.Rand64();
    }
    m_mempool.AddListener(this);
    // What the pool held before we listened (sendrawtransaction before the
    // network started). Read under our lock: a callback queued meanwhile
    // waits for it and then applies on top of the snapshot, in order.
    LockGuard lock{m_mutex};
    for (const MempoolEntry& entry : m_mempool.Entries()) {
        m_pool[entry.tx.GetTxid()] = PoolTx{entry.tx.GetWtxid(), entry.fee_rate};
        m_pool_wtxids[entry.tx.GetWtxid()] = entry.tx.GetTxid();
    }
}

TxRelay::~TxRelay() { m_mempool.RemoveListener(this); }

TxRelay::Clock TxRelay::Now() const
{
    if (m_options.now) return m_options.now();
    return std::chrono::duration_cast<Clock>(std::chrono::steady_clock::now().time_since_epoch());
}

uint64_t TxRelay::ShortId(const uint256& hash) const
{
    const auto bytes = hash.span();
    uint64_t h = m_short_id_key;
    for (size_t word{0}; word < 4; ++word) {
        uint64_t v{0};
        for (size_t i{0}; i < 8; ++i) v |= uint64_t{bytes[8 * word + i]} << (8 * i);
        h = Mix(h ^ v);
    }
    return h;
}

TxRelay::Clock TxRelay::NextPoisson(Clock now, std::chrono::milliseconds average)
{
    const double u = static_cast<double>(m_rng.Rand64() >> 11) * (1.0 / 9007199254740992.0);  // [0, 1)
    const double average_us = static_cast<double>(std::chrono::duration_cast<Clock>(average).count());
    return now + Clock{static_cast<int64_t>(-std::log1p(-u) * average_us)};
}

TxRelay::PeerState& TxRelay::StateFor(Peer& peer)
{
    const NodeId id = peer.conn->Id();
    if (const auto it = m_peers.find(id); it != m_peers.end()) return it->second;
    const Connection& conn = *peer.conn;
    PeerState state;
    state.inbound = conn.IsInbound();
    state.block_relay_only = conn.Type() == ConnectionType::BLOCK_RELAY;
    {
        // Lock order: TxRelay::m_mutex, then Peer::m_mutex (the PeerManager
        // never calls a handler with a Peer's mutex held).
        LockGuard peer_lock{peer.m_mutex};
        state.relay_to = peer.relay_txs && !state.block_relay_only;
        state.wtxid_relay = peer.wtxid_relay;
    }
    return m_peers.emplace(id, std::move(state)).first->second;
}

void TxRelay::RefreshRejects(const uint256& tip)
{
    // A new tip can make a rejected transaction valid (lock times, a
    // conflict that left): start over, as Core does.
    if (tip == m_rejects_tip) return;
    m_recent_rejects.clear();
    m_recent_rejects_order.clear();
    m_rejects_tip = tip;
}

void TxRelay::AddReject(const uint256& hash)
{
    if (!m_recent_rejects.insert(hash).second) return;
    m_recent_rejects_order.push_back(hash);
    while (m_recent_rejects_order.size() > MAX_RECENT_REJECTS) {
        m_recent_rejects.erase(m_recent_rejects_order.front());
        m_recent_rejects_order.pop_front();
    }
    ForgetHash(hash);
}

bool TxRelay::AlreadyHave(const uint256& hash, bool is_wtxid) const
{
    if (m_recent_rejects.count(hash) != 0) return true;
    if (is_wtxid) return m_pool_wtxids.count(hash) != 0;
    // Reading the pool under m_mutex is allowed (see the file comment).
    return m_pool.count(hash) != 0 || m_mempool.HaveOrphan(hash);
}

bool TxRelay::AddAnnouncement(NodeId id, PeerState& state, const uint256& hash, uint32_t type, Clock requestable)
{
    if (state.announcements.count(hash) != 0) return true;
    if (state.announcements.size() >= MAX_PEER_TX_ANNOUNCEMENTS) {
        ++state.announcements_dropped;
        return false;
    }
    Announcement announcement;
    announcement.type = type;
    announcement.requestable = requestable;
    announcement.pending_at = requestable;
    state.announcements.emplace(hash, announcement);
    state.pending.emplace(requestable, hash);
    m_downloads[hash].announcers.insert(id);
    return true;
}

void TxRelay::DropAnnouncement(NodeId id, PeerState& state, const uint256& hash, Clock now)
{
    const auto it = state.announcements.find(hash);
    if (it == state.announcements.end()) return;
    const Announcement announcement = it->second;
    if (announcement.requested) state.in_flight.erase({announcement.expiry, hash});
    if (announcement.pending_at) state.pending.erase({*announcement.pending_at, hash});
    state.announcements.erase(it);
    const auto download = m_downloads.find(hash);
    if (download == m_downloads.end()) return;
    download->second.announcers.erase(id);
    if (download->second.requested_from == id) {
        // The request failed (notfound, timeout, the peer left, or its copy
        // was no good): the other announcers may be asked now.
        download->second.requested_from.reset();
        for (const NodeId other : download->second.announcers) {
            const auto peer = m_peers.find(other);
            if (peer == m_peers.end()) continue;
            const auto ann = peer->second.announcements.find(hash);
            if (ann == peer->second.announcements.end() || ann->second.requested) continue;
            const Clock at = std::max(now, ann->second.requestable);
            if (ann->second.pending_at) peer->second.pending.erase({*ann->second.pending_at, hash});
            ann->second.pending_at = at;
            peer->second.pending.emplace(at, hash);
        }
    }
    if (download->second.announcers.empty()) m_downloads.erase(download);
}

void TxRelay::ForgetHash(const uint256& hash)
{
    const auto download = m_downloads.find(hash);
    if (download == m_downloads.end()) return;
    for (const NodeId id : download->second.announcers) {
        const auto peer = m_peers.find(id);
        if (peer == m_peers.end()) continue;
        PeerState& state = peer->second;
        const auto ann = state.announcements.find(hash);
        if (ann == state.announcements.end()) continue;
        if (ann->second.requested) state.in_flight.erase({ann->second.expiry, hash});
        if (ann->second.pending_at) state.pending.erase({*ann->second.pending_at, hash});
        state.announcements.erase(ann);
    }
    m_downloads.erase(download);
}

Result<ProtocolHandler::Handling> TxRelay::HandleMessage(Peer& peer, const Message& message)
{
    if (const auto* inv = std::get_if<InvMsg>(&message)) {
        HandleInv(peer, *inv);
        return Handling::NOT_HANDLED;
    }
    if (const auto* getdata = std::get_if<GetDataMsg>(&message)) {
        HandleGetData(peer, *getdata);
        return Handling::NOT_HANDLED;
    }
    if (const auto* notfound = std::get_if<NotFoundMsg>(&message)) {
        HandleNotFound(peer, *notfound);
        return Handling::NOT_HANDLED;
    }
    if (const auto* tx = std::get_if<TxMsg>(&message)) return HandleTx(peer, *tx);
    if (std::holds_alternative<MempoolMsg>(message)) {
        HandleMempool(peer);
        return Handling::HANDLED;
    }
    return Handling::NOT_HANDLED;
}

void TxRelay::HandleInv(Peer& peer, const InvMsg& msg)
{
    Connection& conn = *peer.conn;
    if (std::none_of(msg.items.begin(), msg.items.end(), [](const InvItem& item) { return IsTxType(item.type); })) {
        return;
    }
    if (conn.Type() == ConnectionType::BLOCK_RELAY) {
        LogDebug(LogCategory::NET, "transaction inv from block-relay-only peer={}; disconnecting", conn.Id());
        conn.Disconnect("transaction inv on a block-relay-only connection");
        return;
    }
    const uint256 tip = m_chainstate.TipHash();
    const Clock now = Now();
    LockGuard lock{m_mutex};
    RefreshRejects(tip);
    PeerState& state = StateFor(peer);
    const uint32_t wanted = state.wtxid_relay ? MSG_WTX : MSG_TX;
    // Outbound peers are asked first; an inbound one only after a delay.
    const Clock requestable = state.inbound ? now + NONPREF_PEER_TX_DELAY : now;
    size_t added{0};
    for (const InvItem& item : msg.items) {
        // A wtxidrelay peer announces by wtxid only, the others by txid only.
        if (item.type != wanted) continue;
        state.known.Insert(ShortId(item.hash));
        if (AlreadyHave(item.hash, wanted == MSG_WTX)) continue;
        if (AddAnnouncement(conn.Id(), state, item.hash, wanted, requestable)) ++added;
    }
    LogDebug(LogCategory::NET, "inv of {} entries from peer={}: {} transactions to fetch ({} tracked from it)",
             msg.items.size(), conn.Id(), added, state.announcements.size());
}

void TxRelay::HandleNotFound(Peer& peer, const NotFoundMsg& msg)
{
    const Clock now = Now();
    LockGuard lock{m_mutex};
    PeerState& state = StateFor(peer);
    for (const InvItem& item : msg.items) {
        if (!IsTxType(item.type)) continue;
        const auto ann = state.announcements.find(item.hash);
        // Only an answer to our request counts; anything else is noise.
        if (ann == state.announcements.end() || !ann->second.requested) continue;
        DropAnnouncement(peer.conn->Id(), state, item.hash, now);
    }
}

void TxRelay::HandleGetData(Peer& peer, const GetDataMsg& msg)
{
    std::vector<InvItem> overflow;
    bool any{false};
    {
        LockGuard lock{m_mutex};
        PeerState& state = StateFor(peer);
        for (const InvItem& item : msg.items) {
            if (!IsTxType(item.type)) continue;
            any = true;
            if (state.getdata_queue.size() < MAX_PEER_GETDATA_QUEUE) {
                state.getdata_queue.push_back(item);
            } else {
                overflow.push_back(item);
            }
        }
    }
    if (!any) return;
    if (!overflow.empty()) Send(peer, NotFoundMsg{std::move(overflow)});
    ServeGetData(peer);
}

void TxRelay::ServeGetData(Peer& peer)
{
    std::vector<InvItem> notfound;
    Connection& conn = *peer.conn;
    // A peer that does not read gets no more until its queue drains (the
    // rest waits; SendMessages comes back to it).
    while (!conn.IsSendPaused() && !conn.IsDisconnecting()) {
        InvItem item;
        bool withheld{false};
        {
            LockGuard lock{m_mutex};
            PeerState& state = StateFor(peer);
            if (state.getdata_queue.empty()) break;
            item = state.getdata_queue.front();
            state.getdata_queue.pop_front();
            uint256 txid = item.hash;
            if (item.type == MSG_WTX) {
                const auto it = m_pool_wtxids.find(item.hash);
                if (it != m_pool_wtxids.end()) txid = it->second;
            }
            // Nobody learns of a transaction from us before we announce it.
            withheld = state.to_announce_set.count(txid) != 0;
        }
        std::optional<MempoolEntry> entry;
        if (!withheld) entry = item.type == MSG_WTX ? m_mempool.GetByWtxid(item.hash) : m_mempool.Get(item.hash);
        if (!entry) {
            notfound.push_back(item);
            continue;
        }
        {
            LockGuard lock{m_mutex};
            StateFor(peer).known.Insert(ShortId(item.hash));
        }
        Send(peer, TxMsg{std::make_shared<const Transaction>(std::move(entry->tx))});
    }
    if (!notfound.empty()) SendChunked<NotFoundMsg>(peer, notfound, MAX_INV_SZ);
}

Result<ProtocolHandler::Handling> TxRelay::HandleTx(Peer& peer, const TxMsg& msg)
{
    Connection& conn = *peer.conn;
    const NodeId id = conn.Id();
    if (conn.Type() == ConnectionType::BLOCK_RELAY) {
        LogDebug(LogCategory::NET, "tx from block-relay-only peer={}; disconnecting", id);
        conn.Disconnect("tx on a block-relay-only connection");
        return Handling::HANDLED;
    }
    const Transaction& tx = *msg.tx;
    const uint256 txid = tx.GetTxid();
    const uint256 wtxid = tx.GetWtxid();
    const uint256 tip = m_chainstate.TipHash();
    const Clock now = Now();
    {
        LockGuard lock{m_mutex};
        RefreshRejects(tip);
        PeerState& state = StateFor(peer);
        // Before the pool hears of it: the sender is never told of it.
        state.known.Insert(ShortId(txid));
        state.known.Insert(ShortId(wtxid));
        const auto requested = [&](const uint256& hash) {
            const auto ann = state.announcements.find(hash);
            return ann != state.announcements.end() && ann->second.requested;
        };
        if (!requested(txid) && !requested(wtxid)) ++state.unrequested_txs;
        // Its announcements are answered (by this copy, good or not).
        DropAnnouncement(id, state, txid, now);
        DropAnnouncement(id, state, wtxid, now);
        if (m_recent_rejects.count(wtxid) != 0 || m_pool_wtxids.count(wtxid) != 0) {
            LogDebug(LogCategory::MEMPOOL, "tx {} from peer={}: already have it or rejected it", txid.GetHex(), id);
            return Handling::HANDLED;
        }
    }
    const MempoolAcceptResult result = m_mempool.AcceptToMemoryPool(tx, /*test_only=*/false, std::nullopt, id);
    const TxValidationState& state = result.state;
    if (result.Accepted()) {
        conn.last_tx_time = m_clock.Now();
        LogDebug(LogCategory::MEMPOOL, "accepted tx {} (wtxid {}) from peer={}", txid.GetHex(), wtxid.GetHex(), id);
        return Handling::HANDLED;
    }
    switch (state.GetFailure()) {
    case TxFailure::MISSING_INPUTS: {
        if (!result.orphan && !m_mempool.HaveOrphan(txid)) {
            // Not kept (too large for the orphan pool): not worth fetching again.
            LockGuard lock{m_mutex};
            AddReject(wtxid);
            return Handling::HANDLED;
        }
        std::vector<uint256> parents;
        for (const TxIn& in : tx.inputs()) parents.push_back(in.prevout.txid);
        std::sort(parents.begin(), parents.end());
        parents.erase(std::unique(parents.begin(), parents.end()), parents.end());
        std::erase_if(parents, [&](const uint256& parent) {
            return m_mempool.Exists(parent) || m_mempool.HaveOrphan(parent);
        });
        LockGuard lock{m_mutex};
        PeerState& peer_state = StateFor(peer);
        size_t requested{0};
        for (const uint256& parent : parents) {
            if (m_recent_rejects.count(parent) != 0) continue;
            // Its sender has the parents: ask it, now, by txid.
            if (AddAnnouncement(id, peer_state, parent, MSG_TX, now)) ++requested;
        }
        LogDebug(LogCategory::MEMPOOL, "orphan tx {} from peer={}: fetching {} of {} missing parents", txid.GetHex(),
                 id, requested, parents.size());
        return Handling::HANDLED;
    }
    case TxFailure::CONSENSUS: {
        {
            LockGuard lock{m_mutex};
            // The witness may be what is wrong: only this wtxid is refused.
            AddReject(wtxid);
        }
        if (conn.HasPermission(PF_NOBAN)) {
            LogInfo("invalid tx {} from noban peer={}: {} (not punished)", txid.GetHex(), id, state.ToString());
            return Handling::HANDLED;
        }
        return Error{"invalid transaction " + txid.GetHex() + ": " + state.ToString()};
    }
    case TxFailure::POLICY:
    case TxFailure::CONFLICT:
    case TxFailure::ALREADY_IN_CHAIN: {
        LockGuard lock{m_mutex};
        AddReject(wtxid);
        // A conflict or a confirmed txid does not depend on the witness.
        if (state.GetFailure() != TxFailure::POLICY) AddReject(txid);
        break;
    }
    case TxFailure::NONE:
    case TxFailure::PREMATURE_SPEND:
    case TxFailure::ALREADY_IN_MEMPOOL:
    case TxFailure::FEE_EXCEEDS_MAXIMUM:
        // May become acceptable, or nothing to remember.
        break;
    }
    LogDebug(LogCategory::MEMPOOL, "tx {} from peer={} not accepted: {}", txid.GetHex(), id, state.ToString());
    return Handling::HANDLED;
}

void TxRelay::HandleMempool(Peer& peer)
{
    Connection& conn = *peer.conn;
    if (!conn.HasPermission(PF_MEMPOOL)) {
        // Core's answer: the pool's contents are not for everyone.
        LogDebug(LogCategory::NET, "mempool request without the mempool permission from peer={}; disconnecting",
                 conn.Id());
        conn.Disconnect("mempool request without the mempool permission");
        return;
    }
    int64_t fee_filter{0};
    {
        LockGuard peer_lock{peer.m_mutex};
        fee_filter = peer.fee_filter;
    }
    std::vector<InvItem> items;
    {
        LockGuard lock{m_mutex};
        PeerState& state = StateFor(peer);
        if (!state.relay_to) return;
        for (const auto& [txid, pool_tx] : m_pool) {
            if (pool_tx.fee_rate < fee_filter) continue;
            const uint256& hash = state.wtxid_relay ? pool_tx.wtxid : txid;
            state.known.Insert(ShortId(hash));
            // Announced now: getdata for it is served.
            state.to_announce_set.erase(txid);
            items.push_back(InvItem{state.wtxid_relay ? MSG_WTX : MSG_TX, hash});
        }
    }
    LogDebug(LogCategory::NET, "mempool request from peer={}: {} transactions", conn.Id(), items.size());
    SendChunked<InvMsg>(peer, items, MAX_INV_SZ);
}

void TxRelay::OnPeerReady(Peer& peer)
{
    LockGuard lock{m_mutex};
    StateFor(peer);
}

void TxRelay::OnPeerGone(NodeId id)
{
    {
        const Clock now = Now();
        LockGuard lock{m_mutex};
        const auto it = m_peers.find(id);
        if (it != m_peers.end()) {
            std::vector<uint256> hashes;
            hashes.reserve(it->second.announcements.size());
            for (const auto& [hash, ann] : it->second.announcements) hashes.push_back(hash);
            for (const uint256& hash : hashes) DropAnnouncement(id, it->second, hash, now);
            m_peers.erase(it);
        }
    }
    // Its orphans go with it (their parents will not come from it now).
    m_mempool.EraseOrphansFrom(id);
}

void TxRelay::SendMessages(Peer& peer)
{
    bool serve{false};
    {
        LockGuard lock{m_mutex};
        serve = !StateFor(peer).getdata_queue.empty();
    }
    if (serve) ServeGetData(peer);
    RequestTransactions(peer);
    MaybeAnnounce(peer);
}

void TxRelay::RequestTransactions(Peer& peer)
{
    const NodeId id = peer.conn->Id();
    const Clock now = Now();
    std::vector<InvItem> request;
    {
        LockGuard lock{m_mutex};
        PeerState& state = StateFor(peer);
        while (!state.in_flight.empty() && state.in_flight.begin()->first <= now) {
            const uint256 hash = state.in_flight.begin()->second;
            LogDebug(LogCategory::NET, "timeout of in-flight tx {} from peer={}", hash.GetHex(), id);
            DropAnnouncement(id, state, hash, now);
        }
        while (!state.pending.empty() && state.pending.begin()->first <= now &&
               state.in_flight.size() < MAX_PEER_TX_REQUEST_IN_FLIGHT) {
            const uint256 hash = state.pending.begin()->second;
            state.pending.erase(state.pending.begin());
            Announcement& ann = state.announcements.at(hash);
            ann.pending_at.reset();
            Download& download = m_downloads.at(hash);
            // Someone else is being asked; if that fails, this peer is
            // put back in line (DropAnnouncement).
            if (download.requested_from) continue;
            download.requested_from = id;
            ann.requested = true;
            ann.expiry = now + GETDATA_TX_INTERVAL;
            state.in_flight.emplace(ann.expiry, hash);
            request.push_back(InvItem{ann.type, hash});
        }
    }
    if (!request.empty()) {
        LogDebug(LogCategory::NET, "requesting {} transactions from peer={}", request.size(), id);
        SendChunked<GetDataMsg>(peer, request, MAX_GETDATA_SZ);
    }
}

void TxRelay::MaybeAnnounce(Peer& peer)
{
    int64_t fee_filter{0};
    {
        LockGuard peer_lock{peer.m_mutex};
        fee_filter = peer.fee_filter;
    }
    const Clock now = Now();
    std::vector<InvItem> items;
    {
        LockGuard lock{m_mutex};
        PeerState& state = StateFor(peer);
        if (!state.relay_to || now < state.next_inv_send) return;
        if (state.inbound) {
            // One timer for all inbound peers: several connections from one
            // observer see the same moments, not more of them.
            if (m_next_inbound_inv_send <= now) {
                m_next_inbound_inv_send = NextPoisson(now, m_options.inbound_interval);
            }
            state.next_inv_send = m_next_inbound_inv_send;
        } else {
            state.next_inv_send = NextPoisson(now, m_options.outbound_interval);
        }
        const uint32_t type = state.wtxid_relay ? MSG_WTX : MSG_TX;
        while (!state.to_announce.empty() && items.size() < INVENTORY_BROADCAST_MAX) {
            const Queued queued = state.to_announce.front();
            state.to_announce.pop_front();
            state.to_announce_set.erase(queued.txid);
            const auto pool_tx = m_pool.find(queued.txid);
            // Gone from the pool (mined, evicted, replaced by another witness).
            if (pool_tx == m_pool.end() || pool_tx->second.wtxid != queued.wtxid) continue;
            if (pool_tx->second.fee_rate < fee_filter) continue;
            const uint256& hash = type == MSG_WTX ? queued.wtxid : queued.txid;
            const uint64_t short_id = ShortId(hash);
            if (state.known.Contains(short_id)) continue;
            state.known.Insert(short_id);
            items.push_back(InvItem{type, hash});
        }
    }
    if (items.empty()) return;
    LogDebug(LogCategory::NET, "announcing {} transactions to peer={}", items.size(), peer.conn->Id());
    Send(peer, InvMsg{std::move(items)});
}

void TxRelay::TransactionAdded(const MempoolEntry& entry)
{
    const uint256 txid = entry.tx.GetTxid();
    const uint256 wtxid = entry.tx.GetWtxid();
    LockGuard lock{m_mutex};
    m_pool[txid] = PoolTx{wtxid, entry.fee_rate};
    m_pool_wtxids[wtxid] = txid;
    // We have it: nobody needs to be asked for it any more.
    ForgetHash(txid);
    ForgetHash(wtxid);
    for (auto& [id, state] : m_peers) {
        if (!state.relay_to) continue;
        if (state.known.Contains(ShortId(state.wtxid_relay ? wtxid : txid))) continue;
        if (state.to_announce.size() >= MAX_PEER_TX_ANNOUNCE_QUEUE) continue;
        if (!state.to_announce_set.insert(txid).second) continue;
        state.to_announce.push_back(Queued{txid, wtxid});
    }
}

void TxRelay::TransactionRemoved(const uint256& txid, const uint256& wtxid, MempoolRemovalReason /*reason*/,
                                 uint64_t /*mempool_sequence*/)
{
    LockGuard lock{m_mutex};
    const auto it = m_pool.find(txid);
    if (it != m_pool.end() && it->second.wtxid == wtxid) m_pool.erase(it);
    const auto w = m_pool_wtxids.find(wtxid);
    if (w != m_pool_wtxids.end() && w->second == txid) m_pool_wtxids.erase(w);
}

std::optional<PeerTxRelayStats> TxRelay::GetPeerStats(NodeId id) const
{
    LockGuard lock{m_mutex};
    const auto it = m_peers.find(id);
    if (it == m_peers.end()) return std::nullopt;
    const PeerState& state = it->second;
    PeerTxRelayStats stats;
    stats.to_announce = state.to_announce.size();
    stats.known = state.known.ids.size();
    stats.announcements = state.announcements.size();
    stats.in_flight = state.in_flight.size();
    stats.getdata_queued = state.getdata_queue.size();
    stats.unrequested_txs = state.unrequested_txs;
    stats.announcements_dropped = state.announcements_dropped;
    return stats;
}

size_t TxRelay::DownloadCount() const
{
    LockGuard lock{m_mutex};
    return m_downloads.size();
}

size_t TxRelay::RecentRejectCount() const
{
    LockGuard lock{m_mutex};
    return m_recent_rejects.size();
}

}  // namespace hpips::net
