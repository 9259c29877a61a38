// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/thread_pool.h>

#include <gtest/gtest.h>

#include <atomic>
#include <numeric>

namespace hpips {
namespace {

TEST(ThreadPool, CoversRangeExactlyOnce)
{
    for (size_t threads : {0, 1, 2, 5}) {
        ThreadPool pool{threads};
        for (size_t count : {1, 2, 3, 17, 1000}) {
            std::vector<int> hits(count, 0);
            pool.ParallelFor(count, [&](size_t begin, size_t end) {
                for (size_t i = begin; i < end; ++i) ++hits[i];
            });
            EXPECT_TRUE(std::all_of(hits.begin(), hits.end(), [](int h) { return h == 1; }))
                << threads << " threads, count " << count;
        }
    }
}

TEST(ThreadPool, ManyCallsAndChunkLimit)
{
    ThreadPool pool{3};
    std::atomic<uint64_t> total{0};
    for (int round = 0; round < 200; ++round) {
        std::atomic<size_t> chunks{0};
        pool.ParallelFor(
            100,
            [&](size_t begin, size_t end) {
                ++chunks;
                uint64_t local = 0;
                for (size_t i = begin; i < end; ++i) local += i;
                total += local;
            },
            7);
        EXPECT_EQ(chunks.load(), 7u);
    }
    EXPECT_EQ(total.load(), 200u * 4950u);
}

TEST(ThreadPool, EmptyRangeDoesNothing)
{
    ThreadPool pool{2};
    bool called = false;
    pool.ParallelFor(0, [&](size_t, size_t) { called = true; });
    EXPECT_FALSE(called);
}

}  // namespace
}  // namespace hpips
