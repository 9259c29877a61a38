// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/dbwrapper.h>

#include <util/logging.h>
#include <util/serialize.h>

#include <leveldb/cache.h>
#include <leveldb/db.h>
#include <leveldb/filter_policy.h>
#include <leveldb/iterator.h>
#include <leveldb/options.h>
#include <leveldb/write_batch.h>

#include <system_error>

namespace hpips {
namespace {

/** Bits per key of the Bloom filter: about 1% false positives, so a lookup of
 *  an absent coin (the common case when a block creates outputs) rarely reads disk. */
constexpr int BLOOM_BITS_PER_KEY = 10;
/** Table files LevelDB may keep open; well below common descriptor limits,
 *  leaving room for peers and block files. */
constexpr int MAX_OPEN_FILES = 64;

leveldb::Slice ToSlice(std::string_view s) { return leveldb::Slice{s.data(), s.size()}; }

Error StatusError(std::string_view what, const leveldb::Status& status)
{
    return Error{fmt::format("{}: {}", what, status.ToString())};
}

std::string EncodeVersion(uint32_t version)
{
    Writer w;
    w.WriteU32(version);
    return std::string{w.data().begin(), w.data().end()};
}

}  // namespace

Result<std::unique_ptr<Database>> Database::Open(const std::filesystem::path& dir, const DBOptions& options)
{
    std::unique_ptr<Database> db{new Database{}};
    db->m_path = dir;
    db->m_cache.reset(leveldb::NewLRUCache(options.cache_bytes));
    db->m_filter.reset(leveldb::NewBloomFilterPolicy(BLOOM_BITS_PER_KEY));

    leveldb::Options ldb_options;
    ldb_options.create_if_missing = true;
    ldb_options.block_cache = db->m_cache.get();
    ldb_options.filter_policy = db->m_filter.get();
    ldb_options.write_buffer_size = options.write_buffer_bytes;
    ldb_options.max_open_files = MAX_OPEN_FILES;

    if (options.wipe) {
        LogInfo("Wiping LevelDB in {}", dir.string());
        const leveldb::Status status{leveldb::DestroyDB(dir.string(), ldb_options)};
        if (!status.ok()) return StatusError("cannot wipe database " + dir.string(), status);
    }
    std::error_code ec;
    std::filesystem::create_directories(dir, ec);
    if (ec) return Error{fmt::format("cannot create directory {}: {}", dir.string(), ec.message())};

    leveldb::DB* raw{nullptr};
    const leveldb::Status status{leveldb::DB::Open(ldb_options, dir.string(), &raw)};
    if (!status.ok()) return StatusError("cannot open database " + dir.string(), status);
    db->m_db.reset(raw);

    auto version = db->Read(DB_VERSION_KEY);
    if (!version) return version.error();
    const std::string expected{EncodeVersion(options.format_version)};
    if (!version->has_value()) {
        auto it = db->NewIterator();
        it->SeekToFirst();
        if (it->Valid()) return Error{fmt::format("database {} has no format version record", dir.string())};
        if (!it->status().ok()) return StatusError("cannot read database " + dir.string(), it->status());
        it.reset();
        leveldb::WriteBatch batch;
        batch.Put(ToSlice(DB_VERSION_KEY), expected);
        if (auto written = db->Write(batch, /*sync=*/true); !written) return written.error();
    } else if (**version != expected) {
        return Error{fmt::format("database {} has an unsupported format version", dir.string())};
    }
    return db;
}

Database::~Database()
{
    // The database must close before the cache and filter it points to.
    m_db.reset();
}

Result<std::optional<std::string>> Database::Read(std::string_view key, const leveldb::Snapshot* snapshot) const
{
    leveldb::ReadOptions read_options;
    read_options.verify_checksums = true;
    read_options.snapshot = snapshot;
    std::string value;
    const leveldb::Status status{m_db->Get(read_options, ToSlice(key), &value)};
    if (status.IsNotFound()) return std::optional<std::string>{};
    if (!status.ok()) return StatusError("database read failed in " + m_path.string(), status);
    return std::optional<std::string>{std::move(value)};
}

Result<void> Database::Write(leveldb::WriteBatch& batch, bool sync)
{
    leveldb::WriteOptions write_options;
    write_options.sync = sync;
    const leveldb::Status status{m_db->Write(write_options, &batch)};
    if (!status.ok()) return StatusError("database write failed in " + m_path.string(), status);
    return {};
}

std::unique_ptr<leveldb::Iterator> Database::NewIterator(const leveldb::Snapshot* snapshot) const
{
    leveldb::ReadOptions read_options;
    read_options.verify_checksums = true;
    read_options.fill_cache = false;  // a full scan would evict the working set
    read_options.snapshot = snapshot;
    return std::unique_ptr<leveldb::Iterator>{m_db->NewIterator(read_options)};
}

const leveldb::Snapshot* Database::GetSnapshot() const { return m_db->GetSnapshot(); }

void Database::ReleaseSnapshot(const leveldb::Snapshot* snapshot) const { m_db->ReleaseSnapshot(snapshot); }

uint64_t Database::EstimateSize(std::string_view begin, std::string_view end) const
{
    const leveldb::Range range{ToSlice(begin), ToSlice(end)};
    uint64_t size{0};
    m_db->GetApproximateSizes(&range, 1, &size);
    return size;
}

}  // namespace hpips
