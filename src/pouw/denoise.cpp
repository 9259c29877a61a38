// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/denoise.h>

#include <pouw/noise_math.h>

namespace hpips::pouw {

Result<std::vector<int32_t>> Denoise(const UnitData& data, const Noise& noise, std::span<const int32_t> noisy_product)
{
    const UnitShape& shape{data.shape};
    const size_t m{shape.m}, n{shape.n}, k{shape.k};
    if (data.a.size() != m * k || data.b.size() != k * n || noisy_product.size() != m * n || k % STEP != 0) {
        return Error{"denoise: sizes do not match the shape"};
    }
    if (!(noise.Shape() == shape) || noise.RowBegin() != 0 || noise.RowCount() != m || noise.ColBegin() != 0 ||
        noise.ColCount() != n) {
        return Error{"denoise: noise does not cover the unit"};
    }
    // A·F_L (m × NOISE_DIM): |entries| ≤ 112·k < 2^19.
    std::vector<int32_t> af(m * NOISE_DIM, 0);
    for (size_t i = 0; i < m; ++i) {
        int32_t* row{af.data() + i * NOISE_DIM};
        const int8_t* a{data.a.data() + i * k};
        for (uint32_t j = 0; j < k; ++j) {
            row[noise.FPlus(j)] += a[j];
            row[noise.FMinus(j)] -= a[j];
        }
    }
    // E_R·B' (NOISE_DIM × n), B' = B + F: |entries| ≤ 127·k < 2^19.
    std::vector<int32_t> eb(NOISE_DIM * n, 0);
    std::vector<int32_t> f_right_t(NOISE_DIM * n);  // F_R as NOISE_DIM rows of n
    for (size_t c = 0; c < n; ++c) {
        for (size_t t = 0; t < NOISE_DIM; ++t) f_right_t[t * n + c] = noise.FRight(static_cast<uint32_t>(c))[t];
    }
    for (uint32_t j = 0; j < k; ++j) {
        const int8_t* b{data.b.data() + size_t{j} * n};
        const int32_t* f_plus{f_right_t.data() + size_t{noise.FPlus(j)} * n};
        const int32_t* f_minus{f_right_t.data() + size_t{noise.FMinus(j)} * n};
        int32_t* e_plus{eb.data() + size_t{noise.EPlus(j)} * n};
        int32_t* e_minus{eb.data() + size_t{noise.EMinus(j)} * n};
        for (size_t c = 0; c < n; ++c) {
            const int32_t b_noisy{b[c] + f_plus[c] - f_minus[c]};
            e_plus[c] += b_noisy;
            e_minus[c] -= b_noisy;
        }
    }
    // C = A'B' − (A·F_L)·F_R − E_L·(E_R·B'); each correction term < 2^29 in magnitude.
    std::vector<int32_t> c_out(noisy_product.begin(), noisy_product.end());
    for (size_t i = 0; i < m; ++i) {
        int32_t* out{c_out.data() + i * n};
        const OuterVector& e_left{noise.ELeft(static_cast<uint32_t>(i))};
        for (size_t t = 0; t < NOISE_DIM; ++t) {
            const int32_t a_f{af[i * NOISE_DIM + t]};
            const int32_t e{e_left[t]};
            const int32_t* f_row{f_right_t.data() + t * n};
            const int32_t* eb_row{eb.data() + t * n};
            for (size_t c = 0; c < n; ++c) out[c] -= a_f * f_row[c] + e * eb_row[c];
        }
    }
    return c_out;
}

}  // namespace hpips::pouw
