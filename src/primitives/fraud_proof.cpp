// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/fraud_proof.h>

#include <cassert>

namespace hpips {
namespace {

/** Smallest MerkleProof encoding: three 1-byte CompactSizes. */
constexpr size_t MIN_MERKLE_PROOF_ENCODING = 3;

std::span<const uint8_t> AsBytes(std::span<const int8_t> values)
{
    return {reinterpret_cast<const uint8_t*>(values.data()), values.size()};
}

std::vector<int8_t> ReadInt8(Reader& r, size_t n)
{
    const auto bytes = r.ReadBytes(n);  // checked against the bytes left first
    std::vector<int8_t> out(n);
    for (size_t i = 0; i < n; ++i) out[i] = static_cast<int8_t>(bytes[i]);
    return out;
}

/** A CompactSize length in 1..max. */
size_t ReadNonEmptyLength(Reader& r, size_t max, const char* what)
{
    const uint64_t n = r.ReadCompactSize(max);
    if (n == 0) throw SerializeError{std::string{"fraud proof: empty "} + what};
    return static_cast<size_t>(n);
}

std::vector<uint8_t> ReadNonEmptyBytes(Reader& r, size_t max, const char* what)
{
    auto bytes = r.ReadByteVector(max);
    if (bytes.empty()) throw SerializeError{std::string{"fraud proof: empty "} + what};
    return bytes;
}

void WriteGemm(Writer& w, const GemmFraudEvidence& g)
{
    const size_t k = g.a_row.size(), n = g.c_row.size();
    assert(k >= 1 && k <= MAX_FRAUD_GEMM_K && n >= 1 && n <= MAX_FRAUD_GEMM_N && g.b.size() == k * n);
    w.WriteCompactSize(k);
    w.WriteBytes(AsBytes(g.a_row));
    WriteMerkleProof(w, g.a_proof);
    w.WriteCompactSize(n);
    w.WriteBytes(AsBytes(g.b));
    for (const int32_t v : g.c_row) w.WriteI32(v);
    WriteMerkleProof(w, g.c_proof);
}

GemmFraudEvidence ReadGemm(Reader& r)
{
    GemmFraudEvidence g;
    const size_t k = ReadNonEmptyLength(r, MAX_FRAUD_GEMM_K, "A row");
    g.a_row = ReadInt8(r, k);
    g.a_proof = ReadMerkleProof(r);
    const size_t n = ReadNonEmptyLength(r, MAX_FRAUD_GEMM_N, "C row");
    g.b = ReadInt8(r, k * n);  // ≤ 2^20 bytes, and only if that many are left
    const auto c = r.ReadBytes(4 * n);
    g.c_row.resize(n);
    for (size_t j = 0; j < n; ++j) {
        g.c_row[j] = static_cast<int32_t>(uint32_t{c[4 * j]} | uint32_t{c[4 * j + 1]} << 8 |
                                          uint32_t{c[4 * j + 2]} << 16 | uint32_t{c[4 * j + 3]} << 24);
    }
    g.c_proof = ReadMerkleProof(r);
    return g;
}

void WriteWindow(Writer& w, const RowWindowFraudEvidence& e)
{
    assert(!e.input_rows.empty() && e.input_rows.size() <= MAX_FRAUD_INPUT_ROWS_BYTES);
    assert(e.input_proofs.size() <= MAX_FRAUD_INPUT_PROOFS);
    assert(!e.claimed_row.empty() && e.claimed_row.size() <= MAX_FRAUD_CLAIMED_ROW_BYTES);
    w.WriteByteVector(e.input_rows);
    w.WriteCompactSize(e.input_proofs.size());
    for (const auto& proof : e.input_proofs) WriteMerkleProof(w, proof);
    w.WriteByteVector(e.claimed_row);
    WriteMerkleProof(w, e.row_proof);
}

RowWindowFraudEvidence ReadWindow(Reader& r)
{
    RowWindowFraudEvidence e;
    e.input_rows = ReadNonEmptyBytes(r, MAX_FRAUD_INPUT_ROWS_BYTES, "input rows");
    e.input_proofs = r.ReadVector(MAX_FRAUD_INPUT_PROOFS, MIN_MERKLE_PROOF_ENCODING, ReadMerkleProof);
    e.claimed_row = ReadNonEmptyBytes(r, MAX_FRAUD_CLAIMED_ROW_BYTES, "claimed row");
    e.row_proof = ReadMerkleProof(r);
    return e;
}

}  // namespace

void WriteFraudProof(Writer& w, const FraudProof& proof)
{
    w.WriteU8(FRAUD_PROOF_VERSION);
    WriteOutPoint(w, proof.target);
    w.WriteU8(static_cast<uint8_t>(proof.variant));
    w.WriteU32(proof.row);
    if (proof.variant == FraudVariant::GEMM) {
        WriteGemm(w, proof.gemm);
    } else {
        WriteWindow(w, proof.window);
    }
}

FraudProof ReadFraudProof(Reader& r)
{
    FraudProof proof;
    if (r.ReadU8() != FRAUD_PROOF_VERSION) throw SerializeError{"fraud proof: unknown version"};
    proof.target = ReadOutPoint(r);
    const uint8_t variant = r.ReadU8();
    if (variant < static_cast<uint8_t>(FraudVariant::GEMM) || variant > static_cast<uint8_t>(FraudVariant::CONV)) {
        throw SerializeError{"fraud proof: unknown variant"};
    }
    proof.variant = static_cast<FraudVariant>(variant);
    proof.row = r.ReadU32();
    if (proof.variant == FraudVariant::GEMM) {
        proof.gemm = ReadGemm(r);
    } else {
        proof.window = ReadWindow(r);
    }
    return proof;
}

std::vector<uint8_t> EncodeFraudProof(const FraudProof& proof)
{
    Writer w;
    WriteFraudProof(w, proof);
    return w.Take();
}

Result<FraudProof> DecodeFraudProof(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_FRAUD_PROOF_SIZE) return Error{"fraud proof: larger than MAX_FRAUD_PROOF_SIZE"};
    return Decode(bytes, ReadFraudProof);
}

}  // namespace hpips
