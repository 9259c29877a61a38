// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/client.h>

#include <rpc/http_client.h>
#include <rpc/json.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

TEST(RpcClientTests, PositionalConversion)
{
    auto params = RPCConvertValues("echojson", {"1", "1.50", "{\"a\":[true]}", "\"s\"", "null"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[1,1.50,{\"a\":[true]},\"s\",null]");
    params = RPCConvertValues("echo", {"1", "true", "{}"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[\"1\",\"true\",\"{}\"]");
    params = RPCConvertValues("nosuchmethod", {"1"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[\"1\"]");
    // generatetoaddress: count is JSON, the address a string.
    params = RPCConvertValues("generatetoaddress", {"5", "rhp1xyz", "100"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[5,\"rhp1xyz\",100]");
    // A block hash stays a string even when it is all digits.
    params = RPCConvertValues("invalidateblock", {"0123"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[\"0123\"]");
    params = RPCConvertValues("generateblock", {"rhp1xyz", "[]", "false", "false"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[\"rhp1xyz\",[],false,false]");
    params = RPCConvertValues("submitwork", {"ab", "18446744073709551615", "cd", "7", "ef", "00"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(*params), "[\"ab\",18446744073709551615,\"cd\",7,\"ef\",\"00\"]");
    auto bad = RPCConvertValues("echojson", {"not json"});
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error_message(), "Error parsing JSON: not json");
}

TEST(RpcClientTests, NamedConversion)
{
    auto params = RPCConvertNamedValues("echojson", {"arg1=5", "arg0=\"x\"", "7", "arg1=6"});
    ASSERT_TRUE(params);
    // A repeated name keeps its first position and its last value; bare
    // values go to "args".
    EXPECT_EQ(WriteJson(*params), "{\"arg1\":6,\"arg0\":\"x\",\"args\":[7]}");
    params = RPCConvertNamedValues("echo", {"arg0=5", "arg1=a=b"});
    ASSERT_TRUE(params);
    EXPECT_EQ(WriteJson(params->at("arg0")), "\"5\"");
    EXPECT_EQ(WriteJson(params->at("arg1")), "\"a=b\"");
    EXPECT_FALSE(RPCConvertNamedValues("echojson", {"arg0=nope"}));
}

TEST(RpcClientTests, Table)
{
    EXPECT_TRUE(IsJsonParam("setmocktime", 0));
    EXPECT_TRUE(IsJsonParam("setmocktime", "timestamp"));
    EXPECT_FALSE(IsJsonParam("echo", 0));
    EXPECT_FALSE(IsJsonParam("getblockhash", 1));
    EXPECT_TRUE(IsJsonParam("sendtoaddress", "amount"));
}

TEST(RpcClientTests, UrlEncode)
{
    EXPECT_EQ(UrlEncode("my wallet/ü"), "my%20wallet%2F%C3%BC");
    EXPECT_EQ(UrlEncode("a-b_c.d~"), "a-b_c.d~");
}

}  // namespace
}  // namespace hpips
