// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_GPU_ENGINE_H
#define HPIPS_MINING_GPU_ENGINE_H

#include <pouw/engine.h>
#include <pouw/transcript.h>
#include <util/result.h>

#include <cstdint>
#include <memory>
#include <vector>

/** The GPU engine's inner loop: one filler unit kept on the current CUDA
 *  device (pouw/cuda/cuda_transcript.h CudaUnitSession: A and B uploaded once,
 *  buffers reused, noise drawn on the device per nonce) and evaluated a batch
 *  of nonces at a time, the tickets checked on the host. The counterpart of
 *  pouw::EvaluateUnits for one filler unit, without the useful output (a
 *  filler's output is never used). Built without CUDA, Open fails with
 *  "built without CUDA". */
namespace hpips {

/** Most nonces one Evaluate call takes (the session's batch limit). */
constexpr uint64_t GPU_ENGINE_MAX_BATCH{256};

class GpuUnitEvaluator {
public:
    /** Puts `unit` (a filler unit, valid under its shape) on the calling
     *  thread's current CUDA device. */
    static Result<std::unique_ptr<GpuUnitEvaluator>> Open(const pouw::WorkUnit& unit);
    ~GpuUnitEvaluator();
    GpuUnitEvaluator(const GpuUnitEvaluator&) = delete;
    GpuUnitEvaluator& operator=(const GpuUnitEvaluator&) = delete;

    /** Evaluates nonces [request.nonce_begin, request.nonce_end) (1 to
     *  GPU_ENGINE_MAX_BATCH of them) of the unit under the request's template
     *  and miner key: every winning tile (in nonce, then tile order; all of
     *  the batch, stop_at_first_win is not consulted) and the counters.
     *  `states` receives every tile's state, nonce-major, for spot checks.
     *  Errors: a bad range or miner key, a CUDA failure. */
    Result<pouw::EngineResult> Evaluate(const pouw::EngineRequest& request, std::vector<pouw::TileState>& states);

private:
    struct Impl;
    explicit GpuUnitEvaluator(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hpips

#endif  // HPIPS_MINING_GPU_ENGINE_H
