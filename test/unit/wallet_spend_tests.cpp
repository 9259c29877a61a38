// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The wallet's spending calls (wallet/spend.cpp) on a real regtest
// chainstate and mempool: the recipients paying the fee, the fee-rate
// rule, fundrawtransaction + signrawtransactionwithwallet, and
// abandontransaction of a transaction a restarted node's mempool refused.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <node/wallet_chain.h>
#include <primitives/address.h>
#include <util/clock.h>
#include <wallet/spend.h>
#include <wallet/wallet.h>
#include <wallet/wallet_manager.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "wallet_test_util.h"

namespace hpips::wallet {
namespace {

using test::SUBSIDY;
using test::TempDir;

class WalletSpendTest : public test::WalletFixture {
protected:
    /** Mines 101 blocks to the wallet: two coinbases spendable. */
    void Fund101()
    {
        const Destination payout = NewDest(*m_wallet);
        for (int i = 0; i < 101; ++i) MineBlock(payout);
        ASSERT_EQ(Balances(*m_wallet).trusted, 2 * SUBSIDY);
    }

    Transaction Sent(const uint256& txid)
    {
        auto view = m_wallet->GetTransaction(txid);
        EXPECT_TRUE(view);
        return *DecodeTransaction(view->record.raw);
    }

    Amount PaidTo(const Transaction& tx, const Destination& dest)
    {
        Amount total{0};
        for (const TxOut& out : tx.outputs()) {
            if (out.destination == dest) total += out.amount;
        }
        return total;
    }
};

TEST_F(WalletSpendTest, RecipientPaysTheFee)
{
    Fund101();
    auto sent = m_wallet->Send({Recipient{m_stranger, 10 * COIN, /*subtract_fee=*/true}});
    ASSERT_TRUE(sent) << sent.error().message;
    const auto fee = -*m_wallet->GetTransaction(*sent)->fee;
    EXPECT_GT(fee, 0);
    EXPECT_EQ(PaidTo(Sent(*sent), m_stranger), 10 * COIN - fee);
    // The wallet lost exactly the 10 coins.
    EXPECT_EQ(Balances(*m_wallet).trusted, 2 * SUBSIDY - 10 * COIN);
}

TEST_F(WalletSpendTest, SubtractFeeSpendsWholeCoinsWithoutChange)
{
    Fund101();
    // Both coinbases in full: short by the fee unless the recipient pays it.
    auto short_by_fee = m_wallet->Send({Recipient{m_stranger, 2 * SUBSIDY}});
    ASSERT_FALSE(short_by_fee);
    EXPECT_EQ(short_by_fee.error().failure, SendFailure::INSUFFICIENT_FUNDS);
    auto sent = m_wallet->Send({Recipient{m_stranger, 2 * SUBSIDY, true}});
    ASSERT_TRUE(sent) << sent.error().message;
    const Transaction tx = Sent(*sent);
    EXPECT_EQ(tx.inputs().size(), 2u);
    ASSERT_EQ(tx.outputs().size(), 1u);  // no change
    EXPECT_EQ(tx.outputs()[0].amount, 2 * SUBSIDY + *m_wallet->GetTransaction(*sent)->fee);
    EXPECT_EQ(Balances(*m_wallet).trusted, 0);
}

TEST_F(WalletSpendTest, FeeRateRule)
{
    Fund101();
    // No estimate on a chain without transactions: -fallbackfee.
    EXPECT_FALSE(m_chain->EstimateFeeRate(6, true));
    auto sent = m_wallet->Send({Recipient{m_stranger, COIN}});
    ASSERT_TRUE(sent) << sent.error().message;
    const size_t size = Sent(*sent).GetTotalSize();
    Amount fee = -*m_wallet->GetTransaction(*sent)->fee;
    EXPECT_GE(fee, FeeForSize(DEFAULT_FALLBACK_FEE, size));
    EXPECT_LE(fee, FeeForSize(DEFAULT_FALLBACK_FEE, size + INPUT_SIZE + OUTPUT_SIZE));

    // settxfee.
    m_wallet->SetPayTxFee(100'000);
    EXPECT_EQ(m_wallet->PayTxFee(), 100'000);
    sent = m_wallet->Send({Recipient{m_stranger, COIN}});
    ASSERT_TRUE(sent) << sent.error().message;
    fee = -*m_wallet->GetTransaction(*sent)->fee;
    EXPECT_GE(fee, FeeForSize(100'000, Sent(*sent).GetTotalSize()));

    // An explicit rate wins; below the relay minimum it is refused.
    CoinControl control;
    control.fee_rate = 5'000;
    sent = m_wallet->Send({Recipient{m_stranger, COIN}}, control);
    ASSERT_TRUE(sent) << sent.error().message;
    fee = -*m_wallet->GetTransaction(*sent)->fee;
    EXPECT_GE(fee, FeeForSize(5'000, Sent(*sent).GetTotalSize()));
    EXPECT_LT(fee, FeeForSize(100'000, Sent(*sent).GetTotalSize()));
    control.fee_rate = 999;
    auto too_low = m_wallet->Send({Recipient{m_stranger, COIN}}, control);
    ASSERT_FALSE(too_low);
    EXPECT_EQ(too_low.error().failure, SendFailure::INVALID);
    m_wallet->SetPayTxFee(std::nullopt);
    EXPECT_FALSE(m_wallet->PayTxFee());

    // -fallbackfee=0 and no estimate: the send fails before choosing coins.
    WalletOptions no_fallback;
    no_fallback.keypool = 10;
    no_fallback.fallback_fee = 0;
    WalletManager manager{*m_chain, m_dir.path() / "wallets2", no_fallback};
    auto other = manager.Create("nofee", {});
    ASSERT_TRUE(other) << other.error().message;
    auto refused = (*other)->Send({Recipient{m_stranger, COIN}});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().failure, SendFailure::FEE_ESTIMATION);
    ASSERT_TRUE(manager.Unload("nofee"));
}

TEST_F(WalletSpendTest, FundSignAndBroadcast)
{
    Fund101();
    MutableTransaction mtx;
    mtx.outputs.push_back({5 * COIN, m_stranger});
    auto funded = m_wallet->Fund(mtx, {}, {});
    ASSERT_TRUE(funded) << funded.error().message;
    EXPECT_EQ(funded->tx.inputs.size(), 1u);
    EXPECT_GT(funded->fee, 0);
    ASSERT_GE(funded->change_position, 0);
    EXPECT_EQ(funded->tx.outputs.size(), 2u);
    for (const TxIn& in : funded->tx.inputs) EXPECT_TRUE(in.witness.empty());  // unsigned

    auto signed_tx = m_wallet->SignTransaction(funded->tx);
    ASSERT_TRUE(signed_tx) << signed_tx.error().message;
    EXPECT_TRUE(signed_tx->errors.empty());
    const Transaction tx{signed_tx->tx};
    EXPECT_TRUE(m_pool->AcceptToMemoryPool(tx).Accepted());
    EXPECT_EQ(-*m_wallet->GetTransaction(tx.GetTxid())->fee, funded->fee);

    // Preset inputs only (add_inputs false): the preset coin pays, the rest is change.
    auto coins = m_wallet->ListUnspent({});
    ASSERT_TRUE(coins);
    ASSERT_FALSE(coins->empty());
    MutableTransaction preset;
    TxIn in;
    in.prevout = coins->front().outpoint;
    preset.inputs.push_back(in);
    preset.outputs.push_back({COIN, m_stranger});
    CoinControl only_preset;
    only_preset.add_inputs = false;
    auto funded_preset = m_wallet->Fund(preset, {}, only_preset);
    ASSERT_TRUE(funded_preset) << funded_preset.error().message;
    EXPECT_EQ(funded_preset->tx.inputs.size(), 1u);
    EXPECT_EQ(funded_preset->tx.outputs.size(), 2u);
    // Not enough with the preset coin alone.
    preset.outputs[0].amount = coins->front().amount;
    auto short_preset = m_wallet->Fund(preset, {}, only_preset);
    ASSERT_FALSE(short_preset);
    EXPECT_EQ(short_preset.error().failure, SendFailure::INSUFFICIENT_FUNDS);

    // An input the wallet does not know: nothing is signed.
    MutableTransaction foreign = funded->tx;
    TxIn stranger_in;
    stranger_in.prevout = {uint256::FromHex(std::string(64, '1')).value(), 0};
    foreign.inputs.push_back(stranger_in);
    auto unsigned_tx = m_wallet->SignTransaction(foreign);
    ASSERT_TRUE(unsigned_tx);
    EXPECT_EQ(unsigned_tx->errors.size(), foreign.inputs.size());
}

TEST_F(WalletSpendTest, AbandonATransactionTheMempoolRefused)
{
    Fund101();
    // A cheap payment, then the wallet is loaded by a node whose mempool
    // asks a higher relay fee (as a restart with -minrelaytxfee): refused.
    CoinControl cheap;
    cheap.fee_rate = 1'000;
    auto sent = m_wallet->Send({Recipient{m_stranger, COIN}}, cheap);
    ASSERT_TRUE(sent) << sent.error().message;
    auto in_pool = m_wallet->AbandonTransaction(*sent);
    ASSERT_FALSE(in_pool);
    EXPECT_EQ(in_pool.error().failure, AbandonFailure::NOT_ELIGIBLE);
    auto unknown = m_wallet->AbandonTransaction(uint256{});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().failure, AbandonFailure::NOT_FOUND);
    const Amount balance_with_send = Balances(*m_wallet).trusted;

    m_wallet.reset();
    ASSERT_TRUE(m_manager->Unload("w"));
    MempoolOptions strict;
    strict.min_relay_fee_rate = 100'000;
    Mempool pool2{*m_chainstate, strict};
    NodeWalletChain chain2{*m_chainstate, pool2, m_clock};
    WalletOptions options;
    options.keypool = 10;
    {
        WalletManager manager2{chain2, m_dir.path() / "wallets", options};
        auto loaded = manager2.Load("w");
        ASSERT_TRUE(loaded) << loaded.error().message;
        auto wallet = *loaded;
        EXPECT_FALSE(pool2.Exists(*sent));
        // Refused at load: the coins it spent are free already; abandoning
        // keeps it from coming back.
        EXPECT_GT(Balances(*wallet).trusted, balance_with_send);
        EXPECT_FALSE(wallet->GetTransaction(*sent)->abandoned);
        ASSERT_TRUE(wallet->AbandonTransaction(*sent));
        EXPECT_TRUE(wallet->GetTransaction(*sent)->abandoned);
        auto again = wallet->AbandonTransaction(*sent);
        ASSERT_FALSE(again);
        EXPECT_EQ(again.error().failure, AbandonFailure::NOT_ELIGIBLE);
        ASSERT_TRUE(manager2.Unload("w"));
    }
    // Loaded again where the pool would take it: not resubmitted.
    Mempool pool3{*m_chainstate, MempoolOptions{}};
    NodeWalletChain chain3{*m_chainstate, pool3, m_clock};
    WalletManager manager3{chain3, m_dir.path() / "wallets", options};
    auto loaded = manager3.Load("w");
    ASSERT_TRUE(loaded) << loaded.error().message;
    EXPECT_FALSE(pool3.Exists(*sent));
    EXPECT_TRUE((*loaded)->GetTransaction(*sent)->abandoned);
    ASSERT_TRUE(manager3.Unload("w"));
}

}  // namespace
}  // namespace hpips::wallet
