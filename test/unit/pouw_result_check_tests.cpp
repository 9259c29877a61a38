// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/opening.h>
#include <pouw/result_check.h>
#include <primitives/merkle.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

namespace hpips::pouw {
namespace {

TEST(PouwFreivalds, MulModP)
{
    const uint64_t p{FREIVALDS_PRIME};
    EXPECT_EQ(MulModP(0, p - 1), 0u);
    EXPECT_EQ(MulModP(p - 1, p - 1), 1u);  // (−1)² = 1
    EXPECT_EQ(MulModP(uint64_t{1} << 60, 2), 1u);  // 2^61 ≡ 1
    EXPECT_EQ(MulModP(123456789, 987654321), (uint64_t{123456789} * 987654321) % p);
    const unsigned __int128 big{static_cast<unsigned __int128>(p - 2) * (p - 3)};
    EXPECT_EQ(MulModP(p - 2, p - 3), static_cast<uint64_t>(big % p));
}

TEST(PouwFreivalds, VectorIsDeterministicAndInRange)
{
    const auto x = FreivaldsVector(test::TestSeed(1), 0, 256);
    EXPECT_EQ(x, FreivaldsVector(test::TestSeed(1), 0, 256));
    EXPECT_NE(x, FreivaldsVector(test::TestSeed(1), 1, 256));
    EXPECT_NE(x, FreivaldsVector(test::TestSeed(2), 0, 256));
    for (const uint64_t v : x) EXPECT_LT(v, FREIVALDS_PRIME);
}

TEST(PouwFreivalds, AcceptsTheProductRejectsAnyChange)
{
    const UnitData data{test::RandomUnit({64, 64, 128}, 70)};
    auto c = test::PlainGemm(data);
    const uint256 seed{test::TestSeed(70)};
    EXPECT_TRUE(*FreivaldsCheck(data, c, seed, 2));
    for (const size_t idx : {size_t{0}, size_t{777}, c.size() - 1}) {
        auto wrong = c;
        wrong[idx] += 1;
        EXPECT_FALSE(*FreivaldsCheck(data, wrong, seed, 1)) << idx;
    }
    // Two compensating errors in one row still fail (x is random per column).
    auto wrong = c;
    wrong[5] += 1;
    wrong[6] -= 1;
    EXPECT_FALSE(*FreivaldsCheck(data, wrong, seed, 1));
    EXPECT_FALSE(FreivaldsCheck(data, c, seed, 0));
    EXPECT_FALSE(FreivaldsCheck(data, c, seed, MAX_FREIVALDS_TRIALS + 1));
    c.pop_back();
    EXPECT_FALSE(FreivaldsCheck(data, c, seed, 1));
}

TEST(PouwResultRows, CommitAndCheckOneRow)
{
    const UnitShape shape{64, 64, 128};
    const UnitData data{test::RandomUnit(shape, 71)};
    UnitDescriptor d;
    d.shape = shape;
    d.a_root = ComputeARoot(data);
    d.b_root = ComputeBRoot(data);
    const auto c = test::PlainGemm(data);
    const uint256 root{*ComputeResultRoot(c, shape.m, shape.n)};
    const uint32_t row{17};
    const auto opening = *MakeJobOpening(d, data, 0);  // rows 0..63 with proofs
    const std::span<const int8_t> a_row{opening.rows.data() + size_t{row} * shape.k, shape.k};
    const MerkleProof& a_proof{opening.row_proofs[row]};
    const auto c_proof = *BuildResultRowProof(c, shape.m, shape.n, row);
    const std::span<const int32_t> c_row{c.data() + size_t{row} * shape.n, shape.n};
    EXPECT_TRUE(CheckResultRow(d, root, row, a_row, a_proof, data.b, c_row, c_proof));
    // A wrong value (recommitted, so only the arithmetic check catches it).
    auto wrong = c;
    wrong[size_t{row} * shape.n + 3] ^= 1;
    const uint256 wrong_root{*ComputeResultRoot(wrong, shape.m, shape.n)};
    const auto wrong_proof = *BuildResultRowProof(wrong, shape.m, shape.n, row);
    const auto r1 = CheckResultRow(d, wrong_root, row, a_row, a_proof, data.b,
                                   std::span{wrong}.subspan(size_t{row} * shape.n, shape.n), wrong_proof);
    ASSERT_FALSE(r1);
    EXPECT_EQ(r1.error_message(), "result-row: wrong values");
    // A row not under the committed root.
    EXPECT_FALSE(CheckResultRow(d, wrong_root, row, a_row, a_proof, data.b, c_row, c_proof));
    // The wrong A row, the wrong B, the wrong index.
    EXPECT_FALSE(CheckResultRow(d, root, row, std::span{opening.rows.data(), shape.k}, a_proof, data.b, c_row, c_proof));
    auto b = data.b;
    b[0] ^= 1;
    EXPECT_FALSE(CheckResultRow(d, root, row, a_row, a_proof, b, c_row, c_proof));
    EXPECT_FALSE(CheckResultRow(d, root, row + 1, a_row, a_proof, data.b, c_row, c_proof));
    EXPECT_FALSE(CheckResultRow(d, root, shape.m, a_row, a_proof, data.b, c_row, c_proof));
    // Leaf bytes are n int32 LE.
    EXPECT_EQ(ResultRowBytes(std::vector<int32_t>{-2, 1}), (std::vector<uint8_t>{0xfe, 0xff, 0xff, 0xff, 1, 0, 0, 0}));
}

}  // namespace
}  // namespace hpips::pouw
