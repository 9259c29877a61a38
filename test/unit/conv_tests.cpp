// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/conv.h>

#include <kernels/gemm.h>
#include <util/thread_pool.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <memory>
#include <random>
#include <vector>

namespace hpips {
namespace {

Int8Tensor RandomTensor(size_t h, size_t w, size_t c, std::mt19937& rng)
{
    Int8Tensor t{h, w, c};
    std::uniform_int_distribution<int> dist{-128, 127};
    for (auto& v : t.data) v = static_cast<int8_t>(dist(rng));
    return t;
}

ConvWeights RandomWeights(size_t kh, size_t kw, size_t cin, size_t cout, std::mt19937& rng)
{
    ConvWeights w{kh, kw, cin, cout, std::vector<int8_t>(kh * kw * cin * cout)};
    std::uniform_int_distribution<int> dist{-128, 127};
    for (auto& v : w.data) v = static_cast<int8_t>(dist(rng));
    return w;
}

/** Fast accumulators for every ISA (single thread) equal the direct loop. */
void ExpectAccumulatorsMatch(const Int8Tensor& in, const ConvWeights& w, const Conv2dParams& p, const char* what)
{
    auto expected{Conv2dAccumulateReference(in, w, p)};
    ASSERT_TRUE(expected) << expected.error_message();
    for (const GemmIsa isa : SupportedGemmIsas()) {
        auto packed{PackedConvWeights::Pack(w, isa)};
        ASSERT_TRUE(packed) << packed.error_message();
        auto got{Conv2dAccumulate(in, *packed, p)};
        ASSERT_TRUE(got) << got.error_message();
        ASSERT_EQ(got->height, expected->height);
        ASSERT_EQ(got->width, expected->width);
        ASSERT_EQ(got->channels, expected->channels);
        ASSERT_EQ(got->data, expected->data)
            << what << " isa=" << GemmIsaName(isa) << " in=" << in.height << "x" << in.width << "x" << in.channels
            << " k=" << w.kernel_h << "x" << w.kernel_w << " cout=" << w.out_channels << " stride=" << p.stride_h
            << "," << p.stride_w << " pad=" << p.pad_h << "," << p.pad_w << " zp=" << p.input_zero_point;
    }
}

TEST(ConvTest, SmallKnownValue)
{
    // 3×3 single-channel input, 2×2 kernel of ones, stride 1, no padding, zp 1:
    // each output is the window sum minus 4.
    Int8Tensor in{3, 3, 1};
    for (size_t i = 0; i < 9; ++i) in.data[i] = static_cast<int8_t>(i + 1);
    const ConvWeights w{2, 2, 1, 1, {1, 1, 1, 1}};
    Conv2dParams p{};
    p.input_zero_point = 1;
    auto acc{Conv2dAccumulateReference(in, w, p)};
    ASSERT_TRUE(acc);
    EXPECT_EQ(acc->data, (std::vector<int32_t>{12 - 4, 16 - 4, 24 - 4, 28 - 4}));
    // With padding 1 the corner window sees only input 1 (the rest is zp): 1 − 1 = 0.
    p.pad_h = p.pad_w = 1;
    acc = Conv2dAccumulateReference(in, w, p);
    ASSERT_TRUE(acc);
    EXPECT_EQ(acc->height, 4u);
    EXPECT_EQ(acc->At(0, 0, 0), 0);
    EXPECT_EQ(acc->At(3, 3, 0), 9 - 1);
    ExpectAccumulatorsMatch(in, w, p, "known");
}

TEST(ConvTest, RandomGeometriesAllPaths)
{
    std::mt19937 rng{11};
    std::uniform_int_distribution<int> zp_dist{-128, 127};
    const size_t kernels[]{1, 2, 3, 5, 7};
    const size_t channels[]{1, 3, 8, 17};
    const size_t outs[]{1, 5, 16, 33, 64, 70};
    int cases{0};
    for (const size_t kh : kernels) {
        for (const size_t kw : {size_t{1}, size_t{3}, size_t{5}}) {
            for (int rep = 0; rep < 6; ++rep) {
                const size_t cin{channels[rng() % 4]};
                const size_t cout{outs[rng() % 6]};
                Conv2dParams p{};
                p.stride_h = 1 + rng() % 3;
                p.stride_w = 1 + rng() % 3;
                p.pad_h = rng() % kh;
                p.pad_w = rng() % kw;
                const int zps[]{-128, 0, 127, zp_dist(rng)};
                p.input_zero_point = zps[rep % 4];
                const size_t h{std::max<size_t>(1, kh > 2 * p.pad_h ? kh - 2 * p.pad_h : 1) + rng() % 12};
                const size_t w{std::max<size_t>(1, kw > 2 * p.pad_w ? kw - 2 * p.pad_w : 1) + rng() % 12};
                const Int8Tensor in{RandomTensor(h, w, cin, rng)};
                const ConvWeights weights{RandomWeights(kh, kw, cin, cout, rng)};
                ExpectAccumulatorsMatch(in, weights, p, "random");
                if (HasFatalFailure()) return;
                ++cases;
            }
        }
    }
    EXPECT_EQ(cases, 5 * 3 * 6);
}

TEST(ConvTest, InteriorWindowsReadInPlace)
{
    // Geometries whose kernel rows are whole VNNI k groups (kernel_w · Cin a
    // multiple of 4), so the fast path reads interior windows straight from
    // the input: wide rows (runs split across blocks of 96 pixels), narrow
    // ones (several output rows per block), strides and paddings.
    std::mt19937 rng{16};
    std::uniform_int_distribution<int> zp_dist{-128, 127};
    struct Case {
        size_t h, w, cin, kh, kw, cout, stride_h, stride_w, pad_h, pad_w;
    };
    const std::vector<Case> cases{
        {33, 130, 4, 3, 3, 16, 1, 1, 1, 1}, {9, 7, 8, 3, 3, 5, 1, 1, 1, 1},   {20, 41, 12, 5, 3, 70, 2, 1, 2, 1},
        {17, 200, 64, 3, 3, 64, 1, 1, 1, 1}, {15, 15, 4, 1, 1, 3, 1, 1, 0, 0}, {31, 29, 8, 5, 5, 9, 3, 2, 2, 4},
        {6, 6, 16, 3, 1, 64, 1, 3, 0, 0},    {11, 150, 4, 2, 2, 129, 2, 2, 1, 1}, {5, 4, 20, 5, 4, 7, 1, 1, 0, 0},
    };
    for (const Case& tc : cases) {
        const Int8Tensor in{RandomTensor(tc.h, tc.w, tc.cin, rng)};
        const ConvWeights w{RandomWeights(tc.kh, tc.kw, tc.cin, tc.cout, rng)};
        Conv2dParams p{};
        p.stride_h = tc.stride_h;
        p.stride_w = tc.stride_w;
        p.pad_h = tc.pad_h;
        p.pad_w = tc.pad_w;
        for (const int zp : {0, -128, 127, zp_dist(rng)}) {
            p.input_zero_point = zp;
            ExpectAccumulatorsMatch(in, w, p, "interior");
            if (HasFatalFailure()) return;
        }
    }
}

TEST(ConvTest, Im2colPlusGemmIsTheSameSum)
{
    std::mt19937 rng{12};
    const Int8Tensor in{RandomTensor(9, 11, 5, rng)};
    const ConvWeights w{RandomWeights(3, 3, 5, 7, rng)};
    Conv2dParams p{};
    p.stride_h = 2;
    p.pad_h = p.pad_w = 1;
    p.input_zero_point = -37;
    auto patches{Im2col(in, w, p)};
    ASSERT_TRUE(patches);
    auto shape{CheckConv2d(in, w, p)};
    ASSERT_TRUE(shape);
    EXPECT_EQ(patches->rows, shape->m);
    EXPECT_EQ(patches->cols, 45u);
    // Top-left window: the first row of taps is all padding (= zero point).
    for (size_t c = 0; c < 15; ++c) EXPECT_EQ(patches->At(0, c), -37);
    Int32Matrix gemm{shape->m, shape->n};
    ASSERT_TRUE(GemmReference(patches->View().AsConst(), w.AsMatrix(), gemm.View()));
    auto expected{Conv2dAccumulateReference(in, w, p)};
    ASSERT_TRUE(expected);
    for (size_t r = 0; r < shape->m; ++r) {
        for (size_t co = 0; co < shape->n; ++co) {
            int32_t sum{0};
            for (size_t q = 0; q < shape->k; ++q) sum += w.data[q * shape->n + co];
            EXPECT_EQ(gemm.At(r, co) + 37 * sum, expected->data[r * shape->n + co]);
        }
    }
}

TEST(ConvTest, LargestAccumulatorIsExact)
{
    // k = 4·4·4096 = 65536 with x − zp = −128 − 127 = −255 and w = −128 at
    // every tap: acc = 255 · 128 · 65536 = 2 139 095 040, just under 2^31,
    // while the GEMM's raw Σ x·w (2^30) and the correction are formed apart.
    Int8Tensor in{4, 4, 4096};
    std::fill(in.data.begin(), in.data.end(), int8_t{-128});
    ConvWeights w{4, 4, 4096, 2, std::vector<int8_t>(65536 * 2, int8_t{-128})};
    for (size_t q = 0; q < 65536; ++q) w.data[q * 2 + 1] = 127;
    Conv2dParams p{};
    p.input_zero_point = 127;
    auto acc{Conv2dAccumulateReference(in, w, p)};
    ASSERT_TRUE(acc);
    EXPECT_EQ(acc->At(0, 0, 0), 2139095040);
    EXPECT_EQ(acc->At(0, 0, 1), -255 * 127 * 65536);
    ExpectAccumulatorsMatch(in, w, p, "extreme");
}

TEST(ConvTest, ThreadCountsGiveIdenticalBytes)
{
    std::mt19937 rng{13};
    const Int8Tensor in{RandomTensor(37, 29, 16, rng)};
    const ConvWeights w{RandomWeights(3, 3, 16, 24, rng)};
    Conv2dParams p{};
    p.pad_h = p.pad_w = 1;
    p.input_zero_point = 5;
    auto expected{Conv2dAccumulateReference(in, w, p)};
    ASSERT_TRUE(expected);
    for (const GemmIsa isa : SupportedGemmIsas()) {
        auto packed{PackedConvWeights::Pack(w, isa)};
        ASSERT_TRUE(packed);
        for (const size_t threads : {1, 2, 3, 7}) {
            ThreadPool pool{threads};
            auto got{Conv2dAccumulate(in, *packed, p, &pool)};
            ASSERT_TRUE(got);
            EXPECT_EQ(got->data, expected->data) << GemmIsaName(isa) << " threads=" << threads;
        }
    }
}

TEST(ConvTest, FullLayerWithReluAndPool)
{
    std::mt19937 rng{14};
    ThreadPool pool{3};
    int below_zp{0};  // outputs ReLU would have changed, over the non-ReLU cases
    for (const bool relu : {false, true}) {
        for (const bool max_pool : {false, true}) {
            for (const auto& [h, w] : std::vector<std::pair<size_t, size_t>>{{7, 9}, {10, 5}, {2, 3}, {13, 13}}) {
                const Int8Tensor in{RandomTensor(h, w, 6, rng)};
                const ConvWeights weights{RandomWeights(3, 3, 6, 19, rng)};
                Conv2dParams p{};
                p.pad_h = p.pad_w = 1;
                p.input_zero_point = -3;
                ConvOutputStage stage{};
                stage.requant.multiplier = 1518500250;  // ≈ 0.7071 in Q31
                stage.requant.shift = 9;
                stage.requant.output_zero_point = -7;
                stage.requant.clamp_min = -100;
                stage.requant.clamp_max = 90;
                stage.requant.relu = relu;
                stage.max_pool = max_pool;
                auto expected{Conv2dReference(in, weights, p, stage)};
                ASSERT_TRUE(expected) << expected.error_message();
                if (max_pool) {
                    EXPECT_EQ(expected->height, h / 2);
                    EXPECT_EQ(expected->width, w / 2);
                }
                for (const int8_t v : expected->data) {
                    EXPECT_GE(v, -100);
                    EXPECT_LE(v, 90);
                    if (relu) {
                        EXPECT_GE(v, -7);
                    }
                    below_zp += !relu && v < -7;
                }
                for (const GemmIsa isa : SupportedGemmIsas()) {
                    auto packed{PackedConvWeights::Pack(weights, isa)};
                    ASSERT_TRUE(packed);
                    auto got{Conv2d(in, *packed, p, stage, &pool)};
                    ASSERT_TRUE(got) << got.error_message();
                    EXPECT_EQ(got->data, expected->data) << GemmIsaName(isa);
                }
            }
        }
    }
    EXPECT_GT(below_zp, 0) << "test data should exercise ReLU";
}

TEST(ConvTest, MaxPoolKnownValues)
{
    Int8Tensor in{3, 5, 1};
    for (size_t i = 0; i < 15; ++i) in.data[i] = static_cast<int8_t>(static_cast<int>(i * 37 % 256) - 128);
    // rows: [-128 -91 -54 -17 20] [57 94 -125 -88 -51] [-14 23 60 97 -122]
    auto out{MaxPool2x2(in)};
    ASSERT_TRUE(out);
    EXPECT_EQ(out->height, 1u);
    EXPECT_EQ(out->width, 2u);
    EXPECT_EQ(out->data, (std::vector<int8_t>{94, -17}));
    EXPECT_FALSE(MaxPool2x2(Int8Tensor{1, 5, 1}));
    EXPECT_FALSE(MaxPool2x2(Int8Tensor{5, 1, 1}));
    Int8Tensor broken{2, 2, 1};
    broken.data.pop_back();
    EXPECT_FALSE(MaxPool2x2(broken));
}

TEST(ConvTest, RejectsBadShapes)
{
    std::mt19937 rng{15};
    const Int8Tensor in{RandomTensor(8, 8, 4, rng)};
    const ConvWeights w{RandomWeights(3, 3, 4, 2, rng)};
    const Conv2dParams ok{};
    EXPECT_TRUE(CheckConv2d(in, w, ok));
    Conv2dParams p{ok};
    p.stride_h = 0;
    EXPECT_FALSE(CheckConv2d(in, w, p));
    p = ok;
    p.stride_w = CONV_MAX_STRIDE + 1;
    EXPECT_FALSE(CheckConv2d(in, w, p));
    p = ok;
    p.pad_h = 3;  // not smaller than the kernel
    EXPECT_FALSE(CheckConv2d(in, w, p));
    p = ok;
    p.input_zero_point = 128;
    EXPECT_FALSE(CheckConv2d(in, w, p));
    p.input_zero_point = -129;
    EXPECT_FALSE(CheckConv2d(in, w, p));
    // channel mismatch, data size mismatch, oversized kernel
    EXPECT_FALSE(CheckConv2d(RandomTensor(8, 8, 5, rng), w, ok));
    Int8Tensor short_in{in};
    short_in.data.pop_back();
    EXPECT_FALSE(CheckConv2d(short_in, w, ok));
    ConvWeights short_w{w};
    short_w.data.pop_back();
    EXPECT_FALSE(CheckConv2d(in, short_w, ok));
    EXPECT_FALSE(PackedConvWeights::Pack(short_w, GemmIsa::SCALAR));
    EXPECT_FALSE(CheckConv2d(RandomTensor(2, 8, 4, rng), w, ok));  // kernel taller than the input
    ConvWeights huge{16, 1, 4, 2, {}};
    EXPECT_FALSE(PackedConvWeights::Pack(huge, GemmIsa::SCALAR));
    // k above 65536: 5·5·4096
    ConvWeights wide_k{5, 5, 4096, 1, {}};
    EXPECT_FALSE(PackedConvWeights::Pack(wide_k, GemmIsa::SCALAR));
    EXPECT_FALSE(CheckConv2d(Int8Tensor{}, w, ok));
    // output stage: invalid requant params, pool on a 1-row result
    auto acc{Conv2dAccumulateReference(in, w, ok)};
    ASSERT_TRUE(acc);
    ConvOutputStage stage{};
    stage.requant.shift = 40;
    EXPECT_FALSE(ApplyOutputStage(*acc, stage));
    stage = {};
    stage.max_pool = true;
    EXPECT_FALSE(ApplyOutputStage(Int32Tensor{1, 4, 2}, stage));
    EXPECT_TRUE(ApplyOutputStage(*acc, stage));
    // the fast path rejects what the reference rejects
    auto packed{PackedConvWeights::Pack(w, GemmIsa::SCALAR)};
    ASSERT_TRUE(packed);
    EXPECT_FALSE(Conv2dAccumulate(RandomTensor(8, 8, 5, rng), *packed, ok));
    p = ok;
    p.pad_w = 5;
    EXPECT_FALSE(Conv2dAccumulate(in, *packed, p));
}

}  // namespace
}  // namespace hpips
