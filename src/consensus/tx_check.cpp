// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/tx_check.h>

#include <consensus/job_check.h>
#include <crypto/key.h>
#include <primitives/amount.h>
#include <primitives/sighash.h>

#include <algorithm>
#include <vector>

namespace hpips {
namespace {

/** True when the destination is of a kind this rule set knows, with its
 *  exact payload size. Unknown kinds are invalid until a rule defines them,
 *  so nobody can lock coins in an output nothing can ever spend by accident. */
bool IsKnownDestination(const Destination& dest) { return dest.IsKey(); }

bool HasDuplicateInputs(const Transaction& tx)
{
    std::vector<OutPoint> prevouts;
    prevouts.reserve(tx.inputs().size());
    for (const auto& in : tx.inputs()) prevouts.push_back(in.prevout);
    std::sort(prevouts.begin(), prevouts.end());
    return std::adjacent_find(prevouts.begin(), prevouts.end()) != prevouts.end();
}

}  // namespace

bool CheckTransaction(const Transaction& tx, TxValidationState& state)
{
    if (tx.inputs().empty()) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-vin-empty");
    if (tx.outputs().empty()) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-vout-empty");
    if (tx.GetTotalSize() > MAX_TX_SIZE) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-oversize");
    if (tx.GetBaseSize() == FORBIDDEN_TX_BASE_SIZE) {
        return state.Invalid(TxFailure::CONSENSUS, "bad-txns-size-64");
    }

    Amount total_out = 0;
    for (const auto& out : tx.outputs()) {
        if (out.amount < 0) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-vout-negative");
        if (out.amount > MAX_MONEY) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-vout-toolarge");
        const auto sum = CheckedMoneyAdd(total_out, out.amount);
        if (!sum) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-txouttotal-toolarge");
        total_out = *sum;
        if (IsJobDestinationKind(out.destination.kind)) {
            // Transitional rule (doc/jobs.md, "Not yet wired"): the job kinds
            // decode, but no block or mempool accepts them until the ledger
            // handles them. This is the only place that keeps them out.
            if (!JOB_KINDS_ACTIVE) return state.Invalid(TxFailure::CONSENSUS, "job-kinds-not-active");
        } else if (!IsKnownDestination(out.destination)) {
            return state.Invalid(TxFailure::CONSENSUS, "bad-txns-destination-unknown");
        }
    }
    if constexpr (JOB_KINDS_ACTIVE) {
        if (!JobCheckToState(CheckJobTransaction(tx), state)) return false;
    }

    // Every path checks duplicates, coinbase included (CVE-2018-17144 came
    // from skipping this once a block was "already checked").
    if (HasDuplicateInputs(tx)) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-inputs-duplicate");

    if (tx.IsCoinbase()) {
        if (tx.inputs()[0].witness.size() > MAX_COINBASE_WITNESS_SIZE) {
            return state.Invalid(TxFailure::CONSENSUS, "bad-cb-length");
        }
    } else {
        for (const auto& in : tx.inputs()) {
            if (in.prevout.IsNull()) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-prevout-null");
        }
    }
    return true;
}

bool VerifyTransactionSignatures(const Transaction& tx, std::span<const TxOut> spent_outputs, Network network,
                                 TxValidationState& state)
{
    auto precomputed = PrecomputedTxData::Compute(tx, spent_outputs);
    if (!precomputed) return state.Invalid(TxFailure::CONSENSUS, "bad-txns-spent-count", precomputed.error_message());
    for (size_t i = 0; i < tx.inputs().size(); ++i) {
        const Destination& dest = spent_outputs[i].destination;
        if (!dest.IsKey()) {
            return state.Invalid(TxFailure::CONSENSUS, "bad-txns-unspendable-destination",
                                 "input " + std::to_string(i));
        }
        const auto& witness = tx.inputs()[i].witness;
        if (witness.size() != 64) {
            return state.Invalid(TxFailure::CONSENSUS, "bad-witness-size", "input " + std::to_string(i));
        }
        const XOnlyPubKey key{std::span<const uint8_t, 32>{dest.payload.data(), 32}};
        const uint256 sighash = SignatureHash(tx, static_cast<uint32_t>(i), *precomputed, network);
        if (!key.VerifySchnorr(sighash, witness)) {
            return state.Invalid(TxFailure::CONSENSUS, "bad-signature", "input " + std::to_string(i));
        }
    }
    return true;
}

}  // namespace hpips
