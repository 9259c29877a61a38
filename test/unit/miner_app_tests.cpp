// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// hpips-miner's pieces that take untrusted input: the farm messages (sizes
// bounded by MAX_FARM_MESSAGE / MAX_OPENING_SIZE) and the template parser.
#include <miner_app/block_work.h>
#include <miner_app/farm.h>

#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include <cstring>

namespace hpips::miner {
namespace {

TEST(FarmMessages, WorkRoundTrip)
{
    FarmWork work;
    work.generation = 7;
    work.nonce_begin = 1024;
    work.nonce_end = 2048;
    work.regtest = 1;
    work.template_bytes[5] = 0xab;
    work.miner_key[31] = 0xcd;
    const auto decoded = DecodeFarmWork(EncodeFarmWork(work));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->generation, 7u);
    EXPECT_EQ(decoded->nonce_end, 2048u);
    EXPECT_EQ(decoded->template_bytes[5], 0xab);
    EXPECT_EQ(decoded->miner_key[31], 0xcd);
    auto bytes = EncodeFarmWork(work);
    bytes.push_back(0);
    EXPECT_FALSE(DecodeFarmWork(bytes));
    work.nonce_begin = 4096;  // reversed range
    EXPECT_FALSE(DecodeFarmWork(EncodeFarmWork(work)));
}

TEST(FarmMessages, ReportRoundTripWithOpening)
{
    FarmReportHeader header;
    header.kind = ReportKind::WIN;
    header.units = 99;
    header.proof.nonce = 12345;
    const std::vector<uint8_t> opening(300, 0x5a);
    const auto decoded = DecodeFarmReport(EncodeFarmReport(header, opening));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(decoded->header.kind, ReportKind::WIN);
    EXPECT_EQ(decoded->header.units, 99u);
    EXPECT_EQ(decoded->header.proof.nonce, 12345u);
    EXPECT_EQ(decoded->opening, opening);
}

TEST(FarmMessages, ReportBounds)
{
    FarmReportHeader header;
    header.kind = ReportKind::WIN;
    // The largest opening is accepted, one byte more is not.
    const std::vector<uint8_t> largest(MAX_OPENING_SIZE, 1);
    EXPECT_TRUE(DecodeFarmReport(EncodeFarmReport(header, largest)));
    const std::vector<uint8_t> over(MAX_OPENING_SIZE + 1, 1);
    EXPECT_FALSE(DecodeFarmReport(EncodeFarmReport(header, over)));
    // An opening size that claims more than the message holds.
    auto bytes = EncodeFarmReport(header, std::vector<uint8_t>(10, 2));
    bytes.pop_back();
    EXPECT_FALSE(DecodeFarmReport(bytes));
    // Shorter than the header, and an unknown kind.
    EXPECT_FALSE(DecodeFarmReport(std::vector<uint8_t>(sizeof(FarmReportHeader) - 1, 0)));
    header.kind = static_cast<ReportKind>(3);
    EXPECT_FALSE(DecodeFarmReport(EncodeFarmReport(header, {})));
}

TEST(BlockWork, FillerShapeSelectsRules)
{
    const auto regtest = RulesForFiller(pouw::ShapeRules::Regtest().FillerShape());
    ASSERT_TRUE(regtest);
    EXPECT_TRUE(regtest->IsRegtest());
    const auto main = RulesForFiller(pouw::ShapeRules::Main().FillerShape());
    ASSERT_TRUE(main);
    EXPECT_FALSE(main->IsRegtest());
    EXPECT_FALSE(RulesForFiller(pouw::UnitShape{128, 64, 128}));
}

TEST(BlockWork, TemplateErrorsNameTheField)
{
    const auto parse = [](const char* text) { return ParseBlockTemplate(boost::json::parse(text).as_object()); };
    auto missing_pouw = parse(R"({"version": 1})");
    ASSERT_FALSE(missing_pouw);
    EXPECT_NE(missing_pouw.error_message().find("pouw"), std::string::npos);
    auto wrong_rules = parse(R"({"pouw": {"rules_version": 99, "filler": {"m": 64, "n": 64, "k": 64}}})");
    ASSERT_FALSE(wrong_rules);
    EXPECT_NE(wrong_rules.error_message().find("rules version 99"), std::string::npos);
    auto no_coinbase = parse(R"({"pouw": {"rules_version": 1, "filler": {"m": 64, "n": 64, "k": 64}}})");
    ASSERT_FALSE(no_coinbase);
    EXPECT_NE(no_coinbase.error_message().find("coinbasetxn"), std::string::npos);
    auto bad_coinbase = parse(
        R"({"pouw": {"rules_version": 1, "filler": {"m": 64, "n": 64, "k": 64}}, "coinbasetxn": {"data": "zz"}})");
    ASSERT_FALSE(bad_coinbase);
    EXPECT_NE(bad_coinbase.error_message().find("coinbasetxn"), std::string::npos);
}

}  // namespace
}  // namespace hpips::miner

#include <miner_app/cpu_miner.h>
#include <primitives/target.h>
#include <util/strencodings.h>

#include <chrono>
#include <thread>

namespace hpips::miner {
namespace {

std::shared_ptr<MinerJob> MakeJob(uint32_t bits, uint64_t begin, uint64_t end)
{
    BlockHeader header;
    header.bits = bits;
    header.time = 1'700'000'000;
    header.prev_block.data()[0] = 0x42;
    // An x-only key on the curve (the engine refuses others): secp256k1's generator.
    const auto key = ParseHex("79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798").value();
    std::copy(key.begin(), key.end(), header.proof.miner_key.begin());
    auto job = std::make_shared<MinerJob>();
    job->request.template_bytes = header.SerializeTemplate();
    job->request.miner_key = header.proof.miner_key;
    job->rules = pouw::ShapeRules::Regtest();
    job->unit = pouw::MakeFillerUnit(header.prev_block, header.proof.miner_key, 0, job->rules);
    job->nonce_begin = begin;
    job->nonce_end = end;
    return job;
}

bool WaitFinished(const CpuMiner& miner)
{
    for (int i = 0; i < 600 && !miner.JobFinished(); ++i) std::this_thread::sleep_for(std::chrono::milliseconds{50});
    return miner.JobFinished();
}

/** A target no ticket meets: every nonce of the range is evaluated once, over two threads. */
TEST(CpuMiner, EvaluatesTheWholeRangeOnce)
{
    std::atomic<int> wins{0};
    CpuMiner miner{2, [&](const MinerJob&, pouw::WinningTicket) { ++wins; }};
    miner.SetJob(MakeJob(0x1d00ffff, 100, 100 + 7 * MINER_NONCE_BATCH + 3));
    ASSERT_TRUE(WaitFinished(miner));
    const auto totals = miner.GetTotals();
    EXPECT_EQ(totals.errors, 0u) << totals.last_error;
    EXPECT_EQ(totals.work.units, 7 * MINER_NONCE_BATCH + 3);
    EXPECT_EQ(totals.tickets, 0u);
    EXPECT_EQ(wins.load(), 0);
}

/** The loosest target: the first win ends the job and reaches the handler once. */
TEST(CpuMiner, FirstWinEndsTheJob)
{
    std::atomic<int> wins{0};
    std::atomic<uint64_t> nonce{UINT64_MAX};
    CpuMiner miner{2, [&](const MinerJob& job, pouw::WinningTicket win) {
                       ++wins;
                       nonce = win.proof.nonce;
                       EXPECT_GE(win.proof.nonce, job.nonce_begin);
                       EXPECT_LT(win.proof.nonce, job.nonce_end);
                   }};
    const uint32_t easy = 0x207fffff;
    miner.SetJob(MakeJob(easy, 0, uint64_t{1} << 40));
    ASSERT_TRUE(WaitFinished(miner));
    EXPECT_EQ(wins.load(), 1);
    EXPECT_NE(nonce.load(), UINT64_MAX);
}

/** A new job replaces a running one at once. */
TEST(CpuMiner, NewJobReplacesTheOld)
{
    CpuMiner miner{1, [](const MinerJob&, pouw::WinningTicket) {}};
    const uint32_t hard = 0x1d00ffff;
    miner.SetJob(MakeJob(hard, 0, UINT64_MAX));
    std::this_thread::sleep_for(std::chrono::milliseconds{50});
    EXPECT_FALSE(miner.JobFinished());
    const uint64_t before = miner.GetTotals().work.units;
    miner.SetJob(MakeJob(hard, 0, MINER_NONCE_BATCH));
    ASSERT_TRUE(WaitFinished(miner));
    miner.ClearJob();
    EXPECT_TRUE(miner.JobFinished());
    EXPECT_GE(miner.GetTotals().work.units, before + MINER_NONCE_BATCH);
}

}  // namespace
}  // namespace hpips::miner
