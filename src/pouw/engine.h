// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_ENGINE_H
#define HPIPS_POUW_ENGINE_H

#include <pouw/params.h>
#include <pouw/transcript.h>
#include <pouw/unit.h>
#include <primitives/block.h>
#include <util/result.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <vector>

namespace hpips {
class ThreadPool;
}

/** The engine that evaluates units (the PoUW side of mining; the miner that
 *  builds blocks is src/mining/miner.h): for each nonce of a range and each
 *  candidate unit,
 *  compute every tile's transcript (the fast kernel, tiles spread over a
 *  thread pool), check every tile's ticket, and return the winners with their
 *  openings. The useful output of each unit (C = A·B, denoised) is computed
 *  once, from the first nonce that processes the unit. A stop flag is checked
 *  between tiles, so a new template interrupts the work at once. */
namespace hpips::pouw {

/** A unit ready to evaluate: its descriptor and its data (A m×k, B k×n). */
struct WorkUnit {
    UnitDescriptor descriptor;
    UnitData data;
};

/** Filler unit `index` of `miner_key` on top of `prev_block_hash`, with its data generated. */
WorkUnit MakeFillerUnit(const uint256& prev_block_hash, std::span<const uint8_t, 32> miner_key, uint32_t index,
                         const ShapeRules& rules);

/** What to evaluate: the header template, the miner key and a nonce range. */
struct EngineRequest {
    /** The header template (version, prev, merkle root, time, bits). */
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> template_bytes{};
    std::array<uint8_t, 32> miner_key{};
    /** Nonces [nonce_begin, nonce_end) are tried, in order. */
    uint64_t nonce_begin{0};
    uint64_t nonce_end{0};
    /** Return after the first nonce that produced a winning tile. */
    bool stop_at_first_win{true};
    TranscriptBackend backend{TranscriptBackend::SCALAR};
};

/** A winning tile: the header proof and the block's opening. */
struct WinningTicket {
    PouwProof proof;
    std::vector<uint8_t> opening;
};

/** Work counters: the one counter type of mining (the engine, MineBlock,
 *  the built-in miner and getmininginfo all count in it). Integers; rates
 *  are derived where they are shown. */
struct WorkCounters {
    uint64_t units{0};         //!< unit transcripts completed (one per nonce and unit)
    uint64_t tiles{0};         //!< tiles whose tickets were checked
    uint64_t macs{0};          //!< multiply-accumulates of the completed transcripts
    uint64_t nanoseconds{0};   //!< wall time spent

    WorkCounters& operator+=(const WorkCounters& other)
    {
        units += other.units;
        tiles += other.tiles;
        macs += other.macs;
        nanoseconds += other.nanoseconds;
        return *this;
    }
};

/** The outcome of one EvaluateUnits call. */
struct EngineResult {
    std::vector<WinningTicket> wins;
    /** outputs[u] = C = A·B of units[u] (m×n int32), empty when unit u was never processed. */
    std::vector<std::vector<int32_t>> outputs;
    WorkCounters counters;
    /** True when the stop flag ended the run before the range was done. */
    bool stopped{false};
    /** The first nonce not fully processed (nonce_end when the range was finished). */
    uint64_t next_nonce{0};
};

/** Evaluates `units` under `request`. Every unit must be valid under `rules`
 *  with data in range (checked first: an error names the bad unit). `pool`
 *  (may be null) spreads tiles over threads; results are identical for every
 *  thread count. `stop` (may be null) is checked between tiles. */
Result<EngineResult> EvaluateUnits(const EngineRequest& request, std::span<const WorkUnit> units, const ShapeRules& rules,
                              ThreadPool* pool, const std::atomic<bool>* stop);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_ENGINE_H
