// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_IMAGE_H
#define HPIPS_KERNELS_IMAGE_H

#include "util/result.h"

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpips {

/** Largest width or height of any image the light kernels accept. */
constexpr int MAX_IMAGE_DIMENSION{65536};
/** Largest pixel count (width * height) of any image: 64 Mpixel, so a
 *  3-channel image stays under 200 MB. */
constexpr size_t MAX_IMAGE_PIXELS{size_t{1} << 26};
/** Channel counts the light kernels accept: gray or interleaved BGR. */
constexpr int MAX_IMAGE_CHANNELS{3};

/** A read-only, non-owning view of an 8-bit image: `height` rows of
 *  `width * channels` interleaved bytes (BGR order for 3 channels, as
 *  OpenCV's imread loads them), row y starting at `data + y * stride`.
 *  A view may point into a larger image (stride > width * channels). */
struct ImageView {
    const uint8_t* data{nullptr};
    int width{0};
    int height{0};
    int channels{0};
    size_t stride{0};

    /** Start of row y (0 <= y < height). */
    const uint8_t* Row(int y) const { return data + static_cast<size_t>(y) * stride; }
    /** Bytes of pixel data in one row. */
    size_t RowBytes() const { return static_cast<size_t>(width) * static_cast<size_t>(channels); }
    /** The rectangle [x, x+w) x [y, y+h), which must lie inside this view. */
    ImageView Sub(int x, int y, int w, int h) const;
};

/** A writable, non-owning view; same layout rules as ImageView. */
struct MutableImageView {
    uint8_t* data{nullptr};
    int width{0};
    int height{0};
    int channels{0};
    size_t stride{0};

    uint8_t* Row(int y) const { return data + static_cast<size_t>(y) * stride; }
    size_t RowBytes() const { return static_cast<size_t>(width) * static_cast<size_t>(channels); }
    MutableImageView Sub(int x, int y, int w, int h) const;
    /** The same pixels, read-only. */
    ImageView AsConst() const { return ImageView{data, width, height, channels, stride}; }
};

/** Returns an error unless 1 <= width, height <= MAX_IMAGE_DIMENSION,
 *  width * height <= MAX_IMAGE_PIXELS and channels is 1 or 3. */
Result<void> CheckImageShape(int width, int height, int channels);

/** Returns an error unless `view` has a valid shape (CheckImageShape), a
 *  non-null data pointer and stride >= width * channels. */
Result<void> CheckView(const ImageView& view);

/** True when the byte ranges covered by the two views intersect. */
bool ViewsOverlap(const ImageView& a, const ImageView& b);

/** Checks an op's arguments: `src` valid with `src_channels` channels (0 =
 *  1 or 3), `dst` valid, of src's width and height with `dst_channels`
 *  channels (0 = same as src), and not overlapping src. */
Result<void> CheckSrcDst(const ImageView& src, const MutableImageView& dst, int src_channels, int dst_channels);

/** An owning 8-bit image with tightly packed rows (stride = width * channels). */
class Image {
public:
    /** The empty image (0 x 0). */
    Image() = default;

    /** Allocates a zero-filled image; fails on a shape CheckImageShape rejects. */
    static Result<Image> Create(int width, int height, int channels);
    /** Copies the pixels of `view` into a new tightly packed image. */
    static Result<Image> CopyOf(const ImageView& view);

    int Width() const { return m_width; }
    int Height() const { return m_height; }
    int Channels() const { return m_channels; }
    size_t Stride() const { return static_cast<size_t>(m_width) * static_cast<size_t>(m_channels); }
    bool Empty() const { return m_data.empty(); }
    const uint8_t* Data() const { return m_data.data(); }
    uint8_t* Data() { return m_data.data(); }

    ImageView View() const { return ImageView{m_data.data(), m_width, m_height, m_channels, Stride()}; }
    MutableImageView MutableView() { return MutableImageView{m_data.data(), m_width, m_height, m_channels, Stride()}; }

private:
    std::vector<uint8_t> m_data;
    int m_width{0};
    int m_height{0};
    int m_channels{0};
};

}  // namespace hpips

#endif  // HPIPS_KERNELS_IMAGE_H
