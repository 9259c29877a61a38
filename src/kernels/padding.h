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

/** How the pixels beyond a row's ends are made up. */
struct RowBorder {
    /** true: BORDER_REFLECT_101; false: every border byte is `value`. */
    bool reflect;
    uint8_t value;
};

/** Bytes of scratch ForRowWithBorder needs for a row of `width` pixels. */
inline size_t RowBorderScratchBytes(int width, int cn, int radius)
{
    return (static_cast<size_t>(width) + 2 * static_cast<size_t>(radius)) * static_cast<size_t>(cn);
}

/** Runs a horizontal row operation over one source row as if the row were
 *  padded by `radius` pixels on each side, without copying the whole row:
 *  op(padded, first, bytes) must write output bytes [first, first + bytes)
 *  reading padded[0 .. bytes + 2 * radius * cn), where `padded` starts
 *  `radius` pixels left of output byte `first`. The interior reads the
 *  source row directly; only the edges (or a narrow row) go through
 *  `scratch` (RowBorderScratchBytes bytes). */
template <typename Op>
void ForRowWithBorder(const uint8_t* row, int width, int cn, int radius, RowBorder border, uint8_t* scratch, Op&& op)
{
    const size_t ucn{static_cast<size_t>(cn)};
    const size_t r_bytes{static_cast<size_t>(radius) * ucn};
    const auto pixel{[&](int q, uint8_t* out) {
        if (q >= 0 && q < width) {
            for (size_t c = 0; c < ucn; ++c) out[c] = row[static_cast<size_t>(q) * ucn + c];
        } else if (border.reflect) {
            const int p{Reflect101(q, width)};
            for (size_t c = 0; c < ucn; ++c) out[c] = row[static_cast<size_t>(p) * ucn + c];
        } else {
            for (size_t c = 0; c < ucn; ++c) out[c] = border.value;
        }
    }};
    if (radius == 0) {
        op(row, 0, static_cast<size_t>(width) * ucn);
        return;
    }
    if (width <= 4 * radius) {
        for (int q = -radius; q < width + radius; ++q) pixel(q, scratch + static_cast<size_t>(q + radius) * ucn);
        op(scratch, 0, static_cast<size_t>(width) * ucn);
        return;
    }
    // Left edge: outputs 0..radius-1 read pixels -radius..2*radius-1.
    for (int q = -radius; q < 2 * radius; ++q) pixel(q, scratch + static_cast<size_t>(q + radius) * ucn);
    op(scratch, 0, r_bytes);
    // Interior: outputs radius..width-radius-1 read pixels 0..width-1.
    op(row, r_bytes, static_cast<size_t>(width - 2 * radius) * ucn);
    // Right edge: outputs width-radius..width-1 read pixels width-2*radius..width+radius-1.
    for (int q = width - 2 * radius; q < width + radius; ++q) {
        pixel(q, scratch + static_cast<size_t>(q - (width - 2 * radius)) * ucn);
    }
    op(scratch, static_cast<size_t>(width - radius) * ucn, r_bytes);
}

}  // namespace hpips

#endif  // HPIPS_KERNELS_PADDING_H
