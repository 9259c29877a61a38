// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/misc_chain.h>

#include <chain/txindex.h>
#include <consensus/params.h>
#include <primitives/address.h>
#include <rpc/tx_json.h>
#include <rpc/util.h>
#include <util/bech32.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

}  // namespace

Result<void> RegisterMiscChainRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "util",
        .name = "validateaddress",
        .description = "Return information about the given HPIPS address.",
        .args = {{"address", RPCArgType::STRING, false, "", "The HPIPS address to validate"}},
        .result = "{\n"
                  "  \"isvalid\" : true|false,     (boolean) If the address is valid or not\n"
                  "  \"address\" : \"str\",          (string, optional) The address validated\n"
                  "  \"scriptPubKey\" : \"hex\",     (string, optional) The destination's encoding (kind, length, key)\n"
                  "  \"isscript\" : false,         (boolean, optional) Always false\n"
                  "  \"iswitness\" : true,         (boolean, optional) Always true (a witness version 1 program)\n"
                  "  \"witness_version\" : 1,      (numeric, optional) The witness version\n"
                  "  \"witness_program\" : \"hex\",  (string, optional) The 32-byte x-only key\n"
                  "  \"error\" : \"str\",            (string, optional) Error message, if any\n"
                  "  \"error_locations\" : [ n ]   (json array, optional) Indices of likely error locations in "
                  "address, if known (e.g. Bech32 errors)\n"
                  "}",
        .examples = HelpExampleCli("validateaddress", "\"rhp1p...\"") + HelpExampleRpc("validateaddress", "\"rhp1p...\""),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const std::string address = ParamString(request, 0);
            const auto dest = DecodeAddress(address, ctx->params.network);
            json::object out;
            if (dest) {
                out["isvalid"] = true;
                out["address"] = EncodeAddress(*dest, ctx->params.network);
                out["scriptPubKey"] = DestinationHex(*dest);
                out["isscript"] = false;
                out["iswitness"] = true;
                out["witness_version"] = ADDRESS_WITNESS_VERSION;
                out["witness_program"] = HexStr(dest->payload);
                return out;
            }
            json::array locations;
            // The located typos, when the text is bech32-shaped (DecodeAddress
            // bounds the length first, so this never sees huge input).
            if (address.size() <= bech32::MAX_LENGTH) {
                for (const size_t position : bech32::Decode(address).error_positions) locations.push_back(position);
            }
            out["isvalid"] = false;
            out["error_locations"] = std::move(locations);
            out["error"] = dest.error_message();
            return out;
        },
    });

    methods.push_back({
        .category = "util",
        .name = "getindexinfo",
        .description = "Returns the status of one or all available indices currently running in the node.",
        .args = {{"index_name", RPCArgType::STRING, true, "", "Filter results for an index with a specific name."}},
        .result = "{                               (json object) An object with one key per index (none without "
                  "-txindex)\n"
                  "  \"txindex\" : {                 (json object) The name of the index\n"
                  "    \"synced\" : true|false,      (boolean) Whether the index is synced or not\n"
                  "    \"best_block_height\" : n     (numeric) The block height to which the index is synced\n"
                  "  }\n"
                  "}",
        .examples = HelpExampleCli("getindexinfo", "") + HelpExampleRpc("getindexinfo", "") +
                    HelpExampleCli("getindexinfo", "txindex") + HelpExampleRpc("getindexinfo", "txindex"),
        .handler = [ctx](const RPCRequest& request) -> json::value {
            const json::value* name = OptionalParam(request, 0);
            json::object out;
            if (ctx->txindex == nullptr) return out;
            if (name != nullptr && ParamString(request, 0) != TXINDEX_NAME) return out;
            const TxIndexSummary summary = ctx->txindex->Summary();
            json::object entry;
            entry["synced"] = summary.synced;
            entry["best_block_height"] = summary.best_block_height;
            out[TXINDEX_NAME] = std::move(entry);
            return out;
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
