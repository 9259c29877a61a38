// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/message.h>

#include <crypto/random.h>
#include <crypto/sha256.h>
#include <util/strencodings.h>

namespace hpips {

uint256 MessageHash(std::string_view message) { return TaggedHash(MESSAGE_HASH_TAG, StringBytes(message)); }

std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignMessage(const PrivKey& key, std::string_view message,
                                                        std::span<const uint8_t, SCHNORR_AUX_RAND_SIZE> aux_rand)
{
    return key.SignSchnorr(MessageHash(message), aux_rand);
}

std::array<uint8_t, SCHNORR_SIGNATURE_SIZE> SignMessage(const PrivKey& key, std::string_view message)
{
    std::array<uint8_t, SCHNORR_AUX_RAND_SIZE> aux{};
    GetStrongRandBytes(aux);
    return SignMessage(key, message, aux);
}

bool VerifyMessage(const Destination& dest, std::span<const uint8_t> sig, std::string_view message)
{
    if (!dest.IsKey() || sig.size() != SCHNORR_SIGNATURE_SIZE) return false;
    const XOnlyPubKey key{std::span<const uint8_t, XOnlyPubKey::SIZE>{dest.payload.data(), XOnlyPubKey::SIZE}};
    return key.VerifySchnorr(MessageHash(message), sig);
}

}  // namespace hpips
