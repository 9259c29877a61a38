// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <node/lockfile.h>

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

namespace hpips {

Result<std::unique_ptr<DirectoryLock>> DirectoryLock::Acquire(const std::filesystem::path& dir)
{
    const auto path = dir / ".lock";
    const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd < 0) return Error{"Cannot write to data directory '" + dir.string() + "'; check permissions."};
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Error{"Cannot obtain a lock on data directory " + dir.string() + ". HPIPS is probably already running."};
    }
    return std::unique_ptr<DirectoryLock>{new DirectoryLock{fd}};
}

DirectoryLock::~DirectoryLock()
{
    if (m_fd >= 0) {
        ::flock(m_fd, LOCK_UN);
        ::close(m_fd);
    }
}

}  // namespace hpips
