// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/gpu_engine.h>

#include <crypto/key.h>
#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <primitives/target.h>

#ifdef HPIPS_HAVE_POUW_CUDA
#include <pouw/cuda/cuda_transcript.h>
#endif

#include <chrono>
#include <optional>
#include <utility>

namespace hpips {

#ifdef HPIPS_HAVE_POUW_CUDA
struct GpuUnitEvaluator::Impl {
    pouw::UnitDescriptor descriptor;
    uint256 unit_id;
    std::vector<uint8_t> opening;
    std::optional<pouw::cuda::CudaUnitSession> session;
};
#else
struct GpuUnitEvaluator::Impl {};
#endif

GpuUnitEvaluator::GpuUnitEvaluator(std::unique_ptr<Impl> impl) : m_impl{std::move(impl)} {}

GpuUnitEvaluator::~GpuUnitEvaluator() = default;

Result<std::unique_ptr<GpuUnitEvaluator>> GpuUnitEvaluator::Open(const pouw::WorkUnit& unit)
{
#ifdef HPIPS_HAVE_POUW_CUDA
    if (!unit.descriptor.IsFiller()) return Error{"the GPU engine mines filler units only"};
    if (!(unit.data.shape == unit.descriptor.shape)) return Error{"unit data shape differs from its descriptor"};
    auto session = pouw::cuda::CudaUnitSession::Open(unit.data);
    if (!session) return session.error();
    auto impl = std::make_unique<Impl>();
    impl->descriptor = unit.descriptor;
    impl->unit_id = pouw::ComputeUnitId(unit.descriptor);
    impl->opening = pouw::EncodeOpening(pouw::MakeFillerOpening(unit.descriptor));
    impl->session.emplace(std::move(*session));
    return std::unique_ptr<GpuUnitEvaluator>{new GpuUnitEvaluator{std::move(impl)}};
#else
    (void)unit;
    return Error{"built without CUDA"};
#endif
}

Result<pouw::EngineResult> GpuUnitEvaluator::Evaluate(const pouw::EngineRequest& request,
                                                      std::vector<pouw::TileState>& states)
{
#ifdef HPIPS_HAVE_POUW_CUDA
    const auto start = std::chrono::steady_clock::now();
    if (request.nonce_end <= request.nonce_begin || request.nonce_end - request.nonce_begin > GPU_ENGINE_MAX_BATCH) {
        return Error{"GPU engine: a batch is 1 to 256 nonces"};
    }
    if (!XOnlyPubKey{request.miner_key}.IsValid()) return Error{"bad miner key"};
    const auto target = TargetFromBits(pouw::TemplateBits(request.template_bytes));
    if (!target) return Error{"bits is not a valid target"};
    const Impl& u{*m_impl};
    const pouw::UnitShape& shape{u.descriptor.shape};
    std::vector<uint256> seeds;
    for (uint64_t nonce = request.nonce_begin; nonce < request.nonce_end; ++nonce) {
        seeds.push_back(pouw::ComputeSeed(request.template_bytes, request.miner_key, nonce, u.unit_id));
    }
    auto run = m_impl->session->Run(seeds);
    if (!run) return run.error();
    states = std::move(*run);
    const uint32_t tiles{shape.TileCount()};
    pouw::EngineResult result;
    for (size_t i = 0; i < seeds.size(); ++i) {
        for (uint32_t t = 0; t < tiles; ++t) {
            const auto state = pouw::EncodeState(states[i * tiles + t]);
            if (!pouw::TicketWins(pouw::ComputeTicket(seeds[i], t, state), *target, shape.k)) continue;
            pouw::WinningTicket win;
            win.proof = PouwProof{request.miner_key, request.nonce_begin + i, u.unit_id, t, state};
            win.opening = u.opening;
            result.wins.push_back(std::move(win));
        }
    }
    result.counters.units = seeds.size();
    result.counters.tiles = seeds.size() * tiles;
    result.counters.macs = seeds.size() * uint64_t{shape.m} * shape.n * shape.k;
    result.next_nonce = request.nonce_end;
    result.counters.nanoseconds = static_cast<uint64_t>(
        std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - start).count());
    return result;
#else
    (void)request;
    (void)states;
    return Error{"built without CUDA"};
#endif
}

}  // namespace hpips
