// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/settings.h>

#include <gtest/gtest.h>

#include <array>

namespace hpips {
namespace {

constexpr auto SPECS = std::to_array<OptionSpec>({
    {"regtest", OptionKind::BOOL, "", "", "chain"},
    {"testnet", OptionKind::BOOL, "", "", "chain"},
    {"server", OptionKind::BOOL, "", "", "rpc"},
    {"rpcport", OptionKind::VALUE, "port", "", "rpc", true},
    {"rpcuser", OptionKind::VALUE, "user", "", "rpc"},
    {"rpcauth", OptionKind::LIST, "userpw", "", "rpc"},
    {"debug", OptionKind::LIST, "category", "", "debug"},
    {"datadir", OptionKind::VALUE, "dir", "", "general"},
    {"conf", OptionKind::VALUE, "file", "", "general"},
    {"hiddenopt", OptionKind::VALUE, "", "", "general", false, true},
});

Settings Parse(const std::vector<std::string>& tokens, std::string_view conf = "", bool strict = true)
{
    Settings settings{SPECS};
    const auto cli = settings.ParseCommandLine(tokens);
    EXPECT_TRUE(cli) << (cli ? "" : cli.error_message());
    const auto read = settings.ReadConfig(conf, strict);
    EXPECT_TRUE(read) << (read ? "" : read.error_message());
    const auto network = settings.ChosenNetwork();
    EXPECT_TRUE(network);
    if (network) settings.SelectNetwork(*network);
    return settings;
}

TEST(RpcSettingsTests, CommandLineForms)
{
    const Settings s = Parse({"-rpcuser=a", "--rpcport=5", "-server", "-rpcuser=b", "-debug=net", "-debug=rpc"});
    EXPECT_EQ(s.GetArg("rpcuser", ""), "b");  // the last wins
    EXPECT_EQ(*s.GetIntArg("rpcport", 0), 5);
    EXPECT_TRUE(s.GetBoolArg("server", false));
    EXPECT_EQ(s.GetArgs("debug"), (std::vector<std::string>{"net", "rpc"}));
    EXPECT_FALSE(s.IsSet("regtest"));
    EXPECT_EQ(s.GetArg("regtest", "dflt"), "dflt");
    EXPECT_EQ(*s.GetIntArg("nosuch", 7), 7);
}

TEST(RpcSettingsTests, Negation)
{
    Settings s = Parse({"-server", "-noserver"});
    EXPECT_FALSE(s.GetBoolArg("server", true));
    EXPECT_TRUE(s.IsNegated("server"));
    s = Parse({"-noserver=0"});  // double negative
    EXPECT_TRUE(s.GetBoolArg("server", false));
    s = Parse({"-server=0"});
    EXPECT_FALSE(s.GetBoolArg("server", true));
    s = Parse({"-server=1"});
    EXPECT_TRUE(s.GetBoolArg("server", false));
    s = Parse({"-debug=net", "-nodebug", "-debug=rpc"});
    EXPECT_EQ(s.GetArgs("debug"), (std::vector<std::string>{"rpc"}));
    // A negation on the command line drops the file's list too.
    s = Parse({"-norpcauth"}, "rpcauth=a:b$c\n");
    EXPECT_TRUE(s.GetArgs("rpcauth").empty());
    s = Parse({}, "norpcauth=1\nserver=1\nnoserver=1\n");
    EXPECT_FALSE(s.GetBoolArg("server", true));
}

TEST(RpcSettingsTests, CommandLineErrors)
{
    for (const std::vector<std::string>& bad :
         {std::vector<std::string>{"-nosuch"}, {"-rpcuse=x"}, {"stray"}, {"-nonosuch"}}) {
        Settings s{SPECS};
        EXPECT_FALSE(s.ParseCommandLine(bad)) << bad[0];
    }
}

TEST(RpcSettingsTests, ConfigSectionsAndPrecedence)
{
    const std::string conf =
        "# comment\n"
        "regtest=1\n"
        "rpcuser=top   # trailing comment\n"
        "rpcport=1000\n"
        "rpcauth=top:s$h\n"
        "\n"
        "[main]\n"
        "rpcuser=main\n"
        "[test]\n"
        "rpcuser=test\n"
        "rpcport=2000\n"
        "[regtest]\n"
        "rpcauth=reg:s$h\n"
        "test.rpcport=2001\n"
        "regtest.rpcport=3000\n";
    Settings s = Parse({}, conf);
    EXPECT_EQ(s.ChosenNetwork().value(), "regtest");
    EXPECT_EQ(s.GetArg("rpcuser", ""), "top");      // no [regtest] value: the top level applies
    EXPECT_EQ(*s.GetIntArg("rpcport", 0), 3000);     // network section wins
    EXPECT_EQ(s.GetArgs("rpcauth"), (std::vector<std::string>{"reg:s$h", "top:s$h"}));
    s = Parse({"-rpcuser=cli", "-rpcport=4000"}, conf);
    EXPECT_EQ(s.GetArg("rpcuser", ""), "cli");      // the command line wins
    EXPECT_EQ(*s.GetIntArg("rpcport", 0), 4000);
    // On main, [main] and the top level apply; [test] does not.
    s = Parse({"-noregtest"}, conf);
    EXPECT_EQ(s.ChosenNetwork().value(), "main");
    EXPECT_EQ(s.GetArg("rpcuser", ""), "main");
    EXPECT_EQ(*s.GetIntArg("rpcport", 0), 1000);
    // Network-only options are not taken from the top level off main.
    s = Parse({"-testnet", "-noregtest"}, "rpcport=1000\nrpcuser=top\n");
    EXPECT_EQ(s.ChosenNetwork().value(), "test");
    EXPECT_FALSE(s.IsSet("rpcport"));
    EXPECT_EQ(s.GetArg("rpcuser", ""), "top");
}

TEST(RpcSettingsTests, ConfigErrors)
{
    const auto error = [](std::string_view conf, bool strict = true) {
        Settings s{SPECS};
        auto result = s.ReadConfig(conf, strict);
        return result ? std::string{} : result.error_message();
    };
    EXPECT_EQ(error("nosuch=1\n"), "Invalid configuration value nosuch");
    EXPECT_EQ(error("regtest.nosuch=1\n"), "Invalid configuration value nosuch");
    EXPECT_EQ(error("nosuch=1\n", false), "");
    EXPECT_EQ(error("server\n"), "parse error on line 1: server");
    EXPECT_EQ(error("\n\nnoserver\n"),
              "parse error on line 3: noserver, if you intended to specify a negated option, use noserver=1 instead");
    EXPECT_EQ(error("-server=1\n"),
              "parse error on line 1: -server=1, options in configuration file must be specified without leading hyphen");
    EXPECT_EQ(error("datadir=/x\n"), "-datadir cannot be set in the configuration file");
    EXPECT_EQ(error("conf=/x\n"), "-conf cannot be set in the configuration file");
    EXPECT_EQ(error("datadir=/x\n", false), "");
    EXPECT_EQ(error("server=1"), "");  // no final newline
    EXPECT_EQ(error("  server = 1  \r\n"), "");
    Settings s{SPECS};
    ASSERT_TRUE(s.ReadConfig("[nosuchsection]\nserver=1\n", true));
    ASSERT_EQ(s.Warnings().size(), 1u);
    EXPECT_EQ(s.Warnings()[0], "Section [nosuchsection] is not recognized.");
}

TEST(RpcSettingsTests, NetworkChoice)
{
    Settings s{SPECS};
    ASSERT_TRUE(s.ParseCommandLine({"-regtest", "-testnet"}));
    EXPECT_FALSE(s.ChosenNetwork());
    Settings t{SPECS};
    ASSERT_TRUE(t.ReadConfig("testnet=1\n", true));
    EXPECT_EQ(t.ChosenNetwork().value(), "test");
    Settings u{SPECS};
    ASSERT_TRUE(u.ReadConfig("[regtest]\nregtest=1\n", true));  // a section cannot choose the network
    EXPECT_EQ(u.ChosenNetwork().value(), "main");
}

TEST(RpcSettingsTests, IntegersAreChecked)
{
    const Settings s = Parse({"-rpcport=12x"});
    EXPECT_FALSE(s.GetIntArg("rpcport", 0));
    EXPECT_EQ(s.GetIntArg("rpcport", 0).error_message(), "Invalid value for -rpcport: '12x'");
}

TEST(RpcSettingsTests, InterpretBool)
{
    EXPECT_TRUE(InterpretBool(""));
    EXPECT_TRUE(InterpretBool("1"));
    EXPECT_TRUE(InterpretBool("2"));
    EXPECT_FALSE(InterpretBool("0"));
    EXPECT_FALSE(InterpretBool("false"));
    EXPECT_FALSE(InterpretBool("x"));
}

TEST(RpcSettingsTests, HelpAndDirectories)
{
    const std::string help = FormatOptionsHelp(SPECS);
    EXPECT_NE(help.find("chain:\n\n  -regtest\n"), std::string::npos);
    EXPECT_NE(help.find("  -rpcport=<port>\n"), std::string::npos);
    EXPECT_EQ(help.find("hiddenopt"), std::string::npos);
    EXPECT_EQ(NetworkDataDir("/d", "main"), std::filesystem::path{"/d"});
    EXPECT_EQ(NetworkDataDir("/d", "test"), std::filesystem::path{"/d/testnet"});
    EXPECT_EQ(NetworkDataDir("/d", "regtest"), std::filesystem::path{"/d/regtest"});
    EXPECT_EQ(DefaultDataDir().filename(), ".hpips");
}

}  // namespace
}  // namespace hpips
