// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/tx_inputs.h>

#include <consensus/params.h>
#include <crypto/key.h>

#include <string>

namespace hpips {

std::optional<Amount> CheckTxInputs(const Transaction& tx, std::span<const SpentCoin> spent, int64_t spend_height,
                                    TxValidationState& state)
{
    if (spent.size() != tx.inputs().size()) {
        state.Invalid(TxFailure::MISSING_INPUTS, "bad-txns-inputs-missingorspent");
        return std::nullopt;
    }
    Amount value_in = 0;
    for (const SpentCoin& coin : spent) {
        if (coin.out == nullptr) {
            state.Invalid(TxFailure::MISSING_INPUTS, "bad-txns-inputs-missingorspent");
            return std::nullopt;
        }
        if (coin.coinbase && spend_height - coin.height < COINBASE_MATURITY) {
            state.Invalid(TxFailure::PREMATURE_SPEND, "bad-txns-premature-spend-of-coinbase",
                          "tried to spend coinbase at depth " + std::to_string(spend_height - coin.height));
            return std::nullopt;
        }
        if (!MoneyRange(coin.out->amount)) {
            state.Invalid(TxFailure::CONSENSUS, "bad-txns-inputvalues-outofrange");
            return std::nullopt;
        }
        const auto sum = CheckedMoneyAdd(value_in, coin.out->amount);
        if (!sum) {
            state.Invalid(TxFailure::CONSENSUS, "bad-txns-inputvalues-outofrange");
            return std::nullopt;
        }
        value_in = *sum;
    }
    Amount value_out = 0;
    for (const auto& out : tx.outputs()) value_out += out.amount;  // CheckTransaction bounded every partial sum
    if (value_in < value_out) {
        state.Invalid(TxFailure::CONSENSUS, "bad-txns-in-belowout");
        return std::nullopt;
    }
    return value_in - value_out;
}

bool CheckInputSignature(const Transaction& tx, uint32_t input_index, const TxOut& spent_output,
                         const PrecomputedTxData& precomputed, Network network, TxValidationState& state)
{
    if (input_index >= tx.inputs().size()) {
        return state.Invalid(TxFailure::CONSENSUS, "bad-txns-spent-count",
                             "input " + std::to_string(input_index) + " of " + std::to_string(tx.inputs().size()));
    }
    const Destination& dest = spent_output.destination;
    if (!dest.IsKey()) {
        return state.Invalid(TxFailure::CONSENSUS, "bad-txns-unspendable-destination",
                             "input " + std::to_string(input_index));
    }
    const auto& witness = tx.inputs()[input_index].witness;
    if (witness.size() != SCHNORR_SIGNATURE_SIZE) {
        return state.Invalid(TxFailure::CONSENSUS, "bad-witness-size", "input " + std::to_string(input_index));
    }
    const XOnlyPubKey key{std::span<const uint8_t, XONLY_KEY_SIZE>{dest.payload.data(), XONLY_KEY_SIZE}};
    const uint256 sighash = SignatureHash(tx, input_index, precomputed, network);
    if (!key.VerifySchnorr(sighash, witness)) {
        return state.Invalid(TxFailure::CONSENSUS, "bad-signature", "input " + std::to_string(input_index));
    }
    return true;
}

}  // namespace hpips
