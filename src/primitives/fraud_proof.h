// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_FRAUD_PROOF_H
#define HPIPS_PRIMITIVES_FRAUD_PROOF_H

#include <primitives/destination.h>
#include <primitives/merkle.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>

#include <cstdint>
#include <span>
#include <vector>

/**
 * The payload of a FRAUD output: evidence that one row of a revealed result
 * is wrong (doc/jobs.md, "Fraud proofs"). Decoding only: whether the evidence
 * proves fraud is pouw's check (doc/jobs_units.md).
 *
 * Encoding:
 *   version u8 (= FRAUD_PROOF_VERSION) | target: the REVEAL output (txid 32, index u32)
 *   | variant u8 (1 GEMM, 2 LIGHT) | row u32
 *   GEMM:  A row (bytes) | CompactSize column count | that many B columns (bytes)
 *          | claimed C row (bytes)
 *   LIGHT: CompactSize input row count | that many input rows (bytes)
 *          | claimed output row (bytes)
 * where every "(bytes)" is a proven row: CompactSize length | bytes |
 * MerkleProof (primitives/merkle.h encoding).
 *
 * Bounds, checked before anything is allocated: the payload at most
 * MAX_FRAUD_PROOF_SIZE (destination.h); A row and each B column 1..
 * MAX_FRAUD_GEMM_K bytes and all of equal length; 1..MAX_FRAUD_GEMM_N columns;
 * the C row exactly 4 × the column count bytes (int32 LE); light rows
 * 1..MAX_FRAUD_LIGHT_ROW_BYTES bytes, 1..MAX_FRAUD_LIGHT_INPUT_ROWS input rows.
 * Pure functions; plain values.
 */
namespace hpips {

/** The only fraud-proof version this software decodes. */
constexpr uint8_t FRAUD_PROOF_VERSION = 1;
/** Longest A row / B column: GEMM's largest padded k. */
constexpr size_t MAX_FRAUD_GEMM_K = 4096;
/** Most B columns: the largest unit n. */
constexpr size_t MAX_FRAUD_GEMM_N = 256;
/** Longest claimed C row: n int32 values. */
constexpr size_t MAX_FRAUD_C_ROW_BYTES = 4 * MAX_FRAUD_GEMM_N;
/** Longest light row: 16384 pixels of up to 4 channels. */
constexpr size_t MAX_FRAUD_LIGHT_ROW_BYTES = 16384 * 4;
/** Most input rows of a light proof: the row plus a halo of 64 rows on each
 *  side (a bound on the pipeline's total radius; doc/jobs_units.md). The
 *  total is still capped by MAX_FRAUD_PROOF_SIZE. */
constexpr size_t MAX_FRAUD_LIGHT_INPUT_ROWS = 1 + 2 * 64;
/** Largest encoding of a MerkleProof: 9-byte count, 5-byte index, 1-byte
 *  branch length, MAX_MERKLE_DEPTH siblings. */
constexpr size_t MAX_MERKLE_PROOF_ENCODING = 9 + 5 + 1 + MAX_MERKLE_DEPTH * 32;
/** Largest proven row of `n` bytes (n < 2^16: a 3-byte CompactSize). */
constexpr size_t MaxProvenRowEncoding(size_t n) { return 3 + n + MAX_MERKLE_PROOF_ENCODING; }
/** Largest GEMM fraud proof; MAX_FRAUD_PROOF_SIZE is this. */
constexpr size_t MAX_GEMM_FRAUD_PROOF_ENCODING = 1 + OUTPOINT_SIZE + 1 + 4 + MaxProvenRowEncoding(MAX_FRAUD_GEMM_K) +
                                                 3 + MAX_FRAUD_GEMM_N * MaxProvenRowEncoding(MAX_FRAUD_GEMM_K) +
                                                 MaxProvenRowEncoding(MAX_FRAUD_C_ROW_BYTES);
static_assert(MAX_FRAUD_PROOF_SIZE == MAX_GEMM_FRAUD_PROOF_ENCODING,
              "destination.h's MAX_FRAUD_PROOF_SIZE must be the largest GEMM fraud proof");
static_assert(MAX_FRAUD_PROOF_SIZE < MAX_TX_SIZE / 2, "a fraud proof must leave room in a transaction");

/** Which recomputation the proof asks for. */
enum class FraudVariant : uint8_t {
    GEMM = 1,   //!< one row of a heavy unit's C = A · B
    LIGHT = 2,  //!< one output row of a light unit
};

/** Row bytes with their inclusion proof (against a_root, b_root, the result
 *  root or the input-rows root, as the variant says). */
struct ProvenRow {
    std::vector<uint8_t> bytes;
    MerkleProof proof;

    friend bool operator==(const ProvenRow&, const ProvenRow&) = default;
};

/** GEMM evidence: the A row, the unit's B columns, the claimed C row. */
struct GemmFraudEvidence {
    ProvenRow a_row;
    std::vector<ProvenRow> b_columns;
    ProvenRow c_row;

    friend bool operator==(const GemmFraudEvidence&, const GemmFraudEvidence&) = default;
};

/** Light evidence: the input rows with halo, the claimed output row. */
struct LightFraudEvidence {
    std::vector<ProvenRow> input_rows;
    ProvenRow output_row;

    friend bool operator==(const LightFraudEvidence&, const LightFraudEvidence&) = default;
};

/** A decoded fraud proof; only the member of `variant` is meaningful (and encoded). */
struct FraudProof {
    /** The REVEAL output accused. */
    OutPoint target;
    FraudVariant variant{FraudVariant::GEMM};
    /** Row of the unit's result (GEMM) or output row (LIGHT) that is wrong. */
    uint32_t row{0};
    GemmFraudEvidence gemm;
    LightFraudEvidence light;

    friend bool operator==(const FraudProof&, const FraudProof&) = default;
};

/** Writes the encoding. */
void WriteFraudProof(Writer& w, const FraudProof& proof);
/** Reads one fraud proof with every bound above. Throws SerializeError. */
FraudProof ReadFraudProof(Reader& r);
/** The encoding. */
std::vector<uint8_t> EncodeFraudProof(const FraudProof& proof);
/** Decodes exactly one fraud proof; more than MAX_FRAUD_PROOF_SIZE bytes is
 *  refused before parsing. */
Result<FraudProof> DecodeFraudProof(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_FRAUD_PROOF_H
