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

MerkleProof Proof(uint64_t index, uint64_t count, size_t depth)
{
    return MerkleProof{index, count, std::vector<uint256>(depth, Hash(static_cast<uint8_t>(index)))};
}

/** The largest proof encoding: 9-byte count, 5-byte index, 32 siblings. */
MerkleProof WidestProof() { return Proof(MAX_MERKLE_LEAVES - 1, MAX_MERKLE_LEAVES, MAX_MERKLE_DEPTH); }

/** Encoded size of Proof(17, 2048, 11): 3-byte count, 1-byte index, 1-byte
 *  branch length, 11 siblings. */
constexpr size_t GEMM_PROOF_SIZE = 3 + 1 + 1 + 11 * 32;

FraudProof GemmProof(size_t k = 64, size_t n = 4)
{
    FraudProof proof;
    proof.target = OutPoint{Hash(20), 1};
    proof.variant = FraudVariant::GEMM;
    proof.row = 17;
    proof.gemm.a_row.assign(k, -3);
    proof.gemm.a_proof = Proof(17, 2048, 11);
    proof.gemm.b.resize(k * n);
    for (size_t i = 0; i < proof.gemm.b.size(); ++i) proof.gemm.b[i] = static_cast<int8_t>(i * 7);
    for (size_t j = 0; j < n; ++j) proof.gemm.c_row.push_back(static_cast<int32_t>(j) * -100'003 - 7);
    proof.gemm.c_proof = Proof(17, 2048, 11);
    return proof;
}

FraudProof WindowProof(FraudVariant variant = FraudVariant::LIGHT, size_t rows = 5, size_t width = 100,
                       size_t proofs = 5)
{
    FraudProof proof;
    proof.target = OutPoint{Hash(21), 0};
    proof.variant = variant;
    proof.row = 3;
    proof.window.input_rows.assign(rows * width, 0x55);
    for (size_t i = 0; i < proofs; ++i) proof.window.input_proofs.push_back(Proof(i, 64, 6));
    proof.window.claimed_row.assign(width, 0x77);
    proof.window.row_proof = Proof(3, 64, 6);
    return proof;
}

bool FraudDecodes(const std::vector<uint8_t>& bytes) { return Decode(bytes, ReadFraudProof).has_value(); }
bool FraudDecodes(const FraudProof& proof) { return FraudDecodes(EncodeFraudProof(proof)); }

TEST(FraudProofTest, RoundTrip)
{
    for (const FraudProof& proof : {GemmProof(), WindowProof(), WindowProof(FraudVariant::CONV),
                                    WindowProof(FraudVariant::LIGHT, 8, 30, 0)}) {
        const auto bytes = EncodeFraudProof(proof);
        const auto decoded = DecodeFraudProof(bytes);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, proof);
        EXPECT_EQ(EncodeFraudProof(*decoded), bytes);
        for (size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(DecodeFraudProof(std::span{bytes}.first(n))) << n;
        auto trailing = bytes;
        trailing.push_back(0);
        EXPECT_EQ(DecodeFraudProof(trailing).error_message(), "trailing bytes");
    }
}

TEST(FraudProofTest, GemmLayout)
{
    const FraudProof proof = GemmProof(64, 2);
    const auto bytes = EncodeFraudProof(proof);
    size_t at = FRAUD_PROOF_HEADER_SIZE;
    EXPECT_EQ(bytes[1 + OUTPOINT_SIZE], 1);  // variant GEMM
    EXPECT_EQ(bytes[at], 64);                // k
    EXPECT_EQ(static_cast<int8_t>(bytes[at + 1]), -3);
    at += 1 + 64 + GEMM_PROOF_SIZE;          // A row and its proof
    EXPECT_EQ(bytes[at], 2);                 // n
    at += 1 + 64 * 2;                        // B
    // C row: int32 little-endian, two's complement.
    EXPECT_EQ(bytes[at], static_cast<uint8_t>(-7));
    EXPECT_EQ(bytes[at + 3], 0xff);
    EXPECT_EQ(bytes.size(), at + 8 + GEMM_PROOF_SIZE);
}

TEST(FraudProofTest, LargestProofsAreMaxFraudProofSize)
{
    FraudProof gemm = GemmProof(MAX_FRAUD_GEMM_K, MAX_FRAUD_GEMM_N);
    gemm.gemm.a_proof = gemm.gemm.c_proof = WidestProof();
    EXPECT_EQ(EncodeFraudProof(gemm).size(), MAX_GEMM_FRAUD_PROOF_ENCODING);
    EXPECT_TRUE(DecodeFraudProof(EncodeFraudProof(gemm)));

    FraudProof window = WindowProof(FraudVariant::LIGHT, 1, 1, 0);
    window.window.input_rows.assign(MAX_FRAUD_INPUT_ROWS_BYTES, 1);
    window.window.input_proofs.assign(MAX_FRAUD_INPUT_PROOFS, WidestProof());
    window.window.claimed_row.assign(MAX_FRAUD_CLAIMED_ROW_BYTES, 2);
    window.window.row_proof = WidestProof();
    const auto bytes = EncodeFraudProof(window);
    EXPECT_EQ(bytes.size(), MAX_FRAUD_PROOF_SIZE);
    const auto decoded = DecodeFraudProof(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, window);
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_EQ(DecodeFraudProof(longer).error_message(), "fraud proof: larger than MAX_FRAUD_PROOF_SIZE");
}

/** `proof` encoded with the CompactSize at byte `at` (a 1-, 3- or 5-byte
 *  length) replaced by `value`, and `extra` bytes of padding appended so
 *  that a length one over its bound is refused by the bound, not for truncation. */
std::vector<uint8_t> WithLength(const FraudProof& proof, size_t at, size_t old_size, uint64_t value, size_t extra)
{
    auto bytes = EncodeFraudProof(proof);
    Writer w;
    w.WriteCompactSize(value);
    std::vector<uint8_t> out{bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(at)};
    out.insert(out.end(), w.data().begin(), w.data().end());
    out.insert(out.end(), bytes.begin() + static_cast<std::ptrdiff_t>(at + old_size), bytes.end());
    out.resize(out.size() + extra, 0);
    return out;
}

TEST(FraudProofTest, EveryBoundWithOneOver)
{
    const size_t at = FRAUD_PROOF_HEADER_SIZE;
    // k: at the bound decodes; one over is refused by the length bound.
    EXPECT_TRUE(FraudDecodes(GemmProof(MAX_FRAUD_GEMM_K, 1)));
    EXPECT_EQ(Decode(WithLength(GemmProof(MAX_FRAUD_GEMM_K, 1), at, 3, MAX_FRAUD_GEMM_K + 1, 1024), ReadFraudProof)
                  .error_message(),
              "CompactSize 4097 exceeds maximum 4096");
    EXPECT_FALSE(FraudDecodes(WithLength(GemmProof(1, 1), at, 1, 0, 0)));  // k = 0
    // n: at the bound decodes; one over is refused.
    EXPECT_TRUE(FraudDecodes(GemmProof(1, MAX_FRAUD_GEMM_N)));
    const size_t n_at = at + 1 + 1 + GEMM_PROOF_SIZE;
    EXPECT_EQ(Decode(WithLength(GemmProof(1, MAX_FRAUD_GEMM_N), n_at, 3, MAX_FRAUD_GEMM_N + 1, 1024), ReadFraudProof)
                  .error_message(),
              "CompactSize 257 exceeds maximum 256");
    EXPECT_FALSE(FraudDecodes(WithLength(GemmProof(1, 1), n_at, 1, 0, 0)));  // n = 0
    // B or the C row shorter than k·n / 4·n: truncated.
    {
        auto bytes = EncodeFraudProof(GemmProof(8, 2));
        bytes.erase(bytes.begin() + static_cast<std::ptrdiff_t>(at + 1 + 8 + GEMM_PROOF_SIZE + 1));  // one B byte
        EXPECT_FALSE(FraudDecodes(bytes));
    }
    // Input rows.
    FraudProof window = WindowProof(FraudVariant::LIGHT, 1, 1, 0);
    window.window.input_rows.assign(MAX_FRAUD_INPUT_ROWS_BYTES, 1);
    EXPECT_TRUE(FraudDecodes(window));
    EXPECT_EQ(Decode(WithLength(window, at, 5, MAX_FRAUD_INPUT_ROWS_BYTES + 1, 1), ReadFraudProof).error_message(),
              "vector length 1048577 exceeds maximum 1048576");
    EXPECT_FALSE(FraudDecodes(WithLength(WindowProof(), at, 3, 0, 0)));  // empty input rows
    // Input proofs.
    EXPECT_TRUE(FraudDecodes(WindowProof(FraudVariant::LIGHT, 1, 4, MAX_FRAUD_INPUT_PROOFS)));
    EXPECT_FALSE(FraudDecodes(WindowProof(FraudVariant::LIGHT, 1, 4, MAX_FRAUD_INPUT_PROOFS + 1)));
    // Claimed row.
    window = WindowProof(FraudVariant::CONV, 1, 4, 0);
    window.window.claimed_row.assign(MAX_FRAUD_CLAIMED_ROW_BYTES, 3);
    EXPECT_TRUE(FraudDecodes(window));
    const size_t row_at = at + 1 + 4 + 1;
    EXPECT_EQ(Decode(WithLength(window, row_at, 5, MAX_FRAUD_CLAIMED_ROW_BYTES + 1, 1), ReadFraudProof)
                  .error_message(),
              "vector length 262145 exceeds maximum 262144");
    EXPECT_FALSE(FraudDecodes(WithLength(WindowProof(FraudVariant::CONV, 1, 4, 0), row_at, 1, 0, 0)));
    // A Merkle proof one sibling too deep.
    FraudProof deep = GemmProof();
    deep.gemm.a_proof.branch.assign(MAX_MERKLE_DEPTH + 1, Hash(1));
    EXPECT_FALSE(FraudDecodes(deep));
}

TEST(FraudProofTest, VersionAndVariantChecked)
{
    const auto bytes = EncodeFraudProof(GemmProof());
    ASSERT_EQ(bytes[0], FRAUD_PROOF_VERSION);
    auto bad = bytes;
    bad[0] = FRAUD_PROOF_VERSION + 1;
    EXPECT_EQ(DecodeFraudProof(bad).error_message(), "fraud proof: unknown version");
    for (const uint8_t variant : {0, 4, 255}) {
        bad = bytes;
        bad[1 + OUTPOINT_SIZE] = variant;
        EXPECT_EQ(DecodeFraudProof(bad).error_message(), "fraud proof: unknown variant");
    }
    // A GEMM body read as a light one, or the reverse, does not decode.
    bad = bytes;
    bad[1 + OUTPOINT_SIZE] = static_cast<uint8_t>(FraudVariant::LIGHT);
    EXPECT_FALSE(DecodeFraudProof(bad));
    // A huge announced proof count fails as truncated before any allocation.
    auto counted = EncodeFraudProof(WindowProof(FraudVariant::LIGHT, 1, 4, 1));
    const size_t count_at = FRAUD_PROOF_HEADER_SIZE + 1 + 4;
    ASSERT_EQ(counted[count_at], 1);
    counted[count_at] = 200;
    EXPECT_EQ(DecodeFraudProof(counted).error_message(), "truncated");
}

TEST(FraudProofTest, TransactionWithLargestFraudOutputDecodes)
{
    FraudProof window = WindowProof(FraudVariant::LIGHT, 1, 1, 0);
    window.window.input_rows.assign(MAX_FRAUD_INPUT_ROWS_BYTES, 1);
    window.window.input_proofs.assign(MAX_FRAUD_INPUT_PROOFS, WidestProof());
    window.window.claimed_row.assign(MAX_FRAUD_CLAIMED_ROW_BYTES, 2);
    window.window.row_proof = WidestProof();
    MutableTransaction mtx;
    mtx.inputs.push_back(TxIn{OutPoint{Hash(1), 0}, SEQUENCE_FINAL, {}});
    mtx.outputs.push_back(TxOut{0, Destination{6, EncodeFraudProof(window)}});
    mtx.outputs.push_back(TxOut{1, Destination{5, {}}});
    const Transaction tx{mtx};
    const auto decoded = DecodeTransaction(EncodeTransaction(tx));
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, tx);
}

}  // namespace
}  // namespace hpips
