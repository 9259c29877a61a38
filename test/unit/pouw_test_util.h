// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_UNIT_POUW_TEST_UTIL_H
#define HPIPS_TEST_UNIT_POUW_TEST_UTIL_H

#include <crypto/sha256.h>
#include <pouw/params.h>
#include <pouw/unit.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <random>
#include <vector>

/** Deterministic test inputs shared by the pouw_*_tests files. */
namespace hpips::pouw::test {

inline uint256 TestSeed(uint32_t salt)
{
    const std::array<uint8_t, 4> data{static_cast<uint8_t>(salt), static_cast<uint8_t>(salt >> 8), 0x70, 0x77};
    return Sha256Hash(data);
}

/** Values uniform in [−INPUT_BOUND, INPUT_BOUND] from a fixed mt19937 stream. */
inline std::vector<int8_t> RandomValues(size_t count, uint32_t salt)
{
    std::mt19937 rng{salt};
    std::vector<int8_t> out(count);
    for (auto& v : out) v = static_cast<int8_t>(static_cast<int32_t>(rng() % (2 * INPUT_BOUND + 1)) - INPUT_BOUND);
    return out;
}

inline UnitData RandomUnit(const UnitShape& shape, uint32_t salt)
{
    return UnitData{shape, RandomValues(size_t{shape.m} * shape.k, salt),
                    RandomValues(size_t{shape.k} * shape.n, salt + 1000)};
}

/** C = A·B by the plain triple loop (int64 accumulation, then checked narrow). */
inline std::vector<int32_t> PlainGemm(const UnitData& d)
{
    const size_t m{d.shape.m}, n{d.shape.n}, k{d.shape.k};
    std::vector<int32_t> c(m * n, 0);
    for (size_t i = 0; i < m; ++i) {
        for (size_t j = 0; j < k; ++j) {
            const int32_t a{d.a[i * k + j]};
            for (size_t col = 0; col < n; ++col) c[i * n + col] += a * d.b[j * n + col];
        }
    }
    return c;
}

}  // namespace hpips::pouw::test

#endif  // HPIPS_TEST_UNIT_POUW_TEST_UTIL_H
