// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_TENSOR_H
#define HPIPS_KERNELS_TENSOR_H

#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpips {

/** A non-owning view of a row-major matrix whose rows are `ld` elements apart
 *  (the leading dimension, ld >= cols), so a view can name a sub-block of a
 *  larger matrix without copying. Element (r, c) is data[r * ld + c].
 *  The view never allocates; whoever makes it guarantees that the memory
 *  covers (rows - 1) * ld + cols elements and outlives the view. */
template <typename T>
struct MatrixView {
    T* data{nullptr};
    size_t rows{0};
    size_t cols{0};
    size_t ld{0};

    /** Element (r, c); no bounds check (callers index inside rows × cols). */
    T& At(size_t r, size_t c) const { return data[r * ld + c]; }
    /** Pointer to the first element of row r. */
    T* Row(size_t r) const { return data + r * ld; }
    /** Whether the view names no element. */
    bool Empty() const { return rows == 0 || cols == 0; }
    /** The same memory, read-only. */
    MatrixView<const T> AsConst() const { return {data, rows, cols, ld}; }
    /** Whether the shape is self-consistent (ld >= cols, and memory present
     *  unless the view is empty). */
    bool IsWellFormed() const { return Empty() || (data != nullptr && ld >= cols); }
};

/** An owned, dense row-major matrix (ld == cols). */
template <typename T>
struct Matrix {
    size_t rows{0};
    size_t cols{0};
    std::vector<T> data;

    Matrix() = default;
    /** A zero-filled rows × cols matrix. The caller bounds rows and cols. */
    Matrix(size_t r, size_t c) : rows{r}, cols{c}, data(r * c) {}

    T& At(size_t r, size_t c) { return data[r * cols + c]; }
    const T& At(size_t r, size_t c) const { return data[r * cols + c]; }
    MatrixView<T> View() { return {data.data(), rows, cols, cols}; }
    MatrixView<const T> View() const { return {data.data(), rows, cols, cols}; }
};

/** An owned three-dimensional tensor in HWC order (height, width, channels):
 *  element (y, x, c) is data[(y * width + x) * channels + c], so the channels of
 *  one pixel are contiguous — the order im2col copies from and the order the
 *  GEMM writes its output rows in. */
template <typename T>
struct Tensor {
    size_t height{0};
    size_t width{0};
    size_t channels{0};
    std::vector<T> data;

    Tensor() = default;
    /** A zero-filled tensor. The caller bounds the dimensions. */
    Tensor(size_t h, size_t w, size_t c) : height{h}, width{w}, channels{c}, data(h * w * c) {}

    size_t Size() const { return height * width * channels; }
    size_t Index(size_t y, size_t x, size_t c) const { return (y * width + x) * channels + c; }
    T& At(size_t y, size_t x, size_t c) { return data[Index(y, x, c)]; }
    const T& At(size_t y, size_t x, size_t c) const { return data[Index(y, x, c)]; }
    /** The tensor as a (height · width) × channels matrix: one row per pixel. */
    MatrixView<T> PixelMatrix() { return {data.data(), height * width, channels, channels}; }
    MatrixView<const T> PixelMatrix() const { return {data.data(), height * width, channels, channels}; }
};

/** int8 activations (HWC). */
using Int8Tensor = Tensor<int8_t>;
/** int32 accumulators (HWC). */
using Int32Tensor = Tensor<int32_t>;
/** Dense int8 matrix (im2col patches, GEMM operands). */
using Int8Matrix = Matrix<int8_t>;
/** Dense int32 matrix (GEMM results). */
using Int32Matrix = Matrix<int32_t>;

}  // namespace hpips

#endif  // HPIPS_KERNELS_TENSOR_H
