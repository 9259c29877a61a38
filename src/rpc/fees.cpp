// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/fees.h>

#include <algorithm>
#include <limits>

namespace hpips {

int64_t FeeRatePerKvB(Amount fee, uint64_t size)
{
    if (size == 0 || fee <= 0) return 0;
    // fee < 2^63 and 1000 < 2^10: the product fits in unsigned 128 bits.
    const unsigned __int128 rate = static_cast<unsigned __int128>(fee) * 1000 / size;
    if (rate > static_cast<unsigned __int128>(std::numeric_limits<int64_t>::max())) {
        return std::numeric_limits<int64_t>::max();
    }
    return static_cast<int64_t>(rate);
}

std::array<int64_t, 5> WeightedFeeRatePercentiles(std::span<const FeeSample> samples)
{
    std::array<int64_t, 5> out{};
    if (samples.empty()) return out;
    std::vector<std::pair<int64_t, uint64_t>> rates;  // (rate, size)
    rates.reserve(samples.size());
    unsigned __int128 total{0};
    for (const FeeSample& sample : samples) {
        rates.emplace_back(FeeRatePerKvB(sample.fee, sample.size), sample.size);
        total += sample.size;
    }
    std::sort(rates.begin(), rates.end());
    // Thresholds as p% of the total, compared as cumulative * 100 >= total * p
    // so that no rounding moves a boundary.
    constexpr std::array<unsigned, 5> PERCENTS{10, 25, 50, 75, 90};
    size_t next{0};
    unsigned __int128 cumulative{0};
    for (const auto& [rate, size] : rates) {
        cumulative += size;
        while (next < PERCENTS.size() && cumulative * 100 >= total * PERCENTS[next]) out[next++] = rate;
    }
    // Only reached with a zero total (all sizes 0): the highest rate.
    while (next < PERCENTS.size()) out[next++] = rates.back().first;
    return out;
}

int64_t EstimatePercentile(int64_t conf_target, bool conservative)
{
    const int64_t target = std::clamp(conf_target, MIN_CONF_TARGET, MAX_CONF_TARGET);
    int64_t percentile = FEE_ESTIMATE_TOP_PERCENTILE - FEE_ESTIMATE_PERCENTILE_STEP * (target - 1);
    percentile = std::max(percentile, FEE_ESTIMATE_MIN_PERCENTILE);
    if (conservative) percentile += FEE_ESTIMATE_CONSERVATIVE_EXTRA;
    return std::min<int64_t>(percentile, 100);
}

std::optional<int64_t> NearestRankPercentile(std::span<const int64_t> sorted_rates, int64_t percentile)
{
    if (sorted_rates.empty()) return std::nullopt;
    const uint64_t p = static_cast<uint64_t>(std::clamp<int64_t>(percentile, 0, 100));
    const uint64_t n = sorted_rates.size();
    const uint64_t rank = (p * n + 99) / 100;  // ceil(p * n / 100), at most n
    return sorted_rates[rank == 0 ? 0 : rank - 1];
}

int64_t MempoolFeeRateFloor(std::span<const FeeSample> pool_by_rate_desc, int64_t conf_target, uint64_t block_bytes)
{
    const unsigned __int128 room =
        static_cast<unsigned __int128>(std::clamp(conf_target, MIN_CONF_TARGET, MAX_CONF_TARGET)) * block_bytes;
    unsigned __int128 cumulative{0};
    for (const FeeSample& entry : pool_by_rate_desc) {
        cumulative += entry.size;
        if (cumulative > room) return FeeRatePerKvB(entry.fee, entry.size);
    }
    return 0;
}

int64_t TruncatedMedian(std::vector<int64_t>& values)
{
    if (values.empty()) return 0;
    std::sort(values.begin(), values.end());
    const size_t mid = values.size() / 2;
    if (values.size() % 2 == 1) return values[mid];
    // Halves first: the sum of two int64 could overflow.
    return values[mid - 1] / 2 + values[mid] / 2 + (values[mid - 1] % 2 + values[mid] % 2) / 2;
}

std::optional<int64_t> EstimateFeeRate(std::vector<int64_t>& rates, int64_t conf_target, bool conservative,
                                       int64_t mempool_floor, int64_t min_rate)
{
    if (rates.size() < FEE_ESTIMATE_MIN_TXS) return std::nullopt;
    std::sort(rates.begin(), rates.end());
    const int64_t sampled = *NearestRankPercentile(rates, EstimatePercentile(conf_target, conservative));
    return std::max({sampled, mempool_floor, min_rate});
}

}  // namespace hpips
