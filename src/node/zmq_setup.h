// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_ZMQ_SETUP_H
#define HPIPS_NODE_ZMQ_SETUP_H

#include <node/context.h>
#include <node/settings.h>
#include <util/result.h>
#include <zmq/zmq_publisher.h>

#include <vector>

/** ZMQ notifications at startup and shutdown (doc/zmq.md). */
namespace hpips {

/** Largest -zmqpub<topic>hwm accepted (libzmq takes an int). */
constexpr int64_t MAX_ZMQ_SNDHWM = 1'000'000'000;

/** The notifications -zmqpub<topic>=<address> (each may be given several
 *  times) and -zmqpub<topic>hwm=<n> ask for, topic by topic in
 *  ALL_ZMQ_TOPICS order, addresses in the order given. An address that is
 *  not tcp:// or ipc://, or malformed, or a high water mark outside
 *  0..MAX_ZMQ_SNDHWM, is an error naming the option. */
Result<std::vector<ZmqNotifierSpec>> ZmqSpecsFromArgs(const Settings& args);

/** Binds the sockets and registers the notifier with the chainstate and the
 *  mempool (both loaded); registers getzmqnotifications when RPC runs
 *  (answering [] without -zmqpub* options). A socket that cannot be bound
 *  fails the start. */
Result<void> StartZMQ(NodeContext& node);

/** Unregisters the notifier and closes its sockets; before the chainstate
 *  and the mempool go. */
void StopZMQ(NodeContext& node);

}  // namespace hpips

#endif  // HPIPS_NODE_ZMQ_SETUP_H
