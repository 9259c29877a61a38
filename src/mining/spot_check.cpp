// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/spot_check.h>

#include <pouw/noise.h>
#include <pouw/ticket.h>
#include <pouw/unit.h>

#include <string>

namespace hpips {

namespace {

struct TileJob {
    pouw::Noise noise;
    pouw::TileInputs inputs;
};

TileJob PrepareTile(const pouw::EngineRequest& request, const pouw::WorkUnit& unit, uint64_t nonce, uint32_t tile)
{
    const uint256 seed{pouw::ComputeSeed(request.template_bytes, request.miner_key, nonce,
                                         pouw::ComputeUnitId(unit.descriptor))};
    return TileJob{pouw::Noise::DrawTile(seed, unit.descriptor.shape, tile), pouw::ExtractTileInputs(unit.data, tile)};
}

}  // namespace

Result<SpotCheckOutcome> CheckTileState(const pouw::EngineRequest& request, const pouw::WorkUnit& unit, uint64_t nonce,
                                        uint32_t tile, const pouw::TileState& state)
{
    if (tile >= unit.descriptor.shape.TileCount()) return Error{"spot check: tile index out of range"};
    const TileJob job{PrepareTile(request, unit, nonce, tile)};
    auto reference = pouw::ComputeTileTranscript(job.inputs, job.noise, tile, pouw::TranscriptBackend::SCALAR);
    if (!reference) return Error{"spot check on the CPU: " + reference.error_message()};
    return *reference == state ? SpotCheckOutcome::SAME : SpotCheckOutcome::DIFFERENT;
}

Result<SpotCheckOutcome> SpotCheckTile(const pouw::EngineRequest& request, const pouw::WorkUnit& unit, uint64_t nonce,
                                       uint32_t tile, pouw::TranscriptBackend backend)
{
    if (tile >= unit.descriptor.shape.TileCount()) return Error{"spot check: tile index out of range"};
    const TileJob job{PrepareTile(request, unit, nonce, tile)};
    auto tested = pouw::ComputeTileTranscript(job.inputs, job.noise, tile, backend);
    if (!tested) {
        return Error{"spot check on " + std::string{pouw::TranscriptBackendName(backend)} + ": " +
                     tested.error_message()};
    }
    return CheckTileState(request, unit, nonce, tile, *tested);
}

}  // namespace hpips
