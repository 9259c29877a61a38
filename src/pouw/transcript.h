// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_TRANSCRIPT_H
#define HPIPS_POUW_TRANSCRIPT_H

#include <pouw/noise.h>
#include <pouw/params.h>
#include <pouw/transcript_math.h>
#include <pouw/unit.h>
#include <util/result.h>

#include <array>
#include <atomic>
#include <cstdint>
#include <span>
#include <string_view>
#include <vector>

namespace hpips {
class ThreadPool;
}

/** The per-tile transcript (doc/pouw.md §6): for each 64×64 output tile, the
 *  partial sums after every step of 32 along k, folded into a 256-bit state.
 *
 *  Two implementations of the same function:
 *  - the reference (ReferenceTileState): plain loops over A, B and the noise,
 *    obviously correct, slow;
 *  - the fast path (ComputeUnitTranscript / ComputeTileTranscript): A' and B'
 *    built once, then per tile an int8 micro-kernel (AVX-512 VNNI when the CPU
 *    has it, else portable scalar code) that keeps the accumulators in
 *    registers and digests each step on the fly.
 *  Every backend and every thread count gives identical states (tests check
 *  it). A CUDA backend plugs in as another TranscriptBackend value. */
namespace hpips::pouw {

/** A tile's transcript state: 8 u32 words (serialized LE: the proof's `state`). */
using TileState = std::array<uint32_t, STATE_WORDS>;
/** A step digest: 16 u32 lanes. */
using StepDigest = std::array<uint32_t, DIGEST_LANES>;

/** The 32-byte LE encoding of a state (the header's `state` field). */
std::array<uint8_t, 32> EncodeState(const TileState& state);
/** Inverse of EncodeState. */
TileState DecodeState(std::span<const uint8_t, 32> bytes);

/** The fast-path implementations. */
enum class TranscriptBackend {
    SCALAR,       //!< portable C++ on prepared A', B'
    AVX512_VNNI,  //!< vpdpbusd micro-kernel (x86-64 with AVX-512 F/BW/VL/VNNI)
    CUDA,         //!< int8 tensor cores on a CUDA device (src/pouw/cuda, doc/pouw.md "CUDA backend")
};

/** "scalar", "avx512vnni" or "cuda". */
std::string_view TranscriptBackendName(TranscriptBackend backend);
/** Inverse of TranscriptBackendName. */
Result<TranscriptBackend> ParseTranscriptBackend(std::string_view name);
/** Whether this machine can run the backend (SCALAR always can; CUDA needs a
 *  build with the backend and a usable device, see kernels/device.h). */
bool TranscriptBackendSupported(TranscriptBackend backend);
/** The fastest supported CPU backend. */
TranscriptBackend BestTranscriptBackend();
/** Every supported backend, slowest first. */
std::vector<TranscriptBackend> SupportedTranscriptBackends();

/** D_s of a 64×64 block of partial sums P (row-major): lane l sums
 *  g(r, c, P[r][c]) over every r and every c ≡ l (mod 16). */
StepDigest ComputeStepDigest(std::span<const int32_t> partial_sums);

/** The reference transcript of tile `tile_index`: `inputs` holds the tile's
 *  64 rows of A and 64 columns of B, `noise` covers the tile (Noise::DrawTile
 *  or DrawUnit). Plain loops: per step P_s, its digest, the state update. */
TileState ReferenceTileState(const TileInputs& inputs, const Noise& noise, uint32_t tile_index);
/** The reference states after every step (element s is the state after step
 *  s; the last one is the transcript state), for test vectors. */
std::vector<TileState> ReferenceStepStates(const TileInputs& inputs, const Noise& noise, uint32_t tile_index);

/** Options of the fast transcript of a whole unit. */
struct TranscriptOptions {
    TranscriptBackend backend{TranscriptBackend::SCALAR};
    /** Tiles are spread over this pool (nullptr: the calling thread). */
    ThreadPool* pool{nullptr};
    /** Checked between tiles: when it reads true the computation stops early. */
    const std::atomic<bool>* stop{nullptr};
    /** When set, receives A'·B' (m×n int32, row-major): the input of denoising. */
    std::span<int32_t> noisy_product{};
};

/** The states of every tile of a unit (row-major tile order). */
struct UnitTranscript {
    std::vector<TileState> states;
    /** False when the stop flag ended the computation early (states are then partial). */
    bool complete{false};
};

/** The fast transcript of a whole unit. Errors: data not matching the
 *  shape, a shape that is not a whole number of tiles and steps, an
 *  unsupported backend, or noise not covering the unit. Inputs outside
 *  ±INPUT_BOUND are the caller's to reject first (CheckUnitData). */
Result<UnitTranscript> ComputeUnitTranscript(const UnitData& data, const Noise& noise, const TranscriptOptions& options);

/** The fast transcript of one tile from its inputs (what a verifier has);
 *  `noise` must cover the tile. Runs on the calling thread. */
Result<TileState> ComputeTileTranscript(const TileInputs& inputs, const Noise& noise, uint32_t tile_index,
                                        TranscriptBackend backend);

}  // namespace hpips::pouw

#endif  // HPIPS_POUW_TRANSCRIPT_H
