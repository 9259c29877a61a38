// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_DESTINATION_H
#define HPIPS_PRIMITIVES_DESTINATION_H

#include <crypto/key.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpips {

/** The kinds of destination an output can pay to. The encoding (kind byte,
 *  then a length-prefixed payload) is the same for every kind, so kinds added
 *  later — job escrow, result commitment, bond — never change how today's
 *  kinds are written. */
enum class DestinationKind : uint8_t {
    /** Pay to a BIP-340 x-only public key (payload: 32 bytes). The address of
     *  this kind is bech32m with witness version 1. */
    KEY = 1,
};

/** Largest destination payload the encoding accepts; consensus checks the
 *  exact size per kind. */
constexpr size_t MAX_DESTINATION_PAYLOAD = 256;

/** Size of an x-only public key. */
constexpr size_t XONLY_KEY_SIZE = 32;

/** Where an output's coins go: a kind and its payload bytes. A payload of a
 *  kind this software does not know still round-trips through serialization
 *  (consensus decides whether it is allowed). */
struct Destination {
    uint8_t kind{0};
    std::vector<uint8_t> payload;

    /** A KEY destination for a 32-byte x-only key. */
    static Destination ForKey(const std::array<uint8_t, XONLY_KEY_SIZE>& xonly_key)
    {
        return Destination{static_cast<uint8_t>(DestinationKind::KEY), {xonly_key.begin(), xonly_key.end()}};
    }
    /** True for a KEY destination with a 32-byte payload. */
    bool IsKey() const
    {
        return kind == static_cast<uint8_t>(DestinationKind::KEY) && payload.size() == XONLY_KEY_SIZE;
    }

    friend bool operator==(const Destination&, const Destination&) = default;
};

/** The KEY destination paying to a BIP-340 public key. */
inline Destination KeyDestination(const XOnlyPubKey& key)
{
    std::array<uint8_t, XONLY_KEY_SIZE> bytes;
    std::copy(key.bytes().begin(), key.bytes().end(), bytes.begin());
    return Destination::ForKey(bytes);
}

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_DESTINATION_H
