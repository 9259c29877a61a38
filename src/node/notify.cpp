// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/notify.h>

#include <util/logging.h>

#include <spawn.h>
#include <sys/wait.h>

#include <cerrno>
#include <csignal>
#include <cstring>

extern char** environ;

namespace hpips {

std::string ReplaceAll(std::string_view command, std::string_view pattern, std::string_view value)
{
    std::string out;
    size_t pos{0};
    while (true) {
        const size_t found = command.find(pattern, pos);
        if (found == std::string_view::npos || pattern.empty()) break;
        out.append(command.substr(pos, found - pos));
        out.append(value);
        pos = found + pattern.size();
    }
    out.append(command.substr(pos));
    return out;
}

int RunShellCommand(const std::string& command)
{
    posix_spawnattr_t attr;
    if (posix_spawnattr_init(&attr) != 0) return -1;
    sigset_t empty;
    sigemptyset(&empty);
    sigset_t defaults;
    sigemptyset(&defaults);
    sigaddset(&defaults, SIGPIPE);
    sigaddset(&defaults, SIGINT);
    sigaddset(&defaults, SIGTERM);
    sigaddset(&defaults, SIGHUP);
    posix_spawnattr_setsigmask(&attr, &empty);
    posix_spawnattr_setsigdefault(&attr, &defaults);
    posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
    std::string shell{"/bin/sh"};
    std::string flag{"-c"};
    std::string text{command};
    char* argv[] = {shell.data(), flag.data(), text.data(), nullptr};
    pid_t pid{0};
    const int spawned = posix_spawn(&pid, "/bin/sh", nullptr, &attr, argv, environ);
    posix_spawnattr_destroy(&attr);
    if (spawned != 0) {
        LogInfo("runCommand error: cannot start /bin/sh for '{}': {}", command, std::strerror(spawned));
        return -1;
    }
    int status{0};
    while (::waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) return -1;
    }
    const int code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    if (code != 0) LogInfo("runCommand error: system({}) returned {}", command, code);
    return code;
}

CommandRunner::CommandRunner() : m_thread{[this] { Run(); }} {}

CommandRunner::~CommandRunner()
{
    {
        LockGuard lock{m_mutex};
        m_stop = true;
    }
    m_cv.notify_all();
    m_thread.join();
}

bool CommandRunner::Queue(std::string command)
{
    {
        LockGuard lock{m_mutex};
        if (m_queue.size() >= MAX_PENDING_NOTIFY_COMMANDS) {
            LogInfo("Notification dropped: {} commands already wait to run ({})", m_queue.size(), command);
            return false;
        }
        m_queue.push_back(std::move(command));
    }
    m_cv.notify_one();
    return true;
}

void CommandRunner::Run()
{
    while (true) {
        std::string command;
        {
            UniqueLock lock{m_mutex};
            m_cv.wait(lock.native(), [this]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_stop || !m_queue.empty(); });
            if (m_queue.empty()) return;  // stopping, and nothing left
            command = std::move(m_queue.front());
            m_queue.pop_front();
        }
        RunShellCommand(command);
    }
}

BlockNotifier::BlockNotifier(const Chainstate& chainstate, CommandRunner& runner, std::string command)
    : m_chainstate{chainstate}, m_runner{runner}, m_command{std::move(command)}
{
}

void BlockNotifier::ActiveTipChanged(const uint256& tip_hash, int64_t /*tip_height*/)
{
    if (m_chainstate.IsInitialBlockDownload()) return;
    {
        LockGuard lock{m_mutex};
        if (tip_hash == m_last) return;
        m_last = tip_hash;
    }
    m_runner.Queue(ReplaceAll(m_command, "%s", tip_hash.GetHex()));
}

}  // namespace hpips
