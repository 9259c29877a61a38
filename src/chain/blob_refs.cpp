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

// --- references, pins, removal, pruning (blob_store_io.h lists the split) ----

Result<void, BlobStoreError> BlobStore::WriteMeta(const BlobMeta& meta)
{
    const auto temp = TempPath(++m_serial, "meta");
    if (auto written = WriteNewFileSynced(temp, EncodeBlobMeta(meta)); !written) return written;
    std::error_code ec;
    std::filesystem::rename(temp, MetaPath(meta.blob.id), ec);
    if (ec) {
        const std::string reason{ec.message()};
        std::filesystem::remove(temp, ec);
        return Fail(BlobStoreFailure::IO, "cannot rename " + temp.string() + ": " + reason);
    }
    return SyncDir();
}

template <typename F>
Result<BlobInfo, BlobStoreError> BlobStore::UpdateEntry(const uint256& id, F&& change)
{
    LockGuard write_lock{m_write_mutex};
    BlobMeta meta;
    {
        LockGuard lock{m_mutex};
        const auto it = m_blobs.find(id);
        if (it == m_blobs.end()) return Fail(BlobStoreFailure::NOT_FOUND, "blob " + id.GetHex() + " is not stored");
        const Entry& entry = it->second;
        meta = BlobMeta{BlobDescriptor{id, entry.size, *entry.chunk_hashes}, entry.refcount, entry.pinned};
    }
    if (auto changed = change(meta); !changed) return changed.error();
    // Disk first: memory never claims a reference a crash could lose.
    if (auto written = WriteMeta(meta); !written) return written.error();
    LockGuard lock{m_mutex};
    // Removal needs m_write_mutex, which is held: the entry is still here.
    Entry& entry = m_blobs.at(id);
    entry.refcount = meta.refcount;
    entry.pinned = meta.pinned;
    return InfoOf(id, entry);
}

Result<uint32_t, BlobStoreError> BlobStore::AddRef(const uint256& id)
{
    auto info = UpdateEntry(id, [&](BlobMeta& meta) -> Result<void, BlobStoreError> {
        if (meta.refcount == std::numeric_limits<uint32_t>::max()) {
            return Fail(BlobStoreFailure::IN_USE, "blob " + id.GetHex() + " has the most references it can count");
        }
        ++meta.refcount;
        return {};
    });
    if (!info) return info.error();
    return info->refcount;
}

Result<uint32_t, BlobStoreError> BlobStore::Release(const uint256& id)
{
    auto info = UpdateEntry(id, [&](BlobMeta& meta) -> Result<void, BlobStoreError> {
        if (meta.refcount == 0) {
            return Fail(BlobStoreFailure::NOT_FOUND, "blob " + id.GetHex() + " has no reference to release");
        }
        --meta.refcount;
        return {};
    });
    if (!info) return info.error();
    return info->refcount;
}

Result<void, BlobStoreError> BlobStore::SetPinned(const uint256& id, bool pinned)
{
    auto info = UpdateEntry(id, [&](BlobMeta& meta) -> Result<void, BlobStoreError> {
        meta.pinned = pinned;
        return {};
    });
    if (!info) return info.error();
    return {};
}

void BlobStore::DeleteFiles(const uint256& id)
{
    std::error_code ec;
    // Metadata first: once it is gone the blob is gone, even if a crash
    // leaves the data file (startup removes it).
    std::filesystem::remove(MetaPath(id), ec);
    if (ec) LogInfo("Warning: blob store: cannot remove {}: {}", MetaPath(id).string(), ec.message());
    std::filesystem::remove(DataPath(id), ec);
    if (ec) LogInfo("Warning: blob store: cannot remove {}: {}", DataPath(id).string(), ec.message());
}

Result<void, BlobStoreError> BlobStore::Remove(const uint256& id)
{
    LockGuard write_lock{m_write_mutex};
    {
        LockGuard lock{m_mutex};
        const auto it = m_blobs.find(id);
        if (it == m_blobs.end()) return Fail(BlobStoreFailure::NOT_FOUND, "blob " + id.GetHex() + " is not stored");
        if (it->second.refcount > 0) {
            return Fail(BlobStoreFailure::IN_USE, "blob " + id.GetHex() + " has " +
                                                      std::to_string(it->second.refcount) +
                                                      " references from live jobs");
        }
        m_used -= it->second.size;
        m_blobs.erase(it);
    }
    DeleteFiles(id);
    return SyncDir();
}

Result<uint64_t, BlobStoreError> BlobStore::PruneUnreferenced()
{
    LockGuard write_lock{m_write_mutex};
    std::vector<uint256> removed;
    uint64_t freed{0};
    {
        LockGuard lock{m_mutex};
        for (auto it = m_blobs.begin(); it != m_blobs.end();) {
            if (it->second.refcount == 0 && !it->second.pinned) {
                removed.push_back(it->first);
                freed += it->second.size;
                m_used -= it->second.size;
                it = m_blobs.erase(it);
            } else {
                ++it;
            }
        }
    }
    for (const uint256& id : removed) DeleteFiles(id);
    if (!removed.empty()) {
        if (auto synced = SyncDir(); !synced) return synced.error();
    }
    return freed;
}

}  // namespace hpips
