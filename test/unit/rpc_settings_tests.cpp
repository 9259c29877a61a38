// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/settings.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>

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
    {"debugopt", OptionKind::VALUE, "", "", "debug", false, false, true},
    {"chain", OptionKind::VALUE, "chain", "", "chain"},
    {"includeconf", OptionKind::LIST, "file", "", "general"},
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

TEST(RpcSettingsTests, IntegerInRange)
{
    EXPECT_EQ(*Parse({"-rpcport=65535"}).GetIntArgInRange("rpcport", 1, 1, 65535), 65535);
    EXPECT_EQ(*Parse({}).GetIntArgInRange("rpcport", 9, 1, 10), 9);
    // One over the maximum names the option and the range.
    const auto over = Parse({"-rpcport=65536"}).GetIntArgInRange("rpcport", 1, 1, 65535);
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error_message(), "Invalid value for -rpcport: must be between 1 and 65535");
    EXPECT_FALSE(Parse({"-rpcport=x"}).GetIntArgInRange("rpcport", 1, 1, 10));  // not an integer
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
    // Unknown names are warnings, not errors (Core: a bitcoin.conf with
    // txindex=1 or zmqpub* still starts the node).
    EXPECT_EQ(error("nosuch=1\n"), "");
    EXPECT_EQ(error("regtest.nosuch=1\n"), "");
    EXPECT_EQ(error("nosuch=1\n", false), "");
    {
        Settings w{SPECS};
        ASSERT_TRUE(w.ReadConfig("txindex=1\nserver=1\nzmqpubrawblock=tcp://127.0.0.1:28332\n", true));
        EXPECT_EQ(w.Warnings(), (std::vector<std::string>{"Ignoring unknown configuration value txindex",
                                                          "Ignoring unknown configuration value zmqpubrawblock"}));
        EXPECT_TRUE(w.GetBoolArg("server", false));
        Settings quiet{SPECS};
        ASSERT_TRUE(quiet.ReadConfig("txindex=1\n", false));
        EXPECT_TRUE(quiet.Warnings().empty());
    }
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

TEST(RpcSettingsTests, ConfigLimits)
{
    // A line of MAX_CONFIG_LINE_LENGTH is read; one byte more is refused.
    const std::string value(MAX_CONFIG_LINE_LENGTH - std::string_view{"rpcuser="}.size(), 'u');
    Settings ok{SPECS};
    ASSERT_TRUE(ok.ReadConfig("rpcuser=" + value + "\n", true));
    EXPECT_EQ(ok.GetArg("rpcuser", "").size(), value.size());
    Settings over{SPECS};
    const auto long_line = over.ReadConfig("server=1\nrpcuser=" + value + "u\n", true);
    ASSERT_FALSE(long_line);
    EXPECT_EQ(long_line.error_message(), "parse error on line 2: line longer than 65536 bytes");

    // Text of MAX_CONFIG_FILE_SIZE is read (comments); one byte more is refused.
    std::string text;
    while (text.size() + 1000 <= MAX_CONFIG_FILE_SIZE) text += "#" + std::string(998, 'c') + "\n";
    text += std::string(MAX_CONFIG_FILE_SIZE - text.size(), '\n');
    ASSERT_EQ(text.size(), MAX_CONFIG_FILE_SIZE);
    Settings full{SPECS};
    EXPECT_TRUE(full.ReadConfig(text, true));
    Settings too_big{SPECS};
    EXPECT_FALSE(too_big.ReadConfig(text + "\n", true));
}

/** A directory under the test's temporary directory, removed at the end. */
class ConfDir {
public:
    ConfDir()
    {
        std::string tmpl{(std::filesystem::path{::testing::TempDir()} / "hpips_conf_XXXXXX").string()};
        m_path = ::mkdtemp(tmpl.data());
    }
    ~ConfDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }
    void Write(const std::string& name, std::string_view text) const
    {
        std::ofstream{m_path / name, std::ios::binary} << text;
    }

private:
    std::filesystem::path m_path;
};

TEST(RpcSettingsTests, ConfigFileSize)
{
    const ConfDir dir;
    dir.Write("exact.conf", std::string(MAX_CONFIG_FILE_SIZE, '\n'));
    dir.Write("over.conf", std::string(MAX_CONFIG_FILE_SIZE + 1, '\n'));
    Settings s{SPECS};
    EXPECT_TRUE(s.ReadConfigFile(dir.path() / "exact.conf", true, true));
    const auto over = s.ReadConfigFile(dir.path() / "over.conf", true, true);
    ASSERT_FALSE(over);
    EXPECT_NE(over.error_message().find("is too large"), std::string::npos);
    EXPECT_FALSE(s.ReadConfigFile(dir.path() / "missing.conf", true, true));
    EXPECT_TRUE(s.ReadConfigFile(dir.path() / "missing.conf", true, false));
}

TEST(RpcSettingsTests, IncludeConf)
{
    const ConfDir dir;
    dir.Write("hpips.conf", "includeconf=extra.conf\nincludeconf=" + (dir.path() / "abs.conf").string() +
                                "\n[regtest]\nincludeconf=rt.conf\n");
    dir.Write("extra.conf", "rpcuser=fromextra\nincludeconf=nested.conf\n");
    dir.Write("abs.conf", "rpcauth=a\n");
    dir.Write("rt.conf", "rpcauth=b\n");
    dir.Write("nested.conf", "rpcauth=never\n");
    Settings s{SPECS};
    ASSERT_TRUE(s.ReadConfigFiles(dir.path() / "hpips.conf", dir.path(), true, true));
    EXPECT_EQ(s.GetArg("rpcuser", ""), "fromextra");
    EXPECT_EQ(s.GetArgs("rpcauth"), std::vector<std::string>{"a"});  // main: [regtest]'s include not read
    ASSERT_EQ(s.Warnings().size(), 1u);
    EXPECT_EQ(s.Warnings()[0], "-includeconf cannot be used from included files; ignoring -includeconf=nested.conf");

    // The network's section includes are read for that network.
    Settings r{SPECS};
    ASSERT_TRUE(r.ParseCommandLine({"-regtest"}));
    ASSERT_TRUE(r.ReadConfigFiles(dir.path() / "hpips.conf", dir.path(), true, true));
    r.SelectNetwork("regtest");
    EXPECT_EQ(r.GetArgs("rpcauth"), (std::vector<std::string>{"b", "a"}));

    // From the command line it is an error, as in Core.
    Settings cli{SPECS};
    ASSERT_TRUE(cli.ParseCommandLine({"-includeconf=extra.conf"}));
    const auto from_cli = cli.ReadConfigFiles(dir.path() / "hpips.conf", dir.path(), true, true);
    ASSERT_FALSE(from_cli);
    EXPECT_EQ(from_cli.error_message(), "-includeconf cannot be used from commandline; -includeconf=extra.conf");

    // A missing include is an error naming it.
    dir.Write("missing.conf", "includeconf=nosuch.conf\n");
    Settings missing{SPECS};
    const auto not_found = missing.ReadConfigFiles(dir.path() / "missing.conf", dir.path(), true, true);
    ASSERT_FALSE(not_found);
    EXPECT_EQ(not_found.error_message(), "Failed to include configuration file " + (dir.path() / "nosuch.conf").string());

    // MAX_INCLUDED_CONFIG_FILES includes are read; one more is refused.
    std::string many;
    for (size_t i = 0; i < MAX_INCLUDED_CONFIG_FILES; ++i) many += "includeconf=abs.conf\n";
    dir.Write("many.conf", many);
    dir.Write("toomany.conf", many + "includeconf=abs.conf\n");
    Settings at_limit{SPECS};
    EXPECT_TRUE(at_limit.ReadConfigFiles(dir.path() / "many.conf", dir.path(), true, true));
    Settings over{SPECS};
    const auto too_many = over.ReadConfigFiles(dir.path() / "toomany.conf", dir.path(), true, true);
    ASSERT_FALSE(too_many);
    EXPECT_EQ(too_many.error_message(), "Too many -includeconf files: 33 (at most 32)");
}

TEST(RpcSettingsTests, ChainOption)
{
    const auto chosen = [](const std::vector<std::string>& tokens, std::string_view conf = "") -> std::string {
        Settings s{SPECS};
        if (!s.ParseCommandLine(tokens)) return "parse error";
        if (!s.ReadConfig(conf, true)) return "config error";
        auto network = s.ChosenNetwork();
        return network ? *network : "error: " + network.error_message();
    };
    EXPECT_EQ(chosen({"-chain=regtest"}), "regtest");
    EXPECT_EQ(chosen({"-chain=test"}), "test");
    EXPECT_EQ(chosen({"-chain=main"}), "main");
    EXPECT_EQ(chosen({}, "chain=regtest\n"), "regtest");
    EXPECT_EQ(chosen({"-chain=main"}, "chain=regtest\n"), "main");  // the command line wins
    EXPECT_EQ(chosen({"-chain=regtest", "-regtest"}),
              "error: Invalid combination of -regtest, -testnet and -chain. Can use at most one.");
    EXPECT_EQ(chosen({"-chain=main", "-testnet"}),
              "error: Invalid combination of -regtest, -testnet and -chain. Can use at most one.");
    EXPECT_EQ(chosen({"-regtest", "-testnet"}),
              "error: Invalid combination of -regtest, -testnet and -chain. Can use at most one.");
    EXPECT_EQ(chosen({"-chain=signet"}), "error: Invalid -chain value 'signet': use main, test or regtest");
    EXPECT_EQ(chosen({"-chain=regtest", "-noregtest"}), "regtest");
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
    EXPECT_EQ(help.find("debugopt"), std::string::npos);
    const std::string help_debug = FormatOptionsHelp(SPECS, /*show_debug=*/true);
    EXPECT_NE(help_debug.find("  -debugopt\n"), std::string::npos);
    EXPECT_EQ(help_debug.find("hiddenopt"), std::string::npos);
    EXPECT_EQ(NetworkDataDir("/d", "main"), std::filesystem::path{"/d"});
    EXPECT_EQ(NetworkDataDir("/d", "test"), std::filesystem::path{"/d/testnet"});
    EXPECT_EQ(NetworkDataDir("/d", "regtest"), std::filesystem::path{"/d/regtest"});
    EXPECT_EQ(DefaultDataDir().filename(), ".hpips");
}

}  // namespace
}  // namespace hpips
