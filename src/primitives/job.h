// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_JOB_H
#define HPIPS_PRIMITIVES_JOB_H

#include <primitives/blob.h>
#include <primitives/destination.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

/**
 * JobSpec: what a JOB output's payload describes (doc/jobs.md, "JobSpec").
 *
 * Canonical encoding, every integer little-endian:
 *   version u8 (= JOB_SPEC_VERSION) | poster key (32)
 *   | input blob id (32) | input size u64 | input kind u8 | width u32
 *   | height u32 | channels u32 | frames u32
 *   | CompactSize pipeline length | pipeline text (ASCII)
 *   | has_conv u8 (0 or 1)
 *   | [if has_conv: out_channels u32 | kernel_h u8 | kernel_w u8 | stride_h u8
 *      | stride_w u8 | pad_h u8 | pad_w u8 | weights blob id (32)
 *      | weights size u64 | multiplier i32 | shift u8 | input zero point i8
 *      | output zero point i8 | clamp_min i8 | clamp_max i8 | flags u8
 *      (bit 0 relu, bit 1 max-pool, the rest zero)]
 *   | redundancy u8 | expiry height u32 | commit window u32
 *   | reveal window u32 | challenge window u32 | units root (32) | unit count u32
 *
 * The input and weights sizes are 1..MAX_BLOB_SIZE (primitives/blob.h).
 * The decoder enforces each field's own range (named constants below) and
 * canonical form (0/1 flags, no reserved bits, shortest CompactSize, no
 * trailing byte), so every accepted payload re-encodes to the same bytes.
 * Rules that relate fields or depend on the chain (pipeline grammar,
 * data size versus shape, redundancy, windows, expiry, bounty) are consensus
 * rules with reasons: consensus/job_check.h.
 *
 * Not thread-safe (plain values); the functions are pure.
 */
namespace hpips {

/** The only JobSpec version this software decodes. */
constexpr uint8_t JOB_SPEC_VERSION = 1;

/** Longest pipeline text; equal to kernels' MAX_PIPELINE_SPEC_LENGTH
 *  (consensus/job_check.cpp checks that they agree; primitives does not
 *  depend on kernels). */
constexpr size_t MAX_JOB_PIPELINE_LENGTH = 1024;
/** Largest input width or height (kernels accept up to 16384 for resize). */
constexpr uint32_t MAX_JOB_SPATIAL = 16384;
/** Largest channel count of the input and of a conv layer's output
 *  (kernels' CONV_MAX_CHANNELS). */
constexpr uint32_t MAX_JOB_CHANNELS = 4096;
/** Most frames in one input; with the blob size bound (256 MiB) at one byte
 *  per element, more frames could only be 1-pixel images. */
constexpr uint32_t MAX_JOB_FRAMES = 65536;
/** Largest conv kernel side (kernels' CONV_MAX_KERNEL). */
constexpr uint8_t MAX_JOB_KERNEL = 15;
/** Largest conv stride (kernels' CONV_MAX_STRIDE). */
constexpr uint8_t MAX_JOB_STRIDE = 8;
/** Largest padding on one side; below the kernel side (checked by consensus). */
constexpr uint8_t MAX_JOB_PAD = MAX_JOB_KERNEL - 1;
/** Largest requantization right shift (kernels' REQUANT_MAX_SHIFT). */
constexpr uint8_t MAX_JOB_REQUANT_SHIFT = 31;
/** Largest number of units of one job: 2^20 heavy units of 2048 rows is far
 *  above what a 256 MiB input can give, and region indexes stay far from
 *  overflow. */
constexpr uint32_t MAX_JOB_UNITS = uint32_t{1} << 20;

/** What the input blob holds. */
enum class JobInputKind : uint8_t {
    /** `frames` 8-bit images of width × height × channels, row-major, one after another. */
    IMAGE_FRAMES = 0,
    /** One int8 tensor of height × width × channels (frames must be 1). */
    INT8_TENSOR = 1,
};
/** Largest valid JobInputKind value. */
constexpr uint8_t MAX_JOB_INPUT_KIND = static_cast<uint8_t>(JobInputKind::INT8_TENSOR);

/** Conv flags bit: ReLU in the quantized domain (kernels/requantize.h). */
constexpr uint8_t JOB_CONV_FLAG_RELU = 0x01;
/** Conv flags bit: 2 × 2 max-pool with stride 2 after requantization. */
constexpr uint8_t JOB_CONV_FLAG_MAXPOOL = 0x02;
/** Every defined flag bit; the others must be zero. */
constexpr uint8_t JOB_CONV_FLAGS_KNOWN = JOB_CONV_FLAG_RELU | JOB_CONV_FLAG_MAXPOOL;

/** The optional heavy stage: one conv layer (kernels/conv.h) with its
 *  requantization (kernels/requantize.h). Weights blob: k × n int8 weights
 *  (k = kernel_h · kernel_w · channels, n = out_channels) then n int32 LE biases. */
struct JobConvSpec {
    uint32_t out_channels{1};
    uint8_t kernel_h{1};
    uint8_t kernel_w{1};
    uint8_t stride_h{1};
    uint8_t stride_w{1};
    uint8_t pad_h{0};
    uint8_t pad_w{0};
    uint256 weights_blob_id;
    uint64_t weights_size{0};
    int32_t multiplier{0};
    uint8_t shift{0};
    int8_t input_zero_point{0};
    int8_t output_zero_point{0};
    int8_t clamp_min{-128};
    int8_t clamp_max{127};
    bool relu{false};
    bool max_pool{false};

    friend bool operator==(const JobConvSpec&, const JobConvSpec&) = default;
};

/** A job as posted. */
struct JobSpec {
    uint8_t version{JOB_SPEC_VERSION};
    /** x-only key of the poster: refunds and cancel. */
    std::array<uint8_t, XONLY_KEY_SIZE> poster_key{};
    uint256 input_blob_id;
    uint64_t input_size{0};
    JobInputKind input_kind{JobInputKind::IMAGE_FRAMES};
    uint32_t width{0};
    uint32_t height{0};
    uint32_t channels{0};
    uint32_t frames{0};
    /** Canonical pipeline text (kernels' FormatPipeline); empty for none. */
    std::string pipeline;
    bool has_conv{false};
    /** Meaningful only when has_conv (and then encoded). */
    JobConvSpec conv;
    uint8_t redundancy{2};
    uint32_t expiry_height{0};
    uint32_t commit_window{0};
    uint32_t reveal_window{0};
    uint32_t challenge_window{0};
    /** Merkle root over the job's units in region order (domain
     *  "HPIPS/job-units", pouw/job_units.h's JOB_UNITS_DOMAIN; leaf a_root ‖
     *  b_root of a heavy unit, or a light unit's input root; doc/jobs_units.md). */
    uint256 units_root;
    uint32_t unit_count{0};

    friend bool operator==(const JobSpec&, const JobSpec&) = default;
};

/** Encoded size of the conv part. */
constexpr size_t JOB_CONV_ENCODED_SIZE = 4 + 6 + 32 + 8 + 4 + 1 + 4 + 1;
/** Encoded size of everything but the pipeline text, its length and the conv part. */
constexpr size_t JOB_SPEC_FIXED_SIZE = 1 + 32 + (32 + 8 + 1 + 4 * 4) + 1 + (1 + 4 * 4) + (32 + 4);
static_assert(MAX_JOB_SPEC_SIZE == JOB_SPEC_FIXED_SIZE + 3 + MAX_JOB_PIPELINE_LENGTH + JOB_CONV_ENCODED_SIZE,
              "destination.h's MAX_JOB_SPEC_SIZE must be the largest JobSpec encoding");

/** Writes the canonical encoding. Precondition: the pipeline text is at
 *  most MAX_JOB_PIPELINE_LENGTH bytes (asserted: a builder of specs from
 *  user input checks it first); other fields are written as they are, so a
 *  spec outside the decoder's bounds encodes to bytes that do not decode. */
void WriteJobSpec(Writer& w, const JobSpec& spec);
/** Reads one JobSpec, enforcing every field bound. Throws SerializeError. */
JobSpec ReadJobSpec(Reader& r);
/** The canonical encoding. */
std::vector<uint8_t> EncodeJobSpec(const JobSpec& spec);
/** Decodes exactly one JobSpec: more than MAX_JOB_SPEC_SIZE bytes, a field
 *  out of its range, a non-canonical form or a trailing byte is an error. */
Result<JobSpec> DecodeJobSpec(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_JOB_H
