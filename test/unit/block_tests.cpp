// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/block.h>

#include <crypto/sha256.h>
#include <primitives/merkle.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include "primitives_test_util.h"

#include <functional>

namespace hpips {
namespace {

using test::FilledHash;
using test::FilledKey;

BlockHeader SampleHeader()
{
    BlockHeader h;
    h.version = 1;
    h.prev_block = FilledHash(0x01);
    h.merkle_root = FilledHash(0x02);
    h.time = 0x5f5e1000;
    h.bits = 0x1d00ffff;
    h.proof.miner_key = FilledKey(0x03);
    h.proof.nonce = 0x0102030405060708;
    h.proof.unit_id = FilledHash(0x04);
    h.proof.tile_index = 17;
    h.proof.state = FilledKey(0x05);
    return h;
}

Block SampleBlock()
{
    Block block;
    MutableTransaction coinbase;
    coinbase.inputs.push_back(TxIn{OutPoint{}, 0, {}});
    coinbase.outputs.push_back(TxOut{50 * COIN, Destination::ForKey(FilledKey(0x07))});
    coinbase.lock_time = 1;
    MutableTransaction spend;
    spend.inputs.push_back(TxIn{OutPoint{FilledHash(0x08), 0}, SEQUENCE_FINAL, std::vector<uint8_t>(64, 0x09)});
    spend.outputs.push_back(TxOut{COIN, Destination::ForKey(FilledKey(0x0a))});
    block.txs = {Transaction{coinbase}, Transaction{spend}};
    block.header = SampleHeader();
    block.header.merkle_root = BlockMerkleRoot(block.txs);
    block.opening = {1, 2, 3, 4, 5};
    return block;
}

TEST(BlockHeaderTest, LayoutIs184Bytes)
{
    const BlockHeader h = SampleHeader();
    const auto bytes = EncodeBlockHeader(h);
    ASSERT_EQ(bytes.size(), 184u);
    const std::string expected = std::string{"01000000"} + HexStr(FilledHash(1).span()) + HexStr(FilledHash(2).span()) +
                                 "00105e5f" + "ffff001d" + HexStr(FilledKey(3)) + "0807060504030201" +
                                 HexStr(FilledHash(4).span()) + "11000000" + HexStr(FilledKey(5));
    EXPECT_EQ(HexStr(bytes), expected);
    const auto tmpl = h.SerializeTemplate();
    EXPECT_EQ(HexStr(tmpl), expected.substr(0, 2 * BLOCK_HEADER_TEMPLATE_SIZE));
    EXPECT_EQ(h.GetHash(), Sha256d(bytes));
    // Independently computed with Python's hashlib from the same bytes.
    EXPECT_EQ(h.GetHash().GetHex(), "70148881114534824750356a6c370e25e3b29d5ac5afd54c729cf800970e63e2");
}

TEST(BlockHeaderTest, RoundTrip)
{
    const BlockHeader h = SampleHeader();
    const auto bytes = EncodeBlockHeader(h);
    auto decoded = DecodeBlockHeader(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, h);
    EXPECT_EQ(EncodeBlockHeader(*decoded), bytes);

    BlockHeader negative = h;
    negative.version = -1;
    auto decoded_negative = DecodeBlockHeader(EncodeBlockHeader(negative));
    ASSERT_TRUE(decoded_negative);
    EXPECT_EQ(decoded_negative->version, -1);
}

TEST(BlockHeaderTest, TruncatedAndTrailingRejected)
{
    const auto bytes = EncodeBlockHeader(SampleHeader());
    for (size_t len = 0; len < bytes.size(); ++len) {
        auto decoded = DecodeBlockHeader(std::span{bytes}.first(len));
        ASSERT_FALSE(decoded) << len;
        EXPECT_EQ(decoded.error_message(), "truncated") << len;
    }
    std::vector<uint8_t> longer{bytes.begin(), bytes.end()};
    longer.push_back(0);
    auto decoded = DecodeBlockHeader(longer);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "trailing bytes");
}

TEST(BlockHeaderTest, EveryFieldChangesTheHash)
{
    const uint256 base = SampleHeader().GetHash();
    const std::vector<std::function<void(BlockHeader&)>> changes{
        [](BlockHeader& h) { h.version += 1; },
        [](BlockHeader& h) { h.prev_block = FilledHash(0x11); },
        [](BlockHeader& h) { h.merkle_root = FilledHash(0x12); },
        [](BlockHeader& h) { h.time += 1; },
        [](BlockHeader& h) { h.bits ^= 1; },
        [](BlockHeader& h) { h.proof.miner_key[0] ^= 1; },
        [](BlockHeader& h) { h.proof.nonce += 1; },
        [](BlockHeader& h) { h.proof.unit_id = FilledHash(0x13); },
        [](BlockHeader& h) { h.proof.tile_index += 1; },
        [](BlockHeader& h) { h.proof.state[31] ^= 1; },
    };
    for (size_t i = 0; i < changes.size(); ++i) {
        BlockHeader h = SampleHeader();
        changes[i](h);
        EXPECT_NE(h.GetHash(), base) << i;
    }
}

TEST(BlockHeaderTest, TemplateExcludesProof)
{
    BlockHeader h = SampleHeader();
    const auto tmpl = h.SerializeTemplate();
    h.proof.nonce += 1;
    h.proof.state.fill(0);
    EXPECT_EQ(h.SerializeTemplate(), tmpl);
    h.time += 1;
    EXPECT_NE(h.SerializeTemplate(), tmpl);
}

TEST(BlockTest, RoundTrip)
{
    const Block block = SampleBlock();
    const auto bytes = EncodeBlock(block);
    auto decoded = DecodeBlock(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, block);
    EXPECT_EQ(decoded->GetHash(), block.GetHash());
    EXPECT_EQ(EncodeBlock(*decoded), bytes);
    // Layout: header, tx count, transactions, opening length, opening.
    EXPECT_EQ(bytes.size(), BLOCK_HEADER_SIZE + 1 + block.txs[0].GetTotalSize() + block.txs[1].GetTotalSize() + 1 +
                                block.opening.size());
    EXPECT_EQ(bytes[BLOCK_HEADER_SIZE], 2);
    EXPECT_EQ(bytes[bytes.size() - 6], 5);
}

TEST(BlockTest, EmptyBlockRoundTrips)
{
    const Block block{};
    const auto bytes = EncodeBlock(block);
    EXPECT_EQ(bytes.size(), BLOCK_HEADER_SIZE + 2);
    auto decoded = DecodeBlock(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, block);
}

TEST(BlockTest, TruncatedAtEveryLength)
{
    const auto bytes = EncodeBlock(SampleBlock());
    for (size_t len = 0; len < bytes.size(); ++len) {
        auto decoded = DecodeBlock(std::span{bytes}.first(len));
        ASSERT_FALSE(decoded) << len;
        EXPECT_EQ(decoded.error_message(), "truncated") << len;
    }
}

TEST(BlockTest, TrailingBytesRejected)
{
    auto bytes = EncodeBlock(SampleBlock());
    bytes.push_back(0);
    auto decoded = DecodeBlock(bytes);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "trailing bytes");
}

TEST(BlockTest, OversizedOpeningRejected)
{
    Block block = SampleBlock();
    block.opening.assign(MAX_OPENING_SIZE, 0xee);
    ASSERT_TRUE(DecodeBlock(EncodeBlock(block)));
    block.opening.push_back(0xee);
    auto decoded = DecodeBlock(EncodeBlock(block));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "vector length " + std::to_string(MAX_OPENING_SIZE + 1) +
                                           " exceeds maximum " + std::to_string(MAX_OPENING_SIZE));
}

TEST(BlockTest, OversizedTransactionCountRejected)
{
    Writer w;
    WriteBlockHeader(w, SampleHeader());
    w.WriteCompactSize(MAX_BLOCK_TXS + 1);
    auto decoded = DecodeBlock(w.data());
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "vector length " + std::to_string(MAX_BLOCK_TXS + 1) + " exceeds maximum " +
                                           std::to_string(MAX_BLOCK_TXS));

    Writer w2;
    WriteBlockHeader(w2, SampleHeader());
    w2.WriteCompactSize(1000);
    w2.WriteBytes(std::vector<uint8_t>(100, 0));
    auto short_input = DecodeBlock(w2.data());
    ASSERT_FALSE(short_input);
    EXPECT_EQ(short_input.error_message(), "truncated");
}

TEST(BlockTest, NonCanonicalCompactSizeRejected)
{
    const Block block = SampleBlock();
    const auto bytes = EncodeBlock(block);
    std::vector<uint8_t> bad{bytes.begin(), bytes.begin() + BLOCK_HEADER_SIZE};
    bad.insert(bad.end(), {0xfd, 0x02, 0x00});
    bad.insert(bad.end(), bytes.begin() + BLOCK_HEADER_SIZE + 1, bytes.end());
    auto decoded = DecodeBlock(bad);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "non-canonical CompactSize");
}

TEST(BlockTest, TooLargeInputRejectedBeforeParsing)
{
    const std::vector<uint8_t> huge(MAX_BLOCK_SIZE + 1, 0);
    auto decoded = DecodeBlock(huge);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "block size " + std::to_string(MAX_BLOCK_SIZE + 1) + " exceeds maximum " +
                                           std::to_string(MAX_BLOCK_SIZE));
}

}  // namespace
}  // namespace hpips
