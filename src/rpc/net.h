// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_NET_H
#define HPIPS_RPC_NET_H

#include <primitives/amount.h>
#include <rpc/server.h>
#include <util/result.h>

namespace hpips::net {
class ConnectionManager;
class PeerManager;
}  // namespace hpips::net

/** The "network" RPC methods (doc/rpc.md, "Network methods"), with Bitcoin
 *  Core's names, arguments, error codes and field names where they apply:
 *  getconnectioncount, getpeerinfo, getnetworkinfo, getnettotals, ping,
 *  addnode, getaddednodeinfo, disconnectnode, setban, listbanned,
 *  clearbanned, getnodeaddresses, setnetworkactive. */
namespace hpips {
namespace net {
class BlockSync;
}  // namespace net

/** What the network methods read and drive. Everything referenced must
 *  outlive the table's use. */
struct NetRPCContext {
    net::ConnectionManager* connman{nullptr};
    net::PeerManager* peerman{nullptr};
    /** Sync state for getpeerinfo (synced_headers, synced_blocks, inflight); may be null. */
    net::BlockSync* block_sync{nullptr};
    /** Fee rates reported by getnetworkinfo (base units per 1,000 bytes). */
    Amount relay_fee{0};
    Amount incremental_fee{0};
};

/** Registers the methods above in `table`. Fails if a name is taken. */
Result<void> RegisterNetRPCCommands(RPCTable& table, NetRPCContext context);

}  // namespace hpips

#endif  // HPIPS_RPC_NET_H
