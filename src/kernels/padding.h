// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_PADDING_H
#define HPIPS_KERNELS_PADDING_H

#include "kernels/pixel_ops.h"

#include <cstddef>
#include <cstdint>

namespace hpips {

/** Fills the `radius` pixels on each side of a padded row whose `width`
 *  pixels of `cn` interleaved values already sit at padded + radius * cn,
 *  mirroring them with BORDER_REFLECT_101 (Reflect101), as often as needed
 *  for rows narrower than the radius. */
template <typename T>
void PadReflect101(T* padded, int width, int cn, int radius)
{
    const size_t ucn{static_cast<size_t>(cn)};
    T* row{padded + static_cast<size_t>(radius) * ucn};
    for (int p = 1; p <= radius; ++p) {
        const T* left{row + static_cast<size_t>(Reflect101(-p, width)) * ucn};
        const T* right{row + static_cast<size_t>(Reflect101(width - 1 + p, width)) * ucn};
        T* left_dst{row - static_cast<size_t>(p) * ucn};
        T* right_dst{row + static_cast<size_t>(width - 1 + p) * ucn};
        for (size_t c = 0; c < ucn; ++c) {
            left_dst[c] = left[c];
            right_dst[c] = right[c];
        }
    }
}

/** Fills the `radius` pixels on each side of a padded row with `value`. */
inline void PadConstant(uint8_t* padded, int width, int cn, int radius, uint8_t value)
{
    const size_t side{static_cast<size_t>(radius) * static_cast<size_t>(cn)};
    const size_t row_bytes{static_cast<size_t>(width) * static_cast<size_t>(cn)};
    for (size_t i = 0; i < side; ++i) {
        padded[i] = value;
        padded[side + row_bytes + i] = value;
    }
}

}  // namespace hpips

#endif  // HPIPS_KERNELS_PADDING_H
