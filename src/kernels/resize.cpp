// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/resize.h"

#include "kernels/pixel_ops.h"
#include "kernels/row_cache.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"
#include "kernels/soft_double.h"

#include <array>
#include <cstring>
#include <string>

namespace hpips {

std::vector<ResizeTap> ResizeTaps(int src_size, int dst_size)
{
    std::vector<ResizeTap> taps(static_cast<size_t>(dst_size));
    const SoftDouble inv_scale{SoftDouble::FromInt(dst_size) / SoftDouble::FromInt(src_size)};
    const SoftDouble scale{SoftDouble::One() / inv_scale};
    const SoftDouble half{SoftDouble::FromBits(0x3FE0000000000000ULL)};
    const SoftDouble unit{SoftDouble::FromInt(COEF_ONE)};
    const auto last{static_cast<uint32_t>(src_size - 1)};
    for (int d = 0; d < dst_size; ++d) {
        const SoftDouble f{scale * (SoftDouble::FromInt(d) + half) - half};
        const int32_t i{f.FloorToInt32()};
        ResizeTap& tap{taps[static_cast<size_t>(d)]};
        if (i >= 0 && src_size > 1) {
            if (i < src_size - 1) {
                const SoftDouble frac{f - SoftDouble::FromInt(i)};
                // ufixedpoint16 from softdouble: negative -> 0, else round to even.
                const auto w1{static_cast<uint16_t>(frac.IsNegative() ? 0 : (frac * unit).RoundToInt32())};
                tap = ResizeTap{static_cast<uint32_t>(i), static_cast<uint32_t>(i) + 1,
                                static_cast<uint16_t>(w1 >= COEF_ONE ? 0 : COEF_ONE - w1), w1};
            } else {
                tap = ResizeTap{last, last, static_cast<uint16_t>(COEF_ONE), 0};
            }
        } else {
            tap = ResizeTap{0, 0, static_cast<uint16_t>(COEF_ONE), 0};
        }
    }
    return taps;
}

Result<void> Resize(const ImageView& src, const MutableImageView& dst, ThreadPool& pool)
{
    if (auto ok{CheckView(src)}; !ok) return Error{"input: " + ok.error_message()};
    if (auto ok{CheckView(dst.AsConst())}; !ok) return Error{"output: " + ok.error_message()};
    if (dst.channels != src.channels) return Error{"output channels differ from the input"};
    if (dst.width > MAX_RESIZE_DIMENSION || dst.height > MAX_RESIZE_DIMENSION) {
        return Error{"resize target larger than " + std::to_string(MAX_RESIZE_DIMENSION)};
    }
    if (ViewsOverlap(src, dst.AsConst())) return Error{"output overlaps the input"};

    const size_t cn{static_cast<size_t>(src.channels)};
    const size_t dst_row_bytes{dst.RowBytes()};
    const RowKernels& rk{SelectRowKernels()};

    if (dst.width == src.width && dst.height == src.height) {
        for (int y = 0; y < src.height; ++y) std::memcpy(dst.Row(y), src.Row(y), dst_row_bytes);
        return {};
    }
    if (src.width == 2 * dst.width && src.height == 2 * dst.height) {
        ForEachRowChunk(pool, dst.height, dst_row_bytes, [&](int y0, int y1) {
            for (int y = y0; y < y1; ++y) {
                rk.half_down(src.Row(2 * y), src.Row(2 * y + 1), dst.Row(y), static_cast<size_t>(dst.width), cn);
            }
        });
        return {};
    }

    const std::vector<ResizeTap> xtaps{ResizeTaps(src.width, dst.width)};
    const std::vector<ResizeTap> ytaps{ResizeTaps(src.height, dst.height)};
    const size_t dw{static_cast<size_t>(dst.width)};
    std::vector<uint32_t> ofs0(dw);
    std::vector<uint32_t> ofs1(dw);
    std::vector<uint16_t> w0(dw);
    std::vector<uint16_t> w1(dw);
    for (size_t d = 0; d < dw; ++d) {
        ofs0[d] = xtaps[d].index0 * static_cast<uint32_t>(cn);
        ofs1[d] = xtaps[d].index1 * static_cast<uint32_t>(cn);
        w0[d] = xtaps[d].weight0;
        w1[d] = xtaps[d].weight1;
    }

    ForEachRowChunk(pool, dst.height, dst_row_bytes, [&](int y0, int y1) {
        constexpr int TAPS{2};
        RowCache<uint16_t> cache{TAPS, dst_row_bytes};
        std::array<int, TAPS> needed{};
        std::array<const uint16_t*, TAPS> rows{};
        const auto fill{[&](int r, uint16_t* out) {
            rk.resize_h(src.Row(r), src.RowBytes(), out, dw, cn, ofs0.data(), ofs1.data(), w0.data(), w1.data());
        }};
        for (int y = y0; y < y1; ++y) {
            const ResizeTap& tap{ytaps[static_cast<size_t>(y)]};
            needed[0] = static_cast<int>(tap.index0);
            needed[1] = static_cast<int>(tap.index1);
            cache.Get(needed.data(), TAPS, rows.data(), fill);
            rk.resize_v(rows[0], rows[1], tap.weight0, tap.weight1, dst.Row(y), dst_row_bytes);
        }
    });
    return {};
}

}  // namespace hpips
