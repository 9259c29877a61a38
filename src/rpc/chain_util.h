// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_CHAIN_UTIL_H
#define HPIPS_RPC_CHAIN_UTIL_H

#include <primitives/amount.h>
#include <primitives/block.h>
#include <primitives/destination.h>
#include <primitives/network.h>
#include <primitives/transaction.h>
#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <rpc/util.h>
#include <util/uint256.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <chrono>
#include <cstddef>
#include <functional>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/** Parameter parsing shared by the chain RPC files (blockchain,
 *  rawtransaction, mining, misc_chain). Every function throws RPCError with
 *  Bitcoin Core's code and wording, so callers can pass untrusted JSON
 *  straight in. */
namespace hpips {

/** Longest hex text of a transaction any method accepts. */
constexpr size_t MAX_TX_HEX_LENGTH = 2 * MAX_TX_SIZE;
/** Longest hex text of a block any method accepts. */
constexpr size_t MAX_BLOCK_HEX_LENGTH = 2 * MAX_BLOCK_SIZE;

/** A 64-digit display-order hex hash from a JSON string. INVALID_PARAMETER
 *  "<name> must be of length 64 (not N, for 'x')" or "<name> must be
 *  hexadecimal string (not 'x')"; TYPE_ERROR for a non-string. Long input is
 *  truncated in the message. */
uint256 ParseHashV(const boost::json::value& value, std::string_view name);

/** The member `key` of `object` as a hash (ParseHashV); INVALID_PARAMETER
 *  "Invalid parameter, missing <key> key" when absent. */
uint256 ParseHashO(const boost::json::object& object, std::string_view key);

/** Hex text as bytes, or nullopt when it is not hex or longer than
 *  `max_length` characters (checked before decoding). */
std::optional<std::vector<uint8_t>> ParseBoundedHex(std::string_view hex, size_t max_length);

/** Decodes a transaction in hex (at most MAX_TX_HEX_LENGTH characters), or
 *  the reason it failed. */
Result<Transaction> DecodeHexTx(std::string_view hex);

/** Decodes a block in hex (at most MAX_BLOCK_HEX_LENGTH characters), or the
 *  reason it failed. */
Result<Block> DecodeHexBlock(std::string_view hex);

/** How a PollChain wait ended. */
enum class PollEnd { DONE, TIMEOUT, SHUTDOWN };
/** Polling interval of PollChain: the RPC methods that wait on the chain
 *  (waitfor*, getblocktemplate's long poll) look this often. */
constexpr std::chrono::milliseconds CHAIN_POLL_INTERVAL{50};
/** Calls `done` every CHAIN_POLL_INTERVAL until it holds, `max_wait` passed
 *  (steady clock), or the node shuts down (ctx.interrupt). Holds the calling
 *  worker thread meanwhile; `done` is called at least once. */
PollEnd PollChain(const ChainContext& ctx, std::chrono::milliseconds max_wait, const std::function<bool()>& done);

/** The network's address of `address` or INVALID_ADDRESS_OR_KEY with
 *  `message_prefix` followed by the address (as Core's "Invalid Bitcoin
 *  address: "). Overlong text is truncated in the message. */
Destination ParseAddressOrThrow(std::string_view address, Network net, std::string_view message_prefix);


/** A non-negative JSON integer up to UINT64_MAX (for u64 fields such as the
 *  PoUW nonce); TYPE_ERROR otherwise. */
uint64_t UInt64FromValue(const boost::json::value& value);

/** Fee rate in base units per 1000 bytes from an amount in coins/kvB
 *  (AmountFromValue), refusing rates of one coin/kvB or more as Core does:
 *  INVALID_PARAMETER "Fee rates larger than or equal to 1 coin/kvB are not accepted". */
Amount ParseFeeRate(const boost::json::value& value);

}  // namespace hpips

#endif  // HPIPS_RPC_CHAIN_UTIL_H
