// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_NOISE_H
#define HPIPS_POUW_NOISE_H

#include <pouw/params.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <vector>

/** The seeded low-rank noise E = E_L·E_R and F = F_L·F_R (doc/pouw.md §3–§4).
 *  Every piece is random access: a row of E_L, a column of F_R and the path of
 *  one step are each drawn from their own PRG stream, so a verifier draws only
 *  its tile's 64 rows and 64 columns (and the k/32 paths). */
namespace hpips::pouw {

/** The signed spanning path of one step: edge e (k-index STEP·s + e) has +1
 *  at vertex plus[e] and −1 at vertex minus[e], vertices in [0, NOISE_DIM). */
struct StepPath {
    std::array<uint8_t, STEP> plus{};
    std::array<uint8_t, STEP> minus{};
    friend bool operator==(const StepPath&, const StepPath&) = default;
};

/** One row of E_L or one column of F_R: NOISE_DIM values in [−8, 7]. */
using OuterVector = std::array<int8_t, NOISE_DIM>;

/** Row i of E_L: stream (σ, 1, i). */
OuterVector DrawELeftRow(const uint256& seed, uint32_t row);
/** Column c of F_R: stream (σ, 2, c). */
OuterVector DrawFRightColumn(const uint256& seed, uint32_t column);
/** Path of step s of E_R: stream (σ, 3, s). */
StepPath DrawEPath(const uint256& seed, uint32_t step);
/** Path of step s of F_L: stream (σ, 4, s). */
StepPath DrawFPath(const uint256& seed, uint32_t step);

/** The noise of a unit, or of the block of rows and columns one verifier
 *  needs: rows [row_begin, row_begin + row_count) of E_L, columns
 *  [col_begin, col_begin + col_count) of F_R, and every step's two paths.
 *  A function of the seed and the shape only. */
class Noise {
public:
    /** Draws the whole unit's noise. */
    static Noise DrawUnit(const uint256& seed, const UnitShape& shape);
    /** Draws the rows and columns of tile `tile_index` only. Precondition: it is in range. */
    static Noise DrawTile(const uint256& seed, const UnitShape& shape, uint32_t tile_index);
    /** Draws the given row and column ranges (within the shape). */
    static Noise Draw(const uint256& seed, const UnitShape& shape, uint32_t row_begin, uint32_t row_count,
                      uint32_t col_begin, uint32_t col_count);

    const UnitShape& Shape() const { return m_shape; }
    uint32_t RowBegin() const { return m_row_begin; }
    uint32_t RowCount() const { return static_cast<uint32_t>(m_e_left.size()); }
    uint32_t ColBegin() const { return m_col_begin; }
    uint32_t ColCount() const { return static_cast<uint32_t>(m_f_right.size()); }

    /** Row i (absolute, drawn) of E_L. */
    const OuterVector& ELeft(uint32_t i) const { return m_e_left[i - m_row_begin]; }
    /** Column c (absolute, drawn) of F_R. */
    const OuterVector& FRight(uint32_t c) const { return m_f_right[c - m_col_begin]; }
    const StepPath& EPath(uint32_t step) const { return m_e_paths[step]; }
    const StepPath& FPath(uint32_t step) const { return m_f_paths[step]; }
    /** plus(j), minus(j) of column j of E_R; plus'(j), minus'(j) of row j of F_L. */
    uint8_t EPlus(uint32_t j) const { return m_e_paths[j / STEP].plus[j % STEP]; }
    uint8_t EMinus(uint32_t j) const { return m_e_paths[j / STEP].minus[j % STEP]; }
    uint8_t FPlus(uint32_t j) const { return m_f_paths[j / STEP].plus[j % STEP]; }
    uint8_t FMinus(uint32_t j) const { return m_f_paths[j / STEP].minus[j % STEP]; }

    /** E[i][j] for a drawn row i; |E| ≤ NOISE_BOUND. */
    int32_t E(uint32_t i, uint32_t j) const;
    /** F[j][c] for a drawn column c; |F| ≤ NOISE_BOUND. */
    int32_t F(uint32_t j, uint32_t c) const;

private:
    UnitShape m_shape;
    uint32_t m_row_begin{0};
    uint32_t m_col_begin{0};
    std::vector<OuterVector> m_e_left;
    std::vector<OuterVector> m_f_right;
    std::vector<StepPath> m_e_paths;
    std::vector<StepPath> m_f_paths;
};

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_NOISE_H
