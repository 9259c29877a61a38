// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_BASE58_H
#define HPIPS_CRYPTO_BASE58_H

#include <util/result.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {

/** Bytes of the Base58Check checksum: the first 4 bytes of SHA256d(payload). */
inline constexpr size_t BASE58_CHECKSUM_SIZE = 4;

/** Base58 with Bitcoin's alphabet
 *  "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz" (no 0, O, I, l).
 *  The input is read as a big-endian number written in base 58, and each
 *  leading zero byte becomes one leading '1'; the empty input encodes to "".
 *  The encoding is canonical: DecodeBase58(EncodeBase58(x)) == x and, for any
 *  string the decoder accepts, EncodeBase58(DecodeBase58(s)) == s.
 *  Hand-written (neither OpenSSL nor any Debian library offers Base58).
 *  Quadratic in the input length: meant for keys and addresses, not bulk data. */
std::string EncodeBase58(std::span<const uint8_t> input);

/** Decodes a Base58 string into at most max_ret_len bytes.
 *  Strict, unlike Bitcoin Core (which skips surrounding spaces): every
 *  character must be in the alphabet, so whitespace anywhere, including
 *  leading or trailing, is an error; trimming is the caller's choice.
 *  "" decodes to no bytes.
 *  Strings too long to decode within max_ret_len bytes are rejected before any
 *  arithmetic, so untrusted input costs at most O(max_ret_len^2) time. */
Result<std::vector<uint8_t>> DecodeBase58(std::string_view str, size_t max_ret_len);

/** Base58 of payload followed by its 4-byte checksum (first 4 bytes of
 *  SHA256d(payload)), as in Bitcoin's xprv/xpub and legacy addresses. */
std::string EncodeBase58Check(std::span<const uint8_t> payload);

/** Decodes a Base58Check string with the rules of DecodeBase58 and returns the
 *  payload (at most max_ret_len bytes, checksum removed). Errors when the
 *  string is malformed, too long, shorter than a checksum, or the checksum
 *  does not match. */
Result<std::vector<uint8_t>> DecodeBase58Check(std::string_view str, size_t max_ret_len);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_BASE58_H
