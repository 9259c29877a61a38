// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/uint256.h>

#include <util/strencodings.h>

#include <algorithm>

namespace hpips {

uint256 uint256::FromBytes(std::span<const uint8_t, SIZE> bytes)
{
    uint256 out;
    std::copy(bytes.begin(), bytes.end(), out.m_data.begin());
    return out;
}

std::optional<uint256> uint256::FromHex(std::string_view hex)
{
    if (hex.size() != 2 * SIZE) return std::nullopt;
    auto parsed = ParseHex(hex);
    if (!parsed) return std::nullopt;
    uint256 out;
    std::reverse_copy(parsed->begin(), parsed->end(), out.m_data.begin());
    return out;
}

std::string uint256::GetHex() const
{
    std::array<uint8_t, SIZE> reversed;
    std::reverse_copy(m_data.begin(), m_data.end(), reversed.begin());
    return HexStr(reversed);
}

std::string uint256::ToStorageHex() const { return HexStr(m_data); }

bool uint256::IsNull() const
{
    return std::all_of(m_data.begin(), m_data.end(), [](uint8_t b) { return b == 0; });
}

}  // namespace hpips
