// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/subnet.h>

#include <array>
#include <charconv>
#include <optional>
#include <string>

namespace hpips {
namespace {

namespace ip = boost::asio::ip;

/** An address as 16 bytes: IPv4 addresses as IPv4-mapped IPv6. */
ip::address_v6::bytes_type Bytes16(const ip::address& address)
{
    if (address.is_v4()) return ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes();
    return address.to_v6().to_bytes();
}

std::optional<unsigned> ParseUnsigned(std::string_view text, unsigned max)
{
    unsigned value{0};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

std::optional<ip::address> ParseAddress(std::string_view text)
{
    boost::system::error_code ec;
    const auto address = ip::make_address(std::string{text}, ec);
    if (ec) return std::nullopt;
    return address;
}

}  // namespace

bool Subnet::Contains(const ip::address& address) const
{
    const auto a = Bytes16(address);
    const auto n = Bytes16(network);
    // IPv4 networks are compared as IPv4-mapped: 96 extra leading bits.
    const unsigned bits = network.is_v4() ? prefix_length + 96 : prefix_length;
    for (unsigned i{0}; i < bits; ++i) {
        const unsigned byte = i / 8;
        const unsigned mask = 0x80u >> (i % 8);
        if ((a[byte] & mask) != (n[byte] & mask)) return false;
    }
    return true;
}

Result<Subnet> ParseSubnet(std::string_view text)
{
    const Error error{"Invalid -rpcallowip subnet specification: " + std::string{text} +
                      ". Valid are a single IP (e.g. 1.2.3.4), a network/netmask (e.g. 1.2.3.4/255.255.255.0) or a "
                      "network/CIDR (e.g. 1.2.3.4/24)."};
    const size_t slash = text.find('/');
    const auto address = ParseAddress(text.substr(0, slash));
    if (!address) return error;
    const unsigned max_bits = address->is_v4() ? 32 : 128;
    unsigned prefix{max_bits};
    if (slash != std::string_view::npos) {
        const std::string_view mask_text = text.substr(slash + 1);
        if (const auto length = ParseUnsigned(mask_text, max_bits)) {
            prefix = *length;
        } else if (const auto mask = ParseAddress(mask_text); mask && mask->is_v4() == address->is_v4()) {
            // A netmask must be contiguous ones followed by zeros.
            const auto bytes = Bytes16(*mask);
            const unsigned offset = address->is_v4() ? 96 : 0;
            prefix = 0;
            bool seen_zero{false};
            for (unsigned i{offset}; i < 128; ++i) {
                const bool one = (bytes[i / 8] & (0x80u >> (i % 8))) != 0;
                if (one && seen_zero) return error;
                if (one) ++prefix;
                if (!one) seen_zero = true;
            }
        } else {
            return error;
        }
    }
    // Clear host bits so Contains compares only the network part.
    auto bytes = Bytes16(*address);
    const unsigned offset = address->is_v4() ? 96 : 0;
    for (unsigned i{offset + prefix}; i < 128; ++i) bytes[i / 8] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
    const ip::address_v6 v6(bytes);
    Subnet subnet;
    subnet.network = address->is_v4() ? ip::address{ip::make_address_v4(ip::v4_mapped, v6)} : ip::address{v6};
    subnet.prefix_length = prefix;
    return subnet;
}

Result<ip::tcp::endpoint> ParseEndpoint(std::string_view text, uint16_t default_port)
{
    const Error error{"Invalid address: " + std::string{text}};
    std::string_view host = text;
    std::optional<std::string_view> port_text;
    if (!text.empty() && text.front() == '[') {
        const size_t close = text.find(']');
        if (close == std::string_view::npos) return error;
        host = text.substr(1, close - 1);
        const std::string_view rest = text.substr(close + 1);
        if (!rest.empty()) {
            if (rest.front() != ':') return error;
            port_text = rest.substr(1);
        }
    } else if (const size_t colon = text.find(':'); colon != std::string_view::npos && text.rfind(':') == colon) {
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    uint16_t port{default_port};
    if (port_text) {
        const auto parsed = ParseUnsigned(*port_text, 65535);
        if (!parsed || *parsed == 0) return error;
        port = static_cast<uint16_t>(*parsed);
    }
    if (host == "localhost") return ip::tcp::endpoint{ip::address_v4::loopback(), port};
    const auto address = ParseAddress(host);
    if (!address) return error;
    return ip::tcp::endpoint{*address, port};
}

}  // namespace hpips
