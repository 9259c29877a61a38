// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/params.h>
#include <primitives/merkle.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

TEST(Params, SubsidySchedule)
{
    EXPECT_EQ(BlockSubsidy(0), 50 * COIN);
    EXPECT_EQ(BlockSubsidy(HALVING_INTERVAL - 1), 50 * COIN);
    EXPECT_EQ(BlockSubsidy(HALVING_INTERVAL), 25 * COIN);
    EXPECT_EQ(BlockSubsidy(2 * HALVING_INTERVAL), COIN * 25 / 2);
    EXPECT_EQ(BlockSubsidy(63 * HALVING_INTERVAL), 0);  // 5e9 >> 63 = 0 already
    EXPECT_EQ(BlockSubsidy(64 * HALVING_INTERVAL), 0);
    EXPECT_EQ(BlockSubsidy(int64_t{1} << 62), 0);
}

TEST(Params, TotalIssuanceIsMaxMoney)
{
    // Sum over halving eras of (interval × subsidy) never exceeds MAX_MONEY
    // and comes within one interval of base units of it.
    Amount total = 0;
    for (int64_t era = 0; era < MAX_HALVINGS; ++era) {
        total += HALVING_INTERVAL * BlockSubsidy(era * HALVING_INTERVAL);
    }
    EXPECT_LE(total, MAX_MONEY);
    EXPECT_GT(total, MAX_MONEY - HALVING_INTERVAL * 64);
}

TEST(Params, GenesisIsDeterministicAndDistinct)
{
    for (const Network net : {Network::MAIN, Network::TEST, Network::REGTEST}) {
        const ChainParams& p = Params(net);
        EXPECT_EQ(p.genesis.GetHash(), p.genesis_hash);
        EXPECT_EQ(p.genesis.header.merkle_root, BlockMerkleRoot(p.genesis.txs));
        ASSERT_EQ(p.genesis.txs.size(), 1u);
        EXPECT_TRUE(p.genesis.txs[0].IsCoinbase());
        EXPECT_TRUE(p.genesis.header.prev_block.IsNull());
        EXPECT_TRUE(TargetFromBits(p.genesis.header.bits));
        EXPECT_LE(*TargetFromBits(p.genesis.header.bits), p.pow_limit);
    }
    EXPECT_NE(Params(Network::MAIN).genesis_hash, Params(Network::TEST).genesis_hash);
    EXPECT_NE(Params(Network::MAIN).genesis_hash, Params(Network::REGTEST).genesis_hash);
    EXPECT_NE(Params(Network::MAIN).message_start, Params(Network::REGTEST).message_start);
}

}  // namespace
}  // namespace hpips
