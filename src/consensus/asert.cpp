// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/asert.h>

#include <algorithm>
#include <cassert>

namespace hpips {
namespace {

/** Drift range kept before the exponent is formed. With HPIPS's half-life
 *  (17,280 s) ±2^40 s is about ±6.4·10^7 half-lives, far past the 2^±256
 *  range in which the target is not already clamped to 1 or pow_limit; the
 *  bound keeps drift·65536 below 2^57. */
constexpr int64_t MAX_ABS_DRIFT = int64_t{1} << 40;

/** The schedule drift t − spacing·(h + 1), computed exactly and then clamped
 *  to ±MAX_ABS_DRIFT, so the result is monotonic in the true drift: a huge
 *  positive drift gives pow_limit, a huge negative one target 1, whatever
 *  the magnitudes of t and h. Exact because, in 128 bits, |t| < 2^64,
 *  1 <= h + 1 <= 2^64 and 0 < spacing < 2^63 give |drift| < 2^127, for every
 *  int64 input that meets NextTargetAsert's precondition. */
int64_t ClampedDrift(const AsertAnchor& anchor, int64_t spacing, int64_t parent_height, int64_t parent_time)
{
    using Int128 = __int128;
    const Int128 time_delta{Int128{parent_time} - Int128{anchor.parent_time}};
    const Int128 blocks{Int128{parent_height} - Int128{anchor.height} + 1};
    const Int128 drift{time_delta - blocks * Int128{spacing}};
    return static_cast<int64_t>(std::clamp(drift, Int128{-MAX_ABS_DRIFT}, Int128{MAX_ABS_DRIFT}));
}

}  // namespace

uint32_t NextTargetAsert(const AsertAnchor& anchor, const AsertParams& params, int64_t parent_height,
                         int64_t parent_time)
{
    assert(parent_height >= anchor.height);
    assert(params.half_life > 0 && params.spacing > 0);
    const auto anchor_target = TargetFromBits(anchor.bits);
    assert(anchor_target && *anchor_target <= params.pow_limit);

    const int64_t drift = ClampedDrift(anchor, params.spacing, parent_height, parent_time);
    // |drift|·65536 <= 2^56: no overflow. C++ division truncates toward zero, as
    // in aserti3-2d's reference implementation.
    const int64_t exponent = drift * 65536 / params.half_life;
    // Arithmetic shift: floor(exponent / 65536); the remainder is in [0, 65535].
    const int64_t shifts = exponent >> 16;
    const uint64_t frac = static_cast<uint64_t>(exponent - shifts * 65536);

    // 2^(frac/65536) ≈ 1 + (195766423245049·f + 971821376·f² + 5127·f³ + 2^47) / 2^48,
    // aserti3-2d's cubic; every term fits in 64 bits for f < 65536.
    const uint64_t factor = ((uint64_t{195'766'423'245'049} * frac + uint64_t{971'821'376} * frac * frac +
                              uint64_t{5127} * frac * frac * frac + (uint64_t{1} << 47)) >>
                             48) +
                            65536;

    ArithUint512 next = ArithUint512{*anchor_target} * factor;  // < 2^273
    if (shifts < 0) {
        next = (-shifts >= 512) ? ArithUint512{0} : ArithUint512{next >> static_cast<unsigned>(-shifts)};
    } else if (shifts > 0) {
        // A result of 2^(256+16) or more exceeds every pow limit after the
        // final >> 16; checking the bit length first keeps the shift inside
        // 512 bits for any anchor, the easiest included.
        const int64_t bits = static_cast<int64_t>(boost::multiprecision::msb(next)) + 1;
        if (bits + shifts > 256 + 17) return EncodeCompact(params.pow_limit);
        next <<= static_cast<unsigned>(shifts);
    }
    next >>= 16;
    if (next == 0) return EncodeCompact(ArithUint256{1});
    if (next > ArithUint512{params.pow_limit}) return EncodeCompact(params.pow_limit);
    return EncodeCompact(static_cast<ArithUint256>(next));
}

}  // namespace hpips
