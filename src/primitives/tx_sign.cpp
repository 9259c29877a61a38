// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/tx_sign.h>

#include <crypto/random.h>
#include <primitives/sighash.h>

#include <array>

namespace hpips {

std::vector<InputSigningError> SignTransactionInputs(MutableTransaction& mtx, std::span<const std::optional<TxOut>> spent,
                                                     const SigningKeyLookup& find_key, Network net)
{
    std::vector<InputSigningError> errors;
    bool all_known{spent.size() == mtx.inputs.size()};
    for (const auto& out : spent) all_known = all_known && out.has_value();
    if (!all_known) {
        for (size_t i{0}; i < mtx.inputs.size(); ++i) {
            const bool known = i < spent.size() && spent[i].has_value();
            errors.push_back({i, known ? "Unable to sign input: the spent outputs of all inputs are needed (see prevtxs)"
                                       : "Input not found or already spent"});
        }
        return errors;
    }
    std::vector<TxOut> spent_outputs;
    spent_outputs.reserve(spent.size());
    for (const auto& out : spent) spent_outputs.push_back(*out);
    const Transaction unsigned_tx{mtx};
    const auto precomputed = PrecomputedTxData::Compute(unsigned_tx, spent_outputs);
    if (!precomputed) {
        for (size_t i{0}; i < mtx.inputs.size(); ++i) errors.push_back({i, precomputed.error_message()});
        return errors;
    }
    for (size_t i{0}; i < mtx.inputs.size(); ++i) {
        TxIn& in = mtx.inputs[i];
        const Destination& dest = spent_outputs[i].destination;
        if (!dest.IsKey()) {
            errors.push_back({i, "Unable to sign input, unknown destination kind"});
            continue;
        }
        const XOnlyPubKey pubkey{std::span<const uint8_t, XOnlyPubKey::SIZE>{dest.payload.data(), XOnlyPubKey::SIZE}};
        const uint256 hash = SignatureHash(unsigned_tx, static_cast<uint32_t>(i), *precomputed, net);
        if (const auto key = find_key(pubkey)) {
            std::array<uint8_t, SCHNORR_AUX_RAND_SIZE> aux{};
            GetStrongRandBytes(aux);
            const auto sig = key->SignSchnorr(hash, aux);
            in.witness.assign(sig.begin(), sig.end());
        } else if (in.witness.empty()) {
            errors.push_back({i, "Unable to sign input, invalid stack size (possibly missing key)"});
        } else if (!pubkey.VerifySchnorr(hash, in.witness)) {
            errors.push_back({i, "Invalid Schnorr signature"});
        }
    }
    return errors;
}

}  // namespace hpips
