// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NODE_LOCKFILE_H
#define HPIPS_NODE_LOCKFILE_H

#include <util/result.h>

#include <filesystem>
#include <memory>

namespace hpips {

/** An exclusive advisory lock (flock) on `<dir>/.lock`, held for the
 *  object's life, so two nodes never share a data directory. The kernel
 *  releases it if the process dies, so a crash leaves no stale lock. */
class DirectoryLock {
public:
    /** Takes the lock without waiting. Fails with Core's message
     *  "Cannot obtain a lock on data directory <dir>. HPIPS is probably
     *  already running." when another process holds it. */
    static Result<std::unique_ptr<DirectoryLock>> Acquire(const std::filesystem::path& dir);
    /** Releases the lock (the .lock file stays, as in Core). */
    ~DirectoryLock();
    DirectoryLock(const DirectoryLock&) = delete;
    DirectoryLock& operator=(const DirectoryLock&) = delete;

private:
    explicit DirectoryLock(int fd) : m_fd{fd} {}
    int m_fd{-1};
};

}  // namespace hpips

#endif  // HPIPS_NODE_LOCKFILE_H
