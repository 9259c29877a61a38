// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/gaussian.h"

#include "kernels/padding.h"
#include "kernels/pixel_ops.h"
#include "kernels/row_cache.h"
#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <array>
#include <string>
#include <vector>

namespace hpips {

Result<void> GaussianBlur(const ImageView& src, const MutableImageView& dst, int ksize, uint32_t sigma_milli,
                          ThreadPool& pool)
{
    if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) return ok;
    if (ksize < MIN_GAUSS_KSIZE || ksize > MAX_GAUSS_KSIZE || ksize % 2 == 0) {
        return Error{"gauss kernel size must be odd, " + std::to_string(MIN_GAUSS_KSIZE) + ".." +
                     std::to_string(MAX_GAUSS_KSIZE)};
    }
    if (sigma_milli > MAX_GAUSS_SIGMA_MILLI) return Error{"gauss sigma out of range"};

    // OpenCV shrinks the kernel to one tap along an axis of length 1.
    const int kx{src.width == 1 ? 1 : ksize};
    const int ky{src.height == 1 ? 1 : ksize};
    auto coef_x{GaussianKernelQ8(kx, sigma_milli)};
    auto coef_y{GaussianKernelQ8(ky, sigma_milli)};
    if (!coef_x || !coef_y) return Error{"gauss kernel derivation failed"};

    const int width{src.width};
    const int height{src.height};
    const int cn{src.channels};
    const size_t row_bytes{src.RowBytes()};
    const int rx{kx / 2};
    const int ry{ky / 2};
    const RowKernels& rk{SelectRowKernels()};

    ForEachRowChunk(pool, height, row_bytes, [&](int y0, int y1) {
        std::vector<uint8_t> scratch(RowBorderScratchBytes(width, cn, rx));
        RowCache<uint16_t> cache{static_cast<size_t>(ky), row_bytes};
        std::array<int, MAX_GAUSS_KSIZE> needed{};
        std::array<const uint16_t*, MAX_GAUSS_KSIZE> rows{};
        const auto fill{[&](int r, uint16_t* out) {
            ForRowWithBorder(src.Row(r), width, cn, rx, RowBorder{true, 0}, scratch.data(),
                             [&](const uint8_t* padded, size_t first, size_t bytes) {
                                 rk.gauss_h(padded, out + first, bytes, static_cast<size_t>(cn), coef_x->data(), kx);
                             });
        }};
        for (int y = y0; y < y1; ++y) {
            for (int k = 0; k < ky; ++k) needed[static_cast<size_t>(k)] = Reflect101(y - ry + k, height);
            cache.Get(needed.data(), ky, rows.data(), fill);
            rk.gauss_v(rows.data(), coef_y->data(), ky, dst.Row(y), row_bytes);
        }
    });
    return {};
}

}  // namespace hpips
