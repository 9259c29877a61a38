// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_UNIT_CHAINSTATE_TEST_UTIL_H
#define HPIPS_TEST_UNIT_CHAINSTATE_TEST_UTIL_H

#include <chain/chainstate.h>
#include <consensus/params.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <vector>

/** Regtest chainstates for the chain tests: a hand-driven clock, a key to
 *  mine to and spend from, and blocks mined on the CPU. */
namespace hpips::test {

/** The regtest parameters. */
inline const ChainParams& Regtest() { return Params(Network::REGTEST); }

/** A deterministic clock the tests advance by hand. */
struct TestClock {
    int64_t now{Params(Network::REGTEST).genesis.header.time + 1000};
};

inline ChainstateOptions Options(const std::filesystem::path& dir, TestClock& clock, uint32_t crash_ratio = 0)
{
    ChainstateOptions options;
    options.datadir = dir;
    options.crash_ratio = crash_ratio;
    options.now = [&clock] { return clock.now; };
    return options;
}

struct Wallet {
    PrivKey key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x42));
    Destination Dest() const
    {
        return KeyDestination(key.GetXOnlyPubKey());
    }
};

/** Mines one block on the tip with `txs` (fees as given) and returns it unsubmitted. */
inline Block MineOn(const Chainstate& chainstate, const Wallet& wallet, TestClock& clock, std::vector<Transaction> txs = {},
             Amount fees = 0, uint64_t extra_nonce = 0)
{
    clock.now += 60;
    auto tmpl = CreateBlockTemplate(chainstate, wallet.Dest(), txs, fees, clock.now, extra_nonce);
    EXPECT_TRUE(tmpl) << tmpl.error_message();
    auto block = MineBlock(*tmpl, chainstate.Params(), nullptr, nullptr, nullptr);
    EXPECT_TRUE(block && block->has_value());
    return std::move(**block);
}

inline void MineAndSubmit(Chainstate& chainstate, const Wallet& wallet, TestClock& clock, int count)
{
    for (int i = 0; i < count; ++i) {
        const Block block = MineOn(chainstate, wallet, clock);
        BlockValidationState state;
        ASSERT_TRUE(chainstate.ProcessNewBlock(block, state)) << state.ToString();
    }
}

inline Transaction SignSpend(const Wallet& wallet, const OutPoint& prevout, const TxOut& spent, Amount fee)
{
    MutableTransaction mtx;
    mtx.inputs = {TxIn{prevout, SEQUENCE_FINAL, {}}};
    mtx.outputs = {TxOut{spent.amount - fee, wallet.Dest()}};
    const Transaction unsigned_tx{mtx};
    const auto pre = PrecomputedTxData::Compute(unsigned_tx, std::span{&spent, 1});
    const auto sig = wallet.key.SignSchnorr(SignatureHash(unsigned_tx, 0, *pre, Network::REGTEST),
                                            std::array<uint8_t, 32>{});
    mtx.inputs[0].witness.assign(sig.begin(), sig.end());
    return Transaction{mtx};
}

/** A fresh regtest chainstate in its own directory, with a clock and a wallet. */
class ChainstateTest : public ::testing::Test {
protected:
    static std::unique_ptr<Chainstate> OpenOrAbort(const std::filesystem::path& dir, TestClock& clock)
    {
        auto opened = Chainstate::Open(Regtest(), Options(dir, clock));
        if (!opened) {
            ADD_FAILURE() << opened.error_message();
            std::abort();
        }
        return std::move(*opened);
    }

    TempDir dir;
    TestClock clock;
    Wallet wallet;
    std::unique_ptr<Chainstate> m_owned{OpenOrAbort(dir.path(), clock)};
    Chainstate& chainstate{*m_owned};
};

}  // namespace hpips::test

#endif  // HPIPS_TEST_UNIT_CHAINSTATE_TEST_UTIL_H
