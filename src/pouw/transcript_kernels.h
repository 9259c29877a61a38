// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TRANSCRIPT_KERNELS_H
#define HPIPS_POUW_TRANSCRIPT_KERNELS_H

#include <pouw/transcript.h>

#include <cstddef>
#include <cstdint>

/** Internal to src/pouw: the per-tile micro-kernels behind transcript.h and
 *  the operand layouts they read. Nothing here validates its arguments. */
namespace hpips::pouw::detail {

/** k rows per vpdpbusd group. */
constexpr uint32_t VNNI_GROUP{4};
/** Bytes of one packed group of a 64-column panel: 64 columns × 4 bytes. */
constexpr size_t PANEL_GROUP_BYTES{TILE * VNNI_GROUP};
/** Offset that turns a signed B' byte into the unsigned operand of vpdpbusd. */
constexpr int32_t VNNI_OFFSET{128};

/** One tile's prepared operands.
 *  - a: 64 rows of A' (row r at a + r·lda, k bytes): signed for SCALAR; for
 *    AVX512_VNNI the bytes are A' + 128 as u8 (the unsigned vpdpbusd operand);
 *  - b_cols: 64 columns of B' (column c at b_cols + c·ldb, k bytes), SCALAR;
 *  - b_panel: the tile's 64 columns of B' (signed), (k/4) groups of 64
 *    columns × 4 consecutive k, the vpdpbusd operand layout, AVX512_VNNI;
 *  - col_corr: VNNI_OFFSET · Σ_{j < STEP·(s+1)} B'[j][c] at col_corr[64·s + c],
 *    the exact correction of the +128 offset of A', AVX512_VNNI;
 *  - product: when not null, receives A'·B' of the tile (row r at product + r·ldp). */
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
};

/** The tile's state by portable code. */
TileState TileTranscriptScalar(const TileOperands& op);
/** The tile's state by the AVX-512 VNNI micro-kernel (only call when supported). */
TileState TileTranscriptAvx512Vnni(const TileOperands& op);

/** AVX-512 BW: rows of A' + 128 (u8) from A (rows × k, row-major) and the
 *  rows' E_L; plus_idx/minus_idx are the k edge vertices of E_R as int16. */
void BuildNoisyRowsAvx512(const int8_t* a, size_t rows, uint32_t k, const int8_t* const* e_left,
                          const int16_t* plus_idx, const int16_t* minus_idx, uint8_t* out);
/** AVX-512 BW/VNNI: packs B' (k × cols, row-major, cols a multiple of 64)
 *  into cols/64 panels (each k/4 groups × 256 bytes) and writes each panel's
 *  column corrections (k/STEP steps × 64 int32). */
void PackPanelsAvx512(const int8_t* b_rows, uint32_t k, uint32_t cols, int8_t* panels, int32_t* col_corr);
/** AVX-512 VNNI: c (rows × n int32, n a multiple of 64) += W·G where W is
 *  rows × 2·pairs int16 (row-major) and G is given as `pairs` rows of n
 *  int16 pairs (g[(p·n + c)·2 + h] = G[2p + h][c]), accumulated with vpdpwssd. */
void AddPairProductAvx512(const int16_t* w, size_t rows, uint32_t pairs, const int16_t* g, uint32_t n, int32_t* c);

}  // namespace hpips::pouw::detail

#endif  // HPIPS_POUW_TRANSCRIPT_KERNELS_H
