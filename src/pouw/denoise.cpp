// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/denoise.h>

#include <kernels/cpu_features.h>
#include <pouw/noise_math.h>
#include <pouw/transcript_kernels.h>

#include <algorithm>
#include <span>

namespace hpips::pouw {
namespace {

/** Rows of A·F_L accumulated together: each row's updates form a chain
 *  through memory (consecutive edges share a vertex), so interleaving rows
 *  keeps several chains in flight. */
constexpr size_t AF_ROW_BLOCK{8};
/** Columns of the correction product: [A·F_L | E_L] has 2·NOISE_DIM columns. */
constexpr uint32_t CORRECTION_DIM{2 * NOISE_DIM};
static_assert(CORRECTION_DIM % 2 == 0);

/** The AVX-512 path: A·F_L and E_R·B' by the vector kernels, then the
 *  correction [A·F_L | E_L]·[F_R ; E_R·B'] as one int16 pair product
 *  (vpdpwssd). Every factor fits int16 for k ≤ K_REF (bounds in Denoise). */
std::vector<int32_t> DenoiseAvx512(const UnitData& data, const Noise& noise, std::span<const int32_t> noisy_product)
{
    const UnitShape& shape{data.shape};
    const size_t m{shape.m}, n{shape.n};
    const uint32_t k{shape.k}, steps{k / STEP};
    std::vector<detail::FLeftStepTable> tables(steps);
    std::vector<uint8_t> f_plus(k), f_minus(k), e_plus(k), e_minus(k);
    for (uint32_t s = 0; s < steps; ++s) {
        const StepPath& f_path{noise.FPath(s)};
        const StepPath& e_path{noise.EPath(s)};
        tables[s] = detail::MakeFLeftStepTable(f_path.plus.data(), f_path.minus.data());
        std::copy(f_path.plus.begin(), f_path.plus.end(), f_plus.begin() + size_t{s} * STEP);
        std::copy(f_path.minus.begin(), f_path.minus.end(), f_minus.begin() + size_t{s} * STEP);
        std::copy(e_path.plus.begin(), e_path.plus.end(), e_plus.begin() + size_t{s} * STEP);
        std::copy(e_path.minus.begin(), e_path.minus.end(), e_minus.begin() + size_t{s} * STEP);
    }
    std::vector<int32_t> af(m * NOISE_DIM);
    detail::ALeftProductAvx512(data.a.data(), k, m, k, tables.data(), af.data());
    std::vector<int8_t> f_right_t(NOISE_DIM * n);  // F_R as NOISE_DIM rows of n
    for (size_t c = 0; c < n; ++c) {
        for (size_t t = 0; t < NOISE_DIM; ++t) f_right_t[t * n + c] = noise.FRight(static_cast<uint32_t>(c))[t];
    }
    std::vector<int16_t> eb(NOISE_DIM * n);
    detail::ERightProductAvx512(data.b.data(), n, k, static_cast<uint32_t>(n), f_right_t.data(), f_plus.data(),
                                f_minus.data(), e_plus.data(), e_minus.data(), eb.data());
    std::vector<int16_t> w(m * CORRECTION_DIM);
    for (size_t i = 0; i < m; ++i) {
        const OuterVector& e_left{noise.ELeft(static_cast<uint32_t>(i))};
        for (size_t t = 0; t < NOISE_DIM; ++t) {
            w[i * CORRECTION_DIM + t] = static_cast<int16_t>(-af[i * NOISE_DIM + t]);
            w[i * CORRECTION_DIM + NOISE_DIM + t] = static_cast<int16_t>(-e_left[t]);
        }
    }
    const uint32_t pairs{CORRECTION_DIM / 2};
    std::vector<int16_t> g(size_t{pairs} * n * 2);
    const auto g_row = [&](size_t row, size_t c) {
        return row < NOISE_DIM ? int16_t{f_right_t[row * n + c]} : eb[(row - NOISE_DIM) * n + c];
    };
    for (size_t p = 0; p < pairs; ++p) {
        for (size_t c = 0; c < n; ++c) {
            g[(p * n + c) * 2] = g_row(2 * p, c);
            g[(p * n + c) * 2 + 1] = g_row(2 * p + 1, c);
        }
    }
    std::vector<int32_t> c_out(noisy_product.begin(), noisy_product.end());
    detail::AddPairProductAvx512(w.data(), m, pairs, g.data(), static_cast<uint32_t>(n), c_out.data());
    return c_out;
}

}  // namespace

Result<std::vector<int32_t>> Denoise(const UnitData& data, const Noise& noise, std::span<const int32_t> noisy_product)
{
    const UnitShape& shape{data.shape};
    const size_t m{shape.m}, n{shape.n}, k{shape.k};
    if (data.a.size() != m * k || data.b.size() != k * n || noisy_product.size() != m * n || k % STEP != 0 ||
        k > K_REF) {
        return Error{"denoise: sizes do not match the shape"};
    }
    if (!(noise.Shape() == shape) || noise.RowBegin() != 0 || noise.RowCount() != m || noise.ColBegin() != 0 ||
        noise.ColCount() != n) {
        return Error{"denoise: noise does not cover the unit"};
    }
    if (DetectCpuFeatures().HasAvx512Vnni() && n % TILE == 0) return DenoiseAvx512(data, noise, noisy_product);
    return detail::DenoisePortable(data, noise, noisy_product);
}

namespace detail {

std::vector<int32_t> DenoisePortable(const UnitData& data, const Noise& noise, std::span<const int32_t> noisy_product)
{
    const size_t m{data.shape.m}, n{data.shape.n}, k{data.shape.k};
    std::vector<uint8_t> f_plus(k), f_minus(k);
    for (uint32_t j = 0; j < k; ++j) {
        f_plus[j] = noise.FPlus(j);
        f_minus[j] = noise.FMinus(j);
    }
    // A·F_L (m × NOISE_DIM). Each step adds at most 2·112 to an entry, so with
    // k ≤ K_REF every entry stays below 2·112·128 = 28,672 < 2^15.
    std::vector<int32_t> af(m * NOISE_DIM, 0);
    for (size_t i0 = 0; i0 < m; i0 += AF_ROW_BLOCK) {
        const size_t rows{std::min(AF_ROW_BLOCK, m - i0)};
        for (uint32_t j = 0; j < k; ++j) {
            for (size_t r = 0; r < rows; ++r) {
                const int32_t a{data.a[(i0 + r) * k + j]};
                af[(i0 + r) * NOISE_DIM + f_plus[j]] += a;
                af[(i0 + r) * NOISE_DIM + f_minus[j]] -= a;
            }
        }
    }
    // E_R·B' (NOISE_DIM × n), B' = B + F: at most 2·127 per step, < 32,512 < 2^15.
    std::vector<int32_t> eb(NOISE_DIM * n, 0);
    std::vector<int32_t> f_right_t(NOISE_DIM * n);  // F_R as NOISE_DIM rows of n
    for (size_t c = 0; c < n; ++c) {
        for (size_t t = 0; t < NOISE_DIM; ++t) f_right_t[t * n + c] = noise.FRight(static_cast<uint32_t>(c))[t];
    }
    for (uint32_t j = 0; j < k; ++j) {
        const int8_t* b{data.b.data() + size_t{j} * n};
        const int32_t* fp{f_right_t.data() + size_t{f_plus[j]} * n};
        const int32_t* fm{f_right_t.data() + size_t{f_minus[j]} * n};
        int32_t* e_plus{eb.data() + size_t{noise.EPlus(j)} * n};
        int32_t* e_minus{eb.data() + size_t{noise.EMinus(j)} * n};
        for (size_t c = 0; c < n; ++c) {
            const int32_t b_noisy{b[c] + fp[c] - fm[c]};
            e_plus[c] += b_noisy;
            e_minus[c] -= b_noisy;
        }
    }
    // C = A'B' − (A·F_L)·F_R − E_L·(E_R·B'); each product term < 2^18.
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

}  // namespace detail
}  // namespace hpips::pouw
