// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Undo data: encoding round trips and strictness, the job-state placeholder,
// and undo records in the rev files with their checksum.
#include <chain/blockstorage.h>
#include <chain/undo.h>

#include <crypto/sha256.h>

#include "chain_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <random>

namespace hpips {
namespace {

using test::FilledHash;
using test::RandomCoin;
using test::TempDir;

constexpr MessageStart MAGIC{0x0b, 0x11, 0x09, 0x07};

BlockUndo RandomUndo(uint64_t seed)
{
    std::mt19937_64 rng{seed};
    BlockUndo undo;
    undo.txs.resize(rng() % 6);
    for (auto& tx : undo.txs) {
        tx.spent.resize(1 + rng() % 4);
        for (auto& coin : tx.spent) coin = RandomCoin(rng);
    }
    return undo;
}

TEST(UndoTest, EmptyEncoding)
{
    // No transactions, empty job state.
    EXPECT_EQ(EncodeBlockUndo(BlockUndo{}), (std::vector<uint8_t>{0, 0}));
    const auto decoded = DecodeBlockUndo(std::vector<uint8_t>{0, 0});
    ASSERT_TRUE(decoded);
    EXPECT_TRUE(decoded->txs.empty());
}

TEST(UndoTest, RoundTrip)
{
    for (uint64_t seed = 0; seed < 200; ++seed) {
        const BlockUndo undo{RandomUndo(seed)};
        const auto bytes = EncodeBlockUndo(undo);
        const auto decoded = DecodeBlockUndo(bytes);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, undo);
    }
}

TEST(UndoTest, StrictDecoding)
{
    BlockUndo undo{RandomUndo(3)};
    while (undo.txs.empty()) undo = RandomUndo(undo.txs.size() + 100);
    const auto good = EncodeBlockUndo(undo);
    for (size_t n = 0; n < good.size(); ++n) {
        EXPECT_FALSE(DecodeBlockUndo(std::span{good}.first(n))) << "truncated to " << n;
    }
    auto trailing = good;
    trailing.push_back(0);
    EXPECT_EQ(DecodeBlockUndo(trailing).error_message(), "trailing bytes");

    // A job state with content is from a later version: refused.
    auto job = good;
    job.back() = 1;
    job.push_back(0);
    EXPECT_FALSE(DecodeBlockUndo(job));

    // A count the remaining bytes cannot hold is refused before allocating.
    Writer w;
    w.WriteCompactSize(MAX_BLOCK_TXS);
    EXPECT_EQ(DecodeBlockUndo(w.data()).error_message(), "truncated");
    Writer coins;
    coins.WriteCompactSize(1);
    coins.WriteCompactSize(MAX_TX_INPUTS);
    EXPECT_EQ(DecodeBlockUndo(coins.data()).error_message(), "truncated");
    Writer over;
    over.WriteCompactSize(MAX_BLOCK_TXS + 1);
    EXPECT_FALSE(DecodeBlockUndo(over.data()));
    EXPECT_FALSE(DecodeBlockUndo(std::vector<uint8_t>(MAX_BLOCK_UNDO_SIZE + 1)));
}

TEST(UndoTest, ChecksumBindsTheBlock)
{
    const auto bytes = EncodeBlockUndo(RandomUndo(1));
    const uint256 sum{UndoChecksum(FilledHash(1), bytes)};
    Writer preimage;
    preimage.WriteUint256(FilledHash(1));
    preimage.WriteBytes(bytes);
    EXPECT_EQ(sum, Sha256d(preimage.data()));
    EXPECT_NE(sum, UndoChecksum(FilledHash(2), bytes));
}

TEST(UndoTest, FileRoundTripAndChecksumFailure)
{
    TempDir dir;
    auto storage_result = BlockStorage::Open(dir.path(), MAGIC);
    ASSERT_TRUE(storage_result);
    auto& storage = **storage_result;
    std::vector<std::pair<FlatFilePos, BlockUndo>> written;
    for (uint64_t seed = 0; seed < 10; ++seed) {
        const BlockUndo undo{RandomUndo(seed)};
        const auto pos = storage.WriteUndo(undo, FilledHash(static_cast<uint8_t>(seed)));
        ASSERT_TRUE(pos) << pos.error_message();
        written.emplace_back(*pos, undo);
    }
    ASSERT_TRUE(storage.FlushFiles());
    for (size_t i = 0; i < written.size(); ++i) {
        const auto read = storage.ReadUndo(written[i].first, FilledHash(static_cast<uint8_t>(i)));
        ASSERT_TRUE(read) << read.error_message();
        EXPECT_EQ(*read, written[i].second);
    }
    // Paired with the wrong block: checksum mismatch.
    const auto wrong = storage.ReadUndo(written[3].first, FilledHash(4));
    ASSERT_FALSE(wrong);
    EXPECT_NE(wrong.error_message().find("checksum mismatch"), std::string::npos);

    // A flipped byte in the payload: checksum mismatch, not a crash.
    const auto path = storage.UndoFilePath(0);
    std::fstream file{path, std::ios::in | std::ios::out | std::ios::binary};
    file.seekg(written[5].first.offset + RECORD_HEADER_SIZE);
    char byte{0};
    file.get(byte);
    file.seekp(written[5].first.offset + RECORD_HEADER_SIZE);
    file.put(static_cast<char>(byte ^ 1));
    file.close();
    const auto corrupt = storage.ReadUndo(written[5].first, FilledHash(5));
    ASSERT_FALSE(corrupt);
    EXPECT_NE(corrupt.error_message().find("checksum mismatch"), std::string::npos);
    EXPECT_TRUE(storage.ReadUndo(written[6].first, FilledHash(6)));

    // Truncated file.
    std::filesystem::resize_file(path, written[9].first.offset + 5);
    const auto truncated = storage.ReadUndo(written[9].first, FilledHash(9));
    ASSERT_FALSE(truncated);
    EXPECT_NE(truncated.error_message().find("truncated"), std::string::npos);
}

}  // namespace
}  // namespace hpips
