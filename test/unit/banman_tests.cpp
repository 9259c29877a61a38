// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/banman.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace hpips::net {
namespace {

constexpr int64_t NOW = 1'800'000'000;

NetAddr Addr(std::string_view text) { return ParseNetAddr(text).value(); }
SubNet Net(std::string_view text) { return ParseSubNet(text).value(); }

class BanManTest : public ::testing::Test {
protected:
    BanManTest()
    {
        clock.SetMockTime(NOW);
        dir = std::filesystem::temp_directory_path() /
              ("hpips_banman_test_" + std::to_string(reinterpret_cast<uintptr_t>(this)) + "_" +
               ::testing::UnitTest::GetInstance()->current_test_info()->name());
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
    }
    ~BanManTest() override { std::filesystem::remove_all(dir); }
    std::filesystem::path Path() const { return dir / BANLIST_FILE_NAME; }

    NodeClock clock;
    std::filesystem::path dir;
};

TEST_F(BanManTest, BansMatchSubnetsAndExpire)
{
    BanMan banman{Path(), clock};
    ASSERT_TRUE(banman.Ban(Net("1.2.3.0/24"), 100, false));
    EXPECT_TRUE(banman.IsBanned(Addr("1.2.3.9")));
    EXPECT_FALSE(banman.IsBanned(Addr("1.2.4.9")));
    EXPECT_TRUE(banman.IsBanned(Net("1.2.3.0/24")));
    EXPECT_FALSE(banman.IsBanned(Net("1.2.3.9/32")));  // exact entries only
    const auto banned = banman.GetBanned();
    ASSERT_EQ(banned.size(), 1u);
    EXPECT_EQ(banned.begin()->second.create_time, NOW);
    EXPECT_EQ(banned.begin()->second.ban_until, NOW + 100);
    clock.SetMockTime(NOW + 100);
    EXPECT_FALSE(banman.IsBanned(Addr("1.2.3.9")));
    EXPECT_TRUE(banman.GetBanned().empty());  // swept
}

TEST_F(BanManTest, DefaultAndAbsoluteTimes)
{
    BanMan banman{Path(), clock};
    ASSERT_TRUE(banman.Ban(Net("1.1.1.1"), 0, false));
    EXPECT_EQ(banman.GetBanned().at(Net("1.1.1.1")).ban_until, NOW + DEFAULT_BAN_TIME);
    ASSERT_TRUE(banman.Ban(Net("2.2.2.2"), NOW + 5000, true));
    EXPECT_EQ(banman.GetBanned().at(Net("2.2.2.2")).ban_until, NOW + 5000);
    EXPECT_TRUE(banman.Unban(Net("1.1.1.1")));
    EXPECT_FALSE(banman.Unban(Net("1.1.1.1")));
    banman.ClearBanned();
    EXPECT_TRUE(banman.GetBanned().empty());
}

TEST_F(BanManTest, PersistsAcrossRestart)
{
    {
        BanMan banman{Path(), clock};
        EXPECT_FALSE(std::filesystem::exists(Path()));  // nothing banned: no file
        ASSERT_TRUE(banman.Ban(Net("1.2.3.0/24"), 1000, false));
        ASSERT_TRUE(banman.Ban(Net("2001:db8::/32"), 2000, false));
        EXPECT_TRUE(std::filesystem::exists(Path()));
    }
    BanMan banman{Path(), clock};
    const auto banned = banman.GetBanned();
    ASSERT_EQ(banned.size(), 2u);
    EXPECT_EQ(banned.at(Net("1.2.3.0/24")).ban_until, NOW + 1000);
    EXPECT_EQ(banned.at(Net("2001:db8::/32")).ban_until, NOW + 2000);
    EXPECT_TRUE(banman.IsBanned(Addr("2001:db8::5")));
    // Clearing writes an empty list, so the bans do not come back.
    banman.ClearBanned();
    BanMan reloaded{Path(), clock};
    EXPECT_TRUE(reloaded.GetBanned().empty());
}

TEST_F(BanManTest, DamagedFileIsMovedAside)
{
    for (const std::string text : {"not json", "{\"banned_nets\": 5}", "[]",
                                   "{\"banned_nets\": [{\"version\": 1, \"ban_created\": 1, \"banned_until\": 2}]}",
                                   "{\"banned_nets\": [{\"version\": 2, \"ban_created\": 1, \"banned_until\": 2, "
                                   "\"address\": \"1.2.3.4/32\"}]}"}) {
        {
            std::ofstream out{Path()};
            out << text;
        }
        BanMan banman{Path(), clock};
        EXPECT_TRUE(banman.GetBanned().empty()) << text;
        EXPECT_FALSE(std::filesystem::exists(Path())) << text;
        EXPECT_TRUE(std::filesystem::exists(dir / "banlist.json.bak")) << text;
    }
}

TEST_F(BanManTest, DiscouragementExpiresAndIsBounded)
{
    BanMan banman{{}, clock};
    banman.Discourage(Addr("5.5.5.5"));
    EXPECT_TRUE(banman.IsDiscouraged(Addr("5.5.5.5")));
    EXPECT_FALSE(banman.IsDiscouraged(Addr("5.5.5.6")));
    EXPECT_FALSE(banman.IsBanned(Addr("5.5.5.5")));  // discouraged is not banned
    clock.SetMockTime(NOW + DISCOURAGEMENT_DURATION);
    EXPECT_FALSE(banman.IsDiscouraged(Addr("5.5.5.5")));

    clock.SetMockTime(NOW);
    for (size_t i{0}; i < MAX_DISCOURAGED + 10; ++i) {
        clock.SetMockTime(NOW + static_cast<int64_t>(i));
        banman.Discourage(NetAddr::FromIPv4(9, static_cast<uint8_t>(i >> 16), static_cast<uint8_t>(i >> 8),
                                            static_cast<uint8_t>(i)));
    }
    EXPECT_EQ(banman.DiscouragedCount(), MAX_DISCOURAGED);
    EXPECT_FALSE(banman.IsDiscouraged(NetAddr::FromIPv4(9, 0, 0, 0)));  // the oldest went first
    EXPECT_TRUE(banman.IsDiscouraged(NetAddr::FromIPv4(9, 0, 0, 20)));
    banman.ClearBanned();
    EXPECT_EQ(banman.DiscouragedCount(), 0u);
}

}  // namespace
}  // namespace hpips::net
