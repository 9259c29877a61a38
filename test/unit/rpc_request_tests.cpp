// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/request.h>

#include <rpc/control.h>
#include <rpc/json.h>

#include <gtest/gtest.h>

#include <string>

namespace hpips {
namespace {

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
    reply = Run("[]");
    EXPECT_EQ(reply.status, HTTPStatus::BAD_REQUEST);
    EXPECT_NE(reply.body.find("-32600"), std::string::npos);
    reply = Run(R"([{"jsonrpc":"2.0","method":"echo"}])");
    EXPECT_EQ(reply.status, HTTPStatus::NO_CONTENT);
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
