// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/amount.h>
#include <primitives/amount_format.h>

#include <fmt/format.h>

namespace hpips {

static_assert(COIN == 100'000'000, "AMOUNT_DECIMALS assumes COIN = 10^8");

std::optional<Amount> CheckedMoneyAdd(Amount a, Amount b)
{
    if (!MoneyRange(a) || !MoneyRange(b)) return std::nullopt;
    // Both are at most MAX_MONEY (< 2^63 / 2), so the sum cannot overflow.
    const Amount sum{a + b};
    if (!MoneyRange(sum)) return std::nullopt;
    return sum;
}

std::optional<Amount> CheckedMoneySum(std::span<const Amount> amounts)
{
    Amount total{0};
    for (Amount value : amounts) {
        const auto next{CheckedMoneyAdd(total, value)};
        if (!next) return std::nullopt;
        total = *next;
    }
    return total;
}

std::string FormatMoney(Amount value)
{
    // Work on the magnitude as unsigned so that INT64_MIN has one too.
    const bool negative{value < 0};
    const uint64_t magnitude{negative ? uint64_t{0} - static_cast<uint64_t>(value) : static_cast<uint64_t>(value)};
    const auto coin{static_cast<uint64_t>(COIN)};
    // fmt pads the fraction; std::string::insert trips GCC 12's -Wrestrict
    // false positive at -O3.
    return fmt::format("{}{}.{:0{}}", negative ? "-" : "", magnitude / coin, magnitude % coin, AMOUNT_DECIMALS);
}

std::optional<Amount> ParseMoney(std::string_view text)
{
    if (text.empty() || text.size() > MAX_MONEY_STRING_LENGTH) return std::nullopt;
    const size_t point{text.find('.')};
    const std::string_view whole{text.substr(0, point)};
    const std::string_view fraction{point == std::string_view::npos ? std::string_view{} : text.substr(point + 1)};
    if (whole.empty()) return std::nullopt;
    if (point != std::string_view::npos && (fraction.empty() || fraction.size() > AMOUNT_DECIMALS)) {
        return std::nullopt;
    }
    constexpr Amount MAX_WHOLE_COINS{MAX_MONEY / COIN};
    Amount coins{0};
    for (char c : whole) {
        if (c < '0' || c > '9') return std::nullopt;
        coins = coins * 10 + (c - '0');
        // Stop before the multiplication above can overflow.
        if (coins > MAX_WHOLE_COINS) return std::nullopt;
    }
    Amount units{0};
    for (size_t i{0}; i < AMOUNT_DECIMALS; ++i) {
        units *= 10;
        if (i < fraction.size()) {
            const char c{fraction[i]};
            if (c < '0' || c > '9') return std::nullopt;
            units += c - '0';
        }
    }
    const Amount value{coins * COIN + units};
    if (!MoneyRange(value)) return std::nullopt;
    return value;
}

}  // namespace hpips
