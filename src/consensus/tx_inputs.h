// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_TX_INPUTS_H
#define HPIPS_CONSENSUS_TX_INPUTS_H

#include <consensus/validation_state.h>
#include <primitives/amount.h>
#include <primitives/transaction.h>

#include <cstdint>
#include <optional>
#include <span>

/** The transaction rules that depend on the coins being spent. */
namespace hpips {

/** What consensus needs to know about a coin an input spends: the output,
 *  the height of the block that created it, and whether a coinbase did.
 *  A view: the caller owns the output (the chain's coins cache). */
struct SpentCoin {
    const TxOut* out{nullptr};
    int64_t height{0};
    bool coinbase{false};
};

/** Checks a non-coinbase transaction against the coins it spends
 *  (`spent[i]` for input i) in a block at `spend_height`: coinbase maturity
 *  (a coinbase of height h is spendable from height h + COINBASE_MATURITY,
 *  so a height-1 coinbase when the tip is 100); every spent amount in
 *  MoneyRange before it is summed; the sum of inputs in MoneyRange and not
 *  below the outputs. Returns the fee, or nullopt with `state` set. */
std::optional<Amount> CheckTxInputs(const Transaction& tx, std::span<const SpentCoin> spent, int64_t spend_height,
                                    TxValidationState& state);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_TX_INPUTS_H
