// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_JSON_H
#define HPIPS_RPC_JSON_H

#include <util/result.h>

#include <boost/json/storage_ptr.hpp>
#include <boost/json/value.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

/** JSON text for RPC, with exact numbers.
 *
 *  Boost.JSON stores every non-integer number as a double, which cannot hold
 *  an amount such as 0.1 exactly and forgets how a number was written. Bitcoin
 *  Core's UniValue keeps a number's literal text instead, and clients rely on
 *  that (amounts print as "1.00000000", an echoed 1.10 comes back as 1.10).
 *  HPIPS keeps the text too, inside an ordinary boost::json::value:
 *
 *  - integers without fraction or exponent are stored as int64/uint64, as
 *    Boost.JSON does (their text is canonical anyway);
 *  - every other number (fraction, exponent, or beyond uint64) is stored as
 *    a "raw number": a json::string holding a marker byte (0xFF, which can
 *    never occur in UTF-8, and ParseJson rejects invalid UTF-8) followed by the
 *    literal text. JsonNumberText() reads it back, WriteJson() prints it
 *    verbatim as a number token, JsonTypeName() calls it "number".
 *
 *  Code that builds results uses MakeJsonNumber (or ValueFromAmount in
 *  rpc/util.h); code that reads parameters uses the helpers in rpc/util.h,
 *  never as_double(). Only ParseJson and WriteJson must be used on RPC text;
 *  boost::json::parse/serialize would lose or garble raw numbers. */
namespace hpips {

/** Deepest nesting of arrays and objects accepted (Bitcoin Core's limit). */
constexpr size_t MAX_JSON_DEPTH = 512;

/** Parses one JSON document (RFC 8259, UTF-8 checked, surrounding whitespace
 *  allowed, nothing else after it), keeping non-integer numbers as raw numbers.
 *  Input size is bounded by the caller (the HTTP layer stops at
 *  MAX_RPC_REQUEST_SIZE); nesting is bounded by MAX_JSON_DEPTH. */
Result<boost::json::value> ParseJson(std::string_view text);

/** Why ParseJsonLimited refused a text. */
enum class JsonParseFailure {
    /** Not one valid JSON document. */
    INVALID,
    /** Valid so far, but it holds more values than allowed. */
    TOO_MANY_VALUES,
};

/** ParseJsonLimited's outcome: a value, or the failure class and a reason. */
struct JsonParseOutcome {
    std::optional<boost::json::value> value;
    JsonParseFailure failure{JsonParseFailure::INVALID};
    std::string message;
};

/** ParseJson that also stops, with TOO_MANY_VALUES, as soon as the document
 *  holds more than `max_values` values (every scalar, array and object counts
 *  one; object keys do not). A parsed value costs memory well beyond its text
 *  (16 bytes for the 2 characters `1,`, more for objects), so this bounds what
 *  untrusted text can make the parser allocate. The value and the parser's
 *  temporary stack are allocated from `storage` (default: the heap), which
 *  must outlive the value. */
JsonParseOutcome ParseJsonLimited(std::string_view text, size_t max_values, boost::json::storage_ptr storage = {});

/** A raw number with the given literal text, or nullopt if `text` is not a
 *  JSON number token (RFC 8259 grammar: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)?). */
std::optional<boost::json::value> MakeJsonNumber(std::string_view text);

/** The literal text of a raw number; nullopt for anything else. */
std::optional<std::string_view> JsonNumberText(const boost::json::value& value);

/** The text of any number (int64, uint64, double printed shortest
 *  round-trip, raw number); nullopt for non-numbers. */
std::optional<std::string> JsonNumberString(const boost::json::value& value);

/** True for int64, uint64, double and raw numbers. */
bool IsJsonNumber(const boost::json::value& value);

/** True for strings that are not raw numbers. */
bool IsJsonString(const boost::json::value& value);

/** UniValue's type name: "null", "bool", "number", "string", "array" or "object". */
std::string_view JsonTypeName(const boost::json::value& value);

/** Serializes `value`. indent = 0 gives compact text ({"a":1,"b":[2]}), as
 *  on the wire; indent > 0 gives Bitcoin Core's pretty form with that many
 *  spaces per level ("key": value, one member per line, empty containers as
 *  {} and []). Raw numbers print verbatim; doubles print shortest
 *  round-trip, non-finite doubles as null; strings are escaped as JSON
 *  requires. */
std::string WriteJson(const boost::json::value& value, unsigned indent = 0);

}  // namespace hpips

#endif  // HPIPS_RPC_JSON_H
