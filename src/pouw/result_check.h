// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_RESULT_CHECK_H
#define HPIPS_POUW_RESULT_CHECK_H

#include <pouw/unit.h>
#include <primitives/merkle.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

/** Checks of a claimed GEMM result for the job market (doc/pouw.md §10):
 *  Freivalds' test modulo the Mersenne prime 2^61 − 1, and Merkle commitments
 *  to the result rows with single-row openings checked in O(k·n). */
namespace hpips::pouw {

/** The field of Freivalds' test: p = 2^61 − 1. */
constexpr uint64_t FREIVALDS_PRIME{(uint64_t{1} << 61) - 1};
/** Most trials one check may run (each costs O(m·k + k·n + m·n)). */
constexpr uint32_t MAX_FREIVALDS_TRIALS{64};
/** Merkle domain of the result rows. */
constexpr std::string_view RESULT_DOMAIN{"HPIPS/result"};

/** (a · b) mod p for a, b < p, through a 128-bit product. */
uint64_t MulModP(uint64_t a, uint64_t b);

/** The random vector of one trial: x_c = (word c of the stream (seed, 7,
 *  trial), a u64 LE) & (2^61 − 1), with the value p itself mapped to 0. */
std::vector<uint64_t> FreivaldsVector(const uint256& seed, uint32_t trial, uint32_t n);

/** True when A·(B·x) = C·x (mod p) for `trials` vectors x drawn from `seed`.
 *  A wrong C passes one trial with probability at most 1/p. Errors: sizes
 *  that do not match data.shape, or trials outside [1, MAX_FREIVALDS_TRIALS]. */
Result<bool> FreivaldsCheck(const UnitData& data, std::span<const int32_t> c, const uint256& seed, uint32_t trials);

/** The leaf bytes of result row i: n int32 LE. */
std::vector<uint8_t> ResultRowBytes(std::span<const int32_t> row);
/** Root of domain RESULT_DOMAIN over the m rows of C (m×n, row-major). */
Result<uint256> ComputeResultRoot(std::span<const int32_t> c, uint32_t m, uint32_t n);
/** Inclusion proof of result row `row`. */
Result<MerkleProof> BuildResultRowProof(std::span<const int32_t> c, uint32_t m, uint32_t n, uint32_t row);

/** The commitment part of CheckResultRow: sizes match the unit, a_row is row
 *  `row` of A (a_proof against descriptor.a_root, leaf count m), the column
 *  root of `b` is descriptor.b_root, and c_row is row `row` of the result
 *  (c_proof against result_root, leaf count m). Says nothing about the values. */
Result<void> CheckResultRowCommitments(const UnitDescriptor& descriptor, const uint256& result_root, uint32_t row,
                                       std::span<const int8_t> a_row, const MerkleProof& a_proof,
                                       std::span<const int8_t> b, std::span<const int32_t> c_row,
                                       const MerkleProof& c_proof);

/** The arithmetic part of CheckResultRow: c_row = a_row · B exactly, with
 *  a_row k values, b k×n row-major and c_row n values (sizes already checked
 *  by the caller; false when they disagree). O(k·n). */
bool ResultRowMatches(std::span<const int8_t> a_row, std::span<const int8_t> b, std::span<const int32_t> c_row);

/** Checks one row of a committed result in O(k·n): `a_row` (k values) is row
 *  `row` of the unit's A (by a_proof against descriptor.a_root), `b` (k×n,
 *  row-major) is the unit's B (its column root must be descriptor.b_root),
 *  `c_row` (n values) is row `row` of the result (by c_proof against
 *  result_root), and c_row = a_row · B exactly. The error says which part failed. */
Result<void> CheckResultRow(const UnitDescriptor& descriptor, const uint256& result_root, uint32_t row,
                            std::span<const int8_t> a_row, const MerkleProof& a_proof, std::span<const int8_t> b,
                            std::span<const int32_t> c_row, const MerkleProof& c_proof);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_RESULT_CHECK_H
