// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpips-miner: the standalone miner for rigs that are not nodes. It asks a
// node for block templates over JSON-RPC (getblocktemplate with long
// polling, the coinbase built by the node for -address), mines filler units
// with the PoUW engine on -threads CPU threads, submits winning blocks with
// submitblock, prints a status line every -statusinterval seconds, and rides
// out node restarts. It links the PoUW engine, the kernels, primitives and
// the RPC client only, never the chain (checked by the build: see
// src/miner_app/CMakeLists.txt). --farm runs it under mpirun (farm.cpp).
#include <miner_app/block_work.h>
#include <miner_app/cpu_miner.h>
#include <miner_app/miner_config.h>
#include <miner_app/template_feed.h>
#include <node/settings.h>
#include <rpc/auth.h>
#include <util/args.h>
#include <util/strencodings.h>

#include <fmt/chrono.h>
#include <fmt/format.h>

#include <array>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <ctime>
#include <filesystem>
#include <iostream>
#include <thread>

namespace hpips::miner {

namespace {

using hpips::OptionKind;
using hpips::OptionSpec;

constexpr std::string_view GENERAL{"Options"};
constexpr std::string_view CONNECTION{"Connection options"};
constexpr std::string_view FARM{"Farm options (mpirun -np N hpips-miner --farm ...)"};
constexpr std::string_view CHAIN{"Chain selection options"};

/** Default RPC ports of the three chains (as consensus/params.cpp; the
 *  miner does not link the chain parameters). */
constexpr uint16_t MAIN_RPC_PORT{9332};
constexpr uint16_t TEST_RPC_PORT{19332};
constexpr uint16_t REGTEST_RPC_PORT{19443};
/** Bounds of the interval options, seconds. */
constexpr int64_t MAX_INTERVAL = 24 * 3600;
/** Largest -farmchunk. */
constexpr int64_t MAX_FARM_CHUNK = int64_t{1} << 40;

constexpr auto MINER_OPTIONS = std::to_array<OptionSpec>({
    {"?", OptionKind::BOOL, "", "Print this help message and exit", GENERAL, false, true},
    {"h", OptionKind::BOOL, "", "Print this help message and exit", GENERAL, false, true},
    {"help", OptionKind::BOOL, "", "Print this help message and exit", GENERAL},
    {"version", OptionKind::BOOL, "", "Print version and exit", GENERAL},
    {"address", OptionKind::VALUE, "addr",
     "Key address the coinbase of mined blocks pays (required); the node builds the coinbase for it", GENERAL},
    {"threads", OptionKind::VALUE, "n", "CPU mining threads (default: the number of CPU cores)", GENERAL},
    {"statusinterval", OptionKind::VALUE, "n", "Seconds between status lines (default: 10)", GENERAL},
    {"conf", OptionKind::VALUE, "file",
     "The node's configuration file, read for RPC settings. Relative paths are prefixed by the datadir. "
     "(default: hpips.conf)",
     CONNECTION},
    {"datadir", OptionKind::VALUE, "dir", "The node's data directory (for its cookie and configuration file)",
     CONNECTION},
    {"rpcconnect", OptionKind::VALUE, "ip", "The node's RPC address (default: 127.0.0.1)", CONNECTION},
    {"rpccookiefile", OptionKind::VALUE, "loc",
     "Location of the auth cookie. Relative paths will be prefixed by a net-specific datadir location. "
     "(default: data dir)",
     CONNECTION},
    {"rpcpassword", OptionKind::VALUE, "pw", "Password for JSON-RPC connections", CONNECTION},
    {"rpcport", OptionKind::VALUE, "port", "The node's RPC port (default: 9332, testnet: 19332, regtest: 19443)",
     CONNECTION, true},
    {"rpcuser", OptionKind::VALUE, "user", "Username for JSON-RPC connections", CONNECTION},
    {"farm", OptionKind::BOOL, "",
     "Farm mode, under mpirun: rank 0 talks to the node and hands out nonce ranges, the other ranks mine",
     FARM},
    {"farmtimeout", OptionKind::VALUE, "n",
     "Seconds without word from a rank before rank 0 drops it and reassigns its nonces (default: 10)", FARM},
    {"farmchunk", OptionKind::VALUE, "n", "Nonces handed to a rank at a time (default: 1024)", FARM},
    {"regtest", OptionKind::BOOL, "", "Use the regression test chain", CHAIN},
    {"testnet", OptionKind::BOOL, "", "Use the test chain", CHAIN},
    {"chain", OptionKind::VALUE, "chain", "Use the chain <chain> (main, test, regtest; default: main)", CHAIN},
    {"includeconf", OptionKind::LIST, "file", "", GENERAL, false, true},
});

std::atomic<bool> g_stop{false};

extern "C" void HandleStopSignal(int) { g_stop = true; }

std::string HelpText()
{
    return FormatVersion("HPIPS miner") +
           "\n\nUsage: hpips-miner [options] -address=<addr>\n"
           "       mpirun -np <n> hpips-miner --farm [options] -address=<addr>\n\n" +
           std::string{HAVE_FARM ? "Farm mode: built in (MPI)\n\n" : "Farm mode: not built (no MPI found)\n\n"} +
           FormatOptionsHelp(MINER_OPTIONS);
}

/** One status line's figures from two snapshots of the totals. */
std::string RateText(const CpuMiner::Totals& now, const CpuMiner::Totals& before, double seconds)
{
    const double units = static_cast<double>(now.work.units - before.work.units);  // display only
    const double macs = static_cast<double>(now.work.macs - before.work.macs);
    return fmt::format("units/s={:.1f} MAC/s={:.3f}G", seconds > 0 ? units / seconds : 0.0,
                       seconds > 0 ? macs / seconds / 1e9 : 0.0);
}

int RunStandalone(const MinerConfig& config)
{
    std::atomic<uint64_t> blocks_found{0};
    std::atomic<uint64_t> blocks_rejected{0};
    std::atomic<int64_t> height{-1};
    std::atomic<uint64_t> generation{0};
    CpuMiner miner{config.threads, [&](const MinerJob& job, pouw::WinningTicket win) {
                       const std::string reason = SubmitBlock(config.endpoint, FinishBlock(*job.work, win));
                       if (reason.empty()) {
                           ++blocks_found;
                           PrintLine(fmt::format("block found at height {} (nonce {}, tile {}), accepted",
                                                 job.work->height, win.proof.nonce, win.proof.tile_index));
                       } else {
                           ++blocks_rejected;
                           PrintLine(fmt::format("block found at height {} but not accepted: {}",
                                                 job.work->height, reason));
                       }
                   }};
    PrintLine(fmt::format("hpips-miner: {} CPU thread(s) ({} transcripts), node {}, paying {}", miner.Threads(),
                          pouw::TranscriptBackendName(miner.Backend()), EndpointName(config.endpoint),
                          config.address));

    std::atomic<bool> feed_done{false};
    FeedResult feed_result;
    std::thread feed{[&] {
        feed_result = RunTemplateFeed(
            config.endpoint, config.address, g_stop,
            [&](std::shared_ptr<const BlockWork> work) {
                if (!work) {
                    miner.ClearJob();
                    height = -1;
                    return;
                }
                auto job = std::make_shared<MinerJob>();
                job->generation = ++generation;
                job->request.template_bytes = work->block.header.SerializeTemplate();
                job->request.miner_key = work->block.header.proof.miner_key;
                job->unit = work->filler;
                job->rules = work->rules;
                job->nonce_begin = 0;
                job->nonce_end = UINT64_MAX;
                height = work->height;
                job->work = std::move(work);
                miner.SetJob(std::move(job));
            },
            PrintLine);
        feed_done = true;
    }};

    auto last_status = std::chrono::steady_clock::now();
    CpuMiner::Totals last_totals = miner.GetTotals();
    while (!g_stop.load() && !feed_done.load()) {
        std::this_thread::sleep_for(std::chrono::milliseconds{100});
        const auto now = std::chrono::steady_clock::now();
        if (now - last_status < config.status_interval) continue;
        const double seconds = std::chrono::duration<double>(now - last_status).count();  // display only
        const CpuMiner::Totals totals = miner.GetTotals();
        const int64_t h = height.load();
        if (totals.errors != last_totals.errors) PrintLine("engine error: " + totals.last_error);
        PrintLine(fmt::format("status: height={} {} tickets={} blocks={} rejected={} errors={} threads={}",
                              h < 0 ? std::string{"-"} : std::to_string(h), RateText(totals, last_totals, seconds),
                              totals.tickets, blocks_found.load(), blocks_rejected.load(), totals.errors,
                              miner.Threads()));
        last_status = now;
        last_totals = totals;
    }
    int code = EXIT_OK;
    if (feed_done.load()) {
        feed.join();
        if (feed_result.end == FeedEnd::UNAUTHORIZED) {
            std::cerr << "error: " << feed_result.message << "\n";
            code = EXIT_BAD_CREDENTIALS;
        } else if (feed_result.end == FeedEnd::BAD_ADDRESS) {
            std::cerr << "error: " << feed_result.message << "\n";
            code = EXIT_NODE_REFUSED;
        }
    } else {
        // A long poll may hold the feed for minutes: leave without waiting for it.
        feed.detach();
    }
    PrintLine(fmt::format("hpips-miner: stopping, {} block(s) found", blocks_found.load()));
    std::fflush(stdout);
    std::cerr.flush();
    std::_Exit(code);
}

/** Parses the options into `config`; an error message on failure. */
Result<MinerConfig> ParseConfig(Settings& settings)
{
    MinerConfig config;
    std::filesystem::path base = DefaultDataDir();
    std::error_code ec;
    if (settings.IsSet("datadir")) {
        base = settings.GetArg("datadir", "");
        if (base.empty() || !std::filesystem::is_directory(base, ec)) {
            return Error{"Specified data directory \"" + base.string() + "\" does not exist."};
        }
    }
    std::filesystem::path conf{settings.GetArg("conf", "hpips.conf")};
    if (!conf.is_absolute()) conf = base / conf;
    // The node's file holds node options too: unknown names are not errors here.
    if (auto read = settings.ReadConfigFiles(conf, base, /*strict=*/false, /*must_exist=*/settings.IsSet("conf"));
        !read) {
        return read.error();
    }
    const auto network = settings.ChosenNetwork();
    if (!network) return network.error();
    settings.SelectNetwork(*network);
    int64_t port = MAIN_RPC_PORT;
    if (*network == SECTION_TEST) port = TEST_RPC_PORT;
    if (*network == SECTION_REGTEST) port = REGTEST_RPC_PORT;

    config.address = settings.GetArg("address", "");
    if (config.address.empty()) return Error{"-address=<addr> is required: the key address mined blocks pay"};
    const std::string password = settings.GetArg("rpcpassword", "");
    config.endpoint.http.user = settings.GetArg("rpcuser", "");
    config.endpoint.http.password = password;
    if (password.empty()) {
        std::filesystem::path cookie = settings.GetArg("rpccookiefile", std::string{COOKIE_FILE_NAME});
        if (!cookie.is_absolute()) cookie = NetworkDataDir(base, *network) / cookie;
        config.endpoint.cookie = cookie;
    }
    std::string host = settings.GetArg("rpcconnect", "127.0.0.1");
    if (const size_t colon = host.rfind(':'); colon != std::string::npos && host.find(':') == colon) {
        const auto parsed = ParseInt64(host.substr(colon + 1), 1, 65535);
        if (!parsed) return Error{"Invalid port provided in -rpcconnect: " + host};
        port = *parsed;
        host = host.substr(0, colon);
    }
    if (settings.IsSet("rpcport")) {
        const auto parsed = ParseInt64(settings.GetArg("rpcport", ""), 1, 65535);
        if (!parsed) return Error{"Invalid port provided in -rpcport: " + settings.GetArg("rpcport", "")};
        port = *parsed;
    }
    config.endpoint.http.host = host;
    config.endpoint.http.port = static_cast<uint16_t>(port);

    const int64_t cores = std::max<int64_t>(1, std::thread::hardware_concurrency());
    const auto threads = settings.GetIntArg("threads", cores);
    if (!threads || *threads < 1 || *threads > MAX_MINER_THREADS) {
        return Error{"Invalid -threads (1 to " + std::to_string(MAX_MINER_THREADS) + ")"};
    }
    config.threads = static_cast<size_t>(*threads);
    const auto interval = settings.GetIntArg("statusinterval", 10);
    if (!interval || *interval < 1 || *interval > MAX_INTERVAL) return Error{"Invalid -statusinterval"};
    config.status_interval = std::chrono::seconds{*interval};
    const auto timeout = settings.GetIntArg("farmtimeout", 10);
    if (!timeout || *timeout < 1 || *timeout > MAX_INTERVAL) return Error{"Invalid -farmtimeout"};
    config.farm_timeout = std::chrono::seconds{*timeout};
    const auto chunk = settings.GetIntArg("farmchunk", 1024);
    if (!chunk || *chunk < 1 || *chunk > MAX_FARM_CHUNK) return Error{"Invalid -farmchunk"};
    config.farm_chunk = static_cast<uint64_t>(*chunk);
    return config;
}

int Run(int argc, char** argv)
{
    std::vector<std::string> tokens;
    for (int i = 1; i < argc; ++i) {
        if (argv[i][0] != '-') {
            std::cerr << "Error: unexpected argument " << argv[i] << " (options only)\n";
            return EXIT_BAD_OPTIONS;
        }
        tokens.emplace_back(argv[i]);
    }
    Settings settings{MINER_OPTIONS};
    if (auto parsed = settings.ParseCommandLine(tokens); !parsed) {
        std::cerr << "Error: " << parsed.error_message() << "\n";
        return EXIT_BAD_OPTIONS;
    }
    if (settings.GetBoolArg("help", false) || settings.GetBoolArg("h", false) || settings.GetBoolArg("?", false)) {
        std::cout << HelpText();
        return EXIT_OK;
    }
    if (settings.GetBoolArg("version", false)) {
        std::cout << FormatVersion("HPIPS miner") << "\n";
        return EXIT_OK;
    }
    auto config = ParseConfig(settings);
    if (!config) {
        std::cerr << "Error: " << config.error_message() << "\n";
        return EXIT_BAD_OPTIONS;
    }
    std::signal(SIGINT, HandleStopSignal);
    std::signal(SIGTERM, HandleStopSignal);
    if (settings.GetBoolArg("farm", false)) return RunFarm(*config, argc, argv);
    return RunStandalone(*config);
}

}  // namespace

void PrintLine(const std::string& line)
{
    const auto now = std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now());
    std::fputs(fmt::format("{:%Y-%m-%dT%H:%M:%SZ} {}\n", now, line).c_str(), stdout);
    std::fflush(stdout);
}

std::atomic<bool>& StopFlag() { return g_stop; }

}  // namespace hpips::miner

int main(int argc, char** argv) { return hpips::miner::Run(argc, argv); }
