// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Moving the active chain (src/chain/chain_activation.cpp): which tip wins a
// tie across restarts, and what a system failure (unreadable undo data, a
// failed write) does — stop with a message, never mark a block invalid.
#include <chain/chainstate.h>
#include <chain/mempool.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "chainstate_test_util.h"

#include <sys/resource.h>

#include <csignal>
#include <fstream>
#include <memory>
#include <string>
#include <vector>

namespace hpips {
namespace {

using test::MineAndSubmit;
using test::MineOn;
using test::Options;
using test::Regtest;
using test::TempDir;
using test::TestClock;
using test::Wallet;

/** Blocks 1..height of `chainstate`'s active chain. */
std::vector<Block> ActiveBlocks(const Chainstate& chainstate)
{
    std::vector<Block> blocks;
    for (int64_t h = 1; h <= chainstate.Height(); ++h) {
        blocks.push_back(*chainstate.ReadBlock(*chainstate.GetBlockHashAt(h)));
    }
    return blocks;
}

/** A chain of `count` blocks mined by a chainstate of its own, whose clock
 *  starts `time_offset` seconds later (different times: different blocks). */
std::vector<Block> MineChain(int count, int64_t time_offset)
{
    TempDir dir;
    TestClock clock;
    clock.now += time_offset;
    Wallet wallet;
    auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
    EXPECT_TRUE(chainstate);
    MineAndSubmit(**chainstate, wallet, clock, count);
    return ActiveBlocks(**chainstate);
}

bool Submit(Chainstate& chainstate, const Block& block, BlockValidationState& state)
{
    return chainstate.ProcessNewBlock(block, state);
}

bool IsMarkedInvalid(const Chainstate& chainstate, const uint256& hash)
{
    const auto info = chainstate.GetBlockInfo(hash);
    return info && (info->status & (StatusBit(BlockStatus::FAILED) | StatusBit(BlockStatus::FAILED_CHILD))) != 0;
}

TEST(ChainActivation, TheFirstSeenOfEqualWorkTipsStaysTheTipAcrossRestarts)
{
    const Block a = MineChain(1, 0).front();
    const Block b = MineChain(1, 7).front();
    ASSERT_NE(a.GetHash(), b.GetHash());
    for (const auto& [first, second] : {std::pair{&a, &b}, std::pair{&b, &a}}) {
        TempDir dir;
        TestClock clock;
        clock.now += 100;
        {
            auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
            ASSERT_TRUE(chainstate);
            BlockValidationState state;
            ASSERT_TRUE(Submit(**chainstate, *first, state)) << state.ToString();
            ASSERT_TRUE(Submit(**chainstate, *second, state)) << state.ToString();
            EXPECT_EQ((*chainstate)->TipHash(), first->GetHash());
        }
        for (int restart = 0; restart < 3; ++restart) {
            auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
            ASSERT_TRUE(chainstate) << chainstate.error_message();
            EXPECT_EQ((*chainstate)->TipHash(), first->GetHash()) << "restart " << restart;
        }
    }
}

TEST(ChainActivation, CorruptUndoDataStopsTheNodeAndMarksNothingInvalid)
{
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    uint256 old_tip;
    {
        auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
        ASSERT_TRUE(chainstate);
        MineAndSubmit(**chainstate, wallet, clock, 4);
        old_tip = (*chainstate)->TipHash();
    }
    // Flip the last byte of the undo file: the checksum of block 4's undo record.
    const auto rev = dir.path() / "blocks" / "rev00000.dat";
    {
        std::fstream file{rev, std::ios::in | std::ios::out | std::ios::binary};
        ASSERT_TRUE(file);
        file.seekg(-1, std::ios::end);
        char byte{0};
        file.read(&byte, 1);
        file.seekp(-1, std::ios::end);
        byte = static_cast<char>(byte ^ 0x01);
        file.write(&byte, 1);
    }
    const std::vector<Block> fork = MineChain(5, 7);  // more work: a reorg that disconnects block 4

    std::vector<std::string> fatal_messages;
    auto options = Options(dir.path(), clock);
    options.fatal_error = [&](const std::string& message) { fatal_messages.push_back(message); };
    auto chainstate = Chainstate::Open(Regtest(), options);
    ASSERT_TRUE(chainstate) << chainstate.error_message();
    auto mempool = std::make_unique<Mempool>(**chainstate, MempoolOptions{});
    BlockValidationState state;
    for (size_t i = 0; i + 1 < fork.size(); ++i) {
        ASSERT_TRUE(Submit(**chainstate, fork[i], state)) << state.ToString();
    }
    EXPECT_FALSE(Submit(**chainstate, fork.back(), state));
    EXPECT_TRUE(state.IsError()) << state.ToString();
    EXPECT_EQ(state.GetFailure(), BlockFailure::SYSTEM);
    ASSERT_EQ(fatal_messages.size(), 1u);
    EXPECT_NE(fatal_messages[0].find("rev00000.dat"), std::string::npos) << fatal_messages[0];
    EXPECT_NE(fatal_messages[0].find("-reindex"), std::string::npos) << fatal_messages[0];
    EXPECT_TRUE((*chainstate)->HasFatalError());
    // Nothing was blamed on the blocks, and the node stayed where it was.
    EXPECT_EQ((*chainstate)->TipHash(), old_tip);
    for (const Block& block : fork) EXPECT_FALSE(IsMarkedInvalid(**chainstate, block.GetHash()));
    // It refuses further changes rather than wedging silently.
    BlockValidationState after;
    EXPECT_FALSE(Submit(**chainstate, fork.back(), after));
    EXPECT_EQ(after.GetFailure(), BlockFailure::SYSTEM);
    EXPECT_EQ(fatal_messages.size(), 1u);

    // -reindex rebuilds from the block files and then follows the fork.
    mempool.reset();
    chainstate->reset();
    auto reindex_options = Options(dir.path(), clock);
    reindex_options.reindex = true;
    auto reindexed = Chainstate::Open(Regtest(), reindex_options);
    ASSERT_TRUE(reindexed) << reindexed.error_message();
    EXPECT_EQ((*reindexed)->TipHash(), fork.back().GetHash());
}

TEST(ChainActivationDeathTest, AFailedBlockWriteIsASystemFailure)
{
    // "fast" (fork) style: the child continues from this process's files.
    GTEST_FLAG_SET(death_test_style, "fast");
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    {
        auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
        ASSERT_TRUE(chainstate);
        MineAndSubmit(**chainstate, wallet, clock, 2);
    }
    const std::vector<Block> next = MineChain(3, 0);  // the same first two blocks, then a third
    const auto blk = dir.path() / "blocks" / "blk00000.dat";
    // Runs in the forked child: 0 when the failure was handled as it must be.
    const auto child = [&]() -> int {
        int fatal_calls = 0;
        auto options = Options(dir.path(), clock);
        options.fatal_error = [&](const std::string&) { ++fatal_calls; };
        auto chainstate = Chainstate::Open(Regtest(), options);
        if (!chainstate || (*chainstate)->Height() != 2) return 10;
        // The disk is "full": no file may grow past the block file's size.
        std::signal(SIGXFSZ, SIG_IGN);
        const auto size = static_cast<rlim_t>(std::filesystem::file_size(blk));
        const rlimit limit{size, size};
        if (::setrlimit(RLIMIT_FSIZE, &limit) != 0) return 11;
        BlockValidationState state;
        if ((*chainstate)->ProcessNewBlock(next[2], state)) return 12;
        if (state.GetFailure() != BlockFailure::SYSTEM || fatal_calls != 1) return 13;
        // Not remembered as invalid: a restart with space accepts it.
        if (IsMarkedInvalid(**chainstate, next[2].GetHash())) return 14;
        if ((*chainstate)->Height() != 2) return 15;
        return 0;
    };
    EXPECT_EXIT(std::_Exit(child()), ::testing::ExitedWithCode(0), "");
    auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
    ASSERT_TRUE(chainstate);
    BlockValidationState state;
    EXPECT_TRUE(Submit(**chainstate, next[2], state)) << state.ToString();
    EXPECT_EQ((*chainstate)->Height(), 3);
}

TEST(ChainActivation, TheMempoolFollowsTheChainByItself)
{
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
    ASSERT_TRUE(chainstate);
    Mempool mempool{**chainstate, MempoolOptions{}};
    MineAndSubmit(**chainstate, wallet, clock, 101);
    const Block first = *(*chainstate)->ReadBlock(*(*chainstate)->GetBlockHashAt(1));
    const Transaction spend = test::SignSpend(wallet, OutPoint{first.txs[0].GetTxid(), 0}, first.txs[0].outputs()[0], 5000);
    ASSERT_TRUE(mempool.AcceptToMemoryPool(spend).Accepted());
    const Block with_spend = MineOn(**chainstate, wallet, clock, {spend}, 5000);
    BlockValidationState state;
    ASSERT_TRUE(Submit(**chainstate, with_spend, state)) << state.ToString();
    EXPECT_FALSE(mempool.Exists(spend.GetTxid()));
    // invalidateblock puts it back without anyone asking the pool.
    ASSERT_TRUE((*chainstate)->InvalidateBlock(with_spend.GetHash(), state)) << state.ToString();
    EXPECT_TRUE(mempool.Exists(spend.GetTxid()));
    ASSERT_TRUE((*chainstate)->ReconsiderBlock(with_spend.GetHash(), state)) << state.ToString();
    EXPECT_FALSE(mempool.Exists(spend.GetTxid()));
}

}  // namespace
}  // namespace hpips
