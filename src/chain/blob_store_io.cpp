// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/blob_store_io.h>

#include <cerrno>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hpips::blob_io {

/** errno as text (thread-safe, unlike strerror). */
std::string ErrnoText(int error) { return std::error_code{error, std::generic_category()}.message(); }

BlobStoreError Fail(BlobStoreFailure failure, std::string message)
{
    return BlobStoreError{failure, std::nullopt, std::move(message)};
}

BlobStoreError Invalid(const BlobError& error) { return BlobStoreError{BlobStoreFailure::INVALID, error.failure, error.message}; }

BlobStoreError IoError(std::string_view what, const std::filesystem::path& path, int error)
{
    return Fail(BlobStoreFailure::IO, std::string{what} + " " + path.string() + ": " + ErrnoText(error));
}

bool WriteAllAt(int fd, std::span<const uint8_t> data, uint64_t offset)
{
    size_t done{0};
    while (done < data.size()) {
        const ssize_t n{::pwrite(fd, data.data() + done, data.size() - done, static_cast<off_t>(offset + done))};
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

/** Reads up to out.size() bytes at `offset`; returns how many (fewer only at
 *  the end of the file), or -1 on error. */
ssize_t ReadAt(int fd, std::span<uint8_t> out, uint64_t offset)
{
    size_t done{0};
    while (done < out.size()) {
        const ssize_t n{::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done))};
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return -1;
        if (n == 0) break;
        done += static_cast<size_t>(n);
    }
    return static_cast<ssize_t>(done);
}

/** Creates `path` (which must not exist), writes `bytes` and fsyncs it. */
Result<void, BlobStoreError> WriteNewFileSynced(const std::filesystem::path& path, std::span<const uint8_t> bytes)
{
    const int fd{::open(path.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (fd < 0) return IoError("cannot create", path, errno);
    const bool written{WriteAllAt(fd, bytes, 0) && ::fdatasync(fd) == 0};
    const int error{errno};
    ::close(fd);
    if (!written) {
        std::error_code ec;
        std::filesystem::remove(path, ec);
        return IoError("cannot write", path, error);
    }
    return {};
}

/** Reads a whole small file, refusing one larger than `max_size` before
 *  reading it. */
Result<std::vector<uint8_t>> ReadSmallFile(const std::filesystem::path& path, size_t max_size)
{
    const int fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd < 0) return Error{"cannot open: " + ErrnoText(errno)};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const int error{errno};
        ::close(fd);
        return Error{"cannot stat: " + ErrnoText(error)};
    }
    if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > max_size) {
        ::close(fd);
        return Error{"file of " + std::to_string(st.st_size) + " bytes exceeds " + std::to_string(max_size)};
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(st.st_size));
    const ssize_t n{ReadAt(fd, bytes, 0)};
    ::close(fd);
    if (n != static_cast<ssize_t>(bytes.size())) return Error{"short read"};
    return bytes;
}

/** The id a file in blobs/ is named after, if its name is exactly
 *  <display hex of an id><suffix> (lower-case, as the store writes it). */
std::optional<uint256> IdOfFileName(const std::string& name, std::string_view suffix)
{
    if (name.size() != 2 * uint256::SIZE + suffix.size() || !name.ends_with(suffix)) return std::nullopt;
    const std::string_view hex{name.data(), 2 * uint256::SIZE};
    auto id = uint256::FromHex(hex);
    if (!id || id->GetHex() != hex) return std::nullopt;
    return id;
}

}  // namespace hpips::blob_io
