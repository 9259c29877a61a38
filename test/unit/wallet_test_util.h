// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_UNIT_WALLET_TEST_UTIL_H
#define HPIPS_TEST_UNIT_WALLET_TEST_UTIL_H

#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <node/wallet_chain.h>
#include <primitives/address.h>
#include <util/clock.h>
#include <wallet/wallet.h>
#include <wallet/wallet_manager.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"

#include <memory>
#include <vector>

/** The wallet tests' fixture: a regtest chainstate and mempool under a
 *  hand-driven clock, the node's implementation of the wallet's chain
 *  interface, a manager and one wallet "w" (keypool 10), and a key that is
 *  not the wallet's (m_stranger). */
namespace hpips::wallet::test {

using hpips::test::TempDir;

constexpr Amount SUBSIDY = 50 * COIN;

class WalletFixture : public ::testing::Test {
protected:
    void SetUp() override
    {
        ChainstateOptions options;
        options.datadir = m_dir.path() / "chain";
        options.now = [this] { return m_now; };
        auto opened = Chainstate::Open(Params(Network::REGTEST), options);
        ASSERT_TRUE(opened) << opened.error_message();
        m_chainstate = std::move(*opened);
        m_pool = std::make_unique<Mempool>(*m_chainstate, MempoolOptions{});
        m_chain = std::make_unique<NodeWalletChain>(*m_chainstate, *m_pool, m_clock);
        WalletOptions wallet_options;
        wallet_options.keypool = 10;
        m_manager = std::make_unique<WalletManager>(*m_chain, m_dir.path() / "wallets", wallet_options);
        auto wallet = m_manager->Create("w", {});
        ASSERT_TRUE(wallet) << wallet.error().message;
        m_wallet = *wallet;
    }

    void TearDown() override
    {
        m_wallet.reset();
        m_manager.reset();
        m_chain.reset();
        m_pool.reset();
        m_chainstate.reset();
    }

    Destination NewDest(Wallet& wallet)
    {
        auto address = wallet.GetNewAddress("", KeyBranch::RECEIVE);
        EXPECT_TRUE(address);
        return *DecodeAddress(*address, Network::REGTEST);
    }

    /** Mines a block with the mempool's transactions, paying `payout`. */
    Block MineBlock(const Destination& payout)
    {
        m_now += 60;
        auto tmpl = CreateTemplateFromMempool(*m_chainstate, *m_pool, payout, m_now, m_extra_nonce++);
        EXPECT_TRUE(tmpl);
        auto block = hpips::MineBlock(*tmpl, m_chainstate->Params(), nullptr, nullptr, nullptr);
        EXPECT_TRUE(block && block->has_value());
        BlockValidationState state;
        EXPECT_TRUE(m_chainstate->ProcessNewBlock(**block, state)) << state.ToString();
        return std::move(**block);
    }

    BalanceSums Balances(Wallet& wallet, int64_t min_conf = 0)
    {
        auto balances = wallet.GetBalances(min_conf);
        EXPECT_TRUE(balances);
        return *balances;
    }

    TempDir m_dir;
    int64_t m_now{Params(Network::REGTEST).genesis.header.time + 100};
    uint64_t m_extra_nonce{0};
    NodeClock m_clock;
    std::unique_ptr<Chainstate> m_chainstate;
    std::unique_ptr<Mempool> m_pool;
    std::unique_ptr<NodeWalletChain> m_chain;
    std::unique_ptr<WalletManager> m_manager;
    std::shared_ptr<Wallet> m_wallet;
    const Destination m_stranger = KeyDestination(PrivKey::FromBytes(std::vector<uint8_t>(32, 0x22))->GetXOnlyPubKey());
};

}  // namespace hpips::wallet::test

#endif  // HPIPS_TEST_UNIT_WALLET_TEST_UTIL_H
