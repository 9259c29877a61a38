// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_TX_JSON_H
#define HPIPS_RPC_TX_JSON_H

#include <chain/chainstate.h>
#include <chain/undo.h>
#include <consensus/params.h>
#include <primitives/amount.h>
#include <primitives/block.h>
#include <primitives/destination.h>
#include <primitives/network.h>
#include <primitives/target.h>
#include <primitives/transaction.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

/** Transactions, destinations and blocks as RPC JSON, in Bitcoin Core's
 *  shapes (decoderawtransaction, getrawtransaction, getblockheader, getblock)
 *  with HPIPS's differences: an output pays a destination, shown as Core's
 *  scriptPubKey object (see ScriptPubKeyToJSON); an input's witness is one byte string
 *  (shown as the single element of `txinwitness`); a header carries a `pouw`
 *  proof object. There is no weight discount, so vsize = weight = size. */
namespace hpips {

/** Most digits after the decimal point FormatRatio writes. */
constexpr unsigned MAX_RATIO_DECIMALS = 80;

/** The `type` RPC gives an output paying `dest` (doc/rpc.md, "Outputs"):
 *  "witness_v1_taproot" for a KEY destination — Core's name for the outputs
 *  whose address has the same form (bech32m, witness version 1, a 32-byte
 *  x-only key as the program), so tooling that knows taproot addresses
 *  treats HPIPS addresses alike — and "nonstandard" for any other kind (no
 *  address), as Core names a script it cannot classify. */
std::string_view DestinationTypeName(const Destination& dest);

/** Hex of the destination's encoding (kind u8 ‖ CompactSize length ‖
 *  payload): what Core shows as scriptPubKey hex. */
std::string DestinationHex(const Destination& dest);

/** The readable form of a destination: "<kind number> <payload hex>" (just
 *  the number for an empty payload). A KEY destination reads "1 <x-only
 *  key>", which is also how Core writes a taproot output's asm. */
std::string DestinationAsm(const Destination& dest);

/** The destination whose encoding (kind u8 ‖ CompactSize length ‖ payload,
 *  what DestinationHex writes) is exactly `bytes`; nullopt for anything else
 *  (truncated, trailing bytes, payload over MAX_DESTINATION_PAYLOAD). */
std::optional<Destination> DestinationFromBytes(std::span<const uint8_t> bytes);

/** Core's scriptPubKey object for an output paying `dest`: {asm, desc, hex,
 *  address (when it has one), type}; desc is DestinationDescriptor. */
boost::json::object ScriptPubKeyToJSON(const Destination& dest, Network net);

/** The fee of `tx` given the coins its inputs spent (`spent`, in input
 *  order): nullopt when the counts differ or the sums are out of range. */
std::optional<Amount> FeeFromSpent(const Transaction& tx, const TxUndo& spent);

/** Core's decoderawtransaction object: txid, hash (wtxid), version, size,
 *  vsize, weight, locktime, vin, vout (each with a scriptPubKey); plus "fee"
 *  when given, "hex" when `include_hex`, and — with `spent`, the coins the
 *  inputs spent in input order — each input's "prevout" {generated, height,
 *  value, scriptPubKey} (Core's verbosity 3 / getrawtransaction 2). */
boost::json::object TxToJSON(const Transaction& tx, Network net, std::optional<Amount> fee = std::nullopt,
                             bool include_hex = false, const TxUndo* spent = nullptr);

/** num / den as a plain decimal string (no exponent), truncated: with a
 *  non-zero integer part, 8 decimals; otherwise enough decimals for
 *  `significant` significant digits (at most MAX_RATIO_DECIMALS). Trailing
 *  zeros and a bare point are removed ("1", "0.5", "1234.56789012").
 *  den = 0 gives "0". Integer arithmetic only. */
std::string FormatRatio(const ArithUint512& num, const ArithUint512& den, unsigned significant = 8);

/** Difficulty of `bits` as a JSON number (FormatRatio): the easiest target
 *  compact bits can express for the chain (pow_limit rounded through
 *  EncodeCompact, so the easiest valid bits have difficulty exactly 1, as
 *  Core's 0x1d00ffff) divided by the target of `bits`; 0 for bits that
 *  encode no valid target. */
boost::json::value DifficultyValue(uint32_t bits, const ArithUint256& pow_limit);

/** Chain work as lower-case hex, at least 64 digits (Core's "chainwork"). */
std::string ChainWorkHex(const ArithUint512& work);

/** `bits` as 8 lower-case hex digits. */
std::string BitsHex(uint32_t bits);

/** A header's PoUW proof: {miner_key, nonce, unit_id, tile_index, state}. */
boost::json::object PouwProofToJSON(const PouwProof& proof);

/** Core's getblockheader object for a known block (see doc/rpc.md): hash,
 *  confirmations (-1 off the active chain), height, version, versionHex,
 *  merkleroot, time, mediantime, nonce, bits, difficulty, chainwork, nTx,
 *  previousblockhash, nextblockhash, pouw. */
boost::json::object BlockHeaderToJSON(const BlockInfo& info, const ChainParams& params);

/** Core's getblock object: the header fields plus size, strippedsize,
 *  weight, opening_size and tx — txids with verbosity 1, transaction objects
 *  (TxToJSON with hex) with verbosity 2 and 3. With the block's `undo` data
 *  every transaction but the coinbase gets its "fee", and with verbosity 3
 *  each input its "prevout". Without it (a block never connected) only a
 *  transaction whose inputs all come from earlier transactions of the same
 *  block gets its "fee", and there are no prevouts. */
boost::json::object BlockToJSON(const Block& block, const BlockInfo& info, const ChainParams& params,
                                int verbosity, const BlockUndo* undo = nullptr);

}  // namespace hpips

#endif  // HPIPS_RPC_TX_JSON_H
