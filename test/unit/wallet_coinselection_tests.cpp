// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/coinselection.h>

#include <gtest/gtest.h>

#include <vector>

namespace hpips::wallet {
namespace {

constexpr WalletFeeRate RATE = 1000;  // 1 base unit per byte
// With RATE: one input costs 105, one output 42, the base of a one-recipient
// transaction 14 + 42 = 56.
constexpr Amount INPUT_FEE = 105;
constexpr Amount BASE_FEE = 56;
constexpr Amount CHANGE_OUTPUT_FEE = 42;

SelectionParams Params(Amount target)
{
    SelectionParams params;
    params.target = target;
    params.fee_rate = RATE;
    params.recipient_outputs = 1;
    params.dust = DustThreshold(RATE);
    return params;
}

TEST(WalletCoinSelection, SizesAndFees)
{
    EXPECT_EQ(FeeForSize(RATE, INPUT_SIZE), INPUT_FEE);
    EXPECT_EQ(FeeForSize(RATE, OUTPUT_SIZE), CHANGE_OUTPUT_FEE);
    EXPECT_EQ(FeeForSize(RATE, TX_OVERHEAD_SIZE + OUTPUT_SIZE), BASE_FEE);
    EXPECT_EQ(FeeForSize(1, 1), 1);  // rounded up
    EXPECT_EQ(DustThreshold(RATE), 3 * (INPUT_FEE + CHANGE_OUTPUT_FEE));
}

TEST(WalletCoinSelection, ExactMatchMakesNoChange)
{
    const Amount target = 10'000;
    // One coin pays target + fees exactly; others do not fit.
    const std::vector<Amount> coins{50'000, target + BASE_FEE + INPUT_FEE, 3'000};
    auto result = SelectCoins(coins, Params(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->algorithm, SelectionAlgorithm::BNB);
    ASSERT_EQ(result->selected, std::vector<size_t>{1});
    EXPECT_EQ(result->change, 0);
    EXPECT_EQ(result->fee, BASE_FEE + INPUT_FEE);
}

TEST(WalletCoinSelection, BranchAndBoundCombinesCoins)
{
    const Amount target = 10'000;
    // 6,000 + 4,000 effective (+ fees) is exact; the big coin would need change.
    const std::vector<Amount> coins{100'000, 6'000 + INPUT_FEE, 4'000 + INPUT_FEE + BASE_FEE, 7'000};
    auto result = SelectCoins(coins, Params(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->algorithm, SelectionAlgorithm::BNB);
    EXPECT_EQ(result->change, 0);
    EXPECT_EQ(result->input_total - result->fee, target);
    EXPECT_EQ(result->selected.size(), 2u);
}

TEST(WalletCoinSelection, ChangeWhenNoExactMatch)
{
    const Amount target = 30'000;
    const std::vector<Amount> coins{100'000, 50'000};
    auto result = SelectCoins(coins, Params(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->algorithm, SelectionAlgorithm::LARGEST_FIRST);
    ASSERT_EQ(result->selected, std::vector<size_t>{0});
    EXPECT_EQ(result->fee, BASE_FEE + INPUT_FEE + CHANGE_OUTPUT_FEE);
    EXPECT_EQ(result->change, 100'000 - target - result->fee);
    EXPECT_EQ(result->input_total, target + result->fee + result->change);
}

TEST(WalletCoinSelection, DustChangeGoesToFee)
{
    const Amount target = 10'000;
    const Amount dust = DustThreshold(RATE);
    // Change would be dust - 1: above what branch and bound accepts, below dust.
    const Amount coin = target + BASE_FEE + INPUT_FEE + CHANGE_OUTPUT_FEE + dust - 1;
    auto result = SelectCoins(std::vector<Amount>{coin}, Params(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->algorithm, SelectionAlgorithm::LARGEST_FIRST);
    EXPECT_EQ(result->change, 0);
    EXPECT_EQ(result->fee, coin - target);
    // One more base unit and the change is exactly dust: it is made.
    auto bigger = SelectCoins(std::vector<Amount>{coin + 1}, Params(target));
    ASSERT_TRUE(bigger);
    EXPECT_EQ(bigger->change, dust);
}

TEST(WalletCoinSelection, InsufficientFunds)
{
    auto result = SelectCoins(std::vector<Amount>{1'000, 2'000}, Params(5'000));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().failure, SelectionFailure::INSUFFICIENT_FUNDS);
    // Enough value, but not once the fee is paid.
    auto short_by_fee = SelectCoins(std::vector<Amount>{5'000}, Params(5'000));
    ASSERT_FALSE(short_by_fee);
    EXPECT_EQ(short_by_fee.error().failure, SelectionFailure::INSUFFICIENT_FUNDS);
    // Coins worth less than the fee of spending them are ignored.
    auto uneconomic = SelectCoins(std::vector<Amount>{INPUT_FEE, INPUT_FEE - 1}, Params(1));
    ASSERT_FALSE(uneconomic);
    EXPECT_EQ(uneconomic.error().failure, SelectionFailure::INSUFFICIENT_FUNDS);
    auto nothing = SelectCoins(std::vector<Amount>{}, Params(1));
    ASSERT_FALSE(nothing);
}

TEST(WalletCoinSelection, AtMostMaxInputs)
{
    // MAX_SELECTED_INPUTS + 1 coins are needed: refused, not built.
    const Amount each = 1'000 + INPUT_FEE;
    std::vector<Amount> coins(MAX_SELECTED_INPUTS + 10, each);
    const Amount target = static_cast<Amount>(MAX_SELECTED_INPUTS) * 1'000 + 1;
    auto result = SelectCoins(coins, Params(target));
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error().failure, SelectionFailure::TOO_MANY_INPUTS);
    // Exactly MAX_SELECTED_INPUTS is fine.
    const Amount fits = static_cast<Amount>(MAX_SELECTED_INPUTS - 1) * 1'000;
    auto ok = SelectCoins(coins, Params(fits));
    ASSERT_TRUE(ok) << ok.error().message;
    EXPECT_LE(ok->selected.size(), MAX_SELECTED_INPUTS);
}

}  // namespace
}  // namespace hpips::wallet
