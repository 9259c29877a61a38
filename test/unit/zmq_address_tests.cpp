// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_address.h>

#include <gtest/gtest.h>

#include <optional>
#include <string>

namespace hpips {
namespace {

std::optional<ZmqAddressFailure> Failure(const std::string& address)
{
    const auto checked = CheckZmqAddress(address);
    if (checked) return std::nullopt;
    EXPECT_FALSE(checked.error().message.empty());
    return checked.error().failure;
}

TEST(ZmqAddress, AcceptsTcpAndIpc)
{
    for (const char* address : {"tcp://127.0.0.1:28332", "tcp://*:1", "tcp://localhost:65535", "tcp://[::1]:28332",
                                "tcp://eth0:5555", "ipc:///tmp/hpips.zmq", "ipc://relative"}) {
        EXPECT_EQ(Failure(address), std::nullopt) << address;
    }
}

TEST(ZmqAddress, RefusesOtherSchemes)
{
    for (const char* address : {"", "127.0.0.1:28332", "inproc://x", "pgm://eth0;239.192.1.1:5555",
                                "epgm://eth0;239.192.1.1:5555", "TCP://127.0.0.1:1", "tcp:/127.0.0.1:1", "udp://x:1"}) {
        EXPECT_EQ(Failure(address), ZmqAddressFailure::UNSUPPORTED_SCHEME) << address;
    }
}

TEST(ZmqAddress, TcpNeedsHostAndPort)
{
    EXPECT_EQ(Failure("tcp://:28332"), ZmqAddressFailure::MISSING_HOST);
    EXPECT_EQ(Failure("tcp://[]:28332"), ZmqAddressFailure::MISSING_HOST);
    EXPECT_EQ(Failure("tcp://::1:28332"), ZmqAddressFailure::MISSING_HOST);
    EXPECT_EQ(Failure("tcp://[::1:28332"), ZmqAddressFailure::MISSING_HOST);
    for (const char* address : {"tcp://127.0.0.1", "tcp://127.0.0.1:", "tcp://127.0.0.1:0", "tcp://127.0.0.1:65536",
                                "tcp://127.0.0.1:099999", "tcp://127.0.0.1:*", "tcp://127.0.0.1:12a", "tcp://[::1]"}) {
        EXPECT_EQ(Failure(address), ZmqAddressFailure::BAD_PORT) << address;
    }
}

TEST(ZmqAddress, LengthBounds)
{
    const std::string path(MAX_ZMQ_IPC_PATH_LENGTH, 'p');
    EXPECT_EQ(Failure("ipc://" + path), std::nullopt);
    EXPECT_EQ(Failure("ipc://" + path + "p"), ZmqAddressFailure::BAD_PATH);
    EXPECT_EQ(Failure("ipc://"), ZmqAddressFailure::BAD_PATH);
    const std::string tcp = "tcp://" + std::string(MAX_ZMQ_ADDRESS_LENGTH - 6 - 6, 'h') + ":28332";
    ASSERT_EQ(tcp.size(), MAX_ZMQ_ADDRESS_LENGTH);
    EXPECT_EQ(Failure(tcp), std::nullopt);
    EXPECT_EQ(Failure("tcp://h" + tcp.substr(6)), ZmqAddressFailure::TOO_LONG);
}

}  // namespace
}  // namespace hpips
