// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/bip39.h>

#include <crypto/cleanse.h>
#include <crypto/pbkdf2.h>
#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <algorithm>

namespace hpips {
namespace {

constexpr std::string_view SALT_PREFIX{"mnemonic"};
constexpr char SEPARATOR{' '};
/** 24 words carry 264 bits: 256 of entropy and 8 of checksum. */
constexpr size_t MAX_WORDS{(BIP39_MAX_ENTROPY_SIZE * 8 + BIP39_MAX_ENTROPY_SIZE / 4) / BIP39_BITS_PER_WORD};
constexpr size_t MAX_BITS_BYTES{BIP39_MAX_ENTROPY_SIZE + 1};

bool ValidEntropySize(size_t size)
{
    return size >= BIP39_MIN_ENTROPY_SIZE && size <= BIP39_MAX_ENTROPY_SIZE && size % BIP39_ENTROPY_SIZE_STEP == 0;
}

/** Entropy followed by its checksum byte(s); wiped on destruction. Only the
 *  first size/4 bits of the checksum byte are meaningful (at most 8). */
struct EntropyBits {
    std::array<uint8_t, MAX_BITS_BYTES> data{};
    ~EntropyBits() { MemoryCleanse(data.data(), data.size()); }

    bool Bit(size_t i) const { return (data[i / 8] >> (7 - i % 8)) & 1; }
    void SetBit(size_t i) { data[i / 8] = static_cast<uint8_t>(data[i / 8] | (0x80 >> (i % 8))); }
};

uint8_t ChecksumByte(std::span<const uint8_t> entropy)
{
    const uint256 hash{Sha256Hash(entropy)};
    return hash.data()[0];
}

bool IsAscii(std::string_view s)
{
    return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

}  // namespace

Result<std::string> MnemonicFromEntropy(std::span<const uint8_t> entropy)
{
    if (!ValidEntropySize(entropy.size())) return Error{"entropy must be 16, 20, 24, 28 or 32 bytes"};
    EntropyBits bits;
    std::copy(entropy.begin(), entropy.end(), bits.data.begin());
    bits.data[entropy.size()] = ChecksumByte(entropy);
    const size_t total_bits{entropy.size() * 8 + entropy.size() / 4};
    const auto& words{Bip39EnglishWordlist()};
    std::string mnemonic;
    mnemonic.reserve(BIP39_MAX_MNEMONIC_LENGTH);  // no reallocation leaves partial copies behind
    for (size_t word_start{0}; word_start < total_bits; word_start += BIP39_BITS_PER_WORD) {
        size_t index{0};
        for (size_t i{0}; i < BIP39_BITS_PER_WORD; ++i) index = (index << 1) | (bits.Bit(word_start + i) ? 1 : 0);
        if (!mnemonic.empty()) mnemonic.push_back(SEPARATOR);
        mnemonic.append(words[index]);
    }
    return mnemonic;
}

Result<std::vector<uint8_t>> EntropyFromMnemonic(std::string_view mnemonic)
{
    if (mnemonic.size() > BIP39_MAX_MNEMONIC_LENGTH) return Error{"mnemonic too long"};
    // Split on single spaces; an empty piece means a doubled, leading or
    // trailing space.
    std::array<std::string_view, MAX_WORDS + 1> pieces{};
    size_t count{0};
    for (std::string_view rest{mnemonic};;) {
        const size_t end{std::min(rest.find(SEPARATOR), rest.size())};
        if (count == pieces.size()) return Error{"invalid word count: more than 24 words"};
        pieces[count++] = rest.substr(0, end);
        if (end == rest.size()) break;
        rest.remove_prefix(end + 1);
    }
    for (size_t i{0}; i < count; ++i) {
        if (pieces[i].empty()) {
            return Error{"words must be separated by single spaces with none leading or trailing"};
        }
    }
    if (count % 3 != 0 || count < 12 || count > MAX_WORDS) {
        return Error{"invalid word count " + std::to_string(count) + " (expected 12, 15, 18, 21 or 24)"};
    }

    const auto& words{Bip39EnglishWordlist()};
    EntropyBits bits;
    size_t bit{0};
    for (size_t w{0}; w < count; ++w) {
        const auto it{std::lower_bound(words.begin(), words.end(), pieces[w])};
        if (it == words.end() || *it != pieces[w]) {
            return Error{"unknown word '" + std::string{pieces[w]} + "' at position " + std::to_string(w + 1)};
        }
        const size_t index{static_cast<size_t>(it - words.begin())};
        for (size_t i{0}; i < BIP39_BITS_PER_WORD; ++i, ++bit) {
            if ((index >> (BIP39_BITS_PER_WORD - 1 - i)) & 1) bits.SetBit(bit);
        }
    }
    // count words carry count*11 bits: entropy of count*11*32/33 bits and a
    // checksum of count*11/33 bits.
    const size_t checksum_bits{count * BIP39_BITS_PER_WORD / 33};
    const size_t entropy_size{checksum_bits * 4};
    std::vector<uint8_t> entropy(bits.data.begin(), bits.data.begin() + entropy_size);
    const uint8_t mask{static_cast<uint8_t>(0xff << (8 - checksum_bits))};
    if ((ChecksumByte(entropy) & mask) != (bits.data[entropy_size] & mask)) {
        MemoryCleanse(entropy.data(), entropy.size());
        return Error{"mnemonic checksum mismatch (a word is wrong or the order is changed)"};
    }
    return entropy;
}

Result<std::array<uint8_t, BIP39_SEED_SIZE>> SeedFromMnemonic(std::string_view mnemonic, std::string_view passphrase)
{
    if (mnemonic.size() > BIP39_MAX_MNEMONIC_LENGTH) return Error{"mnemonic too long"};
    if (passphrase.size() > BIP39_MAX_PASSPHRASE_LENGTH) return Error{"passphrase too long"};
    if (!IsAscii(mnemonic) || !IsAscii(passphrase)) {
        return Error{"only ASCII mnemonics and passphrases are supported (no Unicode normalisation)"};
    }
    std::string salt;
    salt.reserve(SALT_PREFIX.size() + passphrase.size());
    salt.append(SALT_PREFIX).append(passphrase);
    std::array<uint8_t, BIP39_SEED_SIZE> seed{};
    Pbkdf2HmacSha512(StringBytes(mnemonic), StringBytes(salt), BIP39_PBKDF2_ROUNDS, seed);
    MemoryCleanse(salt.data(), salt.size());
    return seed;
}

}  // namespace hpips
