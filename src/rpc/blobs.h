// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_BLOBS_H
#define HPIPS_RPC_BLOBS_H

#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

/** The "jobdata" RPC methods (doc/blobs.md, "RPC"; doc/rpc.md): putblob,
 *  putblobchunk, getblobinfo, listblobs, getblobchunk, removeblob, over the
 *  node's BlobStore (context.blobs). */
namespace hpips {

/** Registers the methods above in `table`; they keep a pointer to `context`,
 *  which must outlive the table's use. With no store (context.blobs null)
 *  every method fails with MISC_ERROR "Blob store is not available". Fails if
 *  a name is taken. */
Result<void> RegisterBlobRPCCommands(RPCTable& table, ChainContext& context);

}  // namespace hpips

#endif  // HPIPS_RPC_BLOBS_H
