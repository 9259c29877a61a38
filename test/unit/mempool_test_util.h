// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// A regtest chainstate with mined blocks and a mempool, shared by the
// mempool's tests (mempool_tests.cpp) and mempool.dat's (mempool_persist_tests.cpp).
#ifndef HPIPS_TEST_UNIT_MEMPOOL_TEST_UTIL_H
#define HPIPS_TEST_UNIT_MEMPOOL_TEST_UTIL_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"

#include <memory>
#include <vector>

namespace hpips::test {

/** `mined_blocks` regtest blocks (each coinbase past maturity after 100
 *  more) on a fresh chainstate, and an empty pool on it. */
class MempoolFixture : public ::testing::Test {
protected:
    explicit MempoolFixture(int mined_blocks) : m_mined_blocks{mined_blocks} {}

    void SetUp() override
    {
        ChainstateOptions options;
        options.datadir = m_dir.path();
        options.now = [this] { return m_now; };
        auto opened = Chainstate::Open(Params(Network::REGTEST), options);
        ASSERT_TRUE(opened) << opened.error_message();
        m_chainstate = std::move(*opened);
        m_pool = std::make_unique<Mempool>(*m_chainstate, MempoolOptions{});
        for (int i = 0; i < m_mined_blocks; ++i) MineBlock({});
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

    /** An orphan: spends an output of a transaction nobody has (`seed`
     *  picks it), padded with witness bytes to exactly `size` bytes. Its
     *  witness is never checked: an orphan waits for its parent first. */
    Transaction Orphan(uint64_t seed, size_t size = 0) const
    {
        MutableTransaction mtx;
        uint256 missing;
        for (size_t i{0}; i < 8; ++i) missing.data()[i] = static_cast<uint8_t>(seed >> (8 * i));
        missing.data()[31] = 0xee;
        mtx.inputs = {TxIn{OutPoint{missing, 0}, SEQUENCE_FINAL, {}}};
        mtx.outputs = {TxOut{1'000, Dest()}};
        if (size == 0) return Transaction{mtx};
        for (int round{0}; round < 4; ++round) {
            const size_t now = Transaction{mtx}.GetTotalSize();
            if (now == size) break;
            mtx.inputs[0].witness.resize(mtx.inputs[0].witness.size() + size - now, 0x5a);
        }
        Transaction tx{mtx};
        EXPECT_EQ(tx.GetTotalSize(), size);
        return tx;
    }

    const int m_mined_blocks;
    TempDir m_dir;
    int64_t m_now{Params(Network::REGTEST).genesis.header.time + 100};
    uint64_t m_extra_nonce{0};
    PrivKey m_key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x11));
    std::unique_ptr<Chainstate> m_chainstate;
    std::unique_ptr<Mempool> m_pool;
};

}  // namespace hpips::test

#endif  // HPIPS_TEST_UNIT_MEMPOOL_TEST_UTIL_H
