// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Every instruction-set table must produce the same bytes as the portable one
// (the ops' OpenCV comparisons run whichever table the CPU selects).
#include "kernels/row_kernels.h"

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace hpips {
namespace {

std::vector<const RowKernels*> Tables()
{
    std::vector<const RowKernels*> tables;
    if (const RowKernels* t{Avx2RowKernels()}; t && __builtin_cpu_supports("avx2")) tables.push_back(t);
    if (const RowKernels* t{Avx512RowKernels()}; t && __builtin_cpu_supports("avx512f") && __builtin_cpu_supports("avx512bw")) {
        tables.push_back(t);
    }
    return tables;
}

template <typename T>
std::vector<T> Random(std::mt19937& rng, size_t n, uint32_t max)
{
    std::vector<T> v(n);
    for (T& x : v) x = static_cast<T>(rng() % (max + 1));
    return v;
}

TEST(RowKernelsTests, SelectedTableIsKnown)
{
    const RowKernels& selected{SelectRowKernels()};
    EXPECT_NE(selected.name, nullptr);
    EXPECT_NE(selected.gauss_h, nullptr);
}

TEST(RowKernelsTests, EveryTableMatchesPortable)
{
    const RowKernels& base{PortableRowKernels()};
    std::mt19937 rng{81};
    for (const RowKernels* t : Tables()) {
        SCOPED_TRACE(t->name);
        for (size_t n : {size_t{1}, size_t{7}, size_t{63}, size_t{64}, size_t{65}, size_t{300}, size_t{1001}}) {
            for (size_t cn : {size_t{1}, size_t{3}}) {
                const size_t bytes{n * cn};
                const auto src{Random<uint8_t>(rng, bytes + 32 * cn, 255)};
                std::vector<uint8_t> a(bytes);
                std::vector<uint8_t> b(bytes);
                std::vector<uint16_t> a16(bytes);
                std::vector<uint16_t> b16(bytes);
                for (int k = 1; k <= 15; k += 2) {
                    std::vector<uint16_t> coef(static_cast<size_t>(k), 0);
                    uint32_t left{256};
                    for (int i = 0; i < k / 2; ++i) {
                        coef[static_cast<size_t>(i)] = coef[static_cast<size_t>(k - 1 - i)] = static_cast<uint16_t>(rng() % (left / 2 / static_cast<uint32_t>(k / 2 - i) + 1));
                        left -= 2 * coef[static_cast<size_t>(i)];
                    }
                    coef[static_cast<size_t>(k / 2)] = static_cast<uint16_t>(left);
                    base.gauss_h(src.data(), a16.data(), bytes, cn, coef.data(), k);
                    t->gauss_h(src.data(), b16.data(), bytes, cn, coef.data(), k);
                    ASSERT_EQ(a16, b16) << "gauss_h k=" << k;
                    std::vector<std::vector<uint16_t>> rows;
                    std::vector<const uint16_t*> ptrs;
                    for (int r = 0; r < k; ++r) rows.push_back(Random<uint16_t>(rng, bytes, 255 * 256));
                    for (const auto& r : rows) ptrs.push_back(r.data());
                    base.gauss_v(ptrs.data(), coef.data(), k, a.data(), bytes);
                    t->gauss_v(ptrs.data(), coef.data(), k, b.data(), bytes);
                    ASSERT_EQ(a, b) << "gauss_v k=" << k;
                    for (bool dilate : {false, true}) {
                        base.morph_h(src.data(), a.data(), bytes, cn, k, dilate);
                        t->morph_h(src.data(), b.data(), bytes, cn, k, dilate);
                        ASSERT_EQ(a, b) << "morph_h";
                    }
                    const auto colsum{Random<uint16_t>(rng, bytes + 16 * cn, 3825)};
                    base.box_h(colsum.data(), a.data(), bytes, cn, k, 37283 + static_cast<uint32_t>(k), 113);
                    t->box_h(colsum.data(), b.data(), bytes, cn, k, 37283 + static_cast<uint32_t>(k), 113);
                    ASSERT_EQ(a, b) << "box_h";
                }
                base.sobel_mag(src.data(), src.data() + 5, src.data() + 9, a.data(), bytes, cn);
                t->sobel_mag(src.data(), src.data() + 5, src.data() + 9, b.data(), bytes, cn);
                ASSERT_EQ(a, b) << "sobel";
                for (int mode = 0; mode < 5; ++mode) {
                    base.threshold(src.data(), a.data(), bytes, 100, 200, static_cast<ThresholdMode>(mode));
                    t->threshold(src.data(), b.data(), bytes, 100, 200, static_cast<ThresholdMode>(mode));
                    ASSERT_EQ(a, b) << "threshold";
                }
                const auto bgr{Random<uint8_t>(rng, 3 * n, 255)};
                base.gray(bgr.data(), a.data(), n);
                t->gray(bgr.data(), b.data(), n);
                ASSERT_EQ(std::vector<uint8_t>(a.begin(), a.begin() + static_cast<long>(n)),
                          std::vector<uint8_t>(b.begin(), b.begin() + static_cast<long>(n)));
                // Horizontal resize taps: clamped on the left, interior pairs,
                // clamped to the last pixel on the right (as ResizeTaps makes).
                const size_t dst_width{n * 2 + 5};
                std::vector<uint32_t> o0(dst_width);
                std::vector<uint32_t> o1(dst_width);
                std::vector<uint16_t> w0(dst_width);
                std::vector<uint16_t> w1(dst_width);
                for (size_t d = 0; d < dst_width; ++d) {
                    const size_t pos{d < 3 ? 0 : (d - 3) / 2};
                    const bool clamped{d < 3 || pos + 1 >= n};
                    const size_t p0{clamped ? (d < 3 ? 0 : n - 1) : pos};
                    o0[d] = static_cast<uint32_t>(p0 * cn);
                    o1[d] = static_cast<uint32_t>((clamped ? p0 : p0 + 1) * cn);
                    w1[d] = clamped ? 0 : static_cast<uint16_t>(rng() % 257);
                    w0[d] = static_cast<uint16_t>(256 - w1[d]);
                }
                std::vector<uint16_t> ha(dst_width * cn);
                std::vector<uint16_t> hb(dst_width * cn);
                const std::vector<uint8_t> row(src.begin(), src.begin() + static_cast<long>(bytes));
                base.resize_h(row.data(), bytes, ha.data(), dst_width, cn, o0.data(), o1.data(), w0.data(), w1.data());
                t->resize_h(row.data(), bytes, hb.data(), dst_width, cn, o0.data(), o1.data(), w0.data(), w1.data());
                ASSERT_EQ(ha, hb) << "resize_h";
                {
                    const auto h0{Random<uint8_t>(rng, 2 * bytes, 255)};
                    const auto h1{Random<uint8_t>(rng, 2 * bytes, 255)};
                    base.half_down(h0.data(), h1.data(), a.data(), n, cn);
                    t->half_down(h0.data(), h1.data(), b.data(), n, cn);
                    ASSERT_EQ(a, b) << "half_down";
                }
                const auto r0{Random<uint16_t>(rng, bytes, 65280)};
                const auto r1{Random<uint16_t>(rng, bytes, 65280)};
                base.resize_v(r0.data(), r1.data(), 100, 156, a.data(), bytes);
                t->resize_v(r0.data(), r1.data(), 100, 156, b.data(), bytes);
                ASSERT_EQ(a, b) << "resize_v";
            }
        }
    }
}

}  // namespace
}  // namespace hpips
