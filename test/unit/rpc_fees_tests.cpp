// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The fee arithmetic of getblockstats and estimatesmartfee (src/rpc/fees.h):
// exact integer results at every boundary.
#include <rpc/fees.h>

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <vector>

namespace hpips {
namespace {

TEST(RpcFeesTests, FeeRatePerKvBRoundsDown)
{
    EXPECT_EQ(FeeRatePerKvB(1000, 250), 4000);
    EXPECT_EQ(FeeRatePerKvB(1, 3), 333);  // 333.33 rounds down
    EXPECT_EQ(FeeRatePerKvB(0, 100), 0);
    EXPECT_EQ(FeeRatePerKvB(100, 0), 0);
    EXPECT_EQ(FeeRatePerKvB(-5, 100), 0);
    EXPECT_EQ(FeeRatePerKvB(MAX_MONEY, 1000), MAX_MONEY);  // the product exceeds 64 bits on the way
    EXPECT_EQ(FeeRatePerKvB(std::numeric_limits<int64_t>::max(), 1), std::numeric_limits<int64_t>::max());
}

TEST(RpcFeesTests, WeightedPercentilesFollowSizes)
{
    EXPECT_EQ(WeightedFeeRatePercentiles({}), (std::array<int64_t, 5>{0, 0, 0, 0, 0}));
    // One sample: every percentile is its rate.
    const std::vector<FeeSample> one{{500, 100}};
    EXPECT_EQ(WeightedFeeRatePercentiles(one), (std::array<int64_t, 5>{5000, 5000, 5000, 5000, 5000}));
    // Rates 1000 (size 100), 2000 (size 100), 3000 (size 800): cumulative
    // sizes 100, 200, 1000 of 1000. 10% is reached by the first exactly (the
    // boundary counts), 25% by the third.
    const std::vector<FeeSample> three{{800 * 3, 800}, {100, 100}, {200, 100}};
    EXPECT_EQ(WeightedFeeRatePercentiles(three), (std::array<int64_t, 5>{1000, 3000, 3000, 3000, 3000}));
    // Four equal sizes: 25% lands exactly on the first, 50% on the second,
    // 75% on the third, 90% on the fourth.
    const std::vector<FeeSample> four{{4, 1}, {1, 1}, {3, 1}, {2, 1}};
    EXPECT_EQ(WeightedFeeRatePercentiles(four), (std::array<int64_t, 5>{1000, 1000, 2000, 3000, 4000}));
}

TEST(RpcFeesTests, EstimatePercentileFallsWithTarget)
{
    EXPECT_EQ(EstimatePercentile(1, false), 90);
    EXPECT_EQ(EstimatePercentile(2, false), 80);
    EXPECT_EQ(EstimatePercentile(9, false), 10);
    EXPECT_EQ(EstimatePercentile(10, false), 10);
    EXPECT_EQ(EstimatePercentile(MAX_CONF_TARGET, false), 10);
    EXPECT_EQ(EstimatePercentile(1, true), 100);
    EXPECT_EQ(EstimatePercentile(2, true), 90);
    EXPECT_EQ(EstimatePercentile(MAX_CONF_TARGET, true), 20);
    // Out-of-range targets are clamped (the RPC refuses them first).
    EXPECT_EQ(EstimatePercentile(0, false), 90);
    EXPECT_EQ(EstimatePercentile(MAX_CONF_TARGET + 1, false), 10);
}

TEST(RpcFeesTests, NearestRank)
{
    EXPECT_EQ(NearestRankPercentile({}, 50), std::nullopt);
    const std::vector<int64_t> rates{10, 20, 30, 40, 50, 60, 70, 80, 90, 100};
    EXPECT_EQ(NearestRankPercentile(rates, 0), 10);
    EXPECT_EQ(NearestRankPercentile(rates, 10), 10);
    EXPECT_EQ(NearestRankPercentile(rates, 11), 20);  // ceil(1.1) = 2
    EXPECT_EQ(NearestRankPercentile(rates, 50), 50);
    EXPECT_EQ(NearestRankPercentile(rates, 90), 90);
    EXPECT_EQ(NearestRankPercentile(rates, 100), 100);
    EXPECT_EQ(NearestRankPercentile(rates, 101), 100);
    EXPECT_EQ(NearestRankPercentile(rates, -1), 10);
}

TEST(RpcFeesTests, MempoolFloor)
{
    // Best rate first; blocks of 100 bytes.
    const std::vector<FeeSample> pool{{600, 60}, {300, 60}, {100, 60}};
    EXPECT_EQ(MempoolFeeRateFloor(pool, 1, 100), 5000);  // 120 > 100 at the second entry
    EXPECT_EQ(MempoolFeeRateFloor(pool, 2, 100), 0);     // 180 <= 200: everything fits
    EXPECT_EQ(MempoolFeeRateFloor(pool, 1, 180), 0);     // exactly full still fits
    EXPECT_EQ(MempoolFeeRateFloor(pool, 1, 179), 1666);
    EXPECT_EQ(MempoolFeeRateFloor({}, 1, 100), 0);
}

TEST(RpcFeesTests, EstimateNeedsEnoughSamples)
{
    std::vector<int64_t> few(FEE_ESTIMATE_MIN_TXS - 1, 5000);
    EXPECT_EQ(EstimateFeeRate(few, 1, false, 0, 1000), std::nullopt);
    std::vector<int64_t> rates{9000, 1000, 5000, 3000, 7000};
    ASSERT_EQ(rates.size(), FEE_ESTIMATE_MIN_TXS);
    // Sorted 1000..9000; 90th percentile of 5 is rank ceil(4.5) = 5.
    EXPECT_EQ(EstimateFeeRate(rates, 1, false, 0, 1000), 9000);
    // Target 5: 50th percentile, rank ceil(2.5) = 3.
    EXPECT_EQ(EstimateFeeRate(rates, 5, false, 0, 1000), 5000);
    // Target 9 and more: 10th percentile, rank 1; the relay minimum and the
    // mempool floor raise it.
    EXPECT_EQ(EstimateFeeRate(rates, 9, false, 0, 500), 1000);
    EXPECT_EQ(EstimateFeeRate(rates, 9, false, 0, 2000), 2000);
    EXPECT_EQ(EstimateFeeRate(rates, 9, false, 4000, 2000), 4000);
    // Conservative adds ten points: target 9 takes the 20th percentile.
    EXPECT_EQ(EstimateFeeRate(rates, 9, true, 0, 0), 1000);
    EXPECT_EQ(EstimateFeeRate(rates, 5, true, 0, 0), 5000);  // 60th: rank 3
    EXPECT_EQ(EstimateFeeRate(rates, 4, true, 0, 0), 7000);  // 70th: rank ceil(3.5) = 4
}

TEST(RpcFeesTests, TruncatedMedian)
{
    std::vector<int64_t> empty;
    EXPECT_EQ(TruncatedMedian(empty), 0);
    std::vector<int64_t> odd{5, 1, 3};
    EXPECT_EQ(TruncatedMedian(odd), 3);
    std::vector<int64_t> even{4, 1, 3, 2};
    EXPECT_EQ(TruncatedMedian(even), 2);  // (2 + 3) / 2 rounds toward zero
    std::vector<int64_t> big{std::numeric_limits<int64_t>::max(), std::numeric_limits<int64_t>::max()};
    EXPECT_EQ(TruncatedMedian(big), std::numeric_limits<int64_t>::max());
    std::vector<int64_t> negative{-3, -4};
    EXPECT_EQ(TruncatedMedian(negative), -3);
}

}  // namespace
}  // namespace hpips
