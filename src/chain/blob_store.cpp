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

std::string_view BlobStoreFailureName(BlobStoreFailure failure)
{
    switch (failure) {
    case BlobStoreFailure::INVALID: return "invalid";
    case BlobStoreFailure::QUOTA: return "quota";
    case BlobStoreFailure::LIMIT: return "limit";
    case BlobStoreFailure::NOT_FOUND: return "not-found";
    case BlobStoreFailure::IN_USE: return "in-use";
    case BlobStoreFailure::CONFLICT: return "conflict";
    case BlobStoreFailure::CORRUPT: return "corrupt";
    case BlobStoreFailure::IO: return "io";
    }
    return "unknown";
}

BlobStore::BlobStore(BlobStoreOptions options) : m_options{std::move(options)} {}

BlobStore::~BlobStore()
{
    // Downloads in progress leave nothing behind (startup would remove their
    // temp files anyway). No other thread may use the store now.
    std::vector<std::filesystem::path> temps;
    {
        LockGuard lock{m_mutex};
        for (const auto& [id, download] : m_downloads) temps.push_back(download.temp_path);
        m_downloads.clear();
    }
    std::error_code ec;
    for (const auto& path : temps) std::filesystem::remove(path, ec);
}

std::filesystem::path BlobStore::DataPath(const uint256& id) const
{
    return m_options.dir / (id.GetHex() + std::string{DATA_SUFFIX});
}

std::filesystem::path BlobStore::MetaPath(const uint256& id) const
{
    return m_options.dir / (id.GetHex() + std::string{META_SUFFIX});
}

std::filesystem::path BlobStore::TempDir() const { return m_options.dir / TEMP_DIR_NAME; }

std::filesystem::path BlobStore::TempPath(uint64_t serial, std::string_view suffix) const
{
    return TempDir() / (std::to_string(serial) + "." + std::string{suffix});
}

Result<std::unique_ptr<BlobStore>, BlobStoreError> BlobStore::Open(BlobStoreOptions options)
{
    std::unique_ptr<BlobStore> store{new BlobStore{std::move(options)}};
    if (auto loaded = store->Load(); !loaded) return loaded.error();
    return store;
}

Result<void, BlobStoreError> BlobStore::Load()
{
    const auto& dir = m_options.dir;
    std::error_code ec;
    std::filesystem::create_directories(TempDir(), ec);
    if (ec) return Fail(BlobStoreFailure::IO, "cannot create " + TempDir().string() + ": " + ec.message());

    // Whatever is in tmp/ was being written when the node stopped: it was
    // never listed, and nothing refers to it.
    for (const auto& entry : std::filesystem::directory_iterator{TempDir(), ec}) {
        std::error_code remove_ec;
        std::filesystem::remove_all(entry.path(), remove_ec);
        if (remove_ec) return Fail(BlobStoreFailure::IO, "cannot remove " + entry.path().string() + ": " + remove_ec.message());
        ++m_report.temp_files_removed;
    }
    if (ec) return Fail(BlobStoreFailure::IO, "cannot read " + TempDir().string() + ": " + ec.message());

    std::set<uint256> metas;
    std::set<uint256> datas;
    for (const auto& entry : std::filesystem::directory_iterator{dir, ec}) {
        const std::string name{entry.path().filename().string()};
        if (name == TEMP_DIR_NAME) continue;
        if (const auto id = IdOfFileName(name, META_SUFFIX)) {
            metas.insert(*id);
        } else if (const auto id = IdOfFileName(name, DATA_SUFFIX)) {
            datas.insert(*id);
        } else {
            m_report.problems.push_back(name + ": not a blob store file, left alone");
        }
    }
    if (ec) return Fail(BlobStoreFailure::IO, "cannot read " + dir.string() + ": " + ec.message());

    bool removed_any{false};
    const auto remove_entry = [&](const uint256& id, const std::string& problem) {
        m_report.problems.push_back(problem);
        std::error_code remove_ec;
        std::filesystem::remove(MetaPath(id), remove_ec);
        std::filesystem::remove(DataPath(id), remove_ec);
        removed_any = true;
    };
    // Built without the lock (it is disk I/O), installed at the end.
    std::map<uint256, Entry> blobs;
    uint64_t used{0};
    for (const uint256& id : metas) {
        const std::string meta_name{MetaPath(id).filename().string()};
        auto bytes = ReadSmallFile(MetaPath(id), MAX_BLOB_META_SIZE);
        if (!bytes) {
            remove_entry(id, meta_name + ": " + bytes.error_message() + "; blob removed");
            continue;
        }
        auto meta = DecodeBlobMeta(*bytes, id);
        if (!meta) {
            remove_entry(id, meta_name + ": corrupt metadata (" + meta.error_message() + "); blob removed");
            continue;
        }
        struct stat st {};
        if (!datas.contains(id) || ::stat(DataPath(id).c_str(), &st) != 0 || !S_ISREG(st.st_mode)) {
            remove_entry(id, meta_name + ": its data file is missing; metadata removed");
            continue;
        }
        if (static_cast<uint64_t>(st.st_size) != meta->blob.size) {
            remove_entry(id, meta_name + ": data file has " + std::to_string(st.st_size) + " bytes, metadata says " +
                                 std::to_string(meta->blob.size) + "; blob removed");
            continue;
        }
        used += meta->blob.size;
        blobs.emplace(id, Entry{meta->blob.size,
                                std::make_shared<const std::vector<uint256>>(std::move(meta->blob.chunk_hashes)),
                                meta->refcount, meta->pinned});
    }
    for (const uint256& id : datas) {
        if (blobs.contains(id) || metas.contains(id)) continue;
        // A crash between the two renames of a commit: the blob was never listed.
        remove_entry(id, DataPath(id).filename().string() + ": no metadata (interrupted commit); removed");
    }
    if (removed_any) {
        if (auto synced = SyncDir(); !synced) return synced;
    }
    m_report.blobs = blobs.size();
    m_report.bytes = used;
    LockGuard lock{m_mutex};
    m_blobs = std::move(blobs);
    m_used = used;
    return {};
}

Result<void, BlobStoreError> BlobStore::SyncDir() const
{
    const int fd{::open(m_options.dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (fd < 0) return IoError("cannot open directory", m_options.dir, errno);
    const bool synced{::fsync(fd) == 0};
    const int error{errno};
    ::close(fd);
    if (!synced) return IoError("cannot sync directory", m_options.dir, error);
    return {};
}

Result<void, BlobStoreError> BlobStore::Reserve(uint64_t size)
{
    if (m_blobs.size() + m_pending >= m_options.max_blobs) {
        return Fail(BlobStoreFailure::LIMIT, "blob store holds its maximum of " + std::to_string(m_options.max_blobs) +
                                                 " blobs (downloads included)");
    }
    // m_used may exceed a quota lowered since the blobs were stored.
    if (m_used > m_options.quota || size > m_options.quota - m_used) {
        return Fail(BlobStoreFailure::QUOTA, "storing " + std::to_string(size) + " bytes would exceed the blob quota (" +
                                                 std::to_string(m_used) + " of " + std::to_string(m_options.quota) +
                                                 " bytes used, -blobquota)");
    }
    m_used += size;
    ++m_pending;
    return {};
}

void BlobStore::Unreserve(uint64_t size)
{
    m_used -= size;
    --m_pending;
}

BlobInfo BlobStore::InfoOf(const uint256& id, const Entry& entry) const
{
    const auto chunks = static_cast<uint32_t>(entry.chunk_hashes->size());
    return BlobInfo{id, entry.size, chunks, true, chunks, entry.refcount, entry.pinned};
}

BlobInfo BlobStore::InfoOf(const uint256& id, const Download& download) const
{
    return BlobInfo{id, download.size, download.chunks, false, download.received_count, 0, download.pin};
}

Result<BlobInfo, BlobStoreError> BlobStore::PinIfRequested(const BlobInfo& info, bool pin)
{
    if (!pin || info.pinned) return info;
    if (auto pinned = SetPinned(info.id, true); !pinned) return pinned.error();
    BlobInfo out{info};
    out.pinned = true;
    return out;
}

// --- whole blobs -------------------------------------------------------------

Result<BlobInfo, BlobStoreError> BlobStore::Put(std::span<const uint8_t> data, bool pin)
{
    auto described = DescribeBlob(data);
    if (!described) return Invalid(described.error());
    const uint256 id = described->id;
    std::optional<BlobInfo> stored;
    {
        LockGuard lock{m_mutex};
        if (const auto it = m_blobs.find(id); it != m_blobs.end()) {
            stored = InfoOf(id, it->second);
        } else if (auto reserved = Reserve(data.size()); !reserved) {
            return reserved.error();
        }
    }
    if (stored) return PinIfRequested(*stored, pin);
    const auto temp = TempPath(++m_serial, "put");
    if (auto written = WriteNewFileSynced(temp, data); !written) {
        LockGuard lock{m_mutex};
        Unreserve(data.size());
        return written.error();
    }
    return Commit(temp, BlobMeta{std::move(*described), 0, pin}, std::nullopt);
}

Result<BlobInfo, BlobStoreError> BlobStore::PutFile(const std::filesystem::path& path, bool pin)
{
    const int in_fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (in_fd < 0) return IoError("cannot open", path, errno);
    const File in{in_fd};
    struct stat st {};
    if (::fstat(in.get(), &st) != 0) return IoError("cannot stat", path, errno);
    if (!S_ISREG(st.st_mode)) return Fail(BlobStoreFailure::IO, path.string() + " is not a regular file");
    const auto size = static_cast<uint64_t>(st.st_size);
    // The size is bounded before a single byte is read.
    if (auto count = BlobChunkCount(size); !count) return Invalid(count.error());

    std::vector<uint8_t> buffer(static_cast<size_t>(std::min(size, BLOB_CHUNK_SIZE)));
    /** Reads piece `offset` of the file (size-checked), feeding the hasher. */
    const auto read_piece = [&](BlobHasher& hasher, uint64_t offset) -> Result<std::span<const uint8_t>, BlobStoreError> {
        const size_t want{static_cast<size_t>(std::min<uint64_t>(BLOB_CHUNK_SIZE, size - offset))};
        const ssize_t n{ReadAt(in.get(), std::span{buffer}.first(want), offset)};
        if (n < 0) return IoError("cannot read", path, errno);
        if (static_cast<size_t>(n) != want) return Fail(BlobStoreFailure::IO, path.string() + " shrank while it was read");
        const std::span<const uint8_t> piece{buffer.data(), want};
        if (auto hashed = hasher.Write(piece); !hashed) return Invalid(hashed.error());
        return piece;
    };
    const auto check_end = [&]() -> Result<void, BlobStoreError> {
        uint8_t extra{0};
        if (ReadAt(in.get(), std::span{&extra, 1}, size) != 0) {
            return Fail(BlobStoreFailure::IO, path.string() + " grew while it was read");
        }
        return {};
    };

    bool reserved{false};
    {
        LockGuard lock{m_mutex};
        auto reservation = Reserve(size);
        reserved = reservation.has_value();
        if (!reserved && reservation.error().failure != BlobStoreFailure::QUOTA) return reservation.error();
    }
    if (!reserved) {
        // No room for a copy: the blob may already be here (a repeated put).
        // Hash the file alone to find out; otherwise the quota error stands.
        BlobHasher hasher;
        for (uint64_t offset = 0; offset < size; offset += BLOB_CHUNK_SIZE) {
            if (auto piece = read_piece(hasher, offset); !piece) return piece.error();
        }
        auto described = hasher.Finalize();
        if (!described) return Invalid(described.error());
        if (const auto info = GetInfo(described->id); info && info->complete) return PinIfRequested(*info, pin);
        LockGuard lock{m_mutex};
        auto reservation = Reserve(size);
        if (!reservation) return reservation.error();
        // Room appeared meanwhile: copy below.
    }

    const auto temp = TempPath(++m_serial, "put");
    const auto fail = [&](BlobStoreError error) -> BlobStoreError {
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        LockGuard lock{m_mutex};
        Unreserve(size);
        return error;
    };
    const int out_fd{::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644)};
    if (out_fd < 0) return fail(IoError("cannot create", temp, errno));
    std::optional<BlobDescriptor> descriptor;
    {
        const File out{out_fd};
        BlobHasher hasher;
        for (uint64_t offset = 0; offset < size; offset += BLOB_CHUNK_SIZE) {
            auto piece = read_piece(hasher, offset);
            if (!piece) return fail(piece.error());
            if (!WriteAllAt(out.get(), *piece, offset)) return fail(IoError("cannot write", temp, errno));
        }
        if (auto ended = check_end(); !ended) return fail(ended.error());
        if (::fdatasync(out.get()) != 0) return fail(IoError("cannot sync", temp, errno));
        auto described = hasher.Finalize();
        if (!described) return fail(Invalid(described.error()));
        descriptor = std::move(*described);
    }
    return Commit(temp, BlobMeta{std::move(*descriptor), 0, pin}, std::nullopt);
}

Result<BlobInfo, BlobStoreError> BlobStore::Commit(const std::filesystem::path& data_temp, BlobMeta meta,
                                                   std::optional<uint64_t> download_serial)
{
    const uint256 id = meta.blob.id;
    const uint64_t size = meta.blob.size;
    const auto meta_temp = TempPath(++m_serial, "meta");
    /** Drops the download being committed, if any; returns whether a pin was
     *  requested for it after its metadata was prepared. */
    const auto forget_download = [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) {
        if (!download_serial) return false;
        const auto it = m_downloads.find(id);
        if (it == m_downloads.end() || it->second.serial != *download_serial) return false;
        const bool pin{it->second.pin};
        m_downloads.erase(it);
        return pin;
    };
    const auto remove_temps = [&] {
        std::error_code ec;
        std::filesystem::remove(data_temp, ec);
        std::filesystem::remove(meta_temp, ec);
    };
    /** Gives up: the temp files, then the download and the reservation go. */
    const auto abandon = [&](BlobStoreError error) -> BlobStoreError {
        remove_temps();
        LockGuard lock{m_mutex};
        forget_download();
        Unreserve(size);
        return error;
    };

    // The metadata is written and synced beside the data before any lock.
    if (auto written = WriteNewFileSynced(meta_temp, EncodeBlobMeta(meta)); !written) return abandon(written.error());

    std::optional<BlobInfo> stored;
    BlobInfo committed;
    bool pin_later{false};
    {
        LockGuard write_lock{m_write_mutex};
        {
            LockGuard lock{m_mutex};
            if (const auto it = m_blobs.find(id); it != m_blobs.end()) {
                // Stored meanwhile by another put or download: keep that one.
                stored = InfoOf(id, it->second);
                pin_later = forget_download();
                Unreserve(size);
            }
        }
        if (stored) {
            remove_temps();
        } else {
            // Data first, then the metadata: the commit point. A crash between
            // the two leaves a data file without metadata, which startup removes.
            std::error_code ec;
            std::filesystem::rename(data_temp, DataPath(id), ec);
            if (ec) return abandon(Fail(BlobStoreFailure::IO, "cannot rename " + data_temp.string() + ": " + ec.message()));
            std::filesystem::rename(meta_temp, MetaPath(id), ec);
            if (ec) {
                const std::string reason{ec.message()};
                std::filesystem::remove(DataPath(id), ec);
                return abandon(Fail(BlobStoreFailure::IO, "cannot rename " + meta_temp.string() + ": " + reason));
            }
            if (auto synced = SyncDir(); !synced) {
                DeleteFiles(id);
                return abandon(synced.error());
            }
            LockGuard lock{m_mutex};
            pin_later = forget_download() && !meta.pinned;
            // The reservation becomes the blob's bytes.
            --m_pending;
            const auto [it, inserted] = m_blobs.emplace(
                id, Entry{size, std::make_shared<const std::vector<uint256>>(std::move(meta.blob.chunk_hashes)), 0,
                          meta.pinned});
            committed = InfoOf(id, it->second);
        }
    }
    if (stored) return PinIfRequested(*stored, meta.pinned || pin_later);
    return PinIfRequested(committed, pin_later);
}

// --- serving and queries -----------------------------------------------------

Result<BlobChunk, BlobStoreError> BlobStore::GetChunk(const uint256& id, uint64_t index) const
{
    uint64_t size{0};
    std::shared_ptr<const std::vector<uint256>> hashes;
    {
        LockGuard lock{m_mutex};
        const auto it = m_blobs.find(id);
        if (it == m_blobs.end()) return Fail(BlobStoreFailure::NOT_FOUND, "blob " + id.GetHex() + " is not stored");
        size = it->second.size;
        hashes = it->second.chunk_hashes;
    }
    if (index >= hashes->size()) {
        return BlobStoreError{BlobStoreFailure::INVALID, BlobFailure::BAD_INDEX,
                              "chunk " + std::to_string(index) + " of a blob of " + std::to_string(hashes->size()) +
                                  " chunks"};
    }
    const auto path = DataPath(id);
    const int fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd < 0) {
        if (errno == ENOENT) return Fail(BlobStoreFailure::NOT_FOUND, "blob " + id.GetHex() + " was removed");
        return IoError("cannot open", path, errno);
    }
    const File in{fd};
    BlobChunk out;
    out.data.resize(static_cast<size_t>(BlobChunkLength(size, index)));
    const ssize_t n{ReadAt(in.get(), out.data, BlobChunkOffset(index))};
    if (n < 0) return IoError("cannot read", path, errno);
    if (static_cast<size_t>(n) != out.data.size() || BlobChunkHash(out.data) != (*hashes)[index]) {
        LogInfo("Warning: blob store: chunk {} of {} does not match its hash on disk; not served", index, path.string());
        return Fail(BlobStoreFailure::CORRUPT, "chunk " + std::to_string(index) + " of blob " + id.GetHex() +
                                                   " is damaged on disk");
    }
    out.proof = BlobChunkProof(*hashes, index).value();
    return out;
}

std::optional<BlobInfo> BlobStore::GetInfo(const uint256& id) const
{
    LockGuard lock{m_mutex};
    if (const auto it = m_blobs.find(id); it != m_blobs.end()) return InfoOf(id, it->second);
    if (const auto it = m_downloads.find(id); it != m_downloads.end()) return InfoOf(id, it->second);
    return std::nullopt;
}

std::vector<BlobInfo> BlobStore::List() const
{
    LockGuard lock{m_mutex};
    std::vector<BlobInfo> out;
    out.reserve(m_blobs.size() + m_downloads.size());
    for (const auto& [id, entry] : m_blobs) out.push_back(InfoOf(id, entry));
    for (const auto& [id, download] : m_downloads) out.push_back(InfoOf(id, download));
    return out;
}

bool BlobStore::Has(const uint256& id) const
{
    LockGuard lock{m_mutex};
    return m_blobs.contains(id);
}

uint64_t BlobStore::UsedBytes() const
{
    LockGuard lock{m_mutex};
    return m_used;
}

}  // namespace hpips
