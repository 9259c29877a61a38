// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/request.h>

#include <rpc/control.h>
#include <rpc/json.h>

#include <gtest/gtest.h>

#include <string>
#include <string_view>

namespace hpips {
namespace {

namespace json = boost::json;

/** A table with the control methods, as the node has it. */
class RpcRequestTests : public ::testing::Test {
protected:
    void SetUp() override
    {
        ControlContext context;
        context.request_shutdown = [this] { m_shutdown = true; };
        context.clock = &m_clock;
        context.mockable_chain = true;
        ASSERT_TRUE(RegisterControlRPCCommands(m_table, std::move(context)));
    }

    HTTPReplyData Run(const std::string& body) { return ExecuteJSONRPCBody(m_table, body, RPCRequest{}); }

    RPCTable m_table;
    NodeClock m_clock;
    bool m_shutdown{false};
};

TEST_F(RpcRequestTests, LegacyShape)
{
    auto reply = Run(R"({"id":1,"method":"echo","params":["a"]})");
    EXPECT_EQ(reply.status, HTTPStatus::OK);
    EXPECT_EQ(reply.body, "{\"result\":[\"a\"],\"error\":null,\"id\":1}\n");
    reply = Run(R"({"jsonrpc":"1.0","method":"echo"})");
    EXPECT_EQ(reply.body, "{\"result\":[],\"error\":null,\"id\":null}\n");
}

TEST_F(RpcRequestTests, V2Shape)
{
    auto reply = Run(R"({"jsonrpc":"2.0","id":"x","method":"echo","params":[1.10]})");
    EXPECT_EQ(reply.status, HTTPStatus::OK);
    EXPECT_EQ(reply.body, "{\"jsonrpc\":\"2.0\",\"result\":[1.10],\"id\":\"x\"}\n");
    reply = Run(R"({"jsonrpc":"2.0","id":null,"method":"nosuch"})");
    EXPECT_EQ(reply.status, HTTPStatus::OK);
    EXPECT_EQ(reply.body,
              "{\"jsonrpc\":\"2.0\",\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":null}\n");
}

TEST_F(RpcRequestTests, LegacyStatusMapping)
{
    EXPECT_EQ(Run(R"({"id":1,"method":"nosuch"})").status, HTTPStatus::NOT_FOUND);
    EXPECT_EQ(Run(R"({"id":1})").status, HTTPStatus::BAD_REQUEST);
    EXPECT_EQ(Run(R"({"id":1,"method":"setmocktime","params":["x"]})").status, HTTPStatus::INTERNAL_SERVER_ERROR);
    auto reply = Run("{not json");
    EXPECT_EQ(reply.status, HTTPStatus::INTERNAL_SERVER_ERROR);
    EXPECT_EQ(reply.body, "{\"result\":null,\"error\":{\"code\":-32700,\"message\":\"Parse error\"},\"id\":null}\n");
    reply = Run("17");
    EXPECT_EQ(reply.status, HTTPStatus::BAD_REQUEST);
    EXPECT_NE(reply.body.find("-32600"), std::string::npos);
}

TEST_F(RpcRequestTests, Notifications)
{
    auto reply = Run(R"({"jsonrpc":"2.0","method":"echo"})");
    EXPECT_EQ(reply.status, HTTPStatus::NO_CONTENT);
    EXPECT_TRUE(reply.body.empty());
    reply = Run(R"({"jsonrpc":"2.0","method":"stop"})");
    EXPECT_EQ(reply.status, HTTPStatus::NO_CONTENT);
    EXPECT_TRUE(m_shutdown);  // executed, not answered
    // An invalid request is answered even without an id.
    reply = Run(R"({"jsonrpc":"2.0"})");
    EXPECT_NE(reply.body.find("Missing method"), std::string::npos);
}

TEST_F(RpcRequestTests, Batches)
{
    auto reply = Run(R"([{"jsonrpc":"2.0","id":1,"method":"echo","params":[1]},)"
                     R"({"jsonrpc":"2.0","method":"echo"},)"
                     R"({"id":2,"method":"nosuch"}, 5])");
    EXPECT_EQ(reply.status, HTTPStatus::OK);
    EXPECT_EQ(reply.body,
              "[{\"jsonrpc\":\"2.0\",\"result\":[1],\"id\":1},"
              "{\"result\":null,\"error\":{\"code\":-32601,\"message\":\"Method not found\"},\"id\":2},"
              "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"Invalid Request object\"},\"id\":null}]\n");
    // An empty batch answers an empty array, as Core does.
    reply = Run("[]");
    EXPECT_EQ(reply.status, HTTPStatus::OK);
    EXPECT_EQ(reply.body, "[]\n");
    reply = Run(R"([{"jsonrpc":"2.0","method":"echo"}])");
    EXPECT_EQ(reply.status, HTTPStatus::NO_CONTENT);
}

/** A batch of n `{"id":i,"method":"uptime"}` requests. */
std::string UptimeBatch(size_t n)
{
    std::string body{"["};
    for (size_t i{0}; i < n; ++i) body += (i ? ",{\"id\":" : "{\"id\":") + std::to_string(i) + ",\"method\":\"uptime\"}";
    return body + "]";
}

TEST_F(RpcRequestTests, BatchSizeIsBounded)
{
    // At the limit every request runs and is answered in order.
    auto reply = Run(UptimeBatch(MAX_RPC_BATCH_SIZE));
    ASSERT_EQ(reply.status, HTTPStatus::OK);
    auto parsed = ParseJson(reply.body);
    ASSERT_TRUE(parsed);
    const auto& replies = parsed->as_array();
    ASSERT_EQ(replies.size(), MAX_RPC_BATCH_SIZE);
    EXPECT_EQ(replies.back().as_object().at("id").as_int64(), static_cast<int64_t>(MAX_RPC_BATCH_SIZE - 1));
    EXPECT_TRUE(replies.back().as_object().at("error").is_null());

    // One more: a single legacy error, nothing executed.
    reply = Run(UptimeBatch(MAX_RPC_BATCH_SIZE + 1));
    EXPECT_EQ(reply.status, HTTPStatus::BAD_REQUEST);
    parsed = ParseJson(reply.body);
    ASSERT_TRUE(parsed);
    const auto& error = parsed->as_object().at("error").as_object();
    EXPECT_EQ(error.at("code").as_int64(), static_cast<int64_t>(RPCErrorCode::INVALID_REQUEST));
    EXPECT_NE(std::string_view{error.at("message").as_string()}.find("Batch too large: 100001 requests, at most 100000"),
              std::string_view::npos);
}

TEST_F(RpcRequestTests, JsonValuesAreBounded)
{
    // {"method":"echo","params":[[1,...]]}: object, method, params and the
    // inner array are 4 values.
    const auto echo = [](size_t ones) {
        std::string body{R"({"id":1,"method":"echo","params":[[)"};
        for (size_t i{0}; i < ones; ++i) body += i ? ",1" : "1";
        return body + "]]}";
    };
    // With the id: 5 values besides the ones.
    auto reply = Run(echo(MAX_RPC_REQUEST_JSON_VALUES - 5));
    EXPECT_EQ(reply.status, HTTPStatus::OK);
    reply = Run(echo(MAX_RPC_REQUEST_JSON_VALUES - 4));
    EXPECT_EQ(reply.status, HTTPStatus::BAD_REQUEST);
    EXPECT_EQ(reply.body, "{\"result\":null,\"error\":{\"code\":-32600,\"message\":\"Request too large: more than "
                          "1000000 JSON values in one request\"},\"id\":null}\n");
    // A 4 MiB batch of two million trivial elements is refused the same way.
    std::string ones{"["};
    for (size_t i{0}; i < 2'000'000; ++i) ones += i ? ",1" : "1";
    reply = Run(ones + "]");
    EXPECT_EQ(reply.status, HTTPStatus::BAD_REQUEST);
    EXPECT_NE(reply.body.find("Request too large"), std::string::npos);
}

TEST_F(RpcRequestTests, BatchReplySizeIsBounded)
{
    // A method whose reply is 1 MiB of text: the replies pass
    // MAX_RPC_BATCH_REPLY_SIZE with the 64th.
    constexpr size_t REPLY_SIZE = 1024 * 1024;
    RPCMethod big;
    big.category = "hidden";
    big.name = "bigreply";
    big.handler = [](const RPCRequest&) { return json::value(std::string(REPLY_SIZE, 'a')); };
    ASSERT_TRUE(m_table.Register(std::move(big)));
    constexpr size_t RUN = MAX_RPC_BATCH_REPLY_SIZE / REPLY_SIZE;
    constexpr size_t REQUESTS = RUN + 5;
    std::string body{"["};
    for (size_t i{0}; i < REQUESTS; ++i) body += R"({"jsonrpc":"2.0","method":"bigreply","id":)" + std::to_string(i) + "},";
    body += R"({"jsonrpc":"2.0","method":"bigreply"}])";  // a notification: no reply even when refused
    const auto reply = Run(body);
    ASSERT_EQ(reply.status, HTTPStatus::OK);
    EXPECT_LT(reply.body.size(), MAX_RPC_BATCH_REPLY_SIZE + REPLY_SIZE + REQUESTS * 200);
    auto parsed = ParseJson(reply.body);
    ASSERT_TRUE(parsed);
    const auto& replies = parsed->as_array();
    ASSERT_EQ(replies.size(), REQUESTS);
    for (size_t i{0}; i < replies.size(); ++i) {
        const auto& r = replies[i].as_object();
        EXPECT_EQ(r.at("id").as_int64(), static_cast<int64_t>(i));
        if (i < RUN) {
            EXPECT_EQ(r.at("result").as_string().size(), REPLY_SIZE) << i;
        } else {
            ASSERT_TRUE(r.contains("error")) << i;
            EXPECT_EQ(r.at("error").at("code").as_int64(), static_cast<int64_t>(RPCErrorCode::OUT_OF_MEMORY));
            EXPECT_NE(std::string_view{r.at("error").at("message").as_string()}.find("Batch reply too large"),
                      std::string_view::npos);
        }
    }
}

TEST_F(RpcRequestTests, RequestParsing)
{
    JSONRPCRequest request;
    request.Parse(*ParseJson(R"({"jsonrpc":"2.0","id":[1],"method":"m","params":{"a":1}})"));
    EXPECT_EQ(request.version, JSONRPCVersion::V2);
    EXPECT_EQ(WriteJson(*request.id), "[1]");
    EXPECT_EQ(request.method, "m");
    EXPECT_TRUE(request.params.is_object());
    EXPECT_FALSE(request.IsNotification());
    JSONRPCRequest legacy;
    legacy.Parse(*ParseJson(R"({"method":"m","params":null})"));
    EXPECT_EQ(legacy.version, JSONRPCVersion::V1_LEGACY);
    EXPECT_FALSE(legacy.id.has_value());
    EXPECT_FALSE(legacy.IsNotification());
    EXPECT_TRUE(legacy.params.is_null());
    for (const char* bad : {R"([])", R"({"method":1})", R"({"jsonrpc":"2.1","method":"m"})",
                            R"({"jsonrpc":true,"method":"m"})", R"({"method":"m","params":"x"})"}) {
        JSONRPCRequest r;
        try {
            r.Parse(*ParseJson(bad));
            ADD_FAILURE() << bad;
        } catch (const RPCError& e) {
            EXPECT_EQ(e.Code(), RPCErrorCode::INVALID_REQUEST) << bad;
        }
    }
}

TEST_F(RpcRequestTests, SetMockTimeMovesTheClock)
{
    EXPECT_EQ(Run(R"({"id":1,"method":"setmocktime","params":[1700000000]})").status, HTTPStatus::OK);
    EXPECT_EQ(m_clock.Now(), 1700000000);
    EXPECT_EQ(Run(R"({"id":1,"method":"setmocktime","params":[-1]})").status, HTTPStatus::INTERNAL_SERVER_ERROR);
    EXPECT_EQ(m_clock.Now(), 1700000000);
    Run(R"({"id":1,"method":"setmocktime","params":[0]})");
    EXPECT_EQ(m_clock.MockTime(), 0);
    EXPECT_GT(m_clock.Now(), 1700000000);
}

TEST(RpcRequestMainnetTests, SetMockTimeIsRegtestOnly)
{
    RPCTable table;
    NodeClock clock;
    ControlContext context;
    context.request_shutdown = [] {};
    context.clock = &clock;
    context.mockable_chain = false;
    ASSERT_TRUE(RegisterControlRPCCommands(table, std::move(context)));
    const auto reply = ExecuteJSONRPCBody(table, R"({"id":1,"method":"setmocktime","params":[5]})", RPCRequest{});
    EXPECT_NE(reply.body.find("setmocktime is for regression testing (-regtest mode) only"), std::string::npos);
    EXPECT_EQ(clock.MockTime(), 0);
}

}  // namespace
}  // namespace hpips
