// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_ZMQ_H
#define HPIPS_RPC_ZMQ_H

#include <rpc/server.h>
#include <util/result.h>

#include <cstdint>
#include <string>
#include <vector>

/** getzmqnotifications (doc/zmq.md). The RPC layer does not link the ZMQ
 *  library: the node hands it the list of active notifications, which is
 *  fixed once the node has started. */
namespace hpips {

/** One active notification, as getzmqnotifications shows it. */
struct ZMQNotificationInfo {
    /** "pubhashblock", "pubhashtx", "pubrawblock", "pubrawtx" or "pubsequence". */
    std::string type;
    std::string address;
    int64_t hwm{0};
};

/** Registers getzmqnotifications, answering `notifications` (empty without
 *  -zmqpub* options), in the order given. */
Result<void> RegisterZMQRPCCommands(RPCTable& table, std::vector<ZMQNotificationInfo> notifications);

}  // namespace hpips

#endif  // HPIPS_RPC_ZMQ_H
