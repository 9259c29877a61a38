// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_TX_SIGN_H
#define HPIPS_PRIMITIVES_TX_SIGN_H

#include <crypto/key.h>
#include <primitives/network.h>
#include <primitives/transaction.h>

#include <cstddef>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

/**
 * Signing a transaction's inputs with whatever keys a caller holds: the one
 * routine behind signrawtransactionwithkey (keys given in the call) and
 * signrawtransactionwithwallet (the wallet's keys). Every HPIPS signature
 * commits to the outputs spent by all inputs (primitives/sighash.h), so
 * nothing is signed unless every spent output is known.
 */
namespace hpips {

/** Why one input is not (validly) signed; `error` is Core's text. */
struct InputSigningError {
    size_t input{0};
    std::string error;
};

/** The private key for a public key, nullopt when the caller has none. */
using SigningKeyLookup = std::function<std::optional<PrivKey>(const XOnlyPubKey&)>;

/**
 * Signs, in place, each input of `mtx` whose spent output `spent[i]` is a KEY
 * destination `find_key` has the key of (replacing any witness). An input
 * without a key keeps its witness, which is checked. Returns the inputs left
 * unsigned or badly signed, empty when the transaction is complete.
 * `spent` has one entry per input; when any is nullopt nothing is signed
 * and every input gets an error.
 */
std::vector<InputSigningError> SignTransactionInputs(MutableTransaction& mtx, std::span<const std::optional<TxOut>> spent,
                                                     const SigningKeyLookup& find_key, Network net);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_TX_SIGN_H
