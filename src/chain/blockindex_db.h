// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOCKINDEX_DB_H
#define HPIPS_CHAIN_BLOCKINDEX_DB_H

#include <chain/blockstorage.h>
#include <chain/dbwrapper.h>
#include <primitives/block.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <vector>

/**
 * The block index on disk: one record per known block header, in its own
 * LevelDB database (conventionally `<datadir>/blocks/index`). The chainstate
 * loads every record at startup and rebuilds its in-memory tree from them.
 *
 * Keys (doc/chainstate.md, "Block index database"):
 *   'b' | block hash (32)  → BlockIndexRecord, exactly BLOCK_INDEX_RECORD_SIZE bytes:
 *       header (184) | height u32 | chain work (32, uint256 storage order)
 *       | status u32 | data pos (file u32, offset u32) | undo pos (file u32,
 *       offset u32) | tx count u32
 *   'V'                    → format version (dbwrapper.h)
 * All integers little-endian. A record is accepted only if its length is
 * exact, its status has no unknown bit, and its header hashes to its key.
 *
 * Not thread-safe: the chainstate serialises calls.
 */
namespace hpips {

/** Validity and storage flags of a block index entry. */
enum class BlockStatus : uint32_t {
    NONE = 0,
    /** The header is valid and connects to a valid header chain. */
    VALID_TREE = 1u << 0,
    /** The block's transactions pass the context-free checks (merkle root,
     *  sizes, PoUW opening). */
    VALID_TRANSACTIONS = 1u << 1,
    /** The block's inputs exist and amounts balance (connected once). */
    VALID_CHAIN = 1u << 2,
    /** Signatures checked too: fully validated. */
    VALID_SCRIPTS = 1u << 3,
    /** The full block is in a blk file at data_pos. */
    HAVE_DATA = 1u << 4,
    /** Its undo data is in a rev file at undo_pos. */
    HAVE_UNDO = 1u << 5,
    /** The block itself failed validation. */
    FAILED = 1u << 6,
    /** An ancestor failed validation. */
    FAILED_CHILD = 1u << 7,
};

/** Every bit defined above; a stored status with any other bit is corrupt. */
constexpr uint32_t BLOCK_STATUS_KNOWN_BITS = (1u << 8) - 1;

/** The bits of `flag`, to combine statuses in a uint32_t. */
constexpr uint32_t StatusBit(BlockStatus flag) { return static_cast<uint32_t>(flag); }

/** Key prefix of a block index record. */
constexpr char DB_BLOCK_INDEX = 'b';
/** Encoded size of a record. */
constexpr size_t BLOCK_INDEX_RECORD_SIZE = BLOCK_HEADER_SIZE + 4 + 32 + 4 + 8 + 8 + 4;
/** Format version of the block index database. */
constexpr uint32_t BLOCK_INDEX_DB_VERSION = 1;

/** What the database stores about one block. */
struct BlockIndexRecord {
    /** The block's header (its hash is the record's key). */
    BlockHeader header;
    /** Blocks between genesis (height 0) and this one. */
    uint32_t height{0};
    /** Total work of the chain up to and including this block, as the
     *  256-bit number's storage form (target.h converts). */
    uint256 chain_work;
    /** BlockStatus bits. */
    uint32_t status{0};
    /** Position of the block record; meaningful with HAVE_DATA. */
    FlatFilePos data_pos;
    /** Position of the undo record; meaningful with HAVE_UNDO. */
    FlatFilePos undo_pos;
    /** Transactions in the block; 0 until the block's data is known. */
    uint32_t tx_count{0};

    /** The block's hash (the record's key). */
    uint256 GetHash() const { return header.GetHash(); }
    /** True when `flag` is set in status. */
    bool HasStatus(BlockStatus flag) const { return (status & StatusBit(flag)) != 0; }

    friend bool operator==(const BlockIndexRecord&, const BlockIndexRecord&) = default;
};

/** The record's encoding (exactly BLOCK_INDEX_RECORD_SIZE bytes). */
std::vector<uint8_t> EncodeBlockIndexRecord(const BlockIndexRecord& record);
/** Decodes a record strictly (exact length, known status bits). */
Result<BlockIndexRecord> DecodeBlockIndexRecord(std::span<const uint8_t> bytes);

/** The block index database (see the file comment). Not thread-safe. */
class BlockIndexDB {
public:
    /** Opens or creates the database in `dir`. */
    static Result<std::unique_ptr<BlockIndexDB>> Open(const std::filesystem::path& dir, const DBOptions& options = {});

    BlockIndexDB(const BlockIndexDB&) = delete;
    BlockIndexDB& operator=(const BlockIndexDB&) = delete;

    /** Writes (inserts or replaces) the records in one atomic batch; with
     *  `sync`, durably. The chainstate calls BlockStorage::FlushFiles first. */
    Result<void> WriteRecords(std::span<const BlockIndexRecord> records, bool sync = true);
    /** The record of `hash`; nullopt when unknown. */
    Result<std::optional<BlockIndexRecord>> ReadRecord(const uint256& hash) const;
    /** Every record, in key (hash) order; an error on the first corrupt one. */
    Result<std::vector<BlockIndexRecord>> LoadAll() const;

private:
    explicit BlockIndexDB(std::unique_ptr<Database> db) : m_db{std::move(db)} {}

    std::unique_ptr<Database> m_db;
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOCKINDEX_DB_H
