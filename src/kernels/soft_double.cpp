// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/soft_double.h"

#include <array>
#include <cstddef>
#include <utility>

namespace hpips {
namespace {

using U128 = unsigned __int128;

constexpr uint64_t SIGN_BIT{0x8000000000000000ULL};
constexpr uint64_t FRAC_MASK{(1ULL << 52) - 1};
constexpr uint64_t HIDDEN_BIT{1ULL << 52};
constexpr uint64_t DEFAULT_NAN{0x7FF8000000000000ULL};
constexpr uint64_t INF_BITS{0x7FF0000000000000ULL};
/** Exponent of the least significant bit of a subnormal: 2^-1074. */
constexpr int MIN_LSB_EXP{-1074};

/** value = (-1)^sign * sig * 2^exp with sig < 2^53 (0 for a zero). */
struct Unpacked {
    bool sign;
    int exp;
    uint64_t sig;
};

Unpacked Unpack(uint64_t bits)
{
    const bool sign{(bits >> 63) != 0};
    const int biased{static_cast<int>((bits >> 52) & 0x7FF)};
    const uint64_t frac{bits & FRAC_MASK};
    if (biased == 0) return {sign, MIN_LSB_EXP, frac};
    return {sign, biased - 1075, frac | HIDDEN_BIT};
}

/** Shifts sig so that bit 52 is set (sig != 0). */
void Normalize(Unpacked& u)
{
    while ((u.sig & HIDDEN_BIT) == 0) {
        u.sig <<= 1;
        --u.exp;
    }
}

int BitLength(U128 v)
{
    const uint64_t hi{static_cast<uint64_t>(v >> 64)};
    const uint64_t lo{static_cast<uint64_t>(v)};
    if (hi != 0) return 128 - __builtin_clzll(hi);
    if (lo != 0) return 64 - __builtin_clzll(lo);
    return 0;
}

/** Rounds (-1)^sign * (sig + sticky*epsilon) * 2^exp to binary64, ties to
 *  even. `sticky` says nonzero bits exist below sig's least significant
 *  bit; callers only set it when sig has at least 55 significant bits, so
 *  the sticky bits never land above the rounding position. */
SoftDouble RoundPack(bool sign, int exp, U128 sig, bool sticky)
{
    const uint64_t sign_bits{sign ? SIGN_BIT : 0};
    if (sig == 0) return SoftDouble::FromBits(sign_bits);
    int shift{BitLength(sig) - 53};
    if (exp + shift < MIN_LSB_EXP) shift = MIN_LSB_EXP - exp;
    if (shift > 0) {
        if (shift >= 128) {
            // Everything lies below half of the smallest subnormal unless the
            // value is just above it (only possible with shift == 128).
            const U128 half{U128{1} << 127};
            const bool up{shift == 128 && (sig > half || (sig == half && sticky))};
            sig = up ? 1 : 0;
        } else {
            const U128 rem{sig & ((U128{1} << shift) - 1)};
            const U128 half{U128{1} << (shift - 1)};
            sig >>= shift;
            if (rem > half || (rem == half && (sticky || (sig & 1) != 0))) ++sig;
        }
    } else if (shift < 0) {
        sig <<= -shift;
    }
    exp += shift;
    if ((sig >> 53) != 0) {  // rounding carried into a new bit
        sig >>= 1;
        ++exp;
    }
    const uint64_t s{static_cast<uint64_t>(sig)};
    if (s < HIDDEN_BIT) return SoftDouble::FromBits(sign_bits | s);  // subnormal or zero
    const int biased{exp + 1075};
    if (biased >= 2047) return SoftDouble::FromBits(sign_bits | INF_BITS);
    return SoftDouble::FromBits(sign_bits | (static_cast<uint64_t>(biased) << 52) | (s & FRAC_MASK));
}

bool IsZero(uint64_t bits) { return (bits & ~SIGN_BIT) == 0; }

/** Shifts v right by dist, or-ing every lost bit into the lowest bit. */
U128 ShiftRightJam(U128 v, int dist)
{
    if (dist <= 0) return v;
    if (dist >= 128) return v != 0 ? 1 : 0;
    const bool lost{(v & ((U128{1} << dist) - 1)) != 0};
    return (v >> dist) | (lost ? 1 : 0);
}

/** Adds two finite nonzero magnitudes given as (sig, exp) pairs with signs,
 *  each sig normalised to bit 125 so that the larger keeps >= 19 trailing
 *  zero bits (see MulAdd/Add): the jammed smaller operand then never makes
 *  the rounding wrong. */
SoftDouble AddAligned(bool sign_a, int exp_a, U128 sig_a, bool sign_b, int exp_b, U128 sig_b)
{
    if (exp_a < exp_b || (exp_a == exp_b && sig_a < sig_b)) {
        std::swap(sign_a, sign_b);
        std::swap(exp_a, exp_b);
        std::swap(sig_a, sig_b);
    }
    sig_b = ShiftRightJam(sig_b, exp_a - exp_b);
    if (sign_a == sign_b) return RoundPack(sign_a, exp_a, sig_a + sig_b, false);
    const U128 diff{sig_a - sig_b};
    if (diff == 0) return SoftDouble::Zero();
    return RoundPack(sign_a, exp_a, diff, false);
}

/** Puts sig's top bit at bit 125 (sig != 0), adjusting exp. */
void AlignTo125(U128& sig, int& exp)
{
    const int shift{125 - (BitLength(sig) - 1)};
    if (shift >= 0) {
        sig <<= shift;
    } else {
        sig >>= -shift;  // never loses bits for the operands used here
    }
    exp -= shift;
}

}  // namespace

SoftDouble SoftDouble::FromInt(int64_t value)
{
    const bool sign{value < 0};
    const uint64_t mag{sign ? 0 - static_cast<uint64_t>(value) : static_cast<uint64_t>(value)};
    return RoundPack(sign, 0, mag, false);
}

SoftDouble operator+(SoftDouble a, SoftDouble b)
{
    if (a.IsNaN() || b.IsNaN()) return SoftDouble::FromBits(DEFAULT_NAN);
    if (a.IsInf()) {
        if (b.IsInf() && a.IsNegative() != b.IsNegative()) return SoftDouble::FromBits(DEFAULT_NAN);
        return a;
    }
    if (b.IsInf()) return b;
    if (IsZero(a.Bits())) {
        if (IsZero(b.Bits())) return SoftDouble::FromBits(a.Bits() & b.Bits() & SIGN_BIT);
        return b;
    }
    if (IsZero(b.Bits())) return a;
    const Unpacked ua{Unpack(a.Bits())};
    const Unpacked ub{Unpack(b.Bits())};
    U128 sa{ua.sig};
    U128 sb{ub.sig};
    int ea{ua.exp};
    int eb{ub.exp};
    AlignTo125(sa, ea);
    AlignTo125(sb, eb);
    return AddAligned(ua.sign, ea, sa, ub.sign, eb, sb);
}

SoftDouble operator-(SoftDouble a, SoftDouble b) { return a + (-b); }

SoftDouble operator*(SoftDouble a, SoftDouble b)
{
    if (a.IsNaN() || b.IsNaN()) return SoftDouble::FromBits(DEFAULT_NAN);
    const uint64_t sign_bits{(a.Bits() ^ b.Bits()) & SIGN_BIT};
    if (a.IsInf() || b.IsInf()) {
        if (IsZero(a.Bits()) || IsZero(b.Bits())) return SoftDouble::FromBits(DEFAULT_NAN);
        return SoftDouble::FromBits(sign_bits | INF_BITS);
    }
    if (IsZero(a.Bits()) || IsZero(b.Bits())) return SoftDouble::FromBits(sign_bits);
    const Unpacked ua{Unpack(a.Bits())};
    const Unpacked ub{Unpack(b.Bits())};
    return RoundPack(sign_bits != 0, ua.exp + ub.exp, U128{ua.sig} * ub.sig, false);
}

SoftDouble operator/(SoftDouble a, SoftDouble b)
{
    if (a.IsNaN() || b.IsNaN()) return SoftDouble::FromBits(DEFAULT_NAN);
    const uint64_t sign_bits{(a.Bits() ^ b.Bits()) & SIGN_BIT};
    if (a.IsInf()) {
        if (b.IsInf()) return SoftDouble::FromBits(DEFAULT_NAN);
        return SoftDouble::FromBits(sign_bits | INF_BITS);
    }
    if (b.IsInf()) return SoftDouble::FromBits(sign_bits);
    if (IsZero(b.Bits())) {
        if (IsZero(a.Bits())) return SoftDouble::FromBits(DEFAULT_NAN);
        return SoftDouble::FromBits(sign_bits | INF_BITS);
    }
    if (IsZero(a.Bits())) return SoftDouble::FromBits(sign_bits);
    Unpacked ua{Unpack(a.Bits())};
    Unpacked ub{Unpack(b.Bits())};
    Normalize(ua);
    Normalize(ub);
    // Both significands are in [2^52, 2^53): the quotient has 73..75 bits,
    // far more than the 53 + guard bits rounding needs; a nonzero remainder
    // becomes the sticky bit.
    constexpr int EXTRA{74};
    const U128 num{U128{ua.sig} << EXTRA};
    const U128 q{num / ub.sig};
    const bool sticky{num % ub.sig != 0};
    return RoundPack(sign_bits != 0, ua.exp - ub.exp - EXTRA, q, sticky);
}

SoftDouble MulAdd(SoftDouble a, SoftDouble b, SoftDouble c)
{
    if (a.IsNaN() || b.IsNaN() || c.IsNaN()) return SoftDouble::FromBits(DEFAULT_NAN);
    const bool prod_sign{((a.Bits() ^ b.Bits()) & SIGN_BIT) != 0};
    if (a.IsInf() || b.IsInf()) {
        if (IsZero(a.Bits()) || IsZero(b.Bits())) return SoftDouble::FromBits(DEFAULT_NAN);
        return SoftDouble::FromBits((prod_sign ? SIGN_BIT : 0) | INF_BITS) + c;
    }
    if (c.IsInf()) return c;
    if (IsZero(a.Bits()) || IsZero(b.Bits())) {
        return SoftDouble::FromBits(prod_sign ? SIGN_BIT : 0) + c;
    }
    const Unpacked ua{Unpack(a.Bits())};
    const Unpacked ub{Unpack(b.Bits())};
    U128 sp{U128{ua.sig} * ub.sig};
    int ep{ua.exp + ub.exp};
    if (IsZero(c.Bits())) return RoundPack(prod_sign, ep, sp, false);
    const Unpacked uc{Unpack(c.Bits())};
    U128 sc{uc.sig};
    int ec{uc.exp};
    AlignTo125(sp, ep);
    AlignTo125(sc, ec);
    return AddAligned(prod_sign, ep, sp, uc.sign, ec, sc);
}

namespace {

/** |value| rounded to an integer (ties to even) or toward -infinity; false
 *  when it does not fit in 63 bits. */
bool RoundMagnitude(const Unpacked& u, bool floor_mode, uint64_t& out)
{
    if (u.sig == 0) {
        out = 0;
        return true;
    }
    if (u.exp >= 0) {
        if (u.exp > 10) return false;
        out = u.sig << u.exp;
        return true;
    }
    const int shift{-u.exp};
    if (shift >= 64) {
        out = (floor_mode && u.sign) ? 1 : 0;
        return true;
    }
    uint64_t q{u.sig >> shift};
    const uint64_t rem{u.sig & ((1ULL << shift) - 1)};
    if (floor_mode) {
        if (u.sign && rem != 0) ++q;
    } else {
        const uint64_t half{1ULL << (shift - 1)};
        if (rem > half || (rem == half && (q & 1) != 0)) ++q;
    }
    out = q;
    return true;
}

int32_t ToInt32(SoftDouble v, bool floor_mode)
{
    constexpr int32_t INT32_MAX_V{0x7FFFFFFF};
    constexpr int32_t INT32_MIN_V{-INT32_MAX_V - 1};
    if (v.IsNaN()) return INT32_MAX_V;
    const Unpacked u{Unpack(v.Bits())};
    uint64_t mag{0};
    const bool ok{!v.IsInf() && RoundMagnitude(u, floor_mode, mag)};
    if (u.sign) {
        if (!ok || mag > 0x80000000ULL) return INT32_MIN_V;
        return static_cast<int32_t>(-static_cast<int64_t>(mag));
    }
    if (!ok || mag > 0x7FFFFFFFULL) return INT32_MAX_V;
    return static_cast<int32_t>(mag);
}

}  // namespace

int32_t SoftDouble::RoundToInt32() const { return ToInt32(*this, false); }
int32_t SoftDouble::FloorToInt32() const { return ToInt32(*this, true); }

SoftDouble SoftDouble::RoundToIntegral() const
{
    const int biased{BiasedExponent()};
    if (biased <= 0x3FE) {  // |x| < 1
        if (IsZero(m_bits)) return *this;
        const uint64_t sign_bits{m_bits & SIGN_BIT};
        // Above one half rounds to 1; exactly one half is a tie to even (0).
        if (biased == 0x3FE && (m_bits & FRAC_MASK) != 0) return FromBits(sign_bits | One().Bits());
        return FromBits(sign_bits);
    }
    if (biased >= 0x433) return IsNaN() ? FromBits(DEFAULT_NAN) : *this;  // already integral
    const uint64_t last_bit{1ULL << (0x433 - biased)};
    const uint64_t round_mask{last_bit - 1};
    uint64_t z{m_bits + (last_bit >> 1)};
    if ((z & round_mask) == 0) z &= ~last_bit;
    z &= ~round_mask;
    return FromBits(z);
}

namespace {

/** log2(64) = 6: the table holds 2^(i/64), i = 0..63. */
constexpr int EXPTAB_SCALE{6};
constexpr int EXPTAB_MASK{(1 << EXPTAB_SCALE) - 1};

/** 2^(i/64) for i = 0..63, as OpenCV's softfloat exp table. */
constexpr std::array<uint64_t, 64> EXP_TABLE{
    0x3ff0000000000000, 0x3ff02c9a3e778061, 0x3ff059b0d3158574, 0x3ff0874518759bc8,
    0x3ff0b5586cf9890f, 0x3ff0e3ec32d3d1a2, 0x3ff11301d0125b51, 0x3ff1429aaea92de0,
    0x3ff172b83c7d517b, 0x3ff1a35beb6fcb75, 0x3ff1d4873168b9aa, 0x3ff2063b88628cd6,
    0x3ff2387a6e756238, 0x3ff26b4565e27cdd, 0x3ff29e9df51fdee1, 0x3ff2d285a6e4030b,
    0x3ff306fe0a31b715, 0x3ff33c08b26416ff, 0x3ff371a7373aa9cb, 0x3ff3a7db34e59ff7,
    0x3ff3dea64c123422, 0x3ff4160a21f72e2a, 0x3ff44e086061892d, 0x3ff486a2b5c13cd0,
    0x3ff4bfdad5362a27, 0x3ff4f9b2769d2ca7, 0x3ff5342b569d4f82, 0x3ff56f4736b527da,
    0x3ff5ab07dd485429, 0x3ff5e76f15ad2148, 0x3ff6247eb03a5585, 0x3ff6623882552225,
    0x3ff6a09e667f3bcd, 0x3ff6dfb23c651a2f, 0x3ff71f75e8ec5f74, 0x3ff75feb564267c9,
    0x3ff7a11473eb0187, 0x3ff7e2f336cf4e62, 0x3ff82589994cce13, 0x3ff868d99b4492ed,
    0x3ff8ace5422aa0db, 0x3ff8f1ae99157736, 0x3ff93737b0cdc5e5, 0x3ff97d829fde4e50,
    0x3ff9c49182a3f090, 0x3ffa0c667b5de565, 0x3ffa5503b23e255d, 0x3ffa9e6b5579fdbf,
    0x3ffae89f995ad3ad, 0x3ffb33a2b84f15fb, 0x3ffb7f76f2fb5e47, 0x3ffbcc1e904bc1d2,
    0x3ffc199bdd85529c, 0x3ffc67f12e57d14b, 0x3ffcb720dcef9069, 0x3ffd072d4a07897c,
    0x3ffd5818dcfba487, 0x3ffda9e603db3285, 0x3ffdfc97337b9b5f, 0x3ffe502ee78b3ff6,
    0x3ffea4afa2a490da, 0x3ffefa1bee615a27, 0x3fff50765b6e4540, 0x3fffa7c1819e90d8,
};

}  // namespace

SoftDouble Exp(SoftDouble x)
{
    if (x.IsNaN()) return SoftDouble::FromBits(DEFAULT_NAN);
    if (x.IsInf()) return x.IsNegative() ? SoftDouble::Zero() : x;

    // Constants exactly as OpenCV builds them (each a rounded binary64 op).
    const SoftDouble a0_scale{SoftDouble::FromBits(0x3f83ce0f3e46f431)};
    const SoftDouble max_val{SoftDouble::FromInt(3000 * (1 << EXPTAB_SCALE))};
    const SoftDouble prescale{SoftDouble::FromBits(0x3ff71547652b82fe) * SoftDouble::FromInt(1 << EXPTAB_SCALE)};
    const SoftDouble postscale{SoftDouble::One() / SoftDouble::FromInt(1 << EXPTAB_SCALE)};
    const SoftDouble p5{SoftDouble::One() / a0_scale};
    const SoftDouble p4{SoftDouble::FromBits(0x3fe62e42fefa39f1) / a0_scale};
    const SoftDouble p3{SoftDouble::FromBits(0x3fcebfbdff82a45a) / a0_scale};
    const SoftDouble p2{SoftDouble::FromBits(0x3fac6b08d81fec75) / a0_scale};
    const SoftDouble p1{SoftDouble::FromBits(0x3f83b2a72b4f3cd3) / a0_scale};
    const SoftDouble p0{SoftDouble::FromBits(0x3f55e7aa1566c2a4) / a0_scale};

    SoftDouble x0{x.BiasedExponent() > 1023 + 10 ? (x.IsNegative() ? -max_val : max_val) : x * prescale};
    const int32_t val0{x0.RoundToInt32()};
    int t{(val0 >> EXPTAB_SCALE) + 1023};
    t = t < 0 ? 0 : (t > 2047 ? 2047 : t);
    const SoftDouble buf{SoftDouble::FromBits(static_cast<uint64_t>(t) << 52)};
    x0 = (x0 - x0.RoundToIntegral()) * postscale;
    const SoftDouble poly{((((p0 * x0 + p1) * x0 + p2) * x0 + p3) * x0 + p4) * x0 + p5};
    return buf * a0_scale * SoftDouble::FromBits(EXP_TABLE[static_cast<size_t>(val0 & EXPTAB_MASK)]) * poly;
}

}  // namespace hpips
