// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/gaussian_kernel.h"

#include "kernels/pixel_ops.h"

#include <string>

namespace hpips {
namespace {

/** Milli-units per unit of sigma. */
constexpr int64_t SIGMA_SCALE{1000};

/** OpenCV's fixed kernels for sigma <= 0 and small n, in 1/256 units (exact
 *  binary fractions, so the doubles are exact). */
const std::vector<int64_t>* SmallFixedKernel(int n)
{
    static const std::vector<int64_t> K1{256};
    static const std::vector<int64_t> K3{64, 128, 64};
    static const std::vector<int64_t> K5{16, 64, 96, 64, 16};
    static const std::vector<int64_t> K7{8, 28, 56, 72, 56, 28, 8};
    static const std::vector<int64_t> K9{4, 13, 30, 51, 60, 51, 30, 13, 4};
    switch (n) {
    case 1: return &K1;
    case 3: return &K3;
    case 5: return &K5;
    case 7: return &K7;
    case 9: return &K9;
    default: return nullptr;
    }
}

Result<void> CheckArgs(int n, uint32_t sigma_milli)
{
    if (n < 1 || n > MAX_GAUSS_KSIZE || n % 2 == 0) {
        return Error{"Gaussian kernel size must be odd and at most " + std::to_string(MAX_GAUSS_KSIZE)};
    }
    if (sigma_milli > MAX_GAUSS_SIGMA_MILLI) {
        return Error{"Gaussian sigma must be at most " + std::to_string(MAX_GAUSS_SIGMA_MILLI) + " thousandths"};
    }
    return {};
}

}  // namespace

Result<std::vector<SoftDouble>> GaussianKernelBitExact(int n, uint32_t sigma_milli)
{
    if (auto ok{CheckArgs(n, sigma_milli)}; !ok) return ok.error();
    const SoftDouble one{SoftDouble::One()};
    std::vector<SoftDouble> result(static_cast<size_t>(n));

    if (sigma_milli == 0) {
        if (const auto* fixed{SmallFixedKernel(n)}) {
            for (int i = 0; i < n; ++i) {
                result[static_cast<size_t>(i)] = SoftDouble::FromInt((*fixed)[static_cast<size_t>(i)]) / SoftDouble::FromInt(256);
            }
            return result;
        }
    }
    // sigma = S / 1000 (the double nearest to it, as the caller's division
    // gives), or 0.15 * n + 0.35 with one rounding (OpenCV's mulAdd form of
    // 0.3 * ((n - 1) * 0.5 - 1) + 0.8).
    const SoftDouble sigma{sigma_milli > 0 ? SoftDouble::FromInt(sigma_milli) / SoftDouble::FromInt(SIGMA_SCALE)
                                           : MulAdd(SoftDouble::FromInt(n), SoftDouble::FromBits(0x3fc3333333333333),
                                                    SoftDouble::FromBits(0x3fd6666666666666))};
    const SoftDouble scale2{SoftDouble::FromBits(0xbfc0000000000000) / (sigma * sigma)};  // -0.5 * 0.25 / sigma^2

    const int half{(n - 1) / 2};
    std::vector<SoftDouble> values(static_cast<size_t>(half));
    SoftDouble sum{SoftDouble::Zero()};
    for (int i = 0, x = 1 - n; i < half; ++i, x += 2) {
        // x runs over 2 * (i - (n - 1) / 2): the factor 4 is folded into scale2.
        const SoftDouble t{Exp(SoftDouble::FromInt(static_cast<int64_t>(x) * x) * scale2)};
        values[static_cast<size_t>(i)] = t;
        sum += t;
    }
    sum *= SoftDouble::FromInt(2);
    sum += one;  // the centre tap, exp(0)
    const SoftDouble mul{one / sum};
    for (int i = 0; i < half; ++i) {
        const SoftDouble t{values[static_cast<size_t>(i)] * mul};
        result[static_cast<size_t>(i)] = t;
        result[static_cast<size_t>(n - 1 - i)] = t;
    }
    result[static_cast<size_t>(half)] = one * mul;
    return result;
}

Result<std::vector<uint16_t>> GaussianKernelQ8(int n, uint32_t sigma_milli)
{
    auto exact{GaussianKernelBitExact(n, sigma_milli)};
    if (!exact) return exact.error();
    const SoftDouble unit{SoftDouble::FromInt(COEF_ONE)};
    std::vector<uint16_t> result(static_cast<size_t>(n));
    const int half{n / 2};
    SoftDouble err{SoftDouble::Zero()};
    int64_t sum{0};
    for (int i = 0; i < half; ++i) {
        // Error diffusion: carry each tap's rounding error into the next.
        const SoftDouble adjusted{(*exact)[static_cast<size_t>(i)] * unit + err};
        const int64_t v{adjusted.RoundToInt32()};
        err = adjusted - SoftDouble::FromInt(v);
        result[static_cast<size_t>(i)] = static_cast<uint16_t>(v);
        result[static_cast<size_t>(n - 1 - i)] = static_cast<uint16_t>(v);
        sum += v;
    }
    result[static_cast<size_t>(half)] = static_cast<uint16_t>(static_cast<int64_t>(COEF_ONE) - 2 * sum);
    return result;
}

}  // namespace hpips
