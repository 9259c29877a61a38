// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/amount.h>
#include <primitives/amount_format.h>

#include <gtest/gtest.h>

#include <limits>
#include <vector>

namespace hpips {
namespace {

TEST(amount, MoneyRange)
{
    EXPECT_TRUE(MoneyRange(0));
    EXPECT_TRUE(MoneyRange(MAX_MONEY));
    EXPECT_FALSE(MoneyRange(-1));
    EXPECT_FALSE(MoneyRange(MAX_MONEY + 1));
}

TEST(amount, CheckedMoneyAdd)
{
    EXPECT_EQ(CheckedMoneyAdd(1, 2), 3);
    EXPECT_EQ(CheckedMoneyAdd(0, MAX_MONEY), MAX_MONEY);
    EXPECT_EQ(CheckedMoneyAdd(MAX_MONEY, 1), std::nullopt);
    EXPECT_EQ(CheckedMoneyAdd(-1, 5), std::nullopt);
    EXPECT_EQ(CheckedMoneyAdd(5, -1), std::nullopt);
    EXPECT_EQ(CheckedMoneyAdd(std::numeric_limits<Amount>::max(), 1), std::nullopt);
    EXPECT_EQ(CheckedMoneyAdd(MAX_MONEY, MAX_MONEY), std::nullopt);
}

TEST(amount, CheckedMoneySum)
{
    EXPECT_EQ(CheckedMoneySum({}), 0);
    const std::vector<Amount> ok{COIN, 2 * COIN, 3};
    EXPECT_EQ(CheckedMoneySum(ok), 3 * COIN + 3);
    const std::vector<Amount> to_max{MAX_MONEY - 10, 10};
    EXPECT_EQ(CheckedMoneySum(to_max), MAX_MONEY);
    const std::vector<Amount> over{MAX_MONEY - 10, 10, 1};
    EXPECT_EQ(CheckedMoneySum(over), std::nullopt);
    // A negative element is refused even if the total would be in range.
    const std::vector<Amount> negative{10, -5};
    EXPECT_EQ(CheckedMoneySum(negative), std::nullopt);
    // Values that would overflow int64 if added blindly.
    const std::vector<Amount> huge{std::numeric_limits<Amount>::max(), std::numeric_limits<Amount>::max()};
    EXPECT_EQ(CheckedMoneySum(huge), std::nullopt);
}

TEST(amount, FormatMoney)
{
    EXPECT_EQ(FormatMoney(0), "0.00000000");
    EXPECT_EQ(FormatMoney(1), "0.00000001");
    EXPECT_EQ(FormatMoney(COIN), "1.00000000");
    EXPECT_EQ(FormatMoney(COIN / 2), "0.50000000");
    EXPECT_EQ(FormatMoney(12345678901), "123.45678901");
    EXPECT_EQ(FormatMoney(MAX_MONEY), "210000000.00000000");
    EXPECT_EQ(FormatMoney(-1), "-0.00000001");
    EXPECT_EQ(FormatMoney(-5 * COIN / 2), "-2.50000000");
    EXPECT_EQ(FormatMoney(std::numeric_limits<Amount>::max()), "92233720368.54775807");
    EXPECT_EQ(FormatMoney(std::numeric_limits<Amount>::min()), "-92233720368.54775808");
}

TEST(amount, ParseMoneyAccepts)
{
    EXPECT_EQ(ParseMoney("0"), 0);
    EXPECT_EQ(ParseMoney("1"), COIN);
    EXPECT_EQ(ParseMoney("1.5"), COIN + COIN / 2);
    EXPECT_EQ(ParseMoney("0.00000001"), 1);
    EXPECT_EQ(ParseMoney("0.1"), 10'000'000);
    EXPECT_EQ(ParseMoney("123.45678901"), 12345678901);
    EXPECT_EQ(ParseMoney("21.00000000"), 21 * COIN);
    EXPECT_EQ(ParseMoney("210000000"), MAX_MONEY);
    EXPECT_EQ(ParseMoney("210000000.00000000"), MAX_MONEY);
    EXPECT_EQ(ParseMoney("007"), 7 * COIN);
}

TEST(amount, ParseMoneyRejects)
{
    for (const char* text : {"", " ", "1 ", " 1", "1. 5", "-1", "-0", "+1", "1e8", "1E-8", "1.5e1", "0x10",
                             "1.000000001", "0.000000001", ".5", "1.", ".", "1.2.3", "1,5", "abc", "1a",
                             "210000000.00000001", "210000001", "99999999999999999999", "nan", "inf"}) {
        EXPECT_EQ(ParseMoney(text), std::nullopt) << '"' << text << '"';
    }
    EXPECT_EQ(ParseMoney(std::string(100, '0')), std::nullopt);
    EXPECT_EQ(ParseMoney(std::string_view{"1\0", 2}), std::nullopt);
}

TEST(amount, FormatParseRoundTrip)
{
    for (Amount value : {Amount{0}, Amount{1}, Amount{99}, COIN - 1, COIN, 50 * COIN, MAX_MONEY - 1, MAX_MONEY}) {
        EXPECT_EQ(ParseMoney(FormatMoney(value)), value) << value;
    }
}

}  // namespace
}  // namespace hpips
