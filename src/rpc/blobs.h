// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_BLOBS_H
#define HPIPS_RPC_BLOBS_H

#include <net/blob_relay.h>
#include <rpc/chain_context.h>
#include <rpc/server.h>
#include <util/result.h>

/** The "jobdata" RPC methods (doc/blobs.md, "RPC"; doc/rpc.md): putblob,
 *  putblobchunk, getblobinfo, listblobs, getblobchunk, removeblob, over the
 *  node's BlobStore (context.blobs); and fetchblob, over the P2P blob relay. */
namespace hpips {

/** Registers the methods above in `table`; they keep a pointer to `context`,
 *  which must outlive the table's use. With no store (context.blobs null)
 *  every method fails with MISC_ERROR "Blob store is not available". Fails if
 *  a name is taken. */
Result<void> RegisterBlobRPCCommands(RPCTable& table, ChainContext& context);

/** Registers fetchblob (doc/blobs.md §7), over the node's BlobRelay, which
 *  must outlive the table's use. Registered when the network starts. Fails if
 *  the name is taken. */
Result<void> RegisterBlobFetchRPCCommands(RPCTable& table, net::BlobRelay& relay);

}  // namespace hpips

#endif  // HPIPS_RPC_BLOBS_H
