// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Portable GEMM path: plain C++ the compiler may vectorise for the baseline
// ISA. Exactness does not depend on the order of the k loop (see gemm.h).
#include <kernels/gemm_kernels.h>

#include <kernels/requantize.h>

#include <algorithm>
#include <cstring>

namespace hpips::gemm_detail {

namespace {

/** Output columns per pass: a row of int32 accumulators this wide stays in L1
 *  while the k loop streams B rows. */
constexpr size_t SCALAR_COL_BLOCK{256};

}  // namespace

void PackBScalar(MatrixView<const int8_t> b, uint8_t* out)
{
    for (size_t p = 0; p < b.rows; ++p) std::memcpy(out + p * b.cols, b.Row(p), b.cols);
}

void GemmRowsScalar(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c)
{
    const size_t k{b.K()};
    const size_t n{b.N()};
    const auto* packed{reinterpret_cast<const int8_t*>(b.Data())};
    for (size_t i = 0; i < a.rows; ++i) {
        const int8_t* a_row{a.Row(i)};
        int32_t* c_row{c.Row(i)};
        for (size_t j0 = 0; j0 < n; j0 += SCALAR_COL_BLOCK) {
            const size_t width{std::min(SCALAR_COL_BLOCK, n - j0)};
            int32_t acc[SCALAR_COL_BLOCK]{};
            for (size_t p = 0; p < k; ++p) {
                const int32_t a_value{a_row[p]};
                const int8_t* b_row{packed + p * n + j0};
                // |partial sums| <= 2^30 (gemm.h), so plain int32 cannot overflow.
                for (size_t j = 0; j < width; ++j) acc[j] += a_value * static_cast<int32_t>(b_row[j]);
            }
            std::memcpy(c_row + j0, acc, width * sizeof(int32_t));
        }
    }
}

}  // namespace hpips::gemm_detail
