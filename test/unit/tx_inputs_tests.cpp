// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/params.h>
#include <consensus/tx_inputs.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

Transaction Spend(size_t inputs, Amount out_amount)
{
    MutableTransaction mtx;
    for (size_t i = 0; i < inputs; ++i) {
        mtx.inputs.push_back(TxIn{OutPoint{uint256{std::array<uint8_t, 32>{1}}, static_cast<uint32_t>(i)}, SEQUENCE_FINAL, {}});
    }
    mtx.outputs = {TxOut{out_amount, Destination::ForKey({2})}};
    return Transaction{mtx};
}

std::string Reason(const Transaction& tx, std::span<const SpentCoin> spent, int64_t height, Amount* fee = nullptr)
{
    TxValidationState state;
    const auto result = CheckTxInputs(tx, spent, height, state);
    EXPECT_EQ(result.has_value(), state.IsValid());
    if (result && fee) *fee = *result;
    return result ? "ok" : state.GetReason();
}

TEST(TxInputs, FeeAndBalance)
{
    const TxOut a{3 * COIN, Destination::ForKey({})};
    const TxOut b{2 * COIN, Destination::ForKey({})};
    const SpentCoin spent[] = {{&a, 5, false}, {&b, 6, false}};
    Amount fee = 0;
    EXPECT_EQ(Reason(Spend(2, 4 * COIN), spent, 7, &fee), "ok");
    EXPECT_EQ(fee, COIN);
    EXPECT_EQ(Reason(Spend(2, 5 * COIN), spent, 7, &fee), "ok");
    EXPECT_EQ(fee, 0);
    EXPECT_EQ(Reason(Spend(2, 5 * COIN + 1), spent, 7), "bad-txns-in-belowout");
}

TEST(TxInputs, CoinbaseMaturity)
{
    // A height-1 coinbase: immature in block 100, spendable in block 101
    // (the block after tip 100).
    const TxOut cb{50 * COIN, Destination::ForKey({})};
    const SpentCoin spent[] = {{&cb, 1, true}};
    TxValidationState state;
    EXPECT_FALSE(CheckTxInputs(Spend(1, COIN), spent, 100, state));
    EXPECT_EQ(state.GetReason(), "bad-txns-premature-spend-of-coinbase");
    EXPECT_EQ(state.GetFailure(), TxFailure::PREMATURE_SPEND);
    EXPECT_EQ(Reason(Spend(1, COIN), spent, 1 + COINBASE_MATURITY), "ok");
    // Non-coinbase outputs are spendable at once.
    const SpentCoin plain[] = {{&cb, 100, false}};
    EXPECT_EQ(Reason(Spend(1, COIN), plain, 100), "ok");
}

TEST(TxInputs, AmountsRangeCheckedBeforeSumming)
{
    const TxOut huge{MAX_MONEY, Destination::ForKey({})};
    const TxOut one{1, Destination::ForKey({})};
    const TxOut bad{MAX_MONEY + 1, Destination::ForKey({})};
    const TxOut negative{-1, Destination::ForKey({})};
    const SpentCoin overflow[] = {{&huge, 1, false}, {&one, 1, false}};
    EXPECT_EQ(Reason(Spend(2, 1), overflow, 5), "bad-txns-inputvalues-outofrange");
    const SpentCoin out_of_range[] = {{&bad, 1, false}};
    EXPECT_EQ(Reason(Spend(1, 1), out_of_range, 5), "bad-txns-inputvalues-outofrange");
    const SpentCoin neg[] = {{&negative, 1, false}};
    EXPECT_EQ(Reason(Spend(1, 0), neg, 5), "bad-txns-inputvalues-outofrange");
}

TEST(TxInputs, MissingInputs)
{
    const TxOut a{COIN, Destination::ForKey({})};
    const SpentCoin one[] = {{&a, 1, false}};
    TxValidationState state;
    EXPECT_FALSE(CheckTxInputs(Spend(2, 1), one, 5, state));
    EXPECT_EQ(state.GetFailure(), TxFailure::MISSING_INPUTS);
    const SpentCoin null_coin[] = {{nullptr, 0, false}};
    EXPECT_EQ(Reason(Spend(1, 1), null_coin, 5), "bad-txns-inputs-missingorspent");
}

}  // namespace
}  // namespace hpips
