// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/util.h>

#include <rpc/json.h>

#include <gtest/gtest.h>

#include <string>

namespace hpips {
namespace {

namespace json = boost::json;

/** The amount in a one-element JSON array, parsed as a request would be. */
Amount FromJson(const std::string& text)
{
    auto parsed = ParseJson("[" + text + "]");
    EXPECT_TRUE(parsed) << text;
    return AmountFromValue(parsed->as_array().at(0));
}

RPCErrorCode ErrorCodeOf(const std::string& text)
{
    try {
        FromJson(text);
    } catch (const RPCError& e) {
        return e.Code();
    }
    ADD_FAILURE() << "no error for " << text;
    return RPCErrorCode::MISC_ERROR;
}

std::string MessageOf(const std::string& text)
{
    try {
        FromJson(text);
    } catch (const RPCError& e) {
        return e.what();
    }
    return "";
}

TEST(RpcUtilTests, AmountFromJsonNumbersIsExact)
{
    EXPECT_EQ(FromJson("0"), 0);
    EXPECT_EQ(FromJson("1"), COIN);
    EXPECT_EQ(FromJson("0.1"), COIN / 10);
    EXPECT_EQ(FromJson("0.00000001"), 1);
    EXPECT_EQ(FromJson("20999999.99999999"), 2'099'999'999'999'999);
    EXPECT_EQ(FromJson("210000000"), MAX_MONEY);
    EXPECT_EQ(FromJson("1e-8"), 1);
    EXPECT_EQ(FromJson("1E8"), 100'000'000 * COIN);
    EXPECT_EQ(FromJson("0.5e1"), 5 * COIN);
    EXPECT_EQ(FromJson("1.000000000000"), COIN);  // trailing zeros beyond 8 decimals are fine
    EXPECT_EQ(FromJson("-0"), 0);
    EXPECT_EQ(FromJson("-0.0"), 0);
    EXPECT_EQ(FromJson("0e99999"), 0);
}

TEST(RpcUtilTests, AmountFromStrings)
{
    EXPECT_EQ(FromJson("\"1.5\""), COIN + COIN / 2);
    EXPECT_EQ(FromJson("\"0.00000001\""), 1);
    EXPECT_EQ(FromJson("\"2.50000000\""), 2 * COIN + COIN / 2);
    EXPECT_EQ(FromJson("\"1e-8\""), 1);
}

TEST(RpcUtilTests, AmountErrors)
{
    EXPECT_EQ(MessageOf("0.000000001"), "Invalid amount");
    EXPECT_EQ(MessageOf("\"0.123456789\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\"\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\" 1\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\"+1\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\"1.\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\"abc\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\"1e-99999999999\""), "Invalid amount");
    EXPECT_EQ(MessageOf("\"" + std::string(100, '1') + "\""), "Invalid amount");
    EXPECT_EQ(MessageOf("-1"), "Amount out of range");
    EXPECT_EQ(MessageOf("-0.00000001"), "Amount out of range");
    EXPECT_EQ(MessageOf("210000000.00000001"), "Amount out of range");
    EXPECT_EQ(MessageOf("1e30"), "Amount out of range");
    EXPECT_EQ(MessageOf("true"), "Amount is not a number or string");
    EXPECT_EQ(MessageOf("null"), "Amount is not a number or string");
    EXPECT_EQ(MessageOf("[1]"), "Amount is not a number or string");
    EXPECT_EQ(ErrorCodeOf("-1"), RPCErrorCode::TYPE_ERROR);
    EXPECT_EQ(ErrorCodeOf("\"x\""), RPCErrorCode::TYPE_ERROR);
}

TEST(RpcUtilTests, ValueFromAmountIsExactText)
{
    EXPECT_EQ(WriteJson(ValueFromAmount(0)), "0.00000000");
    EXPECT_EQ(WriteJson(ValueFromAmount(COIN)), "1.00000000");
    EXPECT_EQ(WriteJson(ValueFromAmount(1)), "0.00000001");
    EXPECT_EQ(WriteJson(ValueFromAmount(-COIN / 2)), "-0.50000000");
    EXPECT_EQ(WriteJson(ValueFromAmount(MAX_MONEY)), "210000000.00000000");
    EXPECT_EQ(JsonTypeName(ValueFromAmount(5)), "number");
    // Both directions agree on every kind of value.
    for (const Amount amount : {Amount{0}, Amount{1}, Amount{99'999'999}, COIN, 123 * COIN + 45, MAX_MONEY}) {
        EXPECT_EQ(AmountFromValue(ValueFromAmount(amount)), amount);
        EXPECT_EQ(FromJson(WriteJson(ValueFromAmount(amount))), amount);
    }
}

TEST(RpcUtilTests, ParamHelpers)
{
    RPCRequest request;
    request.params = json::array{json::value("s"), json::value(nullptr), json::value(5), json::value(true),
                                 *MakeJsonNumber("1.5"), json::value(18446744073709551615ULL)};
    EXPECT_EQ(ParamString(request, 0), "s");
    EXPECT_FALSE(OptionalParamString(request, 1).has_value());
    EXPECT_FALSE(OptionalParamString(request, 99).has_value());
    EXPECT_EQ(OptionalParam(request, 1), nullptr);
    EXPECT_EQ(ParamInt64(request, 2), 5);
    EXPECT_TRUE(ParamBool(request, 3));
    EXPECT_THROW(ParamInt64(request, 4), RPCError);
    EXPECT_THROW(ParamInt64(request, 5), RPCError);
    EXPECT_THROW(ParamInt64(request, 0), RPCError);
    EXPECT_THROW(ParamString(request, 2), RPCError);
    EXPECT_THROW(ParamString(request, 4), RPCError);  // a raw number is not a string
    EXPECT_THROW(ParamBool(request, 1), RPCError);
    try {
        ParamInt64(request, 4);
    } catch (const RPCError& e) {
        EXPECT_EQ(e.Code(), RPCErrorCode::TYPE_ERROR);
        EXPECT_STREQ(e.what(), "JSON integer out of range");
    }
}

TEST(RpcUtilTests, HelpExamples)
{
    EXPECT_EQ(HelpExampleCli("uptime", ""), "> hpips-cli uptime\n");
    EXPECT_EQ(HelpExampleCli("help", "\"uptime\""), "> hpips-cli help \"uptime\"\n");
    EXPECT_NE(HelpExampleRpc("uptime", "").find("\"method\": \"uptime\""), std::string::npos);
}

}  // namespace
}  // namespace hpips
