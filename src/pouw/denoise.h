// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_DENOISE_H
#define HPIPS_POUW_DENOISE_H

#include <pouw/noise.h>
#include <pouw/unit.h>
#include <util/result.h>

#include <cstdint>
#include <span>
#include <vector>

/** The useful output (doc/pouw.md §5): from the noisy product A'·B' the miner
 *  computed anyway, C = A'·B' − (A·F_L)·F_R − E_L·(E_R·B'), which equals the
 *  exact int32 GEMM A·B. The sparse factors make the correction O((m+n)·k)
 *  plus O(m·n·NOISE_DIM). */
namespace hpips::pouw {

/** C = A·B (m×n int32, row-major) from the unit's data, its noise and the
 *  noisy product A'·B'. Errors: sizes that do not match the shape, or noise
 *  that does not cover the whole unit. */
Result<std::vector<int32_t>> Denoise(const UnitData& data, const Noise& noise, std::span<const int32_t> noisy_product);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_DENOISE_H
