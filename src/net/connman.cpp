// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/connman.h>

#include <crypto/random.h>
#include <crypto/sha256.h>
#include <net/eviction.h>
#include <util/logging.h>
#include <util/run_until_done.h>

#include <boost/asio/post.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>

#include <algorithm>
#include <future>

namespace hpips::net {
namespace {

namespace ip = boost::asio::ip;

/** How often the outbound / maintenance timer runs. */
constexpr std::chrono::milliseconds TICK_INTERVAL{500};
/** The message handler sleeps at most this long when there is no work. */
constexpr std::chrono::milliseconds MSGHAND_IDLE_WAIT{100};
/** Addresses tried within this many seconds are skipped by automatic
 *  outbound selection (unless little else is known). */
constexpr int64_t RECENT_ATTEMPT = 10 * 60;
/** Selections per tick before giving up on finding an automatic peer. */
constexpr int MAX_SELECT_TRIES = 100;
/** How long Stop waits for the network threads to finish their work
 *  before it stops the io_context outright. */
constexpr std::chrono::seconds STOP_GRACE{10};
/** Pause before accepting again after an accept error (e.g. out of file
 *  descriptors), so the loop does not spin. */
constexpr std::chrono::milliseconds ACCEPT_ERROR_BACKOFF{100};

int64_t SteadyMicros()
{
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

bool IsAutomaticOutbound(ConnectionType type)
{
    return type == ConnectionType::OUTBOUND_FULL_RELAY || type == ConnectionType::BLOCK_RELAY;
}

}  // namespace

/** An outbound connect in flight: the socket and its timeout, on one strand. */
struct ConnectionManager::PendingConnect {
    PendingConnect(boost::asio::io_context& ioc, Service target_in, ConnectionType type_in, std::string name_in)
        : strand{boost::asio::make_strand(ioc)},
          socket{strand},
          timer{strand},
          target{target_in},
          type{type_in},
          name{std::move(name_in)}
    {
    }
    boost::asio::strand<boost::asio::io_context::executor_type> strand;
    ip::tcp::socket socket;
    boost::asio::steady_timer timer;
    Service target;
    ConnectionType type;
    std::string name;
    bool timed_out{false};
};

ConnectionManager::ConnectionManager(ConnmanOptions options, const NodeClock& clock)
    : m_options{std::move(options)}, m_clock{clock}
{
    const int max_connections = std::max(0, m_options.max_connections);
    m_max_outbound_full_relay = std::min(MAX_OUTBOUND_FULL_RELAY, max_connections);
    m_max_outbound_block_relay = std::min(MAX_BLOCK_RELAY_ONLY, max_connections - m_max_outbound_full_relay);
    m_max_inbound = std::max(0, max_connections - m_max_outbound_full_relay - m_max_outbound_block_relay);
    std::array<uint8_t, 32> key{};
    GetStrongRandBytes(key);
    m_netgroup_key = uint256{key};
    if (m_options.data_dir.empty()) {
        m_addrman = std::make_unique<AddrMan>(clock);
        m_banman = std::make_unique<BanMan>(std::filesystem::path{}, clock);
    } else {
        m_addrman = LoadAddrMan(m_options.data_dir / PEERS_FILE_NAME, m_options.magic, clock);
        m_banman = std::make_unique<BanMan>(m_options.data_dir / BANLIST_FILE_NAME, clock);
    }
    {
        LockGuard lock{m_added_mutex};
        for (const auto& node : m_options.addnodes) {
            if (m_added_nodes.size() < MAX_ADDED_NODES) m_added_nodes.push_back(node);
        }
    }
    m_seeds_todo = m_options.seednodes;
    m_last_dump = clock.Now();
}

ConnectionManager::~ConnectionManager() { Stop(); }

uint64_t ConnectionManager::KeyedNetGroup(const NetAddr& addr) const
{
    Sha256 hasher;
    hasher.Write(m_netgroup_key.span());
    hasher.Write(addr.Group());
    const uint256 hash = hasher.Finalize();
    uint64_t v{0};
    for (size_t i{0}; i < 8; ++i) v |= uint64_t{hash.span()[i]} << (8 * i);
    return v;
}

bool ConnectionManager::IsReachable(NetType type) const
{
    return m_options.only_networks.empty() || m_options.only_networks.contains(type);
}

uint32_t ConnectionManager::WhitelistPermissions(const NetAddr& addr) const
{
    uint32_t flags{PF_NONE};
    for (const auto& entry : m_options.whitelist) {
        if (entry.subnet.Match(addr)) flags |= entry.flags;
    }
    return flags;
}

Result<void> ConnectionManager::BindListeners()
{
    if (!m_options.listen) return {};
    for (const auto& spec : m_options.listen_on) {
        auto acceptor = std::make_unique<ip::tcp::acceptor>(m_ioc);
        const auto endpoint = spec.service.ToEndpoint();
        boost::system::error_code ec;
        acceptor->open(endpoint.protocol(), ec);
        if (!ec) acceptor->set_option(ip::tcp::acceptor::reuse_address(true), ec);
        if (!ec && endpoint.address().is_v6()) acceptor->set_option(ip::v6_only(true), ec);
        if (!ec) acceptor->bind(endpoint, ec);
        if (!ec) acceptor->listen(boost::asio::socket_base::max_listen_connections, ec);
        if (ec) {
            const std::string message = "Unable to bind to " + spec.service.ToString() +
                                        " on this computer. HPIPS is probably already running. (" + ec.message() + ")";
            if (spec.required) return Error{message};
            LogInfo("{}", message);
            continue;
        }
        LogInfo("Bound to {}", spec.service.ToString());
        m_bound.push_back(Service::FromEndpoint(acceptor->local_endpoint(ec)));
        m_acceptors.push_back(std::move(acceptor));
        m_listen_specs.push_back(spec);
    }
    if (m_acceptors.empty() && !m_options.listen_on.empty()) {
        return Error{"Failed to listen on any port. Use -listen=0 if you want this."};
    }
    return {};
}

Result<void> ConnectionManager::Start(NetEventsInterface& events)
{
    m_events = &events;
    if (auto bound = BindListeners(); !bound) return bound;
    m_work.emplace(boost::asio::make_work_guard(m_ioc));
    m_started = true;
    for (size_t i{0}; i < m_acceptors.size(); ++i) Accept(i);
    m_tick_timer = std::make_unique<boost::asio::steady_timer>(m_ioc);
    // The first round at once: -connect and -addnode peers are dialled as
    // the node starts, not a tick later.
    ScheduleTick(std::chrono::milliseconds{0});
    const size_t threads = std::max<size_t>(1, m_options.io_threads);
    for (size_t i{0}; i < threads; ++i) {
        m_io_threads.emplace_back([this] { RunUntilDone(m_ioc, "network thread"); });
    }
    m_msghand_thread = std::thread{[this] { ThreadMessageHandler(); }};
    return {};
}

void ConnectionManager::Stop()
{
    if (!m_started.exchange(false)) return;
    m_interrupt = true;
    WakeMessageHandler();
    if (m_msghand_thread.joinable()) m_msghand_thread.join();

    // Close everything from inside the io_context, then let it drain.
    std::promise<void> closed;
    boost::asio::post(m_ioc, [this, &closed] {
        boost::system::error_code ec;
        for (auto& acceptor : m_acceptors) acceptor->close(ec);
        if (m_tick_timer) m_tick_timer->cancel();
        ForEachNode([](const std::shared_ptr<Connection>& conn) { conn->Disconnect("shutting down"); });
        std::vector<std::shared_ptr<PendingConnect>> pending;
        {
            LockGuard lock{m_nodes_mutex};
            for (const auto& [target, weak] : m_pending_connects) {
                if (auto attempt = weak.lock()) pending.push_back(std::move(attempt));
            }
        }
        for (const auto& attempt : pending) {
            boost::asio::post(attempt->strand, [attempt] {
                attempt->timer.cancel();
                boost::system::error_code close_ec;
                attempt->socket.close(close_ec);
            });
        }
        closed.set_value();
    });
    closed.get_future().wait_for(STOP_GRACE);
    m_work.reset();
    const auto deadline = std::chrono::steady_clock::now() + STOP_GRACE;
    while (!m_ioc.stopped() && std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    m_ioc.stop();
    for (auto& thread : m_io_threads) thread.join();
    m_io_threads.clear();

    std::map<NodeId, std::shared_ptr<Connection>> nodes;
    {
        LockGuard lock{m_nodes_mutex};
        nodes.swap(m_nodes);
        m_pending.clear();
        m_pending_connects.clear();
    }
    for (auto& [id, conn] : nodes) {
        conn->Disconnect("shutting down");
        if (m_events != nullptr) m_events->FinalizeNode(*conn);
    }
    DumpPeers();
    if (auto saved = m_banman->Save(); !saved) LogInfo("Cannot save the ban list: {}", saved.error_message());
}

void ConnectionManager::DumpPeers()
{
    m_last_dump = m_clock.Now();
    if (m_options.data_dir.empty()) return;
    const auto path = m_options.data_dir / PEERS_FILE_NAME;
    // No file for a node that never heard of an address.
    std::error_code ec;
    if (m_addrman->Size() == 0 && !std::filesystem::exists(path, ec)) return;
    if (auto saved = m_addrman->SaveFile(path, m_options.magic); !saved) {
        LogInfo("Cannot write {}: {}", path.string(), saved.error_message());
        return;
    }
    LogDebug(LogCategory::NET, "Flushed {} addresses to {}", m_addrman->Size(), path.string());
}

void ConnectionManager::WakeMessageHandler()
{
    {
        LockGuard lock{m_wake_mutex};
        m_wake = true;
    }
    m_wake_cv.notify_one();
}

void ConnectionManager::Accept(size_t index)
{
    ip::tcp::acceptor& acceptor = *m_acceptors[index];
    acceptor.async_accept(boost::asio::make_strand(m_ioc), [this, index](const boost::system::error_code& ec,
                                                                         ip::tcp::socket socket) {
        if (ec == boost::asio::error::operation_aborted || m_interrupt) return;
        if (ec) {
            LogInfo("socket error accepting a connection: {}", ec.message());
            auto timer = std::make_shared<boost::asio::steady_timer>(m_ioc, ACCEPT_ERROR_BACKOFF);
            timer->async_wait([this, index, timer](const boost::system::error_code& wait_ec) {
                if (!wait_ec && !m_interrupt) Accept(index);
            });
            return;
        }
        HandleAccepted(std::move(socket), m_listen_specs[index]);
        Accept(index);
    });
}

void ConnectionManager::HandleAccepted(ip::tcp::socket socket, const ListenSpec& spec)
{
    boost::system::error_code ec;
    const auto remote = socket.remote_endpoint(ec);
    if (ec) return;
    const Service addr = Service::FromEndpoint(remote);
    const uint32_t permissions = spec.permissions | WhitelistPermissions(addr.addr);
    if (!m_network_active) {
        LogDebug(LogCategory::NET, "connection from {} dropped: not accepting new connections", addr.ToString());
        return;
    }
    if (!HasPermission(permissions, PF_NOBAN)) {
        if (m_banman->IsBanned(addr.addr)) {
            LogDebug(LogCategory::NET, "connection from {} dropped (banned)", addr.ToString());
            return;
        }
        if (m_banman->IsDiscouraged(addr.addr)) {
            LogDebug(LogCategory::NET, "connection from {} dropped (discouraged)", addr.ToString());
            return;
        }
    }
    if (static_cast<int>(CountInbound()) >= m_max_inbound) {
        if (m_max_inbound == 0 || !AttemptToEvictConnection()) {
            LogDebug(LogCategory::NET, "connection from {} dropped: inbound slots full and no peer to evict",
                     addr.ToString());
            return;
        }
    }
    AddConnection(std::move(socket), ConnectionType::INBOUND, addr.ToString(), permissions);
}

bool ConnectionManager::AttemptToEvictConnection()
{
    std::vector<EvictionCandidate> candidates;
    std::map<NodeId, std::shared_ptr<Connection>> by_id;
    {
        LockGuard lock{m_nodes_mutex};
        for (const auto& [id, conn] : m_nodes) {
            if (!conn->IsInbound() || conn->IsDisconnecting() || conn->HasPermission(PF_NOBAN)) continue;
            EvictionCandidate c;
            c.id = id;
            c.connected_us = conn->Info().connected_us;
            c.min_ping_us = conn->min_ping_us.load();
            c.last_block_time = conn->last_block_time.load();
            c.last_tx_time = conn->last_tx_time.load();
            c.relay_txs = conn->relay_txs.load();
            c.keyed_net_group = conn->Info().keyed_net_group;
            candidates.push_back(c);
            by_id[id] = conn;
        }
    }
    const auto victim = SelectNodeToEvict(std::move(candidates));
    if (!victim) return false;
    LogDebug(LogCategory::NET, "selected peer={} for eviction", *victim);
    by_id.at(*victim)->Disconnect("evicted to make room for a new inbound peer");
    return true;
}

std::shared_ptr<Connection> ConnectionManager::AddConnection(ip::tcp::socket socket, ConnectionType type,
                                                             const std::string& name, uint32_t permissions)
{
    boost::system::error_code ec;
    socket.set_option(ip::tcp::no_delay(true), ec);
    ConnectionInfo info;
    info.type = type;
    info.addr = Service::FromEndpoint(socket.remote_endpoint(ec));
    if (ec) return nullptr;
    info.addr_bind = Service::FromEndpoint(socket.local_endpoint(ec));
    info.addr_name = name;
    info.permissions = permissions;
    info.keyed_net_group = KeyedNetGroup(info.addr.addr);
    info.connected_time = m_clock.Now();
    info.connected_us = SteadyMicros();
    {
        LockGuard lock{m_nodes_mutex};
        info.id = m_next_id++;
    }
    auto conn = std::make_shared<Connection>(
        std::move(socket), std::move(info), m_options.magic, m_clock, m_totals,
        [this](Connection& c, const std::string& reason) { Misbehaving(c, reason); },
        [this] { WakeMessageHandler(); });
    LogDebug(LogCategory::NET, "{} connection peer={} {} ({})", ConnectionTypeName(type), conn->Id(),
             conn->Addr().ToString(), name);
    m_events->InitializeNode(conn);
    {
        LockGuard lock{m_nodes_mutex};
        m_nodes.emplace(conn->Id(), conn);
    }
    conn->Start();
    WakeMessageHandler();
    return conn;
}

void ConnectionManager::Misbehaving(Connection& conn, const std::string& reason)
{
    conn.Disconnect(reason);
    if (conn.HasPermission(PF_NOBAN)) {
        LogInfo("Disconnecting peer={} {} (noban, not discouraged): {}", conn.Id(), conn.Addr().ToString(), reason);
        return;
    }
    LogInfo("Disconnecting and discouraging peer={} {}: {}", conn.Id(), conn.Addr().ToString(), reason);
    m_banman->Discourage(conn.Addr().addr);
}

void ConnectionManager::ConnectTo(const Service& target, ConnectionType type, const std::string& name)
{
    if (m_interrupt || !m_network_active) return;
    {
        LockGuard lock{m_nodes_mutex};
        if (m_pending.contains(target)) return;
        m_pending.emplace(target, type);
    }
    auto pending = std::make_shared<PendingConnect>(m_ioc, target, type, name);
    {
        LockGuard lock{m_nodes_mutex};
        m_pending_connects[target] = pending;
    }
    LogDebug(LogCategory::NET, "trying {} connection to {}", ConnectionTypeName(type), target.ToString());
    boost::asio::post(pending->strand, [this, pending] {
        pending->timer.expires_after(m_options.connect_timeout);
        pending->timer.async_wait([pending](const boost::system::error_code& ec) {
            if (ec) return;
            pending->timed_out = true;
            boost::system::error_code close_ec;
            pending->socket.close(close_ec);
        });
        pending->socket.async_connect(pending->target.ToEndpoint(),
                                      [this, pending](const boost::system::error_code& ec) {
                                          pending->timer.cancel();
                                          if (ec || m_interrupt) {
                                              {
                                                  LockGuard lock{m_nodes_mutex};
                                                  m_pending.erase(pending->target);
                                                  m_pending_connects.erase(pending->target);
                                              }
                                              LogDebug(LogCategory::NET, "connection to {} failed: {}",
                                                       pending->target.ToString(),
                                                       pending->timed_out ? "timeout" : ec.message());
                                              return;
                                          }
                                          OnConnected(pending);
                                      });
    });
}

void ConnectionManager::OnConnected(const std::shared_ptr<PendingConnect>& pending)
{
    {
        LockGuard lock{m_nodes_mutex};
        m_pending.erase(pending->target);
        m_pending_connects.erase(pending->target);
    }
    if (!m_network_active || m_interrupt) return;
    AddConnection(std::move(pending->socket), pending->type, pending->name, PF_NONE);
}

void ConnectionManager::ScheduleTick(std::chrono::milliseconds delay)
{
    m_tick_timer->expires_after(delay);
    m_tick_timer->async_wait([this](const boost::system::error_code& ec) {
        if (ec || m_interrupt) return;
        try {
            Tick();
        } catch (const std::exception& e) {
            LogInfo("network maintenance: unexpected error: {}", e.what());
        }
        ScheduleTick(TICK_INTERVAL);
    });
}

void ConnectionManager::Tick()
{
    CheckInactivity();
    if (m_network_active) {
        OpenManualConnections();
        for (const auto& seed : m_seeds_todo) {
            if (auto service = ParseService(seed, m_options.default_port)) {
                ConnectTo(*service, ConnectionType::ADDR_FETCH, seed);
            } else {
                LogInfo("Ignoring -seednode={}: {}", seed, service.error_message());
            }
        }
        m_seeds_todo.clear();
        OpenAutomaticConnection();
    }
    if (m_clock.Now() - m_last_dump >= DUMP_PEERS_INTERVAL) DumpPeers();
}

void ConnectionManager::CheckInactivity()
{
    const int64_t now = m_clock.Now();
    ForEachNode([&](const std::shared_ptr<Connection>& conn) {
        const int64_t connected = conn->Info().connected_time;
        if (now - connected < m_options.peer_connect_timeout) return;
        if (conn->IsSendPaused() &&
            now - std::max(conn->LastSend(), connected) > m_options.peer_connect_timeout) {
            LogInfo("peer={} {}: send queue above {} bytes and nothing taken for {} seconds: the peer is not "
                    "reading; disconnecting",
                    conn->Id(), conn->Addr().ToString(), SEND_BUFFER_SOFT_LIMIT, m_options.peer_connect_timeout);
            conn->Disconnect("send queue stalled");
            return;
        }
        if (!conn->successfully_connected) {
            conn->Disconnect("version handshake timeout");
        } else if (now - conn->LastRecv() > INACTIVITY_TIMEOUT) {
            conn->Disconnect("receive timeout");
        } else if (now - conn->LastSend() > INACTIVITY_TIMEOUT) {
            conn->Disconnect("send timeout");
        }
    });
}

bool ConnectionManager::IsConnectedOrPending(const Service& service) const
{
    LockGuard lock{m_nodes_mutex};
    if (m_pending.contains(service)) return true;
    return std::any_of(m_nodes.begin(), m_nodes.end(), [&](const auto& entry) {
        return !entry.second->IsDisconnecting() && entry.second->Addr() == service;
    });
}

void ConnectionManager::OpenManualConnections()
{
    std::vector<std::pair<std::string, bool>> targets;  // (text, from -connect)
    for (const auto& text : m_options.connect) targets.emplace_back(text, true);
    {
        LockGuard lock{m_added_mutex};
        for (const auto& text : m_added_nodes) targets.emplace_back(text, false);
    }
    const int64_t now = m_clock.Now();
    for (const auto& [text, from_connect] : targets) {
        auto service = ParseService(text, m_options.default_port);
        if (!service) continue;
        if (IsConnectedOrPending(*service)) continue;
        {
            LockGuard lock{m_added_mutex};
            auto& last = m_last_manual_attempt[text];
            if (last != 0 && now - last < MANUAL_RETRY_INTERVAL && now >= last) continue;
            last = now;
        }
        if (!from_connect) {
            size_t manual{0};
            {
                LockGuard lock{m_nodes_mutex};
                for (const auto& [id, conn] : m_nodes) {
                    if (!conn->IsDisconnecting() && conn->Type() == ConnectionType::MANUAL) ++manual;
                }
                for (const auto& [target, type] : m_pending) {
                    if (type == ConnectionType::MANUAL) ++manual;
                }
            }
            if (manual >= static_cast<size_t>(MAX_ADDNODE_CONNECTIONS)) return;
        }
        ConnectTo(*service, ConnectionType::MANUAL, text);
    }
}

void ConnectionManager::OpenAutomaticConnection()
{
    if (!m_options.use_addrman_outgoing) return;
    int full{0};
    int block{0};
    std::set<uint64_t> groups;
    {
        LockGuard lock{m_nodes_mutex};
        for (const auto& [id, conn] : m_nodes) {
            if (conn->IsDisconnecting() || !IsAutomaticOutbound(conn->Type())) continue;
            (conn->Type() == ConnectionType::OUTBOUND_FULL_RELAY ? full : block)++;
            groups.insert(conn->Info().keyed_net_group);
        }
        for (const auto& [target, type] : m_pending) {
            if (!IsAutomaticOutbound(type)) continue;
            (type == ConnectionType::OUTBOUND_FULL_RELAY ? full : block)++;
            groups.insert(KeyedNetGroup(target.addr));
        }
    }
    ConnectionType type;
    if (full < m_max_outbound_full_relay) {
        type = ConnectionType::OUTBOUND_FULL_RELAY;
    } else if (block < m_max_outbound_block_relay) {
        type = ConnectionType::BLOCK_RELAY;
    } else {
        return;
    }
    std::optional<NetType> network;
    if (m_options.only_networks.size() == 1) network = *m_options.only_networks.begin();
    const int64_t now = m_clock.Now();
    for (int tries{0}; tries < MAX_SELECT_TRIES; ++tries) {
        const auto info = m_addrman->Select(false, network);
        if (!info) return;
        const Service& target = info->entry.service;
        if (!IsReachable(target.addr.Type())) continue;
        if (groups.contains(KeyedNetGroup(target.addr))) continue;
        if (IsConnectedOrPending(target)) continue;
        if (m_banman->IsBanned(target.addr) || m_banman->IsDiscouraged(target.addr)) continue;
        if (now - info->last_try < RECENT_ATTEMPT && tries < 30) continue;
        m_addrman->Attempt(target, true);
        ConnectTo(target, type, target.ToString());
        return;
    }
}

void ConnectionManager::ThreadMessageHandler()
{
    while (!m_interrupt) {
        RemoveClosedNodes();
        std::vector<std::shared_ptr<Connection>> nodes;
        {
            LockGuard lock{m_nodes_mutex};
            nodes.reserve(m_nodes.size());
            for (const auto& [id, conn] : m_nodes) nodes.push_back(conn);
        }
        bool more_work{false};
        for (const auto& conn : nodes) {
            if (m_interrupt) break;
            if (conn->IsDisconnecting()) continue;
            try {
                // A peer that does not take our answers gets no more of them
                // (its messages wait; once they fill its queue it is not read).
                if (!conn->IsSendPaused()) more_work |= m_events->ProcessMessages(conn);
                if (!conn->IsDisconnecting()) m_events->SendMessages(conn);
            } catch (const std::exception& e) {
                // Protocol logic must not throw; if it does, the peer that
                // caused it goes, the node stays.
                LogInfo("message handler: unexpected error with peer={}: {}", conn->Id(), e.what());
                conn->Disconnect(std::string{"internal error: "} + e.what());
            }
        }
        UniqueLock lock{m_wake_mutex};
        if (!more_work) {
            m_wake_cv.wait_for(lock.native(), MSGHAND_IDLE_WAIT,
                               [this]() EXCLUSIVE_LOCKS_REQUIRED(m_wake_mutex) { return m_wake || m_interrupt.load(); });
        }
        m_wake = false;
    }
}

void ConnectionManager::RemoveClosedNodes()
{
    std::vector<std::shared_ptr<Connection>> closed;
    {
        LockGuard lock{m_nodes_mutex};
        for (auto it = m_nodes.begin(); it != m_nodes.end();) {
            if (it->second->IsDisconnecting()) {
                closed.push_back(it->second);
                it = m_nodes.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const auto& conn : closed) {
        LogDebug(LogCategory::NET, "removed peer={} {}: {}", conn->Id(), conn->Addr().ToString(),
                 conn->DisconnectReason());
        if (IsAutomaticOutbound(conn->Type()) && conn->successfully_connected) m_addrman->Connected(conn->Addr());
        m_events->FinalizeNode(*conn);
    }
}

void ConnectionManager::ForEachNode(const std::function<void(const std::shared_ptr<Connection>&)>& fn) const
{
    std::vector<std::shared_ptr<Connection>> nodes;
    {
        LockGuard lock{m_nodes_mutex};
        for (const auto& [id, conn] : m_nodes) {
            if (!conn->IsDisconnecting()) nodes.push_back(conn);
        }
    }
    for (const auto& conn : nodes) fn(conn);
}

std::shared_ptr<Connection> ConnectionManager::FindNode(NodeId id) const
{
    LockGuard lock{m_nodes_mutex};
    const auto it = m_nodes.find(id);
    return it == m_nodes.end() ? nullptr : it->second;
}

std::vector<NodeStats> ConnectionManager::GetNodeStats() const
{
    std::vector<NodeStats> out;
    ForEachNode([&](const std::shared_ptr<Connection>& conn) {
        NodeStats stats;
        stats.conn = conn->Stats();
        stats.successfully_connected = conn->successfully_connected.load();
        stats.min_ping_us = conn->min_ping_us.load();
        out.push_back(std::move(stats));
    });
    std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.conn.info.id < b.conn.info.id; });
    return out;
}

size_t ConnectionManager::CountInbound() const
{
    size_t count{0};
    ForEachNode([&](const std::shared_ptr<Connection>& conn) { count += conn->IsInbound() ? 1 : 0; });
    return count;
}

size_t ConnectionManager::CountOutbound() const
{
    size_t count{0};
    ForEachNode([&](const std::shared_ptr<Connection>& conn) { count += conn->IsInbound() ? 0 : 1; });
    return count;
}

bool ConnectionManager::DisconnectNode(const std::string& address)
{
    const auto service = ParseService(address, m_options.default_port);
    bool found{false};
    ForEachNode([&](const std::shared_ptr<Connection>& conn) {
        if (conn->Info().addr_name == address || (service && conn->Addr() == *service)) {
            conn->Disconnect("disconnectnode");
            found = true;
        }
    });
    return found;
}

bool ConnectionManager::DisconnectNode(const SubNet& subnet)
{
    bool found{false};
    ForEachNode([&](const std::shared_ptr<Connection>& conn) {
        if (subnet.Match(conn->Addr().addr)) {
            conn->Disconnect("banned");
            found = true;
        }
    });
    return found;
}

bool ConnectionManager::DisconnectNode(NodeId id)
{
    const auto conn = FindNode(id);
    if (conn == nullptr || conn->IsDisconnecting()) return false;
    conn->Disconnect("disconnectnode");
    return true;
}

bool ConnectionManager::AddNode(const std::string& node)
{
    LockGuard lock{m_added_mutex};
    if (std::find(m_added_nodes.begin(), m_added_nodes.end(), node) != m_added_nodes.end()) return false;
    if (m_added_nodes.size() >= MAX_ADDED_NODES) return false;
    m_added_nodes.push_back(node);
    return true;
}

bool ConnectionManager::RemoveAddedNode(const std::string& node)
{
    LockGuard lock{m_added_mutex};
    const auto it = std::find(m_added_nodes.begin(), m_added_nodes.end(), node);
    if (it == m_added_nodes.end()) return false;
    m_added_nodes.erase(it);
    m_last_manual_attempt.erase(node);
    return true;
}

std::vector<AddedNodeInfo> ConnectionManager::GetAddedNodeInfo() const
{
    std::vector<std::string> added;
    {
        LockGuard lock{m_added_mutex};
        added = m_added_nodes;
    }
    std::vector<AddedNodeInfo> out;
    for (const auto& text : added) {
        AddedNodeInfo info;
        info.added_node = text;
        if (auto service = ParseService(text, m_options.default_port)) info.resolved = *service;
        ForEachNode([&](const std::shared_ptr<Connection>& conn) {
            if (conn->IsInbound()) return;
            if (conn->Info().addr_name == text || (info.resolved && conn->Addr() == *info.resolved)) {
                info.connected = true;
            }
        });
        out.push_back(std::move(info));
    }
    return out;
}

Result<void> ConnectionManager::OpenManualConnection(const std::string& node)
{
    auto service = ParseService(node, m_options.default_port);
    if (!service) return service.error();
    ConnectTo(*service, ConnectionType::MANUAL, node);
    return {};
}

void ConnectionManager::SetNetworkActive(bool active)
{
    LogInfo("SetNetworkActive: {}", active);
    if (m_network_active.exchange(active) == active) return;
    if (!active) {
        ForEachNode([](const std::shared_ptr<Connection>& conn) { conn->Disconnect("network disabled"); });
    }
}

std::vector<Service> ConnectionManager::ListeningOn() const { return m_bound; }

}  // namespace hpips::net
