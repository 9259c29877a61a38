// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/base58.h>

#include <crypto/sha256.h>

#include <algorithm>
#include <array>
#include <limits>

namespace hpips {
namespace {

constexpr std::string_view ALPHABET{"123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"};
constexpr int BASE{58};

/** Digit value of each ASCII character, -1 when it is not in the alphabet. */
constexpr std::array<int8_t, 256> MakeDigitTable()
{
    std::array<int8_t, 256> table{};
    table.fill(-1);
    for (size_t i{0}; i < ALPHABET.size(); ++i) table[static_cast<uint8_t>(ALPHABET[i])] = static_cast<int8_t>(i);
    return table;
}
constexpr std::array<int8_t, 256> DIGITS{MakeDigitTable()};

/** Longest Base58 string that can decode to at most n bytes: one character per
 *  leading zero byte, and log(256)/log(58) < 1.37 characters per other byte
 *  plus one for rounding; 138/100 is a safe upper bound. */
size_t MaxEncodedLength(size_t n)
{
    if (n > (std::numeric_limits<size_t>::max() - 1) / 138) return std::numeric_limits<size_t>::max();
    return n * 138 / 100 + 1;
}

}  // namespace

std::string EncodeBase58(std::span<const uint8_t> input)
{
    const size_t zeros{static_cast<size_t>(std::find_if(input.begin(), input.end(), [](uint8_t b) { return b != 0; }) -
                                           input.begin())};
    // Base-58 digits of the number, least significant first.
    std::vector<uint8_t> digits;
    digits.reserve((input.size() - zeros) * 138 / 100 + 1);
    for (size_t i{zeros}; i < input.size(); ++i) {
        unsigned carry{input[i]};
        for (uint8_t& digit : digits) {
            carry += unsigned{digit} << 8;
            digit = static_cast<uint8_t>(carry % BASE);
            carry /= BASE;
        }
        while (carry > 0) {
            digits.push_back(static_cast<uint8_t>(carry % BASE));
            carry /= BASE;
        }
    }
    std::string out(zeros, ALPHABET[0]);
    out.reserve(zeros + digits.size());
    for (auto it{digits.rbegin()}; it != digits.rend(); ++it) out.push_back(ALPHABET[*it]);
    return out;
}

Result<std::vector<uint8_t>> DecodeBase58(std::string_view str, size_t max_ret_len)
{
    if (str.size() > MaxEncodedLength(max_ret_len)) return Error{"base58 string too long"};
    size_t zeros{0};
    while (zeros < str.size() && str[zeros] == ALPHABET[0]) ++zeros;
    if (zeros > max_ret_len) return Error{"base58 string decodes to too many bytes"};
    // Bytes of the number, least significant first.
    std::vector<uint8_t> bytes;
    for (size_t i{zeros}; i < str.size(); ++i) {
        const int value{DIGITS[static_cast<uint8_t>(str[i])]};
        if (value < 0) return Error{"invalid base58 character at position " + std::to_string(i)};
        unsigned carry{static_cast<unsigned>(value)};
        for (uint8_t& byte : bytes) {
            carry += unsigned{byte} * BASE;
            byte = static_cast<uint8_t>(carry & 0xff);
            carry >>= 8;
        }
        while (carry > 0) {
            bytes.push_back(static_cast<uint8_t>(carry & 0xff));
            carry >>= 8;
        }
        if (zeros + bytes.size() > max_ret_len) return Error{"base58 string decodes to too many bytes"};
    }
    std::vector<uint8_t> out(zeros, 0);
    out.insert(out.end(), bytes.rbegin(), bytes.rend());
    return out;
}

std::string EncodeBase58Check(std::span<const uint8_t> payload)
{
    std::vector<uint8_t> data(payload.begin(), payload.end());
    const uint256 hash{Sha256d(payload)};
    data.insert(data.end(), hash.begin(), hash.begin() + BASE58_CHECKSUM_SIZE);
    return EncodeBase58(data);
}

Result<std::vector<uint8_t>> DecodeBase58Check(std::string_view str, size_t max_ret_len)
{
    const size_t max_with_checksum{max_ret_len > std::numeric_limits<size_t>::max() - BASE58_CHECKSUM_SIZE
                                       ? std::numeric_limits<size_t>::max()
                                       : max_ret_len + BASE58_CHECKSUM_SIZE};
    auto decoded{DecodeBase58(str, max_with_checksum)};
    if (!decoded) return decoded.error();
    std::vector<uint8_t>& data{*decoded};
    if (data.size() < BASE58_CHECKSUM_SIZE) return Error{"base58check string too short for a checksum"};
    const size_t payload_size{data.size() - BASE58_CHECKSUM_SIZE};
    const uint256 hash{Sha256d(std::span<const uint8_t>{data.data(), payload_size})};
    if (!std::equal(hash.begin(), hash.begin() + BASE58_CHECKSUM_SIZE, data.begin() + payload_size)) {
        return Error{"base58check checksum mismatch"};
    }
    data.resize(payload_size);
    return std::move(data);
}

}  // namespace hpips
