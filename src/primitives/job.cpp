// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/job.h>

#include <primitives/blob.h>

#include <cassert>
#include <string>

namespace hpips {
namespace {

/** A u32 in [min, max]; `what` names the field in the error. */
uint32_t ReadBoundedU32(Reader& r, uint32_t min, uint32_t max, const char* what)
{
    const uint32_t v = r.ReadU32();
    if (v < min || v > max) throw SerializeError{std::string{"job spec: "} + what + " out of range"};
    return v;
}

uint8_t ReadBoundedU8(Reader& r, uint8_t min, uint8_t max, const char* what)
{
    const uint8_t v = r.ReadU8();
    if (v < min || v > max) throw SerializeError{std::string{"job spec: "} + what + " out of range"};
    return v;
}

/** A blob size: 1..MAX_BLOB_SIZE. */
uint64_t ReadBlobSize(Reader& r, const char* what)
{
    const uint64_t v = r.ReadU64();
    if (v == 0 || v > MAX_BLOB_SIZE) throw SerializeError{std::string{"job spec: "} + what + " out of range"};
    return v;
}

bool ReadFlag(Reader& r, const char* what)
{
    const uint8_t v = r.ReadU8();
    if (v > 1) throw SerializeError{std::string{"job spec: "} + what + " must be 0 or 1"};
    return v == 1;
}

void WriteConv(Writer& w, const JobConvSpec& c)
{
    w.WriteU32(c.out_channels);
    w.WriteU8(c.kernel_h);
    w.WriteU8(c.kernel_w);
    w.WriteU8(c.stride_h);
    w.WriteU8(c.stride_w);
    w.WriteU8(c.pad_h);
    w.WriteU8(c.pad_w);
    w.WriteUint256(c.weights_blob_id);
    w.WriteU64(c.weights_size);
    w.WriteI32(c.multiplier);
    w.WriteU8(c.shift);
    w.WriteU8(static_cast<uint8_t>(c.input_zero_point));
    w.WriteU8(static_cast<uint8_t>(c.output_zero_point));
    w.WriteU8(static_cast<uint8_t>(c.clamp_min));
    w.WriteU8(static_cast<uint8_t>(c.clamp_max));
    w.WriteU8(static_cast<uint8_t>((c.relu ? JOB_CONV_FLAG_RELU : 0) | (c.max_pool ? JOB_CONV_FLAG_MAXPOOL : 0)));
}

JobConvSpec ReadConv(Reader& r)
{
    JobConvSpec c;
    c.out_channels = ReadBoundedU32(r, 1, MAX_JOB_CHANNELS, "out_channels");
    c.kernel_h = ReadBoundedU8(r, 1, MAX_JOB_KERNEL, "kernel_h");
    c.kernel_w = ReadBoundedU8(r, 1, MAX_JOB_KERNEL, "kernel_w");
    c.stride_h = ReadBoundedU8(r, 1, MAX_JOB_STRIDE, "stride_h");
    c.stride_w = ReadBoundedU8(r, 1, MAX_JOB_STRIDE, "stride_w");
    c.pad_h = ReadBoundedU8(r, 0, MAX_JOB_PAD, "pad_h");
    c.pad_w = ReadBoundedU8(r, 0, MAX_JOB_PAD, "pad_w");
    c.weights_blob_id = r.ReadUint256();
    c.weights_size = ReadBlobSize(r, "weights size");
    c.multiplier = r.ReadI32();
    if (c.multiplier < 0) throw SerializeError{"job spec: multiplier out of range"};
    c.shift = ReadBoundedU8(r, 0, MAX_JOB_REQUANT_SHIFT, "shift");
    c.input_zero_point = static_cast<int8_t>(r.ReadU8());
    c.output_zero_point = static_cast<int8_t>(r.ReadU8());
    c.clamp_min = static_cast<int8_t>(r.ReadU8());
    c.clamp_max = static_cast<int8_t>(r.ReadU8());
    const uint8_t flags = r.ReadU8();
    if ((flags & ~JOB_CONV_FLAGS_KNOWN) != 0) throw SerializeError{"job spec: unknown conv flags"};
    c.relu = (flags & JOB_CONV_FLAG_RELU) != 0;
    c.max_pool = (flags & JOB_CONV_FLAG_MAXPOOL) != 0;
    return c;
}

}  // namespace

void WriteJobSpec(Writer& w, const JobSpec& spec)
{
    assert(spec.pipeline.size() <= MAX_JOB_PIPELINE_LENGTH);
    w.WriteU8(spec.version);
    w.WriteBytes(spec.poster_key);
    w.WriteUint256(spec.input_blob_id);
    w.WriteU64(spec.input_size);
    w.WriteU8(static_cast<uint8_t>(spec.input_kind));
    w.WriteU32(spec.width);
    w.WriteU32(spec.height);
    w.WriteU32(spec.channels);
    w.WriteU32(spec.frames);
    w.WriteByteVector({reinterpret_cast<const uint8_t*>(spec.pipeline.data()), spec.pipeline.size()});
    w.WriteU8(spec.has_conv ? 1 : 0);
    if (spec.has_conv) WriteConv(w, spec.conv);
    w.WriteU8(spec.redundancy);
    w.WriteU32(spec.expiry_height);
    w.WriteU32(spec.commit_window);
    w.WriteU32(spec.reveal_window);
    w.WriteU32(spec.challenge_window);
    w.WriteUint256(spec.units_root);
    w.WriteU32(spec.unit_count);
}

JobSpec ReadJobSpec(Reader& r)
{
    JobSpec spec;
    spec.version = r.ReadU8();
    if (spec.version != JOB_SPEC_VERSION) throw SerializeError{"job spec: unknown version"};
    spec.poster_key = r.ReadArray<XONLY_KEY_SIZE>();
    spec.input_blob_id = r.ReadUint256();
    spec.input_size = ReadBlobSize(r, "input size");
    spec.input_kind = static_cast<JobInputKind>(ReadBoundedU8(r, 0, MAX_JOB_INPUT_KIND, "input kind"));
    spec.width = ReadBoundedU32(r, 1, MAX_JOB_SPATIAL, "width");
    spec.height = ReadBoundedU32(r, 1, MAX_JOB_SPATIAL, "height");
    spec.channels = ReadBoundedU32(r, 1, MAX_JOB_CHANNELS, "channels");
    spec.frames = ReadBoundedU32(r, 1, MAX_JOB_FRAMES, "frames");
    const auto text = r.ReadByteVector(MAX_JOB_PIPELINE_LENGTH);
    for (const uint8_t c : text) {
        // The pipeline grammar is printable ASCII without spaces.
        if (c < 0x21 || c > 0x7e) throw SerializeError{"job spec: pipeline text not printable ASCII"};
    }
    spec.pipeline.assign(text.begin(), text.end());
    spec.has_conv = ReadFlag(r, "has_conv");
    if (spec.has_conv) spec.conv = ReadConv(r);
    spec.redundancy = r.ReadU8();
    spec.expiry_height = r.ReadU32();
    spec.commit_window = r.ReadU32();
    spec.reveal_window = r.ReadU32();
    spec.challenge_window = r.ReadU32();
    spec.units_root = r.ReadUint256();
    spec.unit_count = ReadBoundedU32(r, 1, MAX_JOB_UNITS, "unit count");
    return spec;
}

std::vector<uint8_t> EncodeJobSpec(const JobSpec& spec)
{
    Writer w{JOB_SPEC_FIXED_SIZE + 3 + spec.pipeline.size() + (spec.has_conv ? JOB_CONV_ENCODED_SIZE : 0)};
    WriteJobSpec(w, spec);
    return w.Take();
}

Result<JobSpec> DecodeJobSpec(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_JOB_SPEC_SIZE) return Error{"job spec: larger than MAX_JOB_SPEC_SIZE"};
    return Decode(bytes, ReadJobSpec);
}

}  // namespace hpips
