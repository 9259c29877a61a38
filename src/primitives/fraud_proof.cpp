// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/fraud_proof.h>

namespace hpips {
namespace {

/** Smallest encoding of a proven row: 1-byte length, 1 byte, a proof of
 *  three 1-byte fields. */
constexpr size_t MIN_PROVEN_ROW_ENCODING = 1 + 1 + 3;

void WriteProvenRow(Writer& w, const ProvenRow& row)
{
    w.WriteByteVector(row.bytes);
    WriteMerkleProof(w, row.proof);
}

ProvenRow ReadProvenRow(Reader& r, size_t max_bytes)
{
    ProvenRow row;
    row.bytes = r.ReadByteVector(max_bytes);
    if (row.bytes.empty()) throw SerializeError{"fraud proof: empty row"};
    row.proof = ReadMerkleProof(r);
    return row;
}

}  // namespace

void WriteFraudProof(Writer& w, const FraudProof& proof)
{
    w.WriteU8(FRAUD_PROOF_VERSION);
    WriteOutPoint(w, proof.target);
    w.WriteU8(static_cast<uint8_t>(proof.variant));
    w.WriteU32(proof.row);
    if (proof.variant == FraudVariant::GEMM) {
        WriteProvenRow(w, proof.gemm.a_row);
        w.WriteCompactSize(proof.gemm.b_columns.size());
        for (const auto& column : proof.gemm.b_columns) WriteProvenRow(w, column);
        WriteProvenRow(w, proof.gemm.c_row);
    } else {
        w.WriteCompactSize(proof.light.input_rows.size());
        for (const auto& row : proof.light.input_rows) WriteProvenRow(w, row);
        WriteProvenRow(w, proof.light.output_row);
    }
}

FraudProof ReadFraudProof(Reader& r)
{
    FraudProof proof;
    if (r.ReadU8() != FRAUD_PROOF_VERSION) throw SerializeError{"fraud proof: unknown version"};
    proof.target = ReadOutPoint(r);
    const uint8_t variant = r.ReadU8();
    if (variant == static_cast<uint8_t>(FraudVariant::GEMM)) {
        proof.variant = FraudVariant::GEMM;
        proof.row = r.ReadU32();
        proof.gemm.a_row = ReadProvenRow(r, MAX_FRAUD_GEMM_K);
        const size_t k = proof.gemm.a_row.bytes.size();
        proof.gemm.b_columns = r.ReadVector(MAX_FRAUD_GEMM_N, MIN_PROVEN_ROW_ENCODING, [k](Reader& rr) {
            ProvenRow column = ReadProvenRow(rr, MAX_FRAUD_GEMM_K);
            if (column.bytes.size() != k) throw SerializeError{"fraud proof: B column length differs from the A row"};
            return column;
        });
        if (proof.gemm.b_columns.empty()) throw SerializeError{"fraud proof: no B columns"};
        proof.gemm.c_row = ReadProvenRow(r, MAX_FRAUD_C_ROW_BYTES);
        if (proof.gemm.c_row.bytes.size() != 4 * proof.gemm.b_columns.size()) {
            throw SerializeError{"fraud proof: C row length is not 4 × the column count"};
        }
    } else if (variant == static_cast<uint8_t>(FraudVariant::LIGHT)) {
        proof.variant = FraudVariant::LIGHT;
        proof.row = r.ReadU32();
        proof.light.input_rows = r.ReadVector(MAX_FRAUD_LIGHT_INPUT_ROWS, MIN_PROVEN_ROW_ENCODING,
                                              [](Reader& rr) { return ReadProvenRow(rr, MAX_FRAUD_LIGHT_ROW_BYTES); });
        if (proof.light.input_rows.empty()) throw SerializeError{"fraud proof: no input rows"};
        proof.light.output_row = ReadProvenRow(r, MAX_FRAUD_LIGHT_ROW_BYTES);
    } else {
        throw SerializeError{"fraud proof: unknown variant"};
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
