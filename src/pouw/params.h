// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_PARAMS_H
#define HPIPS_POUW_PARAMS_H

#include <cstddef>
#include <cstdint>

/** The constants of the proof of useful work (doc/pouw.md §1) and the sets of
 *  unit shapes a chain allows. Nothing here reads chain parameters: consensus
 *  passes a ShapeRules value (ShapeRules::Main() or ShapeRules::Regtest()). */
namespace hpips::pouw {

/** First byte of every unit descriptor. */
constexpr uint8_t RULES_VERSION{1};
/** Output tiles are TILE × TILE. */
constexpr uint32_t TILE{64};
/** Rank of each noise matrix E and F. */
constexpr uint32_t NOISE_RANK{32};
/** Inner dimension of the noise factors: one more than the rank, because each
 *  k-side column is a ±1 pair whose vertices form a spanning path (§4). */
constexpr uint32_t NOISE_DIM{NOISE_RANK + 1};
/** Width of one transcript step along k. */
constexpr uint32_t STEP{32};
static_assert(STEP <= NOISE_RANK, "a step wider than the noise rank lets low-rank inputs skip work");
/** Range of the outer noise factor values E_L, F_R. */
constexpr int32_t NOISE_VALUE_MIN{-8};
constexpr int32_t NOISE_VALUE_MAX{7};
/** Bound on |E| and |F|: each entry is a difference of two outer values. */
constexpr int32_t NOISE_BOUND{NOISE_VALUE_MAX - NOISE_VALUE_MIN};
/** Bound on |A| and |B|, so that |A + E| and |B + F| fit int8. */
constexpr int32_t INPUT_BOUND{112};
static_assert(INPUT_BOUND + NOISE_BOUND <= 127, "noisy inputs must fit int8");
/** The k of a reference tile (ticket weight 1). */
constexpr uint32_t K_REF{4096};
/** Most multiply-accumulates (m·n·k) of any unit. */
constexpr uint64_t MAX_UNIT_MACS{uint64_t{1} << 31};
/** Size of a serialized unit descriptor. */
constexpr size_t UNIT_DESCRIPTOR_SIZE{148};
/** Number of ChaCha20 words a step path consumes: 32 for the shuffle, 1 of signs. */
constexpr uint32_t PATH_WORDS{NOISE_RANK + 1};

/** Main/test chains: allowed m, n and the range of k. */
constexpr uint32_t MAIN_M_VALUES[]{1024, 2048};
constexpr uint32_t MAIN_N_VALUES[]{64, 128, 192, 256};
constexpr uint32_t MAIN_K_MIN{16 * NOISE_RANK};
constexpr uint32_t MAIN_K_MAX{4 * NOISE_RANK * NOISE_RANK};
/** k must be a multiple of this (also a multiple of STEP and of the VNNI group). */
constexpr uint32_t K_MULTIPLE{64};
/** Regtest additionally allows these m, n and k so tests mine in milliseconds. */
constexpr uint32_t REGTEST_EXTRA_DIMS[]{64, 128};
static_assert(MAIN_K_MAX == K_REF, "the reference tile is the largest k");

/** A GEMM shape: A is m×k, B is k×n, C is m×n. */
struct UnitShape {
    uint32_t m{0};
    uint32_t n{0};
    uint32_t k{0};

    /** Number of 64×64 output tiles (the shape must have m, n multiples of TILE). */
    uint32_t TileCount() const { return (m / TILE) * (n / TILE); }
    /** Number of transcript steps. */
    uint32_t Steps() const { return k / STEP; }
    friend bool operator==(const UnitShape&, const UnitShape&) = default;
};

/** The filler shape of main and test chains. */
constexpr UnitShape MAIN_FILLER_SHAPE{1024, 256, 2304};
/** The filler shape of regtest. */
constexpr UnitShape REGTEST_FILLER_SHAPE{64, 64, 64};

/** Which unit shapes a chain accepts, and its filler shape. Passed in by the
 *  caller (consensus parameters); a plain value type. */
class ShapeRules {
public:
    /** The main/test chain set. */
    static constexpr ShapeRules Main() { return ShapeRules{false}; }
    /** The main set plus the small regtest shapes. */
    static constexpr ShapeRules Regtest() { return ShapeRules{true}; }

    /** True when m·n·k is allowed (doc/pouw.md §1 "Allowed unit shapes"). */
    bool IsAllowed(const UnitShape& shape) const;
    /** The chain's filler shape. */
    UnitShape FillerShape() const { return m_regtest ? REGTEST_FILLER_SHAPE : MAIN_FILLER_SHAPE; }
    /** The largest tile count of any allowed shape: a header's tile index must be below it. */
    uint32_t MaxTileCount() const;
    bool IsRegtest() const { return m_regtest; }

private:
    constexpr explicit ShapeRules(bool regtest) : m_regtest{regtest} {}
    bool m_regtest{false};
};

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_PARAMS_H
