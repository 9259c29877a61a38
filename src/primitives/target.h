// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_TARGET_H
#define HPIPS_PRIMITIVES_TARGET_H

#include <util/uint256.h>

#include <boost/multiprecision/cpp_int.hpp>

#include <cstdint>
#include <optional>

/** Proof-of-work targets: 256-bit unsigned arithmetic, Bitcoin's compact
 *  `bits` encoding of a target, and the expected work a target stands for.
 *  The arithmetic type is Boost.Multiprecision's fixed-width cpp_int: exact,
 *  header-only, no floating point, wrapping modulo 2^256 like Bitcoin's
 *  arith_uint256. */
namespace hpips {

/** Unsigned 256-bit integer; arithmetic wraps modulo 2^256. */
using ArithUint256 = boost::multiprecision::uint256_t;
/** Unsigned 512-bit integer, for work: one block's work can be 2^256 and a
 *  chain's total work is a sum of those, which 512 bits hold with room to spare. */
using ArithUint512 = boost::multiprecision::uint512_t;

/** Sign bit of the compact mantissa. */
constexpr uint32_t COMPACT_SIGN_BIT = 0x00800000;
/** Mask of the 23-bit compact mantissa. */
constexpr uint32_t COMPACT_MANTISSA_MASK = 0x007fffff;

/** A uint256 (byte 0 least significant) as a number. */
ArithUint256 UintToArith256(const uint256& value);
/** A number as a uint256 (byte 0 least significant). */
uint256 ArithToUint256(const ArithUint256& value);

/** A decoded compact value, with Bitcoin's flags: `negative` when the sign
 *  bit is set and the mantissa is not zero; `overflow` when a non-zero
 *  mantissa shifted by the exponent does not fit in 256 bits (then `target`
 *  holds the low 256 bits, as arith_uint256::SetCompact leaves them). */
struct CompactTarget {
    ArithUint256 target{0};
    bool negative{false};
    bool overflow{false};
};

/** Decodes Bitcoin's compact form: the top byte is a size N in bytes, the low
 *  23 bits a mantissa M, bit 23 a sign; the value is M * 256^(N-3) (for N < 3
 *  the mantissa is shifted right, dropping bytes). */
CompactTarget DecodeCompact(uint32_t bits);

/** Encodes `target` (with `negative`, for round trips of negative compact
 *  values) in the compact form, keeping its 3 most significant bytes. When
 *  the mantissa would have bit 23 set it is shifted one byte right and the
 *  size grows, so the result never reads as negative unless asked. */
uint32_t EncodeCompact(const ArithUint256& target, bool negative = false);

/** The target of a block header's `bits`; nullopt when it is negative, zero
 *  or overflows — such bits are never valid. */
std::optional<ArithUint256> TargetFromBits(uint32_t bits);

/** Expected number of hashes to find one at or below `target`:
 *  floor(2^256 / (target + 1)). 1 for target 2^256 - 1, 2^256 for target 0.
 *  Computed in 512 bits, so it never overflows. */
ArithUint512 BlockWork(const ArithUint256& target);

/** True when `hash`, read as a little-endian 256-bit number, is at most
 *  `target` (Bitcoin's rule: equal to the target meets it). */
bool CheckHashMeetsTarget(const uint256& hash, const ArithUint256& target);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_TARGET_H
