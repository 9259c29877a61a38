// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_GEMM_KERNELS_H
#define HPIPS_KERNELS_GEMM_KERNELS_H

#include <kernels/gemm.h>
#include <kernels/tensor.h>

#include <cstddef>
#include <cstdint>

/** Internal to the kernels library: the per-ISA packing routines and serial
 *  GEMM drivers behind gemm.h, and the packed layouts they share. Nothing here
 *  validates its arguments; gemm.cpp and conv.cpp do that first. Each ISA's
 *  functions live in their own .cpp compiled with that ISA's flags, and are
 *  called only after GemmIsaSupported() said yes. */
namespace hpips::gemm_detail {

/** Columns per packed panel of the AVX2 layout (two ymm of int32). */
constexpr size_t AVX2_PANEL_COLS{16};
/** k rows per vpmaddwd step. */
constexpr size_t AVX2_K_STEP{2};
/** Columns per packed panel of the VNNI layout (four zmm of int32). */
constexpr size_t VNNI_PANEL_COLS{64};
/** k rows per vpdpbusd step. */
constexpr size_t VNNI_K_STEP{4};

/** Bytes the packed layout of `isa` needs for a k×n B. */
size_t PackedBBytes(GemmIsa isa, size_t k, size_t n);

/** Packs B into `out` (PackedBBytes bytes, zero-filled by the caller). */
void PackBScalar(MatrixView<const int8_t> b, uint8_t* out);
void PackBAvx2(MatrixView<const int8_t> b, uint8_t* out);
void PackBAvx512Vnni(MatrixView<const int8_t> b, uint8_t* out);

/** C = A · B on the calling thread for every row of A (A.cols == b.K(),
 *  C is A.rows × b.N()); b was packed for the matching ISA. */
void GemmRowsScalar(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c);
void GemmRowsAvx2(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c);
/** The VNNI driver also adds col_offset[j] (mod 2^32) to every element of
 *  column j when col_offset is not null, for free: it folds into the
 *  accumulators' starting values. */
void GemmRowsAvx512Vnni(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c, const int32_t* col_offset);

/** One k slice of a VNNI product: A (a.rows × a.cols) times rows
 *  [k_begin, k_begin + a.cols) of B (k_begin a multiple of 4; a.cols too,
 *  unless the slice ends at B's last row). A product split into slices is
 *  started by the slice given row_sums — Σ of each whole logical A row over
 *  all slices, for the unsigned-bias correction — which overwrites C and adds
 *  col_offset (if not null); every other slice passes row_sums = nullptr and
 *  adds to C. Lets conv read each kernel row's taps straight from the input
 *  instead of an im2col copy. */
void GemmRowsAvx512VnniSlice(MatrixView<const int8_t> a, const PackedB& b, size_t k_begin, MatrixView<int32_t> c,
                             const int32_t* row_sums, const int32_t* col_offset);
/** Σ row[0..count) (the row sums GemmRowsAvx512VnniSlice needs). */
int32_t RowSumAvx512Vnni(const int8_t* row, size_t count);

/** Dispatches to the serial driver of b.Isa(); then C[i][j] += col_offset[j]
 *  (mod 2^32) when col_offset is not null (n values). */
void GemmRows(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c,
              const int32_t* col_offset = nullptr);

}  // namespace hpips::gemm_detail

#endif  // HPIPS_KERNELS_GEMM_KERNELS_H
