// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TRANSCRIPT_MATH_H
#define HPIPS_POUW_TRANSCRIPT_MATH_H

#include <kernels/hd.h>
#include <pouw/chacha20_block.h>
#include <pouw/params.h>

#include <cstdint>

/** The transcript's element map, step digest and state update (doc/pouw.md
 *  §6) as HPIPS_HD integer functions: every backend (reference, scalar,
 *  AVX-512, CUDA) uses these definitions or is tested equal to them. */
namespace hpips::pouw {

/** Number of u32 lanes of a step digest. */
constexpr uint32_t DIGEST_LANES{16};
/** Number of u32 words of a tile state. */
constexpr uint32_t STATE_WORDS{8};
/** ChaCha double rounds applied per state update. */
constexpr int STATE_DOUBLE_ROUNDS{4};
/** Offsets of the element map's column keys and row multipliers. */
constexpr uint32_t COLUMN_KEY_OFFSET{0x6b43a9b5u};
constexpr uint32_t ROW_MULTIPLIER_OFFSET{0x2d358dccu};

/** A 32-bit integer finaliser (good avalanche, invertible). */
HPIPS_HD uint32_t Mix32(uint32_t z)
{
    z ^= z >> 16;
    z *= 0x7feb352du;
    z ^= z >> 15;
    z *= 0x846ca68bu;
    z ^= z >> 16;
    return z;
}

/** KC[c] for the column c (0..63) within a tile. */
HPIPS_HD uint32_t ColumnKey(uint32_t c) { return Mix32(COLUMN_KEY_OFFSET + c); }

/** MR[r] for the row r (0..63) within a tile; odd, so multiplication by it is a bijection. */
HPIPS_HD uint32_t RowMultiplier(uint32_t r) { return Mix32(ROW_MULTIPLIER_OFFSET + r) | 1u; }

/** g(r, c, x) = (x XOR KC[c]) · MR[r] (u32). */
HPIPS_HD uint32_t ElementMap(uint32_t r, uint32_t c, int32_t partial_sum)
{
    return (static_cast<uint32_t>(partial_sum) ^ ColumnKey(c)) * RowMultiplier(r);
}

/** The digest lane an element (r, c) contributes to. */
HPIPS_HD uint32_t DigestLane(uint32_t c) { return c % DIGEST_LANES; }

/** Folds step `step`'s digest into the 8-word state. */
HPIPS_HD void StateUpdate(uint32_t* state, const uint32_t* digest, uint32_t step)
{
    uint32_t x[DIGEST_LANES];
    for (uint32_t i = 0; i < DIGEST_LANES; ++i) x[i] = digest[i] ^ state[i % STATE_WORDS];
    x[0] += step;
    for (int i = 0; i < STATE_DOUBLE_ROUNDS; ++i) DoubleRound(x);
    for (uint32_t i = 0; i < STATE_WORDS; ++i) state[i] ^= x[i] ^ x[i + STATE_WORDS];
}

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_TRANSCRIPT_MATH_H
