// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_NETADDRESS_H
#define HPIPS_NET_NETADDRESS_H

#include <util/result.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <array>
#include <compare>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * Peer addresses: an IP address (NetAddr), an address with a port (Service)
 * and an IP network (SubNet), with the network group that spreads outbound
 * connections and inbound eviction across operators.
 *
 * Only IPv4 and IPv6 exist on this network (no Tor, I2P or CJDNS). Every
 * address is held as 16 bytes; an IPv4 address is held in its IPv4-mapped
 * IPv6 form (::ffff:a.b.c.d) and is an IPv4 address everywhere (type, text,
 * group), so the two spellings of one host never count as two hosts.
 *
 * Host names are not resolved: -connect, -addnode, -seednode, -bind and the
 * RPC methods take numeric addresses (and "localhost", meaning 127.0.0.1), so
 * that nothing in the node waits on DNS.
 *
 * All types are plain values: thread-compatible, no allocation beyond text.
 */
namespace hpips::net {

/** The reachable networks. Their names ("ipv4", "ipv6") are what -onlynet and
 *  the RPC methods use. */
enum class NetType : uint8_t { IPV4 = 0, IPV6 = 1 };

/** Number of NetType values. */
constexpr size_t NET_TYPE_COUNT = 2;

/** "ipv4" or "ipv6". */
std::string_view NetTypeName(NetType type);
/** Parses "ipv4" / "ipv6" (case-insensitive). */
Result<NetType> ParseNetType(std::string_view name);

/** An IPv4 or IPv6 address. */
class NetAddr {
public:
    /** Size of the held form (IPv6, IPv4 mapped). */
    static constexpr size_t SIZE = 16;

    /** The IPv6 unspecified address (::). */
    NetAddr() = default;
    /** From the 16-byte form as it travels in addr messages. */
    explicit NetAddr(const std::array<uint8_t, SIZE>& bytes) : m_bytes{bytes} {}

    /** From Asio's address (IPv4 becomes IPv4-mapped). */
    static NetAddr FromAsio(const boost::asio::ip::address& address);
    /** An IPv4 address from its four octets. */
    static NetAddr FromIPv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d);

    /** Asio's address: IPv4 for a mapped address, else IPv6. */
    boost::asio::ip::address ToAsio() const;
    /** The 16-byte form. */
    const std::array<uint8_t, SIZE>& Bytes() const { return m_bytes; }

    bool IsIPv4() const;
    NetType Type() const { return IsIPv4() ? NetType::IPV4 : NetType::IPV6; }
    /** 0.0.0.0 or :: (also the null value). */
    bool IsUnspecified() const;
    /** 127.0.0.0/8 or ::1. */
    bool IsLoopback() const;
    /** Worth storing in the address manager and gossiping: not unspecified,
     *  loopback, private (RFC 1918, fc00::/7), link-local, multicast,
     *  documentation or otherwise reserved ranges. */
    bool IsRoutable() const;

    /** The network group: peers in one group are assumed to be run by one
     *  operator. IPv4: the /16 (type byte and two octets); IPv6: the /32
     *  (type byte and four bytes). Every address is grouped this way,
     *  loopback and private ones included, so tests on 127.x.y.z can place
     *  peers in different groups. */
    std::vector<uint8_t> Group() const;

    /** "1.2.3.4" or "2001:db8::1". */
    std::string ToString() const;

    friend auto operator<=>(const NetAddr&, const NetAddr&) = default;
    friend bool operator==(const NetAddr&, const NetAddr&) = default;

private:
    std::array<uint8_t, SIZE> m_bytes{};
};

/** An address and a TCP port. */
struct Service {
    NetAddr addr;
    uint16_t port{0};

    /** From an Asio endpoint. */
    static Service FromEndpoint(const boost::asio::ip::tcp::endpoint& endpoint);
    /** The Asio endpoint. */
    boost::asio::ip::tcp::endpoint ToEndpoint() const;
    /** "1.2.3.4:8333" or "[2001:db8::1]:8333". */
    std::string ToString() const;

    friend auto operator<=>(const Service&, const Service&) = default;
    friend bool operator==(const Service&, const Service&) = default;
};

/** An IP network: an address whose bits beyond the prefix are zero. */
class SubNet {
public:
    /** An invalid subnet that matches nothing. */
    SubNet() = default;
    /** The single-address network of `addr` (/32 or /128). */
    explicit SubNet(const NetAddr& addr);
    /** `addr` with `prefix_bits` leading bits kept (bits counted in the
     *  family of `addr`: 0..32 for IPv4, 0..128 for IPv6). */
    SubNet(const NetAddr& addr, unsigned prefix_bits);

    /** True if `addr` lies in this network (an IPv4 network never matches
     *  an IPv6 address and the other way round). */
    bool Match(const NetAddr& addr) const;
    bool IsValid() const { return m_valid; }
    /** True if this is a single address. */
    bool IsSingleAddress() const;
    const NetAddr& Network() const { return m_network; }
    unsigned PrefixBits() const { return m_prefix; }
    /** "1.2.3.0/24", "1.2.3.4/32", "2001:db8::/32". */
    std::string ToString() const;

    friend auto operator<=>(const SubNet&, const SubNet&) = default;
    friend bool operator==(const SubNet&, const SubNet&) = default;

private:
    NetAddr m_network;
    unsigned m_prefix{0};
    bool m_valid{false};
};

/** Parses a numeric IPv4 or IPv6 address, or "localhost" (127.0.0.1).
 *  Brackets around an IPv6 address are accepted. */
Result<NetAddr> ParseNetAddr(std::string_view text);

/** Parses "host", "host:port", "[v6]" or "[v6]:port" (host as in
 *  ParseNetAddr); a missing port is `default_port`. A bare IPv6 address
 *  without brackets takes the default port. Port 0 is refused. */
Result<Service> ParseService(std::string_view text, uint16_t default_port);

/** Parses "1.2.3.4", "1.2.3.0/24", "1.2.3.0/255.255.255.0", "::1",
 *  "2001:db8::/32". Host bits beyond the prefix are cleared. */
Result<SubNet> ParseSubNet(std::string_view text);

}  // namespace hpips::net

#endif  // HPIPS_NET_NETADDRESS_H
