// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/threshold.h"

#include "kernels/row_chunks.h"
#include "kernels/row_kernels.h"

#include <array>
#include <utility>

namespace hpips {
namespace {

constexpr std::array<std::pair<std::string_view, ThresholdMode>, 5> MODE_NAMES{{
    {"binary", ThresholdMode::BINARY},
    {"binary_inv", ThresholdMode::BINARY_INV},
    {"trunc", ThresholdMode::TRUNC},
    {"tozero", ThresholdMode::TOZERO},
    {"tozero_inv", ThresholdMode::TOZERO_INV},
}};

}  // namespace

Result<void> Threshold(const ImageView& src, const MutableImageView& dst, uint8_t thresh, uint8_t maxval,
                       ThresholdMode mode, ThreadPool& pool)
{
    const bool in_place{src.data == dst.data && src.stride == dst.stride};
    if (in_place) {
        if (auto ok{CheckView(src)}; !ok) return ok;
        if (dst.width != src.width || dst.height != src.height || dst.channels != src.channels) {
            return Error{"output shape does not match the input"};
        }
    } else if (auto ok{CheckSrcDst(src, dst, 0, 0)}; !ok) {
        return ok;
    }
    const RowKernels& rk{SelectRowKernels()};
    ForEachRowChunk(pool, src.height, src.RowBytes(), [&](int y0, int y1) {
        for (int y = y0; y < y1; ++y) rk.threshold(src.Row(y), dst.Row(y), src.RowBytes(), thresh, maxval, mode);
    });
    return {};
}

std::optional<ThresholdMode> ParseThresholdMode(std::string_view name)
{
    for (const auto& [n, m] : MODE_NAMES) {
        if (n == name) return m;
    }
    return std::nullopt;
}

std::string_view ThresholdModeName(ThresholdMode mode)
{
    for (const auto& [n, m] : MODE_NAMES) {
        if (m == mode) return n;
    }
    return "binary";
}

}  // namespace hpips
