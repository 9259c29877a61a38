// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/sighash.h>

#include <crypto/sha256.h>
#include <util/serialize.h>
#include <util/strencodings.h>

#include <string>

namespace hpips {

Result<PrecomputedTxData> PrecomputedTxData::Compute(const Transaction& tx, std::span<const TxOut> spent_outputs)
{
    if (spent_outputs.size() != tx.inputs().size()) {
        return Error{"spent outputs (" + std::to_string(spent_outputs.size()) + ") do not match inputs (" +
                     std::to_string(tx.inputs().size()) + ")"};
    }
    Writer prevouts, amounts, destinations, sequences, outputs;
    for (const TxIn& in : tx.inputs()) {
        WriteOutPoint(prevouts, in.prevout);
        sequences.WriteU32(in.sequence);
    }
    for (const TxOut& spent : spent_outputs) {
        amounts.WriteI64(spent.amount);
        WriteDestination(destinations, spent.destination);
    }
    for (const TxOut& out : tx.outputs()) WriteTxOut(outputs, out);

    PrecomputedTxData data;
    data.sha_prevouts = Sha256Hash(prevouts.data());
    data.sha_amounts = Sha256Hash(amounts.data());
    data.sha_destinations = Sha256Hash(destinations.data());
    data.sha_sequences = Sha256Hash(sequences.data());
    data.sha_outputs = Sha256Hash(outputs.data());
    return data;
}

uint256 SignatureHash(const Transaction& tx, uint32_t input_index, const PrecomputedTxData& precomputed,
                      Network net)
{
    Writer msg;
    // Chain tag: the network's name, length-prefixed, so a signature made for
    // one chain is never valid on another that shares the same coins.
    msg.WriteByteVector(StringBytes(NetworkName(net)));
    msg.WriteU8(SIGHASH_ALL);
    msg.WriteU32(tx.version());
    msg.WriteU32(tx.lock_time());
    msg.WriteUint256(precomputed.sha_prevouts);
    msg.WriteUint256(precomputed.sha_amounts);
    msg.WriteUint256(precomputed.sha_destinations);
    msg.WriteUint256(precomputed.sha_sequences);
    msg.WriteUint256(precomputed.sha_outputs);
    msg.WriteU32(input_index);
    return TaggedHash(SIGHASH_TAG, msg.data());
}

}  // namespace hpips
