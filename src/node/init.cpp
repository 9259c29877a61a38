// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/init.h>

#include <consensus/params.h>
#include <crypto/random.h>
#include <kernels/device.h>
#include <primitives/address.h>
#include <primitives/key_io.h>
#include <chain/mempool_persist.h>
#include <node/notify.h>
#include <rpc/blobs.h>
#include <rpc/blockchain.h>
#include <rpc/mining.h>
#include <rpc/misc_chain.h>
#include <rpc/net.h>
#include <rpc/rawtransaction.h>
#include <node/options.h>
#include <node/wallet_setup.h>
#include <node/zmq_setup.h>
#include <rpc/control.h>
#include <rpc/mempool.h>
#include <rpc/mempool_file.h>
#include <rpc/scantxoutset.h>
#include <rpc/protocol.h>
#include <rpc/subnet.h>
#include <rpc/util.h>
#include <util/args.h>
#include <util/logging.h>
#include <wallet/wallet_manager.h>

#include <sys/resource.h>
#include <unistd.h>

#include <fstream>
#include <iostream>
#include <thread>

namespace hpips {
namespace {

namespace ip = boost::asio::ip;

/** Default configuration file name, in the base data directory. */
constexpr std::string_view DEFAULT_CONF_FILE{"hpips.conf"};
/** The debug log, in the network data directory (-debuglogfile). */
constexpr std::string_view DEBUG_LOG_FILE{"debug.log"};
/** The pid file, in the network data directory (-pid). */
constexpr std::string_view DEFAULT_PID_FILE{"hpipsd.pid"};
/** -maxmempool bounds, in MB (10^6 bytes, as Core): below the smallest, one
 *  large transaction chain would not fit. */
constexpr int64_t MIN_MAX_MEMPOOL_MB = 5;
constexpr int64_t MAX_MAX_MEMPOOL_MB = 1 << 20;
constexpr int64_t DEFAULT_MAX_MEMPOOL_MB = 300;
/** Largest -rpcthreads / -rpcworkqueue accepted. */
constexpr int64_t MAX_RPC_THREADS = 256;
constexpr int64_t MAX_RPC_WORK_QUEUE = 65536;
/** Largest -rpcservertimeout and -rpcheadertimeout (seconds). */
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

void SetupLogging(const NodeContext& node)
{
    Logger& logger = GetLogger();
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
    const auto port = args.GetIntArgInRange("rpcport", Params(node.network).rpc_port, 1, 65535);
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

    const auto threads = args.GetIntArgInRange("rpcthreads", static_cast<int64_t>(DEFAULT_RPC_THREADS), 1, MAX_RPC_THREADS);
    if (!threads) return threads.error();
    const auto queue =
        args.GetIntArgInRange("rpcworkqueue", static_cast<int64_t>(DEFAULT_RPC_WORK_QUEUE), 1, MAX_RPC_WORK_QUEUE);
    if (!queue) return queue.error();
    const auto timeout =
        args.GetIntArgInRange("rpcservertimeout", DEFAULT_RPC_SERVER_TIMEOUT.count(), 1, MAX_RPC_SERVER_TIMEOUT);
    if (!timeout) return timeout.error();
    options.threads = static_cast<size_t>(*threads);
    options.work_queue = static_cast<size_t>(*queue);
    options.timeout = std::chrono::seconds{*timeout};
    const auto header_timeout =
        args.GetIntArgInRange("rpcheadertimeout", DEFAULT_RPC_HEADER_TIMEOUT.count(), 1, MAX_RPC_SERVER_TIMEOUT);
    if (!header_timeout) return header_timeout.error();
    options.header_timeout = std::chrono::seconds{*header_timeout};
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
    control.log_path = node.log_path;
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


/** Largest -dbcache (MiB) and smallest. */
constexpr int64_t MIN_DB_CACHE_MIB = 4;
constexpr int64_t MAX_DB_CACHE_MIB = 1 << 16;
/** File in the network data directory holding the key -mine pays to when no
 *  -mineraddress is given (WIF, mode 0600). */
constexpr char MINER_KEY_FILE[] = "miner_key";

/** The payout of the built-in miner: -mineraddress, or a key kept in the
 *  data directory (created on first use) so a quick regtest start needs no
 *  wallet. */
Result<Destination> MinerPayout(const NodeContext& node)
{
    const Settings& args = *node.args;
    if (args.IsSet("mineraddress")) {
        auto dest = DecodeAddress(args.GetArg("mineraddress", ""), node.network);
        if (!dest) return Error{"Invalid -mineraddress: " + dest.error_message()};
        return *dest;
    }
    // With a wallet loaded, the miner pays to a new address of the first one.
    if (node.wallet_manager) {
        if (const auto wallets = node.wallet_manager->Wallets(); !wallets.empty()) {
            auto address = wallets.front()->GetNewAddress("", wallet::KeyBranch::RECEIVE);
            if (!address) return Error{"Cannot get a mining address from wallet \"" + wallets.front()->Name() + "\": " + address.error_message()};
            LogInfo("miner: no -mineraddress given; paying to {} of wallet \"{}\"", *address, wallets.front()->Name());
            return *DecodeAddress(*address, node.network);
        }
    }
    const auto path = node.data_dir / MINER_KEY_FILE;
    std::optional<PrivKey> key;
    if (std::ifstream in{path}; in) {
        std::string wif;
        std::getline(in, wif);
        key = DecodeSecret(wif, node.network);
        if (!key) return Error{"Cannot read the miner key in " + path.string()};
    } else {
        key = PrivKey::Generate();
        std::ofstream out{path, std::ios::trunc};
        out << EncodeSecret(*key, node.network) << "\n";
        out.close();
        std::error_code ec;
        std::filesystem::permissions(path, std::filesystem::perms::owner_read | std::filesystem::perms::owner_write,
                                     std::filesystem::perm_options::replace, ec);
        if (!out || ec) return Error{"Cannot write the miner key to " + path.string()};
    }
    const Destination dest = KeyDestination(key->GetXOnlyPubKey());
    LogInfo("miner: no -mineraddress given; paying to {} (key in {})", EncodeAddress(dest, node.network),
            path.string());
    return dest;
}

/** Opens <datadir>/blobs with -blobquota; logs what the startup scan cleaned up. */
Result<void> LoadBlobStore(NodeContext& node)
{
    const auto quota = node.args->GetIntArgInRange("blobquota", static_cast<int64_t>(DEFAULT_BLOB_QUOTA), 0,
                                  static_cast<int64_t>(MAX_BLOB_QUOTA));
    if (!quota) return quota.error();
    auto store = BlobStore::Open(BlobStoreOptions{.dir = node.data_dir / "blobs",
                                                  .quota = static_cast<uint64_t>(*quota)});
    if (!store) return Error{"Error opening the blob store: " + store.error().message};
    node.blob_store = std::move(*store);
    const BlobStoreOpenReport& report = node.blob_store->OpenReport();
    for (const auto& problem : report.problems) LogInfo("Warning: blob store: {}", problem);
    LogInfo("Blob store: {} blobs, {} of {} bytes; {} unfinished temp files removed", report.blobs, report.bytes,
            node.blob_store->Quota(), report.temp_files_removed);
    return {};
}

/** -maxmempool (MB) and -minrelaytxfee (coins per kvB, as Core's amounts). */
Result<MempoolOptions> MempoolOptionsFrom(const Settings& args)
{
    MempoolOptions options;
    const auto max_mb = args.GetIntArgInRange("maxmempool", DEFAULT_MAX_MEMPOOL_MB, MIN_MAX_MEMPOOL_MB, MAX_MAX_MEMPOOL_MB);
    if (!max_mb) return max_mb.error();
    options.max_bytes = static_cast<size_t>(*max_mb) * 1'000'000;
    if (args.IsSet("minrelaytxfee")) {
        const std::string text = args.GetArg("minrelaytxfee", "");
        try {
            options.min_relay_fee_rate = AmountFromValue(boost::json::value(text));
        } catch (const RPCError&) {
            return Error{"Invalid amount for -minrelaytxfee=<amount>: '" + text + "'"};
        }
    }
    return options;
}

/** -persistmempool: loads mempool.dat into the fresh pool (chain/mempool_persist.h).
 *  A file that cannot be used is a log line, never a failed start. */
void LoadMempoolFile(NodeContext& node)
{
    node.persist_mempool = node.args->GetBoolArg("persistmempool", true);
    if (!node.persist_mempool) return;
    const auto path = node.data_dir / MEMPOOL_FILE_NAME;
    auto loaded = LoadMempool(*node.mempool, path, MaxMempoolFileSize(node.mempool->Options().max_bytes));
    if (!loaded) {
        LogInfo("Failed to load mempool from {}: {}. Continuing with an empty mempool.", path.string(),
                loaded.error_message());
    } else {
        LogInfo("Imported mempool transactions from disk: {} succeeded, {} failed", loaded->accepted, loaded->failed);
    }
    // Only a pool whose file was read (or found unusable) is written back at
    // shutdown: a start that failed earlier must not replace a good file.
    node.mempool_load_tried = true;
}

Result<void> LoadChain(NodeContext& node)
{
    const Settings& args = *node.args;
    const ChainParams& params = Params(node.network);
    ChainstateOptions options;
    options.datadir = node.data_dir;
    const auto dbcache = args.GetIntArgInRange("dbcache", 450, MIN_DB_CACHE_MIB, MAX_DB_CACHE_MIB);
    if (!dbcache) return Error{"Invalid -dbcache: '" + args.GetArg("dbcache", "") + "'"};
    options.coins_cache_bytes = static_cast<size_t>(*dbcache) << 20;
    const auto crash_ratio = args.GetIntArgInRange("dbcrashratio", 0, 0, 1'000'000);
    if (!crash_ratio) return Error{"Invalid -dbcrashratio: '" + args.GetArg("dbcrashratio", "") + "'"};
    options.crash_ratio = static_cast<uint32_t>(*crash_ratio);
    options.reindex = args.GetBoolArg("reindex", false);
    const auto par = args.GetIntArgInRange("par", 0, 0, MAX_SCRIPT_CHECK_THREADS);
    if (!par) return par.error();
    options.script_check_threads = *par;
    LogInfo("Using {} signature verification threads",
            ScriptCheckThreads(*par, std::thread::hardware_concurrency()));
    options.now = [&node] { return node.clock.Now(); };
    // A system failure of the chain (Core's AbortNode): say so on stderr as
    // well as in debug.log, and shut down with a failure status.
    options.fatal_error = [&node](const std::string& message) {
        std::cerr << "Error: " << message << std::endl;
        node.exit_status = 1;
        node.shutdown.Request();
    };
    if (node.rpc_table) node.rpc_table->SetWarmup(options.reindex ? "Reindexing blocks..." : "Loading block index...");
    auto chainstate = Chainstate::Open(params, std::move(options));
    if (!chainstate) return Error{"Error loading block database: " + chainstate.error_message()};
    node.chainstate = std::move(*chainstate);
    auto mempool_options = MempoolOptionsFrom(args);
    if (!mempool_options) return mempool_options.error();
    node.mempool = std::make_unique<Mempool>(*node.chainstate, *mempool_options);
    LoadMempoolFile(node);
    node.rpc_mining_pool = std::make_unique<ThreadPool>(std::max(1u, std::thread::hardware_concurrency()));
    if (auto blobs = LoadBlobStore(node); !blobs) return blobs;
    node.chain_context = std::make_unique<ChainContext>(ChainContext{*node.chainstate, *node.mempool, node.clock,
                                                                     params, nullptr, &node.interrupt,
                                                                     node.rpc_mining_pool.get(),
                                                                     node.blob_store.get()});
    const auto tip = node.chainstate->TipInfo();
    LogInfo("Chain loaded: height={} best={}", tip.height, tip.hash.GetHex());
    return {};
}


/** -txindex: opens <datadir>/indexes/txindex (wiped with -reindex, as
 *  Core does) and starts building it in the background. Off, the database
 *  is left as it is, and a later start with -txindex resumes from its best
 *  block. */
Result<void> StartTxIndex(NodeContext& node)
{
    if (!node.args->GetBoolArg("txindex", false)) return {};
    TxIndexOptions options;
    options.dir = node.data_dir / "indexes" / std::string{TXINDEX_NAME};
    options.wipe = node.args->GetBoolArg("reindex", false);
    options.fatal_error = [&node](const std::string& message) {
        std::cerr << "Error: " << message << std::endl;
        node.exit_status = 1;
        node.shutdown.Request();
    };
    auto index = TxIndex::Open(*node.chainstate, std::move(options));
    if (!index) return Error{"Error opening the transaction index: " + index.error_message()};
    node.txindex = std::move(*index);
    node.chain_context->txindex = node.txindex.get();
    node.txindex->Start();
    return {};
}

Result<void> StartMiner(NodeContext& node)
{
    const Settings& args = *node.args;
    if (!args.GetBoolArg("mine", false)) return {};
    auto payout = MinerPayout(node);
    if (!payout) return payout.error();
    MinerOptions options;
    options.payout = *payout;
    const auto threads = args.GetIntArgInRange("minerthreads", std::max(1u, std::thread::hardware_concurrency()), 1, 1024);
    if (!threads) return Error{"Invalid -minerthreads: '" + args.GetArg("minerthreads", "") + "'"};
    options.threads = static_cast<size_t>(*threads);
    options.device = args.GetArg("minerdevice", "auto");
    // Beside GPUs the CPU mines only when asked to (-minerthreads given).
    options.cpu_beside_gpu = args.IsSet("minerthreads");
    const auto spot_check = args.GetIntArgInRange("minerspotcheck", static_cast<int64_t>(DEFAULT_MINER_SPOT_CHECK), 0,
                                       MAX_MINER_SPOT_CHECK);
    if (!spot_check) return Error{"Invalid -minerspotcheck: '" + args.GetArg("minerspotcheck", "") + "'"};
    options.spot_check_every = static_cast<uint64_t>(*spot_check);
    auto miner = Miner::Start(*node.chainstate, *node.mempool, node.clock, std::move(options));
    if (!miner) return Error{"Cannot start the miner: " + miner.error_message()};
    node.miner = std::move(*miner);
    node.chain_context->miner = node.miner.get();
    return {};
}

Result<void> RegisterChainRPC(NodeContext& node)
{
    if (!node.rpc_table) return {};
    RPCTable& table = *node.rpc_table;
    ChainContext& context = *node.chain_context;
    for (auto* reg : {&RegisterBlockchainRPCCommands, &RegisterRawTransactionRPCCommands, &RegisterMiningRPCCommands,
                      &RegisterMiscChainRPCCommands, &RegisterBlobRPCCommands, &RegisterMempoolRPCCommands,
                      &RegisterScanTxOutSetRPCCommands}) {
        if (auto registered = reg(table, context); !registered) return registered;
    }
    node.mempool_file = std::make_unique<MempoolFileContext>(*node.mempool, node.data_dir / MEMPOOL_FILE_NAME);
    if (auto registered = RegisterMempoolFileRPCCommands(table, *node.mempool_file); !registered) return registered;
    return {};
}

/** Largest -timeout (ms) and -peertimeout / -pingtimeout (seconds). */
constexpr int64_t MAX_CONNECT_TIMEOUT_MS = 10 * 60 * 1000;
constexpr int64_t MAX_PEER_TIMEOUT = 24 * 60 * 60;
/** File descriptors kept for everything but peers (LevelDB, block files,
 *  RPC clients, listeners), as Core's MIN_CORE_FILEDESCRIPTORS. */
constexpr int64_t RESERVED_FILE_DESCRIPTORS = 150;

/** Largest -txrelayinterval (ms): Core's inbound average. */
constexpr int64_t MAX_TX_RELAY_INTERVAL_MS = 5'000;

/** Transaction relay's options: -txrelayinterval (regtest only) shortens
 *  the announcement timers so functional tests stay fast. */
Result<net::TxRelayOptions> TxRelayOptionsFrom(const NodeContext& node)
{
    const Settings& args = *node.args;
    net::TxRelayOptions options;
    if (!args.IsSet("txrelayinterval")) return options;
    if (node.network != Network::REGTEST) return Error{"-txrelayinterval is only available on regtest"};
    const auto interval = args.GetIntArgInRange("txrelayinterval", MAX_TX_RELAY_INTERVAL_MS, 1, MAX_TX_RELAY_INTERVAL_MS);
    if (!interval) return interval.error();
    options.inbound_interval = std::chrono::milliseconds{*interval};
    options.outbound_interval = std::chrono::milliseconds{std::max<int64_t>(1, *interval * 2 / 5)};
    return options;
}

/** The P2P network: options, connection manager, protocol logic, RPC
 *  methods. Runs after the chain is loaded (version carries our height). */
Result<void> StartNetwork(NodeContext& node)
{
    const Settings& args = *node.args;
    const ChainParams& params = Params(node.network);
    net::ConnmanOptions options;
    options.magic = params.message_start;
    options.default_port = params.default_port;
    options.data_dir = node.data_dir;

    const auto port = args.GetIntArgInRange("port", params.default_port, 1, 65535);
    if (!port) return Error{"Invalid port specified in -port: '" + args.GetArg("port", "") + "'"};
    const auto listen_port = static_cast<uint16_t>(*port);

    // -connect=<peers>: only those; -connect=0 / -noconnect: no automatic
    // connections. Real -connect peers make -listen default to off (Core).
    for (const auto& target : args.GetArgs("connect")) {
        if (target != "0") options.connect.push_back(target);
    }
    options.use_addrman_outgoing = !args.IsSet("connect");
    options.listen = args.GetBoolArg("listen", options.connect.empty());
    options.addnodes = args.GetArgs("addnode");
    options.seednodes = args.GetArgs("seednode");
    for (const auto& text : args.GetArgs("whitelist")) {
        auto entry = net::ParseWhitelist(text);
        if (!entry) return entry.error();
        options.whitelist.push_back(*entry);
    }
    for (const auto& name : args.GetArgs("onlynet")) {
        auto type = net::ParseNetType(name);
        if (!type) return Error{"Unknown network specified in -onlynet: '" + name + "'"};
        options.only_networks.insert(*type);
    }
    if (options.listen) {
        for (const auto& text : args.GetArgs("bind")) {
            auto service = net::ParseService(text, listen_port);
            if (!service) return Error{"Cannot resolve -bind address: '" + text + "'"};
            options.listen_on.push_back({*service, net::PF_NONE, true});
        }
        for (const auto& text : args.GetArgs("whitebind")) {
            auto entry = net::ParseWhitebind(text);
            if (!entry) return entry.error();
            options.listen_on.push_back({entry->service, entry->flags, true});
        }
        if (options.listen_on.empty()) {
            if (node.network == Network::REGTEST) {
                options.listen_on.push_back({{net::NetAddr::FromIPv4(127, 0, 0, 1), listen_port}, net::PF_NONE, true});
            } else {
                options.listen_on.push_back({{net::NetAddr::FromIPv4(0, 0, 0, 0), listen_port}, net::PF_NONE, false});
                options.listen_on.push_back({{net::NetAddr{}, listen_port}, net::PF_NONE, false});
            }
        }
    }

    auto max_connections = args.GetIntArgInRange("maxconnections", net::DEFAULT_MAX_PEER_CONNECTIONS, 0, 1'000'000);
    if (!max_connections) return max_connections.error();
    // Each connection holds a socket: stay within the process's descriptor limit.
    rlimit limit{};
    if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur != RLIM_INFINITY) {
        const int64_t available = std::max<int64_t>(
            0, static_cast<int64_t>(limit.rlim_cur) - RESERVED_FILE_DESCRIPTORS - net::MAX_ADDNODE_CONNECTIONS);
        if (*max_connections > available) {
            LogInfo("Warning: Reducing -maxconnections from {} to {}, because of system limitations.",
                    *max_connections, available);
            max_connections = available;
        }
    }
    options.max_connections = static_cast<int>(*max_connections);
    const auto timeout = args.GetIntArgInRange("timeout", net::DEFAULT_CONNECT_TIMEOUT_MS, 1, MAX_CONNECT_TIMEOUT_MS);
    if (!timeout) return timeout.error();
    options.connect_timeout = std::chrono::milliseconds{*timeout};
    const auto peer_timeout = args.GetIntArgInRange("peertimeout", net::DEFAULT_PEER_CONNECT_TIMEOUT, 1, MAX_PEER_TIMEOUT);
    if (!peer_timeout) return peer_timeout.error();
    options.peer_connect_timeout = *peer_timeout;

    net::PeerManagerOptions peer_options;
    const auto ping_timeout = args.GetIntArgInRange("pingtimeout", net::DEFAULT_PING_TIMEOUT, 1, MAX_PEER_TIMEOUT);
    if (!ping_timeout) return ping_timeout.error();
    peer_options.ping_timeout = *ping_timeout;
    peer_options.best_height = [&node] { return node.chainstate->Height(); };
    peer_options.min_relay_fee_rate = node.mempool->Options().min_relay_fee_rate;
    if (node.blob_store) peer_options.local_services |= net::NODE_BLOBS;

    node.connman = std::make_unique<net::ConnectionManager>(std::move(options), node.clock);
    node.peerman = std::make_unique<net::PeerManager>(*node.connman, node.clock, std::move(peer_options));
    node.block_sync = std::make_unique<net::BlockSync>(*node.chainstate, *node.peerman, *node.connman, node.clock);
    node.peerman->RegisterHandler(*node.block_sync);
    // Job data (blobs) over P2P: serves the store and fetches into it.
    if (node.blob_store) {
        node.blob_relay = std::make_unique<net::BlobRelay>(*node.peerman, *node.blob_store, node.clock);
        node.peerman->RegisterHandler(*node.blob_relay);
    }
    auto tx_relay_options = TxRelayOptionsFrom(node);
    if (!tx_relay_options) return tx_relay_options.error();
    node.tx_relay = std::make_unique<net::TxRelay>(*node.chainstate, *node.mempool, node.clock, *tx_relay_options);
    node.peerman->RegisterHandler(*node.tx_relay);
    if (!args.GetBoolArg("networkactive", true)) node.connman->SetNetworkActive(false);
    if (auto started = node.connman->Start(*node.peerman); !started) return started;
    for (const auto& service : node.connman->ListeningOn()) LogInfo("Listening for P2P on {}", service.ToString());

    if (node.rpc_table) {
        NetRPCContext context{node.connman.get(), node.peerman.get(), node.block_sync.get(),
                              node.mempool->Options().min_relay_fee_rate, DEFAULT_MIN_RELAY_FEE_RATE};
        if (auto registered = RegisterNetRPCCommands(*node.rpc_table, context); !registered) return registered;
        if (node.blob_relay) {
            if (auto registered = RegisterBlobFetchRPCCommands(*node.rpc_table, *node.blob_relay); !registered) {
                return registered;
            }
        }
    }
    return {};
}

/** Closes every connection and writes peers.dat and banlist.json; the
 *  protocol logic is gone before the chain it reads. */
void StopNetwork(NodeContext& node)
{
    if (node.connman) node.connman->Stop();
    node.block_sync.reset();
    node.blob_relay.reset();
    node.tx_relay.reset();
    node.peerman.reset();
    node.connman.reset();
}

}  // namespace

std::string NodeHelpText(bool show_debug)
{
    return FormatVersion("HPIPS daemon") + "\n\nUsage:  hpipsd [options]                     Start HPIPS daemon\n\n" +
           FormatOptionsHelp(NodeOptions(), show_debug);
}

Result<ParseOutcome> ParseNodeCommandLine(NodeContext& node, const std::vector<std::string>& tokens)
{
    node.args = std::make_unique<Settings>(NodeOptions());
    if (auto parsed = node.args->ParseCommandLine(tokens); !parsed) return parsed.error();
    const Settings& args = *node.args;
    const bool help_debug = args.GetBoolArg("help-debug", false);
    if (help_debug || args.GetBoolArg("help", false) || args.GetBoolArg("h", false) || args.GetBoolArg("?", false)) {
        std::cout << NodeHelpText(help_debug);
        return ParseOutcome::PRINTED_HELP_OR_VERSION;
    }
    if (args.GetBoolArg("version", false)) {
        std::cout << FormatVersion("HPIPS daemon") << "\n";
        return ParseOutcome::PRINTED_HELP_OR_VERSION;
    }
    return ParseOutcome::RUN;
}

namespace {

/** -pid: writes the process id (after the lock is held, so it names the
 *  node that owns the directory); -nopid writes none. */
Result<void> CreatePidFile(NodeContext& node)
{
    if (node.args->IsNegated("pid")) return {};
    const auto path = AbsoluteIn(node.data_dir, node.args->GetArg("pid", std::string{DEFAULT_PID_FILE}));
    std::ofstream out{path, std::ios::trunc};
    out << ::getpid() << "\n";
    out.close();
    if (!out) return Error{"Unable to create the PID file '" + path.string() + "'"};
    node.pid_path = path;
    return {};
}

/** -debuglogfile / -nodebuglogfile, -shrinkdebugfile, -logtimestamps, -debug. */
Result<void> OpenDebugLog(NodeContext& node)
{
    const Settings& args = *node.args;
    GetLogger().SetLogTimestamps(args.GetBoolArg("logtimestamps", true));
    if (args.IsNegated("debuglogfile")) return {};
    node.log_path = AbsoluteIn(node.data_dir, args.GetArg("debuglogfile", std::string{DEBUG_LOG_FILE}));
    std::error_code ec;
    if (!std::filesystem::is_directory(node.log_path.parent_path(), ec)) {
        return Error{"Cannot write to debug log file directory " + node.log_path.parent_path().string()};
    }
    // Core shrinks by default unless -debug asks for detail that would be cut.
    const bool debugging = !args.GetArgs("debug").empty() && !args.IsNegated("debug");
    if (args.GetBoolArg("shrinkdebugfile", !debugging)) ShrinkDebugFile(node.log_path);
    if (!GetLogger().OpenFile(node.log_path)) return Error{"Could not open debug log file " + node.log_path.string()};
    return {};
}

/** -blocknotify: registered before the network starts, so blocks from
 *  peers are notified too. */
void StartBlockNotify(NodeContext& node)
{
    const std::string command = node.args->GetArg("blocknotify", "");
    if (command.empty() || node.args->IsNegated("blocknotify")) return;
    if (!node.notify_runner) node.notify_runner = std::make_unique<CommandRunner>();
    node.block_notifier = std::make_unique<BlockNotifier>(*node.chainstate, *node.notify_runner, command);
    node.chainstate->AddListener(node.block_notifier.get());
}

/** -startupnotify: once, when the node has finished starting. */
void RunStartupNotify(NodeContext& node)
{
    const std::string command = node.args->GetArg("startupnotify", "");
    if (command.empty() || node.args->IsNegated("startupnotify")) return;
    if (!node.notify_runner) node.notify_runner = std::make_unique<CommandRunner>();
    node.notify_runner->Queue(command);
}

/** The -dashboard address, or nullopt when the dashboard is off (the
 *  default, -nodashboard, -dashboard=0). Checked before anything loads, so
 *  a refused address fails at once. */
Result<std::optional<ip::tcp::endpoint>> DashboardAddress(const Settings& args)
{
    if (!args.IsSet("dashboard") || args.IsNegated("dashboard")) return std::optional<ip::tcp::endpoint>{};
    const std::string value{args.GetArg("dashboard", "")};
    if (value == "0") return std::optional<ip::tcp::endpoint>{};
    if (!args.GetBoolArg("server", true)) return Error{"-dashboard needs the RPC server (-server)"};
    auto endpoint = ParseDashboardAddress(value);
    if (!endpoint) return endpoint.error();
    return std::optional<ip::tcp::endpoint>{*endpoint};
}

/** Starts the dashboard once the chain methods it reads are registered. */
Result<void> StartDashboard(NodeContext& node, const ip::tcp::endpoint& address)
{
    node.dashboard = std::make_unique<DashboardServer>(*node.rpc_table, address);
    if (auto started = node.dashboard->Start(); !started) {
        node.dashboard.reset();
        return started;
    }
    return {};
}

}  // namespace

Result<void> AppInitParameters(NodeContext& node)
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

    node.conf_path = AbsoluteIn(base, args.GetArg("conf", std::string{DEFAULT_CONF_FILE}));
    if (auto read = args.ReadConfigFiles(node.conf_path, base, /*strict=*/true, /*must_exist=*/args.IsSet("conf"));
        !read) {
        return read;
    }
    auto network = args.ChosenNetwork();
    if (!network) return network.error();
    args.SelectNetwork(*network);
    node.network = NetworkFromSection(*network);
    if (args.IsSet("dbcrashratio") && node.network != Network::REGTEST) {
        return Error{"-dbcrashratio is only available on regtest"};
    }
    // Unknown options in the file are warnings (Core's habit). They go to
    // stderr now, while a terminal may still watch (before -daemon detaches),
    // unless the log will print them there itself; debug.log gets them too.
    const bool console = args.GetBoolArg("printtoconsole", !args.GetBoolArg("daemon", false));
    if (!console || args.GetBoolArg("daemon", false)) {
        for (const auto& warning : args.Warnings()) std::cerr << "Warning: " << warning << "\n";
    }

    node.data_dir = NetworkDataDir(base, *network);
    std::filesystem::create_directories(node.data_dir, ec);
    if (ec) return Error{"Cannot create data directory \"" + node.data_dir.string() + "\": " + ec.message()};
    return {};
}

Result<void> AppInitMain(NodeContext& node)
{
    Settings& args = *node.args;
    std::error_code ec;
    auto lock = DirectoryLock::Acquire(node.data_dir);
    if (!lock) return lock.error();
    node.lock = std::move(*lock);

    // A daemon's stderr is /dev/null: the console is off by default there.
    GetLogger().SetPrintToConsole(args.GetBoolArg("printtoconsole", !args.GetBoolArg("daemon", false)));
    if (auto log = OpenDebugLog(node); !log) return log;
    SetupLogging(node);
    LogInfo("{}", FormatVersion("HPIPS"));
    LogInfo("Using data directory {}", node.data_dir.string());
    LogInfo("Config file: {}{}", node.conf_path.string(),
            std::filesystem::exists(node.conf_path, ec) ? "" : " (not found, skipping)");
    LogInfo("Chain: {}", Params(node.network).Name());
    for (const auto& warning : args.Warnings()) LogInfo("Warning: {}", warning);
    if (auto pid = CreatePidFile(node); !pid) return pid;
    const auto dashboard = DashboardAddress(args);
    if (!dashboard) return dashboard.error();

    if (args.GetBoolArg("server", true)) {
        if (auto rpc = StartRPC(node); !rpc) return rpc;
    }
    if (auto chain = LoadChain(node); !chain) return chain;
    // Before anything can change the chain or the pool (wallets, miner, peers).
    if (auto zmq = StartZMQ(node); !zmq) return zmq;
    if (auto wallets = LoadWallets(node); !wallets) return wallets;
    if (auto txindex = StartTxIndex(node); !txindex) return txindex;
    // The miner starts before the chain methods are registered: the RPC
    // context never changes while a method can read it.
    if (auto miner = StartMiner(node); !miner) return miner;
    if (auto registered = RegisterChainRPC(node); !registered) return registered;
    StartBlockNotify(node);
    if (auto network = StartNetwork(node); !network) return network;
    if (*dashboard) {
        if (auto started = StartDashboard(node, **dashboard); !started) return started;
    }
    if (node.rpc_table) node.rpc_table->SetWarmupFinished();
    LogInfo("init message: Done loading");
    RunStartupNotify(node);
    return {};
}

Result<void> AppInit(NodeContext& node)
{
    if (auto parameters = AppInitParameters(node); !parameters) return parameters;
    return AppInitMain(node);
}

void Shutdown(NodeContext& node)
{
    // Log only once debug.log is open (the lock comes first): an early init
    // failure has already been reported on stderr.
    if (node.lock) LogInfo("Shutdown: In progress...");
    node.interrupt = true;
    if (node.dashboard) node.dashboard->Stop();
    node.dashboard.reset();
    if (node.miner) node.miner->Stop();
    if (node.rpc_server) node.rpc_server->Stop();
    node.rpc_server.reset();
    StopNetwork(node);
    StopWallets(node);
    // Nothing reads the chain any more: take it down in reverse order. The
    // chainstate flushes everything to disk as it closes.
    node.miner.reset();
    node.wallet_manager.reset();
    node.wallet_chain.reset();
    if (node.txindex) node.txindex->Stop();
    // -persistmempool: the pool as it stands, now that nothing adds to it.
    if (node.mempool && node.persist_mempool && node.mempool_load_tried) {
        const auto path = node.data_dir / MEMPOOL_FILE_NAME;
        if (auto dumped = DumpMempool(*node.mempool, path); dumped) {
            LogInfo("Dumped mempool: {} transactions to {}", *dumped, path.string());
        } else {
            LogInfo("Failed to dump mempool: {}", dumped.error_message());
        }
    }
    StopZMQ(node);
    if (node.block_notifier) node.chainstate->RemoveListener(node.block_notifier.get());
    node.block_notifier.reset();
    // Runs the notifications already queued, then stops.
    node.notify_runner.reset();
    node.mempool_file.reset();
    node.chain_context.reset();
    node.txindex.reset();
    node.rpc_mining_pool.reset();
    node.mempool.reset();
    node.blob_store.reset();
    node.chainstate.reset();
    if (node.cookie_path) {
        DeleteAuthCookie(*node.cookie_path);
        node.cookie_path.reset();
    }
    node.rpc_table.reset();
    node.rpc_auth.reset();
    if (node.pid_path) {
        std::error_code ec;
        std::filesystem::remove(*node.pid_path, ec);
        node.pid_path.reset();
    }
    if (node.lock) {
        LogInfo("Shutdown: done");
        node.lock.reset();
        GetLogger().CloseFile();
    }
}

}  // namespace hpips
