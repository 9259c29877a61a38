// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOB_STORE_H
#define HPIPS_CHAIN_BLOB_STORE_H

#include <chain/blob_meta.h>
#include <primitives/blob.h>
#include <primitives/merkle.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <util/uint256.h>

#include <atomic>
#include <bitset>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <vector>

/**
 * The node's store of content-addressed job data, `<datadir>/blobs/`
 * (doc/blobs.md, "Store"):
 *
 *   <id>.blob   the blob's bytes, exactly its size
 *   <id>.meta   its metadata (chain/blob_meta.h): size, chunk hashes,
 *               refcount, pin
 *   tmp/        partial downloads and puts being written; emptied at startup
 *
 * (<id> is the id's display hex.) A blob is listed and served only once it is
 * complete: its data is written to tmp/, fdatasync'ed, renamed to <id>.blob,
 * then its metadata (written and fsync'ed in tmp/) is renamed to <id>.meta —
 * the commit point — and the directory is fsync'ed. A crash at any step
 * leaves either nothing or the whole blob; startup deletes tmp/, data files
 * without valid metadata, and metadata that is corrupt or does not match its
 * data file (each such problem is logged; the node starts).
 *
 * Data enters two ways: whole (Put, PutFile: the local user, RPC), or chunk
 * by chunk from peers (BeginDownload → AcceptChunk... → complete), where
 * every chunk is checked against the id with its proof before it touches the
 * disk. Chunks are served by GetChunk, which reads exactly one chunk (≤ 1 MiB)
 * and re-checks its hash before handing it out, so a blob damaged on disk is
 * never sent to a peer.
 *
 * Limits (doc/blobs.md, "Limits"): the quota counts the bytes of complete
 * blobs plus the full size of every download and put in progress (reserved
 * before the first byte is written, so the quota is never exceeded even for
 * a moment); at most `max_blobs` blobs and `max_downloads` downloads at once.
 *
 * References: the job ledger AddRefs the blobs live jobs need and Releases
 * them; the local user's puts are pinned. PruneUnreferenced removes blobs
 * that are neither; nothing is removed implicitly (a full store refuses with
 * QUOTA and the caller decides whether to prune).
 *
 * Thread safety: every method may be called from any thread. Two locks:
 * m_mutex guards the in-memory index and is never held across disk I/O;
 * m_write_mutex serialises the changes to the files in blobs/ (commit
 * renames, metadata rewrites, removals, each followed by a directory fsync)
 * and is held across that small I/O only. Bulk I/O — writing a blob or a
 * chunk, reading a chunk, fdatasync of data — runs under neither lock, so a
 * slow disk never blocks readers of the index. Readers (GetChunk, GetInfo,
 * List) never take m_write_mutex. Lock order: m_write_mutex, then m_mutex.
 */
namespace hpips {

/** Default -blobquota: 4 GiB, room for 16 blobs of the largest size (a few
 *  jobs' inputs, weights and results) without surprising a user's disk. */
constexpr uint64_t DEFAULT_BLOB_QUOTA = uint64_t{4} << 30;
/** Largest -blobquota accepted (1 PiB): far above any disk, and sums of sizes
 *  stay far from overflowing 64 bits. */
constexpr uint64_t MAX_BLOB_QUOTA = uint64_t{1} << 50;
/** Most complete blobs: bounds the index's memory (about 200 bytes plus 32
 *  per chunk each, so ≤ 13 MiB plus chunk hashes) and the directory's size,
 *  even when every blob is 1 byte. */
constexpr size_t DEFAULT_MAX_BLOBS = 65'536;
/** Most downloads at once: each holds a temp file, a descriptor and ≤ 8 KiB
 *  of chunk hashes, and its full size is reserved in the quota. */
constexpr size_t DEFAULT_MAX_BLOB_DOWNLOADS = 64;

/** How to open a store. */
struct BlobStoreOptions {
    /** The store's directory (`<datadir>/blobs`); created if missing. */
    std::filesystem::path dir;
    /** Bytes of blob data the store may hold, downloads and puts in progress
     *  included (metadata files, ≤ 8.3 KiB per blob, are not counted). */
    uint64_t quota{DEFAULT_BLOB_QUOTA};
    size_t max_blobs{DEFAULT_MAX_BLOBS};
    size_t max_downloads{DEFAULT_MAX_BLOB_DOWNLOADS};
};

/** Why the store refused. Callers decide on the class, never on the text. */
enum class BlobStoreFailure : uint8_t {
    /** The data or chunk is not a valid blob / chunk of the blob (see
     *  BlobStoreError::blob_failure). For AcceptChunk: the sender is at
     *  fault (a P2P peer is disconnected). */
    INVALID,
    /** Storing it would take the store past its quota. */
    QUOTA,
    /** Too many blobs, or too many downloads at once. */
    LIMIT,
    /** No such complete blob; for AcceptChunk, no download of that id. */
    NOT_FOUND,
    /** Remove of a blob the job ledger still references; or a refcount at
     *  its maximum. */
    IN_USE,
    /** BeginDownload of an id already being downloaded with another size. */
    CONFLICT,
    /** Data on disk does not match its metadata (the blob is not served). */
    CORRUPT,
    /** The operating system refused (disk full, permissions, a file that
     *  cannot be opened or changed while it was read). */
    IO,
};

/** Short lower-case name of a failure class ("quota", "not-found"...). */
std::string_view BlobStoreFailureName(BlobStoreFailure failure);

/** A refusal: its class, for INVALID the blob-level class, and a reason. */
struct BlobStoreError {
    BlobStoreFailure failure{BlobStoreFailure::IO};
    std::optional<BlobFailure> blob_failure;
    std::string message;
};

/** A blob as the store knows it. */
struct BlobInfo {
    uint256 id;
    uint64_t size{0};
    uint32_t chunks{0};
    /** Every chunk present and verified; only complete blobs are served. */
    bool complete{false};
    /** Chunks present (== chunks when complete). */
    uint32_t received{0};
    uint32_t refcount{0};
    bool pinned{false};
};

/** One chunk as served: its bytes and the proof that it belongs to the id. */
struct BlobChunk {
    std::vector<uint8_t> data;
    MerkleProof proof;
};

/** What AcceptChunk did. */
struct BlobChunkReceipt {
    /** The blob's state after the chunk (complete once the last arrived). */
    BlobInfo info;
    /** False when the chunk was valid but already present (another peer sent
     *  it first, or the blob is complete): nothing was written. */
    bool stored{false};
};

/** What Open found and cleaned up (for the log). */
struct BlobStoreOpenReport {
    size_t blobs{0};
    uint64_t bytes{0};
    /** Files removed from tmp/ (downloads and puts a crash interrupted). */
    size_t temp_files_removed{0};
    /** One line per entry removed because it was damaged or half-committed
     *  ("<file>: <reason>"). */
    std::vector<std::string> problems;
};

/** The store (see the file comment). */
class BlobStore {
public:
    /** Opens the store in options.dir (creating it), empties tmp/, loads and
     *  checks every metadata file (removing damaged entries, see the file
     *  comment). Fails with IO only when the directory cannot be created or
     *  read. Cost: reads every metadata file (≤ 8.3 KiB each); never reads
     *  blob data. */
    static Result<std::unique_ptr<BlobStore>, BlobStoreError> Open(BlobStoreOptions options);
    ~BlobStore();
    BlobStore(const BlobStore&) = delete;
    BlobStore& operator=(const BlobStore&) = delete;

    /** What Open found. */
    const BlobStoreOpenReport& OpenReport() const { return m_report; }

    // --- whole blobs (local user) -----------------------------------------

    /** Stores `data` as a blob (pinning it when `pin`); a blob already stored
     *  is returned as it is (and pinned when `pin`). Fails INVALID (EMPTY,
     *  TOO_LARGE), QUOTA, LIMIT, IO. Memory: none beyond `data`. */
    Result<BlobInfo, BlobStoreError> Put(std::span<const uint8_t> data, bool pin) LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    /** Stores the regular file at `path` as a blob, as Put. The size is checked
     *  (INVALID: EMPTY / TOO_LARGE) and reserved before anything is read; the
     *  file is copied in 1 MiB pieces (memory bounded by one chunk), and a
     *  file that changes size while it is read fails with IO. */
    Result<BlobInfo, BlobStoreError> PutFile(const std::filesystem::path& path, bool pin)
        LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    // --- chunk-by-chunk ingest (P2P) --------------------------------------

    /** Starts (or finds) the download of blob `id` of `size` bytes, reserving
     *  `size` in the quota; the blob is pinned on completion when `pin`.
     *  Returns the state: already complete, or the chunks received so far.
     *  `size` must come from a trusted source (a job posting on chain): a
     *  wrong size is caught on the first chunk, but its reservation stays
     *  until AbortDownload. Fails INVALID (EMPTY, TOO_LARGE), CONFLICT (a
     *  download of `id` with another size is running), QUOTA, LIMIT, IO. */
    Result<BlobInfo, BlobStoreError> BeginDownload(const uint256& id, uint64_t size, bool pin = false)
        LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    /** Checks chunk `index` of download `id` against the id with `proof`
     *  (VerifyChunk) and writes it to the download's temp file; the chunk that
     *  completes the blob commits it (see the file comment) before this
     *  returns. A valid chunk already present is accepted without writing
     *  (stored = false); a valid chunk of a complete blob likewise. Fails
     *  INVALID (with the BlobFailure: the sender is at fault), NOT_FOUND (no
     *  download and no complete blob of `id`, or the download was aborted
     *  meanwhile), IO. Memory: none beyond `chunk`; disk: one pwrite. */
    Result<BlobChunkReceipt, BlobStoreError> AcceptChunk(const uint256& id, uint64_t index,
                                                         std::span<const uint8_t> chunk, const MerkleProof& proof)
        LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    /** Drops the download of `id`, its temp file and its reservation. False
     *  if there is none, or it is committing (it completes instead). */
    bool AbortDownload(const uint256& id) LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    /** The chunk indexes download `id` still needs, ascending (empty when
     *  there is no such download). */
    std::vector<uint32_t> MissingChunks(const uint256& id) const LOCKS_EXCLUDED(m_mutex);

    // --- serving and queries ----------------------------------------------

    /** Chunk `index` of the complete blob `id` with its proof. Reads exactly
     *  that chunk (≤ BLOB_CHUNK_SIZE bytes) and checks its hash first. Fails
     *  NOT_FOUND (no such complete blob), INVALID (BAD_INDEX), CORRUPT (the
     *  disk's bytes do not match), IO. */
    Result<BlobChunk, BlobStoreError> GetChunk(const uint256& id, uint64_t index) const LOCKS_EXCLUDED(m_mutex);

    /** The state of blob `id`: complete, or being downloaded; nullopt if
     *  neither. */
    std::optional<BlobInfo> GetInfo(const uint256& id) const LOCKS_EXCLUDED(m_mutex);

    /** Every complete blob, then every download, each in id order. */
    std::vector<BlobInfo> List() const LOCKS_EXCLUDED(m_mutex);

    /** True if the complete blob `id` is stored. */
    bool Has(const uint256& id) const LOCKS_EXCLUDED(m_mutex);

    /** Bytes counted against the quota now (complete blobs + reservations). */
    uint64_t UsedBytes() const LOCKS_EXCLUDED(m_mutex);
    /** The quota. */
    uint64_t Quota() const { return m_options.quota; }

    // --- references -------------------------------------------------------

    /** Adds a reference to the complete blob `id`, durably (its metadata is
     *  rewritten and synced before this returns); returns the new count.
     *  Fails NOT_FOUND, IN_USE (count at UINT32_MAX), IO. */
    Result<uint32_t, BlobStoreError> AddRef(const uint256& id) LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    /** Drops a reference, durably; returns the new count. The blob stays
     *  until removed or pruned. Fails NOT_FOUND (no such blob, or no
     *  reference to drop), IO. */
    Result<uint32_t, BlobStoreError> Release(const uint256& id) LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    /** Sets or clears the pin, durably. Fails NOT_FOUND, IO. */
    Result<void, BlobStoreError> SetPinned(const uint256& id, bool pinned) LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    /** Removes the complete blob `id` (pinned or not). Fails NOT_FOUND, or
     *  IN_USE while the job ledger references it. */
    Result<void, BlobStoreError> Remove(const uint256& id) LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    /** Removes every complete blob that is neither referenced nor pinned;
     *  returns the bytes freed. */
    Result<uint64_t, BlobStoreError> PruneUnreferenced() LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    /** The directory. */
    const std::filesystem::path& Dir() const { return m_options.dir; }

private:
    struct Entry {
        uint64_t size{0};
        /** Shared with GetChunk calls in flight, which read it without the lock. */
        std::shared_ptr<const std::vector<uint256>> chunk_hashes;
        uint32_t refcount{0};
        bool pinned{false};
    };
    class File;
    struct Download {
        uint64_t serial{0};
        uint64_t size{0};
        uint32_t chunks{0};
        bool pin{false};
        std::bitset<MAX_BLOB_CHUNKS> received;
        /** Being written by an AcceptChunk call right now. */
        std::bitset<MAX_BLOB_CHUNKS> writing;
        uint32_t received_count{0};
        /** The last chunk arrived; the blob is being committed. */
        bool committing{false};
        std::vector<uint256> chunk_hashes;
        std::shared_ptr<File> file;
        std::filesystem::path temp_path;
    };

    explicit BlobStore(BlobStoreOptions options);
    /** Open's work: empties tmp/, loads and checks the entries. */
    Result<void, BlobStoreError> Load() LOCKS_EXCLUDED(m_mutex);

    std::filesystem::path DataPath(const uint256& id) const;
    std::filesystem::path MetaPath(const uint256& id) const;
    std::filesystem::path TempDir() const;
    /** A fresh name in tmp/ (serials never repeat within a run, and tmp/ is
     *  emptied at startup). */
    std::filesystem::path TempPath(uint64_t serial, std::string_view suffix) const;

    /** Reserves `size` bytes and one blob slot; fails QUOTA / LIMIT. */
    Result<void, BlobStoreError> Reserve(uint64_t size) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    void Unreserve(uint64_t size) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    BlobInfo InfoOf(const uint256& id, const Entry& entry) const;
    BlobInfo InfoOf(const uint256& id, const Download& download) const;
    /** `info` of a complete blob, pinned first when `pin` asks and it is not. */
    Result<BlobInfo, BlobStoreError> PinIfRequested(const BlobInfo& info, bool pin)
        LOCKS_EXCLUDED(m_mutex, m_write_mutex);

    /** Makes blob meta.blob.id, whose data is synced in `data_temp` and whose
     *  size is reserved, complete: metadata written and synced in tmp/, then
     *  under m_write_mutex data renamed into place, metadata renamed (the
     *  commit point), directory synced, entry listed. When the blob is
     *  already stored the temp files and reservation are dropped instead.
     *  With `download_serial`, that download is forgotten in the same step. */
    Result<BlobInfo, BlobStoreError> Commit(const std::filesystem::path& data_temp, BlobMeta meta,
                                            std::optional<uint64_t> download_serial)
        LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    /** Writes `meta` durably as <id>.meta (temp + fsync + rename + dir fsync). */
    Result<void, BlobStoreError> WriteMeta(const BlobMeta& meta) EXCLUSIVE_LOCKS_REQUIRED(m_write_mutex);
    /** Rewrites the metadata of `id` with `change` (a function of BlobMeta&
     *  returning Result<void, BlobStoreError>) applied, then applies it in
     *  memory: disk first, so memory never claims what a crash could lose. */
    template <typename F>
    Result<BlobInfo, BlobStoreError> UpdateEntry(const uint256& id, F&& change) LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    /** Deletes the files of blob `id`, metadata first (the commit point of a
     *  removal); the caller syncs the directory. */
    void DeleteFiles(const uint256& id) EXCLUSIVE_LOCKS_REQUIRED(m_write_mutex);
    /** Finishes download `id` (serial `serial`) whose last chunk arrived:
     *  fdatasync, size check, Commit. */
    Result<BlobInfo, BlobStoreError> FinishDownload(const uint256& id, uint64_t serial)
        LOCKS_EXCLUDED(m_mutex, m_write_mutex);
    Result<void, BlobStoreError> SyncDir() const;

    const BlobStoreOptions m_options;
    BlobStoreOpenReport m_report;

    /** Orders changes to the files in blobs/ (see the file comment). */
    Mutex m_write_mutex;
    mutable Mutex m_mutex;
    std::map<uint256, Entry> m_blobs GUARDED_BY(m_mutex);
    std::map<uint256, Download> m_downloads GUARDED_BY(m_mutex);
    /** Bytes of complete blobs plus every reservation. */
    uint64_t m_used GUARDED_BY(m_mutex){0};
    /** Downloads and puts in progress (each holds one blob slot). */
    size_t m_pending GUARDED_BY(m_mutex){0};
    /** Source of unique temp file names and download serials. */
    std::atomic<uint64_t> m_serial{0};
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOB_STORE_H
