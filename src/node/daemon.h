// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_DAEMON_H
#define HPIPS_NODE_DAEMON_H

#include <util/result.h>

#include <string_view>

/** -daemon: hpipsd goes to the background once its settings are read and
 *  checked, and the starting process reports how the start went.
 *
 *  HPIPS's -daemon behaves as Core's `-daemon -daemonwait`: the parent waits
 *  on a pipe until the child says it has finished starting (exit 0) or has
 *  failed (the child's error on the parent's stderr as "Error: ...", exit
 *  1); a child that dies before saying either makes the parent exit 1 too.
 *  So `hpipsd -daemon && hpips-cli getblockcount` works with no -rpcwait,
 *  and a service manager sees a failed start as a failure. The child starts
 *  a new session (setsid) and has /dev/null as stdin, stdout and stderr; it
 *  keeps the working directory (the data directory is already absolute). */
namespace hpips {

/** The child's side of the pipe: report once, then it is closed. */
class DaemonReporter {
public:
    explicit DaemonReporter(int fd) : m_fd{fd} {}
    ~DaemonReporter();
    DaemonReporter(const DaemonReporter&) = delete;
    DaemonReporter& operator=(const DaemonReporter&) = delete;

    /** The node is up: the parent exits 0. */
    void Ready();
    /** The start failed with `message`: the parent prints it and exits 1. */
    void Failed(std::string_view message);

private:
    void Close();
    int m_fd{-1};
};

/** Forks. Call while the process has a single thread. In the parent it never
 *  returns: it waits for the child's report and exits. In the child it
 *  returns the pipe's write end, for a DaemonReporter. An error if the pipe
 *  or the fork fails (nothing forked). */
Result<int> Daemonize();

}  // namespace hpips

#endif  // HPIPS_NODE_DAEMON_H
