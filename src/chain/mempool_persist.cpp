// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/mempool_persist.h>

#include <crypto/sha256.h>
#include <util/logging.h>
#include <util/serialize.h>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <limits>

namespace hpips {
namespace {

std::string ErrnoText(int error) { return std::strerror(error); }

/** Temporary files are "<file>.new<pid>.<n>". */
constexpr std::string_view TEMP_SUFFIX{".new"};

/** Removes temporary files a dump cut short by a crash left behind. */
void RemoveStaleTemporaries(const std::filesystem::path& path)
{
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
    const std::string prefix = path.filename().string() + std::string{TEMP_SUFFIX};
    std::error_code ec;
    for (std::filesystem::directory_iterator it{dir, ec}, end; !ec && it != end; it.increment(ec)) {
        if (it->path().filename().string().starts_with(prefix)) {
            std::error_code ignored;
            std::filesystem::remove(it->path(), ignored);
        }
    }
}

/** Owns a file descriptor. */
class Fd {
public:
    explicit Fd(int fd) : m_fd{fd} {}
    ~Fd()
    {
        if (m_fd >= 0) ::close(m_fd);
    }
    Fd(const Fd&) = delete;
    Fd& operator=(const Fd&) = delete;
    int get() const { return m_fd; }

private:
    int m_fd;
};

bool WriteAll(int fd, std::span<const uint8_t> bytes)
{
    size_t done{0};
    while (done < bytes.size()) {
        const ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n <= 0) return false;
        done += static_cast<size_t>(n);
    }
    return true;
}

/** Reads the whole file, refusing (before reading) one larger than `limit`,
 *  and reading at most `limit` bytes even if it grows meanwhile. */
Result<std::vector<uint8_t>> ReadBounded(const std::filesystem::path& path, size_t limit)
{
    const Fd fd{::open(path.c_str(), O_RDONLY | O_CLOEXEC)};
    if (fd.get() < 0) return Error{"cannot open " + path.string() + ": " + ErrnoText(errno)};
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Error{"cannot stat " + path.string() + ": " + ErrnoText(errno)};
    if (st.st_size < 0 || static_cast<uint64_t>(st.st_size) > limit) {
        return Error{path.string() + " is " + std::to_string(st.st_size) + " bytes, more than the " +
                     std::to_string(limit) + " a pool of this -maxmempool can have written"};
    }
    std::vector<uint8_t> bytes(static_cast<size_t>(st.st_size));
    size_t done{0};
    while (done < bytes.size()) {
        const ssize_t n = ::read(fd.get(), bytes.data() + done, bytes.size() - done);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return Error{"cannot read " + path.string() + ": " + ErrnoText(errno)};
        if (n == 0) break;
        done += static_cast<size_t>(n);
    }
    bytes.resize(done);
    return bytes;
}

}  // namespace

size_t MaxMempoolFileSize(size_t pool_max_bytes)
{
    const size_t entries = pool_max_bytes / MIN_PERSISTED_TX_SIZE + 1;
    const size_t limit = MEMPOOL_FILE_HEADER_SIZE + MEMPOOL_FILE_CHECKSUM_SIZE + pool_max_bytes +
                         entries * MEMPOOL_FILE_ENTRY_OVERHEAD;
    // A pool may hold one transaction over its limit for a moment (it is
    // trimmed after insertion): leave room for the largest.
    return limit + MAX_TX_SIZE;
}

std::vector<uint8_t> EncodeMempoolFile(std::span<const PersistedTx> txs)
{
    Writer w;
    w.WriteBytes(MEMPOOL_FILE_MAGIC);
    w.WriteU32(MEMPOOL_FILE_VERSION);
    w.WriteU64(txs.size());
    for (const auto& entry : txs) {
        w.WriteI64(entry.time);
        w.WriteI64(entry.fee_delta);
        const std::vector<uint8_t> wire = EncodeTransaction(entry.tx);
        w.WriteU32(static_cast<uint32_t>(wire.size()));
        w.WriteBytes(wire);
    }
    std::vector<uint8_t> bytes = w.Take();
    const uint256 checksum = Sha256d(bytes);
    bytes.insert(bytes.end(), checksum.span().begin(), checksum.span().end());
    return bytes;
}

Result<std::vector<PersistedTx>> DecodeMempoolFile(std::span<const uint8_t> bytes)
{
    if (bytes.size() < MEMPOOL_FILE_HEADER_SIZE + MEMPOOL_FILE_CHECKSUM_SIZE) return Error{"file too short"};
    if (!std::equal(MEMPOOL_FILE_MAGIC.begin(), MEMPOOL_FILE_MAGIC.end(), bytes.begin())) {
        return Error{"not a mempool file (bad magic)"};
    }
    const auto body = bytes.first(bytes.size() - MEMPOOL_FILE_CHECKSUM_SIZE);
    const auto stored = bytes.last(MEMPOOL_FILE_CHECKSUM_SIZE);
    // The version is checked before the checksum so that a newer file is
    // reported as such rather than as corrupt.
    auto decoded = Decode(body, [](Reader& r) -> std::vector<PersistedTx> {
        r.ReadBytes(MEMPOOL_FILE_MAGIC.size());
        const uint32_t version = r.ReadU32();
        if (version != MEMPOOL_FILE_VERSION && version != MEMPOOL_FILE_VERSION_NO_DELTA) {
            throw SerializeError{"unsupported version " + std::to_string(version) + " (this node reads versions " +
                                 std::to_string(MEMPOOL_FILE_VERSION_NO_DELTA) + " and " +
                                 std::to_string(MEMPOOL_FILE_VERSION) + ")"};
        }
        const bool has_delta = version == MEMPOOL_FILE_VERSION;
        const size_t overhead = has_delta ? MEMPOOL_FILE_ENTRY_OVERHEAD : MEMPOOL_FILE_ENTRY_OVERHEAD_V1;
        const uint64_t count = r.ReadU64();
        // Every entry takes at least its overhead and the smallest
        // transaction: a count the bytes cannot hold is refused before
        // anything is allocated.
        if (count > r.Remaining() / (overhead + MIN_PERSISTED_TX_SIZE)) {
            throw SerializeError{"transaction count " + std::to_string(count) + " larger than the file can hold"};
        }
        std::vector<PersistedTx> out;
        out.reserve(static_cast<size_t>(count));
        for (uint64_t i = 0; i < count; ++i) {
            const int64_t time = r.ReadI64();
            const Amount fee_delta = has_delta ? r.ReadI64() : 0;
            if (fee_delta < -MAX_FEE_DELTA || fee_delta > MAX_FEE_DELTA) {
                throw SerializeError{"transaction " + std::to_string(i) + " has fee delta " +
                                     std::to_string(fee_delta) + ", beyond MAX_FEE_DELTA"};
            }
            const uint32_t length = r.ReadU32();
            if (length > MAX_TX_SIZE) {
                throw SerializeError{"transaction " + std::to_string(i) + " claims " + std::to_string(length) +
                                     " bytes, more than MAX_TX_SIZE"};
            }
            auto tx = DecodeTransaction(r.ReadBytes(length));
            if (!tx) throw SerializeError{"transaction " + std::to_string(i) + ": " + tx.error_message()};
            out.push_back(PersistedTx{std::move(*tx), time, fee_delta});
        }
        return out;
    });
    if (!decoded) return Error{decoded.error_message()};
    const uint256 checksum = Sha256d(body);
    if (!std::equal(stored.begin(), stored.end(), checksum.span().begin())) return Error{"checksum mismatch"};
    return decoded;
}

Result<size_t> DumpMempool(const Mempool& pool, const std::filesystem::path& path)
{
    // Parents before children, so that loading never needs the orphan pool.
    Amount unused_fee{0};
    const std::vector<MempoolEntry> entries = pool.SelectForBlock(std::numeric_limits<size_t>::max(), unused_fee);
    std::vector<PersistedTx> txs;
    txs.reserve(entries.size());
    for (const auto& entry : entries) txs.push_back(PersistedTx{entry.tx, entry.time, entry.fee_delta});
    const std::vector<uint8_t> bytes = EncodeMempoolFile(txs);

    // A name of its own per dump: concurrent dumps (savemempool twice) never
    // share a temporary file, and no lock is held across the write.
    static std::atomic<uint64_t> s_dumps{0};
    auto temp = path;
    temp += std::string{TEMP_SUFFIX} + std::to_string(::getpid()) + "." + std::to_string(s_dumps++);
    {
        const Fd fd{::open(temp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600)};
        if (fd.get() < 0) return Error{"cannot create " + temp.string() + ": " + ErrnoText(errno)};
        if (!WriteAll(fd.get(), bytes) || ::fsync(fd.get()) != 0) {
            const int error{errno};
            std::error_code ec;
            std::filesystem::remove(temp, ec);
            return Error{"cannot write " + temp.string() + ": " + ErrnoText(error)};
        }
    }
    if (::rename(temp.c_str(), path.c_str()) != 0) {
        const int error{errno};
        std::error_code ec;
        std::filesystem::remove(temp, ec);
        return Error{"cannot rename " + temp.string() + ": " + ErrnoText(error)};
    }
    const auto dir = path.has_parent_path() ? path.parent_path() : std::filesystem::path{"."};
    const Fd dir_fd{::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
    if (dir_fd.get() < 0 || ::fsync(dir_fd.get()) != 0) {
        return Error{"cannot sync directory " + dir.string() + ": " + ErrnoText(errno)};
    }
    return txs.size();
}

Result<MempoolLoadStats> LoadMempool(Mempool& pool, const std::filesystem::path& path, size_t max_file_bytes)
{
    MempoolLoadStats stats;
    RemoveStaleTemporaries(path);
    std::error_code ec;
    if (!std::filesystem::exists(path, ec)) return stats;
    auto bytes = ReadBounded(path, max_file_bytes);
    if (!bytes) return bytes.error();
    auto txs = DecodeMempoolFile(*bytes);
    if (!txs) return Error{path.string() + ": " + txs.error_message()};
    stats.read = txs->size();
    for (const auto& entry : *txs) {
        // Before the transaction is offered, so the relay floor sees the
        // modified fee as it did when it first entered (Core does the same).
        if (entry.fee_delta != 0 && pool.FeeDelta(entry.tx.GetTxid()) == 0) {
            pool.PrioritiseTransaction(entry.tx.GetTxid(), entry.fee_delta);
        }
        const auto result = pool.AcceptToMemoryPool(entry.tx, /*test_only=*/false, /*max_fee=*/std::nullopt,
                                                     MEMPOOL_FILE_ORPHAN_OWNER);
        if (result.Accepted()) {
            ++stats.accepted;
        } else {
            ++stats.failed;
            LogInfo("mempool.dat: dropped {}: {}", entry.tx.GetTxid().GetHex(),
                    result.orphan ? std::string{"missing inputs"} : result.state.ToString());
        }
    }
    // The file lists parents first: a transaction still missing inputs after
    // the whole file spends coins the chain has spent since. Its orphan
    // entry would only wait for a parent that cannot come.
    pool.EraseOrphansFrom(MEMPOOL_FILE_ORPHAN_OWNER);
    return stats;
}

}  // namespace hpips
