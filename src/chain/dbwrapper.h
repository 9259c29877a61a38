// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_DBWRAPPER_H
#define HPIPS_CHAIN_DBWRAPPER_H

#include <util/result.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace leveldb {
class Cache;
class DB;
class FilterPolicy;
class Iterator;
class Snapshot;
class WriteBatch;
}  // namespace leveldb

/**
 * A thin owner of one LevelDB database, shared by the chainstate (coins) and
 * the block index: it opens the database with the project's options, checks
 * the format version record, and turns LevelDB's Status into Result.
 *
 * Every database written by this class holds the key "V" (one byte 'V') whose
 * value is the format version as u32 little-endian; Open() refuses a database
 * whose version differs, and a non-empty database without one.
 *
 * Thread safety: LevelDB itself is thread-safe, and so are Read/Write here;
 * callers above (CoinsViewDB, BlockIndexDB) are not, and say so.
 */
namespace hpips {

/** The key of the format version record in every database. */
constexpr std::string_view DB_VERSION_KEY{"V"};

/** How to open a database. */
struct DBOptions {
    /** Bytes of LevelDB's block cache (decompressed blocks read from disk). */
    size_t cache_bytes{8 << 20};
    /** Bytes LevelDB buffers in memory before writing a table file. */
    size_t write_buffer_bytes{4 << 20};
    /** Delete any existing database at the path first (-reindex). */
    bool wipe{false};
    /** Format version stored under DB_VERSION_KEY. */
    uint32_t format_version{1};
};

/** One open LevelDB database. Not copyable; closing happens in the destructor. */
class Database {
public:
    /** Opens (creating directories and the database if missing) the database
     *  in `dir`, checking its format version. */
    static Result<std::unique_ptr<Database>> Open(const std::filesystem::path& dir, const DBOptions& options);

    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    /** The value stored under `key`; nullopt when absent; an error when
     *  LevelDB reports one (I/O error, corruption). */
    Result<std::optional<std::string>> Read(std::string_view key, const leveldb::Snapshot* snapshot = nullptr) const;
    /** Applies the batch atomically; with `sync`, waits until the write (and
     *  every earlier one) is on stable storage. */
    Result<void> Write(leveldb::WriteBatch& batch, bool sync);
    /** A new iterator (caller owns it) over a consistent view; `snapshot` may be null. */
    std::unique_ptr<leveldb::Iterator> NewIterator(const leveldb::Snapshot* snapshot = nullptr) const;
    /** Takes a snapshot; release it with ReleaseSnapshot. */
    const leveldb::Snapshot* GetSnapshot() const;
    void ReleaseSnapshot(const leveldb::Snapshot* snapshot) const;
    /** LevelDB's estimate of the bytes on disk for keys in [begin, end). */
    uint64_t EstimateSize(std::string_view begin, std::string_view end) const;
    /** The directory the database lives in. */
    const std::filesystem::path& Path() const { return m_path; }

private:
    Database() = default;

    std::filesystem::path m_path;
    std::unique_ptr<leveldb::Cache> m_cache;
    std::unique_ptr<const leveldb::FilterPolicy> m_filter;
    std::unique_ptr<leveldb::DB> m_db;
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_DBWRAPPER_H
