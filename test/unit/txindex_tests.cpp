// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The transaction index (src/chain/txindex.cpp): building from the block
// files, following new blocks, rewinding on a reorg (while running and
// across a restart), resuming after a restart, and a best block the
// chainstate does not know.
#include <chain/chainstate.h>
#include <chain/dbwrapper.h>
#include <chain/txindex.h>

#include <leveldb/write_batch.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "chainstate_test_util.h"

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace hpips {
namespace {

using test::ChainstateTest;
using test::MineAndSubmit;
using test::MineOn;
using test::Options;
using test::Regtest;
using test::TempDir;
using test::TestClock;
using test::Wallet;

/** Generous: the index catches up with a few dozen blocks in milliseconds. */
constexpr std::chrono::milliseconds WAIT{60'000};

class TxIndexTest : public ChainstateTest {
protected:
    std::filesystem::path IndexDir() const { return index_dir.path() / "txindex"; }

    std::unique_ptr<TxIndex> OpenIndex(Chainstate& chain, bool start = true)
    {
        TxIndexOptions options;
        options.dir = IndexDir();
        options.fatal_error = [this](const std::string& message) { fatal_errors.push_back(message); };
        auto index = TxIndex::Open(chain, std::move(options));
        EXPECT_TRUE(index) << (index ? "" : index.error_message());
        if (!index) return nullptr;
        if (start) (*index)->Start();
        return std::move(*index);
    }

    /** The coinbase txid of the active block at `height`. */
    uint256 CoinbaseAt(const Chainstate& chain, int64_t height) const
    {
        return chain.ReadBlock(*chain.GetBlockHashAt(height))->txs[0].GetTxid();
    }

    /** Whether the database holds an entry for `txid` (the index must be closed). */
    bool HasEntry(const uint256& txid) const
    {
        DBOptions options;
        options.format_version = TXINDEX_FORMAT_VERSION;
        auto db = Database::Open(IndexDir(), options);
        EXPECT_TRUE(db);
        std::string key{"t"};
        key.append(reinterpret_cast<const char*>(txid.data()), uint256::SIZE);
        auto value = (*db)->Read(key);
        EXPECT_TRUE(value);
        return value && value->has_value();
    }

    /** Mines `count` blocks whose coinbases differ from those of another
     *  branch at the same heights: a coinbase's txid depends only on height,
     *  payout and fees (its extra nonce is in the witness), so the branch
     *  pays another key. */
    void MineBranch(Chainstate& chain, TestClock& chain_clock, int count)
    {
        Wallet other;
        other.key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x43));
        for (int i = 0; i < count; ++i) {
            const Block block = MineOn(chain, other, chain_clock);
            BlockValidationState state;
            ASSERT_TRUE(chain.ProcessNewBlock(block, state)) << state.ToString();
        }
    }

    bool Found(const TxIndex& index, const uint256& txid) const
    {
        auto found = index.FindTx(txid);
        EXPECT_TRUE(found);
        return found && found->has_value();
    }

    TempDir index_dir;
    std::vector<std::string> fatal_errors;
};

TEST_F(TxIndexTest, BuildsFromTheBlockFilesAndFindsTransactions)
{
    MineAndSubmit(chainstate, wallet, clock, 12);
    auto index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    const TxIndexSummary summary = index->Summary();
    EXPECT_TRUE(summary.synced);
    EXPECT_EQ(summary.best_block_height, 12);
    EXPECT_EQ(summary.best_block_hash, chainstate.TipHash());
    for (int64_t h = 1; h <= 12; ++h) {
        auto found = index->FindTx(CoinbaseAt(chainstate, h));
        ASSERT_TRUE(found && found->has_value()) << "height " << h;
        EXPECT_EQ((*found)->block_hash, *chainstate.GetBlockHashAt(h));
        EXPECT_EQ((*found)->position, 0u);
        EXPECT_EQ((*found)->tx.GetTxid(), CoinbaseAt(chainstate, h));
    }
    // The genesis coinbase is not indexed, and an unknown txid is simply absent.
    EXPECT_FALSE(Found(*index, Regtest().genesis.txs[0].GetTxid()));
    EXPECT_FALSE(Found(*index, uint256{}));
    EXPECT_TRUE(fatal_errors.empty());
}

TEST_F(TxIndexTest, FollowsNewBlocksAndRewindsOnAReorg)
{
    MineAndSubmit(chainstate, wallet, clock, 3);
    auto index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    MineAndSubmit(chainstate, wallet, clock, 3);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    EXPECT_EQ(index->Summary().best_block_height, 6);
    std::vector<uint256> left;
    for (int64_t h = 4; h <= 6; ++h) left.push_back(CoinbaseAt(chainstate, h));
    for (const uint256& txid : left) EXPECT_TRUE(Found(*index, txid));

    BlockValidationState state;
    ASSERT_TRUE(chainstate.InvalidateBlock(*chainstate.GetBlockHashAt(4), state)) << state.ToString();
    ASSERT_TRUE(index->WaitForTip(WAIT));
    EXPECT_EQ(index->Summary().best_block_height, 3);
    for (const uint256& txid : left) EXPECT_FALSE(Found(*index, txid));

    // A new branch, longer than the old one.
    MineBranch(chainstate, clock, 4);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    EXPECT_EQ(index->Summary().best_block_height, 7);
    for (int64_t h = 4; h <= 7; ++h) EXPECT_TRUE(Found(*index, CoinbaseAt(chainstate, h)));
    for (const uint256& txid : left) EXPECT_FALSE(Found(*index, txid));
    index.reset();
    // The rewind deleted the entries, not just hid them.
    for (const uint256& txid : left) EXPECT_FALSE(HasEntry(txid));
    EXPECT_TRUE(HasEntry(CoinbaseAt(chainstate, 5)));
    EXPECT_TRUE(fatal_errors.empty());
}

TEST_F(TxIndexTest, ATransactionMinedAgainPointsAtItsNewBlock)
{
    // Same payout and fees at the same height: the same coinbase txid on both branches.
    MineAndSubmit(chainstate, wallet, clock, 3);
    auto index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    const uint256 txid = CoinbaseAt(chainstate, 3);
    const uint256 old_block = *chainstate.GetBlockHashAt(3);
    BlockValidationState state;
    ASSERT_TRUE(chainstate.InvalidateBlock(old_block, state));
    MineAndSubmit(chainstate, wallet, clock, 2);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    ASSERT_EQ(CoinbaseAt(chainstate, 3), txid);
    auto found = index->FindTx(txid);
    ASSERT_TRUE(found && found->has_value());
    EXPECT_EQ((*found)->block_hash, *chainstate.GetBlockHashAt(3));
    EXPECT_NE((*found)->block_hash, old_block);
}

TEST_F(TxIndexTest, ResumesAfterARestart)
{
    MineAndSubmit(chainstate, wallet, clock, 5);
    auto index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    index.reset();
    // Blocks connected while the index is off (-txindex=0 for a while).
    MineAndSubmit(chainstate, wallet, clock, 5);
    index = OpenIndex(chainstate, /*start=*/false);
    EXPECT_EQ(index->Summary().best_block_height, 5);
    EXPECT_FALSE(index->Summary().synced);
    index->Start();
    ASSERT_TRUE(index->WaitForTip(WAIT));
    EXPECT_EQ(index->Summary().best_block_height, 10);
    for (int64_t h = 1; h <= 10; ++h) EXPECT_TRUE(Found(*index, CoinbaseAt(chainstate, h))) << h;
}

TEST_F(TxIndexTest, RewindsAtStartWhenItsBestBlockLeftTheChain)
{
    MineAndSubmit(chainstate, wallet, clock, 5);
    auto index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    index.reset();
    const uint256 old4 = CoinbaseAt(chainstate, 4);
    const uint256 old5 = CoinbaseAt(chainstate, 5);
    BlockValidationState state;
    ASSERT_TRUE(chainstate.InvalidateBlock(*chainstate.GetBlockHashAt(4), state));
    MineBranch(chainstate, clock, 3);
    index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    EXPECT_EQ(index->Summary().best_block_height, 6);
    EXPECT_FALSE(Found(*index, old4));
    EXPECT_FALSE(Found(*index, old5));
    for (int64_t h = 1; h <= 6; ++h) EXPECT_TRUE(Found(*index, CoinbaseAt(chainstate, h))) << h;
    index.reset();
    EXPECT_FALSE(HasEntry(old4));
    EXPECT_FALSE(HasEntry(old5));
}

TEST_F(TxIndexTest, UnknownBestBlockResumesFromTheLocator)
{
    // The index follows this chain to height 4 ...
    MineAndSubmit(chainstate, wallet, clock, 4);
    auto index = OpenIndex(chainstate);
    ASSERT_TRUE(index->WaitForTip(WAIT));
    const uint256 stale = CoinbaseAt(chainstate, 4);
    index.reset();
    // ... then opens over a chainstate that never saw those blocks (as after
    // a crash that lost the block index): it starts again from genesis, the
    // last locator entry that chain knows, and never serves a stale entry.
    TempDir other_dir;
    TestClock other_clock;
    other_clock.now += 7;
    auto other = Chainstate::Open(Regtest(), Options(other_dir.path(), other_clock));
    ASSERT_TRUE(other);
    MineBranch(**other, other_clock, 2);
    index = OpenIndex(**other, /*start=*/false);
    EXPECT_EQ(index->Summary().best_block_height, 0);
    index->Start();
    ASSERT_TRUE(index->WaitForTip(WAIT));
    EXPECT_EQ(index->Summary().best_block_height, 2);
    EXPECT_FALSE(Found(*index, stale));
    EXPECT_TRUE(Found(*index, CoinbaseAt(**other, 2)));
    index.reset();
}

TEST_F(TxIndexTest, CorruptBestBlockRecordIsAnError)
{
    {
        DBOptions options;
        options.format_version = TXINDEX_FORMAT_VERSION;
        auto db = Database::Open(IndexDir(), options);
        ASSERT_TRUE(db);
    }
    // A record one byte short of its 8-byte height.
    {
        DBOptions options;
        options.format_version = TXINDEX_FORMAT_VERSION;
        auto db = Database::Open(IndexDir(), options);
        ASSERT_TRUE(db);
        leveldb::WriteBatch batch;
        batch.Put("B", std::string(7, '\0'));
        ASSERT_TRUE((*db)->Write(batch, true));
    }
    TxIndexOptions options;
    options.dir = IndexDir();
    auto index = TxIndex::Open(chainstate, std::move(options));
    ASSERT_FALSE(index);
    EXPECT_NE(index.error_message().find("corrupt best block record"), std::string::npos);
}

}  // namespace
}  // namespace hpips
