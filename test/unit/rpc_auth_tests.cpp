// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/auth.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sys/stat.h>
#include <unistd.h>

namespace hpips {
namespace {

std::string Basic(const std::string& user_colon_password) { return "Basic " + EncodeBase64(user_colon_password); }

TEST(RpcAuthTests, Base64IsStrict)
{
    EXPECT_EQ(DecodeBase64("").value(), "");
    EXPECT_EQ(DecodeBase64("Zg==").value(), "f");
    EXPECT_EQ(DecodeBase64("Zm8=").value(), "fo");
    EXPECT_EQ(DecodeBase64("Zm9v").value(), "foo");
    EXPECT_EQ(EncodeBase64("foob"), "Zm9vYg==");
    for (const char* bad : {"Zg", "Zg=", "Zg===", "Z===", "Zm9v\n", " Zm9v", "Zm9v ", "Zm=v", "Zh==", "Zm9=",
                            "Zm!v", "====", "Zg==Zg=="}) {
        EXPECT_FALSE(DecodeBase64(bad).has_value()) << bad;
    }
}

TEST(RpcAuthTests, ParseBasicAuth)
{
    auto credentials = ParseBasicAuth(Basic("user:pass:with:colons"));
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->user, "user");
    EXPECT_EQ(credentials->password, "pass:with:colons");
    credentials = ParseBasicAuth(Basic(":"));
    ASSERT_TRUE(credentials);
    EXPECT_EQ(credentials->user, "");
    EXPECT_EQ(credentials->password, "");
    for (const std::string& bad : {std::string{""}, std::string{"Basic"}, std::string{"Basic "},
                                   "basic " + EncodeBase64("a:b"), "Bearer " + EncodeBase64("a:b"),
                                   Basic("nocolon"), std::string{"Basic !!!!"}, "Basic " + EncodeBase64("a:b") + "x",
                                   "Basic  " + EncodeBase64("a:b"), "Basic " + std::string(MAX_AUTHORIZATION_SIZE, 'A')}) {
        EXPECT_FALSE(ParseBasicAuth(bad).has_value()) << bad;
    }
}

TEST(RpcAuthTests, RPCAuthHashMatchesPythonHmac)
{
    // hmac.new(b"cb77f0957de88ff388cf817ddbc7273", b"secret", "sha256").hexdigest()
    EXPECT_EQ(RPCAuthHash("cb77f0957de88ff388cf817ddbc7273", "secret"),
              "c9ce7cb2de2ad5aadae1449ad1e62baa38d98fced30a7cd2eae656cab574b678");
}

TEST(RpcAuthTests, ParseRPCAuth)
{
    auto entry = ParseRPCAuth("alice:cb77f0957de88ff388cf817ddbc7273$C9CE7CB2DE2AD5AADAE1449AD1E62BAA38D98FCED30A7CD2EAE656CAB574B678");
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->user, "alice");
    EXPECT_EQ(entry->salt, "cb77f0957de88ff388cf817ddbc7273");
    EXPECT_EQ(entry->hash, "c9ce7cb2de2ad5aadae1449ad1e62baa38d98fced30a7cd2eae656cab574b678");
    for (const char* bad : {"", "alice", "alice:salt", "alice:salt$", "alice:salt$abc", ":salt$" "c9ce7cb2de2ad5aadae1449ad1e62baa38d98fced30a7cd2eae656cab574b678",
                            "alice:$c9ce7cb2de2ad5aadae1449ad1e62baa38d98fced30a7cd2eae656cab574b678",
                            "alice:salt$c9ce7cb2de2ad5aadae1449ad1e62baa38d98fced30a7cd2eae656cab574b67z"}) {
        EXPECT_FALSE(ParseRPCAuth(bad)) << bad;
    }
}

TEST(RpcAuthTests, AuthenticatorChecksEveryKind)
{
    RPCAuthenticator auth;
    auth.AddPassword({"__cookie__", "abcd"});
    auth.AddPassword({"user", "pw"});
    auth.AddRPCAuth(*ParseRPCAuth(
        "alice:cb77f0957de88ff388cf817ddbc7273$c9ce7cb2de2ad5aadae1449ad1e62baa38d98fced30a7cd2eae656cab574b678"));
    EXPECT_EQ(auth.Check(Basic("__cookie__:abcd")).value(), "__cookie__");
    EXPECT_EQ(auth.Check(Basic("user:pw")).value(), "user");
    EXPECT_EQ(auth.Check(Basic("alice:secret")).value(), "alice");
    for (const char* bad : {"__cookie__:abc", "__cookie__:abcde", "user:pw2", "user2:pw", "alice:Secret", "bob:secret",
                            "user:", ":pw", "alice:"}) {
        EXPECT_FALSE(auth.Check(Basic(bad)).has_value()) << bad;
    }
    EXPECT_FALSE(auth.Check("garbage").has_value());
    EXPECT_FALSE(RPCAuthenticator{}.Check(Basic(":")).has_value());
}

TEST(RpcAuthTests, CookieFile)
{
    const auto dir = std::filesystem::temp_directory_path() / ("hpips_rpc_auth_tests_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir);
    const auto path = dir / ".cookie";
    auto cookie = GenerateAuthCookie(path);
    ASSERT_TRUE(cookie);
    EXPECT_EQ(cookie->user, "__cookie__");
    EXPECT_EQ(cookie->password.size(), 2 * COOKIE_SECRET_BYTES);
    struct stat st {};
    ASSERT_EQ(::stat(path.c_str(), &st), 0);
    EXPECT_EQ(st.st_mode & 0777, 0600u);
    auto read = ReadAuthCookie(path);
    ASSERT_TRUE(read);
    EXPECT_EQ(read->user, cookie->user);
    EXPECT_EQ(read->password, cookie->password);
    // A second cookie differs and replaces the first.
    auto second = GenerateAuthCookie(path);
    ASSERT_TRUE(second);
    EXPECT_NE(second->password, cookie->password);
    EXPECT_EQ(ReadAuthCookie(path)->password, second->password);
    EXPECT_FALSE(std::filesystem::exists(dir / ".cookie.tmp"));
    DeleteAuthCookie(path);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_FALSE(ReadAuthCookie(path));
    DeleteAuthCookie(path);  // missing: fine
    // Malformed and oversized cookie files.
    std::ofstream{path} << "nocolon";
    EXPECT_FALSE(ReadAuthCookie(path));
    std::ofstream{path} << "u:p\nsecond line";
    EXPECT_EQ(ReadAuthCookie(path)->password, "p");
    std::ofstream{path} << "u:" << std::string(10 * MAX_COOKIE_FILE_SIZE, 'x');
    EXPECT_EQ(ReadAuthCookie(path)->password.size(), MAX_COOKIE_FILE_SIZE - 2);
    std::filesystem::remove_all(dir);
}

TEST(RpcAuthTests, ParseAuthCookie)
{
    auto parsed = ParseAuthCookie("__cookie__:a:b\r\nrest");
    ASSERT_TRUE(parsed);
    EXPECT_EQ(parsed->user, "__cookie__");
    EXPECT_EQ(parsed->password, "a:b");
    EXPECT_EQ(ParseAuthCookie(":")->user, "");
    EXPECT_FALSE(ParseAuthCookie(""));
    EXPECT_FALSE(ParseAuthCookie("nocolon\nu:p"));
    // Only the first MAX_COOKIE_FILE_SIZE bytes count: a ':' one byte later is not seen.
    EXPECT_EQ(ParseAuthCookie(std::string(MAX_COOKIE_FILE_SIZE - 1, 'u') + ":p")->password, "");
    EXPECT_FALSE(ParseAuthCookie(std::string(MAX_COOKIE_FILE_SIZE, 'u') + ":p"));
}

}  // namespace
}  // namespace hpips
