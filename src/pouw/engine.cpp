// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/engine.h>

#include <crypto/key.h>
#include <pouw/denoise.h>
#include <pouw/noise.h>
#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <primitives/target.h>

#include <chrono>
#include <string>

namespace hpips::pouw {

WorkUnit MakeFillerUnit(const uint256& prev_block_hash, std::span<const uint8_t, 32> miner_key, uint32_t index,
                         const ShapeRules& rules)
{
    WorkUnit unit;
    unit.descriptor = MakeFillerDescriptor(prev_block_hash, miner_key, index, rules);
    unit.data = MakeFillerData(unit.descriptor.job_id, unit.descriptor.shape);
    return unit;
}

Result<EngineResult> EvaluateUnits(const EngineRequest& request, std::span<const WorkUnit> units, const ShapeRules& rules,
                              ThreadPool* pool, const std::atomic<bool>* stop)
{
    const auto start = std::chrono::steady_clock::now();
    if (!XOnlyPubKey{request.miner_key}.IsValid()) return Error{"bad miner key"};
    const auto target = TargetFromBits(TemplateBits(request.template_bytes));
    if (!target) return Error{"bits is not a valid target"};
    if (!TranscriptBackendSupported(request.backend)) return Error{"transcript backend not supported by this CPU"};
    std::vector<uint256> unit_ids;
    for (size_t u = 0; u < units.size(); ++u) {
        const WorkUnit& unit{units[u]};
        const std::string which{"unit " + std::to_string(u) + ": "};
        if (auto valid = ValidateDescriptor(unit.descriptor, rules); !valid) return Error{which + valid.error_message()};
        if (!(unit.data.shape == unit.descriptor.shape)) return Error{which + "data shape differs from descriptor"};
        if (auto ok = CheckUnitData(unit.data); !ok) return Error{which + ok.error_message()};
        unit_ids.push_back(ComputeUnitId(unit.descriptor));
    }

    EngineResult result;
    result.outputs.resize(units.size());
    result.next_nonce = request.nonce_begin;
    const auto stopped = [&] { return stop != nullptr && stop->load(std::memory_order_relaxed); };
    for (uint64_t nonce = request.nonce_begin; nonce < request.nonce_end; ++nonce) {
        for (size_t u = 0; u < units.size() && !result.stopped; ++u) {
            const WorkUnit& unit{units[u]};
            const UnitShape& shape{unit.descriptor.shape};
            const uint256 seed{ComputeSeed(request.template_bytes, request.miner_key, nonce, unit_ids[u])};
            const Noise noise{Noise::DrawUnit(seed, shape)};
            const bool want_output{result.outputs[u].empty()};
            std::vector<int32_t> noisy_product(want_output ? size_t{shape.m} * shape.n : 0);
            TranscriptOptions options;
            options.backend = request.backend;
            options.pool = pool;
            options.stop = stop;
            options.noisy_product = noisy_product;
            auto transcript = ComputeUnitTranscript(unit.data, noise, options);
            if (!transcript) return transcript.error();
            if (!transcript->complete || stopped()) {
                result.stopped = true;
                break;
            }
            if (want_output) {
                auto output = Denoise(unit.data, noise, noisy_product);
                if (!output) return output.error();
                result.outputs[u] = std::move(*output);
            }
            for (uint32_t t = 0; t < shape.TileCount(); ++t) {
                const auto state = EncodeState(transcript->states[t]);
                if (!TicketWins(ComputeTicket(seed, t, state), *target, shape.k)) continue;
                WinningTicket win;
                win.proof = PouwProof{request.miner_key, nonce, unit_ids[u], t, state};
                if (unit.descriptor.IsFiller()) {
                    win.opening = EncodeOpening(MakeFillerOpening(unit.descriptor));
                } else {
                    auto opening = MakeJobOpening(unit.descriptor, unit.data, t);
                    if (!opening) return opening.error();
                    win.opening = EncodeOpening(*opening);
                }
                result.wins.push_back(std::move(win));
            }
            ++result.counters.units;
            result.counters.tiles += shape.TileCount();
            result.counters.macs += uint64_t{shape.m} * shape.n * shape.k;
        }
        if (result.stopped) break;
        result.next_nonce = nonce + 1;
        if (request.stop_at_first_win && !result.wins.empty()) break;
    }
    result.counters.nanoseconds = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    return result;
}

}  // namespace hpips::pouw
