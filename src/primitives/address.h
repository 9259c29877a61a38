// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_ADDRESS_H
#define HPIPS_PRIMITIVES_ADDRESS_H

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <primitives/destination.h>
#include <primitives/network.h>
#include <util/result.h>

/** Addresses: the text form of a Destination for people and RPC. A KEY
 *  destination is written like a BIP-350 taproot address — bech32m, witness
 *  version 1, then the 32-byte x-only key as the program — with the HRP of the
 *  network, so the network of an address is visible and checked. The format
 *  and every error message are specified in doc/addresses.md. */
namespace hpips {

/** Witness version of every address this software writes or accepts. */
constexpr uint8_t ADDRESS_WITNESS_VERSION = 1;

/** Human-readable part of the network's addresses: "hp" main, "thp" test,
 *  "rhp" regtest. */
std::string_view AddressHrp(Network net);

/** The address of `dest` on `net`: bech32m of (HRP, witness version 1, the
 *  key as 5-bit groups). Returns an empty string for a destination that has
 *  no address form (any kind other than a KEY with a 32-byte payload). */
std::string EncodeAddress(const Destination& dest, Network net);

/** Parses an address for `net` into its KEY destination. Upper- or
 *  lower-case input is accepted (not mixed). Fails, with the message given in
 *  doc/addresses.md, on a malformed string, an HRP other than the network's
 *  (naming the network the address is for, when it is one of ours), a checksum
 *  that matches neither encoding (with the 0-based positions of up to two
 *  located typos), a witness version other than 1, a bech32 (not bech32m)
 *  checksum, bad padding, or a program that is not 32 bytes. */
Result<Destination> DecodeAddress(std::string_view address, Network net);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_ADDRESS_H
