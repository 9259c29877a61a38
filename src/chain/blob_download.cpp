// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/blob_store.h>

#include <chain/blob_store_io.h>

#include <util/logging.h>

#include <algorithm>
#include <cerrno>
#include <limits>
#include <set>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hpips {

using namespace blob_io;

// --- chunk-by-chunk ingest (blob_store_io.h lists the split) ----------------

Result<BlobInfo, BlobStoreError> BlobStore::BeginDownload(const uint256& id, uint64_t size, bool pin)
{
    const auto count = BlobChunkCount(size);
    if (!count) return Invalid(count.error());
    /** The answer when the blob or its download already exists (a complete
     *  blob still to be pinned as asked); nullopt otherwise. */
    const auto existing = [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> std::optional<Result<BlobInfo, BlobStoreError>> {
        if (const auto it = m_blobs.find(id); it != m_blobs.end()) {
            if (it->second.size != size) {
                return Fail(BlobStoreFailure::CONFLICT, "blob " + id.GetHex() + " is stored with " +
                                                            std::to_string(it->second.size) + " bytes, not " +
                                                            std::to_string(size));
            }
            return InfoOf(id, it->second);
        }
        if (const auto it = m_downloads.find(id); it != m_downloads.end()) {
            if (it->second.size != size) {
                return Fail(BlobStoreFailure::CONFLICT, "blob " + id.GetHex() + " is being downloaded with " +
                                                            std::to_string(it->second.size) + " bytes, not " +
                                                            std::to_string(size));
            }
            it->second.pin = it->second.pin || pin;
            return InfoOf(id, it->second);
        }
        return std::nullopt;
    };
    const auto answer = [&](Result<BlobInfo, BlobStoreError> found) -> Result<BlobInfo, BlobStoreError> {
        if (!found || !found->complete) return found;
        return PinIfRequested(*found, pin);
    };
    std::optional<Result<BlobInfo, BlobStoreError>> found;
    {
        LockGuard lock{m_mutex};
        found = existing();
    }
    // Pinning takes the locks itself: answers are given outside the lock.
    if (found) return answer(std::move(*found));

    // The temp file is created outside the lock; the checks are repeated
    // once it is held again (another thread may have started the same download).
    const uint64_t serial{++m_serial};
    const auto temp = TempPath(serial, "part");
    const int fd{::open(temp.c_str(), O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (fd < 0) return IoError("cannot create", temp, errno);
    auto file = std::make_shared<File>(fd);

    std::optional<Result<BlobInfo, BlobStoreError>> outcome;
    {
        LockGuard lock{m_mutex};
        if (auto found = existing()) {
            outcome = std::move(*found);
        } else if (m_downloads.size() >= m_options.max_downloads) {
            outcome = Fail(BlobStoreFailure::LIMIT, "already " + std::to_string(m_downloads.size()) +
                                                        " blob downloads in progress (the most at once)");
        } else if (auto reserved = Reserve(size); !reserved) {
            outcome = reserved.error();
        } else {
            Download download;
            download.serial = serial;
            download.size = size;
            download.chunks = *count;
            download.pin = pin;
            download.chunk_hashes.resize(*count);
            download.file = std::move(file);
            download.temp_path = temp;
            const auto [it, inserted] = m_downloads.emplace(id, std::move(download));
            return InfoOf(id, it->second);
        }
    }
    file.reset();
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return answer(std::move(*outcome));
}

Result<BlobChunkReceipt, BlobStoreError> BlobStore::AcceptChunk(const uint256& id, uint64_t index,
                                                                std::span<const uint8_t> chunk, const MerkleProof& proof)
{
    uint64_t size{0};
    uint64_t serial{0};
    std::shared_ptr<File> file;
    {
        LockGuard lock{m_mutex};
        if (const auto it = m_downloads.find(id); it != m_downloads.end()) {
            size = it->second.size;
            serial = it->second.serial;
            file = it->second.file;
        } else if (const auto blob = m_blobs.find(id); blob != m_blobs.end()) {
            size = blob->second.size;
        } else {
            return Fail(BlobStoreFailure::NOT_FOUND, "no download of blob " + id.GetHex());
        }
    }

    // The check runs without the lock: it is the expensive part (one hash of
    // up to 1 MiB) and needs nothing but its arguments.
    const uint64_t expected_length{BlobChunkLength(size, index)};
    const bool hashable{expected_length != 0 && chunk.size() == expected_length};
    const uint256 hash{hashable ? BlobChunkHash(chunk) : uint256{}};
    if (auto verified = VerifyChunkHash(id, size, index, chunk.size(), hash, proof); !verified) {
        return Invalid(verified.error());
    }

    {
        LockGuard lock{m_mutex};
        const auto it = m_downloads.find(id);
        if (!file || it == m_downloads.end() || it->second.serial != serial) {
            // A complete blob (now or all along): nothing to write.
            if (const auto blob = m_blobs.find(id); blob != m_blobs.end()) {
                return BlobChunkReceipt{InfoOf(id, blob->second), false};
            }
            return Fail(BlobStoreFailure::NOT_FOUND, "the download of blob " + id.GetHex() + " was aborted");
        }
        Download& download = it->second;
        if (download.received.test(index) || download.writing.test(index)) {
            return BlobChunkReceipt{InfoOf(id, download), false};
        }
        download.writing.set(index);
    }

    const bool written{WriteAllAt(file->get(), chunk, BlobChunkOffset(index))};
    const int error{errno};

    bool finisher{false};
    BlobInfo info;
    {
        LockGuard lock{m_mutex};
        const auto it = m_downloads.find(id);
        if (it == m_downloads.end() || it->second.serial != serial) {
            return Fail(BlobStoreFailure::NOT_FOUND, "the download of blob " + id.GetHex() + " was aborted");
        }
        Download& download = it->second;
        download.writing.reset(index);
        if (!written) return IoError("cannot write", download.temp_path, error);
        download.received.set(index);
        download.chunk_hashes[index] = hash;
        ++download.received_count;
        if (download.received_count == download.chunks) {
            download.committing = true;
            finisher = true;
        }
        info = InfoOf(id, download);
    }
    if (!finisher) return BlobChunkReceipt{info, true};
    auto finished = FinishDownload(id, serial);
    if (!finished) return finished.error();
    return BlobChunkReceipt{*finished, true};
}

Result<BlobInfo, BlobStoreError> BlobStore::FinishDownload(const uint256& id, uint64_t serial)
{
    std::shared_ptr<File> file;
    std::filesystem::path temp;
    BlobMeta meta;
    {
        LockGuard lock{m_mutex};
        // A committing download cannot be aborted, so it is still here.
        const Download& download = m_downloads.at(id);
        file = download.file;
        temp = download.temp_path;
        meta = BlobMeta{BlobDescriptor{id, download.size, download.chunk_hashes}, 0, download.pin};
    }
    const auto give_up = [&](BlobStoreError error) -> BlobStoreError {
        file.reset();
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        LockGuard lock{m_mutex};
        const auto it = m_downloads.find(id);
        if (it != m_downloads.end() && it->second.serial == serial) {
            Unreserve(it->second.size);
            m_downloads.erase(it);
        }
        return error;
    };
    if (::fdatasync(file->get()) != 0) return give_up(IoError("cannot sync", temp, errno));
    struct stat st {};
    if (::fstat(file->get(), &st) != 0) return give_up(IoError("cannot stat", temp, errno));
    if (static_cast<uint64_t>(st.st_size) != meta.blob.size) {
        return give_up(Fail(BlobStoreFailure::CORRUPT, temp.string() + " has " + std::to_string(st.st_size) +
                                                           " bytes after every chunk was written, expected " +
                                                           std::to_string(meta.blob.size)));
    }
    file.reset();
    return Commit(temp, std::move(meta), serial);
}

bool BlobStore::AbortDownload(const uint256& id)
{
    std::filesystem::path temp;
    {
        LockGuard lock{m_mutex};
        const auto it = m_downloads.find(id);
        if (it == m_downloads.end() || it->second.committing) return false;
        temp = it->second.temp_path;
        Unreserve(it->second.size);
        m_downloads.erase(it);
    }
    std::error_code ec;
    std::filesystem::remove(temp, ec);
    return true;
}

std::vector<uint32_t> BlobStore::MissingChunks(const uint256& id) const
{
    LockGuard lock{m_mutex};
    std::vector<uint32_t> out;
    const auto it = m_downloads.find(id);
    if (it == m_downloads.end()) return out;
    for (uint32_t i = 0; i < it->second.chunks; ++i) {
        if (!it->second.received.test(i)) out.push_back(i);
    }
    return out;
}

}  // namespace hpips
