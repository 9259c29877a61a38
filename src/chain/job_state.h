// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_JOB_STATE_H
#define HPIPS_CHAIN_JOB_STATE_H

#include <util/serialize.h>

#include <cstddef>

/**
 * The place in the chainstate, with undo data, for the job queue and escrows
 * (protocol.md §3, §5). The job-market issue fills it; until then it is empty.
 *
 * Encoding: CompactSize length | that many bytes. Version 1 of the formats
 * accepts only length 0, so a record written by a later version is refused
 * rather than misread. In the chainstate database the key prefix 'J' is
 * reserved for this state (doc/chainstate.md).
 *
 * Not thread-safe (a plain value).
 */
namespace hpips {

/** Largest encoded job state this version accepts: nothing yet. */
constexpr size_t MAX_JOB_STATE_SIZE = 0;

/** Per-block change to the job queue and escrows; empty until the job market exists. */
struct JobState {
    friend bool operator==(const JobState&, const JobState&) = default;
};

/** Writes the (empty) job state. */
inline void WriteJobState(Writer& w, const JobState& /*state*/) { w.WriteCompactSize(0); }

/** Reads a job state; any non-empty content is an error in this version.
 *  Throws SerializeError. */
inline JobState ReadJobState(Reader& r)
{
    if (r.ReadCompactSize(MAX_JOB_STATE_SIZE) != 0) throw SerializeError{"job state: unsupported content"};
    return JobState{};
}

}  // namespace hpips

#endif  // HPIPS_CHAIN_JOB_STATE_H
