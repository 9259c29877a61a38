// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/tx_inputs.h>

#include <consensus/params.h>

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

}  // namespace hpips
