// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The chain's entry points (src/chain/block_accept.cpp): ProcessNewBlock,
// ProcessNewBlockHeaders, TestBlockValidity, and the failure classes they
// report.
#include <chain/chainstate.h>
#include <consensus/validation_state.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "chainstate_test_util.h"

#include <atomic>
#include <thread>
#include <vector>

namespace hpips {
namespace {

using test::ChainstateTest;
using test::MineAndSubmit;
using test::MineOn;
using test::Options;
using test::Regtest;
using test::SignSpend;
using test::TempDir;
using test::TestClock;
using test::Wallet;

/** `count` blocks mined on a separate chainstate (a chain the one under test has not seen). */
std::vector<Block> ForeignChain(int count, int64_t time_offset)
{
    TempDir dir;
    TestClock clock;
    clock.now += time_offset;
    Wallet wallet;
    auto other = Chainstate::Open(Regtest(), Options(dir.path(), clock));
    EXPECT_TRUE(other);
    MineAndSubmit(**other, wallet, clock, count);
    std::vector<Block> blocks;
    for (int64_t h = 1; h <= count; ++h) blocks.push_back(*(*other)->ReadBlock(*(*other)->GetBlockHashAt(h)));
    return blocks;
}

TEST(BlockFailureClasses, WhatACallerMayDo)
{
    EXPECT_TRUE(IsRememberedInvalid(BlockFailure::CONSENSUS));
    EXPECT_TRUE(IsRememberedInvalid(BlockFailure::POUW));
    for (const BlockFailure f : {BlockFailure::MUTATED, BlockFailure::TIME_FUTURE, BlockFailure::MISSING_PREV,
                                 BlockFailure::DUPLICATE, BlockFailure::SYSTEM, BlockFailure::BAD_REQUEST}) {
        EXPECT_FALSE(IsRememberedInvalid(f));
    }
    EXPECT_TRUE(IsPeerMisbehaviour(BlockFailure::MUTATED));
    for (const BlockFailure f :
         {BlockFailure::TIME_FUTURE, BlockFailure::MISSING_PREV, BlockFailure::DUPLICATE, BlockFailure::SYSTEM}) {
        EXPECT_FALSE(IsPeerMisbehaviour(f));
    }
    BlockValidationState state;
    state.Invalid(BlockFailure::SYSTEM, "system-error");
    EXPECT_TRUE(state.IsError());
    state.Invalid(BlockFailure::CONSENSUS, "bad-cb-amount");
    EXPECT_FALSE(state.IsError());
}

TEST_F(ChainstateTest, AKnownBlockIsADuplicateNotAFailure)
{
    const Block block = MineOn(chainstate, wallet, clock);
    BlockValidationState first;
    bool new_block{false};
    ASSERT_TRUE(chainstate.ProcessNewBlock(block, first, &new_block)) << first.ToString();
    EXPECT_TRUE(new_block);
    BlockValidationState second;
    EXPECT_FALSE(chainstate.ProcessNewBlock(block, second, &new_block));
    EXPECT_FALSE(new_block);
    EXPECT_EQ(second.GetFailure(), BlockFailure::DUPLICATE);
    EXPECT_EQ(second.GetReason(), "duplicate");
    EXPECT_FALSE(chainstate.GetBlockInfo(block.GetHash())->status & StatusBit(BlockStatus::FAILED));
}

TEST_F(ChainstateTest, HeadersFirstThenBlocksInAnyOrder)
{
    const std::vector<Block> blocks = ForeignChain(4, 0);
    std::vector<BlockHeader> headers;
    for (const Block& block : blocks) headers.push_back(block.header);
    BlockValidationState state;
    uint256 last;
    ASSERT_TRUE(chainstate.ProcessNewBlockHeaders(headers, state, &last)) << state.ToString();
    EXPECT_EQ(last, blocks.back().GetHash());
    // Headers never count as work: the tip stays at genesis.
    EXPECT_EQ(chainstate.BestHeaderHeight(), 4);
    EXPECT_EQ(chainstate.Height(), 0);
    EXPECT_EQ(chainstate.GetChainTips().front().status, "headers-only");
    // Known headers again: accepted, nothing changes.
    ASSERT_TRUE(chainstate.ProcessNewBlockHeaders(headers, state, &last)) << state.ToString();

    // Blocks arrive out of order (as from parallel download): each waits for
    // its parent's data, then the whole chain connects.
    for (const size_t i : {3u, 1u, 2u}) {
        BlockValidationState block_state;
        ASSERT_TRUE(chainstate.ProcessNewBlock(blocks[i], block_state)) << block_state.ToString();
        EXPECT_EQ(chainstate.Height(), 0);
    }
    BlockValidationState block_state;
    ASSERT_TRUE(chainstate.ProcessNewBlock(blocks[0], block_state)) << block_state.ToString();
    EXPECT_EQ(chainstate.Height(), 4);
    EXPECT_EQ(chainstate.TipHash(), blocks.back().GetHash());
}

TEST_F(ChainstateTest, HeadersAreCheckedCheaply)
{
    const std::vector<Block> blocks = ForeignChain(2, 0);
    BlockValidationState state;
    // A header whose parent is unknown.
    EXPECT_FALSE(chainstate.ProcessNewBlockHeaders(std::vector<BlockHeader>{blocks[1].header}, state));
    EXPECT_EQ(state.GetFailure(), BlockFailure::MISSING_PREV);
    // A forged ticket (no valid x-only key has x = 2^256 - 1).
    BlockHeader forged = blocks[0].header;
    forged.proof.miner_key.fill(0xff);
    BlockValidationState forged_state;
    EXPECT_FALSE(chainstate.ProcessNewBlockHeaders(std::vector<BlockHeader>{forged}, forged_state));
    EXPECT_EQ(forged_state.GetFailure(), BlockFailure::POUW) << forged_state.ToString();
    // Wrong bits for the height.
    BlockHeader bad_bits = blocks[0].header;
    bad_bits.bits -= 1;
    BlockValidationState bits_state;
    EXPECT_FALSE(chainstate.ProcessNewBlockHeaders(std::vector<BlockHeader>{bad_bits}, bits_state));
    EXPECT_NE(bits_state.GetFailure(), BlockFailure::NONE);
    EXPECT_EQ(chainstate.BestHeaderHeight(), 0);
}

TEST_F(ChainstateTest, AnUnrequestedBlockWithLessWorkIsIgnored)
{
    MineAndSubmit(chainstate, wallet, clock, 2);
    const std::vector<Block> fork = ForeignChain(1, 7);
    BlockValidationState state;
    bool new_block{true};
    EXPECT_TRUE(chainstate.ProcessNewBlock(fork[0], state, &new_block, /*force_processing=*/false));
    EXPECT_FALSE(new_block);
    EXPECT_FALSE(chainstate.GetBlockInfo(fork[0].GetHash()));
    // Requested, it is stored on its side branch.
    EXPECT_TRUE(chainstate.ProcessNewBlock(fork[0], state, &new_block, /*force_processing=*/true));
    EXPECT_TRUE(new_block);
    EXPECT_TRUE(chainstate.GetBlockInfo(fork[0].GetHash()));
    EXPECT_EQ(chainstate.Height(), 2);
}

TEST_F(ChainstateTest, TestBlockValidityChecksWithoutStoring)
{
    MineAndSubmit(chainstate, wallet, clock, 100);
    const Block first = *chainstate.ReadBlock(*chainstate.GetBlockHashAt(1));
    const OutPoint prevout{first.txs[0].GetTxid(), 0};
    const Transaction spend = SignSpend(wallet, prevout, first.txs[0].outputs()[0], 1234);
    clock.now += 60;
    auto tmpl = CreateBlockTemplate(chainstate, wallet.Dest(), std::vector<Transaction>{spend}, 0, clock.now);
    ASSERT_TRUE(tmpl);
    BlockValidationState state;
    Amount fees{0};
    ASSERT_TRUE(chainstate.TestBlockValidity(tmpl->block, state, TestBlockOptions{.check_pouw = false}, &fees))
        << state.ToString();
    EXPECT_EQ(fees, 1234);
    // Nothing was stored or spent.
    EXPECT_EQ(chainstate.Height(), 100);
    EXPECT_FALSE(chainstate.GetBlockInfo(tmpl->block.GetHash()));
    EXPECT_TRUE(chainstate.GetCoin(prevout));
    // Unmined (no opening yet), the proof fails when asked for.
    BlockValidationState pouw_state;
    EXPECT_FALSE(chainstate.TestBlockValidity(tmpl->block, pouw_state));
    EXPECT_TRUE(IsPeerMisbehaviour(pouw_state.GetFailure())) << pouw_state.ToString();
    EXPECT_EQ(pouw_state.GetReason().rfind("bad-pouw-", 0), 0u) << pouw_state.ToString();

    // Spending the same coin twice in one block.
    const Transaction again = SignSpend(wallet, prevout, first.txs[0].outputs()[0], 99);
    auto twice = CreateBlockTemplate(chainstate, wallet.Dest(), std::vector<Transaction>{spend, again}, 0, clock.now);
    ASSERT_TRUE(twice);
    BlockValidationState twice_state;
    EXPECT_FALSE(chainstate.TestBlockValidity(twice->block, twice_state, TestBlockOptions{.check_pouw = false}));
    EXPECT_EQ(twice_state.GetFailure(), BlockFailure::CONSENSUS);
    EXPECT_EQ(twice_state.GetReason(), "bad-txns-inputs-missingorspent");

    // Not on the tip: inconclusive.
    const Block mined = MineOn(chainstate, wallet, clock);
    ASSERT_TRUE(chainstate.ProcessNewBlock(mined, state)) << state.ToString();
    BlockValidationState stale_state;
    EXPECT_FALSE(chainstate.TestBlockValidity(tmpl->block, stale_state, TestBlockOptions{.check_pouw = false}));
    EXPECT_EQ(stale_state.GetReason(), "inconclusive-not-best-prevblk");
}

TEST_F(ChainstateTest, ConcurrentSubmittersAndReadersAgree)
{
    const std::vector<Block> blocks = ForeignChain(12, 0);
    clock.now += 12 * 60;  // the foreign chain's last block is not in the future
    std::atomic<bool> done{false};
    std::atomic<int> failures{0};
    // Two threads bring the same blocks (as two peers would), two read.
    const auto submit = [&] {
        for (const Block& block : blocks) {
            BlockValidationState state;
            if (!chainstate.ProcessNewBlock(block, state) && state.GetFailure() != BlockFailure::DUPLICATE) {
                ++failures;
            }
        }
    };
    const auto read = [&] {
        while (!done) {
            const BlockInfo tip = chainstate.TipInfo();
            if (!chainstate.ReadBlock(tip.hash)) ++failures;
            if (chainstate.Height() < tip.height) ++failures;
        }
    };
    std::thread reader_a{read};
    std::thread reader_b{[&] {
        while (!done) {
            if (!chainstate.GetUtxoStats()) ++failures;
        }
    }};
    std::thread submitter_a{submit};
    std::thread submitter_b{submit};
    submitter_a.join();
    submitter_b.join();
    done = true;
    reader_a.join();
    reader_b.join();
    EXPECT_EQ(failures.load(), 0);
    EXPECT_EQ(chainstate.Height(), 12);

    TempDir serial_dir;
    TestClock serial_clock = clock;
    auto serial = Chainstate::Open(Regtest(), Options(serial_dir.path(), serial_clock));
    ASSERT_TRUE(serial);
    for (const Block& block : blocks) {
        BlockValidationState state;
        ASSERT_TRUE((*serial)->ProcessNewBlock(block, state)) << state.ToString();
    }
    EXPECT_EQ(chainstate.GetUtxoStats()->hash, (*serial)->GetUtxoStats()->hash);
}

}  // namespace
}  // namespace hpips
