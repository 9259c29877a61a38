// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TRANSCRIPT_KERNELS_H
#define HPIPS_POUW_TRANSCRIPT_KERNELS_H

#include <pouw/transcript.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

/** Internal to src/pouw: the per-tile micro-kernels behind transcript.h, the
 *  builders of the noisy operands in the layouts they read, and the vector
 *  kernels of denoising. Nothing here validates its arguments. Every AVX-512
 *  function equals the portable code it replaces (test/unit/pouw_kernels_tests.cpp). */
namespace hpips::pouw::detail {

/** k rows per vpdpbusd group. */
constexpr uint32_t VNNI_GROUP{4};
/** Bytes of one packed group of a 64-column panel: 64 columns × 4 bytes. */
constexpr size_t PANEL_GROUP_BYTES{TILE * VNNI_GROUP};
/** Offset that turns a signed A' byte into the unsigned operand of vpdpbusd. */
constexpr int32_t VNNI_OFFSET{128};

/** One tile's prepared operands.
 *  - a: 64 rows of A' (row r at a + r·lda, k bytes): signed for SCALAR; for
 *    AVX512_VNNI the bytes are A' + 128 as u8 (the unsigned vpdpbusd operand);
 *  - b_cols: 64 columns of B' (column c at b_cols + c·ldb, k bytes), SCALAR;
 *  - b_panel: the tile's 64 columns of B' (signed), (k/4) groups of 64
 *    columns × 4 consecutive k, the vpdpbusd operand layout, AVX512_VNNI;
 *  - col_corr: VNNI_OFFSET · Σ_{j < STEP·(s+1)} B'[j][c] at col_corr[64·s + c],
 *    the exact correction of the +128 offset of A', AVX512_VNNI;
 *  - product: when not null, receives A'·B' of the tile (row r at product + r·ldp);
 *  - prefetch: when not null, 64·k bytes the caller reads next (the next tile
 *    row of A): the VNNI kernel pulls them into L2 while it computes, so the
 *    next A' build does not wait for memory. */
struct TileOperands {
    uint32_t k{0};
    const int8_t* a{nullptr};
    size_t lda{0};
    const int8_t* b_cols{nullptr};
    size_t ldb{0};
    const int8_t* b_panel{nullptr};
    const int32_t* col_corr{nullptr};
    int32_t* product{nullptr};
    size_t ldp{0};
    const int8_t* prefetch{nullptr};
};
/** Bytes the VNNI kernel prefetches per row block and step: 16 row blocks ×
 *  k/STEP steps × 128 bytes = 64·k bytes, one tile row of A, per tile. */
constexpr size_t PREFETCH_BYTES_PER_STEP{128};
static_assert(PREFETCH_BYTES_PER_STEP * (TILE / 4) == size_t{TILE} * STEP, "one tile row of A per tile");

/** The tile's state by portable code. */
TileState TileTranscriptScalar(const TileOperands& op);
/** The tile's state by the AVX-512 VNNI micro-kernel (only call when supported). */
TileState TileTranscriptAvx512Vnni(const TileOperands& op);
/** The tile's step digests D_0 … D_{k/STEP−1} (digests[16·s + l]) by the
 *  AVX-512 VNNI micro-kernel, written (not accumulated), without the fold. */
void TileDigestsAvx512Vnni(const TileOperands& op, uint32_t* digests);
/** Folds the step digests of `count` (1..16) tiles (tile i's at digests[i],
 *  `steps` × 16 words) into their transcript states (states[0..count)), one
 *  tile per 32-bit vector lane: the state update of §6 on 16 tiles at once. */
void FoldDigestsAvx512(const uint32_t* const* digests, uint32_t count, uint32_t steps, TileState* states);

/** Whether the CPU also has AVX-512 VBMI (vpermb), used by the *Vbmi builders. */
bool CpuHasAvx512Vbmi();

/** A' + 128 as u8 (out, row r at out + r·ldo) from A (row r at a + r·lda) and
 *  the rows' E_L; plus/minus are the k edge vertices of E_R.
 *  The AVX-512 BW version looks E up 32 entries at a time with vpermt2w
 *  (indices as int16); the VBMI version 64 at a time with vpermb (indices as u8). */
void BuildNoisyRowsAvx512(const int8_t* a, size_t lda, size_t rows, uint32_t k, const int8_t* const* e_left,
                          const int16_t* plus_idx, const int16_t* minus_idx, uint8_t* out, size_t ldo);
void BuildNoisyRowsAvx512Vbmi(const int8_t* a, size_t lda, size_t rows, uint32_t k, const int8_t* const* e_left,
                              const uint8_t* plus_idx, const uint8_t* minus_idx, uint8_t* out, size_t ldo);

/** AVX-512 BW/VNNI: packs B' (k × cols, row-major, cols a multiple of 64)
 *  into cols/64 panels (each k/4 groups × 256 bytes) and writes each panel's
 *  column corrections (k/STEP steps × 64 int32). */
void PackPanelsAvx512(const int8_t* b_rows, uint32_t k, uint32_t cols, int8_t* panels, int32_t* col_corr);
/** As PackPanelsAvx512, but from B (row j at b + j·ldb) and the noise: row j
 *  of B' is B[j] + F_R^T[plus'(j)] − F_R^T[minus'(j)], where f_right_t holds
 *  F_R transposed (NOISE_DIM rows of `cols` values). B' is never stored. */
void PackNoisyPanelsAvx512(const int8_t* b, size_t ldb, uint32_t k, uint32_t cols, const int8_t* f_right_t,
                           const uint8_t* f_plus, const uint8_t* f_minus, int8_t* panels, int32_t* col_corr);
/** VBMI: one 64-column panel (and its corrections) from B given by columns
 *  (column c at b_cols + c·ldb, k bytes) and the columns' F_R (f_right[c],
 *  NOISE_DIM values each): what a verifier holds. */
void PackNoisyColumnPanelAvx512Vbmi(const int8_t* b_cols, size_t ldb, uint32_t k, const int8_t* const* f_right,
                                    const uint8_t* f_plus, const uint8_t* f_minus, int8_t* panel, int32_t* col_corr);

/** AVX-512 BW: eb (NOISE_DIM × n int16, row-major) = E_R·B' from B (row j
 *  at b + j·ldb, n a multiple of 64), F_R transposed (f_right_t, NOISE_DIM
 *  rows of n) and the edge vertices of F_L (f_plus/f_minus) and E_R
 *  (e_plus/e_minus). Each step adds at most 2·127 to an entry, so int16 is
 *  exact for k ≤ K_REF (the caller's bound). */
void ERightProductAvx512(const int8_t* b, size_t ldb, uint32_t k, uint32_t n, const int8_t* f_right_t,
                         const uint8_t* f_plus, const uint8_t* f_minus, const uint8_t* e_plus, const uint8_t* e_minus,
                         int16_t* eb);
/** AVX-512 VNNI: c (rows × n int32, n a multiple of 64) += W·G where W is
 *  rows × 2·pairs int16 (row-major) and G is given as `pairs` rows of n
 *  int16 pairs (g[(p·n + c)·2 + h] = G[2p + h][c]), accumulated with vpdpwssd. */
void AddPairProductAvx512(const int16_t* w, size_t rows, uint32_t pairs, const int16_t* g, uint32_t n, int32_t* c);

/** Denoise's portable code (what CPUs without AVX-512 run), for tests of
 *  the vector path; arguments already checked by Denoise. */
std::vector<int32_t> DenoisePortable(const UnitData& data, const Noise& noise, std::span<const int32_t> noisy_product);

/** Per-step tables of the ±1 k-side factor F_L for the vector A·F_L: for
 *  vertex t < 32 of step s, the positions of its two path edges (the
 *  gathers), which of them exist, and the edges' signs. */
struct FLeftStepTable {
    alignas(64) int16_t first[STEP];   //!< position p of the vertex on the path (edge p), 0 ≤ p ≤ 32
    alignas(64) int16_t second[STEP];  //!< p − 1 (edge p − 1)
    uint32_t first_mask{0};            //!< bit t: edge p exists (p < STEP)
    uint32_t second_mask{0};           //!< bit t: edge p − 1 exists (p > 0)
    uint32_t negative{0};              //!< bit e: edge e has sign −1 at its first vertex π[e]
};
/** The table of one step from its path (plus'/minus' of its STEP edges). */
FLeftStepTable MakeFLeftStepTable(const uint8_t* plus, const uint8_t* minus);
/** AVX-512 BW: af (rows × NOISE_DIM int32, row-major) = A·F_L, A given as
 *  rows of k bytes (row i at a + i·lda), one table per step. */
void ALeftProductAvx512(const int8_t* a, size_t lda, size_t rows, uint32_t k, const FLeftStepTable* tables,
                        int32_t* af);

}  // namespace hpips::pouw::detail

#endif  // HPIPS_POUW_TRANSCRIPT_KERNELS_H
