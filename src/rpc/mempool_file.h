// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_MEMPOOL_FILE_H
#define HPIPS_RPC_MEMPOOL_FILE_H

#include <chain/mempool.h>
#include <rpc/server.h>
#include <util/result.h>

#include <filesystem>

/** savemempool: writes the pool to mempool.dat now (chain/mempool_persist.h
 *  for the format and its atomic write), as Core's method. */
namespace hpips {

/** What savemempool needs; must outlive the table's use. */
struct MempoolFileContext {
    MempoolFileContext(Mempool& pool, std::filesystem::path file) : mempool{pool}, path{std::move(file)} {}

    Mempool& mempool;
    /** <datadir>/mempool.dat. */
    std::filesystem::path path;
};

/** Registers savemempool. Fails if the name is taken. */
Result<void> RegisterMempoolFileRPCCommands(RPCTable& table, MempoolFileContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_MEMPOOL_FILE_H
