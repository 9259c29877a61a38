// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/target.h>

namespace hpips {
namespace {

/** Bits in the arithmetic type. */
constexpr unsigned ARITH_BITS{256};
/** Bytes the compact mantissa holds. */
constexpr unsigned MANTISSA_BYTES{3};

/** Number of significant bits of `value` (0 for 0). */
unsigned BitLength(const ArithUint256& value)
{
    if (value == 0) return 0;
    return static_cast<unsigned>(boost::multiprecision::msb(value)) + 1;
}

/** value << shift, dropping bits past 2^256 (0 for shift >= 256). */
ArithUint256 ShiftLeft(const ArithUint256& value, unsigned shift)
{
    if (shift >= ARITH_BITS) return ArithUint256{0};
    return value << shift;
}

}  // namespace

ArithUint256 UintToArith256(const uint256& value)
{
    ArithUint256 out{0};
    for (size_t i{uint256::SIZE}; i-- > 0;) {
        out <<= 8;
        out |= value.data()[i];
    }
    return out;
}

uint256 ArithToUint256(const ArithUint256& value)
{
    uint256 out{};
    ArithUint256 rest{value};
    for (size_t i{0}; i < uint256::SIZE; ++i) {
        out.data()[i] = static_cast<uint8_t>(rest & 0xff);
        rest >>= 8;
    }
    return out;
}

CompactTarget DecodeCompact(uint32_t bits)
{
    CompactTarget out{};
    const unsigned size{bits >> 24};
    uint32_t mantissa{bits & COMPACT_MANTISSA_MASK};
    if (size <= MANTISSA_BYTES) {
        mantissa >>= 8 * (MANTISSA_BYTES - size);
        out.target = mantissa;
    } else {
        out.target = ShiftLeft(ArithUint256{mantissa}, 8 * (size - MANTISSA_BYTES));
    }
    out.negative = mantissa != 0 && (bits & COMPACT_SIGN_BIT) != 0;
    // Overflow when the mantissa's top non-zero byte would land past byte 32.
    out.overflow = mantissa != 0 &&
                   (size > 34 || (mantissa > 0xff && size > 33) || (mantissa > 0xffff && size > 32));
    return out;
}

uint32_t EncodeCompact(const ArithUint256& target, bool negative)
{
    unsigned size{(BitLength(target) + 7) / 8};
    uint32_t mantissa{0};
    if (size <= MANTISSA_BYTES) {
        mantissa = static_cast<uint32_t>(target) << (8 * (MANTISSA_BYTES - size));
    } else {
        mantissa = static_cast<uint32_t>(target >> (8 * (size - MANTISSA_BYTES)));
    }
    // A mantissa with bit 23 set would read back as negative: move it down a
    // byte and count that byte in the size instead.
    if ((mantissa & COMPACT_SIGN_BIT) != 0) {
        mantissa >>= 8;
        ++size;
    }
    uint32_t bits{mantissa | (size << 24)};
    if (negative && (mantissa & COMPACT_MANTISSA_MASK) != 0) bits |= COMPACT_SIGN_BIT;
    return bits;
}

std::optional<ArithUint256> TargetFromBits(uint32_t bits)
{
    const CompactTarget decoded{DecodeCompact(bits)};
    if (decoded.negative || decoded.overflow || decoded.target == 0) return std::nullopt;
    return decoded.target;
}

ArithUint512 BlockWork(const ArithUint256& target)
{
    const ArithUint512 two_pow_256{ArithUint512{1} << ARITH_BITS};
    return two_pow_256 / (ArithUint512{target} + 1);
}

bool CheckHashMeetsTarget(const uint256& hash, const ArithUint256& target)
{
    return UintToArith256(hash) <= target;
}

}  // namespace hpips
