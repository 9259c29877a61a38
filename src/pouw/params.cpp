// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/params.h>

#include <algorithm>
#include <iterator>
#include <span>

namespace hpips::pouw {
namespace {

bool Contains(std::span<const uint32_t> values, uint32_t v) { return std::find(values.begin(), values.end(), v) != values.end(); }

}  // namespace

bool ShapeRules::IsAllowed(const UnitShape& shape) const
{
    const uint64_t macs{uint64_t{shape.m} * shape.n * shape.k};
    if (macs > MAX_UNIT_MACS) return false;
    const bool main_m{Contains(MAIN_M_VALUES, shape.m)};
    const bool main_n{Contains(MAIN_N_VALUES, shape.n)};
    const bool main_k{shape.k % K_MULTIPLE == 0 && shape.k >= MAIN_K_MIN && shape.k <= MAIN_K_MAX};
    if (main_m && main_n && main_k) return true;
    if (!m_regtest) return false;
    const bool m_ok{main_m || Contains(REGTEST_EXTRA_DIMS, shape.m)};
    const bool n_ok{main_n || Contains(REGTEST_EXTRA_DIMS, shape.n)};
    const bool k_ok{main_k || Contains(REGTEST_EXTRA_DIMS, shape.k)};
    return m_ok && n_ok && k_ok;
}

uint32_t ShapeRules::MaxTileCount() const
{
    // The largest m and n (2048 × 256) are allowed together at the smallest k.
    const uint32_t max_m{*std::max_element(std::begin(MAIN_M_VALUES), std::end(MAIN_M_VALUES))};
    const uint32_t max_n{*std::max_element(std::begin(MAIN_N_VALUES), std::end(MAIN_N_VALUES))};
    return (max_m / TILE) * (max_n / TILE);
}

}  // namespace hpips::pouw
