// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_UNIT_H
#define HPIPS_POUW_UNIT_H

#include <pouw/params.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

/** Work units (doc/pouw.md §2): the descriptor, its 148-byte encoding, the
 *  unit id U, validity under a ShapeRules, the Merkle commitments of a job's
 *  A rows and B columns, and filler units derived from the parent block. */
namespace hpips::pouw {

/** Merkle domains of a job unit's A rows and B columns. */
constexpr std::string_view UNIT_A_DOMAIN{"HPIPS/unit-a"};
constexpr std::string_view UNIT_B_DOMAIN{"HPIPS/unit-b"};
/** Tag of the unit id and of the filler key. */
constexpr std::string_view UNIT_ID_TAG{"HPIPS/unit"};
constexpr std::string_view FILLER_KEY_TAG{"HPIPS/filler"};

/** kind field: a filler unit or a job unit. */
enum class UnitKind : uint8_t { FILLER = 0, JOB = 1 };

/** A unit descriptor, field for field as doc/pouw.md §2 serializes it.
 *  Holds any values (it is decoded from untrusted data); Validate() says
 *  whether they describe an allowed unit. */
struct UnitDescriptor {
    uint8_t rules_version{RULES_VERSION};
    uint8_t kind{static_cast<uint8_t>(UnitKind::JOB)};
    /** Job: the job's id. Filler: the filler key FK. */
    uint256 job_id;
    /** Job: output region index. Filler: filler index. */
    uint32_t region{0};
    UnitShape shape;
    uint32_t noise_rank{NOISE_RANK};
    uint32_t tile{TILE};
    int32_t requant_multiplier{0};
    int32_t requant_shift{0};
    int32_t input_zero_point{0};
    int32_t output_zero_point{0};
    int32_t clamp_min{0};
    int32_t clamp_max{0};
    uint8_t relu{0};
    uint8_t maxpool{0};
    /** Job: Merkle root of A's m rows. Filler: zero. */
    uint256 a_root;
    /** Job: Merkle root of B's n columns. Filler: zero. */
    uint256 b_root;

    bool IsFiller() const { return kind == static_cast<uint8_t>(UnitKind::FILLER); }
    friend bool operator==(const UnitDescriptor&, const UnitDescriptor&) = default;
};

/** The 148-byte encoding (all integers LE). */
std::array<uint8_t, UNIT_DESCRIPTOR_SIZE> SerializeDescriptor(const UnitDescriptor& descriptor);
/** Decodes exactly UNIT_DESCRIPTOR_SIZE bytes (no validity check). */
Result<UnitDescriptor> ParseDescriptor(std::span<const uint8_t> bytes);
/** Reads the 148 descriptor bytes. Throws SerializeError; for use inside a
 *  Decode() boundary. */
UnitDescriptor ReadDescriptor(Reader& r);
/** Checks every validity rule of §2; the error names the first bad field. */
Result<void> ValidateDescriptor(const UnitDescriptor& descriptor, const ShapeRules& rules);
/** U = TaggedHash("HPIPS/unit", descriptor bytes). */
uint256 ComputeUnitId(const UnitDescriptor& descriptor);

/** A unit's inputs in GEMM layout: A m×k and B k×n, both row-major int8. */
struct UnitData {
    UnitShape shape;
    std::vector<int8_t> a;
    std::vector<int8_t> b;
};

/** Checks that a and b have m·k and k·n entries, every one within ±INPUT_BOUND. */
Result<void> CheckUnitData(const UnitData& data);

/** Merkle root of domain UNIT_A_DOMAIN over A's rows (k bytes each). */
uint256 ComputeARoot(const UnitData& data);
/** Merkle root of domain UNIT_B_DOMAIN over B's columns (k bytes each). */
uint256 ComputeBRoot(const UnitData& data);

/** FK = TaggedHash("HPIPS/filler", prev_block_hash ‖ miner_key ‖ index u32 LE). */
uint256 ComputeFillerKey(const uint256& prev_block_hash, std::span<const uint8_t, 32> miner_key, uint32_t index);

/** The descriptor of filler unit `index` of a miner on top of `prev_block_hash`. */
UnitDescriptor MakeFillerDescriptor(const uint256& prev_block_hash, std::span<const uint8_t, 32> miner_key,
                                    uint32_t index, const ShapeRules& rules);

/** Row i (k values) of a filler unit's A: the PRG stream (FK, 5, i). */
void FillerRow(const uint256& filler_key, uint32_t row, std::span<int8_t> out);
/** Column c (k values) of a filler unit's B: the PRG stream (FK, 6, c). */
void FillerColumn(const uint256& filler_key, uint32_t column, std::span<int8_t> out);
/** The whole A and B of a filler unit of `shape`. */
UnitData MakeFillerData(const uint256& filler_key, const UnitShape& shape);

/** The 64 rows of A (64·k, row-major) and 64 columns of B (64·k, column c
 *  contiguous) that tile `tile_index` reads. Preconditions: the shape is
 *  valid and the tile index is in range. */
struct TileInputs {
    uint32_t k{0};
    std::vector<int8_t> a_rows;
    std::vector<int8_t> b_cols;
};
/** Extracts a tile's inputs from the unit's data. */
TileInputs ExtractTileInputs(const UnitData& data, uint32_t tile_index);
/** Generates a filler unit tile's inputs directly from the key (O(64·k)). */
TileInputs FillerTileInputs(const uint256& filler_key, const UnitShape& shape, uint32_t tile_index);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_UNIT_H
