// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_FRAUD_PROOF_H
#define HPIPS_PRIMITIVES_FRAUD_PROOF_H

#include <primitives/destination.h>
#include <primitives/merkle.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>

#include <algorithm>
#include <cstdint>
#include <span>
#include <vector>

/**
 * The payload of a FRAUD output: evidence that one row of a revealed result
 * is wrong (doc/jobs.md, "Fraud proofs"). Decoding only: whether the evidence
 * proves fraud is pouw's check (pouw/job_fraud.h, doc/jobs_units.md §5),
 * whose in-memory proofs carry exactly these fields.
 *
 * Encoding:
 *   version u8 (= FRAUD_PROOF_VERSION) | target: the REVEAL output (txid 32, index u32)
 *   | variant u8 (1 GEMM, 2 LIGHT, 3 CONV) | row u32
 *   GEMM:        CompactSize k | A row (k bytes, int8) | A proof
 *                | CompactSize n | B (k × n bytes, int8, row-major; no proof:
 *                  its column root is recomputed and compared with b_root)
 *                | claimed C row (n × i32) | C proof
 *   LIGHT, CONV: CompactSize length | input rows (concatenated, full width)
 *                | CompactSize count | that many input-row proofs (none when
 *                  the rows are all of the unit's input rows)
 *                | CompactSize length | claimed row | row proof
 * where a proof is a MerkleProof in primitives/merkle.h's encoding.
 *
 * Bounds, each checked against the bytes left before anything is allocated:
 * the payload at most MAX_FRAUD_PROOF_SIZE (destination.h); 1 ≤ k ≤
 * MAX_FRAUD_GEMM_K, 1 ≤ n ≤ MAX_FRAUD_GEMM_N; input rows 1..
 * MAX_FRAUD_INPUT_ROWS_BYTES; at most MAX_FRAUD_INPUT_PROOFS proofs; the
 * claimed row 1..MAX_FRAUD_CLAIMED_ROW_BYTES. Whether sizes fit the unit's
 * shape is the pouw check's (MALFORMED). Pure functions; plain values.
 */
namespace hpips {

/** The only fraud-proof version this software decodes. */
constexpr uint8_t FRAUD_PROOF_VERSION = 1;
/** Largest k of a unit (pouw's K_REF): the A row length and B's height. */
constexpr size_t MAX_FRAUD_GEMM_K = 4096;
/** Largest n of a unit: B's width and the C row length. */
constexpr size_t MAX_FRAUD_GEMM_N = 256;
/** Most input-row bytes of a light or conv row proof: pouw's
 *  MAX_LIGHT_ROW_CHECK_BYTES (2^20), the most a row check reads. */
constexpr size_t MAX_FRAUD_INPUT_ROWS_BYTES = size_t{1} << 20;
/** Most input-row proofs: the rows one light output row can need, 1 + 2 ×
 *  112 (16 ops of radius 7; doc/jobs_units.md §5). A conv row needs ≤ 23. */
constexpr size_t MAX_FRAUD_INPUT_PROOFS = 225;
/** Longest claimed light or conv row: 65,536 pixels × 3 channels and more,
 *  2^18 bytes. A job whose output rows are longer cannot be challenged:
 *  posting rules must refuse it (doc/jobs.md, "Not yet wired"). */
constexpr size_t MAX_FRAUD_CLAIMED_ROW_BYTES = size_t{1} << 18;
/** Largest encoding of a MerkleProof: 9-byte count, 5-byte index, 1-byte
 *  branch length, MAX_MERKLE_DEPTH siblings. */
constexpr size_t MAX_MERKLE_PROOF_ENCODING = 9 + 5 + 1 + MAX_MERKLE_DEPTH * 32;
/** Bytes of the CompactSize encoding of `n` (for the size bounds below). */
constexpr size_t FraudCompactSizeLength(uint64_t n) { return n <= 252 ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9; }
/** Version, target, variant and row. */
constexpr size_t FRAUD_PROOF_HEADER_SIZE = 1 + OUTPOINT_SIZE + 1 + 4;
/** Largest GEMM fraud proof (≈ 1.007 MiB). */
constexpr size_t MAX_GEMM_FRAUD_PROOF_ENCODING =
    FRAUD_PROOF_HEADER_SIZE + FraudCompactSizeLength(MAX_FRAUD_GEMM_K) + MAX_FRAUD_GEMM_K + MAX_MERKLE_PROOF_ENCODING +
    FraudCompactSizeLength(MAX_FRAUD_GEMM_N) + MAX_FRAUD_GEMM_K * MAX_FRAUD_GEMM_N + 4 * MAX_FRAUD_GEMM_N +
    MAX_MERKLE_PROOF_ENCODING;
/** Largest light or conv fraud proof (≈ 1.47 MiB). */
constexpr size_t MAX_ROW_WINDOW_FRAUD_PROOF_ENCODING =
    FRAUD_PROOF_HEADER_SIZE + FraudCompactSizeLength(MAX_FRAUD_INPUT_ROWS_BYTES) + MAX_FRAUD_INPUT_ROWS_BYTES +
    FraudCompactSizeLength(MAX_FRAUD_INPUT_PROOFS) + MAX_FRAUD_INPUT_PROOFS * MAX_MERKLE_PROOF_ENCODING +
    FraudCompactSizeLength(MAX_FRAUD_CLAIMED_ROW_BYTES) + MAX_FRAUD_CLAIMED_ROW_BYTES + MAX_MERKLE_PROOF_ENCODING;
static_assert(MAX_FRAUD_PROOF_SIZE ==
                  std::max(MAX_GEMM_FRAUD_PROOF_ENCODING, MAX_ROW_WINDOW_FRAUD_PROOF_ENCODING),
              "destination.h's MAX_FRAUD_PROOF_SIZE must be the largest fraud proof");
static_assert(MAX_FRAUD_PROOF_SIZE < MAX_TX_SIZE / 2, "a fraud proof must leave room in a transaction");

/** Which recomputation the proof asks for (pouw/job_fraud.h). */
enum class FraudVariant : uint8_t {
    GEMM = 1,   //!< one row of a heavy unit's C = A · B (CheckGemmRowFraud)
    LIGHT = 2,  //!< one output row of a light unit (CheckLightRowFraud)
    CONV = 3,   //!< one final output row of a conv layer run as light units (CheckConvRowFraud)
};

/** GEMM evidence (pouw's GemmRowFraudProof without the row). */
struct GemmFraudEvidence {
    std::vector<int8_t> a_row;   //!< k values: the row of A
    MerkleProof a_proof;         //!< against the unit's a_root
    std::vector<int8_t> b;       //!< k × n, row-major: the unit's B
    std::vector<int32_t> c_row;  //!< n values: the claimed row of C
    MerkleProof c_proof;         //!< against the revealed result root

    friend bool operator==(const GemmFraudEvidence&, const GemmFraudEvidence&) = default;
};

/** Light or conv evidence (pouw's LightRowFraudProof / ConvRowFraudProof
 *  without the row): bytes are pixels (LIGHT) or int8 values (CONV). */
struct RowWindowFraudEvidence {
    std::vector<uint8_t> input_rows;         //!< the rows the output row needs, concatenated
    std::vector<MerkleProof> input_proofs;   //!< one per input row, or none (all of the unit's rows)
    std::vector<uint8_t> claimed_row;        //!< the claimed output row
    MerkleProof row_proof;                   //!< against the revealed result root

    friend bool operator==(const RowWindowFraudEvidence&, const RowWindowFraudEvidence&) = default;
};

/** A decoded fraud proof; only the member of `variant` is meaningful (and encoded). */
struct FraudProof {
    /** The REVEAL output accused. */
    OutPoint target;
    FraudVariant variant{FraudVariant::GEMM};
    /** Row of the unit's C (GEMM) or output row (LIGHT, CONV) claimed wrong. */
    uint32_t row{0};
    GemmFraudEvidence gemm;
    RowWindowFraudEvidence window;

    friend bool operator==(const FraudProof&, const FraudProof&) = default;
};

/** Writes the encoding. Precondition (asserted): the evidence of `variant`
 *  is within the bounds above, with b.size() = a_row.size() · c_row.size(). */
void WriteFraudProof(Writer& w, const FraudProof& proof);
/** Reads one fraud proof with every bound above. Throws SerializeError. */
FraudProof ReadFraudProof(Reader& r);
/** The encoding (WriteFraudProof's precondition applies). */
std::vector<uint8_t> EncodeFraudProof(const FraudProof& proof);
/** Decodes exactly one fraud proof; more than MAX_FRAUD_PROOF_SIZE bytes is
 *  refused before parsing, a truncation or trailing byte after. */
Result<FraudProof> DecodeFraudProof(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_FRAUD_PROOF_H
