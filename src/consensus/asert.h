// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CONSENSUS_ASERT_H
#define HPIPS_CONSENSUS_ASERT_H

#include <primitives/target.h>

#include <cstdint>

/** Per-block difficulty: ASERT, as Bitcoin Cash's aserti3-2d, with HPIPS's
 *  spacing and half-life (doc/consensus.md, "Difficulty"). */
namespace hpips {

/** The fixed point of reference for ASERT: a block (height and target) and
 *  the time of its parent. HPIPS anchors at genesis, whose parent time is
 *  defined as genesis time minus one spacing. */
struct AsertAnchor {
    int64_t height{0};
    uint32_t bits{0};
    int64_t parent_time{0};
};

/** ASERT's tuning. */
struct AsertParams {
    int64_t spacing{60};        //!< target seconds between blocks
    int64_t half_life{17'280};  //!< seconds of schedule drift that doubles or halves the target
    ArithUint256 pow_limit;     //!< easiest allowed target
};

/** The compact target for the block after a parent at `parent_height` with
 *  time `parent_time`:
 *
 *    exponent = ((t - spacing·(h + 1)) · 65536) / half_life   (truncating division)
 *    target   = anchor_target · 2^(exponent / 65536)           (cubic approximation
 *                                                               of the fraction)
 *
 *  with t = parent_time − anchor.parent_time and h = parent_height −
 *  anchor.height. The drift t − spacing·(h + 1) is computed exactly (128-bit
 *  integers) and clamped to ±2^40 s before the exponent is formed, so the
 *  target is non-decreasing in the drift for all inputs; with half_life <=
 *  2^32 s, a drift beyond +2^40 s gives pow_limit and one beyond −2^40 s gives
 *  target 1. Integer-only and a pure function of its arguments; clamps to
 *  [1, pow_limit]; never overflows for any 64-bit inputs.
 *  Precondition: parent_height >= anchor.height, spacing > 0, half_life > 0,
 *  and anchor.bits decode to a valid target no larger than pow_limit. */
uint32_t NextTargetAsert(const AsertAnchor& anchor, const AsertParams& params, int64_t parent_height,
                         int64_t parent_time);

}  // namespace hpips

#endif  // HPIPS_CONSENSUS_ASERT_H
