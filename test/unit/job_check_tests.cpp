// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Consensus rules of the job-market outputs (consensus/job_check.h) and the
// transitional rule of CheckTransaction that keeps them out of blocks.
#include <consensus/job_check.h>
#include <consensus/tx_check.h>
#include <crypto/key.h>
#include <primitives/fraud_proof.h>
#include <primitives/job_commit.h>

#include <gtest/gtest.h>

#include <functional>
#include <set>

namespace hpips {
namespace {

uint256 Hash(uint8_t tag)
{
    std::array<uint8_t, 32> bytes{};
    bytes.fill(tag);
    return uint256{bytes};
}

std::array<uint8_t, 32> ValidKey(uint8_t seed)
{
    const auto key = PrivKey::FromBytes(std::vector<uint8_t>(32, seed));
    const XOnlyPubKey pub = key->GetXOnlyPubKey();
    std::array<uint8_t, 32> out;
    std::copy(pub.bytes().begin(), pub.bytes().end(), out.begin());
    return out;
}

/** x = 2^256 - 1 is above the field prime: not a point. */
std::array<uint8_t, 32> InvalidKey()
{
    std::array<uint8_t, 32> out;
    out.fill(0xff);
    return out;
}

JobSpec ValidSpec()
{
    JobSpec spec;
    spec.poster_key = ValidKey(1);
    spec.input_blob_id = Hash(1);
    spec.width = 64;
    spec.height = 32;
    spec.channels = 3;
    spec.frames = 2;
    spec.input_size = 64 * 32 * 3 * 2;
    spec.pipeline = "gray,gauss:5:1000";
    spec.has_conv = true;
    spec.conv.out_channels = 8;
    spec.conv.kernel_h = 3;
    spec.conv.kernel_w = 3;
    spec.conv.pad_h = 1;
    spec.conv.pad_w = 1;
    spec.conv.weights_blob_id = Hash(2);
    spec.conv.weights_size = 9 * 1 * 8 + 4 * 8;  // gray: one input channel
    spec.conv.multiplier = 1 << 30;
    spec.conv.shift = 4;
    spec.conv.clamp_min = -112;
    spec.conv.clamp_max = 112;
    spec.redundancy = 2;
    spec.expiry_height = 1000;
    spec.commit_window = 10;
    spec.reveal_window = 10;
    spec.challenge_window = 20;
    spec.units_root = Hash(3);
    spec.unit_count = 4;
    return spec;
}

constexpr Amount BOUNTY = COIN;

TxOut JobOut(const JobSpec& spec, Amount bounty = BOUNTY)
{
    return TxOut{bounty, Destination{static_cast<uint8_t>(DestinationKind::JOB), EncodeJobSpec(spec)}};
}
TxOut BurnOut(Amount amount) { return TxOut{amount, Destination{static_cast<uint8_t>(DestinationKind::BURN), {}}}; }
TxOut KeyOut(Amount amount) { return TxOut{amount, Destination::ForKey(ValidKey(9))}; }

JobCommit ValidCommit()
{
    return JobCommit{Hash(4), 3, ValidKey(2), Hash(5)};
}
TxOut CommitOut(const JobCommit& commit, Amount bond = COIN / 10)
{
    return TxOut{bond, Destination{static_cast<uint8_t>(DestinationKind::COMMIT), EncodeJobCommit(commit)}};
}
TxOut RevealOut(Amount bond = COIN / 10)
{
    return TxOut{bond, Destination{static_cast<uint8_t>(DestinationKind::REVEAL), EncodeJobReveal({Hash(6), Hash(7)})}};
}

FraudProof SmallFraud()
{
    FraudProof proof;
    proof.target = OutPoint{Hash(8), 0};
    proof.variant = FraudVariant::GEMM;
    proof.gemm.a_row.assign(64, 1);
    proof.gemm.b.assign(64, 2);
    proof.gemm.c_row.assign(1, 3);
    return proof;
}
TxOut FraudOut(Amount amount = 0)
{
    return TxOut{amount, Destination{static_cast<uint8_t>(DestinationKind::FRAUD), EncodeFraudProof(SmallFraud())}};
}

Transaction Tx(std::vector<TxOut> outputs, size_t inputs = 1)
{
    MutableTransaction mtx;
    for (size_t i = 0; i < inputs; ++i) {
        mtx.inputs.push_back(TxIn{OutPoint{Hash(static_cast<uint8_t>(0x50 + i)), 0}, SEQUENCE_FINAL, {}});
    }
    mtx.outputs = std::move(outputs);
    return Transaction{mtx};
}

/** A posting: the JOB output, the burned posting fee, change. */
Transaction Posting(const JobSpec& spec, Amount bounty = BOUNTY)
{
    return Tx({JobOut(spec, bounty), BurnOut(POSTING_FEE_PER_UNIT * spec.unit_count), KeyOut(COIN)});
}

JobReject SpecWith(const std::function<void(JobSpec&)>& edit)
{
    JobSpec spec = ValidSpec();
    edit(spec);
    return CheckJobSpec(spec);
}

TEST(JobCheckTest, ReasonsAreDistinctAndNamed)
{
    std::set<std::string_view> reasons;
    for (int i = 1; i <= static_cast<int>(LAST_JOB_REJECT); ++i) {
        const auto reason = JobRejectReason(static_cast<JobReject>(i));
        EXPECT_TRUE(reason.starts_with("bad-job-")) << reason;
        EXPECT_TRUE(reasons.insert(reason).second) << "duplicate " << reason;
    }
    EXPECT_EQ(JobRejectReason(JobReject::NONE), "");
    TxValidationState state;
    EXPECT_TRUE(JobCheckToState(JobReject::NONE, state));
    EXPECT_TRUE(state.IsValid());
    EXPECT_FALSE(JobCheckToState(JobReject::REDUNDANCY, state, "output 0"));
    EXPECT_EQ(state.GetFailure(), TxFailure::CONSENSUS);
    EXPECT_EQ(state.GetReason(), "bad-job-redundancy");
    EXPECT_EQ(state.GetDetail(), "output 0");
}

TEST(JobCheckTest, ValidPostingAccepted)
{
    EXPECT_EQ(CheckJobSpec(ValidSpec()), JobReject::NONE);
    EXPECT_EQ(CheckJobTransaction(Posting(ValidSpec())), JobReject::NONE);
    // Light only, conv only (tensor input).
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.has_conv = false; }), JobReject::NONE);
    EXPECT_EQ(SpecWith([](JobSpec& s) {
                  s.input_kind = JobInputKind::INT8_TENSOR;
                  s.pipeline.clear();
                  s.frames = 1;
                  s.input_size = 64 * 32 * 3;
                  s.conv.weights_size = 9 * 3 * 8 + 4 * 8;
              }),
              JobReject::NONE);
    EXPECT_EQ(CheckJobPostingContext(ValidSpec(), 100, 4), JobReject::NONE);
}

TEST(JobCheckTest, SpecRejections)
{
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.poster_key = InvalidKey(); }), JobReject::POSTER_KEY_INVALID);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.input_size += 1; }), JobReject::INPUT_SIZE_MISMATCH);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.input_size -= 1; }), JobReject::INPUT_SIZE_MISMATCH);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.input_kind = JobInputKind::INT8_TENSOR; }), JobReject::TENSOR_SHAPE);
    EXPECT_EQ(SpecWith([](JobSpec& s) {
                  s.input_kind = JobInputKind::INT8_TENSOR;
                  s.frames = 1;
                  s.input_size = 64 * 32 * 3;
              }),
              JobReject::TENSOR_SHAPE);  // a tensor with a light pipeline
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.pipeline = "blur:3"; }), JobReject::PIPELINE_INVALID);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.pipeline = "gauss:4:1000"; }), JobReject::PIPELINE_INVALID);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.pipeline = "gray,gray"; }), JobReject::PIPELINE_SHAPE);
    EXPECT_EQ(SpecWith([](JobSpec& s) {
                  s.pipeline.clear();
                  s.has_conv = false;
              }),
              JobReject::NO_WORK);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.conv.pad_h = 3; }), JobReject::CONV_PAD);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.conv.pad_w = 3; }), JobReject::CONV_PAD);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.conv.pad_h = 2; }), JobReject::NONE);
    EXPECT_EQ(SpecWith([](JobSpec& s) {
                  s.conv.clamp_min = 10;
                  s.conv.clamp_max = 9;
              }),
              JobReject::CONV_CLAMP);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.conv.clamp_min = s.conv.clamp_max; }), JobReject::NONE);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.conv.weights_size += 1; }), JobReject::CONV_WEIGHTS_SIZE);
    // Without the gray op the conv reads 3 channels: the weights size changes.
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.pipeline = "gauss:5:1000"; }), JobReject::CONV_WEIGHTS_SIZE);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.redundancy = 0; }), JobReject::REDUNDANCY);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.redundancy = MAX_REDUNDANCY; }), JobReject::NONE);
    EXPECT_EQ(SpecWith([](JobSpec& s) { s.redundancy = MAX_REDUNDANCY + 1; }), JobReject::REDUNDANCY);
    for (uint32_t JobSpec::*window : {&JobSpec::commit_window, &JobSpec::reveal_window, &JobSpec::challenge_window}) {
        EXPECT_EQ(SpecWith([&](JobSpec& s) { s.*window = MIN_JOB_WINDOW; }), JobReject::NONE);
        EXPECT_EQ(SpecWith([&](JobSpec& s) { s.*window = MIN_JOB_WINDOW - 1; }), JobReject::WINDOW);
        EXPECT_EQ(SpecWith([&](JobSpec& s) { s.*window = MAX_JOB_WINDOW; }), JobReject::NONE);
        EXPECT_EQ(SpecWith([&](JobSpec& s) { s.*window = MAX_JOB_WINDOW + 1; }), JobReject::WINDOW);
    }
}

TEST(JobCheckTest, PipelineMustBeCanonical)
{
    // ParsePipeline is strict, so every text it accepts is already
    // FormatPipeline's: the canonical check is a second line of defence
    // should the parser ever accept a variant spelling. These spellings are
    // refused by one rule or the other, never accepted.
    for (const char* text : {"GRAY", "gray,", ",gray", "gauss:05:1000", "gauss:5:+1000", "gray,,gauss:5:1000"}) {
        const JobReject r = SpecWith([&](JobSpec& s) {
            s.pipeline = text;
            s.has_conv = false;
        });
        EXPECT_TRUE(r == JobReject::PIPELINE_INVALID || r == JobReject::PIPELINE_NOT_CANONICAL) << text;
    }
}

TEST(JobCheckTest, OutputRejections)
{
    // Undecodable payloads of each kind.
    TxOut job = JobOut(ValidSpec());
    job.destination.payload.push_back(0);
    EXPECT_EQ(CheckJobOutput(job), JobReject::SPEC_UNDECODABLE);
    job = JobOut(ValidSpec());
    job.destination.payload[0] = 2;  // version
    EXPECT_EQ(CheckJobOutput(job), JobReject::SPEC_UNDECODABLE);
    // A spec rule surfaces through the output check.
    JobSpec bad = ValidSpec();
    bad.redundancy = 0;
    EXPECT_EQ(CheckJobOutput(JobOut(bad)), JobReject::REDUNDANCY);
    // Bounty.
    EXPECT_EQ(CheckJobOutput(JobOut(ValidSpec(), MAX_MONEY)), JobReject::NONE);
    EXPECT_EQ(CheckJobOutput(JobOut(ValidSpec(), MAX_MONEY + 1)), JobReject::BOUNTY_RANGE);
    EXPECT_EQ(CheckJobOutput(JobOut(ValidSpec(), -1)), JobReject::BOUNTY_RANGE);
    const Amount minimum = MIN_JOB_BOUNTY_PER_UNIT * ValidSpec().unit_count;
    EXPECT_EQ(CheckJobOutput(JobOut(ValidSpec(), minimum)), JobReject::NONE);
    EXPECT_EQ(CheckJobOutput(JobOut(ValidSpec(), minimum - 1)), JobReject::BOUNTY_LOW);

    // COMMIT.
    EXPECT_EQ(CheckJobOutput(CommitOut(ValidCommit())), JobReject::NONE);
    TxOut commit = CommitOut(ValidCommit());
    commit.destination.payload.pop_back();
    EXPECT_EQ(CheckJobOutput(commit), JobReject::COMMIT_UNDECODABLE);
    JobCommit c = ValidCommit();
    c.miner_key = InvalidKey();
    EXPECT_EQ(CheckJobOutput(CommitOut(c)), JobReject::COMMIT_KEY_INVALID);
    c = ValidCommit();
    c.region = MAX_JOB_UNITS - 1;
    EXPECT_EQ(CheckJobOutput(CommitOut(c)), JobReject::NONE);
    c.region = MAX_JOB_UNITS;
    EXPECT_EQ(CheckJobOutput(CommitOut(c)), JobReject::COMMIT_REGION);
    EXPECT_EQ(CheckJobOutput(CommitOut(ValidCommit(), 0)), JobReject::COMMIT_BOND);
    EXPECT_EQ(CheckJobOutput(CommitOut(ValidCommit(), 1)), JobReject::NONE);

    // REVEAL.
    EXPECT_EQ(CheckJobOutput(RevealOut()), JobReject::NONE);
    TxOut reveal = RevealOut();
    reveal.destination.payload.pop_back();
    EXPECT_EQ(CheckJobOutput(reveal), JobReject::REVEAL_UNDECODABLE);

    // BURN.
    EXPECT_EQ(CheckJobOutput(BurnOut(1)), JobReject::NONE);
    EXPECT_EQ(CheckJobOutput(BurnOut(0)), JobReject::BURN_AMOUNT);
    TxOut burn = BurnOut(1);
    burn.destination.payload = {0};  // only constructible in memory: the decoder refuses it
    EXPECT_EQ(CheckJobOutput(burn), JobReject::BURN_PAYLOAD);

    // FRAUD.
    EXPECT_EQ(CheckJobOutput(FraudOut()), JobReject::NONE);
    EXPECT_EQ(CheckJobOutput(FraudOut(1)), JobReject::FRAUD_AMOUNT);
    TxOut fraud = FraudOut();
    fraud.destination.payload.push_back(0);
    EXPECT_EQ(CheckJobOutput(fraud), JobReject::FRAUD_UNDECODABLE);

    // KEY outputs are not this module's business.
    EXPECT_EQ(CheckJobOutput(KeyOut(1)), JobReject::NONE);
}

TEST(JobCheckTest, TransactionRejections)
{
    const JobSpec spec = ValidSpec();
    EXPECT_EQ(CheckJobTransaction(Tx({JobOut(spec), JobOut(spec), BurnOut(COIN)})), JobReject::MULTIPLE_JOBS);
    const Amount fee = POSTING_FEE_PER_UNIT * spec.unit_count;
    EXPECT_EQ(CheckJobTransaction(Tx({JobOut(spec), BurnOut(fee)})), JobReject::NONE);
    EXPECT_EQ(CheckJobTransaction(Tx({JobOut(spec), BurnOut(fee - 1)})), JobReject::POSTING_FEE);
    EXPECT_EQ(CheckJobTransaction(Tx({JobOut(spec)})), JobReject::POSTING_FEE);
    // The fee may be split over several BURN outputs.
    EXPECT_EQ(CheckJobTransaction(Tx({BurnOut(fee / 2), JobOut(spec), BurnOut(fee - fee / 2)})), JobReject::NONE);
    // A bad output anywhere fails the transaction with its own reason.
    EXPECT_EQ(CheckJobTransaction(Tx({JobOut(spec), BurnOut(fee), FraudOut(5)})), JobReject::FRAUD_AMOUNT);
    // BURN without a job: allowed (just destroys coins).
    EXPECT_EQ(CheckJobTransaction(Tx({BurnOut(1), KeyOut(1)})), JobReject::NONE);
}

TEST(JobCheckTest, PostingContext)
{
    const JobSpec spec = ValidSpec();  // windows 10 + 10 + 20, expiry 1000
    const int64_t windows = 40;
    EXPECT_EQ(CheckJobPostingContext(spec, 1000 - windows - 1, 4), JobReject::NONE);
    EXPECT_EQ(CheckJobPostingContext(spec, 1000 - windows, 4), JobReject::EXPIRY_EARLY);
    EXPECT_EQ(CheckJobPostingContext(spec, 1000, 4), JobReject::EXPIRY_EARLY);
    JobSpec late = spec;
    late.expiry_height = 100 + MAX_JOB_LIFETIME;
    EXPECT_EQ(CheckJobPostingContext(late, 100, 4), JobReject::NONE);
    late.expiry_height += 1;
    EXPECT_EQ(CheckJobPostingContext(late, 100, 4), JobReject::EXPIRY_FAR);
    EXPECT_EQ(CheckJobPostingContext(spec, 100, 5), JobReject::UNIT_COUNT);
    EXPECT_EQ(CheckJobPostingContext(spec, 100, 3), JobReject::UNIT_COUNT);
    // Largest heights and windows do not overflow.
    JobSpec far = spec;
    far.expiry_height = UINT32_MAX;
    far.commit_window = far.reveal_window = far.challenge_window = MAX_JOB_WINDOW;
    EXPECT_EQ(CheckJobPostingContext(far, int64_t{UINT32_MAX} - MAX_JOB_LIFETIME, 4), JobReject::NONE);
    EXPECT_EQ(CheckJobPostingContext(far, int64_t{UINT32_MAX}, 4), JobReject::EXPIRY_EARLY);
    EXPECT_EQ(CheckJobPostingContext(far, int64_t{UINT32_MAX} + 1, 4), JobReject::EXPIRY_EARLY);
    EXPECT_EQ(CheckJobPostingContext(spec, -1, 4), JobReject::EXPIRY_EARLY);
    EXPECT_EQ(CheckJobPostingContext(spec, INT64_MAX, 4), JobReject::EXPIRY_EARLY);
}

TEST(JobCheckTest, Spends)
{
    const std::vector<TxOut> commit_spent{CommitOut(ValidCommit(), COIN / 10)};
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut(COIN / 10)}), commit_spent), JobReject::NONE);
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut(COIN / 10 - 1)}), commit_spent), JobReject::REVEAL_BOND);
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut(COIN / 10 + 1)}), commit_spent), JobReject::REVEAL_BOND);
    // A reveal spending no commitment, or two.
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut()}), std::vector<TxOut>{KeyOut(COIN)}), JobReject::REVEAL_COUNT);
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut()}, 2),
                             std::vector<TxOut>{CommitOut(ValidCommit()), CommitOut(ValidCommit())}),
              JobReject::REVEAL_COUNT);
    // Two reveals for one commitment.
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut(), RevealOut()}), commit_spent), JobReject::REVEAL_COUNT);
    // A commitment spent with other inputs (fees) is still one commitment.
    EXPECT_EQ(CheckJobSpends(Tx({RevealOut(COIN / 10), KeyOut(1)}, 2),
                             std::vector<TxOut>{KeyOut(COIN), CommitOut(ValidCommit(), COIN / 10)}),
              JobReject::NONE);
    // BURN and FRAUD outputs are unspendable.
    EXPECT_EQ(CheckJobSpends(Tx({KeyOut(1)}), std::vector<TxOut>{BurnOut(5)}), JobReject::UNSPENDABLE_SPENT);
    EXPECT_EQ(CheckJobSpends(Tx({KeyOut(1)}), std::vector<TxOut>{FraudOut()}), JobReject::UNSPENDABLE_SPENT);
    // KEY spends: untouched.
    EXPECT_EQ(CheckJobSpends(Tx({KeyOut(1)}), std::vector<TxOut>{KeyOut(2)}), JobReject::NONE);
}

TEST(JobCheckTest, TransitionalRuleKeepsJobKindsOutOfBlocks)
{
    static_assert(!JOB_KINDS_ACTIVE, "the ledger has not been wired yet");
    // Every job kind, even well-formed, fails CheckTransaction with the
    // transitional reason; other outputs keep their old verdicts.
    for (const TxOut& out : {JobOut(ValidSpec()), CommitOut(ValidCommit()), RevealOut(), BurnOut(1), FraudOut()}) {
        ASSERT_EQ(CheckJobOutput(out), JobReject::NONE);
        TxValidationState state;
        EXPECT_FALSE(CheckTransaction(Tx({KeyOut(1), out}), state));
        EXPECT_EQ(state.GetFailure(), TxFailure::CONSENSUS);
        EXPECT_EQ(state.GetReason(), "job-kinds-not-active") << int{out.destination.kind};
    }
    // A malformed job output gets the same transitional reason: the job
    // rules do not run in blocks yet.
    JobSpec bad = ValidSpec();
    bad.redundancy = 0;
    TxValidationState bad_state;
    EXPECT_FALSE(CheckTransaction(Tx({JobOut(bad)}), bad_state));
    EXPECT_EQ(bad_state.GetReason(), "job-kinds-not-active");

    TxValidationState state;
    EXPECT_TRUE(CheckTransaction(Tx({KeyOut(1)}), state)) << state.ToString();
    TxOut unknown = KeyOut(1);
    unknown.destination.kind = 7;
    EXPECT_FALSE(CheckTransaction(Tx({unknown}), state));
    EXPECT_EQ(state.GetReason(), "bad-txns-destination-unknown");
}

}  // namespace
}  // namespace hpips
