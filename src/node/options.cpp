// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/options.h>

#include <array>

namespace hpips {
namespace {

constexpr std::string_view GENERAL{"Options"};
constexpr std::string_view CHAIN{"Chain selection options"};
constexpr std::string_view CONNECTION{"Connection options"};
constexpr std::string_view DEBUG{"Debugging/Testing options"};
constexpr std::string_view MINING{"Mining options"};
constexpr std::string_view RPC{"RPC server options"};
constexpr std::string_view WALLET{"Wallet options"};
constexpr std::string_view ZMQ{"ZeroMQ notification options"};

constexpr auto NODE_OPTIONS = std::to_array<OptionSpec>({
    {"?", OptionKind::BOOL, "", "Print this help message and exit", GENERAL, false, true},
    {"h", OptionKind::BOOL, "", "Print this help message and exit", GENERAL, false, true},
    {"help", OptionKind::BOOL, "", "Print this help message and exit", GENERAL},
    {"version", OptionKind::BOOL, "", "Print version and exit", GENERAL},
    {"conf", OptionKind::VALUE, "file",
     "Specify path to read-only configuration file. Relative paths will be prefixed by datadir location "
     "(only useable from command line, not configuration file) (default: hpips.conf)",
     GENERAL},
    {"datadir", OptionKind::VALUE, "dir", "Specify data directory (default: ~/.hpips); it must exist", GENERAL},
    {"blobquota", OptionKind::VALUE, "n",
     "Most bytes of job data (blobs) kept in <datadir>/blobs, downloads in progress included; 0 stores none "
     "(default: 4294967296, 4 GiB)",
     GENERAL},
    {"dbcache", OptionKind::VALUE, "n", "Maximum database cache size <n> MiB (default: 450)", GENERAL},
    {"par", OptionKind::VALUE, "n",
     "Set the number of signature verification threads, the connecting one included (0 = one per core, up to "
     "16; 1 = none besides the connecting thread) (default: 0)",
     GENERAL},
    {"reindex", OptionKind::BOOL, "",
     "If enabled, wipe chain state and block index, and rebuild them from blk*.dat files on disk", GENERAL},
    {"txindex", OptionKind::BOOL, "",
     "Maintain a full transaction index, used by the getrawtransaction rpc call (default: 0). Built in the "
     "background in <datadir>/indexes/txindex; see getindexinfo",
     GENERAL},
    {"server", OptionKind::BOOL, "", "Accept command line and JSON-RPC commands (default: 1)", RPC},

    // bitcoind habits: daemon, pid file, included configuration files,
    // notifications, the mempool file and its limits.
    {"daemon", OptionKind::BOOL, "",
     "Run in the background as a daemon and accept commands (default: 0). The starting process waits until the "
     "node has finished starting and exits 0, or exits 1 with the node's error (Core's -daemonwait)",
     GENERAL},
    {"pid", OptionKind::VALUE, "file",
     "Specify pid file. Relative paths will be prefixed by a net-specific datadir location; -nopid writes none. "
     "(default: hpipsd.pid)",
     GENERAL},
    {"includeconf", OptionKind::LIST, "file",
     "Specify additional configuration file, relative to the -datadir path (only useable from configuration "
     "file, not command line)",
     GENERAL},
    {"startupnotify", OptionKind::VALUE, "cmd", "Execute command on startup.", GENERAL},
    {"blocknotify", OptionKind::VALUE, "cmd",
     "Execute command when the best block changes (%s in cmd is replaced by block hash)", GENERAL},
    {"persistmempool", OptionKind::BOOL, "",
     "Whether to save the mempool on shutdown and load on restart (default: 1)", GENERAL},
    {"maxmempool", OptionKind::VALUE, "n", "Keep the transaction memory pool below <n> megabytes (default: 300)",
     GENERAL},
    {"minrelaytxfee", OptionKind::VALUE, "amt",
     "Fees (in HPS/kvB) smaller than this are considered zero fee for relaying, mining and transaction creation "
     "(default: 0.00001)",
     GENERAL},

    {"regtest", OptionKind::BOOL, "",
     "Enter regression test mode, which uses a special chain in which blocks can be solved instantly. "
     "Data lives in <datadir>/regtest.",
     CHAIN},
    {"testnet", OptionKind::BOOL, "", "Use the test chain. Data lives in <datadir>/testnet.", CHAIN},
    {"chain", OptionKind::VALUE, "chain",
     "Use the chain <chain> (default: main). Allowed values: main, test, regtest (the same as -testnet or "
     "-regtest; at most one of the three may be given)",
     CHAIN},

    {"debug", OptionKind::LIST, "category",
     "Output debug and trace logging (default: -nodebug, supplying <category> is optional). If <category> is "
     "not supplied or if <category> = 1, output all debug and trace logging. <category> can be: net, mempool, "
     "validation, pouw, kernels, rpc, wallet, coindb, miner, bench, zmq. This option can be specified multiple times "
     "to output multiple categories.",
     DEBUG},
    {"printtoconsole", OptionKind::BOOL, "",
     "Send trace/debug info to console (default: 1 when no -daemon. To disable logging to file, set "
     "-nodebuglogfile)",
     DEBUG},
    {"debuglogfile", OptionKind::VALUE, "file",
     "Specify location of debug log file (default: debug.log). Relative paths will be prefixed by a net-specific "
     "datadir location. Pass -nodebuglogfile to disable writing the log to a file.",
     DEBUG},
    {"shrinkdebugfile", OptionKind::BOOL, "",
     "Shrink debug.log file on client startup to its last 10 MB when it is larger than 11 MB (default: 1 when "
     "no -debug)",
     DEBUG},
    {"logtimestamps", OptionKind::BOOL, "", "Prepend debug output with timestamp (default: 1)", DEBUG},
    {"help-debug", OptionKind::BOOL, "", "Print help message with debugging options and exit", DEBUG},
    {"dbcrashratio", OptionKind::VALUE, "n",
     "Randomly crash while writing the chainstate database (regtest only; 0 = never) (default: 0)", DEBUG, false, false,
     true},

    {"addnode", OptionKind::LIST, "ip",
     "Add a node to connect to and attempt to keep the connection open (see the addnode RPC help for more info). "
     "This option can be specified multiple times to add multiple nodes; connections are limited to 8 at a "
     "time and are counted separately from the -maxconnections limit.",
     CONNECTION},
    {"bind", OptionKind::LIST, "addr[:port]",
     "Bind to given address and always listen on it (default: 0.0.0.0 and [::]; regtest: 127.0.0.1). Use "
     "[host]:port notation for IPv6",
     CONNECTION, true},
    {"connect", OptionKind::LIST, "ip",
     "Connect only to the specified node; -noconnect or -connect=0 disables automatic connections. This option "
     "can be specified multiple times to connect to multiple nodes.",
     CONNECTION},
    {"listen", OptionKind::BOOL, "",
     "Accept connections from outside (default: 1 if no -connect)", CONNECTION},
    {"maxconnections", OptionKind::VALUE, "n",
     "Maintain at most <n> automatic connections to peers (default: 125). This limit does not apply to "
     "connections manually added via -addnode or the addnode RPC, which have a separate limit of 8.",
     CONNECTION},
    {"networkactive", OptionKind::BOOL, "",
     "Enable all P2P network activity (default: 1). Can be changed by the setnetworkactive RPC command",
     CONNECTION},
    {"onlynet", OptionKind::LIST, "net",
     "Make automatic outbound connections only to network <net> (ipv4, ipv6). Inbound and manual connections "
     "are not affected by this option. It can be specified multiple times to allow multiple networks.",
     CONNECTION},
    {"peertimeout", OptionKind::VALUE, "n",
     "Specify a p2p connection timeout delay in seconds. After connecting to a peer, wait this amount of time "
     "before considering disconnection based on inactivity (minimum: 1, default: 60)",
     CONNECTION, false, false, true},
    {"pingtimeout", OptionKind::VALUE, "n",
     "Seconds a ping may go unanswered before the peer is disconnected (default: 1200); shorter values are "
     "meant for tests",
     DEBUG, false, false, true},
    {"port", OptionKind::VALUE, "port",
     "Listen for connections on <port> (default: 9333, testnet: 19333, regtest: 19444)", CONNECTION, true},
    {"seednode", OptionKind::LIST, "ip",
     "Connect to a node to retrieve peer addresses, and disconnect. This option can be specified multiple "
     "times to connect to multiple nodes.",
     CONNECTION},
    {"txrelayinterval", OptionKind::VALUE, "ms",
     "Average milliseconds between transaction announcements to inbound peers; outbound peers get 2/5 of it "
     "(regtest only, for tests; default: 5000)",
     DEBUG, false, false, true},
    {"timeout", OptionKind::VALUE, "n",
     "Specify socket connection timeout in milliseconds. If an initial attempt to connect is unsuccessful after "
     "this amount of time, drop it (minimum: 1, default: 5000)",
     CONNECTION},
    {"whitebind", OptionKind::LIST, "[permissions@]addr",
     "Bind to the given address and add permission flags to the peers connecting to it. Use [host]:port "
     "notation for IPv6. Allowed permissions: noban (do not ban for misbehavior; implies download), relay "
     "(relay even in -blocksonly mode), mempool (allow requesting BIP35 mempool contents), download (allow "
     "getheaders during IBD, no disconnect after maxuploadtarget limit), addr (responses to GETADDR avoid "
     "hitting the cache and contain random records with the most up-to-date info; no addr rate limit). "
     "Specify multiple permissions separated by commas (default: download,noban,mempool,relay). Can be "
     "specified multiple times.",
     CONNECTION, true},
    {"whitelist", OptionKind::LIST, "[permissions@]IP address or network",
     "Add permission flags to the peers connecting from the given IP address (e.g. 1.2.3.4) or CIDR-notated "
     "network (e.g. 1.2.3.0/24). Uses the same permissions as -whitebind. Can be specified multiple times.",
     CONNECTION},

    {"mine", OptionKind::BOOL, "", "Mine blocks (default: 0)", MINING},
    {"mineraddress", OptionKind::VALUE, "address", "Pay mined blocks to this address", MINING},
    {"minerthreads", OptionKind::VALUE, "n", "Threads used by the miner (default: number of cores)", MINING},
    {"minerdevice", OptionKind::VALUE, "device",
     "Devices the miner runs on: auto (every GPU, else the CPU), cpu, cuda (every GPU) or cuda:N[,N...] (those "
     "GPUs); beside GPUs the CPU mines too when -minerthreads is given (default: auto)",
     MINING},
    {"minerspotcheck", OptionKind::VALUE, "n",
     "Recompute one tile in every <n> units a GPU mines on the CPU; a difference stops that GPU (0: never; "
     "default: 1024)",
     MINING},

    {"dashboard", OptionKind::VALUE, "addr:port",
     "Serve a status page and Prometheus metrics (/metrics) on <addr:port>, which must be a loopback address "
     "(127.0.0.1:port or [::1]:port): they have no credentials. Needs -server (default: off; see doc/dashboard.md)",
     RPC, true},
    {"rpcallowip", OptionKind::LIST, "ip",
     "Allow JSON-RPC connections from specified source. Valid values for <ip> are a single IP (e.g. 1.2.3.4), "
     "a network/netmask (e.g. 1.2.3.4/255.255.255.0), or a network/CIDR (e.g. 1.2.3.4/24). This option can be "
     "specified multiple times",
     RPC},
    {"rpcauth", OptionKind::LIST, "userpw",
     "Username and HMAC-SHA-256 hashed password for JSON-RPC connections. The field <userpw> comes in the "
     "format: <USERNAME>:<SALT>$<HASH>. A canonical python script is included in contrib/rpcauth.py. The "
     "client then connects normally using the rpcuser=<USERNAME>/rpcpassword=<PASSWORD> pair of arguments. "
     "This option can be specified multiple times",
     RPC},
    {"rpcbind", OptionKind::LIST, "addr[:port]",
     "Bind to given address to listen for JSON-RPC connections. Do not expose the RPC server to untrusted "
     "networks such as the public internet! This option is ignored unless -rpcallowip is also passed. Port is "
     "optional and overrides -rpcport. Use [host]:port notation for IPv6. This option can be specified multiple "
     "times (default: 127.0.0.1 and ::1 i.e., localhost)",
     RPC, true},
    {"rpccookiefile", OptionKind::VALUE, "loc",
     "Location of the auth cookie. Relative paths will be prefixed by a net-specific datadir location. "
     "(default: data dir)",
     RPC},
    {"rpcheadertimeout", OptionKind::VALUE, "n",
     "Seconds a new JSON-RPC connection may take to send its request headers before it is closed (default: 5)",
     RPC},
    {"rpcpassword", OptionKind::VALUE, "pw", "Password for JSON-RPC connections", RPC},
    {"rpcport", OptionKind::VALUE, "port",
     "Listen for JSON-RPC connections on <port> (default: 9332, testnet: 19332, regtest: 19443)", RPC, true},
    {"rpcservertimeout", OptionKind::VALUE, "n", "Timeout during HTTP requests (default: 30)", RPC, false, false, true},
    {"rpcthreads", OptionKind::VALUE, "n", "Set the number of threads to service RPC calls (default: 4)", RPC},
    {"rpcuser", OptionKind::VALUE, "user", "Username for JSON-RPC connections", RPC},
    {"rpcworkqueue", OptionKind::VALUE, "n",
     "Set the depth of the work queue to service RPC calls (default: 16)", RPC},

    // Wallet (src/wallet, doc/wallet.md).
    {"disablewallet", OptionKind::BOOL, "", "Do not load the wallet and disable wallet RPC calls", WALLET},
    {"fallbackfee", OptionKind::VALUE, "amt",
     "Fee rate (in HPIPS/kvB) the wallet pays when the node has no fee estimate (default: 0.0002; 0: refuse to "
     "send without an estimate)",
     WALLET},
    {"keypool", OptionKind::VALUE, "n",
     "Set key pool size to <n>: keys derived ahead on each branch, the gap limit of a restore (default: 1000)",
     WALLET},
    {"paytxfee", OptionKind::VALUE, "amt",
     "Fee rate (in HPIPS/kvB) to add to transactions you send (default: none, the node's estimatesmartfee)", WALLET},
    {"txconfirmtarget", OptionKind::VALUE, "n",
     "If paytxfee is not set, pay a fee rate estimated to begin confirmation within n blocks (default: 6)", WALLET},
    {"walletnotify", OptionKind::VALUE, "cmd",
     "Execute command when a wallet transaction changes: once when it enters the wallet and once when a block "
     "confirms it. %s in cmd is replaced by TxID, %w by the wallet name, %b by the hash of the block including "
     "the transaction (\"unconfirmed\" when there is none) and %h by the block height (-1 when unconfirmed).",
     WALLET},
    {"wallet", OptionKind::LIST, "name",
     "Load the wallet <name> from <datadir>/wallets at startup. Can be used multiple times to load multiple "
     "wallets (default: those saved with load_on_startup)",
     WALLET},

    // ZMQ notifications (src/zmq, doc/zmq.md).
    {"zmqpubhashblock", OptionKind::LIST, "address",
     "Publish the hash of each new best block on <address> (tcp://<host>:<port> or ipc://<path>); may be given "
     "several times",
     ZMQ},
    {"zmqpubhashblockhwm", OptionKind::VALUE, "n",
     "Outbound high water mark of the hashblock publisher: messages queued per subscriber (default: 1000)", ZMQ},
    {"zmqpubhashtx", OptionKind::LIST, "address",
     "Publish the txid of each transaction entering the mempool, and of each transaction of a block connected "
     "or disconnected, on <address>; may be given several times",
     ZMQ},
    {"zmqpubhashtxhwm", OptionKind::VALUE, "n",
     "Outbound high water mark of the hashtx publisher (default: 1000)", ZMQ},
    {"zmqpubrawblock", OptionKind::LIST, "address",
     "Publish each new best block, serialized, on <address>; may be given several times", ZMQ},
    {"zmqpubrawblockhwm", OptionKind::VALUE, "n",
     "Outbound high water mark of the rawblock publisher (default: 1000)", ZMQ},
    {"zmqpubrawtx", OptionKind::LIST, "address",
     "Publish each transaction hashtx announces, serialized, on <address>; may be given several times", ZMQ},
    {"zmqpubrawtxhwm", OptionKind::VALUE, "n",
     "Outbound high water mark of the rawtx publisher (default: 1000)", ZMQ},
    {"zmqpubsequence", OptionKind::LIST, "address",
     "Publish block connections and disconnections and mempool additions and removals, with the mempool "
     "sequence number, on <address>; may be given several times",
     ZMQ},
    {"zmqpubsequencehwm", OptionKind::VALUE, "n",
     "Outbound high water mark of the sequence publisher (default: 1000)", ZMQ},
});

}  // namespace

std::span<const OptionSpec> NodeOptions() { return NODE_OPTIONS; }

}  // namespace hpips
