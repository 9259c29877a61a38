// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/strencodings.h>

#include <charconv>

namespace hpips {
namespace {
constexpr char HEX_DIGITS[] = "0123456789abcdef";

int HexValue(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}
}  // namespace

std::string HexStr(std::span<const uint8_t> bytes)
{
    std::string out(bytes.size() * 2, '0');
    for (size_t i = 0; i < bytes.size(); ++i) {
        out[2 * i] = HEX_DIGITS[bytes[i] >> 4];
        out[2 * i + 1] = HEX_DIGITS[bytes[i] & 15];
    }
    return out;
}

bool IsHex(std::string_view str)
{
    if (str.size() % 2 != 0) return false;
    for (char c : str) {
        if (HexValue(c) < 0) return false;
    }
    return true;
}

std::optional<std::vector<uint8_t>> ParseHex(std::string_view hex)
{
    if (!IsHex(hex)) return std::nullopt;
    std::vector<uint8_t> out(hex.size() / 2);
    for (size_t i = 0; i < out.size(); ++i) {
        out[i] = static_cast<uint8_t>((HexValue(hex[2 * i]) << 4) | HexValue(hex[2 * i + 1]));
    }
    return out;
}

std::optional<int64_t> ParseInt64(std::string_view str, int64_t min, int64_t max)
{
    if (str.empty() || str.front() == '+') return std::nullopt;
    int64_t value{0};
    const auto [ptr, ec] = std::from_chars(str.data(), str.data() + str.size(), value);
    if (ec != std::errc{} || ptr != str.data() + str.size()) return std::nullopt;
    if (value < min || value > max) return std::nullopt;
    return value;
}

}  // namespace hpips
