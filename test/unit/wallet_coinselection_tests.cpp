// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/coinselection.h>
#include <wallet/spend.h>

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

SelectionParams SubtractFeeParams(Amount target)
{
    SelectionParams params = Params(target);
    params.subtract_fee = true;
    return params;
}

TEST(WalletCoinSelection, ChangeAvoidanceUpToCostOfChange)
{
    const Amount target = 10'000;
    const Amount cost_of_change = CHANGE_OUTPUT_FEE + INPUT_FEE;
    // An excess up to the cost of a change output (and of spending it) is
    // given to the fee: no change, branch and bound.
    const Amount coin = target + BASE_FEE + INPUT_FEE + cost_of_change;
    auto avoided = SelectCoins(std::vector<Amount>{coin}, Params(target));
    ASSERT_TRUE(avoided) << avoided.error().message;
    EXPECT_EQ(avoided->algorithm, SelectionAlgorithm::BNB);
    EXPECT_EQ(avoided->change, 0);
    EXPECT_EQ(avoided->fee, coin - target);
    // One more and branch and bound finds nothing; the change would be dust,
    // so it still goes to the fee (largest-first).
    auto dusty = SelectCoins(std::vector<Amount>{coin + 1}, Params(target));
    ASSERT_TRUE(dusty) << dusty.error().message;
    EXPECT_EQ(dusty->algorithm, SelectionAlgorithm::LARGEST_FIRST);
    EXPECT_EQ(dusty->change, 0);
    EXPECT_EQ(dusty->fee, coin + 1 - target);
}

TEST(WalletCoinSelection, SubtractFeeExactCoinPaysFeeFromRecipient)
{
    // The recipients pay the fee: a coin worth exactly the target is enough,
    // where without subtract_fee it is short by the fee.
    const Amount target = 10'000;
    ASSERT_FALSE(SelectCoins(std::vector<Amount>{target}, Params(target)));
    auto result = SelectCoins(std::vector<Amount>{target, 50'000}, SubtractFeeParams(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->algorithm, SelectionAlgorithm::BNB);
    ASSERT_EQ(result->selected, std::vector<size_t>{0});
    EXPECT_EQ(result->change, 0);
    EXPECT_EQ(result->recipients_pay, BASE_FEE + INPUT_FEE);
    EXPECT_EQ(result->fee, BASE_FEE + INPUT_FEE);
    EXPECT_EQ(result->input_total, target);
}

TEST(WalletCoinSelection, SubtractFeeWithChange)
{
    const Amount target = 30'000;
    auto result = SelectCoins(std::vector<Amount>{100'000}, SubtractFeeParams(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->algorithm, SelectionAlgorithm::LARGEST_FIRST);
    // The change keeps all the excess; the recipient pays the whole fee.
    EXPECT_EQ(result->change, 100'000 - target);
    EXPECT_EQ(result->recipients_pay, BASE_FEE + INPUT_FEE + CHANGE_OUTPUT_FEE);
    EXPECT_EQ(result->fee, result->recipients_pay);
    EXPECT_EQ(result->input_total, target - result->recipients_pay + result->fee + result->change);
}

TEST(WalletCoinSelection, SubtractFeeDustExcessLowersRecipientsShare)
{
    // An excess below dust makes no change; it pays (part of) the fee, and
    // the recipients pay only the rest (here: nothing).
    const Amount target = 10'000;
    const Amount dust = DustThreshold(RATE);
    auto result = SelectCoins(std::vector<Amount>{target + dust - 1}, SubtractFeeParams(target));
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_EQ(result->change, 0);
    EXPECT_EQ(result->recipients_pay, 0);
    EXPECT_EQ(result->fee, dust - 1);
    // A small excess pays part of it.
    auto partial = SelectCoins(std::vector<Amount>{target + 100}, SubtractFeeParams(target));
    ASSERT_TRUE(partial) << partial.error().message;
    EXPECT_EQ(partial->change, 0);
    EXPECT_EQ(partial->recipients_pay, BASE_FEE + INPUT_FEE - 100);
    EXPECT_EQ(partial->fee, BASE_FEE + INPUT_FEE);
}

TEST(WalletCoinSelection, PresetValueCoversTarget)
{
    // fundrawtransaction with preset inputs worth more than the outputs: the
    // target is negative and the surplus comes back as change (no new coin).
    SelectionParams params = Params(-100'000);
    params.extra_size = INPUT_SIZE;
    auto result = SelectCoins(std::vector<Amount>{}, params);
    ASSERT_TRUE(result) << result.error().message;
    EXPECT_TRUE(result->selected.empty());
    EXPECT_EQ(result->fee, BASE_FEE + INPUT_FEE + CHANGE_OUTPUT_FEE);
    EXPECT_EQ(result->change, 100'000 - result->fee);
}

TEST(WalletSpend, SplitFee)
{
    EXPECT_EQ(SplitFee(10, 3), (std::vector<Amount>{4, 3, 3}));
    EXPECT_EQ(SplitFee(9, 3), (std::vector<Amount>{3, 3, 3}));
    EXPECT_EQ(SplitFee(7, 1), (std::vector<Amount>{7}));
    EXPECT_TRUE(SplitFee(7, 0).empty());
}

}  // namespace
}  // namespace hpips::wallet
