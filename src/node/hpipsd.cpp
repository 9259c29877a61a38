// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpipsd: the HPIPS full node. All the work is in node/init.cpp; main only
// parses, initialises, waits for a shutdown request and shuts down.
#include <node/context.h>
#include <node/init.h>
#include <node/shutdown.h>
#include <util/logging.h>

#include <iostream>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    // Before any thread starts: only the SignalWatcher sees SIGINT/SIGTERM.
    hpips::BlockShutdownSignals();

    hpips::NodeContext node;
    const std::vector<std::string> tokens(argv + 1, argv + argc);
    const auto parsed = hpips::ParseNodeCommandLine(node, tokens);
    if (!parsed) {
        std::cerr << "Error: " << parsed.error_message() << "\n";
        return 1;
    }
    if (*parsed == hpips::ParseOutcome::PRINTED_HELP_OR_VERSION) return 0;

    const auto init = hpips::AppInit(node);
    if (!init) {
        if (node.lock) {
            // debug.log is open: record the error there too (stderr gets it below, once).
            hpips::GetLogger().SetPrintToConsole(false);
            hpips::LogInfo("Error: {}", init.error_message());
        }
        std::cerr << "Error: " << init.error_message() << "\n";
        hpips::Shutdown(node);
        return 1;
    }
    {
        const auto log_path = node.data_dir / "debug.log";
        hpips::SignalWatcher watcher{node.shutdown, [log_path] { hpips::GetLogger().OpenFile(log_path); }};
        node.shutdown.Wait();
    }
    hpips::Shutdown(node);
    return node.exit_status.load();
}
