// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/job_check.h>

#include <crypto/key.h>
#include <kernels/pipeline.h>
#include <primitives/fraud_proof.h>
#include <primitives/job_commit.h>

#include <algorithm>
#include <array>

namespace hpips {

static_assert(MAX_JOB_PIPELINE_LENGTH == MAX_PIPELINE_SPEC_LENGTH, "job pipeline text bound must be kernels' bound");
static_assert(MAX_REDUNDANCY >= 1);
// Amount arithmetic below: per-unit amounts times MAX_JOB_UNITS stay in MoneyRange.
static_assert(MIN_JOB_BOUNTY_PER_UNIT * Amount{MAX_JOB_UNITS} <= MAX_MONEY);
static_assert(POSTING_FEE_PER_UNIT * Amount{MAX_JOB_UNITS} <= MAX_MONEY);

namespace {

bool IsValidXOnly(const std::array<uint8_t, XONLY_KEY_SIZE>& bytes)
{
    return XOnlyPubKey{std::span<const uint8_t, XONLY_KEY_SIZE>{bytes}}.IsValid();
}

bool IsKind(const Destination& dest, DestinationKind kind) { return dest.kind == static_cast<uint8_t>(kind); }

bool WindowOk(uint32_t window) { return window >= MIN_JOB_WINDOW && window <= MAX_JOB_WINDOW; }

/** The shape the conv layer reads: the pipeline's output, or the input. */
JobReject CheckConv(const JobSpec& spec, int conv_in_channels)
{
    const JobConvSpec& c = spec.conv;
    if (c.pad_h >= c.kernel_h || c.pad_w >= c.kernel_w) return JobReject::CONV_PAD;
    if (c.clamp_min > c.clamp_max) return JobReject::CONV_CLAMP;
    // k ≤ 15·15·4096 and n ≤ 4096: the product fits in 64 bits easily.
    const uint64_t k = uint64_t{c.kernel_h} * c.kernel_w * static_cast<uint64_t>(conv_in_channels);
    const uint64_t n = c.out_channels;
    if (c.weights_size != k * n + 4 * n) return JobReject::CONV_WEIGHTS_SIZE;
    return JobReject::NONE;
}

}  // namespace

std::string_view JobRejectReason(JobReject reject)
{
    switch (reject) {
    case JobReject::NONE: return "";
    case JobReject::SPEC_UNDECODABLE: return "bad-job-spec";
    case JobReject::POSTER_KEY_INVALID: return "bad-job-poster-key";
    case JobReject::INPUT_SIZE_MISMATCH: return "bad-job-input-size";
    case JobReject::TENSOR_SHAPE: return "bad-job-tensor-shape";
    case JobReject::PIPELINE_INVALID: return "bad-job-pipeline";
    case JobReject::PIPELINE_NOT_CANONICAL: return "bad-job-pipeline-noncanonical";
    case JobReject::PIPELINE_SHAPE: return "bad-job-pipeline-shape";
    case JobReject::NO_WORK: return "bad-job-no-work";
    case JobReject::CONV_PAD: return "bad-job-conv-pad";
    case JobReject::CONV_CLAMP: return "bad-job-conv-clamp";
    case JobReject::CONV_WEIGHTS_SIZE: return "bad-job-conv-weights-size";
    case JobReject::REDUNDANCY: return "bad-job-redundancy";
    case JobReject::WINDOW: return "bad-job-window";
    case JobReject::BOUNTY_RANGE: return "bad-job-bounty-range";
    case JobReject::BOUNTY_LOW: return "bad-job-bounty-low";
    case JobReject::MULTIPLE_JOBS: return "bad-job-multiple";
    case JobReject::POSTING_FEE: return "bad-job-posting-fee";
    case JobReject::EXPIRY_EARLY: return "bad-job-expiry-early";
    case JobReject::EXPIRY_FAR: return "bad-job-expiry-far";
    case JobReject::UNIT_COUNT: return "bad-job-unit-count";
    case JobReject::COMMIT_UNDECODABLE: return "bad-job-commit";
    case JobReject::COMMIT_KEY_INVALID: return "bad-job-commit-key";
    case JobReject::COMMIT_REGION: return "bad-job-commit-region";
    case JobReject::COMMIT_BOND: return "bad-job-commit-bond";
    case JobReject::REVEAL_UNDECODABLE: return "bad-job-reveal";
    case JobReject::REVEAL_COUNT: return "bad-job-reveal-count";
    case JobReject::REVEAL_BOND: return "bad-job-reveal-bond";
    case JobReject::BURN_PAYLOAD: return "bad-job-burn-payload";
    case JobReject::BURN_AMOUNT: return "bad-job-burn-amount";
    case JobReject::FRAUD_UNDECODABLE: return "bad-job-fraud";
    case JobReject::FRAUD_AMOUNT: return "bad-job-fraud-amount";
    case JobReject::UNSPENDABLE_SPENT: return "bad-job-unspendable-spent";
    }
    return "bad-job-unknown";
}

bool JobCheckToState(JobReject reject, TxValidationState& state, std::string detail)
{
    if (reject == JobReject::NONE) return true;
    return state.Invalid(TxFailure::CONSENSUS, std::string{JobRejectReason(reject)}, std::move(detail));
}

JobReject CheckJobSpec(const JobSpec& spec)
{
    if (!IsValidXOnly(spec.poster_key)) return JobReject::POSTER_KEY_INVALID;
    // Each factor is bounded by the decoder (≤ 2^14, 2^14, 2^12, 2^16): the
    // product (≤ 2^56) fits in 64 bits.
    const uint64_t elements = uint64_t{spec.width} * spec.height * spec.channels * spec.frames;
    if (elements != spec.input_size) return JobReject::INPUT_SIZE_MISMATCH;
    if (spec.input_kind == JobInputKind::INT8_TENSOR && (spec.frames != 1 || !spec.pipeline.empty())) {
        return JobReject::TENSOR_SHAPE;
    }
    if (spec.pipeline.empty() && !spec.has_conv) return JobReject::NO_WORK;

    int conv_in_channels = static_cast<int>(spec.channels);
    if (!spec.pipeline.empty()) {
        const auto pipeline = ParsePipeline(spec.pipeline);
        if (!pipeline) return JobReject::PIPELINE_INVALID;
        if (FormatPipeline(*pipeline) != spec.pipeline) return JobReject::PIPELINE_NOT_CANONICAL;
        const ImageShape input{static_cast<int>(spec.width), static_cast<int>(spec.height),
                               static_cast<int>(spec.channels)};
        const auto output = PipelineOutputShape(*pipeline, input);
        if (!output) return JobReject::PIPELINE_SHAPE;
        conv_in_channels = output->channels;
    }
    if (spec.has_conv) {
        if (const JobReject r = CheckConv(spec, conv_in_channels); r != JobReject::NONE) return r;
    }
    if (spec.redundancy < 1 || spec.redundancy > MAX_REDUNDANCY) return JobReject::REDUNDANCY;
    if (!WindowOk(spec.commit_window) || !WindowOk(spec.reveal_window) || !WindowOk(spec.challenge_window)) {
        return JobReject::WINDOW;
    }
    return JobReject::NONE;
}

JobReject CheckJobOutput(const TxOut& out)
{
    const Destination& dest = out.destination;
    switch (static_cast<DestinationKind>(dest.kind)) {
    case DestinationKind::JOB: {
        const auto spec = DecodeJobSpec(dest.payload);
        if (!spec) return JobReject::SPEC_UNDECODABLE;
        if (const JobReject r = CheckJobSpec(*spec); r != JobReject::NONE) return r;
        if (!MoneyRange(out.amount)) return JobReject::BOUNTY_RANGE;
        // unit_count ≤ MAX_JOB_UNITS (decoder): no overflow (static_assert above).
        if (out.amount < MIN_JOB_BOUNTY_PER_UNIT * Amount{spec->unit_count}) return JobReject::BOUNTY_LOW;
        return JobReject::NONE;
    }
    case DestinationKind::COMMIT: {
        if (dest.payload.size() != JOB_COMMIT_PAYLOAD_SIZE) return JobReject::COMMIT_UNDECODABLE;
        const auto commit = DecodeJobCommit(dest.payload);
        if (!commit) return JobReject::COMMIT_UNDECODABLE;
        if (!IsValidXOnly(commit->miner_key)) return JobReject::COMMIT_KEY_INVALID;
        if (commit->region >= MAX_JOB_UNITS) return JobReject::COMMIT_REGION;
        if (out.amount <= 0) return JobReject::COMMIT_BOND;
        return JobReject::NONE;
    }
    case DestinationKind::REVEAL:
        if (!DecodeJobReveal(dest.payload)) return JobReject::REVEAL_UNDECODABLE;
        return JobReject::NONE;
    case DestinationKind::BURN:
        if (!dest.payload.empty()) return JobReject::BURN_PAYLOAD;
        if (out.amount <= 0) return JobReject::BURN_AMOUNT;
        return JobReject::NONE;
    case DestinationKind::FRAUD:
        if (!DecodeFraudProof(dest.payload)) return JobReject::FRAUD_UNDECODABLE;
        if (out.amount != 0) return JobReject::FRAUD_AMOUNT;
        return JobReject::NONE;
    case DestinationKind::KEY:
        return JobReject::NONE;
    }
    return JobReject::NONE;
}

JobReject CheckJobTransaction(const Transaction& tx)
{
    const TxOut* job_output = nullptr;
    Amount burned = 0;
    for (const auto& out : tx.outputs()) {
        if (const JobReject r = CheckJobOutput(out); r != JobReject::NONE) return r;
        if (IsKind(out.destination, DestinationKind::JOB)) {
            if (job_output != nullptr) return JobReject::MULTIPLE_JOBS;
            job_output = &out;
        } else if (IsKind(out.destination, DestinationKind::BURN)) {
            // Each amount passed MoneyRange in CheckTransaction; the sum is checked here too.
            const auto sum = CheckedMoneyAdd(burned, out.amount);
            if (!sum) return JobReject::BURN_AMOUNT;
            burned = *sum;
        }
    }
    if (job_output != nullptr) {
        // Decoded once more; CheckJobOutput has already accepted it.
        const auto spec = DecodeJobSpec(job_output->destination.payload);
        if (!spec) return JobReject::SPEC_UNDECODABLE;
        if (burned < POSTING_FEE_PER_UNIT * Amount{spec->unit_count}) return JobReject::POSTING_FEE;
    }
    return JobReject::NONE;
}

JobReject CheckJobPostingContext(const JobSpec& spec, int64_t posting_height, uint32_t unit_count_from_shape)
{
    // Expiry is a u32 height: no posting outside [0, 2^32) can expire after it
    // (and the sums below cannot overflow).
    if (posting_height < 0 || posting_height > int64_t{UINT32_MAX}) return JobReject::EXPIRY_EARLY;
    const int64_t windows_end = posting_height + int64_t{spec.commit_window} + spec.reveal_window + spec.challenge_window;
    if (int64_t{spec.expiry_height} <= windows_end) return JobReject::EXPIRY_EARLY;
    if (int64_t{spec.expiry_height} > posting_height + int64_t{MAX_JOB_LIFETIME}) return JobReject::EXPIRY_FAR;
    if (spec.unit_count != unit_count_from_shape) return JobReject::UNIT_COUNT;
    return JobReject::NONE;
}

JobReject CheckJobSpends(const Transaction& tx, std::span<const TxOut> spent)
{
    size_t commit_inputs = 0;
    const TxOut* commit = nullptr;
    for (const auto& coin : spent) {
        if (IsKind(coin.destination, DestinationKind::BURN) || IsKind(coin.destination, DestinationKind::FRAUD)) {
            return JobReject::UNSPENDABLE_SPENT;
        }
        if (IsKind(coin.destination, DestinationKind::COMMIT)) {
            ++commit_inputs;
            commit = &coin;
        }
    }
    const auto reveals = std::count_if(tx.outputs().begin(), tx.outputs().end(), [](const TxOut& out) {
        return IsKind(out.destination, DestinationKind::REVEAL);
    });
    if (reveals == 0) return JobReject::NONE;
    if (reveals != 1 || commit_inputs != 1) return JobReject::REVEAL_COUNT;
    const auto reveal = std::find_if(tx.outputs().begin(), tx.outputs().end(), [](const TxOut& out) {
        return IsKind(out.destination, DestinationKind::REVEAL);
    });
    if (reveal->amount != commit->amount) return JobReject::REVEAL_BOND;
    return JobReject::NONE;
}

}  // namespace hpips
