// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_JOB_CHECK_H
#define HPIPS_CONSENSUS_JOB_CHECK_H

#include <consensus/validation_state.h>
#include <primitives/amount.h>
#include <primitives/job.h>
#include <primitives/transaction.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

/**
 * Consensus rules of the job-market outputs (doc/jobs.md, "Consensus rules"):
 * pure functions, no chain state. Each rule returns a JobReject — a failure
 * class per rule, each with its own reject reason (JobRejectReason) — so
 * callers and tests branch on the enum, never on the string.
 * JobCheckToState turns one into a TxValidationState failure (CONSENSUS).
 *
 * Transitional (doc/jobs.md, "Not yet wired"): while JOB_KINDS_ACTIVE is
 * false, CheckTransaction (tx_check.h) rejects every transaction with an
 * output of a job kind as "job-kinds-not-active", before these rules run,
 * so blocks and the mempool behave exactly as before the job kinds existed.
 * The ledger work sets it and calls the contextual functions below.
 */
namespace hpips {

/** False until the ledger (chain/job_state.h), mempool and miner handle jobs. */
constexpr bool JOB_KINDS_ACTIVE = false;

/** Fewest blocks of a commit, reveal or challenge window: a transaction
 *  broadcast when a window opens needs at least one block to confirm. */
constexpr uint32_t MIN_JOB_WINDOW = 2;
/** Most blocks of one window: a week at TARGET_SPACING (60 s), so escrows
 *  and bonds are not locked for longer than a job can reasonably need. */
constexpr uint32_t MAX_JOB_WINDOW = 7 * 24 * 60;
/** Most blocks between posting and expiry: the three windows at their
 *  largest plus one more for slack (four weeks). */
constexpr uint32_t MAX_JOB_LIFETIME = 4 * MAX_JOB_WINDOW;
/** Most redundant results per unit (R). */
constexpr uint8_t MAX_REDUNDANCY = 8;
/** Smallest bounty per unit, so a job can always pay each of its R miners
 *  something above dust. v1 placeholder value: 10^-5 coin. */
constexpr Amount MIN_JOB_BOUNTY_PER_UNIT = COIN / 100'000;
/** Posting fee burned per unit (a BURN output of the posting transaction):
 *  makes spam jobs cost real coins. v1 placeholder value: 10^-6 coin. */
constexpr Amount POSTING_FEE_PER_UNIT = COIN / 1'000'000;

/** Why a job output or transaction is invalid. */
enum class JobReject : uint8_t {
    NONE,
    // JOB output (posting)
    SPEC_UNDECODABLE,        //!< payload is not a canonical JobSpec
    POSTER_KEY_INVALID,      //!< poster key is not a valid x-only point
    INPUT_SIZE_MISMATCH,     //!< width·height·channels·frames ≠ input size
    TENSOR_SHAPE,            //!< an int8 tensor input with frames ≠ 1 or a light pipeline
    PIPELINE_INVALID,        //!< pipeline text does not parse
    PIPELINE_NOT_CANONICAL,  //!< pipeline text is not FormatPipeline of what it parses to
    PIPELINE_SHAPE,          //!< the pipeline cannot run on the input shape
    NO_WORK,                 //!< neither a pipeline nor a conv layer
    CONV_PAD,                //!< padding not below the kernel side
    CONV_CLAMP,              //!< clamp_min above clamp_max
    CONV_WEIGHTS_SIZE,       //!< weights size ≠ k·n + 4·n
    REDUNDANCY,              //!< R outside 1..MAX_REDUNDANCY
    WINDOW,                  //!< a window outside MIN_JOB_WINDOW..MAX_JOB_WINDOW
    BOUNTY_RANGE,            //!< bounty outside MoneyRange
    BOUNTY_LOW,              //!< bounty below MIN_JOB_BOUNTY_PER_UNIT × units
    MULTIPLE_JOBS,           //!< more than one JOB output in one transaction
    POSTING_FEE,             //!< BURN outputs below POSTING_FEE_PER_UNIT × units
    EXPIRY_EARLY,            //!< expiry not after posting height + the three windows
    EXPIRY_FAR,              //!< expiry beyond posting height + MAX_JOB_LIFETIME
    UNIT_COUNT,              //!< the spec's unit count differs from the one its shape gives
    // COMMIT output
    COMMIT_UNDECODABLE,      //!< payload is not a COMMIT encoding
    COMMIT_KEY_INVALID,      //!< miner key is not a valid x-only point
    COMMIT_REGION,           //!< region not below MAX_JOB_UNITS
    COMMIT_BOND,             //!< a zero bond (nothing to lose for a wrong result)
    // REVEAL output
    REVEAL_UNDECODABLE,      //!< payload is not a REVEAL encoding
    REVEAL_COUNT,            //!< a REVEAL transaction without exactly one REVEAL output and one COMMIT input
    REVEAL_BOND,             //!< REVEAL amount ≠ the bond of the COMMIT it spends
    // BURN and FRAUD outputs
    BURN_PAYLOAD,            //!< a BURN output with a payload
    BURN_AMOUNT,             //!< a BURN output of zero
    FRAUD_UNDECODABLE,       //!< payload is not a fraud-proof encoding
    FRAUD_AMOUNT,            //!< a FRAUD output carrying coins (only BURN destroys coins)
    UNSPENDABLE_SPENT,       //!< an input spends a BURN or FRAUD output
};
/** The last JobReject value (for tests that walk every value). */
constexpr JobReject LAST_JOB_REJECT = JobReject::UNSPENDABLE_SPENT;

/** The reject reason of each failure, e.g. "bad-job-redundancy"; "" for NONE. */
std::string_view JobRejectReason(JobReject reject);

/** Records `reject` as a CONSENSUS failure in `state` (detail: `detail`) and
 *  returns false; returns true for NONE. */
bool JobCheckToState(JobReject reject, TxValidationState& state, std::string detail = {});

/** The rules of a JobSpec that need nothing but the spec: poster key,
 *  input size and shape, pipeline (parses with kernels' ParsePipeline, equals
 *  FormatPipeline of the result, runs on the input shape), conv geometry,
 *  clamp and weights size, R, windows. */
JobReject CheckJobSpec(const JobSpec& spec);

/** One output of a job kind, context-free: JOB (spec decodes and passes
 *  CheckJobSpec; bounty in MoneyRange and at least MIN_JOB_BOUNTY_PER_UNIT ×
 *  unit count), COMMIT (decodes, valid key, region, non-zero bond), REVEAL
 *  (decodes), BURN (empty payload, non-zero), FRAUD (decodes, zero amount).
 *  NONE for an output of any other kind (not a job kind's business). */
JobReject CheckJobOutput(const TxOut& out);

/** Every output with CheckJobOutput, then the transaction-wide rules: at most
 *  one JOB output, and with one, BURN outputs summing to at least
 *  POSTING_FEE_PER_UNIT × its unit count. */
JobReject CheckJobTransaction(const Transaction& tx);

/** Contextual rules of a posting mined at `posting_height`: expiry after
 *  posting_height + the three windows and at most MAX_JOB_LIFETIME later;
 *  spec.unit_count equal to `unit_count_from_shape`. A posting height outside
 *  [0, 2^32) fails as EXPIRY_EARLY (expiry heights are u32).
 *
 *  Hook (JobUnitCountHook): `unit_count_from_shape` is the unit count the
 *  spec's shape implies, computed by the unit split of doc/jobs_units.md
 *  (src/pouw/job_*.h, another helper's work); the ledger passes it in. */
JobReject CheckJobPostingContext(const JobSpec& spec, int64_t posting_height, uint32_t unit_count_from_shape);

/** The rules on what a transaction spends (`spent[i]` for input i, one per
 *  input: the caller's lookup, as for CheckTxInputs): no input
 *  spends a BURN or FRAUD output; a transaction with a REVEAL output has
 *  exactly one REVEAL output and exactly one input spending a COMMIT output,
 *  and the REVEAL amount equals that COMMIT's bond. KEY spends are untouched
 *  (their signatures are tx_check.h's). Whether the reveal opens the
 *  commitment needs the unit id (RevealOpensCommit, job_commit.h): ledger work. */
JobReject CheckJobSpends(const Transaction& tx, std::span<const TxOut> spent);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_JOB_CHECK_H
