// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// JSON-RPC parameter parsing of every method table must never crash: the
// control methods and every chain method (blockchain, rawtransaction,
// mining, misc_chain) are registered in one RPCTable against a real regtest
// chainstate and mempool in a temporary directory, as the node has them, and
// the fuzzer's JSON is dispatched to them by name, through RPCTable::Execute
// (positional arrays, named objects, anything else) and through the whole
// envelope (ExecuteJSONRPCBody). Every failure must be an RPCError; any other
// exception or a crash is a finding.
//
// Input: "<method>\n<params JSON>". A first line that is not a method name
// picks one from its bytes, so mutations reach every method; "*" sends the
// params to every method in turn (the committed corpus uses it so that the
// ctest replay covers all tables).
//
// Limits, so that one input stays cheap: the chain context's interrupt flag
// is set, so generatetoaddress / generateblock parse and check everything,
// build their template and then stop before mining (as they do when the node
// shuts down); stop only calls a no-op shutdown request.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <rpc/blockchain.h>
#include <rpc/mempool.h>
#include <rpc/chain_context.h>
#include <rpc/control.h>
#include <rpc/json.h>
#include <rpc/mining.h>
#include <rpc/misc_chain.h>
#include <rpc/rawtransaction.h>
#include <rpc/request.h>
#include <rpc/server.h>
#include <util/clock.h>

#include <atomic>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

namespace {

/** A regtest node's RPC table, built once per process, removed at exit. */
struct Node {
    std::filesystem::path dir{std::filesystem::temp_directory_path() /
                              ("hpips_fuzz_rpc_params_" + std::to_string(::getpid()))};
    hpips::NodeClock clock;
    std::atomic<bool> interrupt{true};
    std::unique_ptr<hpips::Chainstate> chainstate;
    std::unique_ptr<hpips::Mempool> mempool;
    std::optional<hpips::ChainContext> context;
    hpips::RPCTable table;
    std::vector<std::string> names;

    Node()
    {
        std::filesystem::remove_all(dir);
        std::filesystem::create_directories(dir);
        const auto& params = hpips::Params(hpips::Network::REGTEST);
        clock.SetMockTime(params.genesis.header.time + 1000);
        hpips::ChainstateOptions options;
        options.datadir = dir;
        options.coins_cache_bytes = 1 << 20;
        options.now = [this] { return clock.Now(); };
        auto opened = hpips::Chainstate::Open(params, options);
        if (!opened) std::abort();
        chainstate = std::move(*opened);
        mempool = std::make_unique<hpips::Mempool>(*chainstate, hpips::MempoolOptions{});
        context.emplace(hpips::ChainContext{*chainstate, *mempool, clock, chainstate->Params()});
        context->interrupt = &interrupt;
        hpips::ControlContext control;
        control.request_shutdown = [] {};
        control.clock = &clock;
        control.mockable_chain = true;
        if (!hpips::RegisterControlRPCCommands(table, std::move(control)) ||
            !hpips::RegisterBlockchainRPCCommands(table, *context) ||
            !hpips::RegisterMempoolRPCCommands(table, *context) ||
            !hpips::RegisterRawTransactionRPCCommands(table, *context) ||
            !hpips::RegisterMiningRPCCommands(table, *context) ||
            !hpips::RegisterMiscChainRPCCommands(table, *context)) {
            std::abort();
        }
        names = table.MethodNames();
    }

    ~Node()
    {
        // Close the databases before their directory goes; the table is not
        // called any more.
        mempool.reset();
        chainstate.reset();
        std::error_code ec;
        std::filesystem::remove_all(dir, ec);
    }
};

Node& TheNode()
{
    static Node node;
    return node;
}

/** Calls `method` with `params`; only RPCError may come out. */
void Call(Node& node, const std::string& method, const boost::json::value& params, std::string_view params_text)
{
    try {
        (void)node.table.Execute(method, params, hpips::RPCRequest{});
    } catch (const hpips::RPCError&) {
    }
    // The same through the envelope, which never throws and always answers JSON.
    const std::string body = R"({"jsonrpc":"2.0","id":1,"method":")" + method + R"(","params":)" + std::string{params_text} + "}";
    const auto reply = hpips::ExecuteJSONRPCBody(node.table, body, hpips::RPCRequest{});
    if (!reply.body.empty() && !hpips::ParseJson(reply.body)) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Node& node = TheNode();
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    const size_t newline = text.find('\n');
    const std::string_view head = text.substr(0, newline);
    const std::string_view params_text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);

    const auto parsed = hpips::ParseJsonLimited(params_text, hpips::MAX_RPC_REQUEST_JSON_VALUES);
    if (!parsed.value) return 0;

    if (head == "*") {
        for (const auto& name : node.names) Call(node, name, *parsed.value, params_text);
        return 0;
    }
    std::string method{head};
    if (!node.table.Has(method)) {
        uint32_t pick{0};
        for (const char c : head) pick = pick * 31 + static_cast<unsigned char>(c);
        method = node.names[pick % node.names.size()];
    }
    Call(node, method, *parsed.value, params_text);
    return 0;
}
