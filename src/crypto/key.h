// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CRYPTO_KEY_H
#define HPIPS_CRYPTO_KEY_H

#include <util/uint256.h>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>

namespace hpips {

/** Size of a BIP-340 Schnorr signature (R.x || s). */
inline constexpr size_t SCHNORR_SIGNATURE_SIZE = 64;
/** Size of BIP-340's auxiliary randomness input. */
inline constexpr size_t SCHNORR_AUX_RAND_SIZE = 32;

/** A BIP-340 x-only public key: the 32-byte big-endian X coordinate of a
 *  secp256k1 point whose Y is even. Holds any 32 bytes (it is read from
 *  untrusted data); IsValid() says whether they are such a point. All
 *  operations go through libsecp256k1. Copyable value type. */
class XOnlyPubKey {
public:
    static constexpr size_t SIZE = 32;

    /** All zeros, which is not a valid key. */
    XOnlyPubKey() = default;
    /** Stores the bytes as they are; check IsValid() before trusting them. */
    explicit XOnlyPubKey(std::span<const uint8_t, SIZE> bytes);

    /** True when the bytes parse as an x-only key (X < p and on the curve). */
    bool IsValid() const;

    /** BIP-340 verification of sig64 over the 32-byte message. Returns false
     *  (never crashes) for an invalid key, a signature that is not exactly 64
     *  bytes, or a signature that does not verify. Thread-safe. */
    bool VerifySchnorr(const uint256& msg, std::span<const uint8_t> sig64) const;
    /** The same for a message of any length (BIP-340 allows it; HPIPS signs
     *  32-byte hashes, this exists for the BIP's variable-length vectors). */
    bool VerifySchnorr(std::span<const uint8_t> msg, std::span<const uint8_t> sig64) const;

    std::span<const uint8_t, SIZE> bytes() const { return std::span<const uint8_t, SIZE>{m_data}; }
    friend auto operator<=>(const XOnlyPubKey&, const XOnlyPubKey&) = default;
    friend bool operator==(const XOnlyPubKey&, const XOnlyPubKey&) = default;

private:
    std::array<uint8_t, SIZE> m_data{};
};

/** A compressed secp256k1 public key (33 bytes: 0x02 or 0x03, then X), as
 *  BIP-32 serializes and hashes keys. Always a valid point: the only ways to
 *  obtain one are Parse() and PrivKey::GetPubKey(). Copyable value type. */
class PubKey {
public:
    static constexpr size_t SIZE = 33;

    /** Parses exactly 33 bytes with prefix 0x02/0x03 and X on the curve;
     *  nullopt otherwise (uncompressed and hybrid encodings are refused). */
    static std::optional<PubKey> Parse(std::span<const uint8_t> bytes);

    /** This point plus tweak*G, the public half of BIP-32 CKDpub. nullopt when
     *  tweak >= n or the sum is the point at infinity (probability ~2^-127
     *  for hash-derived tweaks). */
    std::optional<PubKey> TweakAdd(std::span<const uint8_t, 32> tweak) const;

    /** The x-only form (drops the parity), as BIP-340 signs with. */
    XOnlyPubKey GetXOnlyPubKey() const;

    std::span<const uint8_t, SIZE> bytes() const { return std::span<const uint8_t, SIZE>{m_data}; }
    friend auto operator<=>(const PubKey&, const PubKey&) = default;
    friend bool operator==(const PubKey&, const PubKey&) = default;

private:
    PubKey() = default;
    friend class PrivKey;
    std::array<uint8_t, SIZE> m_data{};
};

/** A secp256k1 secret key: 32 big-endian bytes in [1, n-1], always valid by
 *  construction. The bytes are wiped (MemoryCleanse) on destruction.
 *  Not implicitly copyable, so secrets are not duplicated by accident; use
 *  Clone() when a copy is really wanted. Moving copies the bytes and the
 *  moved-from object stays a valid key until it is destroyed (and wiped).
 *  Signing uses one process-wide libsecp256k1 context (SECP256K1_CONTEXT_NONE,
 *  randomized once at creation against side channels). Thread-safe for
 *  const use. */
class PrivKey {
public:
    static constexpr size_t SIZE = 32;

    /** nullopt unless bytes is exactly 32 bytes encoding a value in [1, n-1]. */
    static std::optional<PrivKey> FromBytes(std::span<const uint8_t> bytes);
    /** A fresh key from GetStrongRandBytes (retrying the ~2^-128 out-of-range
     *  draws). */
    static PrivKey Generate();

    ~PrivKey();
    PrivKey(PrivKey&&) noexcept = default;
    PrivKey& operator=(PrivKey&&) noexcept = default;
    PrivKey(const PrivKey&) = delete;
    PrivKey& operator=(const PrivKey&) = delete;
    /** An explicit copy; both copies are wiped when destroyed. */
    PrivKey Clone() const;

    /** The BIP-340 public key (x-only). */
    XOnlyPubKey GetXOnlyPubKey() const;
    /** The compressed public key (BIP-32). */
    PubKey GetPubKey() const;

    /** BIP-340 signature of the 32-byte msg with the given auxiliary
     *  randomness (pass 32 fresh random bytes; fixed bytes give the BIP's
     *  deterministic test signatures). The signature is verified before it is
     *  returned, so a fault cannot leak a bad signature. */
    std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignSchnorr(const uint256& msg,
                                                            std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_rand) const;
    /** The same for a message of any length (see XOnlyPubKey::VerifySchnorr). */
    std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignSchnorr(std::span<const uint8_t> msg,
                                                            std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_rand) const;

    /** (this + tweak) mod n, the private half of BIP-32 CKDpriv. nullopt when
     *  tweak >= n or the sum is zero (probability ~2^-127 for hash-derived
     *  tweaks). */
    std::optional<PrivKey> TweakAdd(std::span<const uint8_t, 32> tweak) const;

    /** The secret bytes, for serialization (BIP-32) only. */
    std::span<const uint8_t, SIZE> bytes() const { return std::span<const uint8_t, SIZE>{m_data}; }

private:
    PrivKey() = default;
    /** Shared by both SignSchnorr overloads: builds the keypair, calls
     *  signer(sig, keypair), verifies the result. */
    template <typename Signer>
    std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignSchnorrImpl(std::span<const uint8_t> msg,
                                                                const Signer& signer) const;
    std::array<uint8_t, SIZE> m_data{};
};

}  // namespace hpips

#endif  // HPIPS_CRYPTO_KEY_H
