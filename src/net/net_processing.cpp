// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/net_processing.h>

#include <crypto/random.h>
#include <crypto/sha256.h>
#include <net/net_permissions.h>
#include <util/logging.h>

#include <algorithm>
#include <cmath>
#include <type_traits>

namespace hpips::net {
namespace {

/** Addresses with a time this far in the past or older are junk. */
constexpr int64_t MIN_SANE_ADDR_TIME = 100'000'000;
/** What such an address's time becomes: five days ago. */
constexpr int64_t JUNK_ADDR_AGE = 5 * 24 * 60 * 60;
/** An addr message of at most this many entries is gossip worth relaying
 *  (a larger one is an answer to getaddr). */
constexpr size_t MAX_ADDRS_RELAYED_FROM_ONE_MESSAGE = 10;
/** Extra random lifetime of the getaddr answer cache. */
constexpr int64_t ADDR_RESPONSE_CACHE_JITTER = 6 * 60 * 60;

int64_t SteadyMicros(std::chrono::steady_clock::time_point t)
{
    return std::chrono::duration_cast<std::chrono::microseconds>(t.time_since_epoch()).count();
}

}  // namespace

std::string SanitizeUserAgent(std::string_view text)
{
    static constexpr std::string_view SAFE_CHARS{" .,;-_/:?@()"};
    std::string out;
    for (const char c : text) {
        const bool alnum = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
        if (alnum || SAFE_CHARS.find(c) != std::string_view::npos) out.push_back(c);
    }
    return out;
}

void Peer::AddKnownAddress(const Service& service)
{
    if (!known_addrs.insert(service).second) return;
    known_addrs_order.push_back(service);
    while (known_addrs_order.size() > MAX_KNOWN_ADDRESSES) {
        known_addrs.erase(known_addrs_order.front());
        known_addrs_order.pop_front();
    }
}

PeerManager::PeerManager(ConnectionManager& connman, const NodeClock& clock, PeerManagerOptions options)
    : m_connman{connman},
      m_addrman{connman.GetAddrMan()},
      m_clock{clock},
      m_options{std::move(options)},
      m_rng{m_options.random_seed}
{
    std::array<uint8_t, 32> key{};
    GetStrongRandBytes(key);
    m_addr_relay_key = uint256{key};
}

void PeerManager::RegisterHandler(ProtocolHandler& handler) { m_handlers.push_back(&handler); }

uint64_t PeerManager::RandomNonce()
{
    LockGuard lock{m_rng_mutex};
    uint64_t nonce{0};
    while (nonce == 0) nonce = m_rng.Rand64();
    return nonce;
}

int64_t PeerManager::NextPoisson(int64_t now, int64_t average)
{
    LockGuard lock{m_rng_mutex};
    const double u = static_cast<double>(m_rng.Rand64() >> 11) * (1.0 / 9007199254740992.0);  // [0, 1)
    return now + static_cast<int64_t>(-std::log1p(-u) * static_cast<double>(average));
}

std::shared_ptr<Peer> PeerManager::GetPeer(NodeId id) const
{
    LockGuard lock{m_peers_mutex};
    const auto it = m_peers.find(id);
    return it == m_peers.end() ? nullptr : it->second;
}

void PeerManager::Send(Peer& peer, const Message& message)
{
    const auto payload = EncodePayload(message);
    peer.conn->PushMessage(CommandOf(message), payload);
}

void PeerManager::Misbehaving(Peer& peer, const std::string& reason) { m_connman.Misbehaving(*peer.conn, reason); }

void PeerManager::InitializeNode(const std::shared_ptr<Connection>& conn)
{
    auto peer = std::make_shared<Peer>(conn);
    {
        LockGuard lock{peer->m_mutex};
        peer->addr_token_time = m_clock.Now();
        // Outbound peers that relay addresses get them from the start;
        // inbound peers once they show interest (an addr or getaddr).
        peer->addr_relay_enabled = !conn->IsInbound() && conn->Type() != ConnectionType::BLOCK_RELAY;
    }
    {
        LockGuard lock{m_peers_mutex};
        m_peers.emplace(conn->Id(), peer);
    }
    if (!conn->IsInbound()) PushVersion(*peer);
}

void PeerManager::FinalizeNode(const Connection& conn)
{
    {
        LockGuard lock{m_peers_mutex};
        m_peers.erase(conn.Id());
    }
    for (ProtocolHandler* handler : m_handlers) handler->OnPeerGone(conn.Id());
}

void PeerManager::PushVersion(Peer& peer)
{
    VersionMsg version;
    version.version = PROTOCOL_VERSION;
    version.services = m_options.local_services;
    version.time = m_clock.Now();
    version.addr_recv.service = peer.conn->Addr();
    version.addr_from.services = m_options.local_services;
    version.nonce = RandomNonce();
    version.user_agent = UserAgent();
    const int64_t height = m_options.best_height ? m_options.best_height() : 0;
    version.start_height = static_cast<int32_t>(std::clamp<int64_t>(height, 0, INT32_MAX));
    version.relay = m_options.relay_txs && peer.conn->Type() != ConnectionType::BLOCK_RELAY;
    {
        LockGuard lock{peer.m_mutex};
        peer.local_nonce = version.nonce;
        peer.version_sent = true;
    }
    Send(peer, version);
}

bool PeerManager::IsSelfNonce(uint64_t nonce) const
{
    std::vector<std::shared_ptr<Peer>> peers;
    {
        LockGuard lock{m_peers_mutex};
        for (const auto& [id, peer] : m_peers) peers.push_back(peer);
    }
    for (const auto& peer : peers) {
        if (peer->conn->IsInbound() || peer->conn->successfully_connected) continue;
        LockGuard lock{peer->m_mutex};
        if (peer->local_nonce == nonce) return true;
    }
    return false;
}

bool PeerManager::ProcessMessages(const std::shared_ptr<Connection>& conn)
{
    const auto peer = GetPeer(conn->Id());
    if (peer == nullptr) return false;
    bool more{false};
    const auto message = conn->PopMessage(more);
    if (!message) return false;
    ProcessMessage(*peer, *message);
    return more && !conn->IsDisconnecting();
}

void PeerManager::ProcessMessage(Peer& peer, const NetMessage& message)
{
    const std::string& command = message.command;
    bool version_received{false};
    bool verack_received{false};
    {
        LockGuard lock{peer.m_mutex};
        version_received = peer.version_received;
        verack_received = peer.verack_received;
    }
    LogDebug(LogCategory::NET, "received: {} ({} bytes) peer={}", command, message.payload.size(), peer.conn->Id());
    if (!version_received && command != cmd::VERSION) {
        Misbehaving(peer, "'" + command + "' before version");
        return;
    }
    const CommandInfo* info = FindCommand(command);
    if (info == nullptr) {
        if (!verack_received) {
            Misbehaving(peer, "unknown command '" + command + "' before verack");
        } else {
            LogDebug(LogCategory::NET, "ignoring unknown command '{}' peer={}", command, peer.conn->Id());
        }
        return;
    }
    switch (info->rule) {
    case HandshakeRule::VERSION_ONLY:
        if (version_received) {
            Misbehaving(peer, "duplicate version");
            return;
        }
        break;
    case HandshakeRule::BEFORE_VERACK:
        if (verack_received) {
            Misbehaving(peer, "'" + command + "' after verack");
            return;
        }
        break;
    case HandshakeRule::AFTER_VERACK:
        if (!verack_received) {
            Misbehaving(peer, "'" + command + "' before verack");
            return;
        }
        break;
    }
    auto decoded = DecodeMessage(command, message.payload);
    if (!decoded) {
        Misbehaving(peer, "malformed " + command + ": " + decoded.error_message());
        return;
    }
    const Message& msg = *decoded;
    if (const auto* m = std::get_if<VersionMsg>(&msg)) {
        HandleVersion(peer, *m);
    } else if (std::holds_alternative<VerackMsg>(msg)) {
        HandleVerack(peer);
    } else if (std::holds_alternative<WtxidRelayMsg>(msg)) {
        LockGuard lock{peer.m_mutex};
        peer.wtxid_relay = true;
    } else if (const auto* ping = std::get_if<PingMsg>(&msg)) {
        Send(peer, PongMsg{ping->nonce});
    } else if (const auto* pong = std::get_if<PongMsg>(&msg)) {
        HandlePong(peer, *pong);
    } else if (std::holds_alternative<SendHeadersMsg>(msg)) {
        LockGuard lock{peer.m_mutex};
        peer.prefer_headers = true;
    } else if (const auto* filter = std::get_if<FeeFilterMsg>(&msg)) {
        LockGuard lock{peer.m_mutex};
        peer.fee_filter = filter->fee_rate;
    } else if (const auto* addr = std::get_if<AddrMsg>(&msg)) {
        HandleAddr(peer, *addr);
    } else if (std::holds_alternative<GetAddrMsg>(msg)) {
        HandleGetAddr(peer);
    } else {
        // EXTENSION POINT: sync, relay and blobs (see the header).
        for (ProtocolHandler* handler : m_handlers) {
            auto handled = handler->HandleMessage(peer, msg);
            if (!handled) {
                Misbehaving(peer, handled.error_message());
                return;
            }
            if (*handled == ProtocolHandler::Handling::HANDLED) return;
        }
        // inv, getdata and notfound always get here: every handler reads its
        // own entries and passes the message on. Anything else had no taker.
        if (command != cmd::INV && command != cmd::GETDATA && command != cmd::NOTFOUND) {
            LogDebug(LogCategory::NET, "ignoring {} from peer={}: no handler takes it", command, peer.conn->Id());
        }
    }
}

void PeerManager::HandleVersion(Peer& peer, const VersionMsg& msg)
{
    Connection& conn = *peer.conn;
    {
        LockGuard lock{peer.m_mutex};
        peer.version_received = true;
    }
    if (msg.version < MIN_PEER_PROTO_VERSION) {
        LogDebug(LogCategory::NET, "peer={} using obsolete version {}; disconnecting", conn.Id(), msg.version);
        conn.Disconnect("obsolete protocol version " + std::to_string(msg.version));
        return;
    }
    if (conn.IsInbound() && IsSelfNonce(msg.nonce)) {
        LogInfo("connected to self at {}, disconnecting", conn.Addr().ToString());
        conn.Disconnect("connected to self");
        return;
    }
    if ((conn.Type() == ConnectionType::OUTBOUND_FULL_RELAY || conn.Type() == ConnectionType::BLOCK_RELAY) &&
        (msg.services & NODE_NETWORK) == 0) {
        LogDebug(LogCategory::NET, "peer={} does not offer the expected services ({:x}); disconnecting", conn.Id(),
                 msg.services);
        conn.Disconnect("does not offer the expected services");
        return;
    }
    bool send_version{false};
    {
        LockGuard lock{peer.m_mutex};
        peer.version = msg.version;
        peer.services = msg.services;
        peer.user_agent = SanitizeUserAgent(msg.user_agent);
        peer.start_height = msg.start_height;
        peer.relay_txs = msg.relay;
        peer.time_offset = msg.time - m_clock.Now();
        if (!msg.addr_recv.service.addr.IsUnspecified()) peer.addr_local = msg.addr_recv.service;
        send_version = conn.IsInbound() && !peer.version_sent;
    }
    conn.relay_txs = msg.relay;
    if (send_version) PushVersion(peer);
    // Announcement by wtxid is the only way this node relays transactions;
    // it must be said before verack.
    Send(peer, WtxidRelayMsg{});
    Send(peer, VerackMsg{});
    if (!conn.IsInbound()) m_addrman.SetServices(conn.Addr(), msg.services);
    LogDebug(LogCategory::NET, "receive version message: {}: version {}, blocks={}, txrelay={}, peer={}",
             SanitizeUserAgent(msg.user_agent), msg.version, msg.start_height, msg.relay, conn.Id());
}

void PeerManager::HandleVerack(Peer& peer)
{
    Connection& conn = *peer.conn;
    bool relay_txs{false};
    bool addr_relay{false};
    int32_t version{0};
    int32_t height{0};
    {
        LockGuard lock{peer.m_mutex};
        peer.verack_received = true;
        peer.next_ping_time = 0;  // first ping right away
        relay_txs = peer.relay_txs;
        addr_relay = peer.addr_relay_enabled;
        version = peer.version;
        height = peer.start_height;
    }
    conn.successfully_connected = true;
    LogInfo("New {} peer connected: version: {}, blocks={}, peer={}{}", ConnectionTypeName(conn.Type()), version,
            height, conn.Id(), conn.IsInbound() ? "" : ", peeraddr=" + conn.Addr().ToString());
    // Announce new blocks to me by headers.
    Send(peer, SendHeadersMsg{});
    if (m_options.relay_txs && relay_txs && conn.Type() != ConnectionType::BLOCK_RELAY) {
        Send(peer, FeeFilterMsg{m_options.min_relay_fee_rate});
    }
    if (!conn.IsInbound() && addr_relay) {
        {
            LockGuard lock{peer.m_mutex};
            peer.getaddr_sent = true;
            // The answer may hold a full message: let it through.
            peer.addr_token_bucket += MAX_ADDR_PROCESSING_TOKEN_BUCKET;
        }
        Send(peer, GetAddrMsg{});
    }
    if (!conn.IsInbound() && conn.Type() != ConnectionType::BLOCK_RELAY) m_addrman.Good(conn.Addr());
    for (ProtocolHandler* handler : m_handlers) handler->OnPeerReady(peer);
}

void PeerManager::HandlePong(Peer& peer, const PongMsg& msg)
{
    const auto now = std::chrono::steady_clock::now();
    LockGuard lock{peer.m_mutex};
    if (peer.ping_nonce_sent == 0) {
        LogDebug(LogCategory::NET, "unsolicited pong from peer={}", peer.conn->Id());
        return;
    }
    if (msg.nonce != peer.ping_nonce_sent) {
        LogDebug(LogCategory::NET, "pong nonce mismatch from peer={}", peer.conn->Id());
        return;
    }
    const int64_t latency = std::max<int64_t>(0, SteadyMicros(now) - SteadyMicros(peer.ping_start));
    peer.last_ping_us = latency;
    peer.ping_nonce_sent = 0;
    if (latency < peer.conn->min_ping_us.load()) peer.conn->min_ping_us = latency;
}

void PeerManager::HandleAddr(Peer& peer, const AddrMsg& msg)
{
    Connection& conn = *peer.conn;
    if (conn.Type() == ConnectionType::BLOCK_RELAY) {
        LogDebug(LogCategory::NET, "ignoring addr from block-relay-only peer={}", conn.Id());
        return;
    }
    const int64_t now = m_clock.Now();
    const bool rate_limited = !conn.HasPermission(PF_ADDR);
    std::vector<AddressEntry> to_store;
    std::vector<AddressEntry> to_relay;
    uint64_t processed{0};
    uint64_t limited{0};
    {
        LockGuard lock{peer.m_mutex};
        peer.addr_relay_enabled = true;
        // Refill the token bucket for the time since the last addr.
        if (peer.addr_token_bucket < MAX_ADDR_PROCESSING_TOKEN_BUCKET) {
            const int64_t elapsed = std::max<int64_t>(0, now - peer.addr_token_time);
            peer.addr_token_bucket = std::min(
                peer.addr_token_bucket + static_cast<double>(elapsed) * MAX_ADDR_RATE_PER_SECOND,
                MAX_ADDR_PROCESSING_TOKEN_BUCKET);
        }
        peer.addr_token_time = now;
        const bool getaddr_answer = peer.getaddr_sent;
        for (AddressEntry entry : msg.addrs) {
            if (peer.addr_token_bucket < 1.0) {
                if (rate_limited) {
                    ++limited;
                    continue;
                }
            } else {
                peer.addr_token_bucket -= 1.0;
            }
            if (!m_connman.IsReachable(entry.service.addr.Type())) continue;
            if (entry.time <= MIN_SANE_ADDR_TIME || entry.time > now + AddrManConstants::MAX_FUTURE) {
                entry.time = static_cast<uint32_t>(std::max<int64_t>(0, now - JUNK_ADDR_AGE));
            }
            peer.AddKnownAddress(entry.service);
            ++processed;
            if (!getaddr_answer && msg.addrs.size() <= MAX_ADDRS_RELAYED_FROM_ONE_MESSAGE &&
                int64_t{entry.time} > now - ADDR_RELAY_MAX_AGE && entry.service.addr.IsRoutable()) {
                to_relay.push_back(entry);
            }
            to_store.push_back(entry);
        }
        peer.addr_processed += processed;
        peer.addr_rate_limited += limited;
        if (msg.addrs.size() < MAX_ADDR_TO_SEND) peer.getaddr_sent = false;
    }
    // Banned and discouraged addresses are neither stored nor relayed.
    BanMan& banman = m_connman.GetBanMan();
    std::erase_if(to_store, [&](const auto& e) { return banman.IsBanned(e.service.addr) || banman.IsDiscouraged(e.service.addr); });
    std::erase_if(to_relay, [&](const auto& e) { return banman.IsBanned(e.service.addr) || banman.IsDiscouraged(e.service.addr); });
    for (const auto& entry : to_relay) RelayAddress(conn.Id(), entry);
    m_addrman.Add(to_store, conn.Addr().addr, ADDR_TIME_PENALTY);
    if (limited > 0) {
        LogDebug(LogCategory::NET, "addr from peer={}: {} processed, {} rate-limited", conn.Id(), processed, limited);
    }
    if (conn.Type() == ConnectionType::ADDR_FETCH && msg.addrs.size() > 1) conn.Disconnect("addr-fetch done");
}

std::vector<AddressEntry> PeerManager::AddressesForGetAddr(NetType requestor_net)
{
    const int64_t now = m_clock.Now();
    LockGuard lock{m_addr_cache_mutex};
    AddrCache& cache = m_addr_cache[requestor_net];
    if (cache.expires <= now) {
        cache.addrs = m_addrman.GetAddr(MAX_ADDR_TO_SEND, MAX_PCT_ADDR_TO_SEND);
        int64_t jitter{0};
        {
            LockGuard rng_lock{m_rng_mutex};
            jitter = static_cast<int64_t>(m_rng.RandRange(ADDR_RESPONSE_CACHE_JITTER));
        }
        cache.expires = now + ADDR_RESPONSE_CACHE_LIFETIME + jitter;
    }
    return cache.addrs;
}

void PeerManager::HandleGetAddr(Peer& peer)
{
    Connection& conn = *peer.conn;
    // Answering outbound peers would let them fingerprint us.
    if (!conn.IsInbound()) {
        LogDebug(LogCategory::NET, "ignoring getaddr from outbound peer={}", conn.Id());
        return;
    }
    {
        LockGuard lock{peer.m_mutex};
        peer.addr_relay_enabled = true;
        if (peer.getaddr_answered) {
            LogDebug(LogCategory::NET, "ignoring repeated getaddr from peer={}", conn.Id());
            return;
        }
        peer.getaddr_answered = true;
    }
    std::vector<AddressEntry> addrs = AddressesForGetAddr(conn.Addr().addr.Type());
    BanMan& banman = m_connman.GetBanMan();
    std::erase_if(addrs, [&](const auto& e) { return banman.IsBanned(e.service.addr) || banman.IsDiscouraged(e.service.addr); });
    if (addrs.size() > MAX_ADDR_TO_SEND) addrs.resize(MAX_ADDR_TO_SEND);
    {
        LockGuard lock{peer.m_mutex};
        for (const auto& entry : addrs) peer.AddKnownAddress(entry.service);
    }
    Send(peer, AddrMsg{std::move(addrs)});
}

void PeerManager::RelayAddress(NodeId from, const AddressEntry& entry)
{
    // The same address goes to the same peers for a day, so relaying it
    // again does not reach more of the network.
    const int64_t day = m_clock.Now() / (24 * 60 * 60);
    std::vector<std::pair<uint64_t, std::shared_ptr<Peer>>> ranked;
    std::vector<std::shared_ptr<Peer>> peers;
    {
        LockGuard lock{m_peers_mutex};
        for (const auto& [id, peer] : m_peers) peers.push_back(peer);
    }
    for (const auto& peer : peers) {
        if (peer->conn->Id() == from || peer->conn->IsDisconnecting() || !peer->conn->successfully_connected) continue;
        {
            LockGuard lock{peer->m_mutex};
            if (!peer->addr_relay_enabled) continue;
        }
        Sha256 hasher;
        hasher.Write(m_addr_relay_key.span());
        hasher.Write(entry.service.addr.Bytes());
        std::array<uint8_t, 16> extra{};
        for (size_t i{0}; i < 8; ++i) {
            extra[i] = static_cast<uint8_t>(static_cast<uint64_t>(day) >> (8 * i));
            extra[8 + i] = static_cast<uint8_t>(static_cast<uint64_t>(peer->conn->Id()) >> (8 * i));
        }
        hasher.Write(extra);
        const uint256 hash = hasher.Finalize();
        uint64_t rank{0};
        for (size_t i{0}; i < 8; ++i) rank |= uint64_t{hash.span()[i]} << (8 * i);
        ranked.emplace_back(rank, peer);
    }
    std::sort(ranked.begin(), ranked.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    const size_t targets = m_connman.IsReachable(entry.service.addr.Type()) ? 2 : 1;
    for (size_t i{0}; i < std::min(targets, ranked.size()); ++i) {
        Peer& peer = *ranked[i].second;
        LockGuard lock{peer.m_mutex};
        if (peer.known_addrs.contains(entry.service)) continue;
        if (peer.addrs_to_send.size() >= MAX_ADDR_TO_SEND) {
            LockGuard rng_lock{m_rng_mutex};
            peer.addrs_to_send[m_rng.RandRange(peer.addrs_to_send.size())] = entry;
        } else {
            peer.addrs_to_send.push_back(entry);
        }
        peer.AddKnownAddress(entry.service);
    }
}

void PeerManager::MaybeSendPing(Peer& peer)
{
    const int64_t now = m_clock.Now();
    uint64_t nonce{0};
    {
        LockGuard lock{peer.m_mutex};
        if (peer.ping_nonce_sent != 0) {
            if (now - peer.ping_sent_time > m_options.ping_timeout) {
                LogInfo("ping timeout: {} seconds, peer={}", now - peer.ping_sent_time, peer.conn->Id());
                peer.conn->Disconnect("ping timeout");
            }
            return;
        }
        if (!peer.ping_queued && now < peer.next_ping_time) return;
        peer.ping_queued = false;
    }
    nonce = RandomNonce();
    {
        LockGuard lock{peer.m_mutex};
        peer.ping_nonce_sent = nonce;
        peer.ping_start = std::chrono::steady_clock::now();
        peer.ping_sent_time = now;
        peer.next_ping_time = now + PING_INTERVAL;
    }
    Send(peer, PingMsg{nonce});
}

void PeerManager::MaybeSendAddr(Peer& peer)
{
    const int64_t now = m_clock.Now();
    std::vector<AddressEntry> addrs;
    {
        LockGuard lock{peer.m_mutex};
        if (!peer.addr_relay_enabled || peer.addrs_to_send.empty() || now < peer.next_addr_send) return;
        addrs.swap(peer.addrs_to_send);
    }
    const int64_t next = NextPoisson(now, AVG_ADDRESS_BROADCAST_INTERVAL);
    {
        LockGuard lock{peer.m_mutex};
        peer.next_addr_send = next;
    }
    if (addrs.size() > MAX_ADDR_TO_SEND) addrs.resize(MAX_ADDR_TO_SEND);
    Send(peer, AddrMsg{std::move(addrs)});
}

void PeerManager::SendMessages(const std::shared_ptr<Connection>& conn)
{
    const auto peer = GetPeer(conn->Id());
    if (peer == nullptr) return;
    {
        LockGuard lock{peer->m_mutex};
        if (!peer->verack_received) return;
    }
    MaybeSendPing(*peer);
    if (conn->IsDisconnecting()) return;
    MaybeSendAddr(*peer);
    if (conn->Type() == ConnectionType::ADDR_FETCH &&
        m_clock.Now() - conn->Info().connected_time > ADDR_FETCH_TIMEOUT) {
        conn->Disconnect("addr-fetch timeout");
        return;
    }
    for (ProtocolHandler* handler : m_handlers) handler->SendMessages(*peer);
}

std::optional<PeerStats> PeerManager::GetPeerStats(NodeId id) const
{
    const auto peer = GetPeer(id);
    if (peer == nullptr) return std::nullopt;
    const auto now = std::chrono::steady_clock::now();
    LockGuard lock{peer->m_mutex};
    PeerStats stats;
    stats.version = peer->version;
    stats.services = peer->services;
    stats.user_agent = peer->user_agent;
    stats.start_height = peer->start_height;
    stats.relay_txs = peer->relay_txs;
    stats.time_offset = peer->time_offset;
    stats.addr_local = peer->addr_local;
    stats.prefer_headers = peer->prefer_headers;
    stats.wtxid_relay = peer->wtxid_relay;
    stats.fee_filter = peer->fee_filter;
    stats.last_ping_us = peer->last_ping_us;
    if (peer->ping_nonce_sent != 0) stats.ping_wait_us = SteadyMicros(now) - SteadyMicros(peer->ping_start);
    stats.addr_relay_enabled = peer->addr_relay_enabled;
    stats.addr_processed = peer->addr_processed;
    stats.addr_rate_limited = peer->addr_rate_limited;
    return stats;
}

void PeerManager::SendPings()
{
    std::vector<std::shared_ptr<Peer>> peers;
    {
        LockGuard lock{m_peers_mutex};
        for (const auto& [id, peer] : m_peers) peers.push_back(peer);
    }
    for (const auto& peer : peers) {
        LockGuard lock{peer->m_mutex};
        peer->ping_queued = true;
    }
}

}  // namespace hpips::net
