// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_AMOUNT_H
#define HPIPS_PRIMITIVES_AMOUNT_H

#include <cstdint>
#include <optional>
#include <span>

namespace hpips {

/** An amount in base units; 1 coin = COIN base units. Signed so that a
 *  difference can be negative, but every amount in a valid transaction lies
 *  in [0, MAX_MONEY]. */
using Amount = int64_t;

/** Base units per coin. */
constexpr Amount COIN = 100'000'000;

/** No amount larger than this is valid: 210,000,000 coins, the total the
 *  issuance schedule can ever create (50 coins halving every 2,100,000 blocks). */
constexpr Amount MAX_MONEY = 210'000'000 * COIN;

/** True when 0 <= value <= MAX_MONEY. */
constexpr bool MoneyRange(Amount value) { return value >= 0 && value <= MAX_MONEY; }

/** Sum of amounts each in MoneyRange, returned only if every partial sum stays
 *  in MoneyRange (so no overflow is possible); nullopt otherwise. */
std::optional<Amount> CheckedMoneySum(std::span<const Amount> amounts);

/** a + b when both and the result are in MoneyRange; nullopt otherwise. */
std::optional<Amount> CheckedMoneyAdd(Amount a, Amount b);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_AMOUNT_H
