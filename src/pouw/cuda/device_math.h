// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_CUDA_DEVICE_MATH_H
#define HPIPS_POUW_CUDA_DEVICE_MATH_H

#include <kernels/hd.h>
#include <pouw/chacha20_block.h>
#include <pouw/noise_math.h>
#include <pouw/params.h>
#include <pouw/transcript_math.h>

#include <cstdint>

/** The per-element arithmetic of the CUDA miner (src/pouw/cuda), as HPIPS_HD
 *  integer functions built from the shared rule headers (chacha20_block.h,
 *  noise_math.h, transcript_math.h). Plain C++ as well, so the CPU unit tests
 *  (test/unit/pouw_cuda_tests.cpp) run exactly what the kernels run and
 *  compare it with the CPU miner. Nothing here validates its arguments. */
namespace hpips::pouw {

/** ChaCha20 blocks a step path consumes (PATH_WORDS words, 16 per block). */
constexpr uint32_t PATH_BLOCKS{(PATH_WORDS + 15) / 16};
static_assert(NOISE_DIM <= 64, "an outer noise vector is drawn from the stream's first block");

/** Threads of the device block that folds one tile (four warps). */
constexpr uint32_t FOLD_THREADS{128};
/** The fold threads split a step's 64 rows into this many interleaved row
 *  groups; thread t takes digest lane t mod 16 of row group t / 16. */
constexpr uint32_t FOLD_ROW_GROUPS{FOLD_THREADS / DIGEST_LANES};
static_assert(FOLD_ROW_GROUPS * DIGEST_LANES == FOLD_THREADS && TILE % FOLD_ROW_GROUPS == 0);

/** Values i of stream (key, domain, index) mapped by OuterNoiseValue: row
 *  `index` of E_L (DOMAIN_E_LEFT) or column `index` of F_R (DOMAIN_F_RIGHT);
 *  `out` receives NOISE_DIM values. Same stream bytes as PrgBytes. */
HPIPS_HD void DrawOuterValues(const uint32_t* key, uint32_t domain, uint64_t index, int8_t* out)
{
    uint32_t nonce[3];
    PouwStreamNonce(domain, index, nonce);
    uint32_t block[16];
    ChaCha20Block(key, 0, nonce, block);
    for (uint32_t t = 0; t < NOISE_DIM; ++t) out[t] = OuterNoiseValue(BlockByte(block, static_cast<int>(t)));
}

/** The path of step `step` from stream (key, domain, step): DOMAIN_E_PATH or
 *  DOMAIN_F_PATH; `plus` and `minus` receive STEP vertices each. Same stream
 *  words as PrgWords. */
HPIPS_HD void DrawStepPath(const uint32_t* key, uint32_t domain, uint32_t step, uint8_t* plus, uint8_t* minus)
{
    uint32_t nonce[3];
    PouwStreamNonce(domain, step, nonce);
    uint32_t words[PATH_BLOCKS * 16];
    for (uint32_t b = 0; b < PATH_BLOCKS; ++b) ChaCha20Block(key, b, nonce, words + 16 * b);
    StepPathFromWords(words, plus, minus);
}

/** Whether an input value of A or B is within ±INPUT_BOUND. */
HPIPS_HD bool InputInRange(int8_t x) { return x >= -INPUT_BOUND && x <= INPUT_BOUND; }

/** A' = A + E (or B' = B + F) for one entry: `outer` is the row of E_L (column
 *  of F_R), plus/minus the edge of the entry's k-index. With x in range the
 *  sum fits int8 (|x| ≤ 112, |noise| ≤ 15). */
HPIPS_HD int8_t NoisyInput(int8_t x, const int8_t* outer, uint8_t plus, uint8_t minus)
{
    return static_cast<int8_t>(static_cast<int32_t>(x) + NoiseEntry(outer, plus, minus));
}

/** Digest lane of fold thread `thread`. */
HPIPS_HD uint32_t FoldThreadLane(uint32_t thread) { return thread % DIGEST_LANES; }
/** Row group of fold thread `thread`: it digests rows row_group + 8·i. */
HPIPS_HD uint32_t FoldThreadRowGroup(uint32_t thread) { return thread / DIGEST_LANES; }

/** One fold thread's share of digest lane `lane`:
 *      Σ_{r ≡ row_group (mod 8)} MR[r] · Σ_{c ≡ lane (mod 16)} (P[r][c] XOR KC[c])   (u32)
 *  where P[r][c] = partial[r·ld + c], column_keys[c] = ColumnKey(c) and
 *  row_multipliers[r] = RowMultiplier(r) (tables, so a tile computes Mix32 128
 *  times instead of twice per element and step). Because u32 multiplication
 *  distributes over u32 addition this is Σ ElementMap(r, c, P[r][c]) over the
 *  same elements; the shares of all FOLD_THREADS threads, added in any order,
 *  are the step digest D_s of doc/pouw.md §6. */
HPIPS_HD uint32_t DigestShare(const int32_t* partial, uint32_t ld, uint32_t lane, uint32_t row_group,
                              const uint32_t* column_keys, const uint32_t* row_multipliers)
{
    uint32_t share{0};
    for (uint32_t r = row_group; r < TILE; r += FOLD_ROW_GROUPS) {
        uint32_t row_sum{0};
        for (uint32_t c = lane; c < TILE; c += DIGEST_LANES) {
            row_sum += static_cast<uint32_t>(partial[r * ld + c]) ^ column_keys[c];
        }
        share += row_sum * row_multipliers[r];
    }
    return share;
}

/** One entry of the denoised output (doc/pouw.md §5):
 *      C[i][c] = (A'·B')[i][c] − Σ_t ( (A·F_L)[i][t] · F_R[t][c] + E_L[i][t] · (E_R·B')[t][c] )
 *  with `af` row i of A·F_L, `e_left` row i of E_L, `f_right` column c of F_R
 *  (NOISE_DIM each) and `eb` column c of E_R·B' read with stride `eb_stride`.
 *  With k ≤ K_REF, |A·F_L| ≤ 112·k and |E_R·B'| ≤ 127·k are below 2^19, each
 *  of the 66 products below 2^22 and their sum below 2^29: int32 is exact. */
HPIPS_HD int32_t DenoisedEntry(int32_t noisy, const int32_t* af, const int8_t* e_left, const int8_t* f_right,
                               const int32_t* eb, uint32_t eb_stride)
{
    int32_t correction{0};
    for (uint32_t t = 0; t < NOISE_DIM; ++t) {
        correction += af[t] * static_cast<int32_t>(f_right[t]) + static_cast<int32_t>(e_left[t]) * eb[t * eb_stride];
    }
    return noisy - correction;
}

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_CUDA_DEVICE_MATH_H
