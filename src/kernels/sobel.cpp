// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/sobel.h"

#include "kernels/padding.h"
#include "kernels/pixel_ops.h"
#include "kernels/row_cache.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <array>
#include <cstring>
#include <vector>

namespace hpips {

Result<void> SobelMagnitude(const ImageView& src, const MutableImageView& dst, ThreadPool& pool)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    constexpr int TAPS{3};
    const int width{src.width};
    const int height{src.height};
    const int cn{src.channels};
    const size_t row_bytes{src.RowBytes()};
    const size_t padded_len{(static_cast<size_t>(width) + 2) * static_cast<size_t>(cn)};
    const RowKernels& rk{SelectRowKernels()};

    ForEachRowChunk(pool, height, row_bytes, [&](int y0, int y1) {
        RowCache<uint8_t> cache{TAPS, padded_len};
        std::array<int, TAPS> needed{};
        std::array<const uint8_t*, TAPS> rows{};
        const auto fill{[&](int r, uint8_t* out) {
            std::memcpy(out + cn, src.Row(r), row_bytes);
            PadReflect101(out, width, cn, 1);
        }};
        for (int y = y0; y < y1; ++y) {
            for (int k = 0; k < TAPS; ++k) needed[static_cast<size_t>(k)] = Reflect101(y - 1 + k, height);
            cache.Get(needed.data(), TAPS, rows.data(), fill);
            rk.sobel_mag(rows[0], rows[1], rows[2], dst.Row(y), row_bytes, static_cast<size_t>(cn));
        }
    });
    return {};
}

}  // namespace hpips
