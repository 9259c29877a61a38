// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/sha256.h>
#include <pouw/noise.h>
#include <pouw/params.h>

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <numeric>
#include <vector>

namespace hpips::pouw {
namespace {

constexpr uint64_t PRIME{(uint64_t{1} << 31) - 1};

uint256 Seed(uint8_t salt)
{
    const std::array<uint8_t, 2> data{0x5e, salt};
    return Sha256Hash(data);
}

uint64_t PowMod(uint64_t base, uint64_t exp)
{
    uint64_t result{1};
    base %= PRIME;
    while (exp > 0) {
        if (exp & 1) result = result * base % PRIME;
        base = base * base % PRIME;
        exp >>= 1;
    }
    return result;
}

/** Rank over GF(2^31 − 1) by Gaussian elimination. */
size_t RankModPrime(std::vector<std::vector<int64_t>> rows)
{
    for (auto& row : rows) {
        for (auto& v : row) v = ((v % int64_t(PRIME)) + int64_t(PRIME)) % int64_t(PRIME);
    }
    const size_t cols{rows.empty() ? 0 : rows[0].size()};
    size_t rank{0};
    for (size_t col = 0; col < cols && rank < rows.size(); ++col) {
        size_t pivot{rank};
        while (pivot < rows.size() && rows[pivot][col] == 0) ++pivot;
        if (pivot == rows.size()) continue;
        std::swap(rows[pivot], rows[rank]);
        const uint64_t inv{PowMod(uint64_t(rows[rank][col]), PRIME - 2)};
        for (auto& v : rows[rank]) v = int64_t(uint64_t(v) * inv % PRIME);
        for (size_t r = 0; r < rows.size(); ++r) {
            if (r == rank || rows[r][col] == 0) continue;
            const uint64_t factor{uint64_t(rows[r][col])};
            for (size_t c = col; c < cols; ++c) {
                rows[r][c] = int64_t((uint64_t(rows[r][c]) + PRIME - factor * uint64_t(rows[rank][c]) % PRIME) % PRIME);
            }
        }
        ++rank;
    }
    return rank;
}

/** Edges of a step as an undirected graph: must be a Hamiltonian path on NOISE_DIM vertices. */
void ExpectHamiltonianPath(const StepPath& path)
{
    std::array<int, NOISE_DIM> degree{};
    std::array<uint32_t, NOISE_DIM> parent;
    std::iota(parent.begin(), parent.end(), 0u);
    const auto find = [&](uint32_t v) {
        while (parent[v] != v) v = parent[v] = parent[parent[v]];
        return v;
    };
    for (uint32_t e = 0; e < STEP; ++e) {
        ASSERT_LT(path.plus[e], NOISE_DIM);
        ASSERT_LT(path.minus[e], NOISE_DIM);
        ASSERT_NE(path.plus[e], path.minus[e]);
        ++degree[path.plus[e]];
        ++degree[path.minus[e]];
        const uint32_t a{find(path.plus[e])}, b{find(path.minus[e])};
        ASSERT_NE(a, b) << "an edge closes a cycle";
        parent[a] = b;
        // Consecutive edges share a vertex: the edges are in path order.
        if (e > 0) {
            const bool shares{path.plus[e] == path.plus[e - 1] || path.plus[e] == path.minus[e - 1] ||
                              path.minus[e] == path.plus[e - 1] || path.minus[e] == path.minus[e - 1]};
            EXPECT_TRUE(shares);
        }
    }
    for (uint32_t v = 0; v < NOISE_DIM; ++v) {
        EXPECT_GE(degree[v], 1);
        EXPECT_LE(degree[v], 2);
    }
}

TEST(PouwNoise, StepWidthNeverExceedsRank)
{
    static_assert(STEP <= NOISE_RANK);
    EXPECT_LE(STEP, NOISE_RANK);
    EXPECT_EQ(NOISE_DIM, NOISE_RANK + 1);
    EXPECT_EQ(NOISE_BOUND, 15);
}

TEST(PouwNoise, EveryStepIsASignedHamiltonianPath)
{
    for (uint8_t salt = 0; salt < 4; ++salt) {
        for (uint32_t s = 0; s < 64; ++s) {
            ExpectHamiltonianPath(DrawEPath(Seed(salt), s));
            ExpectHamiltonianPath(DrawFPath(Seed(salt), s));
        }
    }
    // Both signs occur and the E and F paths are independent streams.
    EXPECT_NE(DrawEPath(Seed(0), 0), DrawFPath(Seed(0), 0));
    EXPECT_NE(DrawEPath(Seed(0), 0), DrawEPath(Seed(0), 1));
}

TEST(PouwNoise, RankOfOneStepAndOfTheWholeNoise)
{
    const UnitShape shape{64, 64, 128};
    for (uint8_t salt = 0; salt < 3; ++salt) {
        const Noise noise{Noise::DrawUnit(Seed(salt), shape)};
        for (uint32_t s = 0; s < shape.Steps(); ++s) {
            std::vector<std::vector<int64_t>> e_step(shape.m, std::vector<int64_t>(STEP));
            std::vector<std::vector<int64_t>> f_step(STEP, std::vector<int64_t>(shape.n));
            for (uint32_t e = 0; e < STEP; ++e) {
                for (uint32_t i = 0; i < shape.m; ++i) e_step[i][e] = noise.E(i, s * STEP + e);
                for (uint32_t c = 0; c < shape.n; ++c) f_step[e][c] = noise.F(s * STEP + e, c);
            }
            EXPECT_EQ(RankModPrime(e_step), NOISE_RANK) << "E step " << s;
            EXPECT_EQ(RankModPrime(f_step), NOISE_RANK) << "F step " << s;
        }
        std::vector<std::vector<int64_t>> e_all(shape.m, std::vector<int64_t>(shape.k));
        std::vector<std::vector<int64_t>> f_all(shape.k, std::vector<int64_t>(shape.n));
        for (uint32_t j = 0; j < shape.k; ++j) {
            for (uint32_t i = 0; i < shape.m; ++i) e_all[i][j] = noise.E(i, j);
            for (uint32_t c = 0; c < shape.n; ++c) f_all[j][c] = noise.F(j, c);
        }
        EXPECT_EQ(RankModPrime(e_all), NOISE_RANK);
        EXPECT_EQ(RankModPrime(f_all), NOISE_RANK);
    }
}

TEST(PouwNoise, EntriesAreBounded)
{
    const UnitShape shape{128, 128, 128};
    const Noise noise{Noise::DrawUnit(Seed(9), shape)};
    int32_t max_e{0}, max_f{0};
    for (uint32_t j = 0; j < shape.k; ++j) {
        for (uint32_t i = 0; i < shape.m; ++i) max_e = std::max(max_e, std::abs(noise.E(i, j)));
        for (uint32_t c = 0; c < shape.n; ++c) max_f = std::max(max_f, std::abs(noise.F(j, c)));
    }
    EXPECT_LE(max_e, NOISE_BOUND);
    EXPECT_LE(max_f, NOISE_BOUND);
    EXPECT_GE(max_e, 10);  // the range is actually used
}

TEST(PouwNoise, DependsOnlyOnSeedAndShapeAndIsRandomAccess)
{
    const UnitShape shape{128, 128, 128};
    const Noise a{Noise::DrawUnit(Seed(1), shape)};
    const Noise b{Noise::DrawUnit(Seed(1), shape)};
    const Noise other{Noise::DrawUnit(Seed(2), shape)};
    size_t differences{0};
    for (uint32_t i = 0; i < shape.m; ++i) {
        EXPECT_EQ(a.ELeft(i), b.ELeft(i));
        EXPECT_EQ(a.ELeft(i), DrawELeftRow(Seed(1), i));
        differences += a.ELeft(i) != other.ELeft(i);
    }
    EXPECT_GT(differences, 100u);
    for (uint32_t c = 0; c < shape.n; ++c) EXPECT_EQ(a.FRight(c), DrawFRightColumn(Seed(1), c));
    for (uint32_t s = 0; s < shape.Steps(); ++s) {
        EXPECT_EQ(a.EPath(s), DrawEPath(Seed(1), s));
        EXPECT_EQ(a.FPath(s), DrawFPath(Seed(1), s));
    }
    // A tile's noise equals the unit's noise restricted to the tile.
    for (uint32_t tile = 0; tile < shape.TileCount(); ++tile) {
        const Noise t{Noise::DrawTile(Seed(1), shape, tile)};
        EXPECT_EQ(t.RowBegin(), (tile / 2) * TILE);
        EXPECT_EQ(t.ColBegin(), (tile % 2) * TILE);
        for (uint32_t r = 0; r < TILE; ++r) {
            for (uint32_t j = 0; j < shape.k; j += 7) {
                EXPECT_EQ(t.E(t.RowBegin() + r, j), a.E(t.RowBegin() + r, j));
                EXPECT_EQ(t.F(j, t.ColBegin() + r), a.F(j, t.ColBegin() + r));
            }
        }
    }
}

}  // namespace
}  // namespace hpips::pouw
