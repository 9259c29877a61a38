// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// A node's network in-process (ConnectionManager + PeerManager on loopback
// with an ephemeral port) and a raw blocking TCP client that speaks the
// framing, for the connman and net_processing tests.
#ifndef HPIPS_TEST_UNIT_NET_TEST_UTIL_H
#define HPIPS_TEST_UNIT_NET_TEST_UTIL_H

#include <consensus/params.h>
#include <net/connman.h>
#include <net/framing.h>
#include <net/messages.h>
#include <net/net_processing.h>

#include <gtest/gtest.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <thread>

namespace hpips::net::test {

inline const std::array<uint8_t, 4>& Magic() { return Params(Network::REGTEST).message_start; }

/** Polls `predicate` every 10 ms for up to 30 s (no timing is asserted). */
inline bool WaitFor(const std::function<bool()>& predicate)
{
    for (int i{0}; i < 3000; ++i) {
        if (predicate()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds{10});
    }
    return predicate();
}

/** One node's network, listening on 127.0.0.1 with an ephemeral port. */
struct TestNetwork {
    explicit TestNetwork(std::function<void(ConnmanOptions&)> adjust = {})
    {
        ConnmanOptions options;
        options.magic = Magic();
        options.default_port = 1;
        options.use_addrman_outgoing = false;
        options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_NONE, true});
        options.peer_connect_timeout = 600;
        if (adjust) adjust(options);
        connman = std::make_unique<ConnectionManager>(std::move(options), clock);
        PeerManagerOptions peer_options;
        peer_options.best_height = [] { return int64_t{7}; };
        peerman = std::make_unique<PeerManager>(*connman, clock, std::move(peer_options));
        const auto started = connman->Start(*peerman);
        EXPECT_TRUE(started) << (started ? "" : started.error_message());
    }
    ~TestNetwork()
    {
        connman->Stop();
        peerman.reset();
        connman.reset();
    }
    uint16_t Port() const { return connman->ListeningOn().at(0).port; }
    size_t Connected() const
    {
        size_t n{0};
        for (const auto& s : connman->GetNodeStats()) n += s.successfully_connected ? 1 : 0;
        return n;
    }

    NodeClock clock;
    std::unique_ptr<ConnectionManager> connman;
    std::unique_ptr<PeerManager> peerman;
};

/** A blocking TCP client that sends frames and reads messages; a read
 *  waits at most 30 s (a hung test fails instead of hanging). */
class RawPeer {
public:
    explicit RawPeer(uint16_t port, const std::string& source = "127.0.0.1")
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in local{};
        local.sin_family = AF_INET;
        ::inet_pton(AF_INET, source.c_str(), &local.sin_addr);
        EXPECT_EQ(::bind(m_fd, reinterpret_cast<sockaddr*>(&local), sizeof(local)), 0);
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
        EXPECT_EQ(::connect(m_fd, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)), 0);
    }
    ~RawPeer() { Close(); }
    /** Closes the socket (a blocked send in another thread returns). */
    void Close()
    {
        if (m_fd < 0) return;
        ::shutdown(m_fd, SHUT_RDWR);
        ::close(m_fd);
        m_fd = -1;
    }
    RawPeer(const RawPeer&) = delete;
    RawPeer& operator=(const RawPeer&) = delete;

    void SendRaw(std::span<const uint8_t> bytes)
    {
        size_t sent{0};
        while (sent < bytes.size()) {
            const ssize_t n = ::send(m_fd, bytes.data() + sent, bytes.size() - sent, MSG_NOSIGNAL);
            if (n <= 0) return;
            sent += static_cast<size_t>(n);
        }
    }
    void Send(const Message& message)
    {
        const auto payload = EncodePayload(message);
        SendRaw(BuildFrame(Magic(), CommandOf(message), payload));
    }
    /** The next message, or nullopt when the node closed the connection. */
    std::optional<NetMessage> Read()
    {
        std::array<uint8_t, MESSAGE_HEADER_SIZE> header{};
        if (!ReadExactly(header.data(), header.size())) return std::nullopt;
        uint32_t length{0};
        for (size_t i{0}; i < 4; ++i) length |= uint32_t{header[16 + i]} << (8 * i);
        if (length > MAX_PAYLOAD_ANY) return std::nullopt;
        std::vector<uint8_t> payload(length);
        if (!ReadExactly(payload.data(), payload.size())) return std::nullopt;
        FrameParser parser{Magic()};
        parser.Feed(header);
        parser.Feed(payload);
        if (!parser.MessageReady()) return std::nullopt;
        return parser.TakeMessage();
    }
    /** Reads until a message of `command` arrives (nullopt: closed first). */
    std::optional<NetMessage> ReadUntil(std::string_view command)
    {
        while (auto message = Read()) {
            if (message->command == command) return message;
        }
        return std::nullopt;
    }
    /** True once the node closed the connection (reads and drops the rest). */
    bool WaitClosed()
    {
        while (Read()) {
        }
        return true;
    }
    /** version, then the node's version and verack, then verack. */
    void Handshake()
    {
        VersionMsg version;
        version.nonce = 42;
        version.services = NODE_NETWORK;
        version.user_agent = "/raw/";
        Send(version);
        ASSERT_TRUE(ReadUntil(cmd::VERACK));
        Send(VerackMsg{});
    }
    /** A ping round trip. False if the connection closed. */
    bool Sync(uint64_t nonce = 99)
    {
        Send(PingMsg{nonce});
        while (auto message = Read()) {
            if (message->command == cmd::PONG) {
                auto pong = DecodeMessage(cmd::PONG, message->payload);
                if (pong && std::get<PongMsg>(*pong).nonce == nonce) return true;
            }
        }
        return false;
    }

private:
    bool ReadExactly(uint8_t* out, size_t n)
    {
        size_t got{0};
        while (got < n) {
            pollfd pfd{m_fd, POLLIN, 0};
            if (::poll(&pfd, 1, 30'000) <= 0) {
                ADD_FAILURE() << "no data from the node within 30 s";
                return false;
            }
            const ssize_t r = ::recv(m_fd, out + got, n - got, 0);
            if (r <= 0) return false;
            got += static_cast<size_t>(r);
        }
        return true;
    }

    int m_fd{-1};
};

}  // namespace hpips::net::test

#endif  // HPIPS_TEST_UNIT_NET_TEST_UTIL_H
