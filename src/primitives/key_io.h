// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_KEY_IO_H
#define HPIPS_PRIMITIVES_KEY_IO_H

#include <crypto/key.h>
#include <primitives/network.h>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/** Private keys as text: Wallet Import Format (WIF), as Bitcoin Core writes
 *  them, so tools and people can move keys between HPIPS and familiar
 *  software. A WIF string is Base58Check(version ‖ 32-byte secret ‖ 0x01):
 *  version 0x80 on main, 0xef on test and regtest; the trailing 0x01 is
 *  Bitcoin's "compressed public key" flag, always present here (HPIPS signs
 *  with x-only keys, so the flag carries no information, but keeping it makes
 *  every HPIPS WIF a valid Bitcoin WIF of the same key). */
namespace hpips {

/** WIF version byte of the main network. */
constexpr uint8_t WIF_VERSION_MAIN = 0x80;
/** WIF version byte of the test network and regtest. */
constexpr uint8_t WIF_VERSION_TEST = 0xef;
/** The trailing byte of a WIF payload (Bitcoin's compressed-key flag). */
constexpr uint8_t WIF_COMPRESSED_FLAG = 0x01;
/** Bytes of a WIF payload: version, secret, flag. */
constexpr size_t WIF_PAYLOAD_SIZE = 1 + PrivKey::SIZE + 1;
/** Longest WIF text looked at: 38 payload+checksum bytes need at most 52
 *  Base58 characters; anything longer is refused before decoding. */
constexpr size_t MAX_WIF_LENGTH = 64;

/** The WIF version byte of `net`. */
uint8_t WifVersion(Network net);

/** The WIF text of `key` for `net`. The intermediate buffer is wiped. */
std::string EncodeSecret(const PrivKey& key, Network net);

/** Parses a WIF string for `net`: exactly WIF_PAYLOAD_SIZE payload bytes with
 *  a valid checksum, the network's version byte, the 0x01 flag, and a secret
 *  in [1, n-1]. Returns nullopt otherwise (including Bitcoin's uncompressed
 *  33-byte form, which HPIPS never writes). The decoded bytes are wiped. */
std::optional<PrivKey> DecodeSecret(std::string_view text, Network net);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_KEY_IO_H
