// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_BIP39_H
#define HPIPS_CRYPTO_BIP39_H

#include <util/result.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {

/** BIP-39 mnemonic backup with the English word list only.
 *
 *  Text rules (stricter than BIP-39's reference code, so that any mnemonic
 *  EntropyFromMnemonic accepts is already the exact string the seed hashes):
 *  lower-case words from the English list separated by exactly one ASCII space
 *  (0x20), no leading or trailing whitespace. A user interface that wants to
 *  be lenient normalises before calling.
 *
 *  Unicode: BIP-39 hashes the NFKD form of mnemonic and passphrase. Only ASCII
 *  is supported, for which NFKD is the identity; SeedFromMnemonic rejects any
 *  other byte rather than silently derive a seed other wallets would not.
 *
 *  Returned entropy, mnemonics and seeds are secrets the caller must wipe
 *  (MemoryCleanse) when done; internal temporaries are wiped here. */

/** Number of words in a BIP-39 word list (11 bits per word). */
inline constexpr size_t BIP39_WORDLIST_SIZE = 2048;
/** Bits carried by one word. */
inline constexpr size_t BIP39_BITS_PER_WORD = 11;
/** Entropy sizes BIP-39 allows: 128 to 256 bits in steps of 32. */
inline constexpr size_t BIP39_MIN_ENTROPY_SIZE = 16;
inline constexpr size_t BIP39_MAX_ENTROPY_SIZE = 32;
inline constexpr size_t BIP39_ENTROPY_SIZE_STEP = 4;
/** Seed size (PBKDF2-HMAC-SHA512 output) and iteration count from BIP-39. */
inline constexpr size_t BIP39_SEED_SIZE = 64;
inline constexpr uint32_t BIP39_PBKDF2_ROUNDS = 2048;
/** Longest mnemonic text accepted: 24 words of at most 8 letters plus
 *  spaces fit in 215 characters; anything longer is rejected before parsing. */
inline constexpr size_t BIP39_MAX_MNEMONIC_LENGTH = 256;
/** Longest passphrase accepted (bytes), a bound on untrusted input. */
inline constexpr size_t BIP39_MAX_PASSPHRASE_LENGTH = 1024;

/** The English word list, sorted, embedded from bip39-english.txt by
 *  contrib/gen-bip39-wordlist.py (defined in bip39_english.cpp). */
const std::array<std::string_view, BIP39_WORDLIST_SIZE>& Bip39EnglishWordlist();

/** The mnemonic for 16, 20, 24, 28 or 32 bytes of entropy (12 to 24 words):
 *  the entropy followed by the first size/4 bits of its SHA-256, cut into
 *  11-bit word indexes. Errors for any other size. */
Result<std::string> MnemonicFromEntropy(std::span<const uint8_t> entropy);

/** Validates a mnemonic (text rules above) and returns its entropy. Errors,
 *  each with a clear message: text too long or badly spaced, a word count
 *  other than 12/15/18/21/24, an unknown word (quoted, with its 1-based
 *  position), or a checksum mismatch. */
Result<std::vector<uint8_t>> EntropyFromMnemonic(std::string_view mnemonic);

/** The BIP-39 seed: PBKDF2-HMAC-SHA512(password = mnemonic, salt = "mnemonic"
 *  + passphrase, 2048 rounds, 64 bytes). As BIP-39 specifies, the mnemonic is
 *  not validated here (call EntropyFromMnemonic first to check it); it is
 *  hashed exactly as given. Errors when either string is not pure ASCII (see
 *  above) or exceeds its length bound. */
Result<std::array<uint8_t, BIP39_SEED_SIZE>> SeedFromMnemonic(std::string_view mnemonic, std::string_view passphrase);

}  // namespace hpips

#endif  // HPIPS_CRYPTO_BIP39_H
