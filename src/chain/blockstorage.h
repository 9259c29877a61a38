// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOCKSTORAGE_H
#define HPIPS_CHAIN_BLOCKSTORAGE_H

#include <chain/undo.h>
#include <primitives/block.h>
#include <util/result.h>
#include <util/uint256.h>

#include <array>
#include <compare>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

/**
 * Append-only block and undo files in `<datadir>/blocks/`:
 *   blk00000.dat, blk00001.dat, ...  — blocks
 *   rev00000.dat, rev00001.dat, ...  — undo data
 * Each file is a sequence of records (doc/chainstate.md, "Block and undo files"):
 *   block record: magic (4) | size u32 LE | block wire form (size bytes)
 *                 | SHA256d(block bytes) (32)
 *   undo record:  magic (4) | size u32 LE | BlockUndo encoding (size bytes)
 *                 | SHA256d(block hash ‖ undo bytes) (32)
 * A file is closed for appending once the next record would take it past
 * the maximum file size; the two series roll independently. A FlatFilePos
 * names the first byte (the magic) of a record.
 *
 * Readers trust nothing: every size is bounded before anything is allocated,
 * truncation and checksum mismatches are errors, and a block's hash is
 * checked against the one the caller expects.
 *
 * Durability: writes go to the operating system at once; FlushFiles()
 * fdatasyncs them. The chainstate calls it before flushing the coins (or
 * block index entries) that refer to these records, so a coin never points
 * at undo data a power cut could lose.
 *
 * Not thread-safe: the chainstate serialises calls.
 */
namespace hpips {

/** Largest block or undo file before the next record starts a new one. */
constexpr uint64_t MAX_BLOCKFILE_SIZE = 128 << 20;
/** Bytes before a record's payload: magic and size. */
constexpr size_t RECORD_HEADER_SIZE = 8;
/** Bytes after a record's payload: the checksum. */
constexpr size_t RECORD_CHECKSUM_SIZE = 32;

/** The network's 4 bytes that start every record (the same "message start"
 *  the P2P protocol uses), so a file from another chain is never misread. */
using MessageStart = std::array<uint8_t, 4>;

/** Where a record lives: file number and the byte offset of its first byte. */
struct FlatFilePos {
    /** File number of a position that points nowhere. */
    static constexpr uint32_t NULL_FILE = 0xffffffff;

    /** File number (the NNNNN of blkNNNNN.dat / revNNNNN.dat). */
    uint32_t file{NULL_FILE};
    /** Byte offset of the record's magic within the file. */
    uint32_t offset{0};

    /** True for the position that points nowhere. */
    bool IsNull() const { return file == NULL_FILE; }
    friend bool operator==(const FlatFilePos&, const FlatFilePos&) = default;
    friend auto operator<=>(const FlatFilePos&, const FlatFilePos&) = default;
};

/** How to open block storage. */
struct BlockStorageOptions {
    /** Maximum size of one file (tests lower it to exercise rolling). */
    uint64_t max_file_size{MAX_BLOCKFILE_SIZE};
};

/** Block and undo files in one directory (see the file comment). Not thread-safe. */
class BlockStorage {
public:
    /** Opens (creating the directory if missing) and continues appending to
     *  the highest-numbered existing file of each series. */
    static Result<std::unique_ptr<BlockStorage>> Open(const std::filesystem::path& blocks_dir,
                                                      const MessageStart& magic, BlockStorageOptions options = {});
    ~BlockStorage();
    BlockStorage(const BlockStorage&) = delete;
    BlockStorage& operator=(const BlockStorage&) = delete;

    /** Appends a block record; returns its position. Not yet durable: see FlushFiles. */
    Result<FlatFilePos> WriteBlock(const Block& block);
    /** Reads the block record at `pos`, verifying magic, size bound
     *  (MAX_BLOCK_SIZE), checksum, decoding, and — when given — that the
     *  block's hash is `expected_hash`. */
    Result<Block> ReadBlock(const FlatFilePos& pos, const std::optional<uint256>& expected_hash = std::nullopt) const;

    /** Appends the undo record of the block `block_hash`; returns its position. */
    Result<FlatFilePos> WriteUndo(const BlockUndo& undo, const uint256& block_hash);
    /** Reads the undo record at `pos`, verifying magic, size bound
     *  (MAX_BLOCK_UNDO_SIZE), the checksum against `block_hash`, and decoding. */
    Result<BlockUndo> ReadUndo(const FlatFilePos& pos, const uint256& block_hash) const;

    /** fdatasyncs every file written since the last call (and the directory
     *  when a file was created). Call before flushing anything that points
     *  into these files. */
    Result<void> FlushFiles();

    /** Reads every block record of every block file in order (for
     *  -reindex), calling `visit` with its position and block; `visit`
     *  returns false to stop. A file's scan ends at its first record that is
     *  truncated or corrupt (a crash can leave a partial record at the end);
     *  the number of such damaged tails is returned. */
    Result<size_t> ForEachBlock(const std::function<bool(const FlatFilePos&, Block&&)>& visit) const;
    /** Path of block file `n` (blkNNNNN.dat). */
    std::filesystem::path BlockFilePath(uint32_t n) const;
    /** Path of undo file `n` (revNNNNN.dat). */
    std::filesystem::path UndoFilePath(uint32_t n) const;

private:
    /** One append-only series of numbered files. */
    struct Series {
        std::string prefix;
        uint32_t file{0};
        uint64_t size{0};
        int fd{-1};
        bool unsynced{false};
    };

    BlockStorage(std::filesystem::path dir, const MessageStart& magic, BlockStorageOptions options);
    std::filesystem::path FilePath(const std::string& prefix, uint32_t n) const;
    Result<void> OpenSeries(Series& series);
    Result<FlatFilePos> Append(Series& series, std::span<const uint8_t> record);
    Result<void> SyncSeries(Series& series);
    /** Reads and checks a record's frame; returns its payload and checksum. */
    Result<std::pair<std::vector<uint8_t>, uint256>> ReadRecord(const std::string& prefix, const FlatFilePos& pos,
                                                                size_t max_payload) const;

    std::filesystem::path m_dir;
    MessageStart m_magic;
    BlockStorageOptions m_options;
    Series m_blocks;
    Series m_undo;
    /** A file was created since the last FlushFiles: the directory needs a sync too. */
    bool m_dir_unsynced{false};
};

}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOCKSTORAGE_H
