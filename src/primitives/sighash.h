// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_SIGHASH_H
#define HPIPS_PRIMITIVES_SIGHASH_H

#include <primitives/network.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <span>
#include <string_view>

/**
 * The message a transaction input's BIP-340 signature signs, modelled on
 * BIP-341's: it commits to the chain, every input's outpoint, spent amount,
 * spent destination and sequence, every output, the version, the lock time and
 * the input's index. doc/transactions.md lists the exact bytes in order.
 */
namespace hpips {

/** Tag of the BIP-340 tagged hash that produces the signature hash. */
constexpr std::string_view SIGHASH_TAG = "HPIPS/sighash";

/** The only hash type today: the signature commits to all inputs and all
 *  outputs. A 64-byte signature means SIGHASH_ALL; no other type is valid yet,
 *  but the byte is hashed so that later types cannot collide with it. */
constexpr uint8_t SIGHASH_ALL = 0;

/** The per-transaction parts of every input's signature hash, computed once
 *  (so signing or checking n inputs costs O(n), not O(n^2)). Each field is a
 *  single SHA-256 over the concatenation, in input or output order, of: */
struct PrecomputedTxData {
    /** ... each input's outpoint (txid 32 bytes, index u32). */
    uint256 sha_prevouts;
    /** ... each spent output's amount (i64). */
    uint256 sha_amounts;
    /** ... each spent output's destination (kind u8, CompactSize length, payload). */
    uint256 sha_destinations;
    /** ... each input's sequence (u32). */
    uint256 sha_sequences;
    /** ... each output (amount i64, destination). */
    uint256 sha_outputs;

    /** Computes the fields for `tx`, whose i-th input spends `spent_outputs[i]`.
     *  Fails when the number of spent outputs differs from the number of inputs. */
    static Result<PrecomputedTxData> Compute(const Transaction& tx, std::span<const TxOut> spent_outputs);
};

/** The 32-byte message input `input_index` of `tx` signs on chain `net`, with
 *  hash type SIGHASH_ALL. `precomputed` must have been computed for `tx`.
 *  The index is hashed, not used to access `tx`, so any value is safe; a
 *  verifier passes only indices of existing inputs. */
uint256 SignatureHash(const Transaction& tx, uint32_t input_index, const PrecomputedTxData& precomputed,
                      Network net);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_SIGHASH_H
