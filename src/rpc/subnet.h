// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_SUBNET_H
#define HPIPS_RPC_SUBNET_H

#include <util/result.h>

#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string_view>

namespace hpips {

/** An IP network for -rpcallowip: an address and a prefix length. */
struct Subnet {
    boost::asio::ip::address network;
    unsigned prefix_length{0};

    /** True if `address` lies in this network (IPv4-mapped IPv6 addresses
     *  match IPv4 networks). */
    bool Contains(const boost::asio::ip::address& address) const;
};

/** Parses "1.2.3.4", "1.2.3.0/24", "1.2.3.0/255.255.255.0", "::1",
 *  "fe80::/10" (a single address is a full-length prefix). Host bits beyond
 *  the prefix are cleared. */
Result<Subnet> ParseSubnet(std::string_view text);

/** Parses "-rpcbind" style "host", "host:port", "[v6]" or "[v6]:port" with a
 *  numeric IPv4/IPv6 host or "localhost" (127.0.0.1). */
Result<boost::asio::ip::tcp::endpoint> ParseEndpoint(std::string_view text, uint16_t default_port);

}  // namespace hpips

#endif  // HPIPS_RPC_SUBNET_H
