// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// -minerdevice parsing and resolution (pure functions over the runtime's
// device list), and the spot check of the GPU engine run with CPU backends.
#include <mining/gpu_engine.h>
#include <mining/miner_devices.h>
#include <mining/spot_check.h>

#include <pouw/engine.h>
#include <primitives/block.h>
#include <pouw/params.h>
#include <util/strencodings.h>
#include <util/uint256.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

namespace hpips {
namespace {

using Kind = MinerDeviceRequest::Kind;

DeviceInfo Gpu(int index, int major, int minor, std::string name = "Test GPU")
{
    DeviceInfo info;
    info.index = index;
    info.name = std::move(name);
    info.compute_major = major;
    info.compute_minor = minor;
    return info;
}

TEST(MinerDevices, ParsesTheNamedForms)
{
    EXPECT_EQ(ParseMinerDevice("auto")->kind, Kind::AUTO);
    EXPECT_EQ(ParseMinerDevice("cpu")->kind, Kind::CPU);
    EXPECT_EQ(ParseMinerDevice("cuda")->kind, Kind::CUDA_ALL);
    const auto list = ParseMinerDevice("cuda:0,2");
    ASSERT_TRUE(list) << list.error_message();
    EXPECT_EQ(list->kind, Kind::CUDA_LIST);
    EXPECT_EQ(list->cuda_indices, (std::vector<int>{0, 2}));
    EXPECT_EQ(ParseMinerDevice("cuda:3")->cuda_indices, std::vector<int>{3});
    EXPECT_EQ(ParseMinerDevice("cuda:" + std::to_string(MAX_MINER_CUDA_ORDINAL))->cuda_indices,
              std::vector<int>{MAX_MINER_CUDA_ORDINAL});
}

TEST(MinerDevices, RejectsMalformedValues)
{
    for (const char* bad : {"", "gpu", "CUDA", "cuda:", "cuda:,1", "cuda:1,", "cuda:-1", "cuda:x", "cuda:1 ",
                            "cuda:0,0", "cuda:1,2,1", "cuda:+1", "cuda:1.5", "cpu,cuda", "cuda0"}) {
        const auto parsed = ParseMinerDevice(bad);
        EXPECT_FALSE(parsed) << bad;
        if (!parsed) {
            EXPECT_NE(parsed.error_message().find("expected auto, cpu, cuda or cuda:N"), std::string::npos);
        }
    }
    EXPECT_FALSE(ParseMinerDevice("cuda:" + std::to_string(MAX_MINER_CUDA_ORDINAL + 1)));
    EXPECT_FALSE(ParseMinerDevice("cuda:99999999999999999999"));
}

TEST(MinerDevices, BoundsTheList)
{
    std::string most{"cuda:"};
    for (size_t i = 0; i < MAX_MINER_CUDA_DEVICES; ++i) most += (i ? "," : "") + std::to_string(i);
    ASSERT_LE(most.size(), MAX_MINER_DEVICE_TEXT);
    const auto parsed = ParseMinerDevice(most);
    ASSERT_TRUE(parsed) << parsed.error_message();
    EXPECT_EQ(parsed->cuda_indices.size(), MAX_MINER_CUDA_DEVICES);
    // One more device than allowed.
    const auto over = ParseMinerDevice(most + "," + std::to_string(MAX_MINER_CUDA_DEVICES));
    ASSERT_FALSE(over);
    EXPECT_NE(over.error_message().find("more than"), std::string::npos);
    // One more character than allowed.
    EXPECT_FALSE(ParseMinerDevice("cuda:" + std::string(MAX_MINER_DEVICE_TEXT - 4, '1')));
    EXPECT_NE(ParseMinerDevice(std::string(MAX_MINER_DEVICE_TEXT + 1, 'a')).error_message().find("too long"),
              std::string::npos);
}

TEST(MinerDevices, ResolvesWithoutAGpu)
{
    const std::vector<DeviceInfo> none;
    const auto cpu = ResolveMinerDevices(*ParseMinerDevice("cpu"), none, "CUDA driver not found");
    ASSERT_TRUE(cpu);
    EXPECT_TRUE(cpu->cuda.empty());
    EXPECT_TRUE(cpu->cpu_fallback_reason.empty());

    const auto fallback = ResolveMinerDevices(*ParseMinerDevice("auto"), none, "CUDA driver not found");
    ASSERT_TRUE(fallback);
    EXPECT_TRUE(fallback->cuda.empty());
    EXPECT_EQ(fallback->cpu_fallback_reason, "CUDA driver not found");

    const auto all = ResolveMinerDevices(*ParseMinerDevice("cuda"), none, "CUDA driver not found");
    ASSERT_FALSE(all);
    EXPECT_EQ(all.error_message(), "-minerdevice=cuda: no usable CUDA device: CUDA driver not found");

    const auto listed = ResolveMinerDevices(*ParseMinerDevice("cuda:1"), none, "CUDA driver not found");
    ASSERT_FALSE(listed);
    EXPECT_EQ(listed.error_message(), "-minerdevice: CUDA device 1 not found: CUDA driver not found");
}

TEST(MinerDevices, ResolvesAgainstAListOfGpus)
{
    // Device 1 is too old for the backend (compute 7.5).
    const std::vector<DeviceInfo> devices{Gpu(0, 9, 0, "H100"), Gpu(1, 7, 5, "T4"), Gpu(2, 8, 0, "A100")};
    const auto all = ResolveMinerDevices(*ParseMinerDevice("cuda"), devices, "");
    ASSERT_TRUE(all);
    ASSERT_EQ(all->cuda.size(), 2u);
    EXPECT_EQ(all->cuda[0].index, 0);
    EXPECT_EQ(all->cuda[1].index, 2);
    const auto automatic = ResolveMinerDevices(*ParseMinerDevice("auto"), devices, "");
    ASSERT_TRUE(automatic);
    EXPECT_EQ(automatic->cuda.size(), 2u);
    EXPECT_TRUE(automatic->cpu_fallback_reason.empty());

    const auto listed = ResolveMinerDevices(*ParseMinerDevice("cuda:2,0"), devices, "");
    ASSERT_TRUE(listed);
    ASSERT_EQ(listed->cuda.size(), 2u);
    EXPECT_EQ(listed->cuda[0].name, "A100");
    EXPECT_EQ(listed->cuda[1].name, "H100");

    const auto old = ResolveMinerDevices(*ParseMinerDevice("cuda:0,1"), devices, "");
    ASSERT_FALSE(old);
    EXPECT_NE(old.error_message().find("cuda:1 (T4, compute 7.5) is below compute capability 8.0"),
              std::string::npos);
    const auto missing = ResolveMinerDevices(*ParseMinerDevice("cuda:3"), devices, "");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error_message(), "-minerdevice: CUDA device 3 not found");

    // Only old devices: auto falls back with the reason, cuda fails.
    const std::vector<DeviceInfo> old_only{Gpu(0, 7, 0)};
    const auto fallback = ResolveMinerDevices(*ParseMinerDevice("auto"), old_only, "no device of compute 8.0");
    ASSERT_TRUE(fallback);
    EXPECT_TRUE(fallback->cuda.empty());
    EXPECT_EQ(fallback->cpu_fallback_reason, "no device of compute 8.0");
    EXPECT_FALSE(ResolveMinerDevices(*ParseMinerDevice("cuda"), old_only, "no device of compute 8.0"));
}

pouw::EngineRequest RegtestRequest()
{
    pouw::EngineRequest request;
    for (size_t i = 0; i < request.template_bytes.size(); ++i) request.template_bytes[i] = static_cast<uint8_t>(i);
    // Any valid x-only key will do.
    const auto key = ParseHex("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
    std::copy(key->begin(), key->end(), request.miner_key.begin());
    return request;
}

TEST(MinerDevices, SpotCheckAgreesOnTheCpu)
{
    // The check itself, with CPU backends on both sides (the GPU engine runs
    // it with TranscriptBackend::CUDA against the same SCALAR reference).
    const pouw::EngineRequest request{RegtestRequest()};
    const pouw::WorkUnit unit{pouw::MakeFillerUnit(uint256{}, request.miner_key, 3, pouw::ShapeRules::Regtest())};
    const uint32_t tiles{unit.descriptor.shape.TileCount()};
    for (const auto backend : pouw::SupportedTranscriptBackends()) {
        if (backend == pouw::TranscriptBackend::CUDA) continue;
        for (const uint32_t tile : {0u, tiles - 1}) {
            const auto outcome = SpotCheckTile(request, unit, 7, tile, backend);
            ASSERT_TRUE(outcome) << outcome.error_message();
            EXPECT_EQ(*outcome, SpotCheckOutcome::SAME);
        }
    }
    const auto out_of_range = SpotCheckTile(request, unit, 7, tiles, pouw::TranscriptBackend::SCALAR);
    EXPECT_FALSE(out_of_range);
}

/** A regtest-difficulty request on a fixed previous block. */
pouw::EngineRequest EasyRequest()
{
    BlockHeader header;
    header.bits = 0x207fffff;
    pouw::EngineRequest request{RegtestRequest()};
    request.template_bytes = header.SerializeTemplate();
    return request;
}

bool HaveGpu() { return pouw::TranscriptBackendSupported(pouw::TranscriptBackend::CUDA); }

TEST(GpuEngine, OpenFailsCleanlyWithoutAGpu)
{
    if (HaveGpu()) GTEST_SKIP() << "a usable CUDA device is present";
    const pouw::EngineRequest request{EasyRequest()};
    const pouw::WorkUnit unit{pouw::MakeFillerUnit(uint256{}, request.miner_key, 0, pouw::ShapeRules::Regtest())};
    auto opened = GpuUnitEvaluator::Open(unit);
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error_message().find("CUDA"), std::string::npos) << opened.error_message();
}

/** Runs only on a machine with a usable GPU: the GPU engine finds exactly the
 *  CPU engine's wins over a batch, and its states pass the spot check. */
TEST(GpuEngine, MatchesTheCpuEngine)
{
    if (!HaveGpu()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    pouw::EngineRequest request{EasyRequest()};
    request.stop_at_first_win = false;
    request.backend = pouw::BestTranscriptBackend();
    for (const auto& rules : {pouw::ShapeRules::Regtest(), pouw::ShapeRules::Main()}) {
        const pouw::WorkUnit unit{pouw::MakeFillerUnit(uint256{}, request.miner_key, 5, rules)};
        auto gpu = GpuUnitEvaluator::Open(unit);
        ASSERT_TRUE(gpu) << gpu.error_message();
        request.nonce_begin = 10;
        request.nonce_end = 14;
        std::vector<pouw::TileState> states;
        auto on_gpu = (*gpu)->Evaluate(request, states);
        ASSERT_TRUE(on_gpu) << on_gpu.error_message();
        auto on_cpu = pouw::EvaluateUnits(request, std::span{&unit, 1}, rules, nullptr, nullptr);
        ASSERT_TRUE(on_cpu) << on_cpu.error_message();
        EXPECT_EQ(on_gpu->counters.units, on_cpu->counters.units);
        EXPECT_EQ(on_gpu->counters.tiles, on_cpu->counters.tiles);
        EXPECT_EQ(on_gpu->counters.macs, on_cpu->counters.macs);
        ASSERT_EQ(on_gpu->wins.size(), on_cpu->wins.size());
        for (size_t w = 0; w < on_gpu->wins.size(); ++w) {
            EXPECT_EQ(on_gpu->wins[w].proof, on_cpu->wins[w].proof) << w;
            EXPECT_EQ(on_gpu->wins[w].opening, on_cpu->wins[w].opening) << w;
        }
        const uint32_t tiles{unit.descriptor.shape.TileCount()};
        ASSERT_EQ(states.size(), size_t{4} * tiles);
        for (const uint32_t tile : {0u, tiles - 1}) {
            const auto outcome = CheckTileState(request, unit, 12, tile, states[2 * tiles + tile]);
            ASSERT_TRUE(outcome) << outcome.error_message();
            EXPECT_EQ(*outcome, SpotCheckOutcome::SAME);
        }
        // A state from another nonce is caught.
        const auto wrong = CheckTileState(request, unit, 12, 0, states[0]);
        ASSERT_TRUE(wrong);
        EXPECT_EQ(*wrong, SpotCheckOutcome::DIFFERENT);
    }
}

}  // namespace
}  // namespace hpips
