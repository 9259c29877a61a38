// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/mine.h>

#include <pouw/miner.h>

namespace hpips {
namespace {

/** Nonces tried per MineUnits call: small enough that a stop request or a
 *  new tip is noticed quickly, large enough to amortise the call. */
constexpr uint64_t NONCE_BATCH = 64;
/** Filler units tried before moving on; the nonce space of one is 2^64, so
 *  this only spreads work, it never runs out. */
constexpr uint64_t NONCES_PER_FILLER = uint64_t{1} << 32;

}  // namespace

Result<std::optional<Block>> MineBlock(const BlockTemplate& tmpl, const ChainParams& params, ThreadPool* pool,
                                       const std::atomic<bool>* stop, MiningStats* stats, uint64_t max_units,
                                       pouw::TranscriptBackend backend)
{
    const BlockHeader& header = tmpl.block.header;
    pouw::MinerRequest request;
    request.template_bytes = header.SerializeTemplate();
    request.miner_key = header.proof.miner_key;
    request.stop_at_first_win = true;
    request.backend = backend;
    uint64_t units_done = 0;
    for (uint32_t filler = 0;; ++filler) {
        const pouw::MinerUnit unit =
            pouw::MakeFillerUnit(header.prev_block, request.miner_key, filler, params.shape_rules);
        for (uint64_t nonce = 0; nonce < NONCES_PER_FILLER; nonce += NONCE_BATCH) {
            if (stop != nullptr && stop->load(std::memory_order_relaxed)) return std::optional<Block>{};
            if (units_done >= max_units) return std::optional<Block>{};
            request.nonce_begin = nonce;
            request.nonce_end = nonce + NONCE_BATCH;
            auto mined = pouw::MineUnits(request, std::span{&unit, 1}, params.shape_rules, pool, stop);
            if (!mined) return mined.error();
            units_done += mined->counters.units;
            if (stats != nullptr) {
                stats->units += mined->counters.units;
                stats->tiles += mined->counters.tiles;
                stats->macs += mined->counters.macs;
                stats->nanoseconds += mined->counters.nanoseconds;
            }
            if (!mined->wins.empty()) {
                Block block = tmpl.block;
                block.header.proof = mined->wins.front().proof;
                block.opening = std::move(mined->wins.front().opening);
                return std::optional<Block>{std::move(block)};
            }
        }
    }
}

}  // namespace hpips
