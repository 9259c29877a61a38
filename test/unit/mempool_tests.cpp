// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"

#include <filesystem>
#include <random>

namespace hpips {
namespace {

using test::TempDir;

/** A regtest chainstate with 110 mined blocks (10 mature coinbases) and a pool. */
class MempoolTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ChainstateOptions options;
        options.datadir = m_dir.path();
        options.now = [this] { return m_now; };
        auto opened = Chainstate::Open(Params(Network::REGTEST), options);
        ASSERT_TRUE(opened) << opened.error_message();
        m_chainstate = std::move(*opened);
        m_pool = std::make_unique<Mempool>(*m_chainstate, MempoolOptions{});
        for (int i = 0; i < 110; ++i) MineBlock({});
    }

    Destination Dest() const
    {
        return KeyDestination(m_key.GetXOnlyPubKey());
    }

    Block Mine(const std::vector<Transaction>& txs, Amount fees = 0)
    {
        m_now += 60;
        auto tmpl = CreateBlockTemplate(*m_chainstate, Dest(), txs, fees, m_now, m_extra_nonce++);
        EXPECT_TRUE(tmpl);
        auto block = hpips::MineBlock(*tmpl, m_chainstate->Params(), nullptr, nullptr, nullptr);
        EXPECT_TRUE(block && block->has_value());
        return std::move(**block);
    }

    void MineBlock(const std::vector<Transaction>& txs, Amount fees = 0)
    {
        const Block block = Mine(txs, fees);
        BlockValidationState state;
        ASSERT_TRUE(m_chainstate->ProcessNewBlock(block, state)) << state.ToString();
    }

    /** The coinbase output of block `height`. */
    std::pair<OutPoint, TxOut> Coinbase(int64_t height) const
    {
        const Block block = *m_chainstate->ReadBlock(*m_chainstate->GetBlockHashAt(height));
        return {OutPoint{block.txs[0].GetTxid(), 0}, block.txs[0].outputs()[0]};
    }

    /** Spends `prevout` (worth `spent`) into `outputs` equal parts, paying `fee`. */
    Transaction Spend(const OutPoint& prevout, const TxOut& spent, Amount fee, int outputs = 1) const
    {
        MutableTransaction mtx;
        mtx.inputs = {TxIn{prevout, SEQUENCE_FINAL, {}}};
        const Amount each = (spent.amount - fee) / outputs;
        for (int i = 0; i < outputs; ++i) mtx.outputs.push_back(TxOut{each, Dest()});
        mtx.outputs[0].amount += (spent.amount - fee) - each * outputs;
        const Transaction unsigned_tx{mtx};
        const auto pre = PrecomputedTxData::Compute(unsigned_tx, std::span{&spent, 1});
        const auto sig = m_key.SignSchnorr(SignatureHash(unsigned_tx, 0, *pre, Network::REGTEST),
                                           std::array<uint8_t, 32>{});
        mtx.inputs[0].witness.assign(sig.begin(), sig.end());
        return Transaction{mtx};
    }

    TempDir m_dir;
    int64_t m_now{Params(Network::REGTEST).genesis.header.time + 100};
    uint64_t m_extra_nonce{0};
    PrivKey m_key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x11));
    std::unique_ptr<Chainstate> m_chainstate;
    std::unique_ptr<Mempool> m_pool;
};

TEST_F(MempoolTest, AcceptsAndRejectsWithReasons)
{
    const auto [prevout, spent] = Coinbase(1);
    const Transaction tx = Spend(prevout, spent, 10'000);
    auto result = m_pool->AcceptToMemoryPool(tx);
    ASSERT_TRUE(result.Accepted()) << result.state.ToString();
    EXPECT_EQ(result.fee, 10'000);
    EXPECT_TRUE(m_pool->Exists(tx.GetTxid()));
    EXPECT_EQ(m_pool->AcceptToMemoryPool(tx).state.GetReason(), "txn-already-in-mempool");
    // Same coin, different transaction: a conflict.
    const auto conflict = m_pool->AcceptToMemoryPool(Spend(prevout, spent, 20'000));
    EXPECT_EQ(conflict.state.GetReason(), "txn-mempool-conflict");
    EXPECT_EQ(conflict.state.GetFailure(), TxFailure::CONFLICT);
    // Immature coinbase (height 110, tip 110).
    const auto [young, young_out] = Coinbase(110);
    EXPECT_EQ(m_pool->AcceptToMemoryPool(Spend(young, young_out, 10'000)).state.GetReason(),
              "bad-txns-premature-spend-of-coinbase");
    // Fee below the relay minimum.
    const auto [p2, s2] = Coinbase(2);
    EXPECT_EQ(m_pool->AcceptToMemoryPool(Spend(p2, s2, 1)).state.GetReason(), "min relay fee not met");
    // Bad signature.
    MutableTransaction forged = Spend(p2, s2, 10'000).fields();
    forged.inputs[0].witness[5] ^= 1;
    EXPECT_EQ(m_pool->AcceptToMemoryPool(Transaction{forged}).state.GetReason(), "bad-signature");
    // testmempoolaccept leaves the pool alone.
    const Transaction tested = Spend(p2, s2, 10'000);
    EXPECT_TRUE(m_pool->AcceptToMemoryPool(tested, /*test_only=*/true).Accepted());
    EXPECT_FALSE(m_pool->Exists(tested.GetTxid()));
    EXPECT_EQ(m_pool->Size(), 1u);
}

TEST_F(MempoolTest, ChainsOrphansAndBlockSelection)
{
    const auto [prevout, spent] = Coinbase(3);
    const Transaction parent = Spend(prevout, spent, 5'000, 2);
    const Transaction child = Spend(OutPoint{parent.GetTxid(), 0}, parent.outputs()[0], 50'000);
    // The child first: an orphan until its parent arrives.
    const auto orphan = m_pool->AcceptToMemoryPool(child);
    EXPECT_TRUE(orphan.orphan);
    EXPECT_EQ(orphan.state.GetReason(), "missing-inputs");
    EXPECT_EQ(m_pool->OrphanCount(), 1u);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(parent).Accepted());
    EXPECT_TRUE(m_pool->Exists(child.GetTxid()));
    EXPECT_EQ(m_pool->OrphanCount(), 0u);

    // The child pays the better rate but must follow its parent.
    const auto txids = m_pool->Txids();
    ASSERT_EQ(txids.size(), 2u);
    EXPECT_EQ(txids[0], child.GetTxid());
    Amount fees = 0;
    const auto selected = m_pool->SelectForBlock(MAX_BLOCK_SIZE, fees);
    ASSERT_EQ(selected.size(), 2u);
    EXPECT_EQ(selected[0].tx.GetTxid(), parent.GetTxid());
    EXPECT_EQ(fees, 55'000);

    // Mining them empties the pool.
    std::vector<Transaction> txs;
    for (const auto& entry : selected) txs.push_back(entry.tx);
    MineBlock(txs, fees);
    EXPECT_EQ(m_pool->Size(), 0u);
}

TEST_F(MempoolTest, DisconnectedTransactionsComeBack)
{
    const auto [prevout, spent] = Coinbase(4);
    const Transaction tx = Spend(prevout, spent, 10'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(tx).Accepted());
    MineBlock({tx}, 10'000);
    EXPECT_FALSE(m_pool->Exists(tx.GetTxid()));
    const uint256 confirmed_in = m_chainstate->TipHash();
    BlockValidationState state;
    ASSERT_TRUE(m_chainstate->InvalidateBlock(confirmed_in, state));
    EXPECT_TRUE(m_pool->Exists(tx.GetTxid()));
}

TEST_F(MempoolTest, SizeCapEvictsLowestFeeRate)
{
    // A pool that holds about two of these transactions.
    Mempool small{*m_chainstate, MempoolOptions{2 * 200, DEFAULT_MIN_RELAY_FEE_RATE}};
    const auto [p5, s5] = Coinbase(5);
    const auto [p6, s6] = Coinbase(6);
    const auto [p7, s7] = Coinbase(7);
    const Transaction cheap = Spend(p5, s5, 1'000);
    const Transaction mid = Spend(p6, s6, 5'000);
    const Transaction rich = Spend(p7, s7, 9'000);
    ASSERT_LE(cheap.GetTotalSize() * 2, 400u);
    ASSERT_GT(cheap.GetTotalSize() * 3, 400u);
    ASSERT_TRUE(small.AcceptToMemoryPool(cheap).Accepted());
    ASSERT_TRUE(small.AcceptToMemoryPool(mid).Accepted());
    ASSERT_TRUE(small.AcceptToMemoryPool(rich).Accepted());
    EXPECT_FALSE(small.Exists(cheap.GetTxid()));
    EXPECT_TRUE(small.Exists(mid.GetTxid()));
    EXPECT_TRUE(small.Exists(rich.GetTxid()));
    // Too cheap to displace anything: rejected as full.
    const auto [p8, s8] = Coinbase(8);
    EXPECT_EQ(small.AcceptToMemoryPool(Spend(p8, s8, 1'000)).state.GetReason(), "mempool full");
}

TEST_F(MempoolTest, AncestorChainIsBounded)
{
    const auto [prevout, spent] = Coinbase(9);
    Transaction last = Spend(prevout, spent, 10'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(last).Accepted());
    for (size_t depth = 1; depth <= MAX_MEMPOOL_ANCESTORS; ++depth) {
        const Transaction child = Spend(OutPoint{last.GetTxid(), 0}, last.outputs()[0], 10'000);
        const auto result = m_pool->AcceptToMemoryPool(child);
        if (depth < MAX_MEMPOOL_ANCESTORS) {
            ASSERT_TRUE(result.Accepted()) << depth << " " << result.state.ToString();
            last = child;
        } else {
            EXPECT_EQ(result.state.GetReason(), "too-long-mempool-chain");
        }
    }
    EXPECT_EQ(m_pool->Size(), MAX_MEMPOOL_ANCESTORS);
    // Spending an output a pool transaction does not have is an error, not an orphan.
    const auto bad = m_pool->AcceptToMemoryPool(Spend(OutPoint{last.GetTxid(), 5}, last.outputs()[0], 10'000));
    EXPECT_EQ(bad.state.GetReason(), "bad-txns-inputs-missingorspent");
    EXPECT_FALSE(bad.orphan);
}

TEST_F(MempoolTest, SelectionNeverTakesAChildWithoutItsParent)
{
    const auto [prevout, spent] = Coinbase(10);
    const Transaction parent = Spend(prevout, spent, 2'000);
    const Transaction child = Spend(OutPoint{parent.GetTxid(), 0}, parent.outputs()[0], 90'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(parent).Accepted());
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(child).Accepted());
    // Room for one transaction only: the child pays better but cannot go first.
    Amount fees = 0;
    const auto selected = m_pool->SelectForBlock(parent.GetTotalSize(), fees);
    ASSERT_EQ(selected.size(), 1u);
    EXPECT_EQ(selected[0].tx.GetTxid(), parent.GetTxid());
    EXPECT_EQ(fees, 2'000);
    EXPECT_TRUE(m_pool->SelectForBlock(parent.GetTotalSize() - 1, fees).empty());
}

}  // namespace
}  // namespace hpips
