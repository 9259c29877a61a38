// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_JOB_COMMIT_H
#define HPIPS_PRIMITIVES_JOB_COMMIT_H

#include <primitives/destination.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

/**
 * Commit–reveal of a unit result and the job id (doc/jobs.md).
 *
 *   job id     = TaggedHash("HPIPS/job", txid ‖ vout u32 LE) of the JOB output
 *   commitment = TaggedHash("HPIPS/job-commit", miner key (32) ‖ U (32)
 *                           ‖ result root (32) ‖ salt (32))
 * where U is the unit id of the committed region (pouw/unit.h) and the result
 * root is the unit's result root (doc/pouw.md §10). Binding the miner key
 * stops a copier from re-committing someone else's revealed result under its
 * own key; the salt hides a result with few possible values until the reveal.
 *
 * COMMIT payload (JOB_COMMIT_PAYLOAD_SIZE = 100 bytes):
 *   job id (32) | region u32 | miner x-only key (32) | commitment (32)
 * REVEAL payload (JOB_REVEAL_PAYLOAD_SIZE = 64 bytes):
 *   result root (32) | salt (32)
 * Both are fixed-size: any other length is a decode error. Pure functions.
 */
namespace hpips {

/** Tag of the job id. */
constexpr std::string_view JOB_ID_TAG = "HPIPS/job";
/** Tag of the commitment hash. */
constexpr std::string_view JOB_COMMITMENT_TAG = "HPIPS/job-commit";

/** A COMMIT output's payload. */
struct JobCommit {
    uint256 job_id;
    /** Region index of the unit in the job (doc/jobs_units.md). */
    uint32_t region{0};
    std::array<uint8_t, XONLY_KEY_SIZE> miner_key{};
    uint256 commitment;

    friend bool operator==(const JobCommit&, const JobCommit&) = default;
};

/** A REVEAL output's payload. */
struct JobReveal {
    uint256 result_root;
    uint256 salt;

    friend bool operator==(const JobReveal&, const JobReveal&) = default;
};

/** The id of the job posted by output `vout` of transaction `txid`. */
uint256 ComputeJobId(const uint256& txid, uint32_t vout);
/** @copydoc ComputeJobId */
inline uint256 ComputeJobId(const OutPoint& job_output) { return ComputeJobId(job_output.txid, job_output.index); }

/** The commitment hash of a result (see above). */
uint256 ComputeJobCommitment(std::span<const uint8_t, XONLY_KEY_SIZE> miner_key, const uint256& unit_id,
                             const uint256& result_root, const uint256& salt);

/** True when `reveal` opens `commit` for unit `unit_id`: the commitment of
 *  (commit.miner_key, unit_id, reveal.result_root, reveal.salt) equals
 *  commit.commitment. The unit id comes from the job (ledger work). */
bool RevealOpensCommit(const JobCommit& commit, const JobReveal& reveal, const uint256& unit_id);

/** The COMMIT payload (JOB_COMMIT_PAYLOAD_SIZE bytes). */
std::vector<uint8_t> EncodeJobCommit(const JobCommit& commit);
/** Decodes a COMMIT payload: exactly JOB_COMMIT_PAYLOAD_SIZE bytes, else an
 *  error. Every such byte string decodes; key validity is consensus. */
Result<JobCommit> DecodeJobCommit(std::span<const uint8_t> bytes);
/** The REVEAL payload (JOB_REVEAL_PAYLOAD_SIZE bytes). */
std::vector<uint8_t> EncodeJobReveal(const JobReveal& reveal);
/** Decodes a REVEAL payload: exactly JOB_REVEAL_PAYLOAD_SIZE bytes, else an error. */
Result<JobReveal> DecodeJobReveal(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_JOB_COMMIT_H
