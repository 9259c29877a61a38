// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_AMOUNT_FORMAT_H
#define HPIPS_PRIMITIVES_AMOUNT_FORMAT_H

#include <primitives/amount.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

/** The decimal text form of amounts, used by RPC both ways so that no amount
 *  ever passes through a binary floating-point number. */
namespace hpips {

/** Digits after the decimal point: COIN is 10^AMOUNT_DECIMALS base units. */
constexpr size_t AMOUNT_DECIMALS = 8;

/** Longest text ParseMoney looks at; longer input is rejected before any
 *  work ("210000000.00000000" has 18 characters). */
constexpr size_t MAX_MONEY_STRING_LENGTH = 64;

/** `value` in coins with exactly AMOUNT_DECIMALS decimals, as Bitcoin Core's
 *  RPC prints amounts: "1.00000000", "0.00000001", "-2.50000000". Every
 *  int64_t is formatted exactly, including the most negative. */
std::string FormatMoney(Amount value);

/** Parses a non-negative decimal amount in coins, exactly: one or more
 *  digits, optionally '.' and 1 to AMOUNT_DECIMALS digits ("1", "1.5",
 *  "0.00000001", "21.00000000"). Returns nullopt for an empty string, a sign,
 *  spaces, an exponent, more than AMOUNT_DECIMALS decimals, a missing digit
 *  on either side of '.', or a value outside MoneyRange. */
std::optional<Amount> ParseMoney(std::string_view text);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_AMOUNT_FORMAT_H
