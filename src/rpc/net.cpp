// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/net.h>

#include <net/block_sync.h>
#include <net/connman.h>
#include <net/net_permissions.h>
#include <net/net_processing.h>
#include <net/protocol.h>
#include <rpc/json.h>
#include <rpc/util.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <fmt/format.h>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;
using net::NodeId;

/** Most addresses getnodeaddresses returns (count=0 means all, up to this). */
constexpr int64_t MAX_GETNODEADDRESSES = 100'000;

/** Microseconds as seconds with six decimals, exactly ("0.000123"). */
json::value SecondsFromMicros(int64_t us)
{
    if (us < 0) us = 0;
    return *MakeJsonNumber(fmt::format("{}.{:06}", us / 1'000'000, us % 1'000'000));
}

std::string ServicesHex(uint64_t services) { return fmt::format("{:016x}", services); }

json::array StringArray(const std::vector<std::string>& items)
{
    json::array out;
    for (const auto& item : items) out.push_back(json::value(item));
    return out;
}

json::object BytesPerMsg(const std::map<std::string, uint64_t>& counts)
{
    json::object out;
    for (const auto& [command, bytes] : counts) {
        if (bytes > 0) out[command] = bytes;
    }
    return out;
}

void RequireConnman(const NetRPCContext& ctx)
{
    if (ctx.connman == nullptr || ctx.peerman == nullptr) {
        throw RPCError{RPCErrorCode::CLIENT_P2P_DISABLED,
                       "Error: Peer-to-peer functionality missing or disabled"};
    }
}

json::object PeerInfo(const NetRPCContext& ctx, const net::NodeStats& stats)
{
    const net::ConnectionInfo& info = stats.conn.info;
    const auto peer = ctx.peerman->GetPeerStats(info.id);
    json::object out;
    out["id"] = info.id;
    out["addr"] = info.addr_name;
    out["addrbind"] = info.addr_bind.ToString();
    if (peer && peer->addr_local) out["addrlocal"] = peer->addr_local->ToString();
    out["network"] = std::string{net::NetTypeName(info.addr.addr.Type())};
    const uint64_t services = peer ? peer->services : 0;
    out["services"] = ServicesHex(services);
    out["servicesnames"] = StringArray(net::ServiceFlagNames(services));
    out["relaytxes"] = peer ? peer->relay_txs : false;
    out["lastsend"] = stats.conn.last_send;
    out["lastrecv"] = stats.conn.last_recv;
    out["last_transaction"] = stats.conn.last_tx_time;
    out["last_block"] = stats.conn.last_block_time;
    out["bytessent"] = stats.conn.bytes_sent;
    out["bytesrecv"] = stats.conn.bytes_recv;
    out["conntime"] = info.connected_time;
    out["timeoffset"] = peer ? peer->time_offset : 0;
    if (peer && peer->last_ping_us) out["pingtime"] = SecondsFromMicros(*peer->last_ping_us);
    if (stats.min_ping_us != INT64_MAX) out["minping"] = SecondsFromMicros(stats.min_ping_us);
    if (peer && peer->ping_wait_us) out["pingwait"] = SecondsFromMicros(*peer->ping_wait_us);
    out["version"] = peer ? peer->version : 0;
    out["subver"] = peer ? peer->user_agent : std::string{};
    out["inbound"] = info.type == net::ConnectionType::INBOUND;
    out["bip152_hb_to"] = false;
    out["bip152_hb_from"] = false;
    out["startingheight"] = peer ? peer->start_height : -1;
    out["presynced_headers"] = -1;
    const auto sync = ctx.block_sync ? ctx.block_sync->GetSyncStats(info.id) : std::nullopt;
    out["synced_headers"] = sync ? sync->synced_headers : -1;
    out["synced_blocks"] = sync ? sync->synced_blocks : -1;
    json::array inflight;
    if (sync) {
        for (const int64_t height : sync->inflight) inflight.push_back(height);
    }
    out["inflight"] = std::move(inflight);
    // HPIPS: headers from this peer that no verified block backs yet (doc/p2p.md).
    out["unverified_headers"] = sync ? sync->unverified_headers : 0;
    out["addr_relay_enabled"] = peer ? peer->addr_relay_enabled : false;
    out["addr_processed"] = peer ? peer->addr_processed : 0;
    out["addr_rate_limited"] = peer ? peer->addr_rate_limited : 0;
    out["permissions"] = StringArray(net::PermissionNames(info.permissions));
    out["minfeefilter"] = ValueFromAmount(peer ? peer->fee_filter : 0);
    // HPIPS: the announcement preferences the peer sent (sendheaders, wtxidrelay).
    out["prefer_headers"] = peer ? peer->prefer_headers : false;
    out["wtxid_relay"] = peer ? peer->wtxid_relay : false;
    out["bytessent_per_msg"] = BytesPerMsg(stats.conn.bytes_sent_per_msg);
    out["bytesrecv_per_msg"] = BytesPerMsg(stats.conn.bytes_recv_per_msg);
    out["connection_type"] = std::string{net::ConnectionTypeName(info.type)};
    out["transport_protocol_type"] = "v1";
    out["session_id"] = "";
    return out;
}

const std::string PEERINFO_RESULT =
    "[\n"
    "  {\n"
    "    \"id\" : n,                    (numeric) Peer index\n"
    "    \"addr\" : \"str\",              (string) (host:port) The IP address and port of the peer\n"
    "    \"addrbind\" : \"str\",          (string) (ip:port) Bind address of the connection to the peer\n"
    "    \"addrlocal\" : \"str\",         (string, optional) (ip:port) Local address as reported by the peer\n"
    "    \"network\" : \"str\",           (string) Network (ipv4, ipv6)\n"
    "    \"services\" : \"hex\",          (string) The services offered\n"
    "    \"servicesnames\" : [ \"str\" ], (json array) the services offered, in human-readable form\n"
    "    \"relaytxes\" : true|false,    (boolean) Whether we relay transactions to this peer\n"
    "    \"lastsend\" : xxx,            (numeric) The UNIX epoch time of the last send\n"
    "    \"lastrecv\" : xxx,            (numeric) The UNIX epoch time of the last receive\n"
    "    \"last_transaction\" : xxx,    (numeric) The UNIX epoch time of the last valid transaction received\n"
    "    \"last_block\" : xxx,          (numeric) The UNIX epoch time of the last block received\n"
    "    \"bytessent\" : n,             (numeric) The total bytes sent\n"
    "    \"bytesrecv\" : n,             (numeric) The total bytes received\n"
    "    \"conntime\" : xxx,            (numeric) The UNIX epoch time of the connection\n"
    "    \"timeoffset\" : n,            (numeric) The time offset in seconds\n"
    "    \"pingtime\" : n,              (numeric, optional) The last ping time in seconds, if any\n"
    "    \"minping\" : n,               (numeric, optional) The minimum observed ping time in seconds, if any\n"
    "    \"pingwait\" : n,              (numeric, optional) The duration in seconds of an outstanding ping\n"
    "    \"version\" : n,               (numeric) The peer version\n"
    "    \"subver\" : \"str\",            (string) The string version\n"
    "    \"inbound\" : true|false,      (boolean) Inbound (true) or Outbound (false)\n"
    "    \"startingheight\" : n,        (numeric) The starting height (block) of the peer\n"
    "    \"addr_relay_enabled\" : true|false, (boolean) Whether we participate in address relay with this peer\n"
    "    \"addr_processed\" : n,        (numeric) The total number of addresses processed\n"
    "    \"addr_rate_limited\" : n,     (numeric) The total number of addresses dropped due to rate limiting\n"
    "    \"permissions\" : [ \"str\" ],   (json array) Any special permissions that have been granted\n"
    "    \"minfeefilter\" : n,          (numeric) The minimum fee rate for transactions this peer accepts\n"
    "    \"prefer_headers\" : true|false, (boolean) The peer asked for block announcements by headers\n"
    "    \"wtxid_relay\" : true|false,  (boolean) The peer asked for transaction announcements by wtxid\n"
    "    \"bytessent_per_msg\" : { \"msg\" : n },  (json object) bytes sent per message type\n"
    "    \"bytesrecv_per_msg\" : { \"msg\" : n },  (json object) bytes received per message type\n"
    "    \"connection_type\" : \"str\",   (string) inbound, outbound-full-relay, manual, block-relay-only, addr-fetch\n"
    "    \"transport_protocol_type\" : \"str\", (string) v1\n"
    "    \"session_id\" : \"str\"         (string) empty (no v2 transport)\n"
    "  },\n"
    "  ...\n"
    "]";

}  // namespace

Result<void> RegisterNetRPCCommands(RPCTable& table, NetRPCContext context)
{
    const auto ctx = std::make_shared<const NetRPCContext>(context);
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "network",
        .name = "getconnectioncount",
        .description = "Returns the number of connections to other nodes.",
        .args = {},
        .result = "n    (numeric) The connection count",
        .examples = HelpExampleCli("getconnectioncount", "") + HelpExampleRpc("getconnectioncount", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            RequireConnman(*ctx);
            return json::value(ctx->connman->CountInbound() + ctx->connman->CountOutbound());
        },
    });

    methods.push_back({
        .category = "network",
        .name = "ping",
        .description = "Requests that a ping be sent to all other nodes, to measure ping time.\n"
                       "Results provided in getpeerinfo, pingtime and pingwait fields are decimal seconds.\n"
                       "Ping command is handled in queue with all other commands, so it measures processing "
                       "backlog, not just network ping.",
        .args = {},
        .result = "null    (json null)",
        .examples = HelpExampleCli("ping", "") + HelpExampleRpc("ping", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            RequireConnman(*ctx);
            ctx->peerman->SendPings();
            return nullptr;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "getpeerinfo",
        .description = "Returns data about each connected network peer as a json array of objects.",
        .args = {},
        .result = PEERINFO_RESULT,
        .examples = HelpExampleCli("getpeerinfo", "") + HelpExampleRpc("getpeerinfo", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            RequireConnman(*ctx);
            json::array out;
            for (const auto& stats : ctx->connman->GetNodeStats()) out.push_back(PeerInfo(*ctx, stats));
            return out;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "addnode",
        .description = "Attempts to add or remove a node from the addnode list.\n"
                       "Or try a connection to a node once.\n"
                       "Nodes added using addnode (or -connect) are protected from DoS disconnection and are not "
                       "required to be full nodes as other outbound peers are (though such peers will not be "
                       "synced from).\n"
                       "Addnode connections are limited to 8 at a time and are counted separately from the "
                       "-maxconnections limit.",
        .args = {{"node", RPCArgType::STRING, false, "", "The address of the peer to connect to"},
                 {"command", RPCArgType::STRING, false, "",
                  "'add' to add a node to the list, 'remove' to remove a node from the list, 'onetry' to try a "
                  "connection to the node once"},
                 {"v2transport", RPCArgType::BOOL, true, "false", "Not supported; must be false if given"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("addnode", "\"192.168.0.6:9333\" \"onetry\"") +
                    HelpExampleRpc("addnode", "\"192.168.0.6:9333\", \"onetry\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const std::string node = ParamString(request, 0);
            const std::string command = ParamString(request, 1);
            if (command != "add" && command != "remove" && command != "onetry") {
                throw RPCError{RPCErrorCode::MISC_ERROR,
                               "addnode \"node\" \"command\"\n'command' must be one of: add, remove, onetry"};
            }
            if (OptionalParamBool(request, 2).value_or(false)) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Error: v2transport is not supported"};
            }
            RequireConnman(*ctx);
            if (command == "onetry") {
                if (auto opened = ctx->connman->OpenManualConnection(node); !opened) {
                    throw RPCError{RPCErrorCode::CLIENT_INVALID_IP_OR_SUBNET, opened.error_message()};
                }
                return nullptr;
            }
            if (command == "add") {
                if (!net::ParseService(node, 1)) {
                    throw RPCError{RPCErrorCode::CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid node address: " + node};
                }
                if (!ctx->connman->AddNode(node)) {
                    throw RPCError{RPCErrorCode::CLIENT_NODE_ALREADY_ADDED, "Error: Node already added"};
                }
                return nullptr;
            }
            if (!ctx->connman->RemoveAddedNode(node)) {
                throw RPCError{RPCErrorCode::CLIENT_NODE_NOT_ADDED,
                               "Error: Node could not be removed. It has not been added previously."};
            }
            return nullptr;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "disconnectnode",
        .description = "Immediately disconnects from the specified peer node.\n\n"
                       "Strictly one out of 'address' and 'nodeid' can be provided to identify the node.\n\n"
                       "To disconnect by nodeid, either set 'address' to the empty string, or call using the "
                       "named 'nodeid' argument only.",
        .args = {{"address", RPCArgType::STRING, true, "fallback to nodeid", "The IP address/port of the node"},
                 {"nodeid", RPCArgType::NUMBER, true, "fallback to address",
                  "The node ID (see getpeerinfo for node IDs)"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("disconnectnode", "\"192.168.0.6:9333\"") +
                    HelpExampleCli("disconnectnode", "\"\" 1") +
                    HelpExampleRpc("disconnectnode", "\"192.168.0.6:9333\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            RequireConnman(*ctx);
            const auto address = OptionalParamString(request, 0);
            const auto id = OptionalParamInt64(request, 1);
            bool found{false};
            if (address && !id) {
                found = ctx->connman->DisconnectNode(*address);
            } else if (id && (!address || address->empty())) {
                found = ctx->connman->DisconnectNode(static_cast<NodeId>(*id));
            } else {
                throw RPCError{RPCErrorCode::INVALID_PARAMS,
                               "Only one of address and nodeid should be provided."};
            }
            if (!found) {
                throw RPCError{RPCErrorCode::CLIENT_NODE_NOT_CONNECTED, "Node not found in connected nodes"};
            }
            return nullptr;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "getaddednodeinfo",
        .description = "Returns information about the given added node, or all added nodes\n"
                       "(note that onetry addnodes are not listed here)",
        .args = {{"node", RPCArgType::STRING, true, "all nodes",
                  "If provided, return information about this specific node, otherwise all nodes are returned."}},
        .result = "[\n"
                  "  {\n"
                  "    \"addednode\" : \"str\",    (string) The node IP address or name (as provided to addnode)\n"
                  "    \"connected\" : true|false, (boolean) If connected\n"
                  "    \"addresses\" : [         (json array) Only when connected = true\n"
                  "      {\n"
                  "        \"address\" : \"str\",  (string) The HPIPS server IP and port we're connected to\n"
                  "        \"connected\" : \"str\" (string) connection, inbound or outbound\n"
                  "      },\n"
                  "      ...\n"
                  "    ]\n"
                  "  },\n"
                  "  ...\n"
                  "]",
        .examples = HelpExampleCli("getaddednodeinfo", "\"192.168.0.201\"") +
                    HelpExampleRpc("getaddednodeinfo", "\"192.168.0.201\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            RequireConnman(*ctx);
            const auto wanted = OptionalParamString(request, 0);
            auto infos = ctx->connman->GetAddedNodeInfo();
            if (wanted) {
                std::erase_if(infos, [&](const auto& info) { return info.added_node != *wanted; });
                if (infos.empty()) {
                    throw RPCError{RPCErrorCode::CLIENT_NODE_NOT_ADDED, "Error: Node has not been added."};
                }
            }
            json::array out;
            for (const auto& info : infos) {
                json::object entry;
                entry["addednode"] = info.added_node;
                entry["connected"] = info.connected;
                json::array addresses;
                if (info.connected && info.resolved) {
                    json::object address;
                    address["address"] = info.resolved->ToString();
                    address["connected"] = "outbound";
                    addresses.push_back(std::move(address));
                }
                entry["addresses"] = std::move(addresses);
                out.push_back(std::move(entry));
            }
            return out;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "getnettotals",
        .description = "Returns information about network traffic, including bytes in, bytes out,\n"
                       "and current system time.",
        .args = {},
        .result = "{\n"
                  "  \"totalbytesrecv\" : n,   (numeric) Total bytes received\n"
                  "  \"totalbytessent\" : n,   (numeric) Total bytes sent\n"
                  "  \"timemillis\" : xxx,     (numeric) Current system UNIX epoch time in milliseconds\n"
                  "  \"uploadtarget\" : {      (json object)\n"
                  "    \"timeframe\" : n,      (numeric) Length of the measuring timeframe in seconds\n"
                  "    \"target\" : n,         (numeric) Target in bytes (0: no target)\n"
                  "    \"target_reached\" : true|false, (boolean) True if target is reached\n"
                  "    \"serve_historical_blocks\" : true|false, (boolean) True if serving historical blocks\n"
                  "    \"bytes_left_in_cycle\" : n, (numeric) Bytes left in current time cycle\n"
                  "    \"time_left_in_cycle\" : n   (numeric) Seconds left in current time cycle\n"
                  "  }\n"
                  "}",
        .examples = HelpExampleCli("getnettotals", "") + HelpExampleRpc("getnettotals", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            RequireConnman(*ctx);
            json::object out;
            out["totalbytesrecv"] = ctx->connman->TotalBytesRecv();
            out["totalbytessent"] = ctx->connman->TotalBytesSent();
            out["timemillis"] = std::chrono::duration_cast<std::chrono::milliseconds>(
                                    std::chrono::system_clock::now().time_since_epoch())
                                    .count();
            json::object target;
            target["timeframe"] = 86400;
            target["target"] = 0;
            target["target_reached"] = false;
            target["serve_historical_blocks"] = true;
            target["bytes_left_in_cycle"] = 0;
            target["time_left_in_cycle"] = 0;
            out["uploadtarget"] = std::move(target);
            return out;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "getnetworkinfo",
        .description = "Returns an object containing various state info regarding P2P networking.",
        .args = {},
        .result = "{\n"
                  "  \"version\" : n,                  (numeric) the server version\n"
                  "  \"subversion\" : \"str\",           (string) the server subversion string\n"
                  "  \"protocolversion\" : n,          (numeric) the protocol version\n"
                  "  \"localservices\" : \"hex\",        (string) the services we offer to the network\n"
                  "  \"localservicesnames\" : [ \"str\" ], (json array) the services we offer, human-readable\n"
                  "  \"localrelay\" : true|false,      (boolean) true if transaction relay is requested from peers\n"
                  "  \"timeoffset\" : n,               (numeric) the time offset\n"
                  "  \"networkactive\" : true|false,   (boolean) whether p2p networking is enabled\n"
                  "  \"connections\" : n,              (numeric) the total number of connections\n"
                  "  \"connections_in\" : n,           (numeric) the number of inbound connections\n"
                  "  \"connections_out\" : n,          (numeric) the number of outbound connections\n"
                  "  \"networks\" : [                  (json array) information per network\n"
                  "    {\n"
                  "      \"name\" : \"str\",               (string) network (ipv4, ipv6)\n"
                  "      \"limited\" : true|false,       (boolean) is the network limited using -onlynet?\n"
                  "      \"reachable\" : true|false,     (boolean) is the network reachable?\n"
                  "      \"proxy\" : \"str\",              (string) always \"\" (no proxy support)\n"
                  "      \"proxy_randomize_credentials\" : false (boolean)\n"
                  "    },\n"
                  "    ...\n"
                  "  ],\n"
                  "  \"relayfee\" : n,                 (numeric) minimum relay fee rate for transactions in HPS/kvB\n"
                  "  \"incrementalfee\" : n,           (numeric) minimum fee rate increment in HPS/kvB\n"
                  "  \"localaddresses\" : [            (json array) list of local addresses (always empty: no "
                  "-discover / -externalip)\n"
                  "  ],\n"
                  "  \"warnings\" : \"str\"              (string) any network and blockchain warnings\n"
                  "}",
        .examples = HelpExampleCli("getnetworkinfo", "") + HelpExampleRpc("getnetworkinfo", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            json::object out;
            out["version"] = net::ClientVersion();
            out["subversion"] = net::UserAgent();
            out["protocolversion"] = net::PROTOCOL_VERSION;
            out["localservices"] = ServicesHex(net::NODE_NETWORK);
            out["localservicesnames"] = StringArray(net::ServiceFlagNames(net::NODE_NETWORK));
            out["localrelay"] = true;
            out["timeoffset"] = 0;
            if (ctx->connman != nullptr) {
                const size_t in = ctx->connman->CountInbound();
                const size_t outbound = ctx->connman->CountOutbound();
                out["networkactive"] = ctx->connman->GetNetworkActive();
                out["connections"] = in + outbound;
                out["connections_in"] = in;
                out["connections_out"] = outbound;
            } else {
                out["networkactive"] = false;
                out["connections"] = 0;
                out["connections_in"] = 0;
                out["connections_out"] = 0;
            }
            json::array networks;
            for (const auto type : {net::NetType::IPV4, net::NetType::IPV6}) {
                const bool reachable = ctx->connman != nullptr && ctx->connman->IsReachable(type);
                json::object entry;
                entry["name"] = std::string{net::NetTypeName(type)};
                entry["limited"] = !reachable;
                entry["reachable"] = reachable;
                entry["proxy"] = "";
                entry["proxy_randomize_credentials"] = false;
                networks.push_back(std::move(entry));
            }
            out["networks"] = std::move(networks);
            out["relayfee"] = ValueFromAmount(ctx->relay_fee);
            out["incrementalfee"] = ValueFromAmount(ctx->incremental_fee);
            out["localaddresses"] = json::array{};
            out["warnings"] = "";
            return out;
        },
        .allowed_in_warmup = false,
    });

    methods.push_back({
        .category = "network",
        .name = "setban",
        .description = "Attempts to add or remove an IP/Subnet from the banned list.",
        .args = {{"subnet", RPCArgType::STRING, false, "",
                  "The IP/Subnet (see getpeerinfo for nodes IP) with an optional netmask (default is /32 = single "
                  "IP)"},
                 {"command", RPCArgType::STRING, false, "",
                  "'add' to add an IP/Subnet to the list, 'remove' to remove an IP/Subnet from the list"},
                 {"bantime", RPCArgType::NUMBER, true, "0",
                  "time in seconds how long (or until when if [absolute] is set) the IP is banned (0 or empty "
                  "means using the default time of 24h)"},
                 {"absolute", RPCArgType::BOOL, true, "false",
                  "If set, the bantime must be an absolute timestamp expressed in UNIX epoch time"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("setban", "\"192.168.0.6\" \"add\" 86400") +
                    HelpExampleCli("setban", "\"192.168.0.0/24\" \"add\"") +
                    HelpExampleRpc("setban", "\"192.168.0.6\", \"add\", 86400"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const std::string text = ParamString(request, 0);
            const std::string command = ParamString(request, 1);
            if (command != "add" && command != "remove") {
                throw RPCError{RPCErrorCode::MISC_ERROR,
                               "setban \"subnet\" \"command\"\n'command' must be one of: add, remove"};
            }
            RequireConnman(*ctx);
            const auto subnet = net::ParseSubNet(text);
            if (!subnet) throw RPCError{RPCErrorCode::CLIENT_INVALID_IP_OR_SUBNET, "Error: Invalid IP/Subnet"};
            net::BanMan& banman = ctx->connman->GetBanMan();
            if (command == "add") {
                if (banman.IsBanned(*subnet)) {
                    throw RPCError{RPCErrorCode::CLIENT_NODE_ALREADY_ADDED, "Error: IP/Subnet already banned"};
                }
                const int64_t bantime = OptionalParamInt64(request, 2).value_or(0);
                const bool absolute = OptionalParamBool(request, 3).value_or(false);
                if (absolute && bantime < ctx->connman->Clock().Now()) {
                    throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                                   "Error: Absolute timestamp is in the past"};
                }
                if (bantime < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Error: bantime is negative"};
                if (auto banned = banman.Ban(*subnet, bantime, absolute); !banned) {
                    throw RPCError{RPCErrorCode::MISC_ERROR, "Error: " + banned.error_message()};
                }
                ctx->connman->DisconnectNode(*subnet);
                return nullptr;
            }
            if (!banman.Unban(*subnet)) {
                throw RPCError{RPCErrorCode::CLIENT_INVALID_IP_OR_SUBNET,
                               "Error: Unban failed. Requested address/subnet was not previously manually banned."};
            }
            return nullptr;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "listbanned",
        .description = "List all manually banned IPs/Subnets.",
        .args = {},
        .result = "[\n"
                  "  {\n"
                  "    \"address\" : \"str\",        (string) The IP/Subnet of the banned node\n"
                  "    \"ban_created\" : xxx,      (numeric) The UNIX epoch time the ban was created\n"
                  "    \"banned_until\" : xxx,     (numeric) The UNIX epoch time the ban expires\n"
                  "    \"ban_duration\" : xxx,     (numeric) The ban duration, in seconds\n"
                  "    \"time_remaining\" : xxx    (numeric) The time remaining until the ban expires, in seconds\n"
                  "  },\n"
                  "  ...\n"
                  "]",
        .examples = HelpExampleCli("listbanned", "") + HelpExampleRpc("listbanned", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            RequireConnman(*ctx);
            const int64_t now = ctx->connman->Clock().Now();
            json::array out;
            for (const auto& [subnet, entry] : ctx->connman->GetBanMan().GetBanned()) {
                json::object ban;
                ban["address"] = subnet.ToString();
                ban["ban_created"] = entry.create_time;
                ban["banned_until"] = entry.ban_until;
                ban["ban_duration"] = entry.ban_until - entry.create_time;
                ban["time_remaining"] = entry.ban_until - now;
                out.push_back(std::move(ban));
            }
            return out;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "clearbanned",
        .description = "Clear all banned IPs.",
        .args = {},
        .result = "null    (json null)",
        .examples = HelpExampleCli("clearbanned", "") + HelpExampleRpc("clearbanned", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            RequireConnman(*ctx);
            ctx->connman->GetBanMan().ClearBanned();
            return nullptr;
        },
    });

    methods.push_back({
        .category = "network",
        .name = "setnetworkactive",
        .description = "Disable/enable all p2p network activity.",
        .args = {{"state", RPCArgType::BOOL, false, "", "true to enable networking, false to disable"}},
        .result = "true|false    (boolean) The value that was passed in",
        .examples = "",
        .handler = [ctx](const RPCRequest& request) -> json::value {
            RequireConnman(*ctx);
            const bool state = ParamBool(request, 0);
            ctx->connman->SetNetworkActive(state);
            return json::value(ctx->connman->GetNetworkActive());
        },
    });

    methods.push_back({
        .category = "network",
        .name = "getnodeaddresses",
        .description = "Return known addresses, after filtering for quality and recency.\n"
                       "These can potentially be used to find new peers in the network.\n"
                       "The total number of addresses known to the node may be higher.",
        .args = {{"count", RPCArgType::NUMBER, true, "1",
                  "The maximum number of addresses to return. Specify 0 to return all known addresses."},
                 {"network", RPCArgType::STRING, true, "all networks",
                  "Return only addresses of the specified network. Can be one of: ipv4, ipv6."}},
        .result = "[\n"
                  "  {\n"
                  "    \"time\" : xxx,       (numeric) The UNIX epoch time when the node was last seen\n"
                  "    \"services\" : n,     (numeric) The services offered by the node\n"
                  "    \"address\" : \"str\",  (string) The address of the node\n"
                  "    \"port\" : n,         (numeric) The port number of the node\n"
                  "    \"network\" : \"str\"   (string) The network (ipv4, ipv6) the node connected through\n"
                  "  },\n"
                  "  ...\n"
                  "]",
        .examples = HelpExampleCli("getnodeaddresses", "8") + HelpExampleCli("getnodeaddresses", "4 \"ipv4\"") +
                    HelpExampleRpc("getnodeaddresses", "8"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            RequireConnman(*ctx);
            const int64_t count = OptionalParamInt64(request, 0).value_or(1);
            if (count < 0) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Address count out of range"};
            std::optional<net::NetType> network;
            if (const auto name = OptionalParamString(request, 1)) {
                auto parsed = net::ParseNetType(*name);
                if (!parsed) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Network not recognized: " + *name};
                network = *parsed;
            }
            const size_t wanted = count == 0 ? static_cast<size_t>(MAX_GETNODEADDRESSES)
                                             : static_cast<size_t>(std::min(count, MAX_GETNODEADDRESSES));
            json::array out;
            for (const auto& entry : ctx->connman->GetAddrMan().GetAddr(wanted, 0, network)) {
                json::object item;
                item["time"] = entry.time;
                item["services"] = entry.services;
                item["address"] = entry.service.addr.ToString();
                item["port"] = entry.service.port;
                item["network"] = std::string{net::NetTypeName(entry.service.addr.Type())};
                out.push_back(std::move(item));
            }
            return out;
        },
    });

    for (auto& method : methods) {
        if (auto registered = table.Register(std::move(method)); !registered) return registered;
    }
    return {};
}

}  // namespace hpips
