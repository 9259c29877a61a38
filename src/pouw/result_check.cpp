// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/result_check.h>

#include <pouw/noise_math.h>
#include <pouw/prg.h>

#include <algorithm>

namespace hpips::pouw {
namespace {

/** v mod p in [0, p) for any signed 64-bit v. */
uint64_t ToField(int64_t v)
{
    const int64_t r{v % static_cast<int64_t>(FREIVALDS_PRIME)};
    return static_cast<uint64_t>(r < 0 ? r + static_cast<int64_t>(FREIVALDS_PRIME) : r);
}

uint64_t AddModP(uint64_t a, uint64_t b)
{
    const uint64_t s{a + b};  // < 2^62: no overflow
    return s >= FREIVALDS_PRIME ? s - FREIVALDS_PRIME : s;
}

}  // namespace

uint64_t MulModP(uint64_t a, uint64_t b)
{
    const unsigned __int128 t{static_cast<unsigned __int128>(a) * b};  // < 2^122
    // 2^61 ≡ 1 (mod p): fold the high part onto the low part.
    const uint64_t lo{static_cast<uint64_t>(t) & FREIVALDS_PRIME};
    const uint64_t hi{static_cast<uint64_t>(t >> 61)};
    return AddModP(lo, hi);
}

std::vector<uint64_t> FreivaldsVector(const uint256& seed, uint32_t trial, uint32_t n)
{
    std::vector<uint32_t> words(size_t{n} * 2);
    PrgWords(KeyWords(seed), DOMAIN_FREIVALDS, trial, words);
    std::vector<uint64_t> x(n);
    for (size_t c = 0; c < n; ++c) {
        const uint64_t w{uint64_t{words[2 * c]} | uint64_t{words[2 * c + 1]} << 32};
        const uint64_t v{w & FREIVALDS_PRIME};
        x[c] = v == FREIVALDS_PRIME ? 0 : v;
    }
    return x;
}

Result<bool> FreivaldsCheck(const UnitData& data, std::span<const int32_t> c, const uint256& seed, uint32_t trials)
{
    const size_t m{data.shape.m}, n{data.shape.n}, k{data.shape.k};
    if (data.a.size() != m * k || data.b.size() != k * n || c.size() != m * n) {
        return Error{"freivalds: sizes do not match the shape"};
    }
    if (trials == 0 || trials > MAX_FREIVALDS_TRIALS) return Error{"freivalds: trials out of range"};
    for (uint32_t trial = 0; trial < trials; ++trial) {
        const auto x = FreivaldsVector(seed, trial, static_cast<uint32_t>(n));
        std::vector<uint64_t> bx(k, 0);
        for (size_t j = 0; j < k; ++j) {
            uint64_t sum{0};
            for (size_t col = 0; col < n; ++col) sum = AddModP(sum, MulModP(ToField(data.b[j * n + col]), x[col]));
            bx[j] = sum;
        }
        for (size_t i = 0; i < m; ++i) {
            uint64_t lhs{0}, rhs{0};
            for (size_t j = 0; j < k; ++j) lhs = AddModP(lhs, MulModP(ToField(data.a[i * k + j]), bx[j]));
            for (size_t col = 0; col < n; ++col) rhs = AddModP(rhs, MulModP(ToField(c[i * n + col]), x[col]));
            if (lhs != rhs) return false;
        }
    }
    return true;
}

std::vector<uint8_t> ResultRowBytes(std::span<const int32_t> row)
{
    std::vector<uint8_t> out;
    out.reserve(row.size() * 4);
    for (const int32_t v : row) {
        const auto u = static_cast<uint32_t>(v);
        for (int b = 0; b < 4; ++b) out.push_back(static_cast<uint8_t>(u >> (8 * b)));
    }
    return out;
}

namespace {
Result<std::vector<uint256>> ResultLeaves(const MerkleDomain& domain, std::span<const int32_t> c, uint32_t m, uint32_t n)
{
    if (c.size() != size_t{m} * n) return Error{"result: size is not m*n"};
    std::vector<uint256> leaves;
    leaves.reserve(m);
    for (size_t i = 0; i < m; ++i) leaves.push_back(domain.HashLeaf(ResultRowBytes(c.subspan(i * n, n))));
    return leaves;
}
}  // namespace

Result<uint256> ComputeResultRoot(std::span<const int32_t> c, uint32_t m, uint32_t n)
{
    const MerkleDomain domain{RESULT_DOMAIN};
    auto leaves = ResultLeaves(domain, c, m, n);
    if (!leaves) return leaves.error();
    return ComputeMerkleRoot(domain, *leaves);
}

Result<MerkleProof> BuildResultRowProof(std::span<const int32_t> c, uint32_t m, uint32_t n, uint32_t row)
{
    const MerkleDomain domain{RESULT_DOMAIN};
    auto leaves = ResultLeaves(domain, c, m, n);
    if (!leaves) return leaves.error();
    return BuildMerkleProof(domain, *leaves, row);
}

Result<void> CheckResultRowCommitments(const UnitDescriptor& descriptor, const uint256& result_root, uint32_t row,
                                       std::span<const int8_t> a_row, const MerkleProof& a_proof,
                                       std::span<const int8_t> b, std::span<const int32_t> c_row,
                                       const MerkleProof& c_proof)
{
    const UnitShape& shape{descriptor.shape};
    const size_t n{shape.n}, k{shape.k};
    if (row >= shape.m || a_row.size() != k || b.size() != k * n || c_row.size() != n) {
        return Error{"result-row: sizes do not match the unit"};
    }
    const MerkleDomain a_domain{UNIT_A_DOMAIN};
    if (a_proof.leaf_index != row || a_proof.leaf_count != shape.m ||
        !VerifyMerkleProof(a_domain, descriptor.a_root,
                           a_domain.HashLeaf(std::span{reinterpret_cast<const uint8_t*>(a_row.data()), k}), a_proof)) {
        return Error{"result-row: bad A row proof"};
    }
    const UnitData b_only{shape, {}, std::vector<int8_t>(b.begin(), b.end())};
    if (ComputeBRoot(b_only) != descriptor.b_root) return Error{"result-row: B does not match b_root"};
    const MerkleDomain c_domain{RESULT_DOMAIN};
    if (c_proof.leaf_index != row || c_proof.leaf_count != shape.m ||
        !VerifyMerkleProof(c_domain, result_root, c_domain.HashLeaf(ResultRowBytes(c_row)), c_proof)) {
        return Error{"result-row: bad result row proof"};
    }
    return {};
}

bool ResultRowMatches(std::span<const int8_t> a_row, std::span<const int8_t> b, std::span<const int32_t> c_row)
{
    const size_t k{a_row.size()}, n{c_row.size()};
    if (b.size() != k * n) return false;
    std::vector<int32_t> expected(n, 0);
    for (size_t j = 0; j < k; ++j) {
        const int32_t a{a_row[j]};
        for (size_t col = 0; col < n; ++col) expected[col] += a * b[j * n + col];
    }
    return std::equal(expected.begin(), expected.end(), c_row.begin());
}

Result<void> CheckResultRow(const UnitDescriptor& descriptor, const uint256& result_root, uint32_t row,
                            std::span<const int8_t> a_row, const MerkleProof& a_proof, std::span<const int8_t> b,
                            std::span<const int32_t> c_row, const MerkleProof& c_proof)
{
    auto committed{CheckResultRowCommitments(descriptor, result_root, row, a_row, a_proof, b, c_row, c_proof)};
    if (!committed) return committed;
    if (!ResultRowMatches(a_row, b, c_row)) return Error{"result-row: wrong values"};
    return {};
}

}  // namespace hpips::pouw
