// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The fraud-proof encoding of FRAUD outputs (primitives/fraud_proof.h).
#include <primitives/fraud_proof.h>
#include <primitives/transaction.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

uint256 Hash(uint8_t tag)
{
    std::array<uint8_t, 32> bytes{};
    bytes.fill(tag);
    return uint256{bytes};
}

ProvenRow Row(size_t n, uint8_t fill, uint64_t index = 0, size_t depth = 3)
{
    ProvenRow row;
    row.bytes.assign(n, fill);
    row.proof.leaf_index = index;
    row.proof.leaf_count = uint64_t{1} << depth;
    row.proof.branch.assign(depth, Hash(fill));
    return row;
}

FraudProof GemmProof(size_t k = 64, size_t n = 4)
{
    FraudProof proof;
    proof.target = OutPoint{Hash(20), 1};
    proof.variant = FraudVariant::GEMM;
    proof.row = 17;
    proof.gemm.a_row = Row(k, 1, 17);
    for (size_t j = 0; j < n; ++j) proof.gemm.b_columns.push_back(Row(k, static_cast<uint8_t>(2 + j), j));
    proof.gemm.c_row = Row(4 * n, 9, 17);
    return proof;
}

FraudProof LightProof(size_t rows = 5, size_t width = 100)
{
    FraudProof proof;
    proof.target = OutPoint{Hash(21), 0};
    proof.variant = FraudVariant::LIGHT;
    proof.row = 3;
    for (size_t i = 0; i < rows; ++i) proof.light.input_rows.push_back(Row(width, static_cast<uint8_t>(i), i));
    proof.light.output_row = Row(width, 0x77, 3);
    return proof;
}

TEST(FraudProofTest, RoundTrip)
{
    for (const FraudProof& proof : {GemmProof(), LightProof()}) {
        const auto bytes = EncodeFraudProof(proof);
        const auto decoded = DecodeFraudProof(bytes);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, proof);
        EXPECT_EQ(EncodeFraudProof(*decoded), bytes);
        for (size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(DecodeFraudProof(std::span{bytes}.first(n)));
        auto trailing = bytes;
        trailing.push_back(0);
        EXPECT_EQ(DecodeFraudProof(trailing).error_message(), "trailing bytes");
    }
}

TEST(FraudProofTest, LargestGemmProofIsMaxFraudProofSize)
{
    FraudProof proof = GemmProof(MAX_FRAUD_GEMM_K, MAX_FRAUD_GEMM_N);
    // Largest proofs: 9-byte count, 5-byte index, MAX_MERKLE_DEPTH siblings.
    const auto widen = [](ProvenRow& row) {
        row.proof.leaf_count = MAX_MERKLE_LEAVES;
        row.proof.leaf_index = MAX_MERKLE_LEAVES - 1;
        row.proof.branch.assign(MAX_MERKLE_DEPTH, Hash(1));
    };
    widen(proof.gemm.a_row);
    for (auto& column : proof.gemm.b_columns) widen(column);
    widen(proof.gemm.c_row);
    const auto bytes = EncodeFraudProof(proof);
    EXPECT_EQ(bytes.size(), MAX_FRAUD_PROOF_SIZE);
    const auto decoded = DecodeFraudProof(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, proof);
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(DecodeFraudProof(longer).error_message(), "fraud proof: larger than MAX_FRAUD_PROOF_SIZE");
}

bool FraudDecodes(const FraudProof& proof) { return Decode(EncodeFraudProof(proof), ReadFraudProof).has_value(); }

TEST(FraudProofTest, EveryBoundWithOneOver)
{
    EXPECT_TRUE(FraudDecodes(GemmProof(MAX_FRAUD_GEMM_K, 1)));
    EXPECT_FALSE(FraudDecodes(GemmProof(MAX_FRAUD_GEMM_K + 1, 1)));
    EXPECT_FALSE(FraudDecodes(GemmProof(0, 1)));  // empty rows
    EXPECT_TRUE(FraudDecodes(GemmProof(64, MAX_FRAUD_GEMM_N)));
    {
        // n + 1 columns: refused by the count bound (C row grown to match).
        FraudProof proof = GemmProof(64, MAX_FRAUD_GEMM_N);
        proof.gemm.b_columns.push_back(Row(64, 1));
        proof.gemm.c_row = Row(MAX_FRAUD_C_ROW_BYTES, 9);
        EXPECT_FALSE(FraudDecodes(proof));
    }
    EXPECT_FALSE(FraudDecodes(GemmProof(64, 0)));  // no columns
    {
        FraudProof proof = GemmProof();
        proof.gemm.b_columns[2].bytes.push_back(0);  // column length ≠ k
        EXPECT_FALSE(FraudDecodes(proof));
    }
    {
        FraudProof proof = GemmProof();
        proof.gemm.c_row.bytes.pop_back();  // C row ≠ 4·n bytes
        EXPECT_FALSE(FraudDecodes(proof));
    }
    EXPECT_TRUE(FraudDecodes(LightProof(MAX_FRAUD_LIGHT_INPUT_ROWS, 16)));
    EXPECT_FALSE(FraudDecodes(LightProof(MAX_FRAUD_LIGHT_INPUT_ROWS + 1, 16)));
    EXPECT_FALSE(FraudDecodes(LightProof(0, 16)));
    EXPECT_TRUE(FraudDecodes(LightProof(1, MAX_FRAUD_LIGHT_ROW_BYTES)));
    EXPECT_FALSE(FraudDecodes(LightProof(1, MAX_FRAUD_LIGHT_ROW_BYTES + 1)));
    {
        FraudProof proof = LightProof();
        proof.light.output_row = Row(MAX_FRAUD_LIGHT_ROW_BYTES + 1, 1);
        EXPECT_FALSE(FraudDecodes(proof));
    }
    {
        // A Merkle proof one sibling too deep.
        FraudProof proof = GemmProof();
        proof.gemm.a_row.proof.branch.assign(MAX_MERKLE_DEPTH + 1, Hash(1));
        EXPECT_FALSE(FraudDecodes(proof));
    }
}

TEST(FraudProofTest, VersionAndVariantChecked)
{
    auto bytes = EncodeFraudProof(GemmProof());
    ASSERT_EQ(bytes[0], FRAUD_PROOF_VERSION);
    ASSERT_EQ(bytes[1 + OUTPOINT_SIZE], static_cast<uint8_t>(FraudVariant::GEMM));
    auto bad = bytes;
    bad[0] = FRAUD_PROOF_VERSION + 1;
    EXPECT_EQ(DecodeFraudProof(bad).error_message(), "fraud proof: unknown version");
    for (const uint8_t variant : {0, 3, 255}) {
        bad = bytes;
        bad[1 + OUTPOINT_SIZE] = variant;
        EXPECT_EQ(DecodeFraudProof(bad).error_message(), "fraud proof: unknown variant");
    }
    // A huge announced column count fails as truncated before any allocation.
    FraudProof proof = GemmProof(64, 1);
    auto enc = EncodeFraudProof(proof);
    const size_t count_at = 1 + OUTPOINT_SIZE + 1 + 4 + 1 + 64 + 3 + 3 * 32;
    ASSERT_EQ(enc[count_at], 1);
    enc[count_at] = static_cast<uint8_t>(MAX_FRAUD_GEMM_N > 252 ? 252 : MAX_FRAUD_GEMM_N);
    EXPECT_FALSE(DecodeFraudProof(enc));
}

TEST(DestinationPayloadTest, TransactionWithFraudOutputDecodes)
{
    MutableTransaction mtx;
    mtx.inputs.push_back(TxIn{OutPoint{Hash(1), 0}, SEQUENCE_FINAL, {}});
    mtx.outputs.push_back(TxOut{0, Destination{6, EncodeFraudProof(GemmProof(MAX_FRAUD_GEMM_K, MAX_FRAUD_GEMM_N))}});
    mtx.outputs.push_back(TxOut{1, Destination{5, {}}});
    const Transaction tx{mtx};
    const auto decoded = DecodeTransaction(EncodeTransaction(tx));
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, tx);
}

}  // namespace
}  // namespace hpips
