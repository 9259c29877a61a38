// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/json.h>

#include <boost/json/monotonic_resource.hpp>
#include <boost/json/serialize.hpp>
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>

#include <string>

namespace hpips {
namespace {

namespace json = boost::json;

std::string RoundTrip(std::string_view text)
{
    auto parsed = ParseJson(text);
    EXPECT_TRUE(parsed) << text;
    if (!parsed) return {};
    return WriteJson(*parsed);
}

TEST(RpcJsonTests, KeepsNumberTextExactly)
{
    EXPECT_EQ(RoundTrip("[1.10,0.00000001,1e400,-0.0,1E-8,2.5e+3]"), "[1.10,0.00000001,1e400,-0.0,1E-8,2.5e+3]");
    EXPECT_EQ(RoundTrip("123456789012345678901234567890"), "123456789012345678901234567890");
    EXPECT_EQ(RoundTrip("[0,-1,9223372036854775807,18446744073709551615,-9223372036854775808]"),
              "[0,-1,9223372036854775807,18446744073709551615,-9223372036854775808]");
    EXPECT_EQ(RoundTrip(" {\"a\" : [ true , false , null ] } \n"), "{\"a\":[true,false,null]}");
}

TEST(RpcJsonTests, RawNumbersAreNumbers)
{
    auto parsed = ParseJson("[1.5,\"1.5\",2]");
    ASSERT_TRUE(parsed);
    const auto& array = parsed->as_array();
    EXPECT_EQ(JsonTypeName(array[0]), "number");
    EXPECT_TRUE(IsJsonNumber(array[0]));
    EXPECT_FALSE(IsJsonString(array[0]));
    EXPECT_EQ(JsonNumberText(array[0]).value(), "1.5");
    EXPECT_EQ(JsonTypeName(array[1]), "string");
    EXPECT_TRUE(IsJsonString(array[1]));
    EXPECT_FALSE(JsonNumberText(array[1]).has_value());
    EXPECT_EQ(JsonTypeName(array[2]), "number");
    EXPECT_EQ(JsonNumberString(array[2]).value(), "2");
    EXPECT_EQ(JsonNumberString(json::value(0.5)).value(), "0.5");
    EXPECT_FALSE(JsonNumberString(json::value("x")).has_value());
}

TEST(RpcJsonTests, TypeNames)
{
    EXPECT_EQ(JsonTypeName(json::value(nullptr)), "null");
    EXPECT_EQ(JsonTypeName(json::value(true)), "bool");
    EXPECT_EQ(JsonTypeName(json::value(1)), "number");
    EXPECT_EQ(JsonTypeName(json::value(1.5)), "number");
    EXPECT_EQ(JsonTypeName(json::value("s")), "string");
    EXPECT_EQ(JsonTypeName(json::value(json::array{})), "array");
    EXPECT_EQ(JsonTypeName(json::value(json::object{})), "object");
}

TEST(RpcJsonTests, MakeJsonNumberChecksGrammar)
{
    EXPECT_EQ(WriteJson(*MakeJsonNumber("1.00000000")), "1.00000000");
    EXPECT_EQ(WriteJson(*MakeJsonNumber("-0.5")), "-0.5");
    for (const char* bad : {"", "-", "01", "1.", ".5", "1e", "+1", "1.5x", "NaN", "Infinity", "0x10", " 1"}) {
        EXPECT_FALSE(MakeJsonNumber(bad).has_value()) << bad;
    }
}

TEST(RpcJsonTests, RejectsInvalidDocuments)
{
    for (const char* bad : {"", "{", "[1,]", "{\"a\":1,}", "nul", "[1] [2]", "{\"a\" 1}", "'x'", "[1,2",
                            "\"\xff\"", "\"\xc3\"", "// comment\n1", "[NaN]", "01"}) {
        EXPECT_FALSE(ParseJson(bad)) << bad;
    }
}

TEST(RpcJsonTests, DepthIsBounded)
{
    const std::string ok = std::string(MAX_JSON_DEPTH, '[') + std::string(MAX_JSON_DEPTH, ']');
    EXPECT_TRUE(ParseJson(ok));
    const std::string deep = std::string(MAX_JSON_DEPTH + 1, '[') + std::string(MAX_JSON_DEPTH + 1, ']');
    EXPECT_FALSE(ParseJson(deep));
    const std::string very_deep(1'000'000, '[');
    EXPECT_FALSE(ParseJson(very_deep));
}

/** `[1,1,...]` with n elements: n + 1 values. */
std::string Ones(size_t n)
{
    std::string text{"["};
    for (size_t i{0}; i < n; ++i) text += i ? ",1" : "1";
    return text + "]";
}

TEST(RpcJsonTests, ValueCountIsBounded)
{
    // Scalars, arrays and objects count; keys do not.
    auto outcome = ParseJsonLimited(R"({"a":[1,"x",null,true,1.5,{}]})", 8);
    ASSERT_TRUE(outcome.value) << outcome.message;
    EXPECT_EQ(WriteJson(*outcome.value), R"({"a":[1,"x",null,true,1.5,{}]})");
    outcome = ParseJsonLimited(R"({"a":[1,"x",null,true,1.5,{}]})", 7);
    EXPECT_FALSE(outcome.value);
    EXPECT_EQ(outcome.failure, JsonParseFailure::TOO_MANY_VALUES);

    // Exactly the limit parses; one more value is refused, whatever follows.
    EXPECT_TRUE(ParseJsonLimited(Ones(999), 1000).value);
    outcome = ParseJsonLimited(Ones(1000), 1000);
    EXPECT_EQ(outcome.failure, JsonParseFailure::TOO_MANY_VALUES);
    EXPECT_NE(outcome.message.find("1000"), std::string::npos);
    EXPECT_EQ(ParseJsonLimited(Ones(1000) + " garbage", 1000).failure, JsonParseFailure::TOO_MANY_VALUES);

    // Invalid text within the limit is INVALID.
    outcome = ParseJsonLimited("[1,", 1000);
    EXPECT_FALSE(outcome.value);
    EXPECT_EQ(outcome.failure, JsonParseFailure::INVALID);
    EXPECT_EQ(ParseJsonLimited("[1] x", 1000).failure, JsonParseFailure::INVALID);
}

TEST(RpcJsonTests, ParsesIntoTheGivenStorage)
{
    json::monotonic_resource arena;
    const json::storage_ptr storage{&arena};
    auto outcome = ParseJsonLimited(R"({"a":[1.10,"x"]})", 100, storage);
    ASSERT_TRUE(outcome.value);
    EXPECT_EQ(outcome.value->storage().get(), &arena);
    EXPECT_EQ(outcome.value->as_object().at("a").as_array().storage().get(), &arena);
    EXPECT_EQ(WriteJson(*outcome.value), R"({"a":[1.10,"x"]})");
}

TEST(RpcJsonTests, MarkerByteInStringsCannotForgeNumbers)
{
    // Parsed text never holds 0xFF (invalid UTF-8 is refused), and a string
    // built in code that looks like a marker but is not a number prints as a string.
    const json::value forged(json::string("\xff" "not a number"));
    EXPECT_EQ(JsonTypeName(forged), "string");
    EXPECT_NE(WriteJson(forged), "not a number");
}

TEST(RpcJsonTests, EscapesStrings)
{
    EXPECT_EQ(RoundTrip("\"a\\\"b\\\\c\\n\\u0001\\u00e9\""), "\"a\\\"b\\\\c\\n\\u0001\xc3\xa9\"");
    EXPECT_EQ(WriteJson(json::value("tab\there")), "\"tab\\there\"");
}

TEST(RpcJsonTests, EscapesEveryByteAsBoostDoes)
{
    // WriteJson has its own string writer (speed); clients have always seen
    // Boost's escaping, so every byte value, in keys and values, must match it.
    std::string all;
    for (int c{0}; c < 256; ++c) all += static_cast<char>(c);
    // Bytes 0xFF lead a raw number; a string starting with it is checked
    // separately above, so put it last.
    const std::string text = "x" + all;
    EXPECT_EQ(WriteJson(json::value(text)), json::serialize(json::value(text)));
    json::object object;
    object[text] = 1;
    EXPECT_EQ(WriteJson(json::value(object)), json::serialize(json::value(object)));
    EXPECT_EQ(WriteJson(json::value("")), "\"\"");
    EXPECT_EQ(WriteJson(json::value(std::numeric_limits<int64_t>::min())), "-9223372036854775808");
    EXPECT_EQ(WriteJson(json::value(std::numeric_limits<uint64_t>::max())), "18446744073709551615");
}

TEST(RpcJsonTests, PrettyPrintsLikeCore)
{
    auto parsed = ParseJson("{\"a\":[1,2.50],\"b\":{},\"c\":[],\"d\":{\"e\":null}}");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(WriteJson(*parsed, 2),
              "{\n  \"a\": [\n    1,\n    2.50\n  ],\n  \"b\": {},\n  \"c\": [],\n  \"d\": {\n    \"e\": null\n  }\n}");
    EXPECT_EQ(WriteJson(json::value(json::array{}), 2), "[]");
    EXPECT_EQ(WriteJson(json::value("s"), 2), "\"s\"");
}

TEST(RpcJsonTests, DoublesPrintShortestAndNonFiniteAsNull)
{
    EXPECT_EQ(WriteJson(json::value(0.1)), "0.1");
    EXPECT_EQ(WriteJson(json::value(1e300 * 1e300)), "null");
}

}  // namespace
}  // namespace hpips
