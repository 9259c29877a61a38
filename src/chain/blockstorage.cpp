// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/blockstorage.h>

#include <crypto/sha256.h>
#include <util/logging.h>
#include <util/serialize.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>
#include <system_error>
#include <utility>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace hpips {
namespace {

/** Closes a descriptor on scope exit. */
class UniqueFd {
public:
    explicit UniqueFd(int fd) : m_fd{fd} {}
    ~UniqueFd()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    UniqueFd(const UniqueFd&) = delete;
    UniqueFd& operator=(const UniqueFd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

std::string ErrnoText() { return std::strerror(errno); }

/** Reads exactly `out.size()` bytes at `offset`; false on error or end of file. */
bool PreadAll(int fd, std::span<uint8_t> out, uint64_t offset)
{
    size_t done{0};
    while (done < out.size()) {
        const ssize_t n{::pread(fd, out.data() + done, out.size() - done, static_cast<off_t>(offset + done))};
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

bool WriteAll(int fd, std::span<const uint8_t> data)
{
    size_t done{0};
    while (done < data.size()) {
        const ssize_t n{::write(fd, data.data() + done, data.size() - done)};
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

/** magic | size | payload | checksum. */
std::vector<uint8_t> Frame(const MessageStart& magic, std::span<const uint8_t> payload, const uint256& checksum)
{
    Writer w{RECORD_HEADER_SIZE + payload.size() + RECORD_CHECKSUM_SIZE};
    w.WriteBytes(magic);
    w.WriteU32(static_cast<uint32_t>(payload.size()));
    w.WriteBytes(payload);
    w.WriteUint256(checksum);
    return w.Take();
}

constexpr std::string_view BLOCK_PREFIX{"blk"};
constexpr std::string_view UNDO_PREFIX{"rev"};

}  // namespace

BlockStorage::BlockStorage(std::filesystem::path dir, const MessageStart& magic, BlockStorageOptions options)
    : m_dir{std::move(dir)}, m_magic{magic}, m_options{options}
{
    m_blocks.prefix = BLOCK_PREFIX;
    m_undo.prefix = UNDO_PREFIX;
}

BlockStorage::~BlockStorage()
{
    for (Series* series : {&m_blocks, &m_undo}) {
        if (series->fd >= 0) ::close(series->fd);
    }
}

std::filesystem::path BlockStorage::FilePath(const std::string& prefix, uint32_t n) const
{
    return m_dir / fmt::format("{}{:05}.dat", prefix, n);
}

std::filesystem::path BlockStorage::BlockFilePath(uint32_t n) const { return FilePath(m_blocks.prefix, n); }

std::filesystem::path BlockStorage::UndoFilePath(uint32_t n) const { return FilePath(m_undo.prefix, n); }

Result<std::unique_ptr<BlockStorage>> BlockStorage::Open(const std::filesystem::path& blocks_dir,
                                                         const MessageStart& magic, BlockStorageOptions options)
{
    std::error_code ec;
    std::filesystem::create_directories(blocks_dir, ec);
    if (ec) return Error{fmt::format("cannot create {}: {}", blocks_dir.string(), ec.message())};
    std::unique_ptr<BlockStorage> storage{new BlockStorage{blocks_dir, magic, options}};
    for (Series* series : {&storage->m_blocks, &storage->m_undo}) {
        // Files are numbered without gaps; continue with the last one.
        while (std::filesystem::exists(storage->FilePath(series->prefix, series->file + 1), ec)) ++series->file;
        if (auto opened = storage->OpenSeries(*series); !opened) return opened.error();
    }
    return storage;
}

Result<void> BlockStorage::OpenSeries(Series& series)
{
    const auto path = FilePath(series.prefix, series.file);
    const bool existed{std::filesystem::exists(path)};
    const int fd{::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644)};
    if (fd < 0) return Error{fmt::format("cannot open {}: {}", path.string(), ErrnoText())};
    struct stat st {};
    if (::fstat(fd, &st) != 0) {
        const std::string reason{ErrnoText()};
        ::close(fd);
        return Error{fmt::format("cannot stat {}: {}", path.string(), reason)};
    }
    series.fd = fd;
    series.size = static_cast<uint64_t>(st.st_size);
    if (!existed) m_dir_unsynced = true;
    return {};
}

Result<void> BlockStorage::SyncSeries(Series& series)
{
    if (!series.unsynced || series.fd < 0) return {};
    if (::fdatasync(series.fd) != 0) {
        return Error{fmt::format("cannot sync {}: {}", FilePath(series.prefix, series.file).string(), ErrnoText())};
    }
    series.unsynced = false;
    return {};
}

Result<FlatFilePos> BlockStorage::Append(Series& series, std::span<const uint8_t> record)
{
    // Roll over when the record would not fit; a file always takes at least
    // one record, so a small test maximum still makes progress. Offsets are
    // u32, which the maximum keeps them within.
    if (series.size > 0 && (series.size + record.size() > m_options.max_file_size ||
                            series.size + record.size() > std::numeric_limits<uint32_t>::max())) {
        // The finished file is synced before it is closed, so FlushFiles
        // only ever needs to sync the current one.
        if (auto synced = SyncSeries(series); !synced) return synced.error();
        ::close(series.fd);
        series.fd = -1;
        ++series.file;
        if (auto opened = OpenSeries(series); !opened) return opened.error();
        LogDebug(LogCategory::VALIDATION, "Started {}", FilePath(series.prefix, series.file).string());
    }
    const FlatFilePos pos{series.file, static_cast<uint32_t>(series.size)};
    if (!WriteAll(series.fd, record)) {
        const std::string reason{ErrnoText()};
        // Part of the record may have reached the file: later records go
        // after it, and nothing refers to the fragment.
        struct stat st {};
        if (::fstat(series.fd, &st) == 0) series.size = static_cast<uint64_t>(st.st_size);
        return Error{fmt::format("cannot write {}: {}", FilePath(series.prefix, series.file).string(), reason)};
    }
    series.size += record.size();
    series.unsynced = true;
    return pos;
}

Result<FlatFilePos> BlockStorage::WriteBlock(const Block& block)
{
    const std::vector<uint8_t> payload{EncodeBlock(block)};
    if (payload.size() > MAX_BLOCK_SIZE) return Error{"WriteBlock: block exceeds MAX_BLOCK_SIZE"};
    return Append(m_blocks, Frame(m_magic, payload, Sha256d(payload)));
}

Result<FlatFilePos> BlockStorage::WriteUndo(const BlockUndo& undo, const uint256& block_hash)
{
    const std::vector<uint8_t> payload{EncodeBlockUndo(undo)};
    if (payload.size() > MAX_BLOCK_UNDO_SIZE) return Error{"WriteUndo: undo data exceeds MAX_BLOCK_UNDO_SIZE"};
    return Append(m_undo, Frame(m_magic, payload, UndoChecksum(block_hash, payload)));
}

Result<void> BlockStorage::FlushFiles()
{
    if (auto synced = SyncSeries(m_blocks); !synced) return synced;
    if (auto synced = SyncSeries(m_undo); !synced) return synced;
    if (m_dir_unsynced) {
        const UniqueFd dir_fd{::open(m_dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
        if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) {
            return Error{fmt::format("cannot sync directory {}: {}", m_dir.string(), ErrnoText())};
        }
        m_dir_unsynced = false;
    }
    return {};
}

Result<std::pair<std::vector<uint8_t>, uint256>> BlockStorage::ReadRecord(const std::string& prefix,
                                                                          const FlatFilePos& pos,
                                                                          size_t max_payload) const
{
    if (pos.IsNull()) return Error{"null file position"};
    const auto path = FilePath(prefix, pos.file);
    const std::string where{fmt::format("{}:{}", path.filename().string(), pos.offset)};
    const UniqueFd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.get() < 0) return Error{fmt::format("cannot open {}: {}", path.string(), ErrnoText())};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Error{fmt::format("cannot stat {}: {}", path.string(), ErrnoText())};
    const uint64_t file_size{static_cast<uint64_t>(st.st_size)};

    std::array<uint8_t, RECORD_HEADER_SIZE> header;
    if (uint64_t{pos.offset} + RECORD_HEADER_SIZE > file_size || !PreadAll(fd.get(), header, pos.offset)) {
        return Error{fmt::format("record at {} is truncated (file has {} bytes)", where, file_size)};
    }
    if (!std::equal(m_magic.begin(), m_magic.end(), header.begin())) {
        return Error{fmt::format("record at {} has the wrong network magic", where)};
    }
    const uint32_t size{static_cast<uint32_t>(header[4]) | (static_cast<uint32_t>(header[5]) << 8) |
                        (static_cast<uint32_t>(header[6]) << 16) | (static_cast<uint32_t>(header[7]) << 24)};
    if (size > max_payload) {
        return Error{fmt::format("record at {} claims {} bytes, more than the limit {}", where, size, max_payload)};
    }
    if (uint64_t{pos.offset} + RECORD_HEADER_SIZE + size + RECORD_CHECKSUM_SIZE > file_size) {
        return Error{fmt::format("record at {} is truncated (file has {} bytes)", where, file_size)};
    }
    std::vector<uint8_t> payload(size);
    std::array<uint8_t, RECORD_CHECKSUM_SIZE> checksum;
    if (!PreadAll(fd.get(), payload, uint64_t{pos.offset} + RECORD_HEADER_SIZE) ||
        !PreadAll(fd.get(), checksum, uint64_t{pos.offset} + RECORD_HEADER_SIZE + size)) {
        return Error{fmt::format("cannot read record at {}: {}", where, ErrnoText())};
    }
    return std::pair{std::move(payload), uint256{checksum}};
}

Result<Block> BlockStorage::ReadBlock(const FlatFilePos& pos, const std::optional<uint256>& expected_hash) const
{
    auto record = ReadRecord(m_blocks.prefix, pos, MAX_BLOCK_SIZE);
    if (!record) return Error{"ReadBlock: " + record.error_message()};
    const auto& [payload, checksum] = *record;
    const std::string where{fmt::format("{}:{}", BlockFilePath(pos.file).filename().string(), pos.offset)};
    if (Sha256d(payload) != checksum) return Error{fmt::format("ReadBlock: checksum mismatch at {}", where)};
    auto block = DecodeBlock(payload);
    if (!block) return Error{fmt::format("ReadBlock: undecodable block at {}: {}", where, block.error_message())};
    if (expected_hash && block->GetHash() != *expected_hash) {
        return Error{fmt::format("ReadBlock: block at {} is {}, expected {}", where, block->GetHash().GetHex(),
                                 expected_hash->GetHex())};
    }
    return block;
}

Result<BlockUndo> BlockStorage::ReadUndo(const FlatFilePos& pos, const uint256& block_hash) const
{
    auto record = ReadRecord(m_undo.prefix, pos, MAX_BLOCK_UNDO_SIZE);
    if (!record) return Error{"ReadUndo: " + record.error_message()};
    const auto& [payload, checksum] = *record;
    const std::string where{fmt::format("{}:{}", UndoFilePath(pos.file).filename().string(), pos.offset)};
    if (UndoChecksum(block_hash, payload) != checksum) {
        return Error{fmt::format("ReadUndo: checksum mismatch at {} (corrupt, or not the undo data of block {})",
                                 where, block_hash.GetHex())};
    }
    auto undo = DecodeBlockUndo(payload);
    if (!undo) return Error{fmt::format("ReadUndo: undecodable undo data at {}: {}", where, undo.error_message())};
    return undo;
}

Result<size_t> BlockStorage::ForEachBlock(const std::function<bool(const FlatFilePos&, Block&&)>& visit) const
{
    size_t damaged = 0;
    for (uint32_t file = 0; std::filesystem::exists(BlockFilePath(file)); ++file) {
        const uint64_t file_size = std::filesystem::file_size(BlockFilePath(file));
        FlatFilePos pos{file, 0};
        while (pos.offset < file_size) {
            auto record = ReadRecord(m_blocks.prefix, pos, MAX_BLOCK_SIZE);
            auto block = record && Sha256d(record->first) == record->second
                             ? DecodeBlock(record->first)
                             : Result<Block>{Error{record ? "checksum mismatch" : record.error_message()}};
            if (!block) {
                ++damaged;
                break;
            }
            const uint64_t next = uint64_t{pos.offset} + RECORD_HEADER_SIZE + record->first.size() + RECORD_CHECKSUM_SIZE;
            if (!visit(pos, std::move(*block))) return damaged;
            if (next > UINT32_MAX) break;
            pos.offset = static_cast<uint32_t>(next);
        }
    }
    return damaged;
}

}  // namespace hpips
