// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/morphology.h"

#include "kernels/padding.h"
#include "kernels/row_cache.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <algorithm>
#include <array>
#include <cstring>
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
        std::vector<uint8_t> padded((static_cast<size_t>(width) + 2 * static_cast<size_t>(r)) * static_cast<size_t>(cn));
        PadConstant(padded.data(), width, cn, r, neutral);
        RowCache<uint8_t> cache{static_cast<size_t>(ksize), row_bytes};
        std::array<int, MAX_MORPH_KSIZE> needed{};
        std::array<const uint8_t*, MAX_MORPH_KSIZE> rows{};
        const auto fill{[&](int row, uint8_t* out) {
            std::memcpy(padded.data() + static_cast<size_t>(r) * static_cast<size_t>(cn), src.Row(row), row_bytes);
            rk.morph_h(padded.data(), out, row_bytes, static_cast<size_t>(cn), ksize, dilate);
        }};
        for (int y = y0; y < y1; ++y) {
            const int first{std::max(0, y - r)};
            const int last{std::min(height - 1, y + r)};
            const int count{last - first + 1};
            for (int k = 0; k < count; ++k) needed[static_cast<size_t>(k)] = first + k;
            cache.Get(needed.data(), count, rows.data(), fill);
            rk.morph_v(rows.data(), count, dst.Row(y), row_bytes, dilate);
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
