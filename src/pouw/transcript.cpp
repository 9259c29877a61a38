// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/transcript.h>

#include <kernels/cpu_features.h>
#include <kernels/device.h>
#include <pouw/noise_math.h>
#include <pouw/transcript_kernels.h>
#include <util/thread_pool.h>

#include <algorithm>
#include <cassert>

#ifdef HPIPS_HAVE_POUW_CUDA
#include <pouw/cuda/cuda_transcript.h>
#endif

namespace hpips::pouw {
namespace {

using detail::PANEL_GROUP_BYTES;
using detail::TileOperands;
using detail::VNNI_GROUP;

/** A', B' and the backend's layouts for a block of rows and columns. */
struct PreparedOperands {
    uint32_t rows{0};
    uint32_t cols{0};
    uint32_t k{0};
    std::vector<int8_t> a;          //!< rows × k, row-major: A' (SCALAR) or A' + 128 as u8 (AVX512_VNNI)
    std::vector<int8_t> b_rows;     //!< B' as k × cols, row-major
    std::vector<int8_t> b_cols;     //!< B' as cols × k, column-contiguous (SCALAR)
    std::vector<int8_t> b_panels;   //!< (cols/64) panels of (k/4) groups (AVX512_VNNI)
    std::vector<int32_t> col_corr;  //!< (cols/64) panels × steps × 64 (AVX512_VNNI)
};

/** Builds the A side for `rows` rows starting at absolute row `row0`; `a` is
 *  the rows' A (row-major, k each). */
void BuildNoisyA(const int8_t* a, uint32_t rows, uint32_t row0, const Noise& noise, TranscriptBackend backend,
                 PreparedOperands& out)
{
    const uint32_t k{out.k};
    out.a.resize(size_t{rows} * k);
    if (backend == TranscriptBackend::AVX512_VNNI) {
        std::vector<int16_t> plus(k), minus(k);
        for (uint32_t j = 0; j < k; ++j) {
            plus[j] = noise.EPlus(j);
            minus[j] = noise.EMinus(j);
        }
        std::vector<const int8_t*> outer(rows);
        for (uint32_t r = 0; r < rows; ++r) outer[r] = noise.ELeft(row0 + r).data();
        detail::BuildNoisyRowsAvx512(a, rows, k, outer.data(), plus.data(), minus.data(),
                                     reinterpret_cast<uint8_t*>(out.a.data()));
        return;
    }
    for (uint32_t r = 0; r < rows; ++r) {
        const int8_t* outer{noise.ELeft(row0 + r).data()};
        const int8_t* src{a + size_t{r} * k};
        int8_t* dst{out.a.data() + size_t{r} * k};
        for (uint32_t j = 0; j < k; ++j) {
            dst[j] = static_cast<int8_t>(src[j] + NoiseEntry(outer, noise.EPlus(j), noise.EMinus(j)));
        }
    }
}

/** Builds B' = B + F row by row; `b_at(j, c)` reads B for the block's local
 *  column c, `b_row(j)` returns row j of B when it is contiguous (or null). */
template <typename BAt, typename BRow>
void BuildNoisyB(const BAt& b_at, const BRow& b_row, uint32_t cols, uint32_t col0, const Noise& noise,
                 TranscriptBackend backend, PreparedOperands& out)
{
    const uint32_t k{out.k};
    // F_R transposed (NOISE_DIM rows of the block's columns): row j of F is
    // then the difference of two contiguous rows, which vectorizes.
    std::vector<int8_t> f_right_t(size_t{NOISE_DIM} * cols);
    for (uint32_t c = 0; c < cols; ++c) {
        for (uint32_t t = 0; t < NOISE_DIM; ++t) f_right_t[size_t{t} * cols + c] = noise.FRight(col0 + c)[t];
    }
    out.b_rows.resize(size_t{k} * cols);
    for (uint32_t j = 0; j < k; ++j) {
        const int8_t* f_plus{f_right_t.data() + size_t{noise.FPlus(j)} * cols};
        const int8_t* f_minus{f_right_t.data() + size_t{noise.FMinus(j)} * cols};
        int8_t* dst{out.b_rows.data() + size_t{j} * cols};
        if (const int8_t* src{b_row(j)}; src != nullptr) {
            for (uint32_t c = 0; c < cols; ++c) dst[c] = static_cast<int8_t>(src[c] + f_plus[c] - f_minus[c]);
        } else {
            for (uint32_t c = 0; c < cols; ++c) dst[c] = static_cast<int8_t>(b_at(j, c) + f_plus[c] - f_minus[c]);
        }
    }
    if (backend == TranscriptBackend::AVX512_VNNI) {
        const uint32_t panels{cols / TILE};
        out.b_panels.resize(size_t{panels} * (k / VNNI_GROUP) * PANEL_GROUP_BYTES);
        out.col_corr.resize(size_t{panels} * (k / STEP) * TILE);
        detail::PackPanelsAvx512(out.b_rows.data(), k, cols, out.b_panels.data(), out.col_corr.data());
        return;
    }
    out.b_cols.resize(size_t{cols} * k);
    for (uint32_t j = 0; j < k; ++j) {
        for (uint32_t c = 0; c < cols; ++c) out.b_cols[size_t{c} * k + j] = out.b_rows[size_t{j} * cols + c];
    }
}

TileOperands OperandsOfTile(const PreparedOperands& prep, uint32_t tile_row, uint32_t tile_col)
{
    const uint32_t k{prep.k}, steps{k / STEP};
    TileOperands op;
    op.k = k;
    op.a = prep.a.data() + size_t{tile_row} * TILE * k;
    op.lda = k;
    if (!prep.b_panels.empty()) {
        op.b_panel = prep.b_panels.data() + size_t{tile_col} * (k / VNNI_GROUP) * PANEL_GROUP_BYTES;
        op.col_corr = prep.col_corr.data() + size_t{tile_col} * steps * TILE;
    } else {
        op.b_cols = prep.b_cols.data() + size_t{tile_col} * TILE * k;
        op.ldb = k;
    }
    return op;
}

TileState RunTile(TranscriptBackend backend, const TileOperands& op)
{
    switch (backend) {
    case TranscriptBackend::AVX512_VNNI: return detail::TileTranscriptAvx512Vnni(op);
    case TranscriptBackend::SCALAR:
    case TranscriptBackend::CUDA: break;  // CUDA never reaches the CPU tile loop
    }
    return detail::TileTranscriptScalar(op);
}

bool CpuHasAvx512Vnni()
{
#if defined(__x86_64__)
    return DetectCpuFeatures().HasAvx512Vnni();
#else
    return false;  // the VNNI micro-kernel is only compiled for x86-64
#endif
}

Result<void> CheckShape(const UnitShape& shape)
{
    if (shape.m == 0 || shape.n == 0 || shape.k == 0 || shape.m % TILE != 0 || shape.n % TILE != 0 ||
        shape.k % K_MULTIPLE != 0 || uint64_t{shape.m} * shape.n * shape.k > MAX_UNIT_MACS) {
        return Error{"shape must be whole tiles and steps within MAX_UNIT_MACS"};
    }
    return {};
}

/** The error for a backend this machine cannot run. */
Error UnsupportedBackend(TranscriptBackend backend)
{
    if (backend == TranscriptBackend::CUDA) return Error{"no CUDA device: " + CudaUnavailableReason()};
    return Error{"transcript backend not supported by this CPU"};
}

}  // namespace

std::array<uint8_t, 32> EncodeState(const TileState& state)
{
    std::array<uint8_t, 32> out{};
    for (size_t i = 0; i < STATE_WORDS; ++i) {
        for (size_t b = 0; b < 4; ++b) out[4 * i + b] = static_cast<uint8_t>(state[i] >> (8 * b));
    }
    return out;
}

TileState DecodeState(std::span<const uint8_t, 32> bytes)
{
    TileState state{};
    for (size_t i = 0; i < STATE_WORDS; ++i) {
        for (size_t b = 0; b < 4; ++b) state[i] |= uint32_t{bytes[4 * i + b]} << (8 * b);
    }
    return state;
}

std::string_view TranscriptBackendName(TranscriptBackend backend)
{
    switch (backend) {
    case TranscriptBackend::SCALAR: return "scalar";
    case TranscriptBackend::AVX512_VNNI: return "avx512vnni";
    case TranscriptBackend::CUDA: return "cuda";
    }
    return "unknown";
}

Result<TranscriptBackend> ParseTranscriptBackend(std::string_view name)
{
    for (const auto backend : {TranscriptBackend::SCALAR, TranscriptBackend::AVX512_VNNI, TranscriptBackend::CUDA}) {
        if (TranscriptBackendName(backend) == name) return backend;
    }
    return Error{"unknown transcript backend"};
}

bool TranscriptBackendSupported(TranscriptBackend backend)
{
    switch (backend) {
    case TranscriptBackend::SCALAR: return true;
    case TranscriptBackend::AVX512_VNNI: return CpuHasAvx512Vnni();
#ifdef HPIPS_HAVE_POUW_CUDA
    case TranscriptBackend::CUDA: return CudaUnavailableReason().empty();
#else
    case TranscriptBackend::CUDA: return false;
#endif
    }
    return false;
}

TranscriptBackend BestTranscriptBackend()
{
    return TranscriptBackendSupported(TranscriptBackend::AVX512_VNNI) ? TranscriptBackend::AVX512_VNNI
                                                                       : TranscriptBackend::SCALAR;
}

std::vector<TranscriptBackend> SupportedTranscriptBackends()
{
    std::vector<TranscriptBackend> out{TranscriptBackend::SCALAR};
    if (TranscriptBackendSupported(TranscriptBackend::AVX512_VNNI)) out.push_back(TranscriptBackend::AVX512_VNNI);
    if (TranscriptBackendSupported(TranscriptBackend::CUDA)) out.push_back(TranscriptBackend::CUDA);
    return out;
}

StepDigest ComputeStepDigest(std::span<const int32_t> partial_sums)
{
    assert(partial_sums.size() == size_t{TILE} * TILE);
    StepDigest digest{};
    for (uint32_t r = 0; r < TILE; ++r) {
        for (uint32_t c = 0; c < TILE; ++c) {
            digest[DigestLane(c)] += ElementMap(r, c, partial_sums[size_t{r} * TILE + c]);
        }
    }
    return digest;
}

TileState ReferenceTileState(const TileInputs& inputs, const Noise& noise, uint32_t tile_index)
{
    return ReferenceStepStates(inputs, noise, tile_index).back();
}

std::vector<TileState> ReferenceStepStates(const TileInputs& inputs, const Noise& noise, uint32_t tile_index)
{
    std::vector<TileState> states;
    const uint32_t k{inputs.k};
    const uint32_t tiles_per_row{noise.Shape().n / TILE};
    const uint32_t row0{(tile_index / tiles_per_row) * TILE}, col0{(tile_index % tiles_per_row) * TILE};
    std::vector<int32_t> partial(size_t{TILE} * TILE, 0);
    TileState state{};
    for (uint32_t s = 0; s < k / STEP; ++s) {
        for (uint32_t r = 0; r < TILE; ++r) {
            for (uint32_t c = 0; c < TILE; ++c) {
                int32_t sum{partial[size_t{r} * TILE + c]};
                for (uint32_t j = s * STEP; j < (s + 1) * STEP; ++j) {
                    const int32_t a_noisy{inputs.a_rows[size_t{r} * k + j] + noise.E(row0 + r, j)};
                    const int32_t b_noisy{inputs.b_cols[size_t{c} * k + j] + noise.F(j, col0 + c)};
                    sum += a_noisy * b_noisy;
                }
                partial[size_t{r} * TILE + c] = sum;
            }
        }
        const StepDigest digest{ComputeStepDigest(partial)};
        StateUpdate(state.data(), digest.data(), s);
        states.push_back(state);
    }
    return states;
}

Result<UnitTranscript> ComputeUnitTranscript(const UnitData& data, const Noise& noise, const TranscriptOptions& options)
{
    const UnitShape& shape{data.shape};
    if (auto ok = CheckShape(shape); !ok) return ok.error();
    if (data.a.size() != size_t{shape.m} * shape.k || data.b.size() != size_t{shape.k} * shape.n) {
        return Error{"unit data does not match its shape"};
    }
    if (!(noise.Shape() == shape) || noise.RowBegin() != 0 || noise.RowCount() != shape.m ||
        noise.ColBegin() != 0 || noise.ColCount() != shape.n) {
        return Error{"noise does not cover the unit"};
    }
    if (!TranscriptBackendSupported(options.backend)) return UnsupportedBackend(options.backend);
    if (!options.noisy_product.empty() && options.noisy_product.size() != size_t{shape.m} * shape.n) {
        return Error{"noisy product buffer must be m*n"};
    }
#ifdef HPIPS_HAVE_POUW_CUDA
    if (options.backend == TranscriptBackend::CUDA) {
        // One launch per unit: the stop flag is honoured before it only.
        if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) {
            return UnitTranscript{std::vector<TileState>(shape.TileCount()), false};
        }
        return cuda::CudaUnitTranscript(data, noise, options.noisy_product);
    }
#endif

    PreparedOperands prep;
    prep.rows = shape.m;
    prep.cols = shape.n;
    prep.k = shape.k;
    BuildNoisyA(data.a.data(), shape.m, 0, noise, options.backend, prep);
    const size_t n{shape.n};
    BuildNoisyB([&](uint32_t j, uint32_t c) { return data.b[j * n + c]; },
                [&](uint32_t j) { return data.b.data() + j * n; }, shape.n, 0, noise, options.backend, prep);

    UnitTranscript out;
    const uint32_t tiles{shape.TileCount()}, tiles_per_row{shape.n / TILE};
    out.states.resize(tiles);
    std::atomic<bool> stopped{false};
    const auto body = [&](size_t begin, size_t end) {
        for (size_t t = begin; t < end; ++t) {
            if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) {
                stopped.store(true, std::memory_order_relaxed);
                return;
            }
            const uint32_t tile_row{static_cast<uint32_t>(t) / tiles_per_row};
            const uint32_t tile_col{static_cast<uint32_t>(t) % tiles_per_row};
            TileOperands op{OperandsOfTile(prep, tile_row, tile_col)};
            if (!options.noisy_product.empty()) {
                op.product = options.noisy_product.data() + size_t{tile_row} * TILE * n + size_t{tile_col} * TILE;
                op.ldp = n;
            }
            out.states[t] = RunTile(options.backend, op);
        }
    };
    if (options.pool != nullptr) {
        options.pool->ParallelFor(tiles, body, tiles);
    } else {
        body(0, tiles);
    }
    out.complete = !stopped.load();
    return out;
}

Result<TileState> ComputeTileTranscript(const TileInputs& inputs, const Noise& noise, uint32_t tile_index,
                                        TranscriptBackend backend)
{
    const UnitShape& shape{noise.Shape()};
    if (auto ok = CheckShape(shape); !ok) return ok.error();
    if (tile_index >= shape.TileCount()) return Error{"tile index out of range"};
    if (inputs.k != shape.k || inputs.a_rows.size() != size_t{TILE} * shape.k ||
        inputs.b_cols.size() != size_t{TILE} * shape.k) {
        return Error{"tile inputs do not match the shape"};
    }
    const uint32_t tiles_per_row{shape.n / TILE};
    const uint32_t row0{(tile_index / tiles_per_row) * TILE}, col0{(tile_index % tiles_per_row) * TILE};
    if (row0 < noise.RowBegin() || row0 + TILE > noise.RowBegin() + noise.RowCount() || col0 < noise.ColBegin() ||
        col0 + TILE > noise.ColBegin() + noise.ColCount()) {
        return Error{"noise does not cover the tile"};
    }
    if (!TranscriptBackendSupported(backend)) return UnsupportedBackend(backend);
#ifdef HPIPS_HAVE_POUW_CUDA
    if (backend == TranscriptBackend::CUDA) return cuda::CudaTileTranscript(inputs, noise, tile_index);
#endif
    PreparedOperands prep;
    prep.rows = TILE;
    prep.cols = TILE;
    prep.k = shape.k;
    BuildNoisyA(inputs.a_rows.data(), TILE, row0, noise, backend, prep);
    const size_t k{shape.k};
    BuildNoisyB([&](uint32_t j, uint32_t c) { return inputs.b_cols[c * k + j]; },
                [](uint32_t) -> const int8_t* { return nullptr; }, TILE, col0, noise, backend, prep);
    return RunTile(backend, OperandsOfTile(prep, 0, 0));
}

}  // namespace hpips::pouw
