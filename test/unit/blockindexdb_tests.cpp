// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The block index database: record encoding (exact size, strictness), batch
// writes, reading back after a reopen, and records that do not match their key.
#include <chain/blockindex_db.h>

#include "chain_test_util.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>

#include <algorithm>
#include <random>

namespace hpips {
namespace {

using test::FilledHash;
using test::RandomHash;
using test::TempDir;

BlockIndexRecord RandomRecord(std::mt19937_64& rng)
{
    BlockIndexRecord record;
    record.header.version = static_cast<int32_t>(rng());
    record.header.prev_block = RandomHash(rng);
    record.header.merkle_root = RandomHash(rng);
    record.header.time = static_cast<uint32_t>(rng());
    record.header.bits = static_cast<uint32_t>(rng());
    record.header.proof.nonce = rng();
    record.header.proof.unit_id = RandomHash(rng);
    record.header.proof.tile_index = static_cast<uint32_t>(rng());
    record.height = static_cast<uint32_t>(rng() % 1'000'000);
    record.chain_work = RandomHash(rng);
    record.status = static_cast<uint32_t>(rng()) & BLOCK_STATUS_KNOWN_BITS;
    if (record.HasStatus(BlockStatus::HAVE_DATA)) {
        record.data_pos = FlatFilePos{static_cast<uint32_t>(rng() % 100), static_cast<uint32_t>(rng())};
        record.tx_count = static_cast<uint32_t>(rng() % 5000);
    }
    if (record.HasStatus(BlockStatus::HAVE_UNDO)) {
        record.undo_pos = FlatFilePos{static_cast<uint32_t>(rng() % 100), static_cast<uint32_t>(rng())};
    }
    return record;
}

TEST(BlockIndexDBTest, RecordEncoding)
{
    std::mt19937_64 rng{1};
    for (int i = 0; i < 200; ++i) {
        const BlockIndexRecord record{RandomRecord(rng)};
        const auto bytes = EncodeBlockIndexRecord(record);
        ASSERT_EQ(bytes.size(), BLOCK_INDEX_RECORD_SIZE);
        const auto decoded = DecodeBlockIndexRecord(bytes);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, record);
    }
    BlockIndexRecord record{RandomRecord(rng)};
    record.status = StatusBit(BlockStatus::VALID_TREE) | StatusBit(BlockStatus::HAVE_DATA);
    record.height = 0x01020304;
    record.tx_count = 0x0a0b0c0d;
    const auto bytes = EncodeBlockIndexRecord(record);
    // header | height LE | chain work | status LE | data pos | undo pos | tx count LE
    EXPECT_EQ(bytes[BLOCK_HEADER_SIZE], 0x04);
    EXPECT_EQ(bytes[BLOCK_HEADER_SIZE + 4 + 32], StatusBit(BlockStatus::VALID_TREE) | StatusBit(BlockStatus::HAVE_DATA));
    EXPECT_EQ(bytes[BLOCK_INDEX_RECORD_SIZE - 4], 0x0d);
    // A default record's positions are null.
    EXPECT_TRUE(BlockIndexRecord{}.data_pos.IsNull());
    EXPECT_TRUE(DecodeBlockIndexRecord(EncodeBlockIndexRecord(BlockIndexRecord{}))->undo_pos.IsNull());
}

TEST(BlockIndexDBTest, StrictDecoding)
{
    std::mt19937_64 rng{2};
    const auto good = EncodeBlockIndexRecord(RandomRecord(rng));
    EXPECT_FALSE(DecodeBlockIndexRecord(std::span{good}.first(good.size() - 1)));
    auto longer = good;
    longer.push_back(0);
    EXPECT_FALSE(DecodeBlockIndexRecord(longer));
    auto unknown = good;
    unknown[BLOCK_HEADER_SIZE + 4 + 32 + 1] |= 0x01;  // status bit 8
    const auto refused = DecodeBlockIndexRecord(unknown);
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error_message(), "unknown block status bits");
}

TEST(BlockIndexDBTest, WriteReopenLoadAll)
{
    TempDir dir;
    std::mt19937_64 rng{3};
    std::vector<BlockIndexRecord> records;
    for (int i = 0; i < 300; ++i) records.push_back(RandomRecord(rng));
    {
        auto db = BlockIndexDB::Open(dir.path() / "index");
        ASSERT_TRUE(db) << db.error_message();
        ASSERT_TRUE((*db)->WriteRecords(std::span{records}.first(100), /*sync=*/false));
        ASSERT_TRUE((*db)->WriteRecords(std::span{records}.subspan(100)));
        // Updating a record replaces it.
        records[7].status |= StatusBit(BlockStatus::FAILED);
        ASSERT_TRUE((*db)->WriteRecords(std::span{records}.subspan(7, 1)));
    }
    auto db = BlockIndexDB::Open(dir.path() / "index");
    ASSERT_TRUE(db) << db.error_message();
    const auto loaded = (*db)->LoadAll();
    ASSERT_TRUE(loaded) << loaded.error_message();
    auto expected = records;
    std::sort(expected.begin(), expected.end(),
              [](const BlockIndexRecord& a, const BlockIndexRecord& b) { return a.GetHash() < b.GetHash(); });
    EXPECT_EQ(*loaded, expected);

    const auto one = (*db)->ReadRecord(records[7].GetHash());
    ASSERT_TRUE(one && one->has_value());
    EXPECT_TRUE((*one)->HasStatus(BlockStatus::FAILED));
    const auto none = (*db)->ReadRecord(FilledHash(0x42));
    ASSERT_TRUE(none);
    EXPECT_FALSE(none->has_value());
}

TEST(BlockIndexDBTest, RecordUnderTheWrongKeyIsCorrupt)
{
    TempDir dir;
    std::mt19937_64 rng{4};
    const BlockIndexRecord record{RandomRecord(rng)};
    { ASSERT_TRUE(BlockIndexDB::Open(dir.path())); }
    {
        leveldb::DB* raw{nullptr};
        ASSERT_TRUE(leveldb::DB::Open(leveldb::Options{}, dir.path().string(), &raw).ok());
        std::unique_ptr<leveldb::DB> ldb{raw};
        const auto value = EncodeBlockIndexRecord(record);
        std::string key{"b"};
        const uint256 wrong{FilledHash(1)};
        key.append(reinterpret_cast<const char*>(wrong.data()), 32);
        ASSERT_TRUE(ldb->Put(leveldb::WriteOptions{}, key,
                             std::string{reinterpret_cast<const char*>(value.data()), value.size()})
                        .ok());
    }
    auto db = BlockIndexDB::Open(dir.path());
    ASSERT_TRUE(db);
    const auto loaded = (*db)->LoadAll();
    ASSERT_FALSE(loaded);
    EXPECT_NE(loaded.error_message().find("does not match its key"), std::string::npos);
    EXPECT_FALSE((*db)->ReadRecord(FilledHash(1)));
}

}  // namespace
}  // namespace hpips
