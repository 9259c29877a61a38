// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/sobel.h"

#include "kernels/padding.h"
#include "kernels/pixel_ops.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <algorithm>
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
        // Three padded rows of scratch, used whole for rows of 1 or 2 pixels
        // and for the edge pixels otherwise; the interior reads the source.
        const size_t slot{std::max(padded_len, 6 * static_cast<size_t>(cn))};
        std::vector<uint8_t> scratch(3 * slot);
        std::array<uint8_t*, TAPS> pad{scratch.data(), scratch.data() + slot, scratch.data() + 2 * slot};
        std::array<const uint8_t*, TAPS> rows{};
        for (int y = y0; y < y1; ++y) {
            for (int k = 0; k < TAPS; ++k) rows[static_cast<size_t>(k)] = src.Row(Reflect101(y - 1 + k, height));
            if (width < 3) {
                for (size_t k = 0; k < TAPS; ++k) {
                    std::memcpy(pad[k] + cn, rows[k], row_bytes);
                    PadReflect101(pad[k], width, cn, 1);
                }
                rk.sobel_mag(pad[0], pad[1], pad[2], dst.Row(y), row_bytes, static_cast<size_t>(cn));
                continue;
            }
            const size_t ucn{static_cast<size_t>(cn)};
            // Interior pixels 1..width-2 read pixels 0..width-1 directly.
            rk.sobel_mag(rows[0], rows[1], rows[2], dst.Row(y) + ucn, row_bytes - 2 * ucn, ucn);
            // Pixel 0 (padded -1, 0, 1) and pixel width-1 (width-2, width-1, width).
            for (size_t k = 0; k < TAPS; ++k) {
                const uint8_t* r{rows[k]};
                for (size_t c = 0; c < ucn; ++c) {
                    pad[k][c] = r[ucn + c];  // Reflect101(-1) = 1
                    pad[k][ucn + c] = r[c];
                    pad[k][2 * ucn + c] = r[ucn + c];
                    pad[k][3 * ucn + c] = r[row_bytes - 2 * ucn + c];
                    pad[k][4 * ucn + c] = r[row_bytes - ucn + c];
                    pad[k][5 * ucn + c] = r[row_bytes - 2 * ucn + c];  // Reflect101(width) = width - 2
                }
            }
            rk.sobel_mag(pad[0], pad[1], pad[2], dst.Row(y), ucn, ucn);
            rk.sobel_mag(pad[0] + 3 * ucn, pad[1] + 3 * ucn, pad[2] + 3 * ucn, dst.Row(y) + row_bytes - ucn, ucn, ucn);
        }
    });
    return {};
}

}  // namespace hpips
