// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/transaction.h>

#include <crypto/sha256.h>

#include <string>
#include <utility>

namespace hpips {
namespace {

void WriteTxBase(Writer& w, const MutableTransaction& tx)
{
    w.WriteU32(tx.version);
    w.WriteVector(std::span{tx.inputs}, [](Writer& w, const TxIn& in) {
        WriteOutPoint(w, in.prevout);
        w.WriteU32(in.sequence);
    });
    w.WriteVector(std::span{tx.outputs}, [](Writer& w, const TxOut& out) { WriteTxOut(w, out); });
    w.WriteU32(tx.lock_time);
}

void WriteWitnesses(Writer& w, const MutableTransaction& tx)
{
    // One entry per input and no count: the input count already fixes it.
    for (const TxIn& in : tx.inputs) w.WriteByteVector(in.witness);
}

}  // namespace

Transaction::Transaction() : Transaction{MutableTransaction{}} {}

Transaction::Transaction(MutableTransaction tx) : m_tx{std::move(tx)}
{
    // The txid's serialization is a prefix of the wire form, so one
    // serialization gives both hashes.
    Writer w;
    WriteTxBase(w, m_tx);
    m_base_size = w.size();
    WriteWitnesses(w, m_tx);
    m_total_size = w.size();
    const std::span<const uint8_t> all{w.data()};
    m_txid = Sha256d(all.first(m_base_size));
    m_wtxid = Sha256d(all);
}

bool Transaction::IsCoinbase() const
{
    return m_tx.inputs.size() == 1 && m_tx.inputs[0].prevout.IsNull();
}

void WriteDestination(Writer& w, const Destination& dest)
{
    w.WriteU8(dest.kind);
    w.WriteByteVector(dest.payload);
}

Destination ReadDestination(Reader& r)
{
    Destination dest;
    dest.kind = r.ReadU8();
    dest.payload = r.ReadByteVector(MaxDestinationPayload(dest.kind));
    return dest;
}

void WriteTxOut(Writer& w, const TxOut& out)
{
    w.WriteI64(out.amount);
    WriteDestination(w, out.destination);
}

TxOut ReadTxOut(Reader& r)
{
    TxOut out;
    out.amount = r.ReadI64();
    out.destination = ReadDestination(r);
    return out;
}

void WriteOutPoint(Writer& w, const OutPoint& outpoint)
{
    w.WriteUint256(outpoint.txid);
    w.WriteU32(outpoint.index);
}

OutPoint ReadOutPoint(Reader& r)
{
    OutPoint outpoint;
    outpoint.txid = r.ReadUint256();
    outpoint.index = r.ReadU32();
    return outpoint;
}

void WriteTransaction(Writer& w, const MutableTransaction& tx)
{
    WriteTxBase(w, tx);
    WriteWitnesses(w, tx);
}

void WriteTransactionNoWitness(Writer& w, const MutableTransaction& tx)
{
    WriteTxBase(w, tx);
}

Transaction ReadTransaction(Reader& r)
{
    MutableTransaction tx;
    tx.version = r.ReadU32();
    tx.inputs = r.ReadVector(MAX_TX_INPUTS, MIN_TX_INPUT_BASE_SIZE, [](Reader& r) {
        TxIn in;
        in.prevout = ReadOutPoint(r);
        in.sequence = r.ReadU32();
        return in;
    });
    tx.outputs = r.ReadVector(MAX_TX_OUTPUTS, MIN_TX_OUTPUT_SIZE, ReadTxOut);
    tx.lock_time = r.ReadU32();
    for (TxIn& in : tx.inputs) in.witness = r.ReadByteVector(MAX_WITNESS_SIZE);
    return Transaction{std::move(tx)};
}

std::vector<uint8_t> EncodeTransaction(const Transaction& tx)
{
    Writer w{tx.GetTotalSize()};
    WriteTransaction(w, tx.fields());
    return w.Take();
}

Result<Transaction> DecodeTransaction(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_TX_SIZE) {
        return Error{"transaction size " + std::to_string(bytes.size()) + " exceeds maximum " +
                     std::to_string(MAX_TX_SIZE)};
    }
    return Decode(bytes, ReadTransaction);
}

}  // namespace hpips
