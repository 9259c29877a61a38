// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_CONNECTION_H
#define HPIPS_NET_CONNECTION_H

#include <net/framing.h>
#include <net/netaddress.h>
#include <util/clock.h>
#include <util/threadsafety.h>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

/**
 * One peer's TCP connection: the transport half of a peer (Core's CNode
 * without the protocol state, which lives in net_processing's Peer).
 *
 * Reading: bytes go through a FrameParser into a queue of complete
 * messages that the message-handler thread pops. When the queued messages
 * hold MAX_RECEIVE_QUEUE_BYTES or more, parsing and reading pause until
 * the handler drains the queue: a fast sender is slowed by TCP, never
 * buffered without limit. The queue never holds more than
 * MAX_RECEIVE_QUEUE_BYTES plus one message (bytes already read wait in the
 * read buffer, unparsed). A framing error (bad magic, bad command, oversized, bad checksum)
 * is a protocol violation: the connection reports it through
 * on_violation and closes.
 *
 * Writing: PushMessage frames a message and queues it; the queue is written
 * in order. While the queue holds more than SEND_BUFFER_SOFT_LIMIT (Core's
 * -maxsendbuffer) the message handler processes nothing more from the peer
 * (IsSendPaused), so answers stop piling up and, once its receive queue is
 * full, the peer is not read either: a slow honest peer is simply served
 * at its pace. A peer that stays above the soft limit without taking a byte
 * for -peertimeout seconds is disconnected (connman.h), and a queue that
 * would exceed MAX_SEND_QUEUE_BYTES (protocol logic pushing more than two
 * of the largest messages at once) closes the connection at once.
 *
 * Thread safety: PushMessage, Disconnect, PopMessage and every getter may
 * be called from any thread; socket work runs on the connection's strand
 * of the network io_context.
 */
namespace hpips::net {

/** Connection id, unique for the life of the process. */
using NodeId = int64_t;

/** Why a connection exists (Core's names in getpeerinfo connection_type). */
enum class ConnectionType : uint8_t {
    /** The peer connected to us. */
    INBOUND,
    /** Chosen automatically from the address manager; relays everything. */
    OUTBOUND_FULL_RELAY,
    /** -addnode, -connect, or addnode RPC. */
    MANUAL,
    /** Chosen automatically; relays blocks only (no transactions, no addr). */
    BLOCK_RELAY,
    /** -seednode: ask for addresses, then disconnect. */
    ADDR_FETCH,
};

/** "inbound", "outbound-full-relay", "manual", "block-relay-only", "addr-fetch". */
std::string_view ConnectionTypeName(ConnectionType type);

/** Queued received messages at which reading pauses (Core's
 *  -maxreceivebuffer default). The queue can exceed it by one message. */
constexpr size_t MAX_RECEIVE_QUEUE_BYTES = 5'000'000;
/** Send queue above which the peer's messages are not processed (Core's
 *  -maxsendbuffer default). */
constexpr size_t SEND_BUFFER_SOFT_LIMIT = 1'000'000;
/** Send queue beyond which the peer is disconnected: room for the soft
 *  limit plus the two largest messages, so a peer that reads is never cut
 *  off by answering one request. */
constexpr size_t MAX_SEND_QUEUE_BYTES = SEND_BUFFER_SOFT_LIMIT + 2 * (MESSAGE_HEADER_SIZE + MAX_PAYLOAD_ANY);
/** Memory a queued message costs beyond its bytes (the queue entry, the
 *  buffer's allocation): counted toward both queue limits so that a flood
 *  of tiny messages is bounded by the memory it really takes. */
constexpr size_t QUEUED_MESSAGE_OVERHEAD = 96;
/** Bytes of queued frames gathered into one write at most (a single larger
 *  frame is written alone). */
constexpr size_t WRITE_BATCH_BYTES = 1024 * 1024;
/** Bytes read from the socket at once. */
constexpr size_t READ_CHUNK_SIZE = 64 * 1024;

/** Byte counters shared by every connection (getnettotals). */
struct NetTotals {
    std::atomic<uint64_t> bytes_sent{0};
    std::atomic<uint64_t> bytes_recv{0};
};

/** Fixed facts about a connection. */
struct ConnectionInfo {
    NodeId id{0};
    ConnectionType type{ConnectionType::INBOUND};
    /** The peer's address. */
    Service addr;
    /** Our end of the connection. */
    Service addr_bind;
    /** The name the connection was asked for (-addnode text), or addr's text. */
    std::string addr_name;
    /** -whitelist / -whitebind permissions (net_permissions.h). */
    uint32_t permissions{0};
    /** Keyed hash of the peer's network group (eviction, outbound diversity). */
    uint64_t keyed_net_group{0};
    /** Node clock (seconds) when connected. */
    int64_t connected_time{0};
    /** Monotonic clock when connected, microseconds (eviction order). */
    int64_t connected_us{0};
};

/** Per-connection statistics for getpeerinfo. */
struct ConnectionStats {
    ConnectionInfo info;
    uint64_t bytes_sent{0};
    uint64_t bytes_recv{0};
    int64_t last_send{0};
    int64_t last_recv{0};
    int64_t last_block_time{0};
    int64_t last_tx_time{0};
    size_t send_queue_bytes{0};
    size_t recv_queue_bytes{0};
    std::map<std::string, uint64_t> bytes_sent_per_msg;
    std::map<std::string, uint64_t> bytes_recv_per_msg;
};

/** One peer's connection (see the file comment). */
class Connection : public std::enable_shared_from_this<Connection> {
public:
    /** Called (on a network thread) for a framing violation; the connection
     *  is already closing. */
    using ViolationCallback = std::function<void(Connection&, const std::string& reason)>;
    /** Called (on a network thread) when a message was queued. */
    using WakeCallback = std::function<void()>;

    Connection(boost::asio::ip::tcp::socket socket, ConnectionInfo info, const std::array<uint8_t, 4>& magic,
               const NodeClock& clock, NetTotals& totals, ViolationCallback on_violation, WakeCallback on_message);
    ~Connection();
    Connection(const Connection&) = delete;
    Connection& operator=(const Connection&) = delete;

    /** Starts reading. Call once, after the protocol logic knows the peer. */
    void Start();

    /** Frames and queues a message; closes the connection instead if the
     *  send queue would exceed MAX_SEND_QUEUE_BYTES. No-op once closing. */
    void PushMessage(std::string_view command, std::span<const uint8_t> payload);

    /** Closes the connection (idempotent); the first reason is kept. */
    void Disconnect(std::string_view reason);
    /** True once Disconnect was called or the socket failed. */
    bool IsDisconnecting() const { return m_disconnecting.load(); }
    /** Why it is closing ("" while open). */
    std::string DisconnectReason() const;

    /** The next received message, if any; `more` says whether others wait.
     *  Resumes reading when the queue falls below its limit. */
    std::optional<NetMessage> PopMessage(bool& more);
    /** True if a received message waits. */
    bool HasMessage() const;

    /** Fixed facts. */
    const ConnectionInfo& Info() const { return m_info; }
    NodeId Id() const { return m_info.id; }
    ConnectionType Type() const { return m_info.type; }
    bool IsInbound() const { return m_info.type == ConnectionType::INBOUND; }
    const Service& Addr() const { return m_info.addr; }
    bool HasPermission(uint32_t flag) const { return (m_info.permissions & flag) == flag; }

    /** Bytes waiting to be written (with QUEUED_MESSAGE_OVERHEAD per message). */
    size_t SendQueueBytes() const;
    /** True while the send queue is above SEND_BUFFER_SOFT_LIMIT: the
     *  message handler leaves the peer's messages queued. */
    bool IsSendPaused() const { return SendQueueBytes() > SEND_BUFFER_SOFT_LIMIT; }
    /** Node-clock seconds of the last byte sent / received (0: none yet). */
    int64_t LastSend() const { return m_last_send.load(); }
    int64_t LastRecv() const { return m_last_recv.load(); }

    /** Set by the protocol logic when the version handshake completed. */
    std::atomic<bool> successfully_connected{false};
    /** Updated by the protocol logic; read by eviction (see eviction.h). */
    std::atomic<int64_t> last_block_time{0};
    std::atomic<int64_t> last_tx_time{0};
    std::atomic<int64_t> min_ping_us{INT64_MAX};
    std::atomic<bool> relay_txs{true};

    /** A snapshot for getpeerinfo. */
    ConnectionStats Stats() const;

private:
    void DoRead();
    void OnRead(const boost::system::error_code& ec, size_t n);
    /** Parses the read buffer's unparsed bytes into queued messages until
     *  they run out (then reads on) or the queue is full (then pauses with
     *  the rest kept for ResumeRead). */
    void ParseReceived();
    void ResumeRead();
    void DoWrite();
    void OnWrite(const boost::system::error_code& ec, size_t n);
    void CloseSocket();

    boost::asio::ip::tcp::socket m_socket;
    boost::asio::strand<boost::asio::any_io_executor> m_strand;
    const ConnectionInfo m_info;
    const std::array<uint8_t, 4> m_magic;
    const NodeClock& m_clock;
    NetTotals& m_totals;
    const ViolationCallback m_on_violation;
    const WakeCallback m_on_message;

    // Read path: only on the strand.
    FrameParser m_parser;
    std::array<uint8_t, READ_CHUNK_SIZE> m_read_buffer{};
    /** m_read_buffer[m_unparsed_begin, m_unparsed_end): bytes read but not
     *  yet fed to the parser because the receive queue filled up. */
    size_t m_unparsed_begin{0};
    size_t m_unparsed_end{0};

    std::atomic<bool> m_disconnecting{false};
    std::atomic<uint64_t> m_bytes_sent{0};
    std::atomic<uint64_t> m_bytes_recv{0};
    std::atomic<int64_t> m_last_send{0};
    std::atomic<int64_t> m_last_recv{0};

    mutable Mutex m_mutex;
    std::string m_disconnect_reason GUARDED_BY(m_mutex);
    std::deque<NetMessage> m_recv_queue GUARDED_BY(m_mutex);
    size_t m_recv_queue_bytes GUARDED_BY(m_mutex){0};
    bool m_read_paused GUARDED_BY(m_mutex){false};
    std::deque<std::vector<uint8_t>> m_send_queue GUARDED_BY(m_mutex);
    size_t m_send_queue_bytes GUARDED_BY(m_mutex){0};
    /** A write is posted or in progress (DoWrite runs until the queue is empty). */
    bool m_writing GUARDED_BY(m_mutex){false};
    /** Frames at the front of the send queue that the write in progress
     *  names (0 when none). */
    size_t m_write_batch GUARDED_BY(m_mutex){0};
    /** The buffers of the write in progress (only on the strand). */
    std::vector<boost::asio::const_buffer> m_write_buffers;
    std::map<std::string, uint64_t> m_sent_per_msg GUARDED_BY(m_mutex);
    std::map<std::string, uint64_t> m_recv_per_msg GUARDED_BY(m_mutex);
};

}  // namespace hpips::net

#endif  // HPIPS_NET_CONNECTION_H
