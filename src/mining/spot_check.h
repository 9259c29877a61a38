// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_SPOT_CHECK_H
#define HPIPS_MINING_SPOT_CHECK_H

#include <pouw/engine.h>
#include <pouw/transcript.h>
#include <util/result.h>

#include <cstdint>

/** The miner's guard against a wrong accelerator: one tile of one nonce's
 *  unit recomputed on the device under test and on the portable CPU kernel
 *  (SCALAR), compared word for word. The two must agree bit for bit (integer
 *  arithmetic only): a difference is a bug in the backend, never noise. */
namespace hpips {

/** What a spot check found. */
enum class SpotCheckOutcome {
    SAME,       //!< both states agree
    DIFFERENT,  //!< the backend's state differs from the CPU's: a backend bug
};

/** Recomputes tile `tile` of `unit` at `nonce` under `request` with the
 *  SCALAR CPU kernel and compares it with `state`, what a device gave for it
 *  (the GPU engine passes the state it mined with). Errors: `tile` out of
 *  range, the CPU computation failed. */
Result<SpotCheckOutcome> CheckTileState(const pouw::EngineRequest& request, const pouw::WorkUnit& unit, uint64_t nonce,
                                        uint32_t tile, const pouw::TileState& state);

/** Computes tile `tile` of `unit` at `nonce` under `request` (template and
 *  miner key) with `backend` and with the SCALAR CPU kernel and compares the
 *  states. Errors: `tile` out of range, or either computation failed (a CUDA
 *  error, an unsupported backend). The noise is drawn on the host for the
 *  tile only, so one check costs one tile on each side. */
Result<SpotCheckOutcome> SpotCheckTile(const pouw::EngineRequest& request, const pouw::WorkUnit& unit, uint64_t nonce,
                                       uint32_t tile, pouw::TranscriptBackend backend);

}  // namespace hpips

#endif  // HPIPS_MINING_SPOT_CHECK_H
