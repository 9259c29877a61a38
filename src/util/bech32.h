// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_BECH32_H
#define HPIPS_UTIL_BECH32_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/** Bech32 (BIP-173) and bech32m (BIP-350) strings: a human-readable part
 *  (HRP), the separator '1', and data characters of 5 bits each, the last six
 *  of which are a BCH checksum over the HRP and the data. The two encodings
 *  differ only in the constant the checksum is XORed with.
 *
 *  Hand-written: Debian ships no C++ bech32 library. Pure functions, no
 *  allocation beyond the returned values, safe to call from any thread. */
namespace hpips::bech32 {

/** Which checksum constant a string uses. */
enum class Encoding {
    BECH32,  //!< BIP-173: constant 1.
    BECH32M, //!< BIP-350: constant 0x2bc830a3.
};

/** Longest valid string, separator and checksum included (BIP-173). */
constexpr size_t MAX_LENGTH = 90;
/** Number of checksum characters at the end of every string. */
constexpr size_t CHECKSUM_SIZE = 6;
/** Longest HRP: MAX_LENGTH minus the separator and the checksum. */
constexpr size_t MAX_HRP_LENGTH = MAX_LENGTH - 1 - CHECKSUM_SIZE;
/** Most substitution errors LocateErrors reports. The code has distance 5
 *  over strings of at most MAX_LENGTH characters, so up to two substitutions
 *  are located uniquely; more would be guesses. */
constexpr size_t MAX_LOCATED_ERRORS = 2;

/** How a Decode ended. */
enum class Status {
    OK,             //!< Valid string; encoding, hrp and data are set.
    BAD_FORMAT,     //!< Length, case, separator or character error.
    BAD_CHECKSUM,   //!< Well formed, but the checksum matches neither encoding.
};

/** The outcome of Decode. On success `status == OK`, `encoding` says which
 *  checksum matched, `hrp` is lower case and `data` holds the 5-bit values
 *  without the checksum. On failure `error` says why and `error_positions`
 *  lists 0-based indices into the input string of the characters at fault
 *  (an invalid character, or the located typos of a bad checksum; empty when
 *  they cannot be told). For BAD_CHECKSUM `hrp` is still set, so a caller can
 *  report a wrong network before a typo. */
struct DecodeResult {
    Status status{Status::BAD_FORMAT};
    Encoding encoding{Encoding::BECH32};
    std::string hrp;
    std::vector<uint8_t> data;
    std::string error;
    std::vector<size_t> error_positions;

    /** True when status == OK. */
    bool IsValid() const { return status == Status::OK; }
};

/** Encodes `hrp` and 5-bit `values` with the checksum of `encoding`.
 *  Returns the lower-case string, or an empty string when the HRP is empty,
 *  too long, has a character outside 33..126 or upper case, a value is above
 *  31, or the result would exceed MAX_LENGTH. */
std::string Encode(Encoding encoding, std::string_view hrp, std::span<const uint8_t> values);

/** Decodes and validates `str` (all upper or all lower case) and detects
 *  which encoding its checksum uses. On a bad checksum the located errors are
 *  those of the encoding needing fewer substitutions (bech32m on a tie). */
DecodeResult Decode(std::string_view str);

/** For a string whose checksum fails, the 0-based positions (ascending) of at
 *  most MAX_LOCATED_ERRORS data or checksum characters whose substitution
 *  would make it valid under `encoding`. Returns nullopt when the string is
 *  malformed or no such correction exists (more errors, or an error in the
 *  HRP, which this method does not locate); an empty vector when the
 *  checksum is already valid. */
std::optional<std::vector<size_t>> LocateErrors(std::string_view str, Encoding encoding);

/** Regroups bits: `from_bits`-bit values (each below 2^from_bits) into
 *  `to_bits`-bit values, most significant bits first. With `pad` a final
 *  partial group is zero-filled (encoding); without it, leftover bits must be
 *  fewer than `from_bits` and all zero (decoding), as BIP-173 requires.
 *  Returns nullopt on an out-of-range input value or bad padding.
 *  Bit widths must be in 1..8. */
std::optional<std::vector<uint8_t>> ConvertBits(std::span<const uint8_t> values, int from_bits, int to_bits, bool pad);

}  // namespace hpips::bech32

#endif  // HPIPS_UTIL_BECH32_H
