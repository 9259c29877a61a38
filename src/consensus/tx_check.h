// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_TX_CHECK_H
#define HPIPS_CONSENSUS_TX_CHECK_H

#include <consensus/validation_state.h>
#include <primitives/network.h>
#include <primitives/transaction.h>

#include <span>

/** Transaction rules that need no chain state (doc/consensus.md,
 *  "Transactions"). The contextual rules (inputs exist, maturity, amounts in
 *  versus out) are in tx_inputs.h; both are pure functions. */
namespace hpips {

/** A transaction whose base (witness-less) serialization is exactly this
 *  many bytes is invalid, as in Bitcoin: 64 bytes is the size of an inner
 *  Merkle node. HPIPS's domain-separated tree is immune, but the rule costs
 *  nothing and keeps SPV-style proofs unambiguous for any tree a light client
 *  might build. */
constexpr size_t FORBIDDEN_TX_BASE_SIZE = 64;
/** Most bytes a coinbase witness may carry (extra nonce, a message). */
constexpr size_t MAX_COINBASE_WITNESS_SIZE = 100;

/** Context-free checks, in this order: inputs and outputs non-empty; size
 *  within MAX_TX_SIZE and base size not FORBIDDEN_TX_BASE_SIZE; every output
 *  amount in MoneyRange before it is summed and the running sum too; every
 *  destination of a known kind and exact size (an output of a job kind fails
 *  with "job-kinds-not-active" while JOB_KINDS_ACTIVE is false, job_check.h); no input spent twice (checked
 *  for every transaction, coinbase or not, on every path); coinbase: one
 *  input, witness at most MAX_COINBASE_WITNESS_SIZE; others: no null prevout. */
bool CheckTransaction(const Transaction& tx, TxValidationState& state);

/** Verifies every input's BIP-340 signature. `spent_outputs[i]` is the
 *  output input i spends (the caller looked it up). Each spent destination
 *  must be a KEY destination with a valid x-only key and each witness exactly
 *  64 bytes: a signature over SignatureHash(tx, i, network). Not for coinbases. */
bool VerifyTransactionSignatures(const Transaction& tx, std::span<const TxOut> spent_outputs, Network network,
                                 TxValidationState& state);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_TX_CHECK_H
