// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/chainstate.h>
#include <consensus/params.h>
#include <consensus/pouw_check.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <pouw/engine.h>
#include <pouw/unit.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "chainstate_test_util.h"

#include <atomic>
#include <filesystem>
#include <random>

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

TEST(Chainstate, StartsAtGenesisAndPersistsBlocks)
{
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    {
        auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
        ASSERT_TRUE(chainstate) << chainstate.error_message();
        EXPECT_EQ((*chainstate)->Height(), 0);
        EXPECT_EQ((*chainstate)->TipHash(), Regtest().genesis_hash);
        MineAndSubmit(**chainstate, wallet, clock, 5);
        EXPECT_EQ((*chainstate)->Height(), 5);
    }
    auto reopened = Chainstate::Open(Regtest(), Options(dir.path(), clock));
    ASSERT_TRUE(reopened) << reopened.error_message();
    EXPECT_EQ((*reopened)->Height(), 5);
    const auto stats = (*reopened)->GetUtxoStats();
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->coins, 5u);
    EXPECT_EQ(stats->total_amount, 5 * 50 * COIN);
}

TEST_F(ChainstateTest, SpendsMaturedCoinbaseAndRejectsImmature)
{
    MineAndSubmit(chainstate, wallet, clock, 100);
    const Block first = *chainstate.ReadBlock(*chainstate.GetBlockHashAt(1));
    const OutPoint prevout{first.txs[0].GetTxid(), 0};
    const TxOut spent = first.txs[0].outputs()[0];
    const Transaction spend = SignSpend(wallet, prevout, spent, 1000);

    // Block 101 may spend the height-1 coinbase; block 100 could not have.
    // Build an immature attempt at height 100 on a fork from height 99.
    const Block mature = MineOn(chainstate, wallet, clock, {spend}, 1000);
    BlockValidationState state;
    ASSERT_TRUE(chainstate.ProcessNewBlock(mature, state)) << state.ToString();
    EXPECT_EQ(chainstate.Height(), 101);
    EXPECT_FALSE(chainstate.GetCoin(prevout));
    const auto change = chainstate.GetCoin(OutPoint{spend.GetTxid(), 0});
    ASSERT_TRUE(change);
    EXPECT_EQ(change->out.amount, 50 * COIN - 1000);
    const Block tip = *chainstate.ReadBlock(chainstate.TipHash());
    EXPECT_EQ(tip.txs[0].outputs()[0].amount, 50 * COIN + 1000);  // the fee goes to the miner

    // A second spend of the same coin is now missing its input.
    const Block double_spend = MineOn(chainstate, wallet, clock, {SignSpend(wallet, prevout, spent, 2000)}, 2000);
    BlockValidationState double_state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(double_spend, double_state));
    EXPECT_EQ(double_state.GetReason(), "bad-txns-inputs-missingorspent");
    EXPECT_EQ(chainstate.Height(), 101);
}

TEST_F(ChainstateTest, ImmatureSpendIsInvalid)
{
    MineAndSubmit(chainstate, wallet, clock, 99);
    const Block first = *chainstate.ReadBlock(*chainstate.GetBlockHashAt(1));
    const Transaction spend = SignSpend(wallet, OutPoint{first.txs[0].GetTxid(), 0}, first.txs[0].outputs()[0], 0);
    const Block premature = MineOn(chainstate, wallet, clock, {spend});  // height 100
    BlockValidationState state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(premature, state));
    EXPECT_EQ(state.GetReason(), "bad-txns-premature-spend-of-coinbase");
    EXPECT_EQ(chainstate.Height(), 99);
    // Remembered as invalid.
    BlockValidationState again;
    EXPECT_FALSE(chainstate.ProcessNewBlock(premature, again));
    EXPECT_EQ(again.GetReason(), "duplicate-invalid");
}

TEST_F(ChainstateTest, MutatedBlockIsNotRememberedAsInvalid)
{
    const Block good = MineOn(chainstate, wallet, clock);
    Block mutated = good;
    MutableTransaction coinbase = mutated.txs[0].fields();
    coinbase.inputs[0].witness[0] ^= 1;  // changes the wtxid, so the Merkle root no longer matches
    mutated.txs[0] = Transaction{coinbase};
    ASSERT_EQ(mutated.GetHash(), good.GetHash());
    BlockValidationState state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(mutated, state));
    EXPECT_EQ(state.GetReason(), "bad-txnmrklroot");
    EXPECT_EQ(state.GetFailure(), BlockFailure::MUTATED);
    BlockValidationState good_state;
    EXPECT_TRUE(chainstate.ProcessNewBlock(good, good_state)) << good_state.ToString();
    EXPECT_EQ(chainstate.Height(), 1);
}

TEST_F(ChainstateTest, MutatedOpeningIsNotRememberedAsInvalid)
{
    const Block good = MineOn(chainstate, wallet, clock);
    ASSERT_FALSE(good.opening.empty());
    // The header commits to the opening only through unit_id: a broken
    // opening says nothing about the header, so it must leave no trace.
    Block truncated = good;
    truncated.opening.pop_back();
    Block changed = good;
    changed.opening.back() ^= 1;
    for (const Block* mutated : {&truncated, &changed, &truncated}) {
        ASSERT_EQ(mutated->GetHash(), good.GetHash());
        BlockValidationState state;
        EXPECT_FALSE(chainstate.ProcessNewBlock(*mutated, state));
        EXPECT_EQ(state.GetFailure(), BlockFailure::MUTATED) << state.ToString();
        EXPECT_EQ(state.GetReason().rfind("bad-pouw-", 0), 0u) << state.GetReason();
    }
    BlockValidationState good_state;
    EXPECT_TRUE(chainstate.ProcessNewBlock(good, good_state)) << good_state.ToString();
    EXPECT_EQ(chainstate.Height(), 1);
}

TEST_F(ChainstateTest, BadProofAndBadCoinbaseAreRejectedWithReasons)
{

    Block tampered = MineOn(chainstate, wallet, clock);
    tampered.header.proof.state[0] ^= 1;
    BlockValidationState state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(tampered, state));
    EXPECT_EQ(state.GetFailure(), BlockFailure::POUW);
    EXPECT_EQ(state.GetReason().rfind("bad-pouw-", 0), 0u) << state.GetReason();

    // Too much subsidy: re-mine a template whose coinbase claims one unit more.
    clock.now += 60;
    auto tmpl = CreateBlockTemplate(chainstate, wallet.Dest(), {}, 0, clock.now);
    ASSERT_TRUE(tmpl);
    MutableTransaction greedy = tmpl->block.txs[0].fields();
    greedy.outputs[0].amount += 1;
    tmpl->block.txs[0] = Transaction{greedy};
    UpdateMerkleRoot(tmpl->block);
    auto greedy_block = MineBlock(*tmpl, Regtest(), nullptr, nullptr, nullptr);
    ASSERT_TRUE(greedy_block && greedy_block->has_value());
    BlockValidationState greedy_state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(**greedy_block, greedy_state));
    EXPECT_EQ(greedy_state.GetReason(), "bad-cb-amount");
    EXPECT_EQ(chainstate.Height(), 0);

    // Unknown parent.
    Block orphan = MineOn(chainstate, wallet, clock);
    orphan.header.prev_block = uint256{std::array<uint8_t, 32>{7}};
    BlockValidationState orphan_state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(orphan, orphan_state));
    EXPECT_EQ(orphan_state.GetReason(), "prev-blk-not-found");
}

TEST_F(ChainstateTest, SelfMadeJobUnitIsRefused)
{
    // A miner's own "job" of zero matrices (no job posted it) whose ticket
    // wins at the regtest target: the proof itself verifies, the unit is not
    // open, so the block breaks consensus (protocol.md §3, doc/jobs.md).
    clock.now += 60;
    auto tmpl = CreateBlockTemplate(chainstate, wallet.Dest(), {}, 0, clock.now);
    ASSERT_TRUE(tmpl);
    const pouw::UnitShape shape{64, 64, 64};
    pouw::WorkUnit unit;
    unit.data.shape = shape;
    unit.data.a.assign(size_t{shape.m} * shape.k, 0);
    unit.data.b.assign(size_t{shape.k} * shape.n, 0);
    unit.descriptor.kind = static_cast<uint8_t>(pouw::UnitKind::JOB);
    unit.descriptor.job_id = uint256{std::array<uint8_t, 32>{9}};
    unit.descriptor.shape = shape;
    unit.descriptor.clamp_min = -128;
    unit.descriptor.clamp_max = 127;
    unit.descriptor.a_root = pouw::ComputeARoot(unit.data);
    unit.descriptor.b_root = pouw::ComputeBRoot(unit.data);
    pouw::EngineRequest request;
    request.template_bytes = tmpl->block.header.SerializeTemplate();
    const XOnlyPubKey miner = wallet.key.GetXOnlyPubKey();
    std::copy(miner.bytes().begin(), miner.bytes().end(), request.miner_key.begin());
    request.nonce_end = 1'000'000;
    auto mined = pouw::EvaluateUnits(request, std::span{&unit, 1}, Regtest().shape_rules, nullptr, nullptr);
    ASSERT_TRUE(mined && !mined->wins.empty());
    Block block = tmpl->block;
    block.header.proof = mined->wins.front().proof;
    block.opening = mined->wins.front().opening;
    BlockValidationState proof_state;
    ASSERT_TRUE(CheckBlockProof(block, Regtest(), proof_state)) << proof_state.ToString();

    BlockValidationState state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(block, state));
    EXPECT_EQ(state.GetFailure(), BlockFailure::CONSENSUS);
    EXPECT_EQ(state.GetReason(), "bad-job-unit");
    EXPECT_EQ(chainstate.Height(), 0);
    // A filler block on the same parent is fine.
    BlockValidationState filler_state;
    EXPECT_TRUE(chainstate.ProcessNewBlock(MineOn(chainstate, wallet, clock), filler_state)) << filler_state.ToString();
}

TEST(Chainstate, ChecksSignaturesOnItsCheckThreads)
{
    // -par=3 whatever the machine: the connecting thread and two workers.
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    ChainstateOptions options = Options(dir.path(), clock);
    options.script_check_threads = 3;
    auto opened = Chainstate::Open(Regtest(), std::move(options));
    ASSERT_TRUE(opened) << opened.error_message();
    Chainstate& chainstate = **opened;
    MineAndSubmit(chainstate, wallet, clock, 100);
    const Block first = *chainstate.ReadBlock(*chainstate.GetBlockHashAt(1));
    const Transaction spend =
        SignSpend(wallet, OutPoint{first.txs[0].GetTxid(), 0}, first.txs[0].outputs()[0], 1000);
    MutableTransaction forged = spend.fields();
    forged.inputs[0].witness[7] ^= 1;
    const Transaction bad{forged};

    const Block bad_block = MineOn(chainstate, wallet, clock, {bad}, 1000);
    BlockValidationState state;
    EXPECT_FALSE(chainstate.ProcessNewBlock(bad_block, state));
    EXPECT_EQ(state.GetFailure(), BlockFailure::CONSENSUS);
    EXPECT_EQ(state.GetReason(), "bad-signature");
    EXPECT_EQ(state.GetDetail(), "transaction " + bad.GetTxid().GetHex() + ": input 0");
    EXPECT_EQ(chainstate.Height(), 100);

    const Block good_block = MineOn(chainstate, wallet, clock, {spend}, 1000);
    BlockValidationState good_state;
    EXPECT_TRUE(chainstate.ProcessNewBlock(good_block, good_state)) << good_state.ToString();
    EXPECT_EQ(chainstate.Height(), 101);
}

TEST(Chainstate, ReorgsToMoreWorkAndRestoresCoins)
{
    TempDir dir_a;
    TempDir dir_b;
    TestClock clock_a;
    TestClock clock_b;
    clock_b.now += 7;  // different times: different blocks
    Wallet wallet;
    auto a = Chainstate::Open(Regtest(), Options(dir_a.path(), clock_a));
    auto b = Chainstate::Open(Regtest(), Options(dir_b.path(), clock_b));
    ASSERT_TRUE(a && b);
    MineAndSubmit(**a, wallet, clock_a, 3);
    MineAndSubmit(**b, wallet, clock_b, 5);
    const uint256 old_tip = (*a)->TipHash();
    // Feed b's longer chain to a.
    for (int64_t h = 1; h <= 5; ++h) {
        const Block block = *(*b)->ReadBlock(*(*b)->GetBlockHashAt(h));
        BlockValidationState state;
        EXPECT_TRUE((*a)->ProcessNewBlock(block, state)) << state.ToString();
    }
    EXPECT_EQ((*a)->Height(), 5);
    EXPECT_EQ((*a)->TipHash(), (*b)->TipHash());
    const auto stats_a = (*a)->GetUtxoStats();
    const auto stats_b = (*b)->GetUtxoStats();
    ASSERT_TRUE(stats_a && stats_b);
    EXPECT_EQ(stats_a->hash, stats_b->hash);
    EXPECT_EQ(stats_a->coins, 5u);

    const auto tips = (*a)->GetChainTips();
    ASSERT_EQ(tips.size(), 2u);
    EXPECT_EQ(tips[0].status, "active");
    EXPECT_EQ(tips[1].hash, old_tip);
    EXPECT_EQ(tips[1].status, "valid-fork");
    EXPECT_EQ(tips[1].branch_length, 3);

    // invalidateblock on b's block 1 returns a to its own 3-block chain.
    BlockValidationState state;
    ASSERT_TRUE((*a)->InvalidateBlock(*(*b)->GetBlockHashAt(1), state)) << state.ToString();
    EXPECT_EQ((*a)->TipHash(), old_tip);
    EXPECT_EQ((*a)->Height(), 3);
    ASSERT_TRUE((*a)->ReconsiderBlock(*(*b)->GetBlockHashAt(1), state)) << state.ToString();
    EXPECT_EQ((*a)->TipHash(), (*b)->TipHash());
    EXPECT_EQ((*a)->GetUtxoStats()->hash, stats_b->hash);
}

TEST(Chainstate, ReindexRebuildsTheSameState)
{
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    uint256 hash;
    uint256 tip;
    {
        auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
        ASSERT_TRUE(chainstate);
        MineAndSubmit(**chainstate, wallet, clock, 12);
        hash = (*chainstate)->GetUtxoStats()->hash;
        tip = (*chainstate)->TipHash();
    }
    auto options = Options(dir.path(), clock);
    options.reindex = true;
    auto reindexed = Chainstate::Open(Regtest(), options);
    ASSERT_TRUE(reindexed) << reindexed.error_message();
    EXPECT_EQ((*reindexed)->TipHash(), tip);
    EXPECT_EQ((*reindexed)->GetUtxoStats()->hash, hash);
}

TEST(ChainstateDeathTest, RecoversFromACrashInTheMiddleOfAFlush)
{
    // "fast" (fork) style: the child must continue from this process's state
    // (the directory and blocks made above); the re-executing "threadsafe"
    // style would rebuild everything in a new temporary directory. No
    // thread of ours is running here (mining runs without a pool).
    GTEST_FLAG_SET(death_test_style, "fast");
    TempDir dir;
    TestClock clock;
    Wallet wallet;
    std::vector<Block> blocks;
    {
        auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), clock));
        ASSERT_TRUE(chainstate);
        MineAndSubmit(**chainstate, wallet, clock, 6);
        for (int64_t h = 1; h <= 6; ++h) blocks.push_back(*(*chainstate)->ReadBlock(*(*chainstate)->GetBlockHashAt(h)));
    }
    // One more block, connected by a process that dies in the middle of the
    // coins flush that follows it (crash ratio 1: always).
    TestClock later = clock;
    Block extra;
    {
        auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), later));
        ASSERT_TRUE(chainstate);
        extra = MineOn(**chainstate, wallet, later);
    }
    EXPECT_EXIT(
        {
            auto chainstate = Chainstate::Open(Regtest(), Options(dir.path(), later, /*crash_ratio=*/1));
            if (!chainstate) std::_Exit(3);
            BlockValidationState state;
            (*chainstate)->ProcessNewBlock(extra, state);
            std::_Exit(4);  // not reached: the flush exits first
        },
        ::testing::ExitedWithCode(1), "");

    auto recovered = Chainstate::Open(Regtest(), Options(dir.path(), later));
    ASSERT_TRUE(recovered) << recovered.error_message();
    EXPECT_EQ((*recovered)->Height(), 7);
    // The same blocks replayed by a node that never crashed give the same set.
    TempDir clean_dir;
    TestClock clean_clock = later;
    auto clean = Chainstate::Open(Regtest(), Options(clean_dir.path(), clean_clock));
    ASSERT_TRUE(clean);
    blocks.push_back(extra);
    for (const Block& block : blocks) {
        BlockValidationState state;
        ASSERT_TRUE((*clean)->ProcessNewBlock(block, state)) << state.ToString();
    }
    EXPECT_EQ((*recovered)->GetUtxoStats()->hash, (*clean)->GetUtxoStats()->hash);
}

}  // namespace
}  // namespace hpips
