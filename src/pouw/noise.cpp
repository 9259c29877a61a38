// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/noise.h>

#include <pouw/noise_math.h>
#include <pouw/prg.h>

#include <cassert>

namespace hpips::pouw {
namespace {

OuterVector DrawOuter(const uint256& seed, uint32_t domain, uint32_t index)
{
    std::array<uint8_t, NOISE_DIM> bytes;
    PrgBytes(KeyWords(seed), domain, index, bytes);
    OuterVector out;
    for (size_t t = 0; t < NOISE_DIM; ++t) out[t] = OuterNoiseValue(bytes[t]);
    return out;
}

StepPath DrawPath(const uint256& seed, uint32_t domain, uint32_t step)
{
    std::array<uint32_t, PATH_WORDS> words;
    PrgWords(KeyWords(seed), domain, step, words);
    StepPath path;
    StepPathFromWords(words.data(), path.plus.data(), path.minus.data());
    return path;
}

}  // namespace

OuterVector DrawELeftRow(const uint256& seed, uint32_t row) { return DrawOuter(seed, DOMAIN_E_LEFT, row); }
OuterVector DrawFRightColumn(const uint256& seed, uint32_t column) { return DrawOuter(seed, DOMAIN_F_RIGHT, column); }
StepPath DrawEPath(const uint256& seed, uint32_t step) { return DrawPath(seed, DOMAIN_E_PATH, step); }
StepPath DrawFPath(const uint256& seed, uint32_t step) { return DrawPath(seed, DOMAIN_F_PATH, step); }

Noise Noise::DrawUnit(const uint256& seed, const UnitShape& shape)
{
    return Draw(seed, shape, 0, shape.m, 0, shape.n);
}

Noise Noise::DrawTile(const uint256& seed, const UnitShape& shape, uint32_t tile_index)
{
    const uint32_t tiles_per_row{shape.n / TILE};
    return Draw(seed, shape, (tile_index / tiles_per_row) * TILE, TILE, (tile_index % tiles_per_row) * TILE, TILE);
}

Noise Noise::Draw(const uint256& seed, const UnitShape& shape, uint32_t row_begin, uint32_t row_count,
                  uint32_t col_begin, uint32_t col_count)
{
    assert(uint64_t{row_begin} + row_count <= shape.m && uint64_t{col_begin} + col_count <= shape.n);
    assert(shape.k % STEP == 0);
    Noise noise;
    noise.m_shape = shape;
    noise.m_row_begin = row_begin;
    noise.m_col_begin = col_begin;
    const auto key = KeyWords(seed);
    noise.m_e_left.resize(row_count);
    noise.m_f_right.resize(col_count);
    std::array<uint8_t, NOISE_DIM> bytes;
    for (uint32_t i = 0; i < row_count; ++i) {
        PrgBytes(key, DOMAIN_E_LEFT, row_begin + i, bytes);
        for (size_t t = 0; t < NOISE_DIM; ++t) noise.m_e_left[i][t] = OuterNoiseValue(bytes[t]);
    }
    for (uint32_t c = 0; c < col_count; ++c) {
        PrgBytes(key, DOMAIN_F_RIGHT, col_begin + c, bytes);
        for (size_t t = 0; t < NOISE_DIM; ++t) noise.m_f_right[c][t] = OuterNoiseValue(bytes[t]);
    }
    const uint32_t steps{shape.k / STEP};
    noise.m_e_paths.resize(steps);
    noise.m_f_paths.resize(steps);
    std::array<uint32_t, PATH_WORDS> words;
    for (uint32_t s = 0; s < steps; ++s) {
        PrgWords(key, DOMAIN_E_PATH, s, words);
        StepPathFromWords(words.data(), noise.m_e_paths[s].plus.data(), noise.m_e_paths[s].minus.data());
        PrgWords(key, DOMAIN_F_PATH, s, words);
        StepPathFromWords(words.data(), noise.m_f_paths[s].plus.data(), noise.m_f_paths[s].minus.data());
    }
    return noise;
}

int32_t Noise::E(uint32_t i, uint32_t j) const
{
    return NoiseEntry(ELeft(i).data(), EPlus(j), EMinus(j));
}

int32_t Noise::F(uint32_t j, uint32_t c) const
{
    return NoiseEntry(FRight(c).data(), FPlus(j), FMinus(j));
}

}  // namespace hpips::pouw
