// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/daemon.h>

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

namespace hpips {
namespace {

/** The first byte the child writes: ready, or failed (the message follows). */
constexpr char REPORT_READY = '1';
constexpr char REPORT_FAILED = '0';
/** Longest error message the parent relays. */
constexpr size_t MAX_REPORT_SIZE = 64 * 1024;

bool WriteAll(int fd, const char* data, size_t size)
{
    while (size > 0) {
        const ssize_t n = ::write(fd, data, size);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        data += n;
        size -= static_cast<size_t>(n);
    }
    return true;
}

/** The parent: reads the child's report until the pipe closes, then exits. */
[[noreturn]] void WaitForChild(int fd)
{
    std::string report;
    char buffer[4096];
    while (report.size() < MAX_REPORT_SIZE) {
        const ssize_t n = ::read(fd, buffer, sizeof(buffer));
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) break;
        report.append(buffer, static_cast<size_t>(n));
    }
    ::close(fd);
    if (!report.empty() && report.front() == REPORT_READY) std::_Exit(EXIT_SUCCESS);
    const std::string message = report.empty() ? std::string{"hpipsd exited before it finished starting"}
                                               : report.substr(1);
    std::fprintf(stderr, "Error: %s\n", message.c_str());
    std::fflush(stderr);
    std::_Exit(EXIT_FAILURE);
}

}  // namespace

DaemonReporter::~DaemonReporter() { Close(); }

void DaemonReporter::Close()
{
    if (m_fd >= 0) ::close(m_fd);
    m_fd = -1;
}

void DaemonReporter::Ready()
{
    if (m_fd < 0) return;
    WriteAll(m_fd, &REPORT_READY, 1);
    Close();
}

void DaemonReporter::Failed(std::string_view message)
{
    if (m_fd < 0) return;
    std::string report(1, REPORT_FAILED);
    report.append(message.substr(0, MAX_REPORT_SIZE - 1));
    WriteAll(m_fd, report.data(), report.size());
    Close();
}

Result<int> Daemonize()
{
    int fds[2];
    if (::pipe2(fds, O_CLOEXEC) != 0) return Error{std::string{"cannot create a pipe: "} + std::strerror(errno)};
    std::fflush(stdout);
    std::fflush(stderr);
    const pid_t pid = ::fork();
    if (pid < 0) {
        const int error = errno;
        ::close(fds[0]);
        ::close(fds[1]);
        return Error{std::string{"fork failed: "} + std::strerror(error)};
    }
    if (pid > 0) {
        ::close(fds[1]);
        WaitForChild(fds[0]);
    }
    ::close(fds[0]);
    ::setsid();
    const int null = ::open("/dev/null", O_RDWR);
    if (null >= 0) {
        ::dup2(null, STDIN_FILENO);
        ::dup2(null, STDOUT_FILENO);
        ::dup2(null, STDERR_FILENO);
        if (null > STDERR_FILENO) ::close(null);
    }
    return fds[1];
}

}  // namespace hpips
