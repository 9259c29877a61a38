// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/netaddress.h>

#include <gtest/gtest.h>

namespace hpips::net {
namespace {

NetAddr Addr(std::string_view text) { return ParseNetAddr(text).value(); }

TEST(NetAddressTest, ParsesAndPrintsBothFamilies)
{
    EXPECT_EQ(Addr("1.2.3.4").ToString(), "1.2.3.4");
    EXPECT_TRUE(Addr("1.2.3.4").IsIPv4());
    EXPECT_EQ(Addr("1.2.3.4").Type(), NetType::IPV4);
    EXPECT_EQ(Addr("2001:db8::1").ToString(), "2001:db8::1");
    EXPECT_EQ(Addr("[2001:db8::1]").Type(), NetType::IPV6);
    EXPECT_EQ(Addr("localhost"), NetAddr::FromIPv4(127, 0, 0, 1));
    // The IPv4-mapped spelling is the same address.
    EXPECT_EQ(Addr("::ffff:1.2.3.4"), Addr("1.2.3.4"));
    EXPECT_FALSE(ParseNetAddr("example.com"));
    EXPECT_FALSE(ParseNetAddr("1.2.3"));
    EXPECT_FALSE(ParseNetAddr(""));
    EXPECT_FALSE(ParseNetAddr("fe80::1%eth0"));
}

TEST(NetAddressTest, Services)
{
    EXPECT_EQ(ParseService("1.2.3.4", 9333)->ToString(), "1.2.3.4:9333");
    EXPECT_EQ(ParseService("1.2.3.4:1", 9333)->ToString(), "1.2.3.4:1");
    EXPECT_EQ(ParseService("[::1]:8", 9333)->ToString(), "[::1]:8");
    EXPECT_EQ(ParseService("::1", 9333)->ToString(), "[::1]:9333");
    EXPECT_EQ(ParseService("[::1]", 9333)->ToString(), "[::1]:9333");
    EXPECT_FALSE(ParseService("1.2.3.4:0", 9333));
    EXPECT_FALSE(ParseService("1.2.3.4:65536", 9333));
    EXPECT_FALSE(ParseService("1.2.3.4:x", 9333));
    EXPECT_FALSE(ParseService("[::1", 9333));
    EXPECT_FALSE(ParseService("1.2.3.4", 0));
    const Service s = *ParseService("[2001:db8::2]:77", 1);
    EXPECT_EQ(Service::FromEndpoint(s.ToEndpoint()), s);
}

TEST(NetAddressTest, Routability)
{
    for (const auto* text : {"1.2.3.4", "8.8.8.8", "2a00:1450::1", "2002:102:304::1"}) {
        EXPECT_TRUE(Addr(text).IsRoutable()) << text;
    }
    for (const auto* text : {"0.0.0.0", "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "100.64.0.1",
                             "169.254.1.1", "192.0.2.1", "198.51.100.1", "203.0.113.1", "198.18.0.1", "224.0.0.1",
                             "255.255.255.255", "::", "::1", "fc00::1", "fe80::1", "ff02::1", "2001:db8::1",
                             "2001:10::1", "::1.2.3.4"}) {
        EXPECT_FALSE(Addr(text).IsRoutable()) << text;
    }
    EXPECT_TRUE(Addr("127.9.9.9").IsLoopback());
    EXPECT_TRUE(Addr("::1").IsLoopback());
    EXPECT_TRUE(Addr("0.0.0.0").IsUnspecified());
    EXPECT_TRUE(NetAddr{}.IsUnspecified());
}

TEST(NetAddressTest, GroupsAreSlash16AndSlash32)
{
    EXPECT_EQ(Addr("1.2.3.4").Group(), Addr("1.2.200.9").Group());
    EXPECT_NE(Addr("1.2.3.4").Group(), Addr("1.3.3.4").Group());
    EXPECT_EQ(Addr("2001:db8:1::1").Group(), Addr("2001:db8:ffff::2").Group());
    EXPECT_NE(Addr("2001:db8::1").Group(), Addr("2001:db9::1").Group());
    // Families never share a group, even with equal leading bytes.
    EXPECT_NE(Addr("32.1.0.0").Group(), Addr("2001::1").Group());
    // Loopback addresses group by /16 too (tests place peers in groups that way).
    EXPECT_NE(Addr("127.0.0.1").Group(), Addr("127.1.0.1").Group());
}

TEST(NetAddressTest, SubNets)
{
    const SubNet net = *ParseSubNet("1.2.3.0/24");
    EXPECT_TRUE(net.Match(Addr("1.2.3.200")));
    EXPECT_FALSE(net.Match(Addr("1.2.4.1")));
    EXPECT_FALSE(net.Match(Addr("::ffff:1.2.4.1")));
    EXPECT_EQ(net.ToString(), "1.2.3.0/24");
    EXPECT_EQ(ParseSubNet("1.2.3.77/24")->ToString(), "1.2.3.0/24");  // host bits cleared
    EXPECT_EQ(ParseSubNet("1.2.3.4/255.255.0.0")->ToString(), "1.2.0.0/16");
    EXPECT_EQ(ParseSubNet("1.2.3.4")->ToString(), "1.2.3.4/32");
    EXPECT_TRUE(ParseSubNet("1.2.3.4")->IsSingleAddress());
    EXPECT_EQ(ParseSubNet("2001:db8::/32")->ToString(), "2001:db8::/32");
    EXPECT_TRUE(ParseSubNet("2001:db8::/32")->Match(Addr("2001:db8:abcd::1")));
    EXPECT_FALSE(ParseSubNet("2001:db8::/32")->Match(Addr("1.2.3.4")));
    EXPECT_TRUE(ParseSubNet("0.0.0.0/0")->Match(Addr("9.9.9.9")));
    EXPECT_FALSE(ParseSubNet("0.0.0.0/0")->Match(Addr("::2")));
    EXPECT_FALSE(ParseSubNet("1.2.3.4/33"));
    EXPECT_FALSE(ParseSubNet("1.2.3.4/255.0.255.0"));  // not contiguous
    EXPECT_FALSE(ParseSubNet("1.2.3.4/ffff::"));       // mask of the other family
    EXPECT_FALSE(ParseSubNet("nonsense/8"));
    EXPECT_FALSE(SubNet{}.Match(Addr("1.2.3.4")));
}

TEST(NetAddressTest, NetTypeNames)
{
    EXPECT_EQ(NetTypeName(NetType::IPV4), "ipv4");
    EXPECT_EQ(*ParseNetType("IPv6"), NetType::IPV6);
    EXPECT_FALSE(ParseNetType("onion"));
}

}  // namespace
}  // namespace hpips::net
