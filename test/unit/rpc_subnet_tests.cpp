// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/subnet.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

namespace ip = boost::asio::ip;

bool Contains(const char* subnet, const char* address)
{
    auto parsed = ParseSubnet(subnet);
    EXPECT_TRUE(parsed) << subnet;
    return parsed->Contains(ip::make_address(address));
}

TEST(RpcSubnetTests, Matching)
{
    EXPECT_TRUE(Contains("127.0.0.0/8", "127.1.2.3"));
    EXPECT_FALSE(Contains("127.0.0.0/8", "128.0.0.1"));
    EXPECT_TRUE(Contains("1.2.3.4", "1.2.3.4"));
    EXPECT_FALSE(Contains("1.2.3.4", "1.2.3.5"));
    EXPECT_TRUE(Contains("1.2.3.99/24", "1.2.3.200"));  // host bits are ignored
    EXPECT_TRUE(Contains("1.2.3.0/255.255.255.0", "1.2.3.7"));
    EXPECT_FALSE(Contains("1.2.3.0/255.255.255.0", "1.2.4.7"));
    EXPECT_TRUE(Contains("0.0.0.0/0", "8.8.8.8"));
    EXPECT_TRUE(Contains("::1", "::1"));
    EXPECT_FALSE(Contains("::1", "::2"));
    EXPECT_TRUE(Contains("fe80::/10", "fe80::1"));
    EXPECT_FALSE(Contains("fe80::/10", "fec0::1"));
    EXPECT_TRUE(Contains("10.0.0.0/8", "::ffff:10.1.2.3"));  // IPv4-mapped
    EXPECT_FALSE(Contains("10.0.0.0/8", "::1"));
}

TEST(RpcSubnetTests, Invalid)
{
    for (const char* bad : {"", "nonsense", "1.2.3.4/33", "1.2.3.4/-1", "1.2.3.4/", "1.2.3.4/255.0.255.0", "::1/129",
                            "1.2.3.4/ffff::", "1.2.3.4/24/1", "300.1.1.1"}) {
        EXPECT_FALSE(ParseSubnet(bad)) << bad;
    }
}

TEST(RpcSubnetTests, Endpoints)
{
    EXPECT_EQ(ParseEndpoint("127.0.0.1", 5).value(), ip::tcp::endpoint(ip::make_address("127.0.0.1"), 5));
    EXPECT_EQ(ParseEndpoint("127.0.0.1:99", 5).value(), ip::tcp::endpoint(ip::make_address("127.0.0.1"), 99));
    EXPECT_EQ(ParseEndpoint("[::1]:99", 5).value(), ip::tcp::endpoint(ip::make_address("::1"), 99));
    EXPECT_EQ(ParseEndpoint("[::1]", 5).value(), ip::tcp::endpoint(ip::make_address("::1"), 5));
    EXPECT_EQ(ParseEndpoint("::1", 5).value(), ip::tcp::endpoint(ip::make_address("::1"), 5));
    EXPECT_EQ(ParseEndpoint("localhost:7", 5).value(), ip::tcp::endpoint(ip::make_address("127.0.0.1"), 7));
    for (const char* bad : {"", "host.example", "1.2.3.4:0", "1.2.3.4:65536", "1.2.3.4:x", "[::1", "[::1]x", "[::1]:"}) {
        EXPECT_FALSE(ParseEndpoint(bad, 5)) << bad;
    }
}

}  // namespace
}  // namespace hpips
