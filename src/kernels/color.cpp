// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/color.h"

#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

namespace hpips {

Result<void> BgrToGray(const ImageView& src, const MutableImageView& dst, ThreadPool& pool)
{
    if (auto ok{CheckSrcDst(src, dst, 3, 1)}; !ok) return ok;
    const RowKernels& rk{SelectRowKernels()};
    ForEachRowChunk(pool, src.height, src.RowBytes(), [&](int y0, int y1) {
        for (int y = y0; y < y1; ++y) rk.gray(src.Row(y), dst.Row(y), static_cast<size_t>(src.width));
    });
    return {};
}

}  // namespace hpips
