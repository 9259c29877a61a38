// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/connection.h>

#include <util/logging.h>

#include <boost/asio/bind_executor.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>

namespace hpips::net {
namespace {

/** Received commands this node does not know are counted under one key, so
 *  a peer cannot grow the statistics map with made-up names. */
constexpr std::string_view OTHER_COMMAND{"*other*"};

std::string StatsKey(std::string_view command)
{
    return FindCommand(command) != nullptr ? std::string{command} : std::string{OTHER_COMMAND};
}

}  // namespace

std::string_view ConnectionTypeName(ConnectionType type)
{
    switch (type) {
    case ConnectionType::INBOUND: return "inbound";
    case ConnectionType::OUTBOUND_FULL_RELAY: return "outbound-full-relay";
    case ConnectionType::MANUAL: return "manual";
    case ConnectionType::BLOCK_RELAY: return "block-relay-only";
    case ConnectionType::ADDR_FETCH: return "addr-fetch";
    }
    return "";
}

Connection::Connection(boost::asio::ip::tcp::socket socket, ConnectionInfo info, const std::array<uint8_t, 4>& magic,
                       const NodeClock& clock, NetTotals& totals, ViolationCallback on_violation,
                       WakeCallback on_message)
    : m_socket{std::move(socket)},
      m_strand{boost::asio::make_strand(m_socket.get_executor())},
      m_info{std::move(info)},
      m_magic{magic},
      m_clock{clock},
      m_totals{totals},
      m_on_violation{std::move(on_violation)},
      m_on_message{std::move(on_message)},
      m_parser{magic}
{
}

Connection::~Connection()
{
    boost::system::error_code ec;
    m_socket.close(ec);
}

void Connection::Start()
{
    boost::asio::post(m_strand, [self = shared_from_this()] { self->DoRead(); });
}

void Connection::DoRead()
{
    if (IsDisconnecting()) return;
    m_socket.async_read_some(boost::asio::buffer(m_read_buffer),
                             boost::asio::bind_executor(m_strand, [self = shared_from_this()](
                                                                      const boost::system::error_code& ec, size_t n) {
                                 self->OnRead(ec, n);
                             }));
}

void Connection::OnRead(const boost::system::error_code& ec, size_t n)
{
    if (IsDisconnecting()) return;
    if (ec) {
        Disconnect(ec == boost::asio::error::eof ? "peer closed the connection" : "read error: " + ec.message());
        return;
    }
    m_bytes_recv += n;
    m_totals.bytes_recv += n;
    m_last_recv = m_clock.Now();
    m_unparsed_begin = 0;
    m_unparsed_end = n;
    ParseReceived();
}

void Connection::ParseReceived()
{
    bool queued{false};
    bool pause{false};
    while (m_unparsed_begin < m_unparsed_end) {
        {
            // Checked before each message, not once per read: one read can
            // hold thousands of small messages, and each costs its
            // QUEUED_MESSAGE_OVERHEAD too.
            LockGuard lock{m_mutex};
            if (m_recv_queue_bytes >= MAX_RECEIVE_QUEUE_BYTES) {
                m_read_paused = true;
                pause = true;
                break;
            }
        }
        const std::span<const uint8_t> data{m_read_buffer.data() + m_unparsed_begin,
                                            m_unparsed_end - m_unparsed_begin};
        m_unparsed_begin += m_parser.Feed(data);
        if (const auto error = m_parser.Error()) {
            const std::string reason =
                std::string{FrameErrorName(*error)} + ": " + m_parser.ErrorDetail();
            Disconnect(reason);
            if (m_on_violation) m_on_violation(*this, reason);
            return;
        }
        if (m_parser.MessageReady()) {
            NetMessage message = m_parser.TakeMessage();
            LockGuard lock{m_mutex};
            m_recv_per_msg[StatsKey(message.command)] += message.wire_size;
            m_recv_queue_bytes += message.wire_size + QUEUED_MESSAGE_OVERHEAD;
            m_recv_queue.push_back(std::move(message));
            queued = true;
        }
    }
    if (!pause) {
        LockGuard lock{m_mutex};
        // The bytes are all parsed; a full queue still waits before the
        // next read.
        if (m_recv_queue_bytes >= MAX_RECEIVE_QUEUE_BYTES) {
            m_read_paused = true;
            pause = true;
        }
    }
    if (queued && m_on_message) m_on_message();
    if (!pause) DoRead();
}

void Connection::ResumeRead()
{
    if (IsDisconnecting()) return;
    ParseReceived();
}

std::optional<NetMessage> Connection::PopMessage(bool& more)
{
    bool resume{false};
    std::optional<NetMessage> message;
    {
        LockGuard lock{m_mutex};
        if (!m_recv_queue.empty()) {
            message = std::move(m_recv_queue.front());
            m_recv_queue.pop_front();
            m_recv_queue_bytes -= message->wire_size + QUEUED_MESSAGE_OVERHEAD;
        }
        more = !m_recv_queue.empty();
        if (m_read_paused && m_recv_queue_bytes < MAX_RECEIVE_QUEUE_BYTES) {
            m_read_paused = false;
            resume = true;
        }
    }
    if (resume) boost::asio::post(m_strand, [self = shared_from_this()] { self->ResumeRead(); });
    return message;
}

bool Connection::HasMessage() const
{
    LockGuard lock{m_mutex};
    return !m_recv_queue.empty();
}

void Connection::PushMessage(std::string_view command, std::span<const uint8_t> payload)
{
    if (IsDisconnecting()) return;
    std::vector<uint8_t> frame = BuildFrame(m_magic, command, payload);
    bool start_write{false};
    {
        LockGuard lock{m_mutex};
        if (m_send_queue_bytes + frame.size() + QUEUED_MESSAGE_OVERHEAD > MAX_SEND_QUEUE_BYTES) {
            // Unlock before Disconnect takes the lock again.
        } else {
            m_sent_per_msg[std::string{command}] += frame.size();
            m_send_queue_bytes += frame.size() + QUEUED_MESSAGE_OVERHEAD;
            m_send_queue.push_back(std::move(frame));
            if (!m_writing) {
                m_writing = true;
                start_write = true;
            }
            frame.clear();
        }
    }
    if (!frame.empty()) {
        LogInfo("peer={} {}: send queue limit exceeded ({} bytes): the peer is not reading; disconnecting", m_info.id,
                m_info.addr.ToString(), MAX_SEND_QUEUE_BYTES);
        Disconnect("send queue limit exceeded");
        return;
    }
    if (start_write) boost::asio::post(m_strand, [self = shared_from_this()] { self->DoWrite(); });
}

void Connection::DoWrite()
{
    if (IsDisconnecting()) return;
    {
        LockGuard lock{m_mutex};
        if (m_send_queue.empty()) {
            m_writing = false;
            return;
        }
        // Every queued frame up to WRITE_BATCH_BYTES goes in one gathered
        // write: a burst of blocks or small answers costs one system call,
        // not one each. Only this strand pops the queue, and a deque keeps
        // references to its elements across push_back, so they stay put.
        m_write_buffers.clear();
        size_t bytes{0};
        for (const std::vector<uint8_t>& frame : m_send_queue) {
            if (!m_write_buffers.empty() && bytes + frame.size() > WRITE_BATCH_BYTES) break;
            m_write_buffers.emplace_back(frame.data(), frame.size());
            bytes += frame.size();
        }
        m_write_batch = m_write_buffers.size();
    }
    boost::asio::async_write(m_socket, m_write_buffers,
                             boost::asio::bind_executor(m_strand, [self = shared_from_this()](
                                                                      const boost::system::error_code& ec, size_t n) {
                                 self->OnWrite(ec, n);
                             }));
}

void Connection::OnWrite(const boost::system::error_code& ec, size_t n)
{
    if (IsDisconnecting()) return;
    if (ec) {
        Disconnect("write error: " + ec.message());
        return;
    }
    m_bytes_sent += n;
    m_totals.bytes_sent += n;
    m_last_send = m_clock.Now();
    bool resumed{false};
    {
        LockGuard lock{m_mutex};
        const bool was_paused = m_send_queue_bytes > SEND_BUFFER_SOFT_LIMIT;
        for (; m_write_batch > 0; --m_write_batch) {
            m_send_queue_bytes -= m_send_queue.front().size() + QUEUED_MESSAGE_OVERHEAD;
            m_send_queue.pop_front();
        }
        resumed = was_paused && m_send_queue_bytes <= SEND_BUFFER_SOFT_LIMIT;
    }
    // The message handler may go on with this peer's messages.
    if (resumed && m_on_message) m_on_message();
    DoWrite();
}

void Connection::Disconnect(std::string_view reason)
{
    {
        LockGuard lock{m_mutex};
        if (m_disconnect_reason.empty()) m_disconnect_reason = reason;
    }
    if (m_disconnecting.exchange(true)) return;
    LogDebug(LogCategory::NET, "disconnecting peer={} {}: {}", m_info.id, m_info.addr.ToString(), reason);
    boost::asio::post(m_strand, [self = shared_from_this()] { self->CloseSocket(); });
}

void Connection::CloseSocket()
{
    boost::system::error_code ec;
    m_socket.shutdown(boost::asio::ip::tcp::socket::shutdown_both, ec);
    m_socket.close(ec);
    LockGuard lock{m_mutex};
    // Nothing will be written or read any more: release the buffers now,
    // except the frames an aborted write may still name (freed with the object).
    while (m_send_queue.size() > m_write_batch) {
        m_send_queue_bytes -= m_send_queue.back().size() + QUEUED_MESSAGE_OVERHEAD;
        m_send_queue.pop_back();
    }
    m_recv_queue.clear();
    m_recv_queue_bytes = 0;
}

std::string Connection::DisconnectReason() const
{
    LockGuard lock{m_mutex};
    return m_disconnect_reason;
}

size_t Connection::SendQueueBytes() const
{
    LockGuard lock{m_mutex};
    return m_send_queue_bytes;
}

ConnectionStats Connection::Stats() const
{
    ConnectionStats stats;
    stats.info = m_info;
    stats.bytes_sent = m_bytes_sent.load();
    stats.bytes_recv = m_bytes_recv.load();
    stats.last_send = m_last_send.load();
    stats.last_recv = m_last_recv.load();
    stats.last_block_time = last_block_time.load();
    stats.last_tx_time = last_tx_time.load();
    LockGuard lock{m_mutex};
    stats.send_queue_bytes = m_send_queue_bytes;
    stats.recv_queue_bytes = m_recv_queue_bytes;
    stats.bytes_sent_per_msg = m_sent_per_msg;
    stats.bytes_recv_per_msg = m_recv_per_msg;
    return stats;
}

}  // namespace hpips::net
