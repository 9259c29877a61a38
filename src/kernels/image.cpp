// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/image.h"

#include <cassert>
#include <cstring>
#include <string>

namespace hpips {

ImageView ImageView::Sub(int x, int y, int w, int h) const
{
    assert(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width && y + h <= height);
    return ImageView{data + static_cast<size_t>(y) * stride + static_cast<size_t>(x) * static_cast<size_t>(channels),
                     w, h, channels, stride};
}

MutableImageView MutableImageView::Sub(int x, int y, int w, int h) const
{
    assert(x >= 0 && y >= 0 && w >= 0 && h >= 0 && x + w <= width && y + h <= height);
    return MutableImageView{data + static_cast<size_t>(y) * stride + static_cast<size_t>(x) * static_cast<size_t>(channels),
                            w, h, channels, stride};
}

Result<void> CheckImageShape(int width, int height, int channels)
{
    if (channels != 1 && channels != MAX_IMAGE_CHANNELS) {
        return Error{"image must have 1 or 3 channels, not " + std::to_string(channels)};
    }
    if (width < 1 || height < 1 || width > MAX_IMAGE_DIMENSION || height > MAX_IMAGE_DIMENSION) {
        return Error{"image size " + std::to_string(width) + "x" + std::to_string(height) + " out of range 1.." +
                     std::to_string(MAX_IMAGE_DIMENSION)};
    }
    if (static_cast<size_t>(width) * static_cast<size_t>(height) > MAX_IMAGE_PIXELS) {
        return Error{"image of " + std::to_string(width) + "x" + std::to_string(height) + " exceeds " +
                     std::to_string(MAX_IMAGE_PIXELS) + " pixels"};
    }
    return {};
}

Result<void> CheckView(const ImageView& view)
{
    if (auto shape{CheckImageShape(view.width, view.height, view.channels)}; !shape) return shape;
    if (view.data == nullptr) return Error{"image view has no data"};
    if (view.stride < view.RowBytes()) return Error{"image stride shorter than a row"};
    return {};
}

bool ViewsOverlap(const ImageView& a, const ImageView& b)
{
    if (a.height <= 0 || b.height <= 0 || a.RowBytes() == 0 || b.RowBytes() == 0) return false;
    const auto a_begin{reinterpret_cast<uintptr_t>(a.data)};
    const auto a_end{a_begin + static_cast<uintptr_t>(a.height - 1) * a.stride + a.RowBytes()};
    const auto b_begin{reinterpret_cast<uintptr_t>(b.data)};
    const auto b_end{b_begin + static_cast<uintptr_t>(b.height - 1) * b.stride + b.RowBytes()};
    return a_begin < b_end && b_begin < a_end;
}

Result<void> CheckSrcDst(const ImageView& src, const MutableImageView& dst, int src_channels, int dst_channels)
{
    if (auto ok{CheckView(src)}; !ok) return Error{"input: " + ok.error_message()};
    if (auto ok{CheckView(dst.AsConst())}; !ok) return Error{"output: " + ok.error_message()};
    if (src_channels != 0 && src.channels != src_channels) {
        return Error{"input must have " + std::to_string(src_channels) + " channel(s)"};
    }
    const int want{dst_channels != 0 ? dst_channels : src.channels};
    if (dst.width != src.width || dst.height != src.height || dst.channels != want) {
        return Error{"output shape does not match the input"};
    }
    if (ViewsOverlap(src, dst.AsConst())) return Error{"output overlaps the input"};
    return {};
}

Result<Image> Image::Create(int width, int height, int channels)
{
    if (auto shape{CheckImageShape(width, height, channels)}; !shape) return shape.error();
    Image image;
    image.m_width = width;
    image.m_height = height;
    image.m_channels = channels;
    image.m_data.assign(static_cast<size_t>(width) * static_cast<size_t>(height) * static_cast<size_t>(channels), 0);
    return image;
}

Result<Image> Image::CopyOf(const ImageView& view)
{
    if (auto ok{CheckView(view)}; !ok) return ok.error();
    auto image{Create(view.width, view.height, view.channels)};
    if (!image) return image;
    const size_t row_bytes{view.RowBytes()};
    for (int y = 0; y < view.height; ++y) {
        std::memcpy(image->Data() + static_cast<size_t>(y) * row_bytes, view.Row(y), row_bytes);
    }
    return image;
}

}  // namespace hpips
