// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/engine.h>
#include <pouw/verify.h>
#include <util/strencodings.h>
#include <util/thread_pool.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

namespace hpips::pouw {
namespace {

std::array<uint8_t, 32> MinerKey()
{
    const auto bytes = ParseHex("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

BlockHeader Header()
{
    BlockHeader h;
    h.prev_block = test::TestSeed(300);
    h.bits = 0x207fffff;
    return h;
}

std::vector<WorkUnit> Units()
{
    std::vector<WorkUnit> units;
    units.push_back(MakeFillerUnit(Header().prev_block, MinerKey(), 0, ShapeRules::Regtest()));
    WorkUnit job;
    job.data = test::RandomUnit({128, 128, 64}, 301);
    job.descriptor.shape = job.data.shape;
    job.descriptor.clamp_min = -128;
    job.descriptor.clamp_max = 127;
    job.descriptor.a_root = ComputeARoot(job.data);
    job.descriptor.b_root = ComputeBRoot(job.data);
    units.push_back(std::move(job));
    return units;
}

EngineRequest Request(uint64_t begin, uint64_t end, bool first_only)
{
    EngineRequest r;
    r.template_bytes = Header().SerializeTemplate();
    r.miner_key = MinerKey();
    r.nonce_begin = begin;
    r.nonce_end = end;
    r.stop_at_first_win = first_only;
    r.backend = BestTranscriptBackend();
    return r;
}

TEST(PouwMiner, WinsVerifyOutputsAreExactAndThreadCountsAgree)
{
    const auto units = Units();
    std::optional<EngineResult> first;
    for (const size_t threads : {1, 2, 3}) {
        ThreadPool pool{threads};
        auto result = EvaluateUnits(Request(0, 40, false), units, ShapeRules::Regtest(), &pool, nullptr);
        ASSERT_TRUE(result) << result.error_message();
        EXPECT_FALSE(result->stopped);
        EXPECT_EQ(result->next_nonce, 40u);
        EXPECT_EQ(result->counters.units, 80u);
        EXPECT_EQ(result->counters.tiles, 40u * (1 + 4));
        EXPECT_EQ(result->counters.macs, 40u * (64u * 64 * 64 + 128u * 128 * 64));
        EXPECT_FALSE(result->wins.empty());
        for (const auto& win : result->wins) {
            BlockHeader header{Header()};
            header.proof = win.proof;
            EXPECT_TRUE(VerifyTicket(header, win.opening, ShapeRules::Regtest()));
        }
        for (size_t u = 0; u < units.size(); ++u) EXPECT_EQ(result->outputs[u], test::PlainGemm(units[u].data));
        if (!first) {
            first = std::move(*result);
        } else {
            ASSERT_EQ(result->wins.size(), first->wins.size());
            for (size_t w = 0; w < first->wins.size(); ++w) {
                EXPECT_EQ(result->wins[w].proof, first->wins[w].proof);
                EXPECT_EQ(result->wins[w].opening, first->wins[w].opening);
            }
        }
    }
}

TEST(PouwMiner, StopsAtFirstWinAndOnTheStopFlag)
{
    const auto units = Units();
    auto result = EvaluateUnits(Request(0, 1000, true), units, ShapeRules::Regtest(), nullptr, nullptr);
    ASSERT_TRUE(result);
    ASSERT_FALSE(result->wins.empty());
    const uint64_t win_nonce{result->wins.front().proof.nonce};
    EXPECT_EQ(result->next_nonce, win_nonce + 1);
    for (const auto& win : result->wins) EXPECT_EQ(win.proof.nonce, win_nonce);

    std::atomic<bool> stop{true};
    auto stopped = EvaluateUnits(Request(0, 1000, true), units, ShapeRules::Regtest(), nullptr, &stop);
    ASSERT_TRUE(stopped);
    EXPECT_TRUE(stopped->stopped);
    EXPECT_TRUE(stopped->wins.empty());
    EXPECT_EQ(stopped->next_nonce, 0u);
    EXPECT_EQ(stopped->counters.units, 0u);
}

TEST(PouwMiner, RejectsBadUnitsAndRequests)
{
    auto units = Units();
    EXPECT_FALSE(EvaluateUnits(Request(0, 1, true), units, ShapeRules::Main(), nullptr, nullptr));  // regtest shapes
    units[1].data.a[0] = 113;
    EXPECT_FALSE(EvaluateUnits(Request(0, 1, true), units, ShapeRules::Regtest(), nullptr, nullptr));
    auto request = Request(0, 1, true);
    request.miner_key.fill(0);
    EXPECT_FALSE(EvaluateUnits(request, Units(), ShapeRules::Regtest(), nullptr, nullptr));
}

}  // namespace
}  // namespace hpips::pouw
