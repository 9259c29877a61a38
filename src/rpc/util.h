// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_UTIL_H
#define HPIPS_RPC_UTIL_H

#include <primitives/amount.h>
#include <primitives/transaction.h>
#include <rpc/server.h>

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

/** Helpers for RPC handlers: reading parameters (already type-checked by
 *  RPCTable::Execute against the method's declaration) and the one way each
 *  direction to move amounts through JSON. All throw RPCError. */
namespace hpips {

/** Parameter i, or nullptr when it is missing or null (the two mean the same). */
const boost::json::value* OptionalParam(const RPCRequest& request, size_t i);

/** String parameter i; TYPE_ERROR if it is missing or not a string. */
std::string ParamString(const RPCRequest& request, size_t i);
/** String parameter i, or nullopt when missing/null. */
std::optional<std::string> OptionalParamString(const RPCRequest& request, size_t i);

/** Integer parameter i. Numbers with a fraction or exponent, or outside
 *  int64, fail with TYPE_ERROR "JSON integer out of range" (as UniValue's
 *  getInt does). */
int64_t ParamInt64(const RPCRequest& request, size_t i);
/** Integer parameter i, or nullopt when missing/null. */
std::optional<int64_t> OptionalParamInt64(const RPCRequest& request, size_t i);

/** Boolean parameter i; TYPE_ERROR if missing or not a bool. */
bool ParamBool(const RPCRequest& request, size_t i);
/** Boolean parameter i, or nullopt when missing/null. */
std::optional<bool> OptionalParamBool(const RPCRequest& request, size_t i);

/** An int64 from a JSON value (see ParamInt64). */
int64_t IntFromValue(const boost::json::value& value);

/** Parses an amount in coins from a JSON number (its exact literal text, see
 *  rpc/json.h) or a string: "1", "0.1", 1.5, 1e-8, "2.50000000". Trailing
 *  fractional zeros beyond 8 decimals are accepted, as in Core. Throws
 *  TYPE_ERROR "Amount is not a number or string" for other types, "Invalid
 *  amount" for malformed text or more than 8 significant decimals, "Amount
 *  out of range" for a negative value or one above MAX_MONEY. */
Amount AmountFromValue(const boost::json::value& value);

/** An amount as an exact JSON number with 8 decimals (1.00000000, -0.50000000). */
boost::json::value ValueFromAmount(Amount amount);

/** A failed input of signrawtransactionwithkey / signrawtransactionwithwallet,
 *  in Core's shape: {txid, vout, witness: [hex], sequence, error}. */
boost::json::object SigningErrorJson(const TxIn& in, const std::string& error);
/** The result help of signrawtransactionwithkey and signrawtransactionwithwallet. */
inline constexpr char SIGN_RAW_TRANSACTION_RESULT_HELP[] =
    "{\n"
    "  \"hex\" : \"hex\",           (string) The hex-encoded raw transaction with signature(s)\n"
    "  \"complete\" : true|false, (boolean) If the transaction has a complete set of signatures\n"
    "  \"errors\" : [ { \"txid\", \"vout\", \"witness\" : [ \"hex\" ], \"sequence\", \"error\" }, ... ]"
    "   (json array, optional) Script verification errors (if there are any)\n"
    "}";

/** The request's arena (rpc/request.cpp): a monotonic resource freed as a
 *  whole once the reply is written. A method returning a large result
 *  (listunspent's 50,000 objects) builds it there
 *  (`boost::json::array out(ResultArena(request))`, objects in
 *  `out.storage()`): no malloc and free per value, and the reply object
 *  around it moves it instead of copying it. */
inline boost::json::storage_ptr ResultArena(const RPCRequest& request) { return request.params.storage(); }

/** Longest amount text AmountFromValue looks at. */
constexpr size_t MAX_AMOUNT_TEXT = 64;

/** Help example: "> hpips-cli <method> <args>\n". */
std::string HelpExampleCli(std::string_view method, std::string_view args);
/** Help example: the same call with curl and a JSON-RPC 2.0 body. */
std::string HelpExampleRpc(std::string_view method, std::string_view args);

/** Most bytes of client text an error message repeats. */
constexpr size_t MAX_ECHOED_INPUT = 100;
/** `text` cut to MAX_ECHOED_INPUT bytes (then "...") on a UTF-8 character
 *  boundary, for an error message: half a character would make the JSON
 *  reply invalid. */
std::string TruncateForMessage(std::string_view text);

}  // namespace hpips

#endif  // HPIPS_RPC_UTIL_H
