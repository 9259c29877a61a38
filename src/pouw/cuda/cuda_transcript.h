// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_CUDA_CUDA_TRANSCRIPT_H
#define HPIPS_POUW_CUDA_CUDA_TRANSCRIPT_H

// Plain C++ header: the checked host API of the miner engine's CUDA backend.
// Compiled by the host compiler into hpips_pouw (cuda_transcript.cpp) and only
// when the build has the backend (HPIPS_HAVE_POUW_CUDA); the kernels live in
// cuda_pouw.cu behind the raw launchers of cuda_pouw_launch.h. Every call
// copies its inputs to the current CUDA device, runs, copies back and blocks.
// On a machine without a usable device every call returns an error starting
// with "no CUDA device" (or naming the device's shortfall), never aborts.

#include <pouw/cuda/cuda_pouw_launch.h>
#include <pouw/noise.h>
#include <pouw/params.h>
#include <pouw/transcript.h>
#include <pouw/unit.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <memory>
#include <span>
#include <vector>

namespace hpips::pouw::cuda {

/** ComputeUnitTranscript (TranscriptBackend::CUDA): the states of every tile
 *  of the unit, computed on the device from the host-drawn `noise` (which
 *  must cover the unit). When `noisy_product` is not empty (m·n entries) it
 *  receives A'·B'. Errors: shape or sizes (as ComputeUnitTranscript), k above
 *  CUDA_MAX_K (cuda_pouw_launch.h), an input outside ±INPUT_BOUND (`input-out-of-range`), no
 *  usable device, or a CUDA runtime failure. */
Result<UnitTranscript> CudaUnitTranscript(const UnitData& data, const Noise& noise, std::span<int32_t> noisy_product);

/** ComputeTileTranscript (TranscriptBackend::CUDA): one tile's state from its
 *  64 rows of A and 64 columns of B; `noise` must cover the tile. */
Result<TileState> CudaTileTranscript(const TileInputs& inputs, const Noise& noise, uint32_t tile_index);

/** What CudaMineUnit returns. */
struct CudaUnitResult {
    /** Every tile's transcript state, row-major tile order. */
    std::vector<TileState> states;
    /** C = A·B (m×n int32, row-major) when requested, else empty. */
    std::vector<int32_t> output;
};

/** The whole per-nonce work on the device from the seed σ: noise drawn on
 *  the device (E_L rows, F_R columns, step paths), A' and B' built there
 *  (inputs range-checked), the transcript of every tile, and, when
 *  `want_output`, the denoised C = A'·B' − (A·F_L)·F_R − E_L·(E_R·B'). Only
 *  the inputs go to the device and only states (and C) come back. Tickets are
 *  the caller's (ComputeTicket, on the host). Errors as CudaUnitTranscript. */
Result<CudaUnitResult> CudaMineUnit(const UnitData& data, const uint256& seed, bool want_output);

/** The noise of a whole unit as drawn by the device kernels (plain arrays),
 *  so tests compare it with Noise::DrawUnit. */
struct CudaNoiseFactors {
    std::vector<int8_t> e_left;   //!< m × NOISE_DIM, row i = E_L row i
    std::vector<int8_t> f_right;  //!< n × NOISE_DIM, row c = F_R column c
    std::vector<uint8_t> e_plus;  //!< k: plus(j) of E_R
    std::vector<uint8_t> e_minus; //!< k: minus(j) of E_R
    std::vector<uint8_t> f_plus;  //!< k: plus'(j) of F_L
    std::vector<uint8_t> f_minus; //!< k: minus'(j) of F_L
};

/** Draws the noise of `shape` from σ on the device and copies it back.
 *  Errors: a shape that is not whole tiles and steps or has k above
 *  CUDA_MAX_K, no usable device, a runtime failure. */
Result<CudaNoiseFactors> CudaDrawNoise(const uint256& seed, const UnitShape& shape);

/** The miner engine's persistent unit on the current device
 *  (DeviceUnitSession with the pouw types): the unit's A and B go to the
 *  device once, then each batch of seeds gives every tile's state per seed,
 *  with the noise drawn on the device and no allocation per nonce. */
class CudaUnitSession {
public:
    /** Uploads the unit. Errors as CudaUnitTranscript. */
    static Result<CudaUnitSession> Open(const UnitData& data);

    /** States of every tile for each seed, seed-major: result[i · tiles + t]
     *  is tile t under seeds[i]. At most SESSION_MAX_BATCH seeds per call.
     *  Errors: an empty or oversized batch, `input-out-of-range`, a CUDA
     *  failure. */
    Result<std::vector<TileState>> Run(std::span<const uint256> seeds);

    uint32_t Tiles() const;

private:
    explicit CudaUnitSession(std::unique_ptr<DeviceUnitSession> session);
    std::unique_ptr<DeviceUnitSession> m_session;
};

}  // namespace hpips::pouw::cuda

#endif  // HPIPS_POUW_CUDA_CUDA_TRANSCRIPT_H
