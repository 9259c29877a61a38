// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/client.h>

#include <rpc/json.h>

#include <algorithm>
#include <array>

namespace hpips {
namespace {

namespace json = boost::json;

/** A parameter that hpips-cli parses as JSON. */
struct ConvertParam {
    std::string_view method;
    int index;
    std::string_view name;
};

/** Parameters that are not strings, for methods that exist now and for the
 *  chain, mempool, mining and wallet methods (named as in Bitcoin Core) so
 *  that their authors only add the server side. */
constexpr auto CONVERT_PARAMS = std::to_array<ConvertParam>({
    // control
    {"setmocktime", 0, "timestamp"},
    {"echojson", 0, "arg0"},
    {"echojson", 1, "arg1"},
    {"echojson", 2, "arg2"},
    {"echojson", 3, "arg3"},
    {"echojson", 4, "arg4"},
    {"echojson", 5, "arg5"},
    {"echojson", 6, "arg6"},
    {"echojson", 7, "arg7"},
    {"echojson", 8, "arg8"},
    {"echojson", 9, "arg9"},
    {"logging", 0, "include"},
    {"logging", 1, "exclude"},
    // blockchain
    {"getblockhash", 0, "height"},
    {"getblock", 1, "verbosity"},
    {"getblock", 1, "verbose"},
    {"getblockheader", 1, "verbose"},
    {"getblockstats", 0, "hash_or_height"},
    {"getblockstats", 1, "stats"},
    {"getchaintxstats", 0, "nblocks"},
    {"gettxout", 1, "n"},
    {"gettxout", 2, "include_mempool"},
    {"gettxoutproof", 0, "txids"},
    {"waitforblockheight", 0, "height"},
    {"waitforblockheight", 1, "timeout"},
    {"waitforblock", 1, "timeout"},
    {"waitfornewblock", 0, "timeout"},
    {"pruneblockchain", 0, "height"},
    {"scantxoutset", 1, "scanobjects"},
    {"verifychain", 0, "checklevel"},
    {"verifychain", 1, "nblocks"},
    {"getmempoolancestors", 1, "verbose"},
    {"getmempooldescendants", 1, "verbose"},
    {"getrawmempool", 0, "verbose"},
    {"getrawmempool", 1, "mempool_sequence"},
    // blobs
    {"putblobchunk", 1, "size"},
    {"putblobchunk", 2, "index"},
    {"getblobchunk", 1, "index"},
    {"fetchblob", 1, "peer_id"},
    // mining
    {"generatetoaddress", 0, "nblocks"},
    {"generatetoaddress", 2, "maxtries"},
    {"generatetodescriptor", 0, "num_blocks"},
    {"generatetodescriptor", 2, "maxtries"},
    {"generateblock", 1, "transactions"},
    {"generateblock", 2, "submit"},
    {"generateblock", 3, "check"},
    {"submitwork", 1, "nonce"},
    {"submitwork", 3, "tile_index"},
    {"getnetworkhashps", 0, "nblocks"},
    {"getnetworkhashps", 1, "height"},
    {"prioritisetransaction", 1, "dummy"},
    {"prioritisetransaction", 2, "fee_delta"},
    {"getblocktemplate", 0, "template_request"},
    {"setgenerate", 0, "generate"},
    {"setgenerate", 1, "genproclimit"},
    // raw transactions
    {"createrawtransaction", 0, "inputs"},
    {"createrawtransaction", 1, "outputs"},
    {"createrawtransaction", 2, "locktime"},
    {"getrawtransaction", 1, "verbosity"},
    {"getrawtransaction", 1, "verbose"},
    {"sendrawtransaction", 1, "maxfeerate"},
    {"testmempoolaccept", 0, "rawtxs"},
    {"testmempoolaccept", 1, "maxfeerate"},
    {"decoderawtransaction", 1, "iswitness"},
    {"signrawtransactionwithkey", 1, "privkeys"},
    {"signrawtransactionwithkey", 2, "prevtxs"},
    {"signrawtransactionwithwallet", 1, "prevtxs"},
    // network
    {"addnode", 2, "v2transport"},
    {"disconnectnode", 1, "nodeid"},
    {"setban", 2, "bantime"},
    {"setban", 3, "absolute"},
    {"setnetworkactive", 0, "state"},
    {"getnodeaddresses", 0, "count"},
    // wallet
    {"sendtoaddress", 1, "amount"},
    {"sendtoaddress", 4, "subtractfeefromamount"},
    {"sendtoaddress", 5, "replaceable"},
    {"sendtoaddress", 6, "conf_target"},
    {"sendtoaddress", 8, "avoid_reuse"},
    {"sendtoaddress", 9, "fee_rate"},
    {"sendtoaddress", 10, "verbose"},
    {"sendmany", 1, "amounts"},
    {"sendmany", 2, "minconf"},
    {"sendmany", 4, "subtractfeefrom"},
    {"sendmany", 5, "replaceable"},
    {"sendmany", 6, "conf_target"},
    {"sendmany", 8, "fee_rate"},
    {"sendmany", 9, "verbose"},
    {"settxfee", 0, "amount"},
    {"getbalance", 1, "minconf"},
    {"getbalance", 2, "include_watchonly"},
    {"getbalance", 3, "avoid_reuse"},
    {"getreceivedbyaddress", 1, "minconf"},
    {"getreceivedbyaddress", 2, "include_immature_coinbase"},
    {"listreceivedbyaddress", 0, "minconf"},
    {"listreceivedbyaddress", 1, "include_empty"},
    {"listreceivedbyaddress", 2, "include_watchonly"},
    {"listtransactions", 1, "count"},
    {"listtransactions", 2, "skip"},
    {"listtransactions", 3, "include_watchonly"},
    {"listsinceblock", 1, "target_confirmations"},
    {"listsinceblock", 2, "include_watchonly"},
    {"listsinceblock", 3, "include_removed"},
    {"listunspent", 0, "minconf"},
    {"listunspent", 1, "maxconf"},
    {"listunspent", 2, "addresses"},
    {"listunspent", 3, "include_unsafe"},
    {"listunspent", 4, "query_options"},
    {"lockunspent", 0, "unlock"},
    {"lockunspent", 1, "transactions"},
    {"lockunspent", 2, "persistent"},
    {"gettransaction", 1, "include_watchonly"},
    {"gettransaction", 2, "verbose"},
    {"keypoolrefill", 0, "newsize"},
    {"walletpassphrase", 1, "timeout"},
    {"createwallet", 1, "disable_private_keys"},
    {"createwallet", 2, "blank"},
    {"createwallet", 4, "avoid_reuse"},
    {"createwallet", 5, "descriptors"},
    {"createwallet", 6, "load_on_startup"},
    {"createwallet", 7, "external_signer"},
    {"loadwallet", 1, "load_on_startup"},
    {"unloadwallet", 1, "load_on_startup"},
    {"rescanblockchain", 0, "start_height"},
    {"rescanblockchain", 1, "stop_height"},
    {"fundrawtransaction", 1, "options"},
    {"bumpfee", 1, "options"},
    {"send", 0, "outputs"},
    {"send", 1, "conf_target"},
    {"send", 3, "fee_rate"},
    {"send", 4, "options"},
    {"estimatesmartfee", 0, "conf_target"},
});

Result<json::value> ParseArg(std::string_view text)
{
    auto parsed = ParseJson(text);
    if (!parsed) return Error{"Error parsing JSON: " + std::string{text}};
    return std::move(*parsed);
}

}  // namespace

bool IsJsonParam(std::string_view method, int index)
{
    return std::any_of(CONVERT_PARAMS.begin(), CONVERT_PARAMS.end(),
                       [&](const ConvertParam& p) { return p.method == method && p.index == index; });
}

bool IsJsonParam(std::string_view method, std::string_view name)
{
    return std::any_of(CONVERT_PARAMS.begin(), CONVERT_PARAMS.end(),
                       [&](const ConvertParam& p) { return p.method == method && p.name == name; });
}

Result<json::array> RPCConvertValues(std::string_view method, const std::vector<std::string>& args)
{
    json::array params;
    for (size_t i{0}; i < args.size(); ++i) {
        if (IsJsonParam(method, static_cast<int>(i))) {
            auto value = ParseArg(args[i]);
            if (!value) return value.error();
            params.push_back(std::move(*value));
        } else {
            params.emplace_back(args[i]);
        }
    }
    return params;
}

Result<json::object> RPCConvertNamedValues(std::string_view method, const std::vector<std::string>& args)
{
    json::object params;
    json::array positional;
    for (const auto& arg : args) {
        const size_t eq = arg.find('=');
        if (eq == std::string::npos) {
            // Positional among named: converted by its position in "args".
            const int index = static_cast<int>(positional.size());
            if (IsJsonParam(method, index)) {
                auto value = ParseArg(arg);
                if (!value) return value.error();
                positional.push_back(std::move(*value));
            } else {
                positional.emplace_back(arg);
            }
            continue;
        }
        const std::string name = arg.substr(0, eq);
        const std::string text = arg.substr(eq + 1);
        if (IsJsonParam(method, name)) {
            auto value = ParseArg(text);
            if (!value) return value.error();
            params[name] = std::move(*value);
        } else {
            params[name] = text;
        }
    }
    if (!positional.empty()) params["args"] = std::move(positional);
    return params;
}

}  // namespace hpips
