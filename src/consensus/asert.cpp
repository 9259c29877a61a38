// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <consensus/asert.h>

#include <cassert>
#include <limits>

namespace hpips {
namespace {

/** Exponent range kept before shifting. Beyond ±2^40 (2^24 doublings) the
 *  result is clamped anyway, and the bound keeps every product inside 64 bits. */
constexpr int64_t MAX_ABS_DRIFT = int64_t{1} << 40;

/** Saturating a − b for the time and height deltas, so absurd timestamps
 *  cannot overflow int64 (the result is clamped to the target range later). */
int64_t ClampedDrift(int64_t time_delta, int64_t spacing, int64_t height_delta)
{
    // Both deltas are far below 2^62 for any real chain; clamp to keep the
    // arithmetic defined for every input a peer could send.
    auto clamp = [](int64_t v) {
        if (v > MAX_ABS_DRIFT) return MAX_ABS_DRIFT;
        if (v < -MAX_ABS_DRIFT) return -MAX_ABS_DRIFT;
        return v;
    };
    const int64_t ideal = clamp(height_delta + 1) * spacing;
    return clamp(clamp(time_delta) - clamp(ideal));
}

}  // namespace

uint32_t NextTargetAsert(const AsertAnchor& anchor, const AsertParams& params, int64_t parent_height,
                         int64_t parent_time)
{
    assert(parent_height >= anchor.height);
    assert(params.half_life > 0 && params.spacing > 0);
    const auto anchor_target = TargetFromBits(anchor.bits);
    assert(anchor_target && *anchor_target <= params.pow_limit);

    const int64_t drift = ClampedDrift(parent_time - anchor.parent_time, params.spacing,
                                       parent_height - anchor.height);
    // drift·65536 < 2^57: no overflow. C++ division truncates toward zero, as
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
