// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The job-market encodings (primitives/job.h, job_commit.h, fraud_proof.h)
// and the per-kind destination payload limits (destination.h).
#include <crypto/sha256.h>
#include <primitives/fraud_proof.h>
#include <primitives/job.h>
#include <primitives/job_commit.h>
#include <primitives/transaction.h>

#include <gtest/gtest.h>

#include <functional>

namespace hpips {
namespace {

uint256 Hash(uint8_t tag)
{
    std::array<uint8_t, 32> bytes{};
    bytes.fill(tag);
    return uint256{bytes};
}

JobSpec SampleSpec(bool with_conv = true)
{
    JobSpec spec;
    spec.poster_key.fill(0x11);
    spec.input_blob_id = Hash(1);
    spec.width = 64;
    spec.height = 32;
    spec.channels = 3;
    spec.frames = 2;
    spec.input_size = 64 * 32 * 3 * 2;
    spec.pipeline = "gray,gauss:5:1000";
    spec.has_conv = with_conv;
    if (with_conv) {
        spec.conv.out_channels = 8;
        spec.conv.kernel_h = 3;
        spec.conv.kernel_w = 3;
        spec.conv.pad_h = 1;
        spec.conv.pad_w = 1;
        spec.conv.weights_blob_id = Hash(2);
        spec.conv.weights_size = 9 * 8 + 4 * 8;
        spec.conv.multiplier = 1 << 30;
        spec.conv.shift = 4;
        spec.conv.input_zero_point = -3;
        spec.conv.output_zero_point = 5;
        spec.conv.clamp_min = -112;
        spec.conv.clamp_max = 112;
        spec.conv.relu = true;
        spec.conv.max_pool = true;
    }
    spec.redundancy = 2;
    spec.expiry_height = 1000;
    spec.commit_window = 10;
    spec.reveal_window = 10;
    spec.challenge_window = 20;
    spec.units_root = Hash(3);
    spec.unit_count = 4;
    return spec;
}

/** Offsets of fields in SampleSpec's encoding (pipeline text of 17 bytes). */
constexpr size_t OFF_INPUT_SIZE = 1 + 32 + 32;
constexpr size_t OFF_INPUT_KIND = OFF_INPUT_SIZE + 8;
constexpr size_t OFF_WIDTH = OFF_INPUT_KIND + 1;
constexpr size_t OFF_PIPELINE_LEN = OFF_WIDTH + 16;
constexpr size_t OFF_HAS_CONV = OFF_PIPELINE_LEN + 1 + 17;
constexpr size_t OFF_CONV = OFF_HAS_CONV + 1;
constexpr size_t OFF_CONV_FLAGS = OFF_CONV + JOB_CONV_ENCODED_SIZE - 1;

TEST(JobSpecTest, RoundTrip)
{
    for (const bool conv : {true, false}) {
        const JobSpec spec = SampleSpec(conv);
        const auto bytes = EncodeJobSpec(spec);
        EXPECT_EQ(bytes.size(), JOB_SPEC_FIXED_SIZE + 1 + spec.pipeline.size() + (conv ? JOB_CONV_ENCODED_SIZE : 0));
        const auto decoded = DecodeJobSpec(bytes);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, spec);
        EXPECT_EQ(EncodeJobSpec(*decoded), bytes);
    }
    // Empty pipeline, tensor input.
    JobSpec tensor = SampleSpec();
    tensor.pipeline.clear();
    tensor.input_kind = JobInputKind::INT8_TENSOR;
    EXPECT_EQ(*DecodeJobSpec(EncodeJobSpec(tensor)), tensor);
}

TEST(JobSpecTest, LargestEncodingIsMaxJobSpecSize)
{
    JobSpec spec = SampleSpec();
    spec.pipeline.assign(MAX_JOB_PIPELINE_LENGTH, 'a');
    const auto bytes = EncodeJobSpec(spec);
    EXPECT_EQ(bytes.size(), MAX_JOB_SPEC_SIZE);
    ASSERT_TRUE(DecodeJobSpec(bytes));
    // One text byte more: the length bound refuses it (and so does the size bound).
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(DecodeJobSpec(longer));
    // A text of MAX_JOB_PIPELINE_LENGTH + 1 bytes (the encoder refuses to
    // write one): the length bound rejects it even without the size bound.
    Writer w;
    w.WriteByteVector(std::vector<uint8_t>(MAX_JOB_PIPELINE_LENGTH + 1, 'a'));
    std::vector<uint8_t> over{bytes.begin(), bytes.begin() + OFF_PIPELINE_LEN};
    over.insert(over.end(), w.data().begin(), w.data().end());
    over.insert(over.end(), bytes.begin() + OFF_PIPELINE_LEN + 3 + MAX_JOB_PIPELINE_LENGTH, bytes.end());
    EXPECT_EQ(Decode(over, ReadJobSpec).error_message(), "vector length 1025 exceeds maximum 1024");
}

TEST(JobSpecTest, TruncatedAndTrailingRejected)
{
    const auto bytes = EncodeJobSpec(SampleSpec());
    for (size_t n = 0; n < bytes.size(); ++n) {
        EXPECT_FALSE(DecodeJobSpec(std::span{bytes}.first(n))) << n;
    }
    auto trailing = bytes;
    trailing.push_back(0);
    EXPECT_EQ(DecodeJobSpec(trailing).error_message(), "trailing bytes");
}

/** Encodes SampleSpec(), lets `edit` change the spec, and decodes. */
bool DecodesWith(const std::function<void(JobSpec&)>& edit)
{
    JobSpec spec = SampleSpec();
    edit(spec);
    return DecodeJobSpec(EncodeJobSpec(spec)).has_value();
}

TEST(JobSpecTest, EveryFieldBoundWithOneOver)
{
    EXPECT_TRUE(DecodesWith([](JobSpec&) {}));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.version = JOB_SPEC_VERSION + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.version = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.input_size = MAX_BLOB_SIZE; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.input_size = MAX_BLOB_SIZE + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.input_size = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.input_kind = static_cast<JobInputKind>(MAX_JOB_INPUT_KIND); }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.input_kind = static_cast<JobInputKind>(MAX_JOB_INPUT_KIND + 1); }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.width = MAX_JOB_SPATIAL; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.width = MAX_JOB_SPATIAL + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.width = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.height = MAX_JOB_SPATIAL; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.height = MAX_JOB_SPATIAL + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.height = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.channels = MAX_JOB_CHANNELS; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.channels = MAX_JOB_CHANNELS + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.channels = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.frames = MAX_JOB_FRAMES; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.frames = MAX_JOB_FRAMES + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.frames = 0; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.pipeline = "gray gauss"; }));   // space
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.pipeline = "gray\n"; }));       // control byte
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.pipeline = "gr\xc3\xa4y"; }));  // not ASCII
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.out_channels = MAX_JOB_CHANNELS; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.out_channels = MAX_JOB_CHANNELS + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.out_channels = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.kernel_h = MAX_JOB_KERNEL; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.kernel_h = MAX_JOB_KERNEL + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.kernel_h = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.kernel_w = MAX_JOB_KERNEL; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.kernel_w = MAX_JOB_KERNEL + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.kernel_w = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.stride_h = MAX_JOB_STRIDE; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.stride_h = MAX_JOB_STRIDE + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.stride_h = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.stride_w = MAX_JOB_STRIDE; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.stride_w = MAX_JOB_STRIDE + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.stride_w = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.pad_h = MAX_JOB_PAD; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.pad_h = MAX_JOB_PAD + 1; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.pad_w = MAX_JOB_PAD; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.pad_w = MAX_JOB_PAD + 1; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.weights_size = MAX_BLOB_SIZE; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.weights_size = MAX_BLOB_SIZE + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.weights_size = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.multiplier = 0; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.multiplier = INT32_MAX; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.multiplier = -1; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.conv.shift = MAX_JOB_REQUANT_SHIFT; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.conv.shift = MAX_JOB_REQUANT_SHIFT + 1; }));
    EXPECT_TRUE(DecodesWith([](JobSpec& s) { s.unit_count = MAX_JOB_UNITS; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.unit_count = MAX_JOB_UNITS + 1; }));
    EXPECT_FALSE(DecodesWith([](JobSpec& s) { s.unit_count = 0; }));
}

TEST(JobSpecTest, NonCanonicalEncodingsRejected)
{
    const auto bytes = EncodeJobSpec(SampleSpec());
    ASSERT_EQ(bytes[OFF_PIPELINE_LEN], 17);
    ASSERT_EQ(bytes[OFF_HAS_CONV], 1);
    {  // has_conv must be 0 or 1
        auto bad = bytes;
        bad[OFF_HAS_CONV] = 2;
        EXPECT_FALSE(DecodeJobSpec(bad));
    }
    {  // reserved conv flag bits must be zero
        ASSERT_EQ(bytes[OFF_CONV_FLAGS], JOB_CONV_FLAG_RELU | JOB_CONV_FLAG_MAXPOOL);
        for (uint8_t bit = 2; bit < 8; ++bit) {
            auto bad = bytes;
            bad[OFF_CONV_FLAGS] |= static_cast<uint8_t>(1u << bit);
            EXPECT_FALSE(DecodeJobSpec(bad)) << int{bit};
        }
    }
    {  // the pipeline length as fd 11 00 instead of 11
        std::vector<uint8_t> bad{bytes.begin(), bytes.begin() + OFF_PIPELINE_LEN};
        bad.insert(bad.end(), {COMPACT_SIZE_U16_MARKER, 17, 0});
        bad.insert(bad.end(), bytes.begin() + OFF_PIPELINE_LEN + 1, bytes.end());
        EXPECT_EQ(DecodeJobSpec(bad).error_message(), "non-canonical CompactSize");
    }
    {  // no conv: the conv bytes must not follow (they would be trailing or misread)
        JobSpec spec = SampleSpec();
        spec.has_conv = false;
        auto bad = EncodeJobSpec(spec);
        const auto conv = std::span{bytes}.subspan(OFF_CONV, JOB_CONV_ENCODED_SIZE);
        bad.insert(bad.begin() + OFF_CONV, conv.begin(), conv.end());
        EXPECT_FALSE(DecodeJobSpec(bad));
    }
    // Offsets used above, checked against the layout.
    EXPECT_EQ(bytes[OFF_INPUT_KIND], 0);
    EXPECT_EQ(bytes[OFF_WIDTH], 64);
}

TEST(JobSpecTest, OversizedInputRejectedBeforeParsing)
{
    const std::vector<uint8_t> big(MAX_JOB_SPEC_SIZE + 1, 0);
    EXPECT_EQ(DecodeJobSpec(big).error_message(), "job spec: larger than MAX_JOB_SPEC_SIZE");
}

TEST(JobCommitTest, RoundTripAndSizes)
{
    JobCommit commit{Hash(4), 77, {}, Hash(5)};
    commit.miner_key.fill(0x22);
    const auto bytes = EncodeJobCommit(commit);
    ASSERT_EQ(bytes.size(), JOB_COMMIT_PAYLOAD_SIZE);
    EXPECT_EQ(*DecodeJobCommit(bytes), commit);
    EXPECT_FALSE(DecodeJobCommit(std::span{bytes}.first(JOB_COMMIT_PAYLOAD_SIZE - 1)));
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(DecodeJobCommit(longer));
    // region is little-endian right after the job id
    EXPECT_EQ(bytes[32], 77);
    EXPECT_EQ(bytes[33], 0);

    const JobReveal reveal{Hash(6), Hash(7)};
    const auto rbytes = EncodeJobReveal(reveal);
    ASSERT_EQ(rbytes.size(), JOB_REVEAL_PAYLOAD_SIZE);
    EXPECT_EQ(*DecodeJobReveal(rbytes), reveal);
    EXPECT_FALSE(DecodeJobReveal(std::span{rbytes}.first(JOB_REVEAL_PAYLOAD_SIZE - 1)));
    auto rlonger = rbytes;
    rlonger.push_back(0);
    EXPECT_FALSE(DecodeJobReveal(rlonger));
}

TEST(JobCommitTest, JobIdAndCommitmentAreTaggedHashes)
{
    const uint256 txid = Hash(9);
    Writer w;
    w.WriteUint256(txid);
    w.WriteU32(3);
    EXPECT_EQ(ComputeJobId(txid, 3), TaggedHash("HPIPS/job", w.data()));
    EXPECT_EQ(ComputeJobId(OutPoint{txid, 3}), ComputeJobId(txid, 3));
    EXPECT_NE(ComputeJobId(txid, 3), ComputeJobId(txid, 4));

    std::array<uint8_t, 32> key;
    key.fill(0x33);
    const uint256 unit = Hash(10), root = Hash(11), salt = Hash(12);
    Writer c;
    c.WriteBytes(key);
    c.WriteUint256(unit);
    c.WriteUint256(root);
    c.WriteUint256(salt);
    const uint256 commitment = ComputeJobCommitment(key, unit, root, salt);
    EXPECT_EQ(commitment, TaggedHash("HPIPS/job-commit", c.data()));

    JobCommit commit{Hash(1), 0, key, commitment};
    EXPECT_TRUE(RevealOpensCommit(commit, JobReveal{root, salt}, unit));
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{root, Hash(13)}, unit));   // other salt
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{Hash(13), salt}, unit));   // other result
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{root, salt}, Hash(13)));   // other unit
    commit.miner_key.fill(0x44);                                                // a copier's key
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{root, salt}, unit));
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

TEST(DestinationPayloadTest, PerKindLimits)
{
    const auto decode_with = [](uint8_t kind, size_t size) {
        Writer w;
        WriteDestination(w, Destination{kind, std::vector<uint8_t>(size, 0)});
        return Decode(w.data(), ReadDestination).has_value();
    };
    // KEY and unknown kinds: unchanged (MAX_DESTINATION_PAYLOAD = 256).
    EXPECT_EQ(MAX_DESTINATION_PAYLOAD, 256u);
    for (const uint8_t kind : {uint8_t{0}, uint8_t{1}, uint8_t{7}, uint8_t{255}}) {
        EXPECT_TRUE(decode_with(kind, MAX_DESTINATION_PAYLOAD));
        EXPECT_FALSE(decode_with(kind, MAX_DESTINATION_PAYLOAD + 1));
    }
    EXPECT_TRUE(decode_with(2, MAX_JOB_SPEC_SIZE));
    EXPECT_FALSE(decode_with(2, MAX_JOB_SPEC_SIZE + 1));
    EXPECT_TRUE(decode_with(3, JOB_COMMIT_PAYLOAD_SIZE));
    EXPECT_FALSE(decode_with(3, JOB_COMMIT_PAYLOAD_SIZE + 1));
    EXPECT_TRUE(decode_with(4, JOB_REVEAL_PAYLOAD_SIZE));
    EXPECT_FALSE(decode_with(4, JOB_REVEAL_PAYLOAD_SIZE + 1));
    EXPECT_TRUE(decode_with(5, 0));
    EXPECT_FALSE(decode_with(5, 1));
    EXPECT_TRUE(decode_with(6, MAX_FRAUD_PROOF_SIZE));
    EXPECT_FALSE(decode_with(6, MAX_FRAUD_PROOF_SIZE + 1));
    EXPECT_EQ(MAX_ANY_DESTINATION_PAYLOAD, MAX_FRAUD_PROOF_SIZE);
    EXPECT_EQ(MAX_SPENDABLE_DESTINATION_PAYLOAD, MAX_JOB_SPEC_SIZE);
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
