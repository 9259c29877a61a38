// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// -rpcallowip and -rpcbind values (ParseSubnet, ParseEndpoint) must never
// crash on any text; a parsed subnet has a prefix within its address family,
// contains its own network address, and parses back from its printed form.
#include <rpc/subnet.h>

#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};

    if (const auto subnet = hpips::ParseSubnet(text)) {
        const unsigned bits = subnet->network.is_v4() ? 32 : 128;
        if (subnet->prefix_length > bits) std::abort();
        if (!subnet->Contains(subnet->network)) std::abort();
        const std::string printed = subnet->network.to_string() + "/" + std::to_string(subnet->prefix_length);
        const auto again = hpips::ParseSubnet(printed);
        if (!again || again->network != subnet->network || again->prefix_length != subnet->prefix_length) std::abort();
    }

    // The default port from the first two bytes, the rest as the value.
    const uint16_t port = size >= 2 ? static_cast<uint16_t>(data[0] << 8 | data[1]) : 19443;
    const std::string_view value = size >= 2 ? text.substr(2) : text;
    if (const auto endpoint = hpips::ParseEndpoint(value, port)) {
        if (value.find(':') == std::string_view::npos && endpoint->port() != port) std::abort();
    }
    return 0;
}
