// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_UTIL_RUN_UNTIL_DONE_H
#define HPIPS_UTIL_RUN_UNTIL_DONE_H

#include <util/logging.h>

#include <exception>
#include <string_view>

namespace hpips {

/** Runs `context.run()` (a Boost.Asio io_context, or anything with run())
 *  until it returns normally. A handler must never throw; if one does, the
 *  error is logged as "<what>: unexpected error: ..." and the loop goes on,
 *  so one bad handler cannot stop the network, RPC or dashboard thread.
 *  Blocks the calling thread; thread safety is the context's. */
template <typename Context>
void RunUntilDone(Context& context, std::string_view what)
{
    while (true) {
        try {
            context.run();
            return;
        } catch (const std::exception& e) {
            LogInfo("{}: unexpected error: {}", what, e.what());
        }
    }
}

}  // namespace hpips

#endif  // HPIPS_UTIL_RUN_UNTIL_DONE_H
