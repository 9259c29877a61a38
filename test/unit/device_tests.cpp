// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/device.h>

#include <util/logging.h>

#ifdef HPIPS_HAVE_CUDA
#include <kernels/box.h>
#include <kernels/color.h>
#include <kernels/conv.h>
#include <kernels/cuda/cuda_gemm.h>
#include <kernels/cuda/cuda_ops.h>
#include <kernels/gaussian.h>
#include <kernels/gemm.h>
#include <kernels/image.h>
#include <kernels/morphology.h>
#include <kernels/resize.h>
#include <kernels/sobel.h>
#include <kernels/tensor.h>
#include <kernels/threshold.h>
#include <util/thread_pool.h>

#include <functional>
#endif

#include <gtest/gtest.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

// These tests run on machines without a GPU (CI, the build machines): there
// the registry must report no device and every CUDA entry point must fail
// cleanly. On a machine with a usable GPU the same tests check the other
// branch, and the GEMM test compares the tensor-core result with the CPU.

namespace hpips {
namespace {

bool HaveUsableCudaDevice()
{
    for (const DeviceInfo& device : ListCudaDevices()) {
        if (device.IsUsable()) return true;
    }
    return false;
}

/** Lines of `path` that contain `needle`. */
int CountLines(const std::filesystem::path& path, const std::string& needle, std::string* last = nullptr)
{
    std::ifstream in{path};
    int count{0};
    for (std::string line; std::getline(in, line);) {
        if (line.find(needle) == std::string::npos) continue;
        ++count;
        if (last != nullptr) *last = line;
    }
    return count;
}

/** Sends log lines to a fresh file for the lifetime of the object. */
class CapturedLog {
public:
    explicit CapturedLog(const std::string& name)
        : m_path{std::filesystem::temp_directory_path() / (name + ".log")}
    {
        std::filesystem::remove(m_path);
        GetLogger().SetPrintToConsole(false);
        m_open = GetLogger().OpenFile(m_path);
    }
    ~CapturedLog()
    {
        GetLogger().CloseFile();
        GetLogger().SetPrintToConsole(true);
        std::filesystem::remove(m_path);
    }
    bool IsOpen() const { return m_open; }
    /** Closes the file so everything written so far can be read. */
    const std::filesystem::path& Finish()
    {
        GetLogger().CloseFile();
        return m_path;
    }

private:
    std::filesystem::path m_path;
    bool m_open{false};
};

TEST(Device, BackendNames)
{
    EXPECT_EQ(BackendName(Backend::CPU), "cpu");
    EXPECT_EQ(BackendName(Backend::CUDA), "cuda");
}

TEST(Device, ComputeCapabilityThreshold)
{
    DeviceInfo turing{.index = 0, .name = "T4", .compute_major = 7, .compute_minor = 5};
    DeviceInfo ampere{.index = 1, .name = "A100", .compute_major = 8, .compute_minor = 0};
    DeviceInfo hopper{.index = 2, .name = "H100", .compute_major = 9, .compute_minor = 0};
    EXPECT_EQ(turing.ComputeCapability(), 75);
    EXPECT_FALSE(turing.IsUsable());
    EXPECT_TRUE(ampere.IsUsable());
    EXPECT_TRUE(hopper.IsUsable());
    EXPECT_EQ(MIN_CUDA_COMPUTE_CAPABILITY, 80);
}

TEST(Device, ListMatchesReason)
{
    const std::vector<DeviceInfo> devices{ListCudaDevices()};
#ifndef HPIPS_HAVE_CUDA
    EXPECT_TRUE(devices.empty());
    EXPECT_EQ(CudaUnavailableReason(), "built without CUDA");
#endif
    // Asking twice gives the same answer (the probe runs once).
    EXPECT_EQ(ListCudaDevices().size(), devices.size());
    if (HaveUsableCudaDevice()) {
        EXPECT_EQ(CudaUnavailableReason(), "");
    } else {
        EXPECT_FALSE(CudaUnavailableReason().empty());
    }
}

TEST(Device, SelectCpuAlwaysWorks)
{
    BackendSelector selector;
    const Result<Backend> backend{selector.Select("cpu")};
    ASSERT_TRUE(backend);
    EXPECT_EQ(*backend, Backend::CPU);
}

TEST(Device, SelectAutoAndCuda)
{
    BackendSelector selector;
    const Result<Backend> automatic{selector.Select("auto")};
    const Result<Backend> cuda{selector.Select("cuda")};
    ASSERT_TRUE(automatic);
    if (HaveUsableCudaDevice()) {
        EXPECT_EQ(*automatic, Backend::CUDA);
        ASSERT_TRUE(cuda);
        EXPECT_EQ(*cuda, Backend::CUDA);
    } else {
        EXPECT_TRUE(ListCudaDevices().empty() || !ListCudaDevices().front().IsUsable());
        EXPECT_EQ(*automatic, Backend::CPU);
        ASSERT_FALSE(cuda);
        // The error carries the reason, not just "failed".
        EXPECT_NE(cuda.error_message().find(CudaUnavailableReason()), std::string::npos);
        EXPECT_NE(cuda.error_message().find("unavailable"), std::string::npos);
    }
}

TEST(Device, SelectRejectsUnknownNames)
{
    BackendSelector selector;
    for (const char* bogus : {"bogus", "", "CUDA", "gpu", "auto ", "cpu\n"}) {
        const Result<Backend> backend{selector.Select(bogus)};
        ASSERT_FALSE(backend) << bogus;
        EXPECT_NE(backend.error_message().find("expected auto, cpu or cuda"), std::string::npos);
    }
    // An attacker-sized name is not echoed whole.
    const std::string huge(100000, 'x');
    const Result<Backend> backend{selector.Select(huge)};
    ASSERT_FALSE(backend);
    EXPECT_LT(backend.error_message().size(), size_t{200});
}

TEST(Device, AutoLogsExactlyOneLine)
{
    CapturedLog log{"hpips_device_tests_once"};
    ASSERT_TRUE(log.IsOpen());
    BackendSelector selector;
    for (int i{0}; i < 3; ++i) ASSERT_TRUE(selector.Select("auto"));
    ASSERT_TRUE(selector.Select("cpu"));
    ASSERT_FALSE(selector.Select("bogus"));
    std::string line;
    EXPECT_EQ(CountLines(log.Finish(), "kernels:", &line), 1);
    if (HaveUsableCudaDevice()) {
        EXPECT_NE(line.find("kernels: using the CUDA backend on device"), std::string::npos) << line;
    } else {
        const std::string expected{"kernels: no CUDA device (" + CudaUnavailableReason() +
                                   "); using the CPU backend"};
        EXPECT_NE(line.find(expected), std::string::npos) << line;
    }
}

TEST(Device, ProcessSelectorLogsOncePerProcess)
{
    // The only test that uses the process-wide selector, so its first "auto"
    // happens here whether the tests run together or one per process.
    CapturedLog log{"hpips_device_tests_process"};
    ASSERT_TRUE(log.IsOpen());
    const Result<Backend> first{SelectBackend("auto")};
    const Result<Backend> second{SelectBackend("auto")};
    ASSERT_TRUE(first);
    ASSERT_TRUE(second);
    EXPECT_EQ(*first, *second);
    EXPECT_EQ(CountLines(log.Finish(), "kernels:"), 1);
}

#ifdef HPIPS_HAVE_CUDA

/** A read-only view, as the GEMM entry points take their operands. */
MatrixView<const int8_t> In(const Int8Matrix& matrix) { return matrix.View(); }

TEST(DeviceCuda, GemmShapeErrorsComeFirst)
{
    // Shape checks do not need a device, so they behave the same everywhere.
    Int8Matrix a{4, 3};
    Int8Matrix b{5, 2};
    Int32Matrix c{4, 2};
    const Result<void> r{cuda::CudaGemmS8S8S32(In(a), In(b), c.View())};
    ASSERT_FALSE(r);
    EXPECT_NE(r.error_message().find("inner dimensions"), std::string::npos);

    Int8Matrix too_deep{1, GEMM_MAX_K + 1};
    Int8Matrix b_deep{GEMM_MAX_K + 1, 1};
    Int32Matrix c_deep{1, 1};
    const Result<void> deep{cuda::CudaGemmS8S8S32(In(too_deep), In(b_deep), c_deep.View())};
    ASSERT_FALSE(deep);
    EXPECT_NE(deep.error_message().find("k above"), std::string::npos);

    // A degenerate product (m = 0) is a no-op, with or without a device.
    Int8Matrix empty_a{0, 3};
    Int8Matrix b3{3, 2};
    Int32Matrix empty_c{0, 2};
    EXPECT_TRUE(cuda::CudaGemmS8S8S32(In(empty_a), In(b3), empty_c.View()));
}

TEST(DeviceCuda, GemmWithoutDeviceIsACleanError)
{
    if (HaveUsableCudaDevice()) GTEST_SKIP() << "a usable CUDA device is present";
    Int8Matrix a{17, 33};
    Int8Matrix b{33, 5};
    Int32Matrix c{17, 5};
    const Result<void> host{cuda::CudaGemmS8S8S32(In(a), In(b), c.View())};
    ASSERT_FALSE(host);
    EXPECT_NE(host.error_message().find("no CUDA device"), std::string::npos) << host.error_message();
    const Result<void> device{cuda::CudaGemmS8S8S32Device(In(a), In(b), c.View())};
    ASSERT_FALSE(device);
    EXPECT_NE(device.error_message().find("no CUDA device"), std::string::npos) << device.error_message();
    // A second call fails the same way: no sticky state left behind.
    const Result<void> again{cuda::CudaGemmS8S8S32(In(a), In(b), c.View())};
    ASSERT_FALSE(again);
    EXPECT_EQ(again.error_message(), host.error_message());
}

TEST(DeviceCuda, GemmMatchesCpuReference)
{
    if (!HaveUsableCudaDevice()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    // Sizes around the 16 (fragment), 32 (k step) and 64 (block) boundaries,
    // with extreme values where the products are largest.
    const size_t shapes[][3]{{1, 1, 1}, {16, 16, 16}, {17, 31, 33}, {64, 64, 64}, {65, 129, 100}, {200, 70, 513}};
    uint32_t state{12345};
    for (const auto& shape : shapes) {
        const size_t m{shape[0]};
        const size_t n{shape[1]};
        const size_t k{shape[2]};
        Int8Matrix a{m, k};
        Int8Matrix b{k, n};
        for (auto& v : a.data) v = static_cast<int8_t>((state = state * 1664525u + 1013904223u) >> 24);
        for (auto& v : b.data) v = static_cast<int8_t>((state = state * 1664525u + 1013904223u) >> 24);
        a.data[0] = -128;
        b.data[0] = -128;
        Int32Matrix expected{m, n};
        Int32Matrix actual{m, n};
        ASSERT_TRUE(GemmReference(In(a), In(b), expected.View()));
        const Result<void> r{cuda::CudaGemmS8S8S32(In(a), In(b), actual.View())};
        ASSERT_TRUE(r) << r.error_message();
        EXPECT_EQ(actual.data, expected.data) << m << "x" << n << "x" << k;
    }
}

/** A deterministic pseudo-random image (LCG; no hidden seeds). */
Image RandomImage(int width, int height, int channels, uint32_t seed)
{
    Image image{*Image::Create(width, height, channels)};
    uint32_t state{seed};
    const size_t bytes{image.Stride() * static_cast<size_t>(height)};
    for (size_t i{0}; i < bytes; ++i) image.Data()[i] = static_cast<uint8_t>((state = state * 1664525u + 1013904223u) >> 24);
    return image;
}

using LightOp = std::function<Result<void>(const ImageView&, const MutableImageView&)>;

/** Each light op as (name, CUDA version, CPU version, output channels or 0
 *  for the input's). */
struct LightCase {
    const char* name;
    LightOp cuda;
    LightOp cpu;
    int dst_channels;
    int needs_channels;  // 0 = any
};

std::vector<LightCase> LightCases(ThreadPool& pool)
{
    return {
        {"gray", cuda::CudaBgrToGray, [&](auto& s, auto& d) { return BgrToGray(s, d, pool); }, 1, 3},
        {"gauss5", [](auto& s, auto& d) { return cuda::CudaGaussianBlur(s, d, 5, 0); },
         [&](auto& s, auto& d) { return GaussianBlur(s, d, 5, 0, pool); }, 0, 0},
        {"gauss15", [](auto& s, auto& d) { return cuda::CudaGaussianBlur(s, d, 15, 2500); },
         [&](auto& s, auto& d) { return GaussianBlur(s, d, 15, 2500, pool); }, 0, 0},
        {"sobelmag", cuda::CudaSobelMagnitude, [&](auto& s, auto& d) { return SobelMagnitude(s, d, pool); }, 0, 0},
        {"threshold", [](auto& s, auto& d) { return cuda::CudaThreshold(s, d, 100, 200, ThresholdMode::TRUNC); },
         [&](auto& s, auto& d) { return Threshold(s, d, 100, 200, ThresholdMode::TRUNC, pool); }, 0, 0},
        {"erode3", [](auto& s, auto& d) { return cuda::CudaErode(s, d, 3); },
         [&](auto& s, auto& d) { return Erode(s, d, 3, pool); }, 0, 0},
        {"dilate7", [](auto& s, auto& d) { return cuda::CudaDilate(s, d, 7); },
         [&](auto& s, auto& d) { return Dilate(s, d, 7, pool); }, 0, 0},
        {"box5", [](auto& s, auto& d) { return cuda::CudaBoxBlur(s, d, 5); },
         [&](auto& s, auto& d) { return BoxBlur(s, d, 5, pool); }, 0, 0},
    };
}

TEST(DeviceCuda, LightOpsCheckArgumentsLikeTheCpu)
{
    // Argument errors come before any device access, so they are the same
    // with or without a GPU.
    const Image bgr{RandomImage(8, 8, 3, 1)};
    Image gray_out{*Image::Create(8, 8, 1)};
    Image wrong_size{*Image::Create(7, 8, 3)};
    EXPECT_FALSE(cuda::CudaBgrToGray(gray_out.View(), wrong_size.MutableView()));
    Image same{*Image::Create(8, 8, 3)};
    const Result<void> gauss{cuda::CudaGaussianBlur(bgr.View(), same.MutableView(), 4, 0)};
    ASSERT_FALSE(gauss);
    EXPECT_NE(gauss.error_message().find("gauss kernel size"), std::string::npos);
    EXPECT_FALSE(cuda::CudaBoxBlur(bgr.View(), same.MutableView(), 17));
    EXPECT_FALSE(cuda::CudaErode(bgr.View(), same.MutableView(), 1));
    EXPECT_FALSE(cuda::CudaSobelMagnitude(bgr.View(), wrong_size.MutableView()));
    Image huge_target{*Image::Create(MAX_RESIZE_DIMENSION + 1, 1, 3)};
    EXPECT_FALSE(cuda::CudaResize(bgr.View(), huge_target.MutableView()));
}

TEST(DeviceCuda, LightOpsWithoutDeviceAreCleanErrors)
{
    if (HaveUsableCudaDevice()) GTEST_SKIP() << "a usable CUDA device is present";
    ThreadPool pool{1};
    const Image bgr{RandomImage(9, 5, 3, 2)};
    for (const LightCase& op : LightCases(pool)) {
        Image out{*Image::Create(9, 5, op.dst_channels == 0 ? 3 : op.dst_channels)};
        const Result<void> r{op.cuda(bgr.View(), out.MutableView())};
        ASSERT_FALSE(r) << op.name;
        EXPECT_NE(r.error_message().find("no CUDA device"), std::string::npos) << op.name << ": " << r.error_message();
    }
    Image resized{*Image::Create(4, 3, 3)};
    EXPECT_FALSE(cuda::CudaResize(bgr.View(), resized.MutableView()));
    // Same size is a plain copy and needs no device.
    Image copy{*Image::Create(9, 5, 3)};
    ASSERT_TRUE(cuda::CudaResize(bgr.View(), copy.MutableView()));
    EXPECT_EQ(std::memcmp(copy.Data(), bgr.Data(), 9 * 5 * 3), 0);
}

TEST(DeviceCuda, LightOpsMatchCpu)
{
    if (!HaveUsableCudaDevice()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    ThreadPool pool{2};
    const int sizes[][2]{{1, 1}, {1, 7}, {7, 1}, {2, 3}, {17, 9}, {64, 33}};
    uint32_t seed{7};
    for (const auto& size : sizes) {
        for (const int channels : {1, 3}) {
            const Image src{RandomImage(size[0], size[1], channels, ++seed)};
            for (const LightCase& op : LightCases(pool)) {
                if (op.needs_channels != 0 && op.needs_channels != channels) continue;
                const int out_channels{op.dst_channels == 0 ? channels : op.dst_channels};
                Image expected{*Image::Create(size[0], size[1], out_channels)};
                Image actual{*Image::Create(size[0], size[1], out_channels)};
                ASSERT_TRUE(op.cpu(src.View(), expected.MutableView())) << op.name;
                const Result<void> r{op.cuda(src.View(), actual.MutableView())};
                ASSERT_TRUE(r) << op.name << ": " << r.error_message();
                EXPECT_EQ(std::memcmp(actual.Data(), expected.Data(), actual.Stride() * size[1]), 0)
                    << op.name << " " << size[0] << "x" << size[1] << "x" << channels;
            }
            for (const auto& target : {std::array<int, 2>{size[0] * 2, size[1] + 3}, std::array<int, 2>{3, 2}}) {
                Image expected{*Image::Create(target[0], target[1], channels)};
                Image actual{*Image::Create(target[0], target[1], channels)};
                ASSERT_TRUE(Resize(src.View(), expected.MutableView(), pool));
                ASSERT_TRUE(cuda::CudaResize(src.View(), actual.MutableView()));
                EXPECT_EQ(std::memcmp(actual.Data(), expected.Data(), actual.Stride() * target[1]), 0) << "resize";
            }
        }
    }
}

/** A small conv layer with padding, stride and a non-zero zero point. */
struct ConvCase {
    Int8Tensor input;
    ConvWeights weights;
    Conv2dParams params;
    ConvOutputStage stage;
};

ConvCase MakeConvCase()
{
    ConvCase c;
    c.input = Int8Tensor{9, 7, 3};
    c.weights = ConvWeights{3, 3, 3, 5, std::vector<int8_t>(3 * 3 * 3 * 5)};
    uint32_t state{99};
    for (auto& v : c.input.data) v = static_cast<int8_t>((state = state * 1664525u + 1013904223u) >> 24);
    for (auto& v : c.weights.data) v = static_cast<int8_t>((state = state * 1664525u + 1013904223u) >> 24);
    c.params.stride_h = 1;
    c.params.stride_w = 2;
    c.params.pad_h = 1;
    c.params.pad_w = 1;
    c.params.input_zero_point = -3;
    c.stage.requant = RequantParams{1 << 30, 6, 2, -100, 100, true};
    c.stage.max_pool = true;
    return c;
}

TEST(DeviceCuda, ConvWithoutDeviceIsACleanError)
{
    if (HaveUsableCudaDevice()) GTEST_SKIP() << "a usable CUDA device is present";
    const ConvCase c{MakeConvCase()};
    const auto acc{cuda::CudaConv2dAccumulate(c.input, c.weights, c.params)};
    ASSERT_FALSE(acc);
    EXPECT_NE(acc.error_message().find("no CUDA device"), std::string::npos) << acc.error_message();
    const auto out{cuda::CudaConv2d(c.input, c.weights, c.params, c.stage)};
    ASSERT_FALSE(out);
    EXPECT_NE(out.error_message().find("no CUDA device"), std::string::npos) << out.error_message();
    // Invalid parameters are reported as such, before the device is asked.
    ConvCase bad{MakeConvCase()};
    bad.stage.requant.shift = 40;
    const auto invalid{cuda::CudaConv2d(bad.input, bad.weights, bad.params, bad.stage)};
    ASSERT_FALSE(invalid);
    EXPECT_NE(invalid.error_message().find("requantize"), std::string::npos);
}

TEST(DeviceCuda, ConvMatchesCpuReference)
{
    if (!HaveUsableCudaDevice()) GTEST_SKIP() << "no usable CUDA device: " << CudaUnavailableReason();
    const ConvCase c{MakeConvCase()};
    const auto expected_acc{Conv2dAccumulateReference(c.input, c.weights, c.params)};
    const auto actual_acc{cuda::CudaConv2dAccumulate(c.input, c.weights, c.params)};
    ASSERT_TRUE(expected_acc);
    ASSERT_TRUE(actual_acc) << actual_acc.error_message();
    EXPECT_EQ(actual_acc->data, expected_acc->data);
    const auto expected{Conv2dReference(c.input, c.weights, c.params, c.stage)};
    const auto actual{cuda::CudaConv2d(c.input, c.weights, c.params, c.stage)};
    ASSERT_TRUE(expected);
    ASSERT_TRUE(actual) << actual.error_message();
    EXPECT_EQ(actual->data, expected->data);
}

#endif  // HPIPS_HAVE_CUDA

}  // namespace
}  // namespace hpips
