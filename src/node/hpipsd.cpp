// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// hpipsd: the HPIPS full node. All the work is in node/init.cpp; main only
// parses, initialises (forking first with -daemon), waits for a shutdown
// request and shuts down.
#include <node/context.h>
#include <node/daemon.h>
#include <node/init.h>
#include <node/shutdown.h>
#include <util/logging.h>

#include <sys/stat.h>

#include <iostream>
#include <memory>
#include <string>
#include <vector>

int main(int argc, char** argv)
{
    // Data directory, cookie, logs, wallet files: private to the user, as
    // Core's default (no -sysperms here).
    ::umask(077);
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

    auto init = hpips::AppInitParameters(node);
    // -daemon forks here, while the process has one thread; the parent waits
    // in Daemonize for the child's report and exits with it (node/daemon.h).
    std::unique_ptr<hpips::DaemonReporter> reporter;
    if (init && node.args->GetBoolArg("daemon", false)) {
        auto fd = hpips::Daemonize();
        if (!fd) {
            init = fd.error();
        } else {
            reporter = std::make_unique<hpips::DaemonReporter>(*fd);
        }
    }
    if (init) init = hpips::AppInitMain(node);
    if (!init) {
        if (node.lock) {
            // debug.log is open: record the error there too (stderr gets it below, once).
            hpips::GetLogger().SetPrintToConsole(false);
            hpips::LogInfo("Error: {}", init.error_message());
        }
        std::cerr << "Error: " << init.error_message() << "\n";
        hpips::Shutdown(node);
        // The parent prints it and exits 1 only now, once the child let go
        // of the data directory.
        if (reporter) reporter->Failed(init.error_message());
        return 1;
    }
    if (reporter) reporter->Ready();
    {
        const auto log_path = node.log_path;
        hpips::SignalWatcher watcher{node.shutdown, [log_path] {
                                         if (!log_path.empty()) hpips::GetLogger().OpenFile(log_path);
                                     }};
        node.shutdown.Wait();
    }
    hpips::Shutdown(node);
    return node.exit_status.load();
}
