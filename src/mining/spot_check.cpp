// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/spot_check.h>

#include <pouw/noise.h>
#include <pouw/ticket.h>
#include <pouw/unit.h>

namespace hpips {

Result<SpotCheckOutcome> SpotCheckTile(const pouw::EngineRequest& request, const pouw::WorkUnit& unit, uint64_t nonce,
                                       uint32_t tile, pouw::TranscriptBackend backend)
{
    const pouw::UnitShape& shape{unit.descriptor.shape};
    if (tile >= shape.TileCount()) return Error{"spot check: tile index out of range"};
    const uint256 seed{pouw::ComputeSeed(request.template_bytes, request.miner_key, nonce,
                                         pouw::ComputeUnitId(unit.descriptor))};
    const pouw::Noise noise{pouw::Noise::DrawTile(seed, shape, tile)};
    const pouw::TileInputs inputs{pouw::ExtractTileInputs(unit.data, tile)};
    auto tested = pouw::ComputeTileTranscript(inputs, noise, tile, backend);
    if (!tested) return Error{"spot check on " + std::string{pouw::TranscriptBackendName(backend)} + ": " +
                              tested.error_message()};
    auto reference = pouw::ComputeTileTranscript(inputs, noise, tile, pouw::TranscriptBackend::SCALAR);
    if (!reference) return Error{"spot check on the CPU: " + reference.error_message()};
    return *tested == *reference ? SpotCheckOutcome::SAME : SpotCheckOutcome::DIFFERENT;
}

}  // namespace hpips
