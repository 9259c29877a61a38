// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpips-cli: the JSON-RPC command-line client, behaving like bitcoin-cli:
// options first, then the method and its arguments; credentials from
// -rpcpassword or the node's cookie; arguments converted by the table in
// rpc/client.cpp; strings printed raw, other results as indented JSON;
// errors on stderr in Core's format. One command is the client's own:
// `putblob FILE` reads a local file and uploads it chunk by chunk.
#include <cli/cli_wallet.h>
#include <consensus/params.h>
#include <node/settings.h>
#include <primitives/blob.h>
#include <rpc/auth.h>
#include <rpc/client.h>
#include <rpc/http_client.h>
#include <rpc/json.h>
#include <rpc/protocol.h>
#include <util/args.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <array>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <thread>
#include <vector>

namespace {

namespace json = boost::json;
using hpips::OptionKind;
using hpips::OptionSpec;

/** Default -rpcclienttimeout, seconds (0 = none), as in Core. */
constexpr int64_t DEFAULT_HTTP_CLIENT_TIMEOUT = 900;
/** Pause between attempts while -rpcwait waits for the server. */
constexpr std::chrono::seconds RPC_WAIT_RETRY{1};
/** Most lines -stdin reads, and longest line: the arguments are bounded. */
constexpr size_t MAX_STDIN_LINES = 100'000;
constexpr size_t MAX_STDIN_LINE = 64 * 1024 * 1024;
/** Largest -rpcwaittimeout / -rpcclienttimeout (seconds). */
constexpr int64_t MAX_TIMEOUT = 365LL * 24 * 3600;

constexpr std::string_view GENERAL{"Options"};
constexpr std::string_view CHAIN{"Chain selection options"};

constexpr auto CLI_OPTIONS = std::to_array<OptionSpec>({
    {"?", OptionKind::BOOL, "", "Print this help message and exit", GENERAL, false, true},
    {"h", OptionKind::BOOL, "", "Print this help message and exit", GENERAL, false, true},
    {"help", OptionKind::BOOL, "", "Print this help message and exit", GENERAL},
    {"version", OptionKind::BOOL, "", "Print version and exit", GENERAL},
    {"conf", OptionKind::VALUE, "file",
     "Specify configuration file. Relative paths will be prefixed by datadir location. (default: hpips.conf)",
     GENERAL},
    {"datadir", OptionKind::VALUE, "dir", "Specify data directory", GENERAL},
    {"generate", OptionKind::BOOL, "",
     "Generate blocks, equivalent to RPC getnewaddress followed by RPC generatetoaddress. Optional positional "
     "integer arguments are number of blocks to generate (default: 1) and maximum iterations to try (default: "
     "the node's generatetoaddress default), equivalent to RPC generatetoaddress nblocks and maxtries arguments. "
     "Example: hpips-cli -generate 4 1000",
     GENERAL},
    {"getinfo", OptionKind::BOOL, "",
     "Get general information from the remote server. Note that unlike server-side RPC calls, the output of "
     "-getinfo is the result of multiple non-atomic requests. Some entries in the output may represent results "
     "from different states (e.g. wallet balance may be as of a different block from the chain state reported)",
     GENERAL},
    {"addrinfo", OptionKind::BOOL, "",
     "Get the number of addresses known to the node, per network and total, after filtering for quality and "
     "recency. The total number of addresses known to the node may be higher.",
     GENERAL},
    {"named", OptionKind::BOOL, "", "Pass named instead of positional arguments (default: false)", GENERAL},
    {"netinfo", OptionKind::BOOL, "",
     "Get network peer connection information from the remote server. An optional integer argument from 0 to 4 "
     "can be passed for different peers listings (default: 0). Pass \"help\" for detailed help documentation.",
     GENERAL},
    {"rpcclienttimeout", OptionKind::VALUE, "n",
     "Timeout in seconds during HTTP requests, or 0 for no timeout. (default: 900)", GENERAL},
    {"rpcconnect", OptionKind::VALUE, "ip", "Send commands to node running on <ip> (default: 127.0.0.1)", GENERAL},
    {"rpccookiefile", OptionKind::VALUE, "loc", "Location of the auth cookie. Relative paths will be prefixed by a "
                                                "net-specific datadir location. (default: data dir)",
     GENERAL},
    {"rpcpassword", OptionKind::VALUE, "pw", "Password for JSON-RPC connections", GENERAL},
    {"rpcport", OptionKind::VALUE, "port",
     "Connect to JSON-RPC on <port> (default: 9332, testnet: 19332, regtest: 19443)", GENERAL, true},
    {"rpcuser", OptionKind::VALUE, "user", "Username for JSON-RPC connections", GENERAL},
    {"rpcwait", OptionKind::BOOL, "", "Wait for RPC server to start", GENERAL},
    {"rpcwaittimeout", OptionKind::VALUE, "n",
     "Timeout in seconds to wait for the RPC server to start, or 0 for no timeout. (default: 0)", GENERAL},
    {"rpcwallet", OptionKind::VALUE, "walletname",
     "Send RPC for non-default wallet on RPC server (needs to exactly match corresponding -wallet option passed "
     "to hpipsd). This changes the RPC endpoint used, e.g. http://127.0.0.1:19443/wallet/<walletname>",
     GENERAL},
    {"stdin", OptionKind::BOOL, "",
     "Read extra arguments from standard input, one per line until EOF/Ctrl-D (recommended for sensitive "
     "information such as passphrases). When combined with -stdinrpcpass, the first line from standard input "
     "is used for the RPC password.",
     GENERAL},
    {"stdinrpcpass", OptionKind::BOOL, "",
     "Read RPC password from standard input as a single line. When combined with -stdin, the first line from "
     "standard input is used for the RPC password. When combined with -stdinwalletpassphrase, -stdinrpcpass "
     "consumes the first line, and -stdinwalletpassphrase consumes the second.",
     GENERAL},
    {"stdinwalletpassphrase", OptionKind::BOOL, "",
     "Read wallet passphrase from standard input as a single line, without echo on a terminal. When combined "
     "with -stdin, the first line from standard input is used for the wallet passphrase. Only for "
     "walletpassphrase and walletpassphrasechange (which reads its new passphrase from a second line when it is "
     "not given on the command line).",
     GENERAL},
    {"regtest", OptionKind::BOOL, "",
     "Enter regression test mode, which uses a special chain in which blocks can be solved instantly.", CHAIN},
    {"testnet", OptionKind::BOOL, "", "Use the test chain.", CHAIN},
    {"chain", OptionKind::VALUE, "chain",
     "Use the chain <chain> (default: main). Allowed values: main, test, regtest (the same as -testnet or "
     "-regtest; at most one of the three may be given)",
     CHAIN},
    // Read from the node's file (includeconf lines), not a client option of its own.
    {"includeconf", OptionKind::LIST, "file", "", GENERAL, false, true},
});

/** A failure that ends the program with "error: <message>" and exit code 1. */
struct CliError {
    std::string message;
};

/** The reply to one call: either a JSON-RPC reply object or a transport error. */
struct CallOutcome {
    bool connected{false};
    std::optional<CliError> error;
    json::value reply;
};

struct Connection {
    hpips::HTTPPostOptions http;
    std::filesystem::path cookie;
    bool password_given{false};
    std::string config_path;
};

std::string HelpText()
{
    return hpips::FormatVersion("HPIPS RPC client") +
           "\n\nThe hpips-cli utility provides a command line interface to interact with a HPIPS RPC server.\n\n"
           "Usage:  hpips-cli [options] <command> [params]\n"
           "or:     hpips-cli [options] -named <command> [name=value]...\n"
           "or:     hpips-cli [options] help\n"
           "or:     hpips-cli [options] help <command>\n"
           "or:     hpips-cli [options] putblob <file>   (uploads a local file as a blob)\n\n" +
           hpips::FormatOptionsHelp(CLI_OPTIONS);
}

std::string ConnectFailureText(const Connection& connection)
{
    return "Could not connect to the server " + connection.http.host + ":" + std::to_string(connection.http.port) +
           "\n\nMake sure the hpipsd server is running and that you are connecting to the correct RPC port.";
}

/** Loads credentials: -rpcpassword, else the cookie (re-read on every
 *  attempt, since a restarted node writes a new one). */
std::optional<CliError> LoadCredentials(Connection& connection)
{
    if (connection.password_given) return std::nullopt;
    auto cookie = hpips::ReadAuthCookie(connection.cookie);
    if (!cookie) {
        return CliError{"Could not locate RPC credentials. No authentication cookie could be found, and RPC "
                        "password is not set.  See -rpcpassword and -stdinrpcpass.  Configuration file: (" +
                        connection.config_path + ")"};
    }
    connection.http.user = cookie->user;
    connection.http.password = cookie->password;
    return std::nullopt;
}

CallOutcome CallOnce(Connection& connection, const std::string& body)
{
    CallOutcome outcome;
    if (auto error = LoadCredentials(connection)) {
        outcome.error = std::move(error);
        return outcome;
    }
    const auto result = hpips::PostJSONRPC(connection.http, body);
    outcome.connected = result.connected;
    if (!result.connected) {
        outcome.error = CliError{ConnectFailureText(connection)};
        return outcome;
    }
    if (!result.error.empty()) {
        outcome.error = CliError{result.error};
        return outcome;
    }
    if (result.status == static_cast<unsigned>(hpips::HTTPStatus::UNAUTHORIZED)) {
        outcome.error = CliError{"Authorization failed: Incorrect rpcuser or rpcpassword"};
        return outcome;
    }
    if (result.status == static_cast<unsigned>(hpips::HTTPStatus::SERVICE_UNAVAILABLE)) {
        outcome.error = CliError{"Server response: " + result.body};
        return outcome;
    }
    if (result.status >= 400 && result.status != static_cast<unsigned>(hpips::HTTPStatus::BAD_REQUEST) &&
        result.status != static_cast<unsigned>(hpips::HTTPStatus::NOT_FOUND) &&
        result.status != static_cast<unsigned>(hpips::HTTPStatus::INTERNAL_SERVER_ERROR)) {
        outcome.error = CliError{"server returned HTTP error " + std::to_string(result.status)};
        return outcome;
    }
    if (result.body.empty()) {
        outcome.error = CliError{"no response from server"};
        return outcome;
    }
    auto reply = hpips::ParseJson(result.body);
    if (!reply || !(reply->is_object() || reply->is_array())) {
        outcome.error = CliError{"couldn't parse reply from server"};
        return outcome;
    }
    outcome.reply = std::move(*reply);
    return outcome;
}

bool IsWarmupReply(const json::value& reply)
{
    if (!reply.is_object()) return false;
    const auto* error = reply.get_object().if_contains("error");
    if (error == nullptr || !error->is_object()) return false;
    const auto* code = error->get_object().if_contains("code");
    return code != nullptr && code->is_int64() &&
           code->get_int64() == static_cast<int64_t>(hpips::RPCErrorCode::IN_WARMUP);
}

/** Calls, retrying while -rpcwait says to wait for the server. */
CallOutcome Call(Connection& connection, const std::string& body, bool wait, int64_t wait_timeout)
{
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds{wait_timeout};
    while (true) {
        CallOutcome outcome = CallOnce(connection, body);
        const bool transient = !outcome.connected || (outcome.error.has_value() && outcome.error->message.starts_with(
                                                                                       "Could not locate RPC credentials")) ||
                               IsWarmupReply(outcome.reply);
        if (!wait || !transient) return outcome;
        if (wait_timeout > 0 && std::chrono::steady_clock::now() >= deadline) {
            if (outcome.error) outcome.error->message = "timeout on transient error: " + outcome.error->message;
            return outcome;
        }
        std::this_thread::sleep_for(RPC_WAIT_RETRY);
    }
}

std::string RequestBody(const std::string& method, json::value params, int id)
{
    json::object request;
    request["jsonrpc"] = "2.0";
    request["id"] = id;
    request["method"] = method;
    request["params"] = std::move(params);
    return hpips::WriteJson(request);
}

/** The exit status for a JSON-RPC error code, as bitcoin-cli: abs(code),
 *  which the system keeps modulo 256 (-32601 "Method not found" exits 89,
 *  -8 exits 8). HPIPS differs in one case: a code whose status would be 0
 *  (a multiple of 256) exits 1, so that an error never reads as success. */
int ExitCodeForRPCError(int64_t code)
{
    // Unsigned negation: no overflow on INT64_MIN.
    const uint64_t magnitude = code < 0 ? uint64_t{0} - static_cast<uint64_t>(code) : static_cast<uint64_t>(code);
    const int status = static_cast<int>(magnitude % 256);
    return status == 0 ? 1 : status;
}

/** Prints a reply object Core's way; returns the exit code (0, or the
 *  error's ExitCodeForRPCError; 1 for an error without a numeric code). */
int PrintReply(const json::value& reply)
{
    if (!reply.is_object()) {
        std::cerr << "error: couldn't parse reply from server\n";
        return 1;
    }
    const auto& object = reply.get_object();
    const json::value* error = object.if_contains("error");
    if (error != nullptr && !error->is_null()) {
        std::string text;
        int exit_code{1};
        if (error->is_object()) {
            const auto& e = error->get_object();
            if (const auto* code = e.if_contains("code"); code != nullptr && !code->is_null()) {
                text = "error code: " + hpips::WriteJson(*code) + "\n";
                if (code->is_int64()) exit_code = ExitCodeForRPCError(code->get_int64());
            }
            if (const auto* message = e.if_contains("message"); message != nullptr && hpips::IsJsonString(*message)) {
                text += "error message:\n" + std::string{message->get_string()};
            }
        } else {
            text = "error: " + hpips::WriteJson(*error);
        }
        std::cerr << text << "\n";
        return exit_code;
    }
    const json::value* result = object.if_contains("result");
    if (result == nullptr || result->is_null()) return 0;
    if (hpips::IsJsonString(*result)) {
        std::cout << std::string_view{result->get_string()} << "\n";
    } else {
        std::cout << hpips::WriteJson(*result, 2) << "\n";
    }
    return 0;
}

/** The result of a batch element when it succeeded. */
const json::value* BatchResult(const json::array& replies, int id)
{
    for (const auto& reply : replies) {
        if (!reply.is_object()) continue;
        const auto& object = reply.get_object();
        const auto* reply_id = object.if_contains("id");
        if (reply_id == nullptr || !reply_id->is_int64() || reply_id->get_int64() != id) continue;
        const auto* result = object.if_contains("result");
        if (object.contains("error") && !object.at("error").is_null()) return nullptr;
        return result;
    }
    return nullptr;
}

std::string Field(const json::value* object, std::string_view key)
{
    if (object == nullptr || !object->is_object()) return {};
    const auto* value = object->get_object().if_contains(key);
    if (value == nullptr) return {};
    if (hpips::IsJsonString(*value)) return std::string{value->get_string()};
    return hpips::WriteJson(*value);
}

/** -getinfo: one batch of the informational calls; sections whose call is
 *  not implemented (yet) or failed are left out. */
int GetInfo(Connection& connection, const std::string& network, bool wait, int64_t wait_timeout)
{
    const std::array<std::string_view, 4> methods{"getnetworkinfo", "getblockchaininfo", "getwalletinfo",
                                                  "getbalances"};
    json::array batch;
    for (size_t i{0}; i < methods.size(); ++i) {
        json::object request;
        request["jsonrpc"] = "2.0";
        request["id"] = static_cast<int>(i);
        request["method"] = methods[i];
        request["params"] = json::array{};
        batch.push_back(std::move(request));
    }
    CallOutcome outcome = Call(connection, hpips::WriteJson(batch), wait, wait_timeout);
    if (outcome.error) {
        std::cerr << "error: " << outcome.error->message << "\n";
        return 1;
    }
    if (!outcome.reply.is_array()) return PrintReply(outcome.reply);
    const auto& replies = outcome.reply.get_array();
    const json::value* net = BatchResult(replies, 0);
    const json::value* chain = BatchResult(replies, 1);
    const json::value* wallet = BatchResult(replies, 2);
    const json::value* balances = BatchResult(replies, 3);

    std::string out;
    out += "Chain: " + (chain != nullptr ? Field(chain, "chain") : network) + "\n";
    if (chain != nullptr) {
        out += "Blocks: " + Field(chain, "blocks") + "\n";
        out += "Headers: " + Field(chain, "headers") + "\n";
        out += "Verification progress: " + Field(chain, "verificationprogress") + "\n";
        out += "Difficulty: " + Field(chain, "difficulty") + "\n";
    }
    if (net != nullptr) {
        out += "\nNetwork: in " + Field(net, "connections_in") + ", out " + Field(net, "connections_out") +
               ", total " + Field(net, "connections") + "\n";
        out += "Version: " + Field(net, "version") + "\n";
        out += "Time offset (s): " + Field(net, "timeoffset") + "\n";
        out += "Min tx relay fee rate (HPS/kvB): " + Field(net, "relayfee") + "\n";
    }
    if (wallet != nullptr) {
        out += "\nWallet: " + Field(wallet, "walletname") + "\n";
        out += "Keypool size: " + Field(wallet, "keypoolsize") + "\n";
    }
    if (balances != nullptr && balances->is_object()) {
        const auto* mine = balances->get_object().if_contains("mine");
        out += "\nBalance: " + Field(mine, "trusted") + "\n";
    }
    std::string warnings = Field(net, "warnings");
    if (warnings.empty()) warnings = Field(chain, "warnings");
    out += "\nWarnings: " + (warnings.empty() ? std::string{"(none)"} : warnings) + "\n";
    std::cout << out;
    return 0;
}

/** The status the program exits with after a failed call. */
struct ExitCode {
    int code{1};
};

/** One call outside a batch: the result, or the exit code after printing the error. */
hpips::Result<json::value, ExitCode> CallResult(Connection& connection, const std::string& method, json::array params,
                                      bool wait, int64_t wait_timeout)
{
    CallOutcome outcome = Call(connection, RequestBody(method, std::move(params), 1), wait, wait_timeout);
    if (outcome.error) {
        std::cerr << "error: " << outcome.error->message << "\n";
        return ExitCode{1};
    }
    if (!outcome.reply.is_object()) {
        std::cerr << "error: couldn't parse reply from server\n";
        return ExitCode{1};
    }
    const auto& reply = outcome.reply.get_object();
    if (const auto* error = reply.if_contains("error"); error != nullptr && !error->is_null()) {
        return ExitCode{PrintReply(outcome.reply)};
    }
    const auto* result = reply.if_contains("result");
    return result != nullptr ? *result : json::value{};
}

int64_t IntField(const json::value& object, std::string_view key, int64_t fallback = 0)
{
    if (!object.is_object()) return fallback;
    const auto* value = object.get_object().if_contains(key);
    if (value == nullptr || !value->is_int64()) return fallback;
    return value->get_int64();
}

/** A number field that may be a decimal (ping times in seconds), in milliseconds as text. */
std::string MillisField(const json::value& object, std::string_view key)
{
    if (!object.is_object()) return "";
    const auto* value = object.get_object().if_contains(key);
    if (value == nullptr) return "";
    const auto text = hpips::JsonNumberString(*value);
    if (!text) return "";
    // Seconds with up to six decimals -> whole milliseconds.
    const size_t dot = text->find('.');
    const std::string whole = text->substr(0, dot);
    std::string frac = dot == std::string::npos ? "" : text->substr(dot + 1);
    frac.resize(3, '0');
    const auto ms = hpips::ParseInt64(whole + frac, 0, INT64_MAX);
    return ms ? std::to_string(*ms) : "";
}

constexpr std::string_view NETINFO_HELP =
    "-netinfo level|\"help\" \n\n"
    "Returns a network peer connections dashboard with information from the remote server.\n"
    "Under the hood, -netinfo fetches the data by calling getpeerinfo and getnetworkinfo.\n\n"
    "Arguments:\n"
    "  level   0: connection counts per network and direction (default)\n"
    "          1: also a list of the peers: id, direction, connection type, network, ping and minimum ping\n"
    "             (ms), seconds since the last send and receive, connection age (minutes)\n"
    "          2: also the peer addresses\n"
    "          3: also the peer versions and user agents\n"
    "          4: all of the above\n"
    "  help    this help\n";

/** -netinfo: Core's dashboard over getpeerinfo and getnetworkinfo. */
int NetInfo(Connection& connection, const std::vector<std::string>& args, bool wait, int64_t wait_timeout)
{
    int64_t level{0};
    if (!args.empty()) {
        if (args[0] == "help") {
            std::cout << NETINFO_HELP;
            return 0;
        }
        const auto parsed = hpips::ParseInt64(args[0], 0, 4);
        if (!parsed || args.size() > 1) {
            std::cerr << "error: -netinfo takes one optional argument, a level from 0 to 4, or \"help\"\n";
            return 1;
        }
        level = *parsed;
    }
    const auto network = CallResult(connection, "getnetworkinfo", {}, wait, wait_timeout);
    if (!network) return network.error().code;
    const auto peers = CallResult(connection, "getpeerinfo", {}, wait, wait_timeout);
    if (!peers) return peers.error().code;
    std::string out = "HPIPS client " + hpips::FormatVersion("").substr(std::string_view{" version "}.size()) +
                      " - server " + std::to_string(IntField(*network, "protocolversion")) +
                      Field(&*network, "subversion") + "\n\n";
    const std::array<std::string, 2> nets{"ipv4", "ipv6"};
    std::array<int64_t, 2> in{};
    std::array<int64_t, 2> outbound{};
    int64_t block_relay{0};
    const json::array empty;
    const json::array& list = peers->is_array() ? peers->get_array() : empty;
    for (const auto& peer : list) {
        const size_t index = Field(&peer, "network") == "ipv6" ? 1 : 0;
        const bool is_in = Field(&peer, "inbound") == "true";
        (is_in ? in : outbound)[index]++;
        if (Field(&peer, "connection_type") == "block-relay-only") ++block_relay;
    }
    char line[256];
    std::snprintf(line, sizeof(line), "%-6s%8s%8s%8s%8s\n", "", "ipv4", "ipv6", "total", "block");
    out += line;
    std::snprintf(line, sizeof(line), "%-6s%8lld%8lld%8lld\n", "in", static_cast<long long>(in[0]),
                  static_cast<long long>(in[1]), static_cast<long long>(in[0] + in[1]));
    out += line;
    std::snprintf(line, sizeof(line), "%-6s%8lld%8lld%8lld%8lld\n", "out", static_cast<long long>(outbound[0]),
                  static_cast<long long>(outbound[1]), static_cast<long long>(outbound[0] + outbound[1]),
                  static_cast<long long>(block_relay));
    out += line;
    std::snprintf(line, sizeof(line), "%-6s%8lld%8lld%8lld\n", "total", static_cast<long long>(in[0] + outbound[0]),
                  static_cast<long long>(in[1] + outbound[1]),
                  static_cast<long long>(in[0] + in[1] + outbound[0] + outbound[1]));
    out += line;
    if (level > 0) {
        const int64_t now = std::chrono::duration_cast<std::chrono::seconds>(
                                std::chrono::system_clock::now().time_since_epoch())
                                .count();
        out += "\nPeer connections sorted by id:\n";
        std::snprintf(line, sizeof(line), "%5s %-4s %-19s %-5s %8s %8s %6s %6s %6s", "id", "dir", "type", "net",
                      "ping", "minping", "send", "recv", "age");
        out += line;
        if (level == 2 || level == 4) out += "  address";
        if (level >= 3) out += "  version";
        out += "\n";
        for (const auto& peer : list) {
            const auto since = [&](std::string_view key) {
                const int64_t t = IntField(peer, key);
                return t == 0 ? std::string{} : std::to_string(std::max<int64_t>(0, now - t));
            };
            std::snprintf(line, sizeof(line), "%5lld %-4s %-19s %-5s %8s %8s %6s %6s %6s",
                          static_cast<long long>(IntField(peer, "id")),
                          Field(&peer, "inbound") == "true" ? "in" : "out",
                          Field(&peer, "connection_type").c_str(), Field(&peer, "network").c_str(),
                          MillisField(peer, "pingtime").c_str(), MillisField(peer, "minping").c_str(),
                          since("lastsend").c_str(), since("lastrecv").c_str(),
                          std::to_string(std::max<int64_t>(0, now - IntField(peer, "conntime")) / 60).c_str());
            out += line;
            if (level == 2 || level == 4) out += "  " + Field(&peer, "addr");
            if (level >= 3) out += "  " + Field(&peer, "version") + Field(&peer, "subver");
            out += "\n";
        }
        out += "\n  ms     milliseconds\n  send   seconds since last message sent\n"
               "  recv   seconds since last message received\n  age    minutes since the connection was made\n";
    }
    out += "\nLocal addresses: n/a\n";
    std::cout << out;
    return 0;
}

/** -addrinfo: known addresses per network, from getnodeaddresses 0. */
int AddrInfo(Connection& connection, bool wait, int64_t wait_timeout)
{
    json::array params;
    params.push_back(0);
    const auto addresses = CallResult(connection, "getnodeaddresses", std::move(params), wait, wait_timeout);
    if (!addresses) return addresses.error().code;
    int64_t ipv4{0};
    int64_t ipv6{0};
    if (addresses->is_array()) {
        for (const auto& entry : addresses->get_array()) (Field(&entry, "network") == "ipv6" ? ipv6 : ipv4)++;
    }
    json::object known;
    known["ipv4"] = ipv4;
    known["ipv6"] = ipv6;
    known["total"] = ipv4 + ipv6;
    json::object result;
    result["addresses_known"] = std::move(known);
    std::cout << hpips::WriteJson(result, 2) << "\n";
    return 0;
}

/** `putblob FILE`: the file is read here, on the client's machine (the node
 *  may be elsewhere). Its id and chunk hashes are computed in a first pass;
 *  then each chunk goes with its proof in one putblobchunk call (≤ 2 MiB of
 *  hex, below the RPC request limit), so files up to MAX_BLOB_SIZE go through
 *  and the node checks every chunk as it would a peer's. Memory: one chunk and
 *  the chunk hashes. Prints what putblob prints; returns the exit code. */
int PutBlobFile(Connection& connection, const std::string& path, bool wait, int64_t wait_timeout)
{
    std::error_code ec;
    std::ifstream in{path, std::ios::binary};
    if (!in || !std::filesystem::is_regular_file(path, ec)) {
        std::cerr << "error: cannot read file " << path << "\n";
        return 1;
    }
    const uint64_t size = std::filesystem::file_size(path, ec);
    if (ec) {
        std::cerr << "error: cannot read file " << path << ": " << ec.message() << "\n";
        return 1;
    }
    // Bounded before anything is read.
    if (const auto count = hpips::BlobChunkCount(size); !count) {
        std::cerr << "error: " << path << ": " << count.error().message << "\n";
        return 1;
    }
    std::vector<uint8_t> buffer(static_cast<size_t>(std::min(size, hpips::BLOB_CHUNK_SIZE)));
    const auto read_chunk = [&](uint64_t index) -> std::optional<std::span<const uint8_t>> {
        const auto length = static_cast<std::streamsize>(hpips::BlobChunkLength(size, index));
        in.clear();
        in.seekg(static_cast<std::streamoff>(hpips::BlobChunkOffset(index)));
        in.read(reinterpret_cast<char*>(buffer.data()), length);
        if (in.gcount() != length) return std::nullopt;
        return std::span<const uint8_t>{buffer.data(), static_cast<size_t>(length)};
    };

    hpips::BlobHasher hasher;
    const uint32_t chunks = *hpips::BlobChunkCount(size);
    for (uint32_t i = 0; i < chunks; ++i) {
        const auto piece = read_chunk(i);
        if (!piece || !hasher.Write(*piece)) {
            std::cerr << "error: " << path << " changed while it was read\n";
            return 1;
        }
    }
    const auto blob = hasher.Finalize();
    if (!blob) {
        std::cerr << "error: " << path << ": " << blob.error().message << "\n";
        return 1;
    }

    for (uint32_t i = 0; i < chunks; ++i) {
        const auto piece = read_chunk(i);
        if (!piece) {
            std::cerr << "error: " << path << " changed while it was read\n";
            return 1;
        }
        const auto proof = hpips::BlobChunkProof(blob->chunk_hashes, i);
        json::array params{json::value(blob->id.GetHex()), json::value(size), json::value(i),
                           json::value(hpips::HexStr(*piece)),
                           json::value(hpips::HexStr(hpips::EncodeBlobChunkProof(proof.value())))};
        // Only the first call waits for the server (-rpcwait).
        CallOutcome outcome = Call(connection, RequestBody("putblobchunk", std::move(params), 1), wait && i == 0,
                                   wait_timeout);
        if (outcome.error) {
            std::cerr << "error: " << outcome.error->message << "\n";
            return 1;
        }
        if (!outcome.reply.is_object()) return PrintReply(outcome.reply);
        // A JSON-RPC 2.0 success has no "error" member; a 1.0 one has null.
        const auto* error = outcome.reply.get_object().if_contains("error");
        if (error != nullptr && !error->is_null()) return PrintReply(outcome.reply);
        const auto* result = outcome.reply.get_object().if_contains("result");
        const auto* complete = result != nullptr && result->is_object() ? result->get_object().if_contains("complete")
                                                                         : nullptr;
        // Complete early when the node already had the blob.
        if (complete != nullptr && complete->is_bool() && complete->get_bool()) break;
        if (i + 1 == chunks) {
            std::cerr << "error: the node did not complete blob " << blob->id.GetHex() << "\n";
            return 1;
        }
    }
    json::object result;
    result["id"] = blob->id.GetHex();
    result["size"] = size;
    result["chunks"] = chunks;
    json::object reply;
    reply["result"] = std::move(result);
    reply["error"] = nullptr;
    return PrintReply(reply);
}

/** -generate [nblocks] [maxtries]: getnewaddress, then generatetoaddress;
 *  prints {address, blocks} as bitcoin-cli. */
int Generate(Connection& connection, const std::vector<std::string>& args, bool wait, int64_t wait_timeout)
{
    const auto parsed = hpips::cli::ParseGenerateArgs(args);
    if (!parsed) {
        std::cerr << "error: " << parsed.error_message() << "\n";
        return 1;
    }
    auto address = CallResult(connection, "getnewaddress", json::array{}, wait, wait_timeout);
    if (!address) return address.error().code;
    if (!address->is_string()) {
        std::cerr << "error: getnewaddress returned no address\n";
        return 1;
    }
    json::array params{json::value(parsed->nblocks), *address};
    if (parsed->maxtries) params.push_back(json::value(*parsed->maxtries));
    auto blocks = CallResult(connection, "generatetoaddress", std::move(params), wait, wait_timeout);
    if (!blocks) return blocks.error().code;
    json::object out;
    out["address"] = *address;
    out["blocks"] = *blocks;
    json::object reply;
    reply["result"] = std::move(out);
    reply["error"] = nullptr;
    return PrintReply(reply);
}

int Run(int argc, char** argv)
{
    // Options come first; the first token without a dash starts the command.
    std::vector<std::string> option_tokens;
    std::vector<std::string> args;
    int i{1};
    for (; i < argc && argv[i][0] == '-' && argv[i][1] != '\0'; ++i) option_tokens.emplace_back(argv[i]);
    for (; i < argc; ++i) args.emplace_back(argv[i]);

    hpips::Settings settings{CLI_OPTIONS};
    if (auto parsed = settings.ParseCommandLine(option_tokens); !parsed) {
        std::cerr << "Error: " << parsed.error_message() << "\n";
        return 1;
    }
    if (settings.GetBoolArg("help", false) || settings.GetBoolArg("h", false) || settings.GetBoolArg("?", false)) {
        std::cout << HelpText();
        return 0;
    }
    if (settings.GetBoolArg("version", false)) {
        std::cout << hpips::FormatVersion("HPIPS RPC client") << "\n";
        return 0;
    }

    std::filesystem::path base = hpips::DefaultDataDir();
    std::error_code ec;
    if (settings.IsSet("datadir")) {
        base = settings.GetArg("datadir", "");
        if (base.empty() || !std::filesystem::is_directory(base, ec)) {
            std::cerr << "Error: Specified data directory \"" << base.string() << "\" does not exist.\n";
            return 1;
        }
    }
    std::filesystem::path conf{settings.GetArg("conf", "hpips.conf")};
    if (!conf.is_absolute()) conf = base / conf;
    // The node's file holds node options too: unknown names are not errors here.
    if (auto read = settings.ReadConfigFiles(conf, base, /*strict=*/false, /*must_exist=*/settings.IsSet("conf"));
        !read) {
        std::cerr << "Error: " << read.error_message() << "\n";
        return 1;
    }
    const auto network = settings.ChosenNetwork();
    if (!network) {
        std::cerr << "Error: " << network.error_message() << "\n";
        return 1;
    }
    settings.SelectNetwork(*network);
    const std::filesystem::path net_dir = hpips::NetworkDataDir(base, *network);
    hpips::Network chain{hpips::Network::MAIN};
    if (*network == hpips::SECTION_TEST) chain = hpips::Network::TEST;
    if (*network == hpips::SECTION_REGTEST) chain = hpips::Network::REGTEST;

    Connection connection;
    connection.config_path = conf.string();
    std::string password = settings.GetArg("rpcpassword", "");
    if (settings.GetBoolArg("stdinrpcpass", false)) {
        if (!std::getline(std::cin, password)) {
            std::cerr << "error: -stdinrpcpass specified but failed to read from standard input\n";
            return 1;
        }
        if (!password.empty() && password.back() == '\r') password.pop_back();
    }
    if (settings.GetBoolArg("stdinwalletpassphrase", false)) {
        // As Core: after -stdinrpcpass's line, before -stdin's arguments.
        if (args.empty() || (args[0] != "walletpassphrase" && args[0] != "walletpassphrasechange")) {
            std::cerr << "error: -stdinwalletpassphrase is only applicable for walletpassphrase(change)\n";
            return 1;
        }
        auto passphrase = hpips::cli::ReadSecretLine("Wallet passphrase> ", MAX_STDIN_LINE);
        if (!passphrase) {
            std::cerr << "error: -stdinwalletpassphrase specified but failed to read from standard input\n";
            return 1;
        }
        args.insert(args.begin() + 1, std::move(*passphrase));
        if (args[0] == "walletpassphrasechange" && args.size() == 2) {
            auto new_passphrase = hpips::cli::ReadSecretLine("New wallet passphrase> ", MAX_STDIN_LINE);
            if (!new_passphrase) {
                std::cerr << "error: -stdinwalletpassphrase specified but failed to read the new passphrase from "
                             "standard input\n";
                return 1;
            }
            args.push_back(std::move(*new_passphrase));
        }
    }
    if (settings.GetBoolArg("stdin", false)) {
        std::string line;
        size_t lines{0};
        while (std::getline(std::cin, line)) {
            if (++lines > MAX_STDIN_LINES || line.size() > MAX_STDIN_LINE) {
                std::cerr << "error: too much input on standard input\n";
                return 1;
            }
            if (!line.empty() && line.back() == '\r') line.pop_back();
            args.push_back(line);
        }
    }
    connection.password_given = !password.empty();
    connection.http.user = settings.GetArg("rpcuser", "");
    connection.http.password = password;
    connection.cookie = settings.GetArg("rpccookiefile", std::string{hpips::COOKIE_FILE_NAME});
    if (!connection.cookie.is_absolute()) connection.cookie = net_dir / connection.cookie;

    // -rpcconnect=host[:port]; -rpcport wins over a port given there.
    std::string host = settings.GetArg("rpcconnect", "127.0.0.1");
    int64_t port = hpips::Params(chain).rpc_port;
    if (const size_t colon = host.rfind(':');
        colon != std::string::npos && host.find(':') == colon) {  // host:port (not a bare IPv6 address)
        const auto parsed = hpips::ParseInt64(host.substr(colon + 1), 1, 65535);
        if (!parsed) {
            std::cerr << "Error: Invalid port provided in -rpcconnect: " << host << "\n";
            return 1;
        }
        port = *parsed;
        host = host.substr(0, colon);
    } else if (host.size() > 2 && host.front() == '[') {
        const size_t close = host.find(']');
        if (close != std::string::npos) {
            if (close + 2 < host.size() && host[close + 1] == ':') {
                const auto parsed = hpips::ParseInt64(host.substr(close + 2), 1, 65535);
                if (!parsed) {
                    std::cerr << "Error: Invalid port provided in -rpcconnect: " << host << "\n";
                    return 1;
                }
                port = *parsed;
            }
            host = host.substr(1, close - 1);
        }
    }
    if (settings.IsSet("rpcport")) {
        const auto parsed = hpips::ParseInt64(settings.GetArg("rpcport", ""), 1, 65535);
        if (!parsed) {
            std::cerr << "Error: Invalid port provided in -rpcport: " << settings.GetArg("rpcport", "") << "\n";
            return 1;
        }
        port = *parsed;
    }
    connection.http.host = host;
    connection.http.port = static_cast<uint16_t>(port);

    const auto client_timeout = settings.GetIntArg("rpcclienttimeout", DEFAULT_HTTP_CLIENT_TIMEOUT);
    const auto wait_timeout = settings.GetIntArg("rpcwaittimeout", 0);
    if (!client_timeout || *client_timeout < 0 || *client_timeout > MAX_TIMEOUT) {
        std::cerr << "Error: Invalid value for -rpcclienttimeout\n";
        return 1;
    }
    if (!wait_timeout || *wait_timeout < 0 || *wait_timeout > MAX_TIMEOUT) {
        std::cerr << "Error: Invalid value for -rpcwaittimeout\n";
        return 1;
    }
    connection.http.timeout = std::chrono::seconds{*client_timeout};
    if (settings.IsSet("rpcwallet")) {
        connection.http.target = "/wallet/" + hpips::UrlEncode(settings.GetArg("rpcwallet", ""));
    }
    const bool wait = settings.GetBoolArg("rpcwait", false);

    if (settings.GetBoolArg("getinfo", false)) {
        if (!args.empty()) {
            std::cerr << "error: -getinfo takes no arguments\n";
            return 1;
        }
        return GetInfo(connection, *network, wait, *wait_timeout);
    }
    if (settings.GetBoolArg("netinfo", false)) return NetInfo(connection, args, wait, *wait_timeout);
    if (settings.GetBoolArg("generate", false)) return Generate(connection, args, wait, *wait_timeout);
    if (settings.GetBoolArg("addrinfo", false)) {
        if (!args.empty()) {
            std::cerr << "error: -addrinfo takes no arguments\n";
            return 1;
        }
        return AddrInfo(connection, wait, *wait_timeout);
    }
    if (args.empty()) {
        std::cerr << "error: too few parameters (need at least command)\n";
        return 1;
    }
    const std::string method = args.front();
    const std::vector<std::string> params_text(args.begin() + 1, args.end());
    if (method == "putblob" && !settings.GetBoolArg("named", false)) {
        if (params_text.size() != 1) {
            std::cerr << "error: putblob takes one argument, the path of a local file (use -named putblob "
                         "hexdata=... or path=... for the RPC's own forms)\n";
            return 1;
        }
        return PutBlobFile(connection, params_text[0], wait, *wait_timeout);
    }
    json::value params;
    if (settings.GetBoolArg("named", false)) {
        auto converted = hpips::RPCConvertNamedValues(method, params_text);
        if (!converted) {
            std::cerr << "error: " << converted.error_message() << "\n";
            return 1;
        }
        params = std::move(*converted);
    } else {
        auto converted = hpips::RPCConvertValues(method, params_text);
        if (!converted) {
            std::cerr << "error: " << converted.error_message() << "\n";
            return 1;
        }
        params = std::move(*converted);
    }

    CallOutcome outcome = Call(connection, RequestBody(method, std::move(params), 1), wait, *wait_timeout);
    if (outcome.error) {
        std::cerr << "error: " << outcome.error->message << "\n";
        return 1;
    }
    return PrintReply(outcome.reply);
}

}  // namespace

int main(int argc, char** argv)
{
    try {
        return Run(argc, argv);
    } catch (const std::exception& e) {
        std::cerr << "error: " << e.what() << "\n";
        return 1;
    }
}
