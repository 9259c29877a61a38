// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "mempool_test_util.h"

#include <filesystem>
#include <random>

namespace hpips {
namespace {

using test::TempDir;

/** 110 mined blocks: 10 mature coinbases. */
class MempoolTest : public test::MempoolFixture {
protected:
    MempoolTest() : MempoolFixture{110} {}
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

TEST_F(MempoolTest, FeeDeltasReRankWithoutChangingTheFee)
{
    const auto [p1, s1] = Coinbase(1);
    const auto [p2, s2] = Coinbase(2);
    const Transaction rich = Spend(p1, s1, 50'000);
    const Transaction poor = Spend(p2, s2, 10'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(rich).Accepted());
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(poor).Accepted());
    EXPECT_EQ(m_pool->Txids().front(), rich.GetTxid());

    // Prioritised: first in the pool and the template; the fee collected is real.
    m_pool->PrioritiseTransaction(poor.GetTxid(), 100'000);
    EXPECT_EQ(m_pool->Txids().front(), poor.GetTxid());
    const auto entry = m_pool->Get(poor.GetTxid());
    ASSERT_TRUE(entry);
    EXPECT_EQ(entry->fee, 10'000);
    EXPECT_EQ(entry->fee_delta, 100'000);
    EXPECT_EQ(entry->ModifiedFee(), 110'000);
    Amount fees = 0;
    const auto selected = m_pool->SelectForBlock(MAX_BLOCK_SIZE, fees);
    ASSERT_EQ(selected.size(), 2u);
    EXPECT_EQ(selected[0].tx.GetTxid(), poor.GetTxid());
    EXPECT_EQ(fees, 60'000);

    // Deltas add up and saturate at MAX_FEE_DELTA (one past it is clamped).
    m_pool->PrioritiseTransaction(poor.GetTxid(), MAX_FEE_DELTA + 1);
    EXPECT_EQ(m_pool->FeeDelta(poor.GetTxid()), MAX_FEE_DELTA);
    m_pool->PrioritiseTransaction(poor.GetTxid(), -MAX_FEE_DELTA - 1);
    m_pool->PrioritiseTransaction(poor.GetTxid(), -MAX_FEE_DELTA - 1);
    EXPECT_EQ(m_pool->FeeDelta(poor.GetTxid()), -MAX_FEE_DELTA);
    EXPECT_EQ(m_pool->Txids().back(), poor.GetTxid());

    // A delta for a transaction not yet seen lets it in below the floor.
    const auto [p3, s3] = Coinbase(3);
    const Transaction cheap = Spend(p3, s3, 1);
    EXPECT_EQ(m_pool->AcceptToMemoryPool(cheap).state.GetReason(), "min relay fee not met");
    m_pool->PrioritiseTransaction(cheap.GetTxid(), 10'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(cheap).Accepted());

    // Confirmed: its delta is forgotten; the others stay.
    MineBlock({cheap}, 1);
    EXPECT_EQ(m_pool->FeeDelta(cheap.GetTxid()), 0);
    EXPECT_EQ(m_pool->FeeDeltas().size(), 1u);
    // Summing to zero forgets it too.
    m_pool->PrioritiseTransaction(poor.GetTxid(), MAX_FEE_DELTA);
    EXPECT_TRUE(m_pool->FeeDeltas().empty());
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

TEST_F(MempoolTest, OrphanPoolIsBoundedByCount)
{
    constexpr OrphanOwner PEER{1};
    std::vector<Transaction> orphans;
    for (uint64_t i{0}; i < MAX_ORPHANS; ++i) {
        orphans.push_back(Orphan(i));
        const auto result = m_pool->AcceptToMemoryPool(orphans.back(), false, std::nullopt, PEER);
        ASSERT_TRUE(result.orphan) << i;
    }
    EXPECT_EQ(m_pool->OrphanCount(), MAX_ORPHANS);
    // One more than allowed: the oldest goes.
    const Transaction extra = Orphan(MAX_ORPHANS);
    EXPECT_TRUE(m_pool->AcceptToMemoryPool(extra, false, std::nullopt, PEER).orphan);
    EXPECT_EQ(m_pool->OrphanCount(), MAX_ORPHANS);
    EXPECT_FALSE(m_pool->HaveOrphan(orphans.front().GetTxid()));
    EXPECT_TRUE(m_pool->HaveOrphan(orphans[1].GetTxid()));
    EXPECT_TRUE(m_pool->HaveOrphan(extra.GetTxid()));
    // The same orphan twice is kept once.
    EXPECT_FALSE(m_pool->AcceptToMemoryPool(extra, false, std::nullopt, PEER).orphan);
    EXPECT_EQ(m_pool->OrphanCount(), MAX_ORPHANS);
    // testmempoolaccept files nothing.
    EXPECT_FALSE(m_pool->AcceptToMemoryPool(Orphan(10'000), true).orphan);
    EXPECT_EQ(m_pool->OrphanCount(), MAX_ORPHANS);
}

TEST_F(MempoolTest, OrphanPoolIsBoundedByBytes)
{
    // The largest orphan kept, and one byte more.
    EXPECT_FALSE(m_pool->AcceptToMemoryPool(Orphan(999, MAX_ORPHAN_TX_SIZE + 1), false, std::nullopt, 1).orphan);
    EXPECT_EQ(m_pool->OrphanCount(), 0u);
    constexpr size_t FIT = MAX_ORPHAN_TOTAL_BYTES / MAX_ORPHAN_TX_SIZE;
    static_assert(FIT < MAX_ORPHANS, "the byte bound must bind before the count bound here");
    std::vector<Transaction> orphans;
    for (uint64_t i{0}; i < FIT; ++i) {
        orphans.push_back(Orphan(i, MAX_ORPHAN_TX_SIZE));
        ASSERT_TRUE(m_pool->AcceptToMemoryPool(orphans.back(), false, std::nullopt, 1).orphan) << i;
    }
    EXPECT_EQ(m_pool->OrphanCount(), FIT);
    EXPECT_EQ(m_pool->OrphanBytes(), FIT * MAX_ORPHAN_TX_SIZE);
    EXPECT_LE(m_pool->OrphanBytes(), MAX_ORPHAN_TOTAL_BYTES);
    // One more byte than the bound allows: the oldest makes room.
    const Transaction extra = Orphan(FIT, MAX_ORPHAN_TX_SIZE);
    EXPECT_TRUE(m_pool->AcceptToMemoryPool(extra, false, std::nullopt, 1).orphan);
    EXPECT_EQ(m_pool->OrphanCount(), FIT);
    EXPECT_EQ(m_pool->OrphanBytes(), FIT * MAX_ORPHAN_TX_SIZE);
    EXPECT_FALSE(m_pool->HaveOrphan(orphans.front().GetTxid()));
    EXPECT_TRUE(m_pool->HaveOrphan(extra.GetTxid()));
    // A small orphan still needs room by bytes.
    const Transaction small = Orphan(FIT + 1);
    EXPECT_TRUE(m_pool->AcceptToMemoryPool(small, false, std::nullopt, 1).orphan);
    EXPECT_LE(m_pool->OrphanBytes(), MAX_ORPHAN_TOTAL_BYTES);
    EXPECT_EQ(m_pool->OrphanCount(), FIT);
}

TEST_F(MempoolTest, OrphanEvictionHitsTheOwnerWithTheMost)
{
    constexpr OrphanOwner HONEST{2};
    constexpr OrphanOwner FLOODER{3};
    const Transaction honest = Orphan(1'000'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(honest, false, std::nullopt, HONEST).orphan);
    // The flooder fills the pool and goes on: it only evicts its own.
    for (uint64_t i{0}; i < 3 * MAX_ORPHANS; ++i) {
        ASSERT_TRUE(m_pool->AcceptToMemoryPool(Orphan(i), false, std::nullopt, FLOODER).orphan);
        ASSERT_LE(m_pool->OrphanCount(), MAX_ORPHANS);
    }
    EXPECT_EQ(m_pool->OrphanCount(), MAX_ORPHANS);
    EXPECT_TRUE(m_pool->HaveOrphan(honest.GetTxid()));
    // The flooder leaves: its orphans go with it.
    m_pool->EraseOrphansFrom(FLOODER);
    EXPECT_EQ(m_pool->OrphanCount(), 1u);
    EXPECT_EQ(m_pool->OrphanBytes(), honest.GetTotalSize());
    EXPECT_TRUE(m_pool->HaveOrphan(honest.GetTxid()));
}

/** Records what a listener hears. */
class RecordingListener : public MempoolListener {
public:
    void TransactionAdded(const MempoolEntry& entry) override
    {
        events.emplace_back(true, entry.tx.GetTxid());
        sequences.push_back(entry.sequence);
    }
    void TransactionRemoved(const uint256& txid, const uint256&, MempoolRemovalReason reason,
                            uint64_t mempool_sequence) override
    {
        events.emplace_back(false, txid);
        reasons.push_back(reason);
        sequences.push_back(mempool_sequence);
    }
    std::vector<std::pair<bool, uint256>> events;
    std::vector<MempoolRemovalReason> reasons;
    /** The pool's sequence number of each event, in order. */
    std::vector<uint64_t> sequences;
};

TEST_F(MempoolTest, ListenersHearAdditionsAndRemovalsInOrder)
{
    RecordingListener listener;
    m_pool->AddListener(&listener);
    const auto [prevout, spent] = Coinbase(11);
    const Transaction parent = Spend(prevout, spent, 5'000);
    const Transaction child = Spend(OutPoint{parent.GetTxid(), 0}, parent.outputs()[0], 5'000);
    // The child waits as an orphan (no event), then follows its parent.
    EXPECT_TRUE(m_pool->AcceptToMemoryPool(child).orphan);
    EXPECT_TRUE(listener.events.empty());
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(parent).Accepted());
    ASSERT_EQ(listener.events.size(), 2u);
    EXPECT_EQ(listener.events[0], std::make_pair(true, parent.GetTxid()));
    EXPECT_EQ(listener.events[1], std::make_pair(true, child.GetTxid()));
    // A block confirms both: removals, with their reason, by the time it returns.
    MineBlock({parent, child}, 10'000);
    ASSERT_EQ(listener.events.size(), 4u);
    EXPECT_FALSE(listener.events[2].first);
    EXPECT_FALSE(listener.events[3].first);
    EXPECT_EQ(listener.reasons, (std::vector{MempoolRemovalReason::BLOCK, MempoolRemovalReason::BLOCK}));
    // Unregistered: nothing more.
    m_pool->RemoveListener(&listener);
    const auto [p12, s12] = Coinbase(12);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(Spend(p12, s12, 5'000)).Accepted());
    EXPECT_EQ(listener.events.size(), 4u);
}

TEST_F(MempoolTest, SequenceNumbersCountEveryChange)
{
    // A pool that holds about two of these transactions, so evictions happen.
    Mempool small{*m_chainstate, MempoolOptions{2 * 200, DEFAULT_MIN_RELAY_FEE_RATE}};
    RecordingListener listener;
    small.AddListener(&listener);
    EXPECT_EQ(small.TxidsWithSequence().mempool_sequence, 1u);
    const auto [p5, s5] = Coinbase(5);
    const auto [p6, s6] = Coinbase(6);
    const auto [p7, s7] = Coinbase(7);
    const Transaction cheap = Spend(p5, s5, 1'000);
    const Transaction mid = Spend(p6, s6, 5'000);
    const Transaction rich = Spend(p7, s7, 9'000);
    ASSERT_TRUE(small.AcceptToMemoryPool(cheap).Accepted());
    ASSERT_TRUE(small.AcceptToMemoryPool(mid).Accepted());
    ASSERT_TRUE(small.AcceptToMemoryPool(rich).Accepted());
    // The third addition (3) comes before the eviction it causes (4).
    EXPECT_EQ(listener.events, (std::vector{std::make_pair(true, cheap.GetTxid()), std::make_pair(true, mid.GetTxid()),
                                            std::make_pair(true, rich.GetTxid()), std::make_pair(false, cheap.GetTxid())}));
    EXPECT_EQ(listener.sequences, (std::vector<uint64_t>{1, 2, 3, 4}));
    EXPECT_EQ(listener.reasons, (std::vector{MempoolRemovalReason::SIZE_LIMIT}));
    EXPECT_EQ(small.Get(rich.GetTxid())->sequence, 3u);
    // A transaction evicted at once is never heard of, but its addition and
    // removal used two numbers.
    const auto [p8, s8] = Coinbase(8);
    EXPECT_EQ(small.AcceptToMemoryPool(Spend(p8, s8, 1'000)).state.GetReason(), "mempool full");
    EXPECT_EQ(listener.events.size(), 4u);
    const auto snapshot = small.TxidsWithSequence();
    EXPECT_EQ(snapshot.mempool_sequence, 7u);
    EXPECT_EQ(snapshot.txids, small.Txids());
    // A block confirming a transaction: its removal takes the next number.
    MineBlock({mid}, 5'000);
    ASSERT_EQ(listener.events.size(), 5u);
    EXPECT_EQ(listener.events[4], std::make_pair(false, mid.GetTxid()));
    EXPECT_EQ(listener.sequences.back(), 7u);
    EXPECT_EQ(listener.reasons.back(), MempoolRemovalReason::BLOCK);
    EXPECT_EQ(small.TxidsWithSequence().mempool_sequence, 8u);
    small.RemoveListener(&listener);
}

}  // namespace
}  // namespace hpips
