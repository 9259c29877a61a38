// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_MESSAGE_H
#define HPIPS_PRIMITIVES_MESSAGE_H

#include <crypto/key.h>
#include <primitives/destination.h>
#include <util/uint256.h>

#include <array>
#include <span>
#include <string_view>

/**
 * Signed messages (signmessage, signmessagewithprivkey, verifymessage;
 * doc/wallet.md, "Signed messages"). HPIPS addresses are x-only keys, so a
 * message signature is a BIP-340 Schnorr signature by the address's key over
 *
 *   MessageHash(m) = TaggedHash("HPIPS/message", m)
 *
 * (the BIP-340 tagged hash SHA256(SHA256(tag) || SHA256(tag) || m) of the
 * message's bytes as given, no length prefix: the tag already separates
 * these hashes from transaction signature hashes). The verifier needs no
 * public-key recovery: the key is the address's witness program. The
 * signature is 64 bytes (base64 in RPC: 88 characters).
 *
 * Pure functions; thread-safe.
 */
namespace hpips {

/** The tag of the message hash. */
inline constexpr std::string_view MESSAGE_HASH_TAG = "HPIPS/message";
/** Longest message verifymessage hashes (bytes); the RPC layer refuses
 *  longer ones before hashing. */
inline constexpr size_t MAX_MESSAGE_SIZE = 1 << 20;

/** TaggedHash(MESSAGE_HASH_TAG, message). */
uint256 MessageHash(std::string_view message);

/** BIP-340 signature of MessageHash(message) by `key` with fresh auxiliary
 *  randomness (signatures differ each time; each verifies). */
std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignMessage(const PrivKey& key, std::string_view message);

/** The same with the given auxiliary randomness (fixed test vectors). */
std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignMessage(const PrivKey& key, std::string_view message,
                                                        std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_rand);

/** True when `sig` is a 64-byte BIP-340 signature of MessageHash(message) by
 *  the key of the KEY destination `dest`; false for any other destination
 *  kind, a signature of another size, or one that does not verify. */
bool VerifyMessage(const Destination& dest, std::span<const uint8_t> sig, std::string_view message);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_MESSAGE_H
