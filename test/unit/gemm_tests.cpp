// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/gemm.h>

#include <kernels/requantize.h>
#include <util/thread_pool.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdio>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

namespace hpips {
namespace {

/** A k×n or m×k int8 matrix stored with a leading dimension larger than its
 *  width, so every path is exercised on strided views. */
struct StridedInt8 {
    size_t rows;
    size_t cols;
    size_t ld;
    std::vector<int8_t> data;

    StridedInt8(size_t r, size_t c, size_t extra) : rows{r}, cols{c}, ld{c + extra}, data(r * (c + extra), 0) {}
    MatrixView<const int8_t> View() const { return {data.data(), rows, cols, ld}; }
    int8_t& At(size_t r, size_t c) { return data[r * ld + c]; }
};

void FillRandom(StridedInt8& m, std::mt19937& rng)
{
    std::uniform_int_distribution<int> dist{-128, 127};
    for (auto& v : m.data) v = static_cast<int8_t>(dist(rng));
}

void FillWith(StridedInt8& m, const std::function<int8_t(size_t, size_t)>& value)
{
    for (size_t r = 0; r < m.rows; ++r) {
        for (size_t c = 0; c < m.cols; ++c) m.At(r, c) = value(r, c);
    }
}

/** Sentinel in C's padding columns: a path that writes outside its view fails. */
constexpr int32_t SENTINEL{0x5a5a5a5a};

std::vector<int32_t> RunReference(const StridedInt8& a, const StridedInt8& b)
{
    std::vector<int32_t> c(a.rows * b.cols);
    auto ok{GemmReference(a.View(), b.View(), {c.data(), a.rows, b.cols, b.cols})};
    EXPECT_TRUE(ok) << ok.error_message();
    return c;
}

/** Runs `isa` with `pool`, writing into a C whose ld leaves 3 padding columns,
 *  and returns the dense result after checking the padding is untouched. */
std::vector<int32_t> RunFast(const StridedInt8& a, const StridedInt8& b, GemmIsa isa, ThreadPool* pool)
{
    const size_t m{a.rows};
    const size_t n{b.cols};
    const size_t ldc{n + 3};
    std::vector<int32_t> c(m * ldc, SENTINEL);
    auto ok{Gemm(a.View(), b.View(), {c.data(), m, n, ldc}, isa, pool)};
    EXPECT_TRUE(ok) << ok.error_message();
    std::vector<int32_t> dense(m * n);
    for (size_t i = 0; i < m; ++i) {
        for (size_t j = 0; j < n; ++j) dense[i * n + j] = c[i * ldc + j];
        for (size_t j = n; j < ldc; ++j) EXPECT_EQ(c[i * ldc + j], SENTINEL) << "row " << i << " padding overwritten";
    }
    return dense;
}

/** Every supported path, single-threaded, equals the reference bit for bit. */
void ExpectAllPathsMatch(const StridedInt8& a, const StridedInt8& b, const std::string& what)
{
    const std::vector<int32_t> expected{RunReference(a, b)};
    for (const GemmIsa isa : SupportedGemmIsas()) {
        const std::vector<int32_t> got{RunFast(a, b, isa, nullptr)};
        ASSERT_EQ(got, expected) << what << " isa=" << GemmIsaName(isa) << " m=" << a.rows << " n=" << b.cols
                                 << " k=" << a.cols;
    }
}

TEST(GemmTest, IsaNamesRoundTrip)
{
    for (const GemmIsa isa : {GemmIsa::SCALAR, GemmIsa::AVX2, GemmIsa::AVX512_VNNI}) {
        auto parsed{ParseGemmIsa(GemmIsaName(isa))};
        ASSERT_TRUE(parsed);
        EXPECT_EQ(*parsed, isa);
    }
    EXPECT_FALSE(ParseGemmIsa("avx512"));
    EXPECT_FALSE(ParseGemmIsa(""));
    EXPECT_TRUE(GemmIsaSupported(GemmIsa::SCALAR));
    EXPECT_EQ(SupportedGemmIsas().front(), GemmIsa::SCALAR);
    EXPECT_EQ(BestGemmIsa(), SupportedGemmIsas().back());
    for (const GemmIsa isa : SupportedGemmIsas()) std::printf("supported GEMM path: %s\n", std::string{GemmIsaName(isa)}.c_str());
}

TEST(GemmTest, ReferenceSmallKnownValues)
{
    // [1 2; 3 4] · [5 6; 7 8] = [19 22; 43 50]
    const std::vector<int8_t> a{1, 2, 3, 4};
    const std::vector<int8_t> b{5, 6, 7, 8};
    std::vector<int32_t> c(4);
    ASSERT_TRUE(GemmReference({a.data(), 2, 2, 2}, {b.data(), 2, 2, 2}, {c.data(), 2, 2, 2}));
    EXPECT_EQ(c, (std::vector<int32_t>{19, 22, 43, 50}));
}

TEST(GemmTest, OddShapesAllPaths)
{
    std::mt19937 rng{1};
    const size_t dims[]{1, 3, 17, 63, 65, 129};
    const size_t ks[]{1, 2, 3, 4, 5, 7, 17, 63, 65, 129, 257, 260};
    for (const size_t m : dims) {
        for (const size_t n : dims) {
            for (const size_t k : ks) {
                StridedInt8 a{m, k, 5};
                StridedInt8 b{k, n, 7};
                FillRandom(a, rng);
                FillRandom(b, rng);
                ExpectAllPathsMatch(a, b, "random");
                if (HasFatalFailure()) return;
            }
        }
    }
}

TEST(GemmTest, LargeKAllPaths)
{
    std::mt19937 rng{2};
    for (const auto& [m, n, k] : std::vector<std::array<size_t, 3>>{{37, 70, 4608}, {13, 129, 4097}, {100, 64, 2304}}) {
        StridedInt8 a{m, k, 1};
        StridedInt8 b{k, n, 0};
        FillRandom(a, rng);
        FillRandom(b, rng);
        ExpectAllPathsMatch(a, b, "large k");
    }
}

TEST(GemmTest, ExtremeValues)
{
    const size_t m{19};
    const size_t n{67};
    const size_t k{1027};
    using Gen = std::function<int8_t(size_t, size_t)>;
    const std::vector<std::pair<std::string, std::pair<Gen, Gen>>> cases{
        {"all +127", {[](size_t, size_t) { return int8_t{127}; }, [](size_t, size_t) { return int8_t{127}; }}},
        {"all -128", {[](size_t, size_t) { return int8_t{-128}; }, [](size_t, size_t) { return int8_t{-128}; }}},
        {"-128 x 127", {[](size_t, size_t) { return int8_t{-128}; }, [](size_t, size_t) { return int8_t{127}; }}},
        {"127 x -128", {[](size_t, size_t) { return int8_t{127}; }, [](size_t, size_t) { return int8_t{-128}; }}},
        {"all -127", {[](size_t, size_t) { return int8_t{-127}; }, [](size_t, size_t) { return int8_t{-127}; }}},
        {"all zero", {[](size_t, size_t) { return int8_t{0}; }, [](size_t, size_t) { return int8_t{0}; }}},
        {"alternating",
         {[](size_t r, size_t c) { return static_cast<int8_t>((r + c) % 2 ? 127 : -128); },
          [](size_t r, size_t c) { return static_cast<int8_t>((r * 3 + c) % 2 ? -128 : 127); }}},
    };
    for (const auto& [name, gens] : cases) {
        StridedInt8 a{m, k, 2};
        StridedInt8 b{k, n, 2};
        FillWith(a, gens.first);
        FillWith(b, gens.second);
        ExpectAllPathsMatch(a, b, name);
    }
}

TEST(GemmTest, MaximumKIsExact)
{
    // k = 65536 with every product (−128)·(−128) = 2^14: the sum is exactly 2^30,
    // the largest magnitude the API allows; and −2^30 for 127/−128 mixes.
    const size_t k{GEMM_MAX_K};
    StridedInt8 a{7, k, 0};
    StridedInt8 b{k, 33, 0};
    FillWith(a, [](size_t, size_t) { return int8_t{-128}; });
    FillWith(b, [](size_t, size_t c) { return static_cast<int8_t>(c % 2 ? -128 : 127); });
    const std::vector<int32_t> expected{RunReference(a, b)};
    EXPECT_EQ(expected[1], int32_t{1} << 30);
    EXPECT_EQ(expected[0], -128 * 127 * 65536);
    ExpectAllPathsMatch(a, b, "k = 65536");
}

TEST(GemmTest, ThreadCountsGiveIdenticalBytes)
{
    std::mt19937 rng{3};
    std::vector<std::unique_ptr<ThreadPool>> pools;
    for (const size_t threads : {1, 2, 3, 7}) pools.push_back(std::make_unique<ThreadPool>(threads));
    for (const auto& [m, n, k] : std::vector<std::array<size_t, 3>>{{1000, 64, 256}, {289, 131, 67}, {5, 20, 9}}) {
        StridedInt8 a{m, k, 3};
        StridedInt8 b{k, n, 1};
        FillRandom(a, rng);
        FillRandom(b, rng);
        const std::vector<int32_t> expected{RunReference(a, b)};
        for (const GemmIsa isa : SupportedGemmIsas()) {
            for (const auto& pool : pools) {
                ASSERT_EQ(RunFast(a, b, isa, pool.get()), expected)
                    << GemmIsaName(isa) << " threads=" << pool->Size() << " m=" << m;
            }
        }
    }
}

TEST(GemmTest, PackedBReusedAcrossCalls)
{
    std::mt19937 rng{4};
    StridedInt8 b{300, 70, 0};
    FillRandom(b, rng);
    for (const GemmIsa isa : SupportedGemmIsas()) {
        auto packed{PackedB::Pack(b.View(), isa)};
        ASSERT_TRUE(packed) << packed.error_message();
        EXPECT_EQ(packed->K(), 300u);
        EXPECT_EQ(packed->N(), 70u);
        EXPECT_EQ(packed->Isa(), isa);
        EXPECT_EQ(reinterpret_cast<uintptr_t>(packed->Data()) % 64, 0u);
        // Copies keep the 64-byte alignment the kernels load with; moves keep the buffer.
        const PackedB copy{*packed};
        EXPECT_EQ(reinterpret_cast<uintptr_t>(copy.Data()) % 64, 0u);
        PackedB assigned{copy};
        assigned = *packed;
        EXPECT_EQ(reinterpret_cast<uintptr_t>(assigned.Data()) % 64, 0u);
        for (const PackedB* candidate : std::array<const PackedB*, 3>{&*packed, &copy, &assigned}) {
            for (const size_t m : {1, 50}) {
                StridedInt8 a{m, 300, 0};
                FillRandom(a, rng);
                std::vector<int32_t> c(m * 70);
                ASSERT_TRUE(Gemm(a.View(), *candidate, {c.data(), m, 70, 70}));
                EXPECT_EQ(c, RunReference(a, b));
            }
        }
    }
}

TEST(GemmTest, RejectsBadShapes)
{
    std::vector<int8_t> buf(1024);
    std::vector<int32_t> out(1024, SENTINEL);
    const MatrixView<const int8_t> a{buf.data(), 4, 8, 8};
    const MatrixView<const int8_t> b{buf.data(), 8, 4, 4};
    EXPECT_TRUE(GemmReference(a, b, {out.data(), 4, 4, 4}));
    // inner dimensions disagree
    EXPECT_FALSE(GemmReference(a, {buf.data(), 7, 4, 4}, {out.data(), 4, 4, 4}));
    // C of the wrong shape
    EXPECT_FALSE(GemmReference(a, b, {out.data(), 4, 5, 5}));
    EXPECT_FALSE(GemmReference(a, b, {out.data(), 3, 4, 4}));
    // ld smaller than the width, null data
    EXPECT_FALSE(GemmReference({buf.data(), 4, 8, 7}, b, {out.data(), 4, 4, 4}));
    EXPECT_FALSE(GemmReference({nullptr, 4, 8, 8}, b, {out.data(), 4, 4, 4}));
    // k = 0 and k above the bound
    EXPECT_FALSE(PackedB::Pack({buf.data(), 0, 4, 4}, GemmIsa::SCALAR));
    EXPECT_FALSE(PackedB::Pack({buf.data(), GEMM_MAX_K + 1, 0, 0}, GemmIsa::SCALAR));
    EXPECT_FALSE(PackedB::Pack({buf.data(), 4, GEMM_MAX_N + 1, GEMM_MAX_N + 1}, GemmIsa::SCALAR));
    for (const GemmIsa isa : SupportedGemmIsas()) {
        auto packed{PackedB::Pack(b, isa)};
        ASSERT_TRUE(packed);
        std::fill(out.begin(), out.end(), SENTINEL);
        EXPECT_FALSE(Gemm({buf.data(), 4, 7, 7}, *packed, {out.data(), 4, 4, 4}));
        EXPECT_FALSE(Gemm(a, *packed, {out.data(), 4, 3, 3}));
        EXPECT_EQ(out[0], SENTINEL) << "C must be untouched on error";
        // m = 0 is a valid empty product
        EXPECT_TRUE(Gemm({buf.data(), 0, 8, 8}, *packed, {out.data(), 0, 4, 4}));
    }
    for (const GemmIsa isa : {GemmIsa::AVX2, GemmIsa::AVX512_VNNI}) {
        if (!GemmIsaSupported(isa)) {
            EXPECT_FALSE(PackedB::Pack(b, isa));
        }
    }
}

}  // namespace
}  // namespace hpips
