// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/net_permissions.h>

#include <gtest/gtest.h>

namespace hpips::net {
namespace {

TEST(NetPermissionsTest, Whitelist)
{
    const auto implicit = ParseWhitelist("1.2.3.0/24");
    ASSERT_TRUE(implicit);
    EXPECT_EQ(implicit->flags, PF_IMPLICIT);
    EXPECT_TRUE(implicit->subnet.Match(ParseNetAddr("1.2.3.4").value()));

    const auto explicit_perms = ParseWhitelist("noban,relay@127.0.0.1");
    ASSERT_TRUE(explicit_perms);
    EXPECT_TRUE(HasPermission(explicit_perms->flags, PF_NOBAN));
    EXPECT_TRUE(HasPermission(explicit_perms->flags, PF_DOWNLOAD));  // noban implies download
    EXPECT_TRUE(HasPermission(explicit_perms->flags, PF_RELAY));
    EXPECT_FALSE(HasPermission(explicit_perms->flags, PF_MEMPOOL));

    EXPECT_EQ(ParseWhitelist("addr@::1")->flags, PF_ADDR);
    EXPECT_FALSE(ParseWhitelist("bogus@1.2.3.4"));
    EXPECT_FALSE(ParseWhitelist("noban@"));
    EXPECT_FALSE(ParseWhitelist("noban@999.1.1.1"));
    EXPECT_FALSE(ParseWhitelist("noban,@1.2.3.4"));
}

TEST(NetPermissionsTest, Whitebind)
{
    const auto bind = ParseWhitebind("noban@127.0.0.1:19555");
    ASSERT_TRUE(bind);
    EXPECT_EQ(bind->service.ToString(), "127.0.0.1:19555");
    EXPECT_TRUE(HasPermission(bind->flags, PF_NOBAN));
    EXPECT_FALSE(ParseWhitebind("noban@127.0.0.1"));  // port required
    EXPECT_EQ(ParseWhitebind("[::1]:5")->flags, PF_IMPLICIT);
}

TEST(NetPermissionsTest, Names)
{
    EXPECT_EQ(PermissionNames(PF_NONE).size(), 0u);
    EXPECT_EQ(PermissionNames(PF_IMPLICIT), (std::vector<std::string>{"noban", "relay", "mempool", "download"}));
    EXPECT_EQ(PermissionNames(PF_ADDR), (std::vector<std::string>{"addr"}));
}

}  // namespace
}  // namespace hpips::net
