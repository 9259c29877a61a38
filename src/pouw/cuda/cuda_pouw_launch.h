// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_POUW_CUDA_CUDA_POUW_LAUNCH_H
#define HPIPS_POUW_CUDA_CUDA_POUW_LAUNCH_H

// Plain C++ header: the raw launchers of the miner engine's CUDA kernels
// (cuda_pouw.cu, library hpips_pouw_cuda). Plain pointers and integers only,
// so the CUDA library never links back into hpips_pouw; the checked API with
// the pouw types is cuda_transcript.h. Pointers are HOST memory; every call
// copies to the current device, runs on the default stream and blocks.

#include <pouw/params.h>
#include <util/result.h>

#include <cstdint>
#include <memory>

namespace hpips::pouw::cuda {

/** Largest k the device path accepts: up to K_REF every int32 partial sum and
 *  every denoising term is exact (doc/pouw.md §1, §5), so the device needs no
 *  wider accumulators. Every allowed shape has k ≤ K_REF. */
constexpr uint32_t CUDA_MAX_K{K_REF};

/** Host-drawn noise factors of a block of rows and columns. */
struct NoiseFactorsView {
    const int8_t* e_left{nullptr};   //!< rows × NOISE_DIM: the block's rows of E_L
    const int8_t* f_right{nullptr};  //!< cols × NOISE_DIM: the block's columns of F_R
    const uint8_t* e_plus{nullptr};  //!< k: plus(j) of E_R
    const uint8_t* e_minus{nullptr}; //!< k: minus(j) of E_R
    const uint8_t* f_plus{nullptr};  //!< k: plus'(j) of F_L
    const uint8_t* f_minus{nullptr}; //!< k: minus'(j) of F_L
};

/** Destination of noise drawn on the device (same layout as NoiseFactorsView). */
struct NoiseFactorsOut {
    int8_t* e_left{nullptr};
    int8_t* f_right{nullptr};
    uint8_t* e_plus{nullptr};
    uint8_t* e_minus{nullptr};
    uint8_t* f_plus{nullptr};
    uint8_t* f_minus{nullptr};
};

/** One device run over a block of `rows` × `cols` outputs (both multiples of
 *  TILE) with inner dimension k (a multiple of STEP, at most CUDA_MAX_K),
 *  rows·cols·k ≤ MAX_UNIT_MACS. Tiles are numbered row-major within the
 *  block, and the element map uses tile-local rows and columns, so a block
 *  that is one tile of a larger unit gives that tile's state. */
struct DeviceRun {
    uint32_t rows{0};
    uint32_t cols{0};
    uint32_t k{0};
    const int8_t* a{nullptr};  //!< rows × k, row-major
    const int8_t* b{nullptr};  //!< k × cols, row-major
    /** When set (8 LE key words of σ) the noise is drawn on the device: E_L
     *  rows row_begin.., F_R columns col_begin.., every step's paths; `noise`
     *  is then ignored. */
    const uint32_t* seed_words{nullptr};
    uint32_t row_begin{0};
    uint32_t col_begin{0};
    NoiseFactorsView noise{};
    /** Out, required: (rows/TILE)·(cols/TILE) states of STATE_WORDS words. */
    uint32_t* states{nullptr};
    /** Out, optional: A'·B' (rows × cols, row-major). */
    int32_t* noisy_product{nullptr};
    /** Out, optional: the denoised C = A·B (rows × cols, row-major). */
    int32_t* output{nullptr};
};

/** Checks a run's shape (see DeviceRun); the error names the bound. */
Result<void> CheckDeviceShape(uint32_t rows, uint32_t cols, uint32_t k);

/** Runs the miner's kernels: noise (drawn or copied), A' and B' with a range
 *  check of A and B, the per-tile transcript, and the optional product and
 *  denoising. Errors: a bad shape, a missing pointer, `input-out-of-range`,
 *  no usable device, a CUDA runtime failure. Outputs are unspecified after an
 *  error. */
Result<void> RunOnDevice(const DeviceRun& run);

/** Draws on the device E_L rows [row_begin, row_begin + rows), F_R columns
 *  [col_begin, col_begin + cols) and the paths of k/STEP steps from σ, and
 *  copies them to `out` (every pointer required). Same shape rules as
 *  DeviceRun. */
Result<void> DrawNoiseOnDevice(const uint32_t* seed_words, uint32_t row_begin, uint32_t rows, uint32_t col_begin,
                               uint32_t cols, uint32_t k, const NoiseFactorsOut& out);

/** Most nonces one DeviceUnitSession::RunBatch takes. */
constexpr uint32_t SESSION_MAX_BATCH{256};
/** Streams (each with its own noise, A' and B') a session spreads a batch's
 *  nonces over, so that small units fill the device. */
constexpr uint32_t SESSION_LANES{8};

/** The miner engine's persistent device state for one unit: A and B are
 *  uploaded once at Open, and every buffer a nonce needs (noise, A', B',
 *  states) is allocated once and reused, so a batch of nonces costs only its
 *  kernels and the copy of the states back (no allocation, no operand upload
 *  per nonce). Each nonce's noise is drawn on the device from its σ. The
 *  nonces of a batch are spread over SESSION_LANES streams, each with its own
 *  noise, A' and B', so they run side by side; one synchronisation per batch.
 *  Kernels run on the device that was current when Open ran (the caller's
 *  thread selects it; use it only while that device is current); a session
 *  is used by one thread at a time. */
class DeviceUnitSession {
public:
    /** Same shape rules as DeviceRun; a and b (host, rows × k and k × cols
     *  row-major) are copied at once. Errors: a bad shape, no usable device,
     *  a CUDA failure. */
    static Result<std::unique_ptr<DeviceUnitSession>> Open(uint32_t rows, uint32_t cols, uint32_t k,
                                                           const int8_t* a, const int8_t* b);
    ~DeviceUnitSession();
    DeviceUnitSession(const DeviceUnitSession&) = delete;
    DeviceUnitSession& operator=(const DeviceUnitSession&) = delete;

    /** For each of `count` nonces (1..SESSION_MAX_BATCH), σ's 8 LE key words
     *  at seed_words[8·i]: the states of every tile, written nonce-major to
     *  states[(i·tiles + t)·STATE_WORDS ...]. Errors: a bad count,
     *  `input-out-of-range` (A or B outside ±INPUT_BOUND), a CUDA failure
     *  (the device is then unusable for the session). */
    Result<void> RunBatch(const uint32_t* seed_words, uint32_t count, uint32_t* states);

    uint32_t Tiles() const;

private:
    struct Impl;
    explicit DeviceUnitSession(std::unique_ptr<Impl> impl);
    std::unique_ptr<Impl> m_impl;
};

}  // namespace hpips::pouw::cuda

#endif  // HPIPS_POUW_CUDA_CUDA_POUW_LAUNCH_H
