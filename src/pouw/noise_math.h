// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_NOISE_MATH_H
#define HPIPS_POUW_NOISE_MATH_H

#include <kernels/hd.h>
#include <pouw/params.h>

#include <cstdint>

/** The per-element noise formulas of doc/pouw.md §2.2–§4, as HPIPS_HD integer
 *  functions shared by the CPU code and the CUDA miner. */
namespace hpips::pouw {

/** PRG domains (the first nonce word of a stream). */
constexpr uint32_t DOMAIN_E_LEFT{1};
constexpr uint32_t DOMAIN_F_RIGHT{2};
constexpr uint32_t DOMAIN_E_PATH{3};
constexpr uint32_t DOMAIN_F_PATH{4};
constexpr uint32_t DOMAIN_FILLER_A{5};
constexpr uint32_t DOMAIN_FILLER_B{6};
constexpr uint32_t DOMAIN_FREIVALDS{7};

/** Number of distinct filler values: [−INPUT_BOUND, INPUT_BOUND]. */
constexpr uint32_t FILLER_VALUE_COUNT{2 * INPUT_BOUND + 1};

/** An outer noise factor value: byte b ↦ (b & 15) − 8 ∈ [−8, 7]. */
HPIPS_HD int8_t OuterNoiseValue(uint8_t b)
{
    return static_cast<int8_t>(static_cast<int32_t>(b & 15) + NOISE_VALUE_MIN);
}

/** A filler input value: byte b ↦ (b mod 225) − 112 ∈ [−112, 112]. */
HPIPS_HD int8_t FillerValue(uint8_t b)
{
    return static_cast<int8_t>(static_cast<int32_t>(b % FILLER_VALUE_COUNT) - INPUT_BOUND);
}

/** The signed Hamiltonian path of one step (§3): for each of the STEP edges,
 *  its plus and minus vertex in [0, NOISE_DIM). `words` are the first
 *  PATH_WORDS LE words of the step's stream. */
HPIPS_HD void StepPathFromWords(const uint32_t* words, uint8_t* plus, uint8_t* minus)
{
    uint8_t perm[NOISE_DIM];
    for (uint32_t v = 0; v < NOISE_DIM; ++v) perm[v] = static_cast<uint8_t>(v);
    for (uint32_t t = NOISE_DIM - 1; t >= 1; --t) {
        // Lemire's multiply-shift: j uniform-ish in [0, t].
        const uint32_t j = static_cast<uint32_t>((uint64_t{words[NOISE_DIM - 1 - t]} * (t + 1)) >> 32);
        const uint8_t tmp = perm[t];
        perm[t] = perm[j];
        perm[j] = tmp;
    }
    const uint32_t signs = words[NOISE_RANK];
    for (uint32_t e = 0; e < STEP; ++e) {
        const bool flip = ((signs >> e) & 1u) != 0;
        plus[e] = flip ? perm[e + 1] : perm[e];
        minus[e] = flip ? perm[e] : perm[e + 1];
    }
}

/** E[i][j] (or F[j][c]) from the outer row (column) and the edge of j:
 *  outer[plus] − outer[minus]; |result| ≤ NOISE_BOUND. */
HPIPS_HD int32_t NoiseEntry(const int8_t* outer, uint8_t plus, uint8_t minus)
{
    return static_cast<int32_t>(outer[plus]) - static_cast<int32_t>(outer[minus]);
}

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_NOISE_MATH_H
