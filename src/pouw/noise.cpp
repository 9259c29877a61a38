// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/noise.h>

#include <pouw/chacha20_block.h>
#include <pouw/noise_kernels.h>
#include <pouw/noise_math.h>
#include <pouw/prg.h>

#include <cassert>
#include <vector>

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

/** ChaCha20 blocks of one key and domain, 16 at a time on AVX-512 (the
 *  unit's noise needs m + n + 6·k/STEP blocks per nonce). */
class BlockDrawer {
public:
    explicit BlockDrawer(const std::array<uint32_t, 8>& key) : m_key{key}, m_vector{detail::CpuHasAvx512F()} {}

    /** Words of block `counter` of stream `index` for every (index, counter)
     *  pair: out[16·p + w] is word w of pair p. */
    std::vector<uint32_t> Draw(uint32_t domain, const std::vector<uint64_t>& indices,
                               const std::vector<uint32_t>& counters) const
    {
        const size_t count{indices.size()};
        std::vector<uint32_t> out(count * BLOCK_WORDS);
        size_t p{0};
        if (m_vector) {
            for (; p + detail::CHACHA_LANES <= count; p += detail::CHACHA_LANES) {
                detail::ChaCha20Blocks16Avx512(m_key.data(), domain, indices.data() + p, counters.data() + p,
                                               out.data() + p * BLOCK_WORDS);
            }
        }
        for (; p < count; ++p) {
            uint32_t nonce[3];
            PouwStreamNonce(domain, indices[p], nonce);
            ChaCha20Block(m_key.data(), counters[p], nonce, out.data() + p * BLOCK_WORDS);
        }
        return out;
    }

    /** Words per block. */
    static constexpr size_t BLOCK_WORDS{16};

private:
    std::array<uint32_t, 8> m_key;
    bool m_vector;
};

/** Outer vectors of streams first, first + 1, … (first NOISE_DIM bytes of block 0 each). */
std::vector<OuterVector> DrawOuters(const BlockDrawer& drawer, uint32_t domain, uint32_t first, uint32_t count)
{
    std::vector<uint64_t> indices(count);
    for (uint32_t i = 0; i < count; ++i) indices[i] = uint64_t{first} + i;
    const auto words = drawer.Draw(domain, indices, std::vector<uint32_t>(count, 0));
    std::vector<OuterVector> out(count);
    for (uint32_t i = 0; i < count; ++i) {
        for (size_t t = 0; t < NOISE_DIM; ++t) {
            out[i][t] = OuterNoiseValue(BlockByte(words.data() + size_t{i} * BlockDrawer::BLOCK_WORDS, static_cast<int>(t)));
        }
    }
    return out;
}

/** Paths of steps 0 … steps − 1: PATH_WORDS words of each step's stream (3 blocks). */
std::vector<StepPath> DrawPaths(const BlockDrawer& drawer, uint32_t domain, uint32_t steps)
{
    constexpr uint32_t BLOCKS_PER_PATH{(PATH_WORDS + BlockDrawer::BLOCK_WORDS - 1) / BlockDrawer::BLOCK_WORDS};
    std::vector<uint64_t> indices(size_t{steps} * BLOCKS_PER_PATH);
    std::vector<uint32_t> counters(indices.size());
    for (uint32_t s = 0; s < steps; ++s) {
        for (uint32_t b = 0; b < BLOCKS_PER_PATH; ++b) {
            indices[size_t{s} * BLOCKS_PER_PATH + b] = s;
            counters[size_t{s} * BLOCKS_PER_PATH + b] = b;
        }
    }
    const auto words = drawer.Draw(domain, indices, counters);
    std::vector<StepPath> out(steps);
    for (uint32_t s = 0; s < steps; ++s) {
        // A step's blocks are consecutive, so its stream's words are too.
        StepPathFromWords(words.data() + size_t{s} * BLOCKS_PER_PATH * BlockDrawer::BLOCK_WORDS, out[s].plus.data(),
                          out[s].minus.data());
    }
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
    const BlockDrawer drawer{KeyWords(seed)};
    noise.m_e_left = DrawOuters(drawer, DOMAIN_E_LEFT, row_begin, row_count);
    noise.m_f_right = DrawOuters(drawer, DOMAIN_F_RIGHT, col_begin, col_count);
    noise.m_e_paths = DrawPaths(drawer, DOMAIN_E_PATH, shape.k / STEP);
    noise.m_f_paths = DrawPaths(drawer, DOMAIN_F_PATH, shape.k / STEP);
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
