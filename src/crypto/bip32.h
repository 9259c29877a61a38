// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_BIP32_H
#define HPIPS_CRYPTO_BIP32_H

#include <crypto/key.h>
#include <util/result.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {

/** BIP-32 hierarchical deterministic keys over secp256k1.
 *
 *  HPIPS keeps BIP-32 byte for byte, including the master-key HMAC key
 *  "Bitcoin seed" and Bitcoin mainnet's Base58Check version bytes (xprv
 *  0x0488ADE4, xpub 0x0488B21E): the standard test vectors and existing
 *  wallets/hardware then work unchanged, and an HPIPS-specific prefix would
 *  buy no safety (extended keys are never addresses). Keys are extended keys
 *  only; addresses derive from the x-only form elsewhere.
 *
 *  Secrets (private keys, private chain codes, the HMAC outputs) are wiped
 *  when their holders are destroyed; strings returned by ExtKey::ToString()
 *  cannot be wiped and are the caller's responsibility. */

/** Set in a child index to request hardened derivation ("'" or "h" in paths). */
inline constexpr uint32_t BIP32_HARDENED = 0x80000000;
/** Deepest key BIP-32 can serialize: depth is one byte. */
inline constexpr uint32_t BIP32_MAX_DEPTH = 255;
/** Seed length bounds from BIP-32 (128 to 512 bits). */
inline constexpr size_t BIP32_MIN_SEED_SIZE = 16;
inline constexpr size_t BIP32_MAX_SEED_SIZE = 64;
/** Serialized extended key: version 4, depth 1, parent fingerprint 4, child
 *  index 4, chain code 32, key 33. */
inline constexpr size_t BIP32_EXTKEY_SIZE = 78;
/** Longest path string accepted: "m" plus 255 components of at most 12
 *  characters ("/2147483647h"), rounded up. */
inline constexpr size_t BIP32_MAX_PATH_LENGTH = 4096;
/** Version bytes of Bitcoin mainnet extended keys (see above for why). */
inline constexpr std::array<uint8_t, 4> BIP32_XPRV_VERSION{0x04, 0x88, 0xAD, 0xE4};
inline constexpr std::array<uint8_t, 4> BIP32_XPUB_VERSION{0x04, 0x88, 0xB2, 0x1E};

/** First 4 bytes of HASH160 of a compressed public key. */
using Bip32Fingerprint = std::array<uint8_t, 4>;
/** The 32-byte chain code that extends a key. */
using Bip32ChainCode = std::array<uint8_t, 32>;

/** Parses a derivation path "m", "m/0'/1/2h", ...: "m", then components
 *  "/<index>" with an optional hardened marker "'", "h" or "H". An index is
 *  decimal digits without sign, spaces or leading zeros, below 2^31 before
 *  the hardened bit is added; at most BIP32_MAX_DEPTH components and
 *  BIP32_MAX_PATH_LENGTH characters. Returns the child indexes in order. */
Result<std::vector<uint32_t>> ParseBip32Path(std::string_view path);

/** A public extended key (xpub): derives normal children only. Copyable. */
class ExtPubKey {
public:
    /** Decodes an xpub: Base58Check, exactly 78 bytes, xpub version, depth 0
     *  only with a zero parent fingerprint and child index, key a valid
     *  compressed point. */
    static Result<ExtPubKey> FromString(std::string_view str);
    /** Base58Check "xpub..." form. */
    std::string ToString() const;
    /** The 78-byte serialization. */
    std::array<uint8_t, BIP32_EXTKEY_SIZE> Serialize() const;

    /** CKDpub. Errors for a hardened index, depth 255, or the ~2^-127 case of
     *  an invalid child (BIP-32 then says to use the next index; the caller
     *  decides). */
    Result<ExtPubKey> Derive(uint32_t index) const;
    /** Applies ParseBip32Path(path) starting from this key ("m" is this key). */
    Result<ExtPubKey> DerivePath(std::string_view path) const;

    /** This key's own fingerprint (its children's parent fingerprint). */
    Bip32Fingerprint GetFingerprint() const;
    uint8_t GetDepth() const { return m_depth; }
    const Bip32Fingerprint& GetParentFingerprint() const { return m_parent_fingerprint; }
    uint32_t GetChildIndex() const { return m_child_index; }
    const Bip32ChainCode& GetChainCode() const { return m_chain_code; }
    const PubKey& GetPubKey() const { return m_pubkey; }

    friend bool operator==(const ExtPubKey&, const ExtPubKey&) = default;

private:
    friend class ExtKey;
    ExtPubKey(uint8_t depth, const Bip32Fingerprint& parent_fingerprint, uint32_t child_index,
              const Bip32ChainCode& chain_code, const PubKey& pubkey);

    uint8_t m_depth;
    Bip32Fingerprint m_parent_fingerprint;
    uint32_t m_child_index;
    Bip32ChainCode m_chain_code;
    PubKey m_pubkey;
};

/** A private extended key (xprv). Move-only like PrivKey (Clone() copies);
 *  the chain code is wiped on destruction, the key by PrivKey. */
class ExtKey {
public:
    /** The master key: HMAC-SHA512(key "Bitcoin seed", seed). Errors when the
     *  seed is outside [BIP32_MIN_SEED_SIZE, BIP32_MAX_SEED_SIZE] bytes or, with
     *  probability ~2^-127, the result is not a valid key. */
    static Result<ExtKey> FromSeed(std::span<const uint8_t> seed);
    /** Decodes an xprv: Base58Check, exactly 78 bytes, xprv version, depth 0
     *  only with a zero parent fingerprint and child index, key byte 0x00
     *  followed by a private key in [1, n-1]. */
    static Result<ExtKey> FromString(std::string_view str);
    /** Base58Check "xprv..." form. Contains the secret. */
    std::string ToString() const;

    ~ExtKey();
    ExtKey(ExtKey&&) noexcept = default;
    ExtKey& operator=(ExtKey&&) noexcept = default;
    ExtKey(const ExtKey&) = delete;
    ExtKey& operator=(const ExtKey&) = delete;
    /** An explicit copy. */
    ExtKey Clone() const;

    /** CKDpriv, hardened when index has BIP32_HARDENED set. Errors at depth
     *  255 or in the ~2^-127 case of an invalid child (see ExtPubKey::Derive). */
    Result<ExtKey> Derive(uint32_t index) const;
    /** Applies ParseBip32Path(path) starting from this key ("m" is this key). */
    Result<ExtKey> DerivePath(std::string_view path) const;
    /** The matching public extended key (N() in BIP-32). */
    ExtPubKey Neuter() const;

    Bip32Fingerprint GetFingerprint() const;
    uint8_t GetDepth() const { return m_depth; }
    const Bip32Fingerprint& GetParentFingerprint() const { return m_parent_fingerprint; }
    uint32_t GetChildIndex() const { return m_child_index; }
    const Bip32ChainCode& GetChainCode() const { return m_chain_code; }
    const PrivKey& GetPrivKey() const { return m_key; }

private:
    ExtKey(uint8_t depth, const Bip32Fingerprint& parent_fingerprint, uint32_t child_index,
           const Bip32ChainCode& chain_code, PrivKey key);

    uint8_t m_depth;
    Bip32Fingerprint m_parent_fingerprint;
    uint32_t m_child_index;
    Bip32ChainCode m_chain_code;
    PrivKey m_key;
};

}  // namespace hpips

#endif  // HPIPS_CRYPTO_BIP32_H
