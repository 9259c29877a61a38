// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/init.h>

#include <consensus/params.h>
#include <node/options.h>
#include <rpc/control.h>
#include <rpc/subnet.h>
#include <util/args.h>
#include <util/logging.h>

#include <iostream>

namespace hpips {
namespace {

namespace ip = boost::asio::ip;

/** Default configuration file name, in the base data directory. */
constexpr std::string_view DEFAULT_CONF_FILE{"hpips.conf"};
/** The debug log, in the network data directory. */
constexpr std::string_view DEBUG_LOG_FILE{"debug.log"};
/** Largest -rpcthreads / -rpcworkqueue accepted. */
constexpr int64_t MAX_RPC_THREADS = 256;
constexpr int64_t MAX_RPC_WORK_QUEUE = 65536;
/** Largest -rpcservertimeout (seconds). */
constexpr int64_t MAX_RPC_SERVER_TIMEOUT = 24 * 3600;

Network NetworkFromSection(std::string_view section)
{
    if (section == SECTION_TEST) return Network::TEST;
    if (section == SECTION_REGTEST) return Network::REGTEST;
    return Network::MAIN;
}

std::filesystem::path AbsoluteIn(const std::filesystem::path& dir, const std::string& path)
{
    const std::filesystem::path p{path};
    return p.is_absolute() ? p : dir / p;
}

Result<int64_t> IntInRange(const Settings& args, std::string_view name, int64_t fallback, int64_t min, int64_t max)
{
    auto value = args.GetIntArg(name, fallback);
    if (!value) return value.error();
    if (*value < min || *value > max) {
        return Error{"Invalid value for -" + std::string{name} + ": must be between " + std::to_string(min) +
                     " and " + std::to_string(max)};
    }
    return value;
}

void SetupLogging(const NodeContext& node)
{
    Logger& logger = GetLogger();
    logger.SetPrintToConsole(node.args->GetBoolArg("printtoconsole", true));
    if (node.args->IsNegated("debug")) return;
    for (const auto& category : node.args->GetArgs("debug")) {
        if (category.empty() || category == "1" || category == "all") {
            logger.EnableCategory(LogCategory::ALL);
        } else if (category == "0" || category == "none") {
            logger.DisableCategory(LogCategory::ALL);
        } else if (const auto parsed = ParseLogCategory(category)) {
            logger.EnableCategory(*parsed);
        } else {
            LogInfo("Warning: Unsupported logging category -debug={}.", category);
        }
    }
}

Result<void> SetupRPCAuth(NodeContext& node)
{
    const Settings& args = *node.args;
    node.rpc_auth = std::make_unique<RPCAuthenticator>();
    const std::string password = args.GetArg("rpcpassword", "");
    if (password.empty()) {
        const auto path = AbsoluteIn(node.data_dir, args.GetArg("rpccookiefile", std::string{COOKIE_FILE_NAME}));
        auto cookie = GenerateAuthCookie(path);
        if (!cookie) return cookie.error();
        node.cookie_path = path;
        node.rpc_auth->AddPassword(std::move(*cookie));
        LogInfo("Generated RPC authentication cookie {}", path.string());
    } else {
        node.rpc_auth->AddPassword({args.GetArg("rpcuser", ""), password});
    }
    for (const auto& spec : args.GetArgs("rpcauth")) {
        auto entry = ParseRPCAuth(spec);
        if (!entry) return Error{"Invalid -rpcauth argument."};
        node.rpc_auth->AddRPCAuth(std::move(*entry));
    }
    return {};
}

Result<HTTPServerOptions> RPCServerOptions(const NodeContext& node)
{
    const Settings& args = *node.args;
    HTTPServerOptions options;
    const auto port = IntInRange(args, "rpcport", Params(node.network).rpc_port, 1, 65535);
    if (!port) return Error{"Invalid port specified in -rpcport: '" + args.GetArg("rpcport", "") + "'"};
    const auto rpc_port = static_cast<uint16_t>(*port);

    // Local clients are always allowed; others only through -rpcallowip.
    options.allow.push_back(*ParseSubnet("127.0.0.0/8"));
    options.allow.push_back(*ParseSubnet("::1"));
    const auto allow = args.GetArgs("rpcallowip");
    for (const auto& text : allow) {
        auto subnet = ParseSubnet(text);
        if (!subnet) return subnet.error();
        options.allow.push_back(*subnet);
    }

    const auto binds = args.GetArgs("rpcbind");
    if (allow.empty()) {
        if (!binds.empty()) {
            LogInfo("WARNING: option -rpcbind was ignored because -rpcallowip was not specified, refusing to allow "
                    "everyone to connect");
        }
        options.bind.emplace_back(ip::address_v4::loopback(), rpc_port);
        options.bind.emplace_back(ip::address_v6::loopback(), rpc_port);
    } else if (binds.empty()) {
        options.bind.emplace_back(ip::address_v4::any(), rpc_port);
        options.bind.emplace_back(ip::address_v6::any(), rpc_port);
    } else {
        for (const auto& text : binds) {
            auto endpoint = ParseEndpoint(text, rpc_port);
            if (!endpoint) return Error{"Invalid -rpcbind address: " + text};
            options.bind.push_back(*endpoint);
        }
    }

    const auto threads = IntInRange(args, "rpcthreads", static_cast<int64_t>(DEFAULT_RPC_THREADS), 1, MAX_RPC_THREADS);
    if (!threads) return threads.error();
    const auto queue =
        IntInRange(args, "rpcworkqueue", static_cast<int64_t>(DEFAULT_RPC_WORK_QUEUE), 1, MAX_RPC_WORK_QUEUE);
    if (!queue) return queue.error();
    const auto timeout =
        IntInRange(args, "rpcservertimeout", DEFAULT_RPC_SERVER_TIMEOUT.count(), 1, MAX_RPC_SERVER_TIMEOUT);
    if (!timeout) return timeout.error();
    options.threads = static_cast<size_t>(*threads);
    options.work_queue = static_cast<size_t>(*queue);
    options.timeout = std::chrono::seconds{*timeout};
    return options;
}

Result<void> StartRPC(NodeContext& node)
{
    if (auto auth = SetupRPCAuth(node); !auth) return auth;
    auto options = RPCServerOptions(node);
    if (!options) return options.error();

    node.rpc_table = std::make_unique<RPCTable>();
    ControlContext control;
    control.request_shutdown = [&node] { node.shutdown.Request(); };
    control.clock = &node.clock;
    control.mockable_chain = node.network == Network::REGTEST;
    control.start_time = node.start_time;
    control.log_path = node.data_dir / DEBUG_LOG_FILE;
    if (auto registered = RegisterControlRPCCommands(*node.rpc_table, std::move(control)); !registered) {
        return registered;
    }

    node.rpc_server = std::make_unique<HTTPRPCServer>(*node.rpc_table, *node.rpc_auth, std::move(*options));
    if (auto started = node.rpc_server->Start(); !started) {
        LogInfo("{}", started.error_message());
        return Error{"Unable to start HTTP server. See debug log for details."};
    }
    return {};
}

}  // namespace

std::string NodeHelpText()
{
    return FormatVersion("HPIPS daemon") + "\n\nUsage:  hpipsd [options]                     Start HPIPS daemon\n\n" +
           FormatOptionsHelp(NodeOptions());
}

Result<ParseOutcome> ParseNodeCommandLine(NodeContext& node, const std::vector<std::string>& tokens)
{
    node.args = std::make_unique<Settings>(NodeOptions());
    if (auto parsed = node.args->ParseCommandLine(tokens); !parsed) return parsed.error();
    const Settings& args = *node.args;
    if (args.GetBoolArg("help", false) || args.GetBoolArg("h", false) || args.GetBoolArg("?", false)) {
        std::cout << NodeHelpText();
        return ParseOutcome::PRINTED_HELP_OR_VERSION;
    }
    if (args.GetBoolArg("version", false)) {
        std::cout << FormatVersion("HPIPS daemon") << "\n";
        return ParseOutcome::PRINTED_HELP_OR_VERSION;
    }
    return ParseOutcome::RUN;
}

Result<void> AppInit(NodeContext& node)
{
    Settings& args = *node.args;

    std::filesystem::path base;
    std::error_code ec;
    if (args.IsSet("datadir")) {
        base = args.GetArg("datadir", "");
        if (base.empty() || !std::filesystem::is_directory(base, ec)) {
            return Error{"Specified data directory \"" + base.string() + "\" does not exist."};
        }
    } else {
        base = DefaultDataDir();
        std::filesystem::create_directories(base, ec);
        if (ec) return Error{"Cannot create data directory \"" + base.string() + "\": " + ec.message()};
    }
    base = std::filesystem::absolute(base, ec);

    const auto conf_path = AbsoluteIn(base, args.GetArg("conf", std::string{DEFAULT_CONF_FILE}));
    if (auto read = args.ReadConfigFile(conf_path, /*strict=*/true, /*must_exist=*/args.IsSet("conf")); !read) {
        return read;
    }
    auto network = args.ChosenNetwork();
    if (!network) return network.error();
    args.SelectNetwork(*network);
    node.network = NetworkFromSection(*network);
    if (args.IsSet("dbcrashratio") && node.network != Network::REGTEST) {
        return Error{"-dbcrashratio is only available on regtest"};
    }

    node.data_dir = NetworkDataDir(base, *network);
    std::filesystem::create_directories(node.data_dir, ec);
    if (ec) return Error{"Cannot create data directory \"" + node.data_dir.string() + "\": " + ec.message()};

    auto lock = DirectoryLock::Acquire(node.data_dir);
    if (!lock) return lock.error();
    node.lock = std::move(*lock);

    const auto log_path = node.data_dir / DEBUG_LOG_FILE;
    if (!GetLogger().OpenFile(log_path)) return Error{"Could not open debug log file " + log_path.string()};
    SetupLogging(node);
    LogInfo("{}", FormatVersion("HPIPS"));
    LogInfo("Using data directory {}", node.data_dir.string());
    LogInfo("Config file: {}{}", conf_path.string(), std::filesystem::exists(conf_path, ec) ? "" : " (not found, skipping)");
    LogInfo("Chain: {}", Params(node.network).Name());
    for (const auto& warning : args.Warnings()) LogInfo("Warning: {}", warning);

    if (args.GetBoolArg("server", true)) {
        if (auto rpc = StartRPC(node); !rpc) return rpc;
    }
    LogInfo("init message: Done loading");
    return {};
}

void Shutdown(NodeContext& node)
{
    // Log only once debug.log is open (the lock comes first): an early init
    // failure has already been reported on stderr.
    if (node.lock) LogInfo("Shutdown: In progress...");
    if (node.rpc_server) node.rpc_server->Stop();
    node.rpc_server.reset();
    if (node.cookie_path) {
        DeleteAuthCookie(*node.cookie_path);
        node.cookie_path.reset();
    }
    node.rpc_table.reset();
    node.rpc_auth.reset();
    if (node.lock) {
        LogInfo("Shutdown: done");
        node.lock.reset();
        GetLogger().CloseFile();
    }
}

}  // namespace hpips
