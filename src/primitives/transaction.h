// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_TRANSACTION_H
#define HPIPS_PRIMITIVES_TRANSACTION_H

#include <primitives/amount.h>
#include <primitives/destination.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <compare>
#include <cstdint>
#include <span>
#include <vector>

/**
 * Transactions and their wire format (doc/transactions.md has every byte).
 *
 * Wire form:  version u32 | CompactSize n_in | n_in × (txid 32, index u32,
 *             sequence u32) | CompactSize n_out | n_out × (amount i64,
 *             destination) | lock_time u32 | n_in × witness (CompactSize
 *             length, bytes)
 *
 * The witness section is always present (one entry per input, no count of its
 * own), and it comes last, so the txid's serialization (everything before the
 * witnesses) is a prefix of the wire form:
 *   txid  = SHA256d(wire form without the witness section)
 *   wtxid = SHA256d(wire form)
 * Signatures therefore never change a txid.
 */
namespace hpips {

/** Largest encoded transaction; equal to MAX_BLOCK_SIZE (block.h checks that
 *  they agree), since a transaction must fit in a block. */
constexpr size_t MAX_TX_SIZE = 4'000'000;

/** Largest witness of one input. Today's only spend kind (a KEY destination)
 *  needs exactly 64 bytes, checked by consensus; the bound leaves room for
 *  later kinds (multi-key, escrow) without changing the encoding. */
constexpr size_t MAX_WITNESS_SIZE = 10'000;

/** Encoded size of an outpoint: txid (32) and index (4). */
constexpr size_t OUTPOINT_SIZE = 36;
/** Smallest encoding of an input outside the witness section: outpoint and sequence. */
constexpr size_t MIN_TX_INPUT_BASE_SIZE = OUTPOINT_SIZE + 4;
/** Smallest encoding of an input counting its (empty) witness length byte. */
constexpr size_t MIN_TX_INPUT_SIZE = MIN_TX_INPUT_BASE_SIZE + 1;
/** Smallest encoding of an output: amount (8), kind (1), empty payload length (1). */
constexpr size_t MIN_TX_OUTPUT_SIZE = 8 + 1 + 1;
/** Smallest encoding of any transaction: version, two zero counts, lock_time. */
constexpr size_t MIN_TX_SIZE = 4 + 1 + 1 + 4;
/** Most inputs a transaction of MAX_TX_SIZE can hold. */
constexpr size_t MAX_TX_INPUTS = MAX_TX_SIZE / MIN_TX_INPUT_SIZE;
/** Most outputs a transaction of MAX_TX_SIZE can hold. */
constexpr size_t MAX_TX_OUTPUTS = MAX_TX_SIZE / MIN_TX_OUTPUT_SIZE;

/** The version new transactions are created with. Any value decodes;
 *  consensus decides which are valid. */
constexpr uint32_t CURRENT_TX_VERSION = 1;
/** A sequence that disables relative lock-time for the input. */
constexpr uint32_t SEQUENCE_FINAL = 0xffffffff;

/** A reference to one output of an earlier transaction. */
struct OutPoint {
    /** Index value of the null outpoint a coinbase input spends. */
    static constexpr uint32_t NULL_INDEX = 0xffffffff;

    /** Id of the transaction that created the output. */
    uint256 txid;
    /** Position of the output in that transaction's outputs. */
    uint32_t index{NULL_INDEX};

    /** True for the coinbase's outpoint: zero txid and index NULL_INDEX. */
    bool IsNull() const { return txid.IsNull() && index == NULL_INDEX; }

    friend bool operator==(const OutPoint&, const OutPoint&) = default;
    /** Order by txid bytes then index: a stable key order for maps. */
    friend auto operator<=>(const OutPoint&, const OutPoint&) = default;
};

/** A transaction input: the coin it spends, its sequence, and the witness that
 *  authorises the spend (for a KEY destination, a 64-byte BIP-340
 *  signature). The witness is excluded from the txid. */
struct TxIn {
    OutPoint prevout;
    uint32_t sequence{SEQUENCE_FINAL};
    std::vector<uint8_t> witness;

    friend bool operator==(const TxIn&, const TxIn&) = default;
};

/** A transaction output: an amount paid to a destination. */
struct TxOut {
    Amount amount{0};
    Destination destination;

    friend bool operator==(const TxOut&, const TxOut&) = default;
};

/** The fields of a transaction while it is being built or signed. */
struct MutableTransaction {
    uint32_t version{CURRENT_TX_VERSION};
    std::vector<TxIn> inputs;
    std::vector<TxOut> outputs;
    uint32_t lock_time{0};

    friend bool operator==(const MutableTransaction&, const MutableTransaction&) = default;
};

/** An immutable transaction whose txid, wtxid and sizes are computed once at
 *  construction (one serialization), so reading them is free. */
class Transaction {
public:
    /** The empty transaction (no inputs, no outputs); never valid, useful as a placeholder. */
    Transaction();
    /** Freezes the fields and computes the ids and sizes. */
    explicit Transaction(MutableTransaction tx);

    /** The fields, read-only. */
    uint32_t version() const { return m_tx.version; }
    /** @copydoc version */
    const std::vector<TxIn>& inputs() const { return m_tx.inputs; }
    /** @copydoc version */
    const std::vector<TxOut>& outputs() const { return m_tx.outputs; }
    /** @copydoc version */
    uint32_t lock_time() const { return m_tx.lock_time; }
    /** The fields; copy them to build a modified transaction (e.g. to sign it). */
    const MutableTransaction& fields() const { return m_tx; }

    /** SHA256d of the serialization without the witness section. */
    const uint256& GetTxid() const { return m_txid; }
    /** SHA256d of the full wire form. */
    const uint256& GetWtxid() const { return m_wtxid; }
    /** Bytes of the full wire form (what counts toward MAX_BLOCK_SIZE). */
    size_t GetTotalSize() const { return m_total_size; }
    /** Bytes of the wire form without the witness section. */
    size_t GetBaseSize() const { return m_base_size; }

    /** True when the transaction has exactly one input and it spends the null
     *  outpoint: the shape of a coinbase. */
    bool IsCoinbase() const;

    /** Field-wise equality (the cached hashes follow from the fields). */
    friend bool operator==(const Transaction& a, const Transaction& b) { return a.m_tx == b.m_tx; }

private:
    MutableTransaction m_tx;
    uint256 m_txid;
    uint256 m_wtxid;
    size_t m_total_size{0};
    size_t m_base_size{0};
};

/** Writes a destination: kind u8, CompactSize payload length, payload. */
void WriteDestination(Writer& w, const Destination& dest);
/** Reads a destination; payload length at most MaxDestinationPayload(kind)
 *  (destination.h). Throws SerializeError. */
Destination ReadDestination(Reader& r);
/** Writes an output: amount i64, destination. */
void WriteTxOut(Writer& w, const TxOut& out);
/** Reads an output. Any amount decodes (consensus checks MoneyRange). Throws SerializeError. */
TxOut ReadTxOut(Reader& r);
/** Writes an outpoint: txid (32 bytes), index u32. */
void WriteOutPoint(Writer& w, const OutPoint& outpoint);
/** Reads an outpoint. Throws SerializeError. */
OutPoint ReadOutPoint(Reader& r);

/** Writes the wire form (with the witness section). */
void WriteTransaction(Writer& w, const MutableTransaction& tx);
/** Writes the form hashed for the txid (no witness section). */
void WriteTransactionNoWitness(Writer& w, const MutableTransaction& tx);
/** Reads the wire form of one transaction from a larger input (a block).
 *  Bounds: MAX_TX_INPUTS, MAX_TX_OUTPUTS, MAX_WITNESS_SIZE and the bytes left.
 *  Throws SerializeError; for use inside a Decode() boundary. */
Transaction ReadTransaction(Reader& r);

/** The wire form of a transaction. */
std::vector<uint8_t> EncodeTransaction(const Transaction& tx);
/** Decodes exactly one transaction in wire form. Rejects an input larger than
 *  MAX_TX_SIZE before parsing, and any truncation, over-limit count,
 *  non-canonical CompactSize or trailing byte, with the reason. */
Result<Transaction> DecodeTransaction(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_TRANSACTION_H
