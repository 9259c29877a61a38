// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/netaddress.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <optional>

namespace hpips::net {
namespace {

namespace ip = boost::asio::ip;

/** The IPv4-mapped prefix ::ffff:0:0/96. */
constexpr std::array<uint8_t, 12> IPV4_MAPPED_PREFIX{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};

std::optional<unsigned> ParseUnsigned(std::string_view text, unsigned max)
{
    unsigned value{0};
    const auto [ptr, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (text.empty() || ec != std::errc{} || ptr != text.data() + text.size() || value > max) return std::nullopt;
    return value;
}

/** Bit `i` (from the most significant bit of byte 0) of a 16-byte form. */
bool Bit(const std::array<uint8_t, NetAddr::SIZE>& bytes, unsigned i)
{
    return (bytes[i / 8] & (0x80u >> (i % 8))) != 0;
}

/** True if the first `bits` bits of a and b agree. */
bool SamePrefix(const std::array<uint8_t, NetAddr::SIZE>& a, const std::array<uint8_t, NetAddr::SIZE>& b,
                unsigned bits)
{
    for (unsigned i{0}; i < bits; ++i) {
        if (Bit(a, i) != Bit(b, i)) return false;
    }
    return true;
}

/** IPv4 ranges that are never routable on the internet: {a, b, c, d, prefix}. */
struct V4Range {
    std::array<uint8_t, 4> base;
    unsigned prefix;
};
constexpr std::array<V4Range, 14> UNROUTABLE_V4{{
    {{0, 0, 0, 0}, 8},        // "this network"
    {{10, 0, 0, 0}, 8},       // RFC 1918
    {{100, 64, 0, 0}, 10},    // RFC 6598 carrier-grade NAT
    {{127, 0, 0, 0}, 8},      // loopback
    {{169, 254, 0, 0}, 16},   // RFC 3927 link-local
    {{172, 16, 0, 0}, 12},    // RFC 1918
    {{192, 0, 0, 0}, 24},     // RFC 6890 IETF protocol assignments
    {{192, 0, 2, 0}, 24},     // RFC 5737 documentation
    {{192, 168, 0, 0}, 16},   // RFC 1918
    {{198, 18, 0, 0}, 15},    // RFC 2544 benchmarking
    {{198, 51, 100, 0}, 24},  // RFC 5737 documentation
    {{203, 0, 113, 0}, 24},   // RFC 5737 documentation
    {{224, 0, 0, 0}, 4},      // multicast
    {{240, 0, 0, 0}, 4},      // reserved and broadcast
}};

struct V6Range {
    std::array<uint8_t, 4> base;  // leading bytes; the rest zero
    unsigned prefix;
};
constexpr std::array<V6Range, 6> UNROUTABLE_V6{{
    {{0xfc, 0x00, 0, 0}, 7},      // RFC 4193 unique local
    {{0xfe, 0x80, 0, 0}, 10},     // link-local
    {{0xff, 0x00, 0, 0}, 8},      // multicast
    {{0x20, 0x01, 0x0d, 0xb8}, 32},  // RFC 3849 documentation
    {{0x20, 0x01, 0x00, 0x10}, 28},  // RFC 4843 ORCHID
    {{0x20, 0x01, 0x00, 0x20}, 28},  // RFC 7343 ORCHIDv2
}};

std::string Lower(std::string_view text)
{
    std::string out{text};
    std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

}  // namespace

std::string_view NetTypeName(NetType type)
{
    switch (type) {
    case NetType::IPV4: return "ipv4";
    case NetType::IPV6: return "ipv6";
    }
    return "";
}

Result<NetType> ParseNetType(std::string_view name)
{
    const std::string lower = Lower(name);
    if (lower == "ipv4") return NetType::IPV4;
    if (lower == "ipv6") return NetType::IPV6;
    return Error{"Unknown network specified: '" + std::string{name} + "' (known: ipv4, ipv6)"};
}

NetAddr NetAddr::FromAsio(const ip::address& address)
{
    if (address.is_v4()) return NetAddr{ip::make_address_v6(ip::v4_mapped, address.to_v4()).to_bytes()};
    const auto v6 = address.to_v6();
    return NetAddr{v6.to_bytes()};
}

NetAddr NetAddr::FromIPv4(uint8_t a, uint8_t b, uint8_t c, uint8_t d)
{
    std::array<uint8_t, SIZE> bytes{};
    std::copy(IPV4_MAPPED_PREFIX.begin(), IPV4_MAPPED_PREFIX.end(), bytes.begin());
    bytes[12] = a;
    bytes[13] = b;
    bytes[14] = c;
    bytes[15] = d;
    return NetAddr{bytes};
}

bool NetAddr::IsIPv4() const { return std::equal(IPV4_MAPPED_PREFIX.begin(), IPV4_MAPPED_PREFIX.end(), m_bytes.begin()); }

ip::address NetAddr::ToAsio() const
{
    if (IsIPv4()) return ip::address_v4{{m_bytes[12], m_bytes[13], m_bytes[14], m_bytes[15]}};
    return ip::address_v6{m_bytes};
}

bool NetAddr::IsUnspecified() const
{
    if (IsIPv4()) return m_bytes[12] == 0 && m_bytes[13] == 0 && m_bytes[14] == 0 && m_bytes[15] == 0;
    return std::all_of(m_bytes.begin(), m_bytes.end(), [](uint8_t b) { return b == 0; });
}

bool NetAddr::IsLoopback() const
{
    if (IsIPv4()) return m_bytes[12] == 127;
    for (size_t i{0}; i < 15; ++i) {
        if (m_bytes[i] != 0) return false;
    }
    return m_bytes[15] == 1;
}

bool NetAddr::IsRoutable() const
{
    if (IsUnspecified() || IsLoopback()) return false;
    if (IsIPv4()) {
        for (const auto& range : UNROUTABLE_V4) {
            std::array<uint8_t, SIZE> base = FromIPv4(range.base[0], range.base[1], range.base[2], range.base[3]).Bytes();
            if (SamePrefix(m_bytes, base, 96 + range.prefix)) return false;
        }
        return true;
    }
    for (const auto& range : UNROUTABLE_V6) {
        std::array<uint8_t, SIZE> base{};
        std::copy(range.base.begin(), range.base.end(), base.begin());
        if (SamePrefix(m_bytes, base, range.prefix)) return false;
    }
    // ::/96 (IPv4-compatible, deprecated) and the rest of ::/8 are reserved.
    if (m_bytes[0] == 0) return false;
    return true;
}

std::vector<uint8_t> NetAddr::Group() const
{
    std::vector<uint8_t> group;
    group.push_back(static_cast<uint8_t>(Type()));
    if (IsIPv4()) {
        group.insert(group.end(), m_bytes.begin() + 12, m_bytes.begin() + 14);
    } else {
        group.insert(group.end(), m_bytes.begin(), m_bytes.begin() + 4);
    }
    return group;
}

std::string NetAddr::ToString() const { return ToAsio().to_string(); }

Service Service::FromEndpoint(const ip::tcp::endpoint& endpoint)
{
    return Service{NetAddr::FromAsio(endpoint.address()), endpoint.port()};
}

ip::tcp::endpoint Service::ToEndpoint() const { return {addr.ToAsio(), port}; }

std::string Service::ToString() const
{
    if (addr.IsIPv4()) return addr.ToString() + ":" + std::to_string(port);
    return "[" + addr.ToString() + "]:" + std::to_string(port);
}

SubNet::SubNet(const NetAddr& addr) : SubNet{addr, addr.IsIPv4() ? 32u : 128u} {}

SubNet::SubNet(const NetAddr& addr, unsigned prefix_bits)
{
    const unsigned max_bits = addr.IsIPv4() ? 32 : 128;
    if (prefix_bits > max_bits) return;
    const unsigned offset = addr.IsIPv4() ? 96 : 0;
    std::array<uint8_t, NetAddr::SIZE> bytes = addr.Bytes();
    for (unsigned i{offset + prefix_bits}; i < 128; ++i) bytes[i / 8] &= static_cast<uint8_t>(~(0x80u >> (i % 8)));
    m_network = NetAddr{bytes};
    m_prefix = prefix_bits;
    m_valid = true;
}

bool SubNet::Match(const NetAddr& addr) const
{
    if (!m_valid || addr.IsIPv4() != m_network.IsIPv4()) return false;
    const unsigned offset = m_network.IsIPv4() ? 96 : 0;
    return SamePrefix(addr.Bytes(), m_network.Bytes(), offset + m_prefix);
}

bool SubNet::IsSingleAddress() const { return m_valid && m_prefix == (m_network.IsIPv4() ? 32u : 128u); }

std::string SubNet::ToString() const { return m_network.ToString() + "/" + std::to_string(m_prefix); }

Result<NetAddr> ParseNetAddr(std::string_view text)
{
    if (text == "localhost") return NetAddr::FromIPv4(127, 0, 0, 1);
    if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
    boost::system::error_code ec;
    const auto address = ip::make_address(std::string{text}, ec);
    if (ec) return Error{"Invalid address: '" + std::string{text} + "' (numeric IPv4 or IPv6 expected)"};
    if (address.is_v6() && address.to_v6().scope_id() != 0) {
        return Error{"Invalid address: '" + std::string{text} + "' (scoped IPv6 addresses are not supported)"};
    }
    return NetAddr::FromAsio(address);
}

Result<Service> ParseService(std::string_view text, uint16_t default_port)
{
    const Error error{"Invalid address: '" + std::string{text} + "'"};
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
    } else if (const size_t colon = text.rfind(':'); colon != std::string_view::npos && text.find(':') == colon) {
        host = text.substr(0, colon);
        port_text = text.substr(colon + 1);
    }
    auto addr = ParseNetAddr(host);
    if (!addr) return error;
    uint16_t port = default_port;
    if (port_text) {
        const auto parsed = ParseUnsigned(*port_text, 65535);
        if (!parsed || *parsed == 0) return Error{"Invalid port in address: '" + std::string{text} + "'"};
        port = static_cast<uint16_t>(*parsed);
    }
    if (port == 0) return Error{"Invalid port in address: '" + std::string{text} + "'"};
    return Service{*addr, port};
}

Result<SubNet> ParseSubNet(std::string_view text)
{
    const Error error{"Invalid IP/Subnet: '" + std::string{text} + "'"};
    const size_t slash = text.find('/');
    auto addr = ParseNetAddr(text.substr(0, slash));
    if (!addr) return error;
    const unsigned max_bits = addr->IsIPv4() ? 32 : 128;
    if (slash == std::string_view::npos) return SubNet{*addr};
    const std::string_view mask_text = text.substr(slash + 1);
    if (const auto length = ParseUnsigned(mask_text, max_bits)) return SubNet{*addr, *length};
    const auto mask = ParseNetAddr(mask_text);
    if (!mask || mask->IsIPv4() != addr->IsIPv4()) return error;
    // A netmask must be contiguous ones followed by zeros.
    const unsigned offset = addr->IsIPv4() ? 96 : 0;
    unsigned prefix{0};
    bool seen_zero{false};
    for (unsigned i{offset}; i < 128; ++i) {
        const bool one = Bit(mask->Bytes(), i);
        if (one && seen_zero) return error;
        if (one) ++prefix;
        if (!one) seen_zero = true;
    }
    return SubNet{*addr, prefix};
}

}  // namespace hpips::net
