// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_CONTROL_H
#define HPIPS_RPC_CONTROL_H

#include <rpc/server.h>
#include <util/clock.h>
#include <util/result.h>

#include <chrono>
#include <filesystem>
#include <functional>

namespace hpips {

/** What the control methods (help, stop, uptime, getrpcinfo, echo,
 *  echojson, setmocktime, getmemoryinfo, logging) need from the node. Everything referenced must
 *  outlive the table's use. */
struct ControlContext {
    /** Asks the node to shut down (the stop RPC); must return at once. */
    std::function<void()> request_shutdown;
    /** The clock setmocktime moves. */
    NodeClock* clock{nullptr};
    /** setmocktime exists only on regtest. */
    bool mockable_chain{false};
    /** When the node started, for uptime. */
    std::chrono::steady_clock::time_point start_time{std::chrono::steady_clock::now()};
    /** debug.log, reported by getrpcinfo. */
    std::filesystem::path log_path;
};

/** Registers the control methods in `table` (which they also read, for help
 *  and getrpcinfo). */
Result<void> RegisterControlRPCCommands(RPCTable& table, ControlContext context);

}  // namespace hpips

#endif  // HPIPS_RPC_CONTROL_H
