// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_FEES_H
#define HPIPS_RPC_FEES_H

#include <primitives/amount.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <vector>

/** The fee arithmetic of getblockstats and estimatesmartfee (doc/rpc.md,
 *  "Fee statistics and estimation"). Integers only: fee rates are base units
 *  per 1000 bytes (as -minrelaytxfee), rounded down. There is no weight
 *  discount in HPIPS, so a size in bytes is both vsize and weight / 4. */
namespace hpips {

/** Lowest confirmation target estimatesmartfee accepts (Core's bound). */
constexpr int64_t MIN_CONF_TARGET = 1;
/** Highest confirmation target estimatesmartfee accepts (Core's bound). */
constexpr int64_t MAX_CONF_TARGET = 1008;
/** Recent blocks whose confirmed transactions estimatesmartfee samples
 *  (read from disk on request, cached per tip). */
constexpr int64_t FEE_ESTIMATE_BLOCKS = 24;
/** Fewest sampled transactions for an estimate; fewer gives Core's
 *  "Insufficient data or no feerate found". */
constexpr size_t FEE_ESTIMATE_MIN_TXS = 5;
/** Percentile of the sampled fee rates for target 1; each further block of
 *  target lowers it by FEE_ESTIMATE_PERCENTILE_STEP... */
constexpr int64_t FEE_ESTIMATE_TOP_PERCENTILE = 90;
constexpr int64_t FEE_ESTIMATE_PERCENTILE_STEP = 10;
/** ...down to this floor (targets of 9 blocks and more). */
constexpr int64_t FEE_ESTIMATE_MIN_PERCENTILE = 10;
/** What the "conservative" mode adds to the percentile (capped at 100). */
constexpr int64_t FEE_ESTIMATE_CONSERVATIVE_EXTRA = 10;

/** One transaction's fee and size. */
struct FeeSample {
    Amount fee{0};
    uint64_t size{0};
};

/** fee * 1000 / size, rounded down; 0 for size 0. Saturates at INT64_MAX
 *  (fees are in MoneyRange, so it never does for real transactions). */
int64_t FeeRatePerKvB(Amount fee, uint64_t size);

/** Core's getblockstats feerate_percentiles: the fee rates (base units per
 *  1000 bytes) at the 10th, 25th, 50th, 75th and 90th percentile of the
 *  block's bytes, samples sorted by fee rate and each weighted by its size.
 *  The p-th percentile is the rate of the first sample whose cumulative size
 *  reaches p% of the total (Core's rule). All zero for no samples. */
std::array<int64_t, 5> WeightedFeeRatePercentiles(std::span<const FeeSample> samples);

/** The percentile of recent fee rates estimatesmartfee uses for
 *  `conf_target` (in [MIN_CONF_TARGET, MAX_CONF_TARGET]): TOP - STEP *
 *  (target - 1), at least MIN; plus CONSERVATIVE_EXTRA when conservative. */
int64_t EstimatePercentile(int64_t conf_target, bool conservative);

/** Nearest-rank percentile of `sorted_rates` (ascending): the element at
 *  index ceil(p * n / 100) - 1 (the first for p = 0); nullopt when empty.
 *  `percentile` is clamped to [0, 100]. */
std::optional<int64_t> NearestRankPercentile(std::span<const int64_t> sorted_rates, int64_t percentile);

/** The fee rate a transaction must beat to be among the first
 *  `conf_target` blocks' worth (`block_bytes` each) of the mempool, taken
 *  best rate first (`pool_rates_desc`: each entry's rate and size, highest
 *  rate first): the rate of the entry that crosses conf_target * block_bytes,
 *  or 0 when the whole pool fits. */
int64_t MempoolFeeRateFloor(std::span<const FeeSample> pool_by_rate_desc, int64_t conf_target, uint64_t block_bytes);

/** Core's getblockstats median (CalculateTruncatedMedian): the middle of
 *  `values` once sorted (sorted in place), the mean of the two middle ones
 *  rounded toward zero for an even count, 0 when empty. */
int64_t TruncatedMedian(std::vector<int64_t>& values);

/** estimatesmartfee's answer: the sampled rates' percentile for the target,
 *  raised to the mempool floor and to `min_rate` (the relay minimum); nullopt
 *  when fewer than FEE_ESTIMATE_MIN_TXS rates were sampled. `rates` need not
 *  be sorted (it is sorted in place). */
std::optional<int64_t> EstimateFeeRate(std::vector<int64_t>& rates, int64_t conf_target, bool conservative,
                                       int64_t mempool_floor, int64_t min_rate);

}  // namespace hpips

#endif  // HPIPS_RPC_FEES_H
