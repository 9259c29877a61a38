// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_UINT256_H
#define HPIPS_UTIL_UINT256_H

#include <array>
#include <compare>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace hpips {

/** An opaque 256-bit value (a hash or an id), stored as 32 bytes in the order
 *  they are hashed and serialized. As in Bitcoin, its hex form (GetHex) shows
 *  the bytes reversed, so a hash read as a little-endian number prints with its
 *  most significant digit first. Arithmetic lives in primitives/target.h. */
class uint256 {
public:
    static constexpr size_t SIZE = 32;

    constexpr uint256() = default;
    constexpr explicit uint256(const std::array<uint8_t, SIZE>& bytes) : m_data{bytes} {}
    /** Copies exactly 32 bytes; the caller guarantees the size. */
    static uint256 FromBytes(std::span<const uint8_t, SIZE> bytes);

    /** Parses the reversed (display) hex form of exactly 64 digits. */
    static std::optional<uint256> FromHex(std::string_view hex);
    /** Reversed (display) hex, as RPC shows block hashes and txids. */
    std::string GetHex() const;
    /** Hex of the bytes in storage order. */
    std::string ToStorageHex() const;

    bool IsNull() const;
    void SetNull() { m_data.fill(0); }

    uint8_t* data() { return m_data.data(); }
    const uint8_t* data() const { return m_data.data(); }
    static constexpr size_t size() { return SIZE; }
    uint8_t* begin() { return m_data.data(); }
    uint8_t* end() { return m_data.data() + SIZE; }
    const uint8_t* begin() const { return m_data.data(); }
    const uint8_t* end() const { return m_data.data() + SIZE; }
    std::span<const uint8_t, SIZE> span() const { return std::span<const uint8_t, SIZE>{m_data}; }
    const std::array<uint8_t, SIZE>& bytes() const { return m_data; }

    /** Byte-wise order of the storage form: a stable key order for maps. */
    friend auto operator<=>(const uint256&, const uint256&) = default;
    friend bool operator==(const uint256&, const uint256&) = default;

private:
    std::array<uint8_t, SIZE> m_data{};
};

}  // namespace hpips

#endif  // HPIPS_UTIL_UINT256_H
