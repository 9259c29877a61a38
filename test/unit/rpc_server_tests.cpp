// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/server.h>

#include <rpc/json.h>
#include <rpc/util.h>

#include <gtest/gtest.h>

#include <string>

namespace hpips {
namespace {

namespace json = boost::json;

/** Fills a table with one method of every argument type that echoes its params. */
void FillTable(RPCTable& table)
{
    RPCMethod method{
        .category = "test",
        .name = "typed",
        .description = "Checks types.",
        .args = {{"s", RPCArgType::STRING, false, "", "a string"},
                 {"n", RPCArgType::NUMBER, true, "0", "a number"},
                 {"b", RPCArgType::BOOL, true, "false", "a bool"},
                 {"o", RPCArgType::OBJECT, true, "", "an object"},
                 {"a", RPCArgType::ARRAY, true, "", "an array"},
                 {"amount", RPCArgType::AMOUNT, true, "", "an amount"},
                 {"any", RPCArgType::ANY, true, "", "anything"}},
        .result = "[...]    (json array) the parameters",
        .examples = HelpExampleCli("typed", "\"x\""),
        .handler = [](const RPCRequest& request) -> json::value { return request.params; },
    };
    EXPECT_TRUE(table.Register(std::move(method)));
    RPCMethod thrower{
        .category = "hidden",
        .name = "thrower",
        .description = "Throws.",
        .args = {},
        .result = "",
        .examples = "",
        .handler = [](const RPCRequest&) -> json::value { throw std::runtime_error("boom"); },
    };
    EXPECT_TRUE(table.Register(std::move(thrower)));
}

json::value Params(const std::string& text)
{
    auto parsed = ParseJson(text);
    EXPECT_TRUE(parsed) << text;
    return *parsed;
}

std::pair<RPCErrorCode, std::string> ErrorOf(const RPCTable& table, const std::string& method, const std::string& params)
{
    try {
        table.Execute(method, Params(params), RPCRequest{});
    } catch (const RPCError& e) {
        return {e.Code(), e.what()};
    }
    ADD_FAILURE() << "no error for " << method << " " << params;
    return {RPCErrorCode::MISC_ERROR, ""};
}

TEST(RpcServerTests, PassesWellTypedArguments)
{
    RPCTable table;
    FillTable(table);
    const auto result = table.Execute("typed", Params("[\"x\",1.5,true,{},[],\"0.1\",null]"), RPCRequest{});
    EXPECT_EQ(WriteJson(result), "[\"x\",1.5,true,{},[],\"0.1\",null]");
    // Missing optional arguments and nulls are both fine.
    EXPECT_EQ(WriteJson(table.Execute("typed", Params("[\"x\"]"), RPCRequest{})), "[\"x\"]");
    EXPECT_EQ(WriteJson(table.Execute("typed", Params("[\"x\",null,null]"), RPCRequest{})), "[\"x\",null,null]");
}

TEST(RpcServerTests, WrongTypesUseCoreWording)
{
    RPCTable table;
    FillTable(table);
    auto [code, message] = ErrorOf(table, "typed", "[\"x\",\"1\"]");
    EXPECT_EQ(code, RPCErrorCode::TYPE_ERROR);
    EXPECT_EQ(message, "Wrong type passed:\n{\n    \"Position 2 (n)\": \"JSON value of type string is not of expected "
                       "type number\"\n}");
    std::tie(code, message) = ErrorOf(table, "typed", "[1,2,3,4,5]");
    EXPECT_EQ(code, RPCErrorCode::TYPE_ERROR);
    EXPECT_NE(message.find("\"Position 1 (s)\": \"JSON value of type number is not of expected type string\""),
              std::string::npos);
    EXPECT_NE(message.find("\"Position 3 (b)\": \"JSON value of type number is not of expected type bool\""),
              std::string::npos);
    EXPECT_NE(message.find("\"Position 4 (o)\": \"JSON value of type number is not of expected type object\""),
              std::string::npos);
    EXPECT_NE(message.find("\"Position 5 (a)\": \"JSON value of type number is not of expected type array\""),
              std::string::npos);
    std::tie(code, message) = ErrorOf(table, "typed", "[null]");
    EXPECT_EQ(code, RPCErrorCode::TYPE_ERROR);
    EXPECT_NE(message.find("JSON value of type null is not of expected type string"), std::string::npos);
}

TEST(RpcServerTests, WrongCountGivesHelp)
{
    RPCTable table;
    FillTable(table);
    auto [code, message] = ErrorOf(table, "typed", "[]");
    EXPECT_EQ(code, RPCErrorCode::MISC_ERROR);
    EXPECT_EQ(message.substr(0, 40), "typed \"s\" ( n b {...} [...] amount any )");
    std::tie(code, message) = ErrorOf(table, "typed", "[\"x\",1,true,{},[],1,1,\"extra\"]");
    EXPECT_EQ(code, RPCErrorCode::MISC_ERROR);
    EXPECT_EQ(ErrorOf(table, "nosuch", "[]").first, RPCErrorCode::METHOD_NOT_FOUND);
    EXPECT_EQ(ErrorOf(table, "nosuch", "[]").second, "Method not found");
}

TEST(RpcServerTests, NamedArguments)
{
    RPCTable table;
    FillTable(table);
    EXPECT_EQ(WriteJson(table.Execute("typed", Params("{\"s\":\"x\",\"b\":true}"), RPCRequest{})),
              "[\"x\",null,true]");
    EXPECT_EQ(WriteJson(table.Execute("typed", Params("{\"args\":[\"x\",2],\"a\":[]}"), RPCRequest{})),
              "[\"x\",2,null,null,[]]");
    auto [code, message] = ErrorOf(table, "typed", "{\"s\":\"x\",\"nosuch\":1}");
    EXPECT_EQ(code, RPCErrorCode::INVALID_PARAMETER);
    EXPECT_EQ(message, "Unknown named parameter nosuch");
    std::tie(code, message) = ErrorOf(table, "typed", "{\"args\":[\"x\"],\"s\":\"y\"}");
    EXPECT_EQ(code, RPCErrorCode::INVALID_PARAMETER);
    EXPECT_EQ(message, "Parameter s specified twice both as positional and named argument");
    // A required argument left out by name reaches the count check.
    EXPECT_EQ(ErrorOf(table, "typed", "{\"n\":1}").first, RPCErrorCode::TYPE_ERROR);
    EXPECT_EQ(ErrorOf(table, "typed", "{}").first, RPCErrorCode::MISC_ERROR);
}

TEST(RpcServerTests, HandlerExceptionsBecomeErrors)
{
    RPCTable table;
    FillTable(table);
    auto [code, message] = ErrorOf(table, "thrower", "[]");
    EXPECT_EQ(code, RPCErrorCode::MISC_ERROR);
    EXPECT_EQ(message, "boom");
}

TEST(RpcServerTests, RegistrationRules)
{
    RPCTable table;
    FillTable(table);
    RPCMethod duplicate{.category = "x", .name = "typed", .description = "", .args = {}, .result = "",
                        .examples = "", .handler = [](const RPCRequest&) -> json::value { return nullptr; }};
    EXPECT_FALSE(table.Register(duplicate));
    RPCMethod bad_order{.category = "x",
                        .name = "badorder",
                        .description = "",
                        .args = {{"a", RPCArgType::ANY, true, "", ""}, {"b", RPCArgType::ANY, false, "", ""}},
                        .result = "",
                        .examples = "",
                        .handler = [](const RPCRequest&) -> json::value { return nullptr; }};
    EXPECT_FALSE(table.Register(bad_order));
    RPCMethod no_handler{.category = "x", .name = "nohandler", .description = "", .args = {}, .result = "",
                         .examples = "", .handler = nullptr};
    EXPECT_FALSE(table.Register(no_handler));
    EXPECT_TRUE(table.Has("typed"));
    EXPECT_FALSE(table.Has("badorder"));
}

TEST(RpcServerTests, HelpListsByCategoryAndHidesHidden)
{
    RPCTable table;
    FillTable(table);
    EXPECT_EQ(table.Help(""), "== Test ==\ntyped \"s\" ( n b {...} [...] amount any )");
    const std::string detail = table.Help("typed");
    EXPECT_NE(detail.find("Arguments:\n1. s    (string, required) a string\n2. n    (numeric, optional, default=0)"),
              std::string::npos);
    EXPECT_NE(detail.find("6. amount    (numeric or string, optional) an amount"), std::string::npos);
    EXPECT_NE(detail.find("Result:\n[...]"), std::string::npos);
    EXPECT_NE(detail.find("Examples:\n> hpips-cli typed \"x\""), std::string::npos);
    EXPECT_EQ(table.Help("nosuch"), "help: unknown command: nosuch");
    EXPECT_EQ(table.Help("thrower").substr(0, 7), "thrower");
}

TEST(RpcServerTests, Warmup)
{
    RPCTable table;
    FillTable(table);
    table.SetWarmup("Loading block index...");
    auto [code, message] = ErrorOf(table, "typed", "[\"x\"]");
    EXPECT_EQ(code, RPCErrorCode::IN_WARMUP);
    EXPECT_EQ(message, "Loading block index...");
    // A method registered only after the chain loads is not known yet: warmup too.
    EXPECT_EQ(ErrorOf(table, "nosuchmethod", "[]").first, RPCErrorCode::IN_WARMUP);
    table.SetWarmupFinished();
    EXPECT_EQ(ErrorOf(table, "nosuchmethod", "[]").first, RPCErrorCode::METHOD_NOT_FOUND);
    EXPECT_NO_THROW(table.Execute("typed", Params("[\"x\"]"), RPCRequest{}));
}

TEST(RpcServerTests, ActiveCommandsAreTracked)
{
    RPCTable table;
    const RPCTable* table_ptr = &table;
    RPCMethod method{.category = "x",
                     .name = "selfcheck",
                     .description = "",
                     .args = {},
                     .result = "",
                     .examples = "",
                     .handler = [table_ptr](const RPCRequest&) -> json::value {
                         return json::value(table_ptr->ActiveCommands().size());
                     }};
    ASSERT_TRUE(table.Register(std::move(method)));
    EXPECT_EQ(WriteJson(table.Execute("selfcheck", json::value(nullptr), RPCRequest{})), "1");
    EXPECT_TRUE(table.ActiveCommands().empty());
}

}  // namespace
}  // namespace hpips
