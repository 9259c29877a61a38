// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_COINSELECTION_H
#define HPIPS_WALLET_COINSELECTION_H

#include <primitives/amount.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

/**
 * Coin selection (doc/wallet.md, "Sending"): which unspent outputs fund a
 * payment, and whether it gets change.
 *
 *  1. Branch and bound over effective values (value minus the fee of
 *     spending the input) looks for a set whose total lands within
 *     [target, target + cost of change]: no change output is made and the
 *     small excess goes to the fee (change avoidance). The search is
 *     depth-first, largest coins first, bounded by BNB_MAX_TRIES, and keeps
 *     the set with the least excess.
 *  2. Otherwise largest-first: the largest coins until the target plus a
 *     change output's fee is met. Change below the dust threshold is not
 *     made; it goes to the fee.
 *
 * With `subtract_fee` (sendtoaddress subtractfeefromamount, sendmany
 * subtractfeefrom) the recipients pay the fee: coins count at their full
 * value, the target is the recipients' total alone, and `recipients_pay`
 * says how much of the fee their outputs must give up.
 *
 * Sizes follow HPIPS's transaction encoding (doc/transactions.md): every
 * input spends a KEY destination with a 64-byte signature.
 */
namespace hpips::wallet {

/** Fee rate in base units per 1000 bytes (as the mempool's FeeRate). */
using WalletFeeRate = int64_t;

/** Bytes of one input: outpoint 36, sequence 4, witness length 1, signature 64. */
constexpr size_t INPUT_SIZE = 36 + 4 + 1 + 64;
/** Bytes of one KEY output: amount 8, kind 1, length 1, key 32. */
constexpr size_t OUTPUT_SIZE = 8 + 1 + 1 + 32;
/** Bytes of a transaction without inputs or outputs: version 4, lock time 4,
 *  and the two counts (3 bytes each, enough for up to 65,535 entries). */
constexpr size_t TX_OVERHEAD_SIZE = 4 + 4 + 3 + 3;
/** Branch and bound gives up after this many steps (as Core's 100,000). */
constexpr size_t BNB_MAX_TRIES = 100'000;
/** Most inputs one transaction may spend: keeps it far below the
 *  mempool's MAX_STANDARD_TX_SIZE (400,000 bytes). */
constexpr size_t MAX_SELECTED_INPUTS = 2'000;

/** The fee of `size` bytes at `rate`, rounded up. */
Amount FeeForSize(WalletFeeRate rate, size_t size);
/** An output below this is dust at `relay_rate`: spending it would cost more
 *  than a third of it (Core's rule: 3 × the fee of the output plus the
 *  input that spends it). */
Amount DustThreshold(WalletFeeRate relay_rate);

/** What a payment needs. */
struct SelectionParams {
    /** Total paid to the recipients. */
    Amount target{0};
    /** Fee rate of the transaction. */
    WalletFeeRate fee_rate{0};
    /** Number of recipient outputs. */
    size_t recipient_outputs{1};
    /** Change below this is dropped into the fee. */
    Amount dust{0};
    /** The recipients pay the fee (see the file comment). */
    bool subtract_fee{false};
    /** Bytes already in the transaction beyond the overhead and the
     *  recipient outputs (fundrawtransaction's preset inputs, other outputs). */
    size_t extra_size{0};
};

enum class SelectionAlgorithm { BNB, LARGEST_FIRST };

/** A selection: indexes into the candidate list, the fee, the change (0 when
 *  none is made). */
struct SelectionResult {
    std::vector<size_t> selected;
    Amount input_total{0};
    Amount fee{0};
    Amount change{0};
    /** With subtract_fee: the part of `fee` taken from the recipients' outputs
     *  (the rest is excess the inputs carried beyond the target). */
    Amount recipients_pay{0};
    SelectionAlgorithm algorithm{SelectionAlgorithm::BNB};
};

enum class SelectionFailure {
    INSUFFICIENT_FUNDS,  //!< the candidates cannot pay target + fee
    TOO_MANY_INPUTS,     //!< it would take more than MAX_SELECTED_INPUTS
};

struct SelectionError {
    SelectionFailure failure;
    std::string message;
};

/** Selects from coins of the given values (see the file comment). */
Result<SelectionResult, SelectionError> SelectCoins(std::span<const Amount> values, const SelectionParams& params);

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_COINSELECTION_H
