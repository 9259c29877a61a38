// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_publisher.h>

#include <util/strencodings.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zmq.h>

#include <optional>
#include <string>
#include <vector>

namespace hpips {
namespace {

using Frames = std::vector<std::string>;

/** A libzmq SUB socket subscribed to every topic. */
class Subscriber {
public:
    explicit Subscriber(const std::string& address)
    {
        m_context = zmq_ctx_new();
        m_socket = zmq_socket(m_context, ZMQ_SUB);
        EXPECT_EQ(zmq_setsockopt(m_socket, ZMQ_SUBSCRIBE, "", 0), 0);
        EXPECT_EQ(zmq_connect(m_socket, address.c_str()), 0) << zmq_strerror(zmq_errno());
    }
    ~Subscriber()
    {
        const int linger{0};
        zmq_setsockopt(m_socket, ZMQ_LINGER, &linger, sizeof(linger));
        zmq_close(m_socket);
        zmq_ctx_term(m_context);
    }
    Subscriber(const Subscriber&) = delete;
    Subscriber& operator=(const Subscriber&) = delete;

    /** The next message's frames, or nullopt after `timeout_ms` without one. */
    std::optional<Frames> Receive(int timeout_ms)
    {
        zmq_pollitem_t item{m_socket, 0, ZMQ_POLLIN, 0};
        if (zmq_poll(&item, 1, timeout_ms) != 1) return std::nullopt;
        Frames frames;
        int more{1};
        while (more) {
            zmq_msg_t msg;
            zmq_msg_init(&msg);
            if (zmq_msg_recv(&msg, m_socket, 0) < 0) return std::nullopt;
            frames.emplace_back(static_cast<const char*>(zmq_msg_data(&msg)), zmq_msg_size(&msg));
            zmq_msg_close(&msg);
            size_t size{sizeof(more)};
            zmq_getsockopt(m_socket, ZMQ_RCVMORE, &more, &size);
        }
        return frames;
    }

private:
    void* m_context{nullptr};
    void* m_socket{nullptr};
};

std::string Hex(const std::string& bytes)
{
    return HexStr(std::span{reinterpret_cast<const uint8_t*>(bytes.data()), bytes.size()});
}

std::span<const uint8_t> Bytes(std::string_view text)
{
    return {reinterpret_cast<const uint8_t*>(text.data()), text.size()};
}

/** Publishes hashblock probes until the subscriber (connected late: PUB/SUB
 *  drops everything before the subscription arrives) gets one; returns the
 *  sequence number frame of the last probe received, draining the rest. */
std::string SyncProbes(ZmqPublisher& publisher, Subscriber& subscriber)
{
    std::optional<Frames> got;
    for (int i{0}; i < 200 && !got; ++i) {
        publisher.Publish(ZmqTopic::HASHBLOCK, Bytes("probe"));
        got = subscriber.Receive(50);
    }
    EXPECT_TRUE(got);
    if (!got) return "";
    std::string last = Hex((*got)[2]);
    while (auto more = subscriber.Receive(100)) last = Hex((*more)[2]);
    return last;
}

TEST(ZmqPublisher, ThreeFramesAndPerTopicSequences)
{
    test::TempDir dir;
    const std::string shared = "ipc://" + (dir.path() / "shared").string();
    auto publisher = ZmqPublisher::Create({{ZmqTopic::HASHBLOCK, shared, 1000}, {ZmqTopic::SEQUENCE, shared, 5}});
    ASSERT_TRUE(publisher) << publisher.error_message();
    ZmqPublisher& pub = **publisher;
    EXPECT_TRUE(pub.Publishes(ZmqTopic::HASHBLOCK));
    EXPECT_TRUE(pub.Publishes(ZmqTopic::SEQUENCE));
    EXPECT_FALSE(pub.Publishes(ZmqTopic::RAWTX));
    ASSERT_EQ(pub.Specs().size(), 2u);
    EXPECT_EQ(pub.Specs()[1].hwm, 5);

    Subscriber subscriber{shared};
    const std::string last_probe = SyncProbes(pub, subscriber);
    ASSERT_FALSE(last_probe.empty());
    // Probes counted 0, 1, ...: the next hashblock takes the one after the last.
    uint32_t next{0};
    for (size_t i{0}; i < 4; ++i) next |= uint32_t(std::stoul(last_probe.substr(2 * i, 2), nullptr, 16)) << (8 * i);
    ++next;

    pub.Publish(ZmqTopic::SEQUENCE, Bytes("first"));
    pub.Publish(ZmqTopic::HASHBLOCK, Bytes("block"));
    pub.Publish(ZmqTopic::RAWTX, Bytes("not published"));
    pub.Publish(ZmqTopic::SEQUENCE, Bytes("second"));
    const auto a = subscriber.Receive(2000);
    const auto b = subscriber.Receive(2000);
    const auto c = subscriber.Receive(2000);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(*a, (Frames{"sequence", "first", std::string("\0\0\0\0", 4)}));
    EXPECT_EQ((*b)[0], "hashblock");
    EXPECT_EQ((*b)[1], "block");
    EXPECT_EQ(Hex((*b)[2]), HexStr(ZmqSequenceFrame(next)));
    EXPECT_EQ(*c, (Frames{"sequence", "second", std::string("\1\0\0\0", 4)}));
    EXPECT_FALSE(subscriber.Receive(200));
}

TEST(ZmqPublisher, BindFailureNamesTheAddress)
{
    // A port taken by a listening socket of our own.
    const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
    ASSERT_GE(fd, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    ASSERT_EQ(::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof(addr)), 0);
    ASSERT_EQ(::listen(fd, 1), 0);
    socklen_t len{sizeof(addr)};
    ASSERT_EQ(::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len), 0);
    const std::string address = "tcp://127.0.0.1:" + std::to_string(ntohs(addr.sin_port));
    auto publisher = ZmqPublisher::Create({{ZmqTopic::HASHTX, address, DEFAULT_ZMQ_SNDHWM}});
    ::close(fd);
    ASSERT_FALSE(publisher);
    EXPECT_NE(publisher.error_message().find(address), std::string::npos) << publisher.error_message();
}

}  // namespace
}  // namespace hpips
