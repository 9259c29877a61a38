// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_STRENCODINGS_H
#define HPIPS_UTIL_STRENCODINGS_H

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {

/** Lower-case hex of the bytes, in order. */
std::string HexStr(std::span<const uint8_t> bytes);

/** Parses an even-length hex string (either case, no prefix, no spaces).
 *  Returns nullopt on any other character or an odd length. */
std::optional<std::vector<uint8_t>> ParseHex(std::string_view hex);

/** True when every character is a hex digit and the length is even. */
bool IsHex(std::string_view str);

/** Parses a decimal integer in [min, max] without locale, sign rules of
 *  std::from_chars (a leading '-' only), no leading '+', no spaces. */
std::optional<int64_t> ParseInt64(std::string_view str, int64_t min, int64_t max);

/** Byte view of a string's characters. */
inline std::span<const uint8_t> StringBytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

}  // namespace hpips

#endif  // HPIPS_UTIL_STRENCODINGS_H
