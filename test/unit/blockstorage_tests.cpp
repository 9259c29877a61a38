// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Block files: round trips, reopening, rolling to the next file, and every
// kind of damage (each byte of a record flipped, truncation, wrong magic,
// wrong expected hash, absurd sizes) giving an error, never a crash.
#include <chain/blockstorage.h>

#include <crypto/sha256.h>
#include <primitives/merkle.h>

#include "chain_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>
#include <vector>

namespace hpips {
namespace {

using test::FilledHash;
using test::TempDir;

constexpr MessageStart MAGIC{0xfa, 0xbf, 0xb5, 0xda};

Block SampleBlock(uint8_t seed, size_t n_txs = 3)
{
    Block block;
    block.header.version = 1;
    block.header.prev_block = FilledHash(seed);
    block.header.time = 1'700'000'000u + seed;
    block.header.bits = 0x207fffff;
    block.header.proof.nonce = seed;
    for (size_t i = 0; i < n_txs; ++i) {
        MutableTransaction tx;
        tx.inputs.resize(1);
        if (i > 0) tx.inputs[0].prevout = OutPoint{FilledHash(static_cast<uint8_t>(seed + i)), 0};
        tx.inputs[0].witness.assign(64, static_cast<uint8_t>(i));
        tx.outputs.push_back(TxOut{static_cast<Amount>(i + 1) * COIN, Destination::ForKey({seed})});
        block.txs.emplace_back(std::move(tx));
    }
    block.opening.assign(17, seed);
    return block;
}

std::vector<uint8_t> ReadFile(const std::filesystem::path& path)
{
    std::ifstream in{path, std::ios::binary};
    return {std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
}

void WriteFile(const std::filesystem::path& path, const std::vector<uint8_t>& bytes)
{
    std::ofstream out{path, std::ios::binary | std::ios::trunc};
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
}

std::unique_ptr<BlockStorage> Open(const std::filesystem::path& dir, BlockStorageOptions options = {})
{
    auto storage = BlockStorage::Open(dir, MAGIC, options);
    EXPECT_TRUE(storage) << storage.error_message();
    return storage ? std::move(*storage) : nullptr;
}

TEST(BlockStorageTest, RoundTripAndRecordLayout)
{
    TempDir dir;
    auto storage = Open(dir.path() / "blocks");
    ASSERT_TRUE(storage);
    const Block a{SampleBlock(1)};
    const Block b{SampleBlock(2, 10)};
    const auto pos_a = storage->WriteBlock(a);
    const auto pos_b = storage->WriteBlock(b);
    ASSERT_TRUE(pos_a && pos_b);
    EXPECT_EQ(*pos_a, (FlatFilePos{0, 0}));
    const auto bytes_a = EncodeBlock(a);
    EXPECT_EQ(*pos_b, (FlatFilePos{0, static_cast<uint32_t>(RECORD_HEADER_SIZE + bytes_a.size() + RECORD_CHECKSUM_SIZE)}));
    ASSERT_TRUE(storage->FlushFiles());

    const auto read_a = storage->ReadBlock(*pos_a, a.GetHash());
    ASSERT_TRUE(read_a) << read_a.error_message();
    EXPECT_EQ(*read_a, a);
    const auto read_b = storage->ReadBlock(*pos_b);
    ASSERT_TRUE(read_b) << read_b.error_message();
    EXPECT_EQ(*read_b, b);

    // The documented layout: magic | size LE | block | SHA256d(block).
    const auto file = ReadFile(storage->BlockFilePath(0));
    ASSERT_GE(file.size(), RECORD_HEADER_SIZE + bytes_a.size() + RECORD_CHECKSUM_SIZE);
    EXPECT_TRUE(std::equal(MAGIC.begin(), MAGIC.end(), file.begin()));
    const uint32_t size{file[4] | (uint32_t{file[5]} << 8) | (uint32_t{file[6]} << 16) | (uint32_t{file[7]} << 24)};
    EXPECT_EQ(size, bytes_a.size());
    EXPECT_TRUE(std::equal(bytes_a.begin(), bytes_a.end(), file.begin() + RECORD_HEADER_SIZE));
    const uint256 checksum{Sha256d(bytes_a)};
    EXPECT_TRUE(std::equal(checksum.begin(), checksum.end(), file.begin() + RECORD_HEADER_SIZE + bytes_a.size()));
}

TEST(BlockStorageTest, ReopenAppendsAfterExistingRecords)
{
    TempDir dir;
    FlatFilePos first;
    {
        auto storage = Open(dir.path());
        ASSERT_TRUE(storage);
        first = *storage->WriteBlock(SampleBlock(1));
        ASSERT_TRUE(storage->FlushFiles());
    }
    auto storage = Open(dir.path());
    ASSERT_TRUE(storage);
    const auto second = storage->WriteBlock(SampleBlock(2));
    ASSERT_TRUE(second);
    EXPECT_GT(second->offset, first.offset);
    EXPECT_EQ(*storage->ReadBlock(first), SampleBlock(1));
    EXPECT_EQ(*storage->ReadBlock(*second), SampleBlock(2));
}

TEST(BlockStorageTest, RollsToTheNextFile)
{
    TempDir dir;
    BlockStorageOptions options;
    options.max_file_size = 1000;
    std::vector<std::pair<FlatFilePos, Block>> written;
    {
        auto storage = Open(dir.path(), options);
        ASSERT_TRUE(storage);
        for (uint8_t i = 0; i < 20; ++i) {
            const Block block{SampleBlock(i, 1 + i % 4)};
            const auto pos = storage->WriteBlock(block);
            ASSERT_TRUE(pos);
            written.emplace_back(*pos, block);
        }
        ASSERT_TRUE(storage->FlushFiles());
    }
    EXPECT_GT(written.back().first.file, 2u);
    for (size_t i = 1; i < written.size(); ++i) EXPECT_LT(written[i - 1].first, written[i].first);
    auto storage = Open(dir.path(), options);
    ASSERT_TRUE(storage);
    for (const auto& [pos, block] : written) {
        EXPECT_LE(std::filesystem::file_size(storage->BlockFilePath(pos.file)), options.max_file_size);
        const auto read = storage->ReadBlock(pos, block.GetHash());
        ASSERT_TRUE(read) << read.error_message();
        EXPECT_EQ(*read, block);
    }
    // Reopened storage continues in the last file.
    const auto next = storage->WriteBlock(SampleBlock(99));
    ASSERT_TRUE(next);
    EXPECT_GE(next->file, written.back().first.file);
}

TEST(BlockStorageTest, EveryFlippedByteIsAnError)
{
    TempDir dir;
    auto storage = Open(dir.path());
    ASSERT_TRUE(storage);
    const Block block{SampleBlock(7)};
    const auto pos = storage->WriteBlock(block);
    ASSERT_TRUE(pos);
    ASSERT_TRUE(storage->FlushFiles());
    const auto path = storage->BlockFilePath(0);
    const auto original = ReadFile(path);
    for (size_t i = 0; i < original.size(); ++i) {
        auto damaged = original;
        damaged[i] ^= 0x20;
        WriteFile(path, damaged);
        // Without the expected hash: the checksum, magic or size still catch it.
        const auto read = storage->ReadBlock(*pos);
        ASSERT_FALSE(read) << "flipped byte " << i << " went unnoticed";
        EXPECT_NE(read.error_message().find("ReadBlock: "), std::string::npos);
    }
    WriteFile(path, original);
    EXPECT_TRUE(storage->ReadBlock(*pos, block.GetHash()));
}

TEST(BlockStorageTest, TruncatedFile)
{
    TempDir dir;
    auto storage = Open(dir.path());
    ASSERT_TRUE(storage);
    const auto pos = storage->WriteBlock(SampleBlock(3));
    ASSERT_TRUE(pos && storage->FlushFiles());
    const auto path = storage->BlockFilePath(0);
    const auto original = ReadFile(path);
    for (size_t n : {size_t{0}, size_t{3}, RECORD_HEADER_SIZE, original.size() / 2, original.size() - 1}) {
        WriteFile(path, std::vector<uint8_t>(original.begin(), original.begin() + static_cast<std::ptrdiff_t>(n)));
        const auto read = storage->ReadBlock(*pos);
        ASSERT_FALSE(read);
        EXPECT_NE(read.error_message().find("truncated"), std::string::npos) << read.error_message();
    }
}

TEST(BlockStorageTest, BadPositionsAndClaims)
{
    TempDir dir;
    auto storage = Open(dir.path());
    ASSERT_TRUE(storage);
    const Block block{SampleBlock(4)};
    const auto pos = storage->WriteBlock(block);
    ASSERT_TRUE(pos);

    EXPECT_EQ(storage->ReadBlock(FlatFilePos{}).error_message(), "ReadBlock: null file position");
    const auto missing = storage->ReadBlock(FlatFilePos{5, 0});
    ASSERT_FALSE(missing);
    EXPECT_NE(missing.error_message().find("cannot open"), std::string::npos);
    EXPECT_FALSE(storage->ReadBlock(FlatFilePos{0, pos->offset + 1}));
    EXPECT_FALSE(storage->ReadBlock(FlatFilePos{0, 0xfffffff0}));

    const auto wrong_hash = storage->ReadBlock(*pos, FilledHash(1));
    ASSERT_FALSE(wrong_hash);
    EXPECT_NE(wrong_hash.error_message().find("expected"), std::string::npos);

    // A header claiming more than MAX_BLOCK_SIZE is refused before any read.
    auto bytes = ReadFile(storage->BlockFilePath(0));
    const uint32_t huge{static_cast<uint32_t>(MAX_BLOCK_SIZE + 1)};
    for (int i = 0; i < 4; ++i) bytes[4 + i] = static_cast<uint8_t>(huge >> (8 * i));
    WriteFile(storage->BlockFilePath(0), bytes);
    const auto too_big = storage->ReadBlock(*pos);
    ASSERT_FALSE(too_big);
    EXPECT_NE(too_big.error_message().find("more than the limit"), std::string::npos);

    // Another network's files are not read.
    TempDir other_dir;
    {
        auto other = Open(other_dir.path());
        ASSERT_TRUE(other && other->WriteBlock(block));
    }
    auto mismatched = BlockStorage::Open(other_dir.path(), MessageStart{1, 2, 3, 4});
    ASSERT_TRUE(mismatched);
    const auto foreign = (*mismatched)->ReadBlock(FlatFilePos{0, 0});
    ASSERT_FALSE(foreign);
    EXPECT_NE(foreign.error_message().find("network magic"), std::string::npos);
}

TEST(BlockStorageTest, UndoFilesAreSeparate)
{
    TempDir dir;
    auto storage = Open(dir.path());
    ASSERT_TRUE(storage);
    ASSERT_TRUE(storage->WriteBlock(SampleBlock(1)));
    BlockUndo undo;
    undo.txs.resize(2);
    undo.txs[0].spent.push_back(Coin{TxOut{COIN, Destination::ForKey({9})}, 5, true});
    const auto pos = storage->WriteUndo(undo, FilledHash(1));
    ASSERT_TRUE(pos);
    EXPECT_EQ(*pos, (FlatFilePos{0, 0}));
    ASSERT_TRUE(storage->FlushFiles());
    EXPECT_TRUE(std::filesystem::exists(storage->UndoFilePath(0)));
    EXPECT_EQ(storage->UndoFilePath(3).filename(), "rev00003.dat");
    EXPECT_EQ(storage->BlockFilePath(12345).filename(), "blk12345.dat");
    // The same position names different records in the two series.
    EXPECT_EQ(*storage->ReadBlock(FlatFilePos{0, 0}), SampleBlock(1));
    EXPECT_EQ(*storage->ReadUndo(FlatFilePos{0, 0}, FilledHash(1)), undo);
}

}  // namespace
}  // namespace hpips
