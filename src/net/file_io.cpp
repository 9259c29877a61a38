// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/file_io.h>

#include <util/logging.h>

#include <cerrno>
#include <fcntl.h>
#include <fstream>
#include <unistd.h>

namespace hpips::net {

Result<void> WriteFileAtomic(const std::filesystem::path& path, std::span<const uint8_t> bytes)
{
    std::filesystem::path temp = path;
    temp += ".tmp";
    const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return Error{"Unable to open " + temp.string() + " for writing"};
    bool ok{true};
    size_t written{0};
    while (written < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) {
            ok = false;
            break;
        }
        written += static_cast<size_t>(n);
    }
    ok = (::fsync(fd) == 0) && ok;
    ok = (::close(fd) == 0) && ok;
    std::error_code ec;
    if (!ok) {
        std::filesystem::remove(temp, ec);
        return Error{"Unable to write " + temp.string()};
    }
    std::filesystem::rename(temp, path, ec);
    if (ec) {
        std::filesystem::remove(temp, ec);
        return Error{"Unable to rename " + temp.string() + " to " + path.string()};
    }
    // The rename itself reaches disk only with the directory.
    const int dir_fd = ::open(path.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dir_fd >= 0) {
        ::fsync(dir_fd);
        ::close(dir_fd);
    }
    return {};
}

Result<std::vector<uint8_t>> ReadFileBounded(const std::filesystem::path& path, uintmax_t max_size)
{
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path, ec);
    if (ec) return Error{"Cannot read " + path.string() + ": " + ec.message()};
    if (size > max_size) {
        return Error{path.string() + " is " + std::to_string(size) + " bytes, more than the " +
                     std::to_string(max_size) + " allowed"};
    }
    std::ifstream in{path, std::ios::binary};
    if (!in) return Error{"Cannot open " + path.string()};
    std::vector<uint8_t> bytes(static_cast<size_t>(size));
    in.read(reinterpret_cast<char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (static_cast<uintmax_t>(in.gcount()) != size) return Error{"Cannot read all of " + path.string()};
    return bytes;
}

void MoveAside(const std::filesystem::path& path, std::string_view reason)
{
    std::filesystem::path backup = path;
    backup += ".bak";
    std::error_code ec;
    std::filesystem::rename(path, backup, ec);
    if (ec) {
        LogInfo("{} is damaged ({}) and could not be renamed to {}: {}; starting without it", path.string(), reason,
                backup.string(), ec.message());
        std::filesystem::remove(path, ec);
        return;
    }
    LogInfo("{} is damaged ({}); moved it to {} and starting without it", path.string(), reason, backup.string());
}

}  // namespace hpips::net
