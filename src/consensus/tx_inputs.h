// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_TX_INPUTS_H
#define HPIPS_CONSENSUS_TX_INPUTS_H

#include <consensus/validation_state.h>
#include <primitives/amount.h>
#include <primitives/network.h>
#include <primitives/sighash.h>
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

/** Checks the signature of input `input_index` of `tx`, which spends
 *  `spent_output`, on chain `network`: the rule VerifyTransactionSignatures
 *  (tx_check.h) applies to each input, with the same reasons and detail
 *  ("input <i>"), in the same order: the spent destination must be a KEY
 *  destination ("bad-txns-unspendable-destination"), the witness exactly 64
 *  bytes ("bad-witness-size"), and a valid BIP-340 signature of
 *  SignatureHash(tx, input_index, precomputed, network) ("bad-signature").
 *  An index past the inputs fails with "bad-txns-spent-count".
 *
 *  For checking one transaction's inputs separately (on several threads):
 *  `precomputed` must be PrecomputedTxData::Compute(tx, <all spent outputs>),
 *  computed once per transaction and shared by its inputs; the input's own
 *  cost is one sighash (a few hundred bytes hashed) and one verification.
 *  Pure: safe to call from any thread at once. */
bool CheckInputSignature(const Transaction& tx, uint32_t input_index, const TxOut& spent_output,
                         const PrecomputedTxData& precomputed, Network network, TxValidationState& state);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_TX_INPUTS_H
