// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_MINE_H
#define HPIPS_MINING_MINE_H

#include <consensus/params.h>
#include <mining/block_assembler.h>
#include <pouw/transcript.h>
#include <util/result.h>

#include <atomic>
#include <cstdint>
#include <optional>

namespace hpips {
class ThreadPool;

/** Counters of one MineBlock call (integers; rates are derived when shown). */
struct MiningStats {
    uint64_t units{0};
    uint64_t tiles{0};
    uint64_t macs{0};
    uint64_t nanoseconds{0};
};

/** Mines `tmpl` with filler units on the CPU: for filler index 0, 1, … and
 *  nonces in batches, computes every tile's transcript until a ticket wins,
 *  then fills in the proof and the opening. The miner key is the template's
 *  (the payout key). Returns nullopt when `stop` was set first or
 *  `max_units` unit evaluations found nothing. `pool` may be null. */
Result<std::optional<Block>> MineBlock(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                       const std::atomic<bool>* stop, MiningStats* stats,
                                       uint64_t max_units = UINT64_MAX,
                                       pouw::TranscriptBackend backend = pouw::BestTranscriptBackend());

}  // namespace hpips

#endif  // HPIPS_MINING_MINE_H
