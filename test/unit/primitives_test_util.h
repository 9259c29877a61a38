// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_TEST_UNIT_PRIMITIVES_TEST_UTIL_H
#define HPIPS_TEST_UNIT_PRIMITIVES_TEST_UTIL_H

#include <util/uint256.h>

#include <array>
#include <cstdint>

/** Helpers shared by the primitives and chain tests. */
namespace hpips::test {

/** A hash whose 32 bytes all equal `byte`. */
inline uint256 FilledHash(uint8_t byte)
{
    std::array<uint8_t, 32> bytes;
    bytes.fill(byte);
    return uint256{bytes};
}

/** A 32-byte key (or any 32-byte field) whose bytes all equal `byte`. */
inline std::array<uint8_t, 32> FilledKey(uint8_t byte)
{
    std::array<uint8_t, 32> key;
    key.fill(byte);
    return key;
}

}  // namespace hpips::test

#endif  // HPIPS_TEST_UNIT_PRIMITIVES_TEST_UTIL_H
