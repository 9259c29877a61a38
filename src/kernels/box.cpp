// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/box.h"

#include "kernels/padding.h"
#include "kernels/pixel_ops.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <algorithm>
#include <string>
#include <vector>

namespace hpips {

BoxDivisor MakeBoxDivisor(uint32_t area)
{
    const uint32_t one{1U << BOX_DIV_SHIFT};
    BoxDivisor div{one / area, area / 2};
    // The fraction (one % area) / area compared with one half, in integers.
    if (2 * (one % area) < area) {
        ++div.delta;
    } else {
        ++div.scale;
    }
    return div;
}

Result<void> BoxBlur(const ImageView& src, const MutableImageView& dst, int ksize, ThreadPool& pool)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    if (ksize < MIN_BOX_KSIZE || ksize > MAX_BOX_KSIZE || ksize % 2 == 0) {
        return Error{"box kernel size must be odd, " + std::to_string(MIN_BOX_KSIZE) + ".." +
                     std::to_string(MAX_BOX_KSIZE)};
    }
    const BoxDivisor div{MakeBoxDivisor(static_cast<uint32_t>(ksize * ksize))};
    const int width{src.width};
    const int height{src.height};
    const int cn{src.channels};
    const int r{ksize / 2};
    const size_t row_bytes{src.RowBytes()};
    const size_t offset{static_cast<size_t>(r) * static_cast<size_t>(cn)};
    const RowKernels& rk{SelectRowKernels()};

    ForEachRowChunk(pool, height, row_bytes, [&](int y0, int y1) {
        // Column sums over the K rows around y, kept up to date by adding the
        // entering row and subtracting the leaving one (exact modulo 2^16,
        // and every true sum is below 2^16). The padded border columns copy
        // the reflected columns' sums.
        std::vector<uint16_t> colsum(row_bytes + 2 * offset, 0);
        uint16_t* main{colsum.data() + offset};
        for (int k = -r; k <= r; ++k) rk.col_add(main, src.Row(Reflect101(y0 + k, height)), row_bytes);
        for (int y = y0; y < y1; ++y) {
            if (y > y0) {
                rk.col_update(main, src.Row(Reflect101(y + r, height)), src.Row(Reflect101(y - r - 1, height)),
                              row_bytes);
            }
            PadReflect101(colsum.data(), width, cn, r);
            rk.box_h(colsum.data(), dst.Row(y), row_bytes, static_cast<size_t>(cn), ksize, div.scale, div.delta);
        }
    });
    return {};
}

}  // namespace hpips
