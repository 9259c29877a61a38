// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOB_STORE_IO_H
#define HPIPS_CHAIN_BLOB_STORE_IO_H

#include <chain/blob_store.h>

#include <cstdint>
#include <filesystem>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include <sys/types.h>
#include <unistd.h>

/**
 * The blob store's file I/O (internal to src/chain/blob_store*.cpp; not an
 * interface of its own): file names, positioned reads and writes that retry
 * on EINTR, synced creation of small files, bounded reads, and the error
 * values the store returns for them. The store itself is split by concept:
 * blob_store.cpp (opening, whole blobs, serving), blob_download.cpp
 * (chunk-by-chunk ingest), blob_refs.cpp (references, pins, removal,
 * pruning). Pure helpers; thread-safe.
 */
namespace hpips {

/** An open file descriptor, closed when the last user lets go (a download's
 *  file is shared by the AcceptChunk calls writing into it). */
class BlobStore::File {
public:
    explicit File(int fd) : m_fd{fd} {}
    ~File()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    File(const File&) = delete;
    File& operator=(const File&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

namespace blob_io {

inline constexpr std::string_view DATA_SUFFIX{".blob"};
inline constexpr std::string_view META_SUFFIX{".meta"};
inline constexpr std::string_view TEMP_DIR_NAME{"tmp"};

/** errno as text (thread-safe, unlike strerror). */
std::string ErrnoText(int error);
BlobStoreError Fail(BlobStoreFailure failure, std::string message);
BlobStoreError Invalid(const BlobError& error);
/** IO failure "<what> <path>: <errno text>". */
BlobStoreError IoError(std::string_view what, const std::filesystem::path& path, int error);
/** Writes all of `data` at `offset`; false on error. */
bool WriteAllAt(int fd, std::span<const uint8_t> data, uint64_t offset);
/** Reads up to out.size() bytes at `offset`; returns how many (fewer only at
 *  the end of the file), or -1 on error. */
ssize_t ReadAt(int fd, std::span<uint8_t> out, uint64_t offset);
/** Creates `path` (which must not exist), writes `bytes` and fsyncs it. */
Result<void, BlobStoreError> WriteNewFileSynced(const std::filesystem::path& path, std::span<const uint8_t> bytes);
/** Reads a whole small file, refusing one larger than `max_size` before
 *  reading it. */
Result<std::vector<uint8_t>> ReadSmallFile(const std::filesystem::path& path, size_t max_size);
/** The id a file in blobs/ is named after, if its name is exactly
 *  <display hex of an id><suffix> (lower-case, as the store writes it). */
std::optional<uint256> IdOfFileName(const std::string& name, std::string_view suffix);

}  // namespace blob_io
}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOB_STORE_IO_H
