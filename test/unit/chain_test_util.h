// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_UNIT_CHAIN_TEST_UTIL_H
#define HPIPS_TEST_UNIT_CHAIN_TEST_UTIL_H

#include <chain/coin.h>
#include <primitives/transaction.h>
#include <util/uint256.h>

#include <gtest/gtest.h>

#include "primitives_test_util.h"

#include <array>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <random>
#include <string>

/** Helpers shared by the chain storage tests. */
namespace hpips::test {

/** A fresh directory under the test temp dir, removed with its contents at
 *  scope exit. */
class TempDir {
public:
    TempDir()
    {
        std::string tmpl{(std::filesystem::path{::testing::TempDir()} / "hpips_chain_XXXXXX").string()};
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error{"mkdtemp failed"};
        m_path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};


/** A deterministic pseudo-random hash. */
inline uint256 RandomHash(std::mt19937_64& rng)
{
    std::array<uint8_t, 32> bytes;
    for (auto& b : bytes) b = static_cast<uint8_t>(rng());
    return uint256{bytes};
}

/** A deterministic pseudo-random unspent coin (payload length varies, to
 *  exercise the memory estimate and the encodings). */
inline Coin RandomCoin(std::mt19937_64& rng)
{
    TxOut out;
    out.amount = static_cast<Amount>(rng() % (50 * COIN));
    out.destination.kind = 1;
    out.destination.payload.resize(rng() % 3 == 0 ? 0 : 32);
    for (auto& b : out.destination.payload) b = static_cast<uint8_t>(rng());
    return Coin{std::move(out), static_cast<uint32_t>(rng() % 1'000'000), rng() % 5 == 0};
}

}  // namespace hpips::test

#endif  // HPIPS_TEST_UNIT_CHAIN_TEST_UTIL_H
