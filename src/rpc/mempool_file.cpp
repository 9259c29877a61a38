// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/mempool_file.h>

#include <chain/mempool_persist.h>
#include <rpc/protocol.h>
#include <rpc/util.h>
#include <util/logging.h>

#include <boost/json/object.hpp>

namespace hpips {

namespace json = boost::json;

Result<void> RegisterMempoolFileRPCCommands(RPCTable& table, MempoolFileContext& context)
{
    MempoolFileContext* ctx = &context;
    return table.Register({
        .category = "blockchain",
        .name = "savemempool",
        .description = "Writes the mempool to mempool.dat in the data directory now, atomically (the node also "
                       "writes it at shutdown unless -persistmempool=0).",
        .args = {},
        .result = "{\n"
                  "  \"filename\" : \"str\"    (string) the directory and file where the mempool was saved\n"
                  "}",
        .examples = HelpExampleCli("savemempool", "") + HelpExampleRpc("savemempool", ""),
        .handler = [ctx](const RPCRequest&) -> json::value {
            auto dumped = DumpMempool(ctx->mempool, ctx->path);
            if (!dumped) {
                LogInfo("savemempool: {}", dumped.error_message());
                throw RPCError{RPCErrorCode::MISC_ERROR, "Unable to dump mempool to disk"};
            }
            LogInfo("Dumped mempool: {} transactions to {}", *dumped, ctx->path.string());
            json::object out;
            out["filename"] = ctx->path.string();
            return out;
        },
    });
}

}  // namespace hpips
