// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/json.h>

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value_stack.hpp>

#include <charconv>
#include <cmath>
#include <limits>
#include <system_error>

namespace hpips {
namespace {

namespace json = boost::json;

/** First byte of a raw number's stored string: never valid in UTF-8. */
constexpr char RAW_NUMBER_MARKER = '\xff';

/** Longest number literal kept (a longer one is still valid JSON but no RPC
 *  argument needs it; it bounds the per-number buffer). */
constexpr size_t MAX_NUMBER_TEXT = 1024;

/** basic_parser handler that builds a value with Boost's value_stack, as
 *  boost::json::parser does, except that non-integer numbers are pushed as
 *  raw numbers carrying their literal text. */
class KeepNumbersHandler {
public:
    static constexpr std::size_t max_object_size = std::size_t(-1);
    static constexpr std::size_t max_array_size = std::size_t(-1);
    static constexpr std::size_t max_key_size = std::size_t(-1);
    static constexpr std::size_t max_string_size = std::size_t(-1);

    explicit KeepNumbersHandler(const json::storage_ptr& storage) : m_stack{storage} { m_stack.reset(storage); }

    json::value_stack m_stack;
    std::string m_number;
    /** Values allowed, and seen so far. */
    size_t m_max_values{std::numeric_limits<size_t>::max()};
    size_t m_values{0};
    bool m_too_many{false};

    /** Counts one more value; false (stopping the parse) past m_max_values. */
    bool CountValue(json::error_code& ec)
    {
        if (++m_values > m_max_values) {
            m_too_many = true;
            ec = json::error::array_too_large;
            return false;
        }
        return true;
    }

    bool on_document_begin(json::error_code&) { return true; }
    bool on_document_end(json::error_code&) { return true; }
    bool on_array_begin(json::error_code& ec) { return CountValue(ec); }
    bool on_array_end(std::size_t n, json::error_code&)
    {
        m_stack.push_array(n);
        return true;
    }
    bool on_object_begin(json::error_code& ec) { return CountValue(ec); }
    bool on_object_end(std::size_t n, json::error_code&)
    {
        m_stack.push_object(n);
        return true;
    }
    bool on_string_part(json::string_view s, std::size_t, json::error_code&)
    {
        m_stack.push_chars(s);
        return true;
    }
    bool on_string(json::string_view s, std::size_t, json::error_code& ec)
    {
        if (!CountValue(ec)) return false;
        m_stack.push_string(s);
        return true;
    }
    bool on_key_part(json::string_view s, std::size_t, json::error_code&)
    {
        m_stack.push_chars(s);
        return true;
    }
    bool on_key(json::string_view s, std::size_t, json::error_code&)
    {
        m_stack.push_key(s);
        return true;
    }
    bool on_number_part(json::string_view s, json::error_code& ec)
    {
        if (m_number.size() + s.size() > MAX_NUMBER_TEXT) {
            ec = json::error::exponent_overflow;
            return false;
        }
        m_number.append(s.data(), s.size());
        return true;
    }
    bool on_int64(int64_t i, json::string_view, json::error_code& ec)
    {
        if (!CountValue(ec)) return false;
        m_number.clear();
        m_stack.push_int64(i);
        return true;
    }
    bool on_uint64(uint64_t u, json::string_view, json::error_code& ec)
    {
        if (!CountValue(ec)) return false;
        m_number.clear();
        m_stack.push_uint64(u);
        return true;
    }
    bool on_double(double, json::string_view s, json::error_code& ec)
    {
        if (!CountValue(ec) || !on_number_part(s, ec)) return false;
        std::string raw;
        raw.reserve(m_number.size() + 1);
        raw += RAW_NUMBER_MARKER;
        raw += m_number;
        m_number.clear();
        m_stack.push_string(raw);
        return true;
    }
    bool on_bool(bool b, json::error_code& ec)
    {
        if (!CountValue(ec)) return false;
        m_stack.push_bool(b);
        return true;
    }
    bool on_null(json::error_code& ec)
    {
        if (!CountValue(ec)) return false;
        m_stack.push_null();
        return true;
    }
    bool on_comment_part(json::string_view, json::error_code&) { return true; }
    bool on_comment(json::string_view, json::error_code&) { return true; }
};

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

/** Checks RFC 8259's number grammar. */
bool IsNumberToken(std::string_view text)
{
    size_t i{0};
    const size_t n{text.size()};
    if (n == 0 || n > MAX_NUMBER_TEXT) return false;
    if (text[i] == '-') ++i;
    if (i >= n) return false;
    if (text[i] == '0') {
        ++i;
    } else if (IsDigit(text[i])) {
        while (i < n && IsDigit(text[i])) ++i;
    } else {
        return false;
    }
    if (i < n && text[i] == '.') {
        ++i;
        const size_t start{i};
        while (i < n && IsDigit(text[i])) ++i;
        if (i == start) return false;
    }
    if (i < n && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
        const size_t start{i};
        while (i < n && IsDigit(text[i])) ++i;
        if (i == start) return false;
    }
    return i == n;
}

std::string FormatDouble(double d)
{
    if (!std::isfinite(d)) return "null";
    char buffer[64];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), d);
    if (ec != std::errc{}) return "null";
    return std::string(buffer, end);
}

/** Appends `text` as a JSON string token, escaped exactly as
 *  boost::json::serialize does (\" \\ \b \f \n \r \t, other control
 *  characters as lowercase \u00xx, everything else verbatim), without the
 *  serializer object and temporary string Boost makes per call: a large
 *  reply (listunspent of 50,000 coins) holds half a million strings. */
void AppendString(std::string_view text, std::string& out)
{
    static constexpr char HEX[] = "0123456789abcdef";
    out += '"';
    size_t run_start{0};
    for (size_t i{0}; i < text.size(); ++i) {
        const auto c = static_cast<unsigned char>(text[i]);
        if (c >= 0x20 && c != '"' && c != '\\') continue;
        out.append(text.data() + run_start, i - run_start);
        run_start = i + 1;
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
            out += "\\u00";
            out += HEX[c >> 4];
            out += HEX[c & 0xF];
        }
    }
    out.append(text.data() + run_start, text.size() - run_start);
    out += '"';
}

void AppendInteger(auto number, std::string& out)
{
    char buffer[24];
    const auto [end, ec] = std::to_chars(buffer, buffer + sizeof(buffer), number);
    out.append(buffer, end);
}

void AppendIndent(std::string& out, unsigned indent, unsigned level)
{
    out.append(static_cast<size_t>(indent) * level, ' ');
}

void Write(const json::value& value, unsigned indent, unsigned level, std::string& out)
{
    switch (value.kind()) {
    case json::kind::null: out += "null"; return;
    case json::kind::bool_: out += value.get_bool() ? "true" : "false"; return;
    case json::kind::int64: AppendInteger(value.get_int64(), out); return;
    case json::kind::uint64: AppendInteger(value.get_uint64(), out); return;
    case json::kind::double_: out += FormatDouble(value.get_double()); return;
    case json::kind::string: {
        if (const auto raw = JsonNumberText(value)) {
            out.append(raw->data(), raw->size());
        } else {
            const auto& string = value.get_string();
            AppendString({string.data(), string.size()}, out);
        }
        return;
    }
    case json::kind::array: {
        const auto& array = value.get_array();
        if (array.empty()) {
            out += "[]";
            return;
        }
        out += '[';
        bool first{true};
        for (const auto& element : array) {
            if (!first) out += ',';
            first = false;
            if (indent > 0) {
                out += '\n';
                AppendIndent(out, indent, level + 1);
            }
            Write(element, indent, level + 1, out);
        }
        if (indent > 0) {
            out += '\n';
            AppendIndent(out, indent, level);
        }
        out += ']';
        return;
    }
    case json::kind::object: {
        const auto& object = value.get_object();
        if (object.empty()) {
            out += "{}";
            return;
        }
        out += '{';
        bool first{true};
        for (const auto& member : object) {
            if (!first) out += ',';
            first = false;
            if (indent > 0) {
                out += '\n';
                AppendIndent(out, indent, level + 1);
            }
            AppendString({member.key().data(), member.key().size()}, out);
            out += indent > 0 ? ": " : ":";
            Write(member.value(), indent, level + 1, out);
        }
        if (indent > 0) {
            out += '\n';
            AppendIndent(out, indent, level);
        }
        out += '}';
        return;
    }
    }
}

}  // namespace

JsonParseOutcome ParseJsonLimited(std::string_view text, size_t max_values, json::storage_ptr storage)
{
    json::parse_options options;
    options.max_depth = MAX_JSON_DEPTH;
    json::basic_parser<KeepNumbersHandler> parser{options, storage};
    parser.handler().m_max_values = max_values;
    json::error_code ec;
    const size_t used = parser.write_some(false, text.data(), text.size(), ec);
    if (parser.handler().m_too_many) {
        return {std::nullopt, JsonParseFailure::TOO_MANY_VALUES,
                "more than " + std::to_string(max_values) + " JSON values"};
    }
    if (ec) return {std::nullopt, JsonParseFailure::INVALID, ec.message()};
    if (!parser.done()) return {std::nullopt, JsonParseFailure::INVALID, "incomplete JSON"};
    for (size_t i{used}; i < text.size(); ++i) {
        const char c{text[i]};
        if (c != ' ' && c != '\t' && c != '\n' && c != '\r') {
            return {std::nullopt, JsonParseFailure::INVALID, "extra data after the JSON value"};
        }
    }
    return {parser.handler().m_stack.release(), JsonParseFailure::INVALID, {}};
}

Result<json::value> ParseJson(std::string_view text)
{
    auto outcome = ParseJsonLimited(text, std::numeric_limits<size_t>::max());
    if (!outcome.value) return Error{std::move(outcome.message)};
    return std::move(*outcome.value);
}

std::optional<json::value> MakeJsonNumber(std::string_view text)
{
    if (!IsNumberToken(text)) return std::nullopt;
    std::string raw;
    raw.reserve(text.size() + 1);
    raw += RAW_NUMBER_MARKER;
    raw += text;
    return json::value(json::string(raw));
}

std::optional<std::string_view> JsonNumberText(const json::value& value)
{
    if (!value.is_string()) return std::nullopt;
    const auto& s = value.get_string();
    if (s.empty() || s[0] != RAW_NUMBER_MARKER) return std::nullopt;
    const std::string_view text{s.data() + 1, s.size() - 1};
    // Whatever reaches here, WriteJson must still produce valid JSON.
    if (!IsNumberToken(text)) return std::nullopt;
    return text;
}

std::optional<std::string> JsonNumberString(const json::value& value)
{
    switch (value.kind()) {
    case json::kind::int64: return std::to_string(value.get_int64());
    case json::kind::uint64: return std::to_string(value.get_uint64());
    case json::kind::double_: return FormatDouble(value.get_double());
    case json::kind::string:
        if (const auto raw = JsonNumberText(value)) return std::string{*raw};
        return std::nullopt;
    default: return std::nullopt;
    }
}

bool IsJsonNumber(const json::value& value) { return value.is_number() || JsonNumberText(value).has_value(); }

bool IsJsonString(const json::value& value) { return value.is_string() && !JsonNumberText(value).has_value(); }

std::string_view JsonTypeName(const json::value& value)
{
    switch (value.kind()) {
    case json::kind::null: return "null";
    case json::kind::bool_: return "bool";
    case json::kind::int64:
    case json::kind::uint64:
    case json::kind::double_: return "number";
    case json::kind::string: return JsonNumberText(value) ? "number" : "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    }
    return "null";
}

std::string WriteJson(const json::value& value, unsigned indent)
{
    std::string out;
    Write(value, indent, 0, out);
    return out;
}

}  // namespace hpips
