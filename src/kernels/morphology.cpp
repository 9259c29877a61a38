// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/morphology.h"

#include "kernels/padding.h"
#include "kernels/row_cache.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <algorithm>
#include <array>
#include <string>
#include <vector>

namespace hpips {
namespace {

Result<void> Morph(const ImageView& src, const MutableImageView& dst, int ksize, bool dilate, ThreadPool& pool)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    if (ksize < MIN_MORPH_KSIZE || ksize > MAX_MORPH_KSIZE || ksize % 2 == 0) {
        return Error{std::string{dilate ? "dilate" : "erode"} + " kernel size must be odd, " +
                     std::to_string(MIN_MORPH_KSIZE) + ".." + std::to_string(MAX_MORPH_KSIZE)};
    }
    const int width{src.width};
    const int height{src.height};
    const int cn{src.channels};
    const int r{ksize / 2};
    const size_t row_bytes{src.RowBytes()};
    // The value that never wins: outside pixels act as +inf (erode) or -inf.
    const uint8_t neutral{static_cast<uint8_t>(dilate ? 0 : 255)};
    const RowKernels& rk{SelectRowKernels()};

    ForEachRowChunk(pool, height, row_bytes, [&](int y0, int y1) {
        std::vector<uint8_t> scratch(RowBorderScratchBytes(width, cn, r));
        // One slot more than the window: two neighbouring output rows share
        // K - 1 source rows and are computed together.
        RowCache<uint8_t> cache{static_cast<size_t>(ksize) + 1, row_bytes};
        std::array<int, MAX_MORPH_KSIZE + 1> needed{};
        std::array<const uint8_t*, MAX_MORPH_KSIZE + 1> rows{};
        const auto fill{[&](int row, uint8_t* out) {
            ForRowWithBorder(src.Row(row), width, cn, r, RowBorder{false, neutral}, scratch.data(),
                             [&](const uint8_t* padded, size_t first, size_t bytes) {
                                 rk.morph_h(padded, out + first, bytes, static_cast<size_t>(cn), ksize, dilate);
                             });
        }};
        for (int y = y0; y < y1;) {
            if (y + 1 < y1 && y - r >= 0 && y + 1 + r < height) {
                for (int k = 0; k <= ksize; ++k) needed[static_cast<size_t>(k)] = y - r + k;
                cache.Get(needed.data(), ksize + 1, rows.data(), fill);
                rk.morph_v2(rows.data(), ksize + 1, dst.Row(y), dst.Row(y + 1), row_bytes, dilate);
                y += 2;
                continue;
            }
            const int first{std::max(0, y - r)};
            const int last{std::min(height - 1, y + r)};
            const int count{last - first + 1};
            for (int k = 0; k < count; ++k) needed[static_cast<size_t>(k)] = first + k;
            cache.Get(needed.data(), count, rows.data(), fill);
            rk.morph_v(rows.data(), count, dst.Row(y), row_bytes, dilate);
            ++y;
        }
    });
    return {};
}

}  // namespace

Result<void> Erode(const ImageView& src, const MutableImageView& dst, int ksize, ThreadPool& pool)
{
    return Morph(src, dst, ksize, false, pool);
}

Result<void> Dilate(const ImageView& src, const MutableImageView& dst, int ksize, ThreadPool& pool)
{
    return Morph(src, dst, ksize, true, pool);
}

}  // namespace hpips
