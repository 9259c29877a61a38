// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/util.h>

#include <primitives/amount_format.h>
#include <rpc/json.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>

#include <charconv>
#include <limits>

namespace hpips {
namespace {

namespace json = boost::json;

/** Largest exponent magnitude an amount literal may carry: 10^±64 is far
 *  outside any amount with 8 decimals, so nothing useful is refused. */
constexpr int MAX_AMOUNT_EXPONENT = 64;

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

struct Decimal {
    bool negative{false};
    bool zero{true};
    /** Plain decimal text without sign or exponent ("12.5", "0.001"). */
    std::string text;
    size_t decimals{0};
};

/** Rewrites a number in JSON/decimal notation (sign, digits, optional
 *  fraction, optional exponent) as plain decimal text with no trailing
 *  fractional zeros; nullopt if it is not such a number. */
std::optional<Decimal> NormalizeDecimal(std::string_view in)
{
    if (in.empty() || in.size() > MAX_AMOUNT_TEXT) return std::nullopt;
    Decimal out;
    size_t i{0};
    if (in[i] == '-') {
        out.negative = true;
        ++i;
    }
    std::string int_digits;
    std::string frac_digits;
    while (i < in.size() && IsDigit(in[i])) int_digits += in[i++];
    if (i < in.size() && in[i] == '.') {
        ++i;
        while (i < in.size() && IsDigit(in[i])) frac_digits += in[i++];
        if (frac_digits.empty()) return std::nullopt;
    }
    if (int_digits.empty()) return std::nullopt;
    int exponent{0};
    if (i < in.size() && (in[i] == 'e' || in[i] == 'E')) {
        ++i;
        const size_t start{i};
        if (i < in.size() && (in[i] == '+' || in[i] == '-')) ++i;
        if (i == in.size()) return std::nullopt;
        const char* first = in.data() + start + (in[start] == '+' ? 1 : 0);
        const auto [ptr, ec] = std::from_chars(first, in.data() + in.size(), exponent);
        if (ec != std::errc{} || ptr != in.data() + in.size()) return std::nullopt;
        i = in.size();
    }
    if (i != in.size()) return std::nullopt;

    std::string digits = int_digits + frac_digits;
    out.zero = digits.find_first_not_of('0') == std::string::npos;
    if (out.zero) {
        out.text = "0";
        return out;
    }
    if (exponent > MAX_AMOUNT_EXPONENT || exponent < -MAX_AMOUNT_EXPONENT) return std::nullopt;
    // Position of the decimal point within `digits`.
    const int point = static_cast<int>(int_digits.size()) + exponent;
    std::string int_part;
    std::string frac_part;
    if (point <= 0) {
        int_part = "0";
        frac_part = std::string(static_cast<size_t>(-point), '0') + digits;
    } else if (static_cast<size_t>(point) >= digits.size()) {
        int_part = digits + std::string(static_cast<size_t>(point) - digits.size(), '0');
    } else {
        int_part = digits.substr(0, static_cast<size_t>(point));
        frac_part = digits.substr(static_cast<size_t>(point));
    }
    const size_t first_nonzero = int_part.find_first_not_of('0');
    int_part = first_nonzero == std::string::npos ? "0" : int_part.substr(first_nonzero);
    while (!frac_part.empty() && frac_part.back() == '0') frac_part.pop_back();
    out.decimals = frac_part.size();
    out.text = frac_part.empty() ? int_part : int_part + "." + frac_part;
    return out;
}

}  // namespace

const json::value* OptionalParam(const RPCRequest& request, size_t i)
{
    if (i >= request.params.size() || request.params[i].is_null()) return nullptr;
    return &request.params[i];
}

std::string ParamString(const RPCRequest& request, size_t i)
{
    const auto value = OptionalParamString(request, i);
    if (!value) throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON value of type null is not of expected type string"};
    return *value;
}

std::optional<std::string> OptionalParamString(const RPCRequest& request, size_t i)
{
    const json::value* value = OptionalParam(request, i);
    if (value == nullptr) return std::nullopt;
    if (!IsJsonString(*value)) {
        throw RPCError{RPCErrorCode::TYPE_ERROR,
                       "JSON value of type " + std::string{JsonTypeName(*value)} + " is not of expected type string"};
    }
    return std::string{value->get_string()};
}

int64_t IntFromValue(const json::value& value)
{
    if (value.is_int64()) return value.get_int64();
    if (value.is_uint64()) {
        if (value.get_uint64() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
            throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON integer out of range"};
        }
        return static_cast<int64_t>(value.get_uint64());
    }
    if (IsJsonNumber(value)) throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON integer out of range"};
    throw RPCError{RPCErrorCode::TYPE_ERROR,
                   "JSON value of type " + std::string{JsonTypeName(value)} + " is not of expected type number"};
}

int64_t ParamInt64(const RPCRequest& request, size_t i)
{
    const auto value = OptionalParamInt64(request, i);
    if (!value) throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON value of type null is not of expected type number"};
    return *value;
}

std::optional<int64_t> OptionalParamInt64(const RPCRequest& request, size_t i)
{
    const json::value* value = OptionalParam(request, i);
    if (value == nullptr) return std::nullopt;
    return IntFromValue(*value);
}

bool ParamBool(const RPCRequest& request, size_t i)
{
    const auto value = OptionalParamBool(request, i);
    if (!value) throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON value of type null is not of expected type bool"};
    return *value;
}

std::optional<bool> OptionalParamBool(const RPCRequest& request, size_t i)
{
    const json::value* value = OptionalParam(request, i);
    if (value == nullptr) return std::nullopt;
    if (!value->is_bool()) {
        throw RPCError{RPCErrorCode::TYPE_ERROR,
                       "JSON value of type " + std::string{JsonTypeName(*value)} + " is not of expected type bool"};
    }
    return value->get_bool();
}

Amount AmountFromValue(const json::value& value)
{
    std::string text;
    if (const auto number = JsonNumberString(value)) {
        text = *number;
    } else if (IsJsonString(value)) {
        text = std::string{value.get_string()};
    } else {
        throw RPCError{RPCErrorCode::TYPE_ERROR, "Amount is not a number or string"};
    }
    const auto decimal = NormalizeDecimal(text);
    if (!decimal || decimal->decimals > AMOUNT_DECIMALS) throw RPCError{RPCErrorCode::TYPE_ERROR, "Invalid amount"};
    if (decimal->negative && !decimal->zero) throw RPCError{RPCErrorCode::TYPE_ERROR, "Amount out of range"};
    const auto amount = ParseMoney(decimal->text);
    if (!amount) throw RPCError{RPCErrorCode::TYPE_ERROR, "Amount out of range"};
    return *amount;
}

json::value ValueFromAmount(Amount amount)
{
    // FormatMoney always yields a valid number token ("-0.50000000").
    return *MakeJsonNumber(FormatMoney(amount));
}

std::string HelpExampleCli(std::string_view method, std::string_view args)
{
    std::string out = "> hpips-cli " + std::string{method};
    if (!args.empty()) out += " " + std::string{args};
    return out + "\n";
}

std::string HelpExampleRpc(std::string_view method, std::string_view args)
{
    return "> curl --user myusername --data-binary '{\"jsonrpc\": \"2.0\", \"id\": \"curltest\", \"method\": \"" +
           std::string{method} + "\", \"params\": [" + std::string{args} +
           "]}' -H 'content-type: application/json' http://127.0.0.1:9332/\n";
}

std::string TruncateForMessage(std::string_view text)
{
    if (text.size() <= MAX_ECHOED_INPUT) return std::string{text};
    // Cut on a UTF-8 character boundary: half a character would make the
    // JSON reply invalid (found by fuzz_rpc_params).
    size_t cut{MAX_ECHOED_INPUT};
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
    return std::string{text.substr(0, cut)} + "...";
}

boost::json::object SigningErrorJson(const TxIn& in, const std::string& error)
{
    boost::json::object out;
    out["txid"] = in.prevout.txid.GetHex();
    out["vout"] = in.prevout.index;
    boost::json::array witness;
    if (!in.witness.empty()) witness.push_back(boost::json::value(HexStr(in.witness)));
    out["witness"] = std::move(witness);
    out["sequence"] = in.sequence;
    out["error"] = error;
    return out;
}

}  // namespace hpips
