// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/options.h>

#include <array>

namespace hpips {
namespace {

constexpr std::string_view GENERAL{"Options"};
constexpr std::string_view CHAIN{"Chain selection options"};
constexpr std::string_view DEBUG{"Debugging/Testing options"};
constexpr std::string_view MINING{"Mining options"};
constexpr std::string_view RPC{"RPC server options"};

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
    {"reindex", OptionKind::BOOL, "",
     "If enabled, wipe chain state and block index, and rebuild them from blk*.dat files on disk", GENERAL},
    {"server", OptionKind::BOOL, "", "Accept command line and JSON-RPC commands (default: 1)", RPC},

    {"regtest", OptionKind::BOOL, "",
     "Enter regression test mode, which uses a special chain in which blocks can be solved instantly. "
     "Data lives in <datadir>/regtest.",
     CHAIN},
    {"testnet", OptionKind::BOOL, "", "Use the test chain. Data lives in <datadir>/testnet.", CHAIN},

    {"debug", OptionKind::LIST, "category",
     "Output debug and trace logging (default: -nodebug, supplying <category> is optional). If <category> is "
     "not supplied or if <category> = 1, output all debug and trace logging. <category> can be: net, mempool, "
     "validation, pouw, kernels, rpc, wallet, coindb, miner, bench. This option can be specified multiple times "
     "to output multiple categories.",
     DEBUG},
    {"printtoconsole", OptionKind::BOOL, "", "Send trace/debug info to console (default: 1)", DEBUG},
    {"dbcrashratio", OptionKind::VALUE, "n",
     "Randomly crash while writing the chainstate database (regtest only; 0 = never) (default: 0)", DEBUG, false,
     true},

    {"mine", OptionKind::BOOL, "", "Mine blocks (default: 0)", MINING},
    {"mineraddress", OptionKind::VALUE, "address", "Pay mined blocks to this address", MINING},
    {"minerthreads", OptionKind::VALUE, "n", "Threads used by the miner (default: number of cores)", MINING},
    {"minerdevice", OptionKind::VALUE, "device", "Device the miner runs kernels on: auto, cpu or cuda (default: auto)",
     MINING},

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
    {"rpcpassword", OptionKind::VALUE, "pw", "Password for JSON-RPC connections", RPC},
    {"rpcport", OptionKind::VALUE, "port",
     "Listen for JSON-RPC connections on <port> (default: 9332, testnet: 19332, regtest: 19443)", RPC, true},
    {"rpcservertimeout", OptionKind::VALUE, "n", "Timeout during HTTP requests (default: 30)", RPC, false, true},
    {"rpcthreads", OptionKind::VALUE, "n", "Set the number of threads to service RPC calls (default: 4)", RPC},
    {"rpcuser", OptionKind::VALUE, "user", "Username for JSON-RPC connections", RPC},
    {"rpcworkqueue", OptionKind::VALUE, "n",
     "Set the depth of the work queue to service RPC calls (default: 16)", RPC},
});

}  // namespace

std::span<const OptionSpec> NodeOptions() { return NODE_OPTIONS; }

}  // namespace hpips
