// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_TX_JSON_H
#define HPIPS_RPC_TX_JSON_H

#include <chain/chainstate.h>
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
#include <string>
#include <string_view>

/** Transactions, destinations and blocks as RPC JSON, in Bitcoin Core's
 *  shapes (decoderawtransaction, getrawtransaction, getblockheader, getblock)
 *  with HPIPS's differences: an output pays a `destination` {address, kind,
 *  hex} instead of a scriptPubKey; an input's witness is one byte string
 *  (shown as the single element of `txinwitness`); a header carries a `pouw`
 *  proof object. There is no weight discount, so vsize = weight = size. */
namespace hpips {

/** Most digits after the decimal point FormatRatio writes. */
constexpr unsigned MAX_RATIO_DECIMALS = 80;

/** The name RPC gives a destination kind: "key", or "unknown" for kinds this
 *  software does not know (they still round-trip). */
std::string_view DestinationKindName(const Destination& dest);

/** Hex of the destination's encoding (kind u8 ‖ CompactSize length ‖
 *  payload): what Core shows as scriptPubKey hex. */
std::string DestinationHex(const Destination& dest);

/** {"address" (when it has one), "kind", "hex"}. */
boost::json::object DestinationToJSON(const Destination& dest, Network net);

/** Core's decoderawtransaction object: txid, hash (wtxid), version, size,
 *  vsize, weight, locktime, vin, vout; plus "fee" when given and "hex" when
 *  `include_hex`. */
boost::json::object TxToJSON(const Transaction& tx, Network net, std::optional<Amount> fee = std::nullopt,
                             bool include_hex = false);

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
 *  (TxToJSON with hex) with verbosity 2; a transaction whose inputs all come
 *  from earlier transactions of the same block also gets its "fee". */
boost::json::object BlockToJSON(const Block& block, const BlockInfo& info, const ChainParams& params,
                                int verbosity);

}  // namespace hpips

#endif  // HPIPS_RPC_TX_JSON_H
