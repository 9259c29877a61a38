// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_SERIALIZE_H
#define HPIPS_UTIL_SERIALIZE_H

#include <util/result.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <cstring>
#include <limits>
#include <span>
#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

/**
 * Strict binary serialization shared by every wire and disk format.
 *
 * Encoding rules (doc/serialization.md has the full text):
 *  - fixed-width integers are little-endian, two's complement for signed;
 *  - CompactSize is Bitcoin's variable-length count (1, 3, 5 or 9 bytes); a
 *    decoder accepts only the shortest encoding of a value;
 *  - a byte vector is CompactSize(length) followed by the bytes; a vector of
 *    objects is CompactSize(count) followed by each object.
 *
 * A Reader never allocates more than its remaining input could hold: every
 * length is checked against the caller's maximum and against the bytes left
 * before any container is sized.
 *
 * Errors: Reader functions throw SerializeError. The exception is an internal
 * mechanism of a decoder: every public decoding function catches it at its
 * boundary (see Decode below) and returns a Result, so no exception crosses a
 * module boundary.
 */
namespace hpips {

/** Thrown by Reader on malformed input; caught by Decode(). */
class SerializeError : public std::runtime_error {
public:
    explicit SerializeError(const std::string& what) : std::runtime_error{what} {}
};

/** Largest CompactSize encoded in one byte. */
constexpr uint8_t COMPACT_SIZE_MAX_ONE_BYTE = 0xfc;
/** First byte announcing a 2-byte, 4-byte or 8-byte little-endian value. */
constexpr uint8_t COMPACT_SIZE_U16_MARKER = 0xfd;
constexpr uint8_t COMPACT_SIZE_U32_MARKER = 0xfe;
constexpr uint8_t COMPACT_SIZE_U64_MARKER = 0xff;

/** Appends encodings to a growing byte vector. Never fails. */
class Writer {
public:
    /** An empty writer. */
    Writer() = default;
    /** Starts with capacity for `expected_size` bytes (a hint only). */
    explicit Writer(size_t expected_size) { m_data.reserve(expected_size); }

    /** One byte. */
    void WriteU8(uint8_t v) { m_data.push_back(v); }
    /** Little-endian, 2 bytes. */
    void WriteU16(uint16_t v) { WriteLE(v); }
    /** Little-endian, 4 bytes. */
    void WriteU32(uint32_t v) { WriteLE(v); }
    /** Little-endian, 8 bytes. */
    void WriteU64(uint64_t v) { WriteLE(v); }
    /** Two's complement, little-endian. */
    void WriteI32(int32_t v) { WriteLE(static_cast<uint32_t>(v)); }
    /** Two's complement, little-endian. */
    void WriteI64(int64_t v) { WriteLE(static_cast<uint64_t>(v)); }

    /** Shortest CompactSize encoding of `v`. */
    void WriteCompactSize(uint64_t v)
    {
        if (v <= COMPACT_SIZE_MAX_ONE_BYTE) {
            WriteU8(static_cast<uint8_t>(v));
        } else if (v <= std::numeric_limits<uint16_t>::max()) {
            WriteU8(COMPACT_SIZE_U16_MARKER);
            WriteU16(static_cast<uint16_t>(v));
        } else if (v <= std::numeric_limits<uint32_t>::max()) {
            WriteU8(COMPACT_SIZE_U32_MARKER);
            WriteU32(static_cast<uint32_t>(v));
        } else {
            WriteU8(COMPACT_SIZE_U64_MARKER);
            WriteU64(v);
        }
    }

    /** The bytes as they are, with no length (fixed-size fields). */
    void WriteBytes(std::span<const uint8_t> bytes) { m_data.insert(m_data.end(), bytes.begin(), bytes.end()); }
    /** The 32 bytes in storage order. */
    void WriteUint256(const uint256& v) { WriteBytes(v.span()); }
    /** CompactSize(length) then the bytes. */
    void WriteByteVector(std::span<const uint8_t> bytes)
    {
        WriteCompactSize(bytes.size());
        WriteBytes(bytes);
    }
    /** CompactSize(count) then `write_one(*this, element)` for each element. */
    template <typename T, typename F>
    void WriteVector(std::span<const T> elements, F&& write_one)
    {
        WriteCompactSize(elements.size());
        for (const T& element : elements) write_one(*this, element);
    }

    /** Bytes written so far. */
    size_t size() const { return m_data.size(); }
    /** The bytes written so far. */
    const std::vector<uint8_t>& data() const { return m_data; }
    /** Moves the bytes out; the Writer is empty afterwards. */
    std::vector<uint8_t> Take() { return std::exchange(m_data, {}); }

private:
    template <typename U>
    void WriteLE(U v)
    {
        static_assert(std::is_unsigned_v<U>);
        for (size_t i = 0; i < sizeof(U); ++i) m_data.push_back(static_cast<uint8_t>(v >> (8 * i)));
    }

    std::vector<uint8_t> m_data;
};

/** Reads encodings from a byte span it does not own, front to back. Throws
 *  SerializeError on truncation, a non-canonical CompactSize or a length above
 *  the caller's maximum. */
class Reader {
public:
    /** Reads `input`, which must outlive the Reader. */
    explicit Reader(std::span<const uint8_t> input) : m_input{input} {}

    /** Fixed-width integers, little-endian (two's complement for signed). */
    uint8_t ReadU8() { return Take(1)[0]; }
    /** @copydoc ReadU8 */
    uint16_t ReadU16() { return ReadLE<uint16_t>(); }
    /** @copydoc ReadU8 */
    uint32_t ReadU32() { return ReadLE<uint32_t>(); }
    /** @copydoc ReadU8 */
    uint64_t ReadU64() { return ReadLE<uint64_t>(); }
    /** @copydoc ReadU8 */
    int32_t ReadI32() { return static_cast<int32_t>(ReadLE<uint32_t>()); }
    /** @copydoc ReadU8 */
    int64_t ReadI64() { return static_cast<int64_t>(ReadLE<uint64_t>()); }

    /** A CompactSize in its shortest encoding whose value is at most `max`.
     *  Throws "non-canonical CompactSize" for a longer encoding than needed. */
    uint64_t ReadCompactSize(uint64_t max)
    {
        const uint8_t first = ReadU8();
        uint64_t value{first};
        if (first == COMPACT_SIZE_U16_MARKER) {
            value = ReadU16();
            if (value <= COMPACT_SIZE_MAX_ONE_BYTE) throw SerializeError{"non-canonical CompactSize"};
        } else if (first == COMPACT_SIZE_U32_MARKER) {
            value = ReadU32();
            if (value <= std::numeric_limits<uint16_t>::max()) throw SerializeError{"non-canonical CompactSize"};
        } else if (first == COMPACT_SIZE_U64_MARKER) {
            value = ReadU64();
            if (value <= std::numeric_limits<uint32_t>::max()) throw SerializeError{"non-canonical CompactSize"};
        }
        if (value > max) {
            throw SerializeError{"CompactSize " + std::to_string(value) + " exceeds maximum " + std::to_string(max)};
        }
        return value;
    }

    /** The next `n` bytes, as a view into the input. */
    std::span<const uint8_t> ReadBytes(size_t n) { return Take(n); }
    /** The next N bytes copied into an array. */
    template <size_t N>
    std::array<uint8_t, N> ReadArray()
    {
        std::array<uint8_t, N> out;
        const auto bytes = Take(N);
        std::memcpy(out.data(), bytes.data(), N);
        return out;
    }
    /** 32 bytes in storage order. */
    uint256 ReadUint256() { return uint256{ReadArray<uint256::SIZE>()}; }

    /** CompactSize(length) then that many bytes; the length must not exceed
     *  `max_length` nor the bytes left (checked before allocating). */
    std::vector<uint8_t> ReadByteVector(size_t max_length)
    {
        const size_t length = ReadLength(max_length);
        const auto bytes = Take(length);
        return {bytes.begin(), bytes.end()};
    }

    /** CompactSize(count) then `count` objects read by `read_one(*this)`.
     *  The count must not exceed `max_count`, and since every element takes
     *  at least `min_element_size` (>= 1) bytes, a count the remaining input
     *  cannot hold is rejected as truncated before anything is allocated. */
    template <typename F>
    auto ReadVector(size_t max_count, size_t min_element_size, F&& read_one)
        -> std::vector<std::invoke_result_t<F&, Reader&>>
    {
        const size_t count = ReadLength(max_count);
        if (min_element_size == 0) throw std::logic_error{"ReadVector: min_element_size must be positive"};
        if (count > Remaining() / min_element_size) throw SerializeError{"truncated"};
        std::vector<std::invoke_result_t<F&, Reader&>> out;
        out.reserve(count);
        for (size_t i = 0; i < count; ++i) out.push_back(read_one(*this));
        return out;
    }

    /** Bytes not yet read. */
    size_t Remaining() const { return m_input.size() - m_pos; }
    /** True when every byte has been read. */
    bool AtEnd() const { return Remaining() == 0; }
    /** Throws "trailing bytes" unless every byte has been read. */
    void Finish() const
    {
        if (!AtEnd()) throw SerializeError{"trailing bytes"};
    }

private:
    std::span<const uint8_t> Take(size_t n)
    {
        if (n > Remaining()) throw SerializeError{"truncated"};
        const auto out = m_input.subspan(m_pos, n);
        m_pos += n;
        return out;
    }

    template <typename U>
    U ReadLE()
    {
        const auto bytes = Take(sizeof(U));
        U v{0};
        for (size_t i = 0; i < sizeof(U); ++i) v |= static_cast<U>(static_cast<U>(bytes[i]) << (8 * i));
        return v;
    }

    /** A CompactSize used as a length: bounded by `max_length`, then (for
     *  byte vectors) by the bytes left. */
    size_t ReadLength(size_t max_length)
    {
        const uint64_t length = ReadCompactSize(std::numeric_limits<uint64_t>::max());
        if (length > max_length) {
            throw SerializeError{"vector length " + std::to_string(length) + " exceeds maximum " +
                                 std::to_string(max_length)};
        }
        if (length > Remaining()) throw SerializeError{"truncated"};
        return static_cast<size_t>(length);
    }

    std::span<const uint8_t> m_input;
    size_t m_pos{0};
};

/** The decode boundary: runs `read(reader)` over the whole input, requires
 *  that every byte was consumed, and turns any SerializeError into an Error
 *  whose message is the reason ("truncated", "trailing bytes", ...). */
template <typename F>
auto Decode(std::span<const uint8_t> input, F&& read) -> Result<std::invoke_result_t<F&, Reader&>>
{
    Reader reader{input};
    try {
        auto value = read(reader);
        reader.Finish();
        return value;
    } catch (const SerializeError& e) {
        return Error{e.what()};
    }
}

}  // namespace hpips

#endif  // HPIPS_UTIL_SERIALIZE_H
