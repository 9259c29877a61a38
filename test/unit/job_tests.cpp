// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The JobSpec encoding (primitives/job.h) and the per-kind destination
// payload limits of the job kinds (primitives/destination.h).
#include <primitives/job.h>
#include <primitives/transaction.h>

#include <functional>

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace hpips
