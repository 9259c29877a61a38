// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/transcript.h>

#include <kernels/cpu_features.h>
#include <kernels/device.h>
#include <pouw/noise_math.h>
#include <pouw/transcript_kernels.h>
#include <util/thread_pool.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <memory>

#ifdef HPIPS_HAVE_POUW_CUDA
#include <pouw/cuda/cuda_transcript.h>
#endif

namespace hpips::pouw {
namespace {

using detail::PANEL_GROUP_BYTES;
using detail::TileOperands;
using detail::VNNI_GROUP;

/** Tiles whose step digests are folded together (one per vector lane). */
constexpr uint32_t FOLD_BATCH{16};
/** A pool gets one chunk per tile row (A' built once per row) when there are
 *  at least this many rows per thread; else one chunk per tile (balance first). */
constexpr size_t MIN_ROWS_PER_THREAD{4};

/** A buffer of T without value-initialisation: the builders overwrite it. */
template <typename T>
std::unique_ptr<T[]> Uninitialized(size_t count)
{
    return std::make_unique_for_overwrite<T[]>(count);
}

// ---- SCALAR backend: A' and B' built once, then plain loops per tile. ----

/** A' (rows × k, row-major) and B' as columns for the scalar micro-kernel. */
struct ScalarOperands {
    uint32_t k{0};
    std::vector<int8_t> a;       //!< rows × k
    std::vector<int8_t> b_cols;  //!< cols × k, column-contiguous
};

/** A' for `rows` rows starting at absolute row `row0`; `a` is the rows' A. */
void BuildScalarA(const int8_t* a, uint32_t rows, uint32_t row0, const Noise& noise, ScalarOperands& out)
{
    const uint32_t k{out.k};
    out.a.resize(size_t{rows} * k);
    for (uint32_t r = 0; r < rows; ++r) {
        const int8_t* outer{noise.ELeft(row0 + r).data()};
        const int8_t* src{a + size_t{r} * k};
        int8_t* dst{out.a.data() + size_t{r} * k};
        for (uint32_t j = 0; j < k; ++j) {
            dst[j] = static_cast<int8_t>(src[j] + NoiseEntry(outer, noise.EPlus(j), noise.EMinus(j)));
        }
    }
}

/** B' as columns; `b_at(j, c)` reads B for the block's local column c. */
template <typename BAt>
void BuildScalarB(const BAt& b_at, uint32_t cols, uint32_t col0, const Noise& noise, ScalarOperands& out)
{
    const uint32_t k{out.k};
    out.b_cols.resize(size_t{cols} * k);
    for (uint32_t c = 0; c < cols; ++c) {
        const int8_t* outer{noise.FRight(col0 + c).data()};
        for (uint32_t j = 0; j < k; ++j) {
            out.b_cols[size_t{c} * k + j] =
                static_cast<int8_t>(b_at(j, c) + NoiseEntry(outer, noise.FPlus(j), noise.FMinus(j)));
        }
    }
}

TileOperands ScalarTile(const ScalarOperands& prep, uint32_t tile_row, uint32_t tile_col)
{
    TileOperands op;
    op.k = prep.k;
    op.a = prep.a.data() + size_t{tile_row} * TILE * prep.k;
    op.lda = prep.k;
    op.b_cols = prep.b_cols.data() + size_t{tile_col} * TILE * prep.k;
    op.ldb = prep.k;
    return op;
}

// ---- AVX512_VNNI backend. ----

/** The k-side edge vertices of E_R (plus/minus) and F_L (plus'/minus') as
 *  the index vectors of the vector builders. */
struct EdgeTables {
    std::vector<uint8_t> e_plus, e_minus, f_plus, f_minus;
    std::vector<int16_t> e_plus16, e_minus16;  //!< for the AVX-512 BW builder (no VBMI)
};

EdgeTables MakeEdgeTables(const Noise& noise, bool vbmi)
{
    const uint32_t k{noise.Shape().k};
    EdgeTables t;
    t.e_plus.resize(k);
    t.e_minus.resize(k);
    t.f_plus.resize(k);
    t.f_minus.resize(k);
    for (uint32_t s = 0; s < k / STEP; ++s) {
        const StepPath& e_path{noise.EPath(s)};
        const StepPath& f_path{noise.FPath(s)};
        std::copy(e_path.plus.begin(), e_path.plus.end(), t.e_plus.begin() + size_t{s} * STEP);
        std::copy(e_path.minus.begin(), e_path.minus.end(), t.e_minus.begin() + size_t{s} * STEP);
        std::copy(f_path.plus.begin(), f_path.plus.end(), t.f_plus.begin() + size_t{s} * STEP);
        std::copy(f_path.minus.begin(), f_path.minus.end(), t.f_minus.begin() + size_t{s} * STEP);
    }
    if (!vbmi) {
        t.e_plus16.assign(t.e_plus.begin(), t.e_plus.end());
        t.e_minus16.assign(t.e_minus.begin(), t.e_minus.end());
    }
    return t;
}

/** A' + 128 (u8) of `rows` rows from A (row r at a + r·lda), absolute first row row0. */
void BuildVnniRows(const int8_t* a, size_t lda, uint32_t rows, uint32_t row0, uint32_t k, const Noise& noise,
                   const EdgeTables& edges, bool vbmi, uint8_t* out)
{
    std::array<const int8_t*, TILE> outer;
    for (uint32_t r = 0; r < rows; ++r) outer[r] = noise.ELeft(row0 + r).data();
    if (vbmi) {
        detail::BuildNoisyRowsAvx512Vbmi(a, lda, rows, k, outer.data(), edges.e_plus.data(), edges.e_minus.data(),
                                         out, k);
    } else {
        detail::BuildNoisyRowsAvx512(a, lda, rows, k, outer.data(), edges.e_plus16.data(), edges.e_minus16.data(),
                                     out, k);
    }
}

Result<UnitTranscript> UnitTranscriptVnni(const UnitData& data, const Noise& noise, const TranscriptOptions& options)
{
    const UnitShape& shape{data.shape};
    const uint32_t k{shape.k}, n{shape.n}, steps{k / STEP};
    const uint32_t tiles{shape.TileCount()}, tiles_per_row{n / TILE}, tile_rows{shape.m / TILE};
    const bool vbmi{detail::CpuHasAvx512Vbmi()};
    const EdgeTables edges{MakeEdgeTables(noise, vbmi)};

    // B' packed once per nonce, straight from B and the noise (never stored row-major).
    std::vector<int8_t> f_right_t(size_t{NOISE_DIM} * n);  // F_R transposed: NOISE_DIM rows of n
    for (uint32_t c = 0; c < n; ++c) {
        for (uint32_t t = 0; t < NOISE_DIM; ++t) f_right_t[size_t{t} * n + c] = noise.FRight(c)[t];
    }
    const auto panels = Uninitialized<int8_t>(size_t{k} * n);
    const auto col_corr = Uninitialized<int32_t>(size_t{steps} * n);
    detail::PackNoisyPanelsAvx512(data.b.data(), n, k, n, f_right_t.data(), edges.f_plus.data(),
                                  edges.f_minus.data(), panels.get(), col_corr.get());

    // Every tile's step digests, then one vector fold per FOLD_BATCH tiles.
    const size_t digest_words{size_t{steps} * DIGEST_LANES};
    const auto digests = Uninitialized<uint32_t>(size_t{tiles} * digest_words);
    std::atomic<bool> stopped{false};
    const auto tile_body = [&](size_t begin, size_t end) {
        // A' + 128 of one tile row: built when the chunk reaches the row, in L2 while its tiles run.
        const auto a_rows = Uninitialized<uint8_t>(size_t{TILE} * k);
        uint32_t built_row{tile_rows};
        for (size_t t = begin; t < end; ++t) {
            if (options.stop != nullptr && options.stop->load(std::memory_order_relaxed)) {
                stopped.store(true, std::memory_order_relaxed);
                return;
            }
            const uint32_t tile_row{static_cast<uint32_t>(t) / tiles_per_row};
            const uint32_t tile_col{static_cast<uint32_t>(t) % tiles_per_row};
            if (tile_row != built_row) {
                BuildVnniRows(data.a.data() + size_t{tile_row} * TILE * k, k, TILE, tile_row * TILE, k, noise, edges,
                              vbmi, a_rows.get());
                built_row = tile_row;
            }
            TileOperands op;
            op.k = k;
            op.a = reinterpret_cast<const int8_t*>(a_rows.get());
            op.lda = k;
            op.b_panel = panels.get() + size_t{tile_col} * (k / VNNI_GROUP) * PANEL_GROUP_BYTES;
            op.col_corr = col_corr.get() + size_t{tile_col} * steps * TILE;
            if (!options.noisy_product.empty()) {
                op.product = options.noisy_product.data() + size_t{tile_row} * TILE * n + size_t{tile_col} * TILE;
                op.ldp = n;
            }
            // The row's last tile fetches the next row's A when this chunk continues there.
            if (tile_col + 1 == tiles_per_row && t + 1 < end) {
                op.prefetch = data.a.data() + size_t{tile_row + 1} * TILE * k;
            }
            detail::TileDigestsAvx512Vnni(op, digests.get() + t * digest_words);
        }
    };
    UnitTranscript out;
    out.states.resize(tiles);
    const auto fold_body = [&](size_t begin, size_t end) {
        for (size_t batch = begin; batch < end; ++batch) {
            const size_t first{batch * FOLD_BATCH};
            const uint32_t count{static_cast<uint32_t>(std::min<size_t>(FOLD_BATCH, tiles - first))};
            std::array<const uint32_t*, FOLD_BATCH> tile_digests{};
            for (uint32_t i = 0; i < count; ++i) tile_digests[i] = digests.get() + (first + i) * digest_words;
            detail::FoldDigestsAvx512(tile_digests.data(), count, steps, out.states.data() + first);
        }
    };
    const size_t batches{(tiles + FOLD_BATCH - 1) / FOLD_BATCH};
    if (options.pool != nullptr) {
        const size_t threads{options.pool->Size()};
        const size_t chunks{tile_rows >= MIN_ROWS_PER_THREAD * threads ? tile_rows : tiles};
        options.pool->ParallelFor(tiles, tile_body, chunks);
        if (!stopped.load()) options.pool->ParallelFor(batches, fold_body, batches);
    } else {
        tile_body(0, tiles);
        if (!stopped.load()) fold_body(0, batches);
    }
    out.complete = !stopped.load();
    return out;
}

/** One tile for a verifier (rows and columns as given in the opening). */
TileState TileTranscriptVnni(const TileInputs& inputs, const Noise& noise, uint32_t row0, uint32_t col0)
{
    const uint32_t k{inputs.k}, steps{k / STEP};
    const bool vbmi{detail::CpuHasAvx512Vbmi()};
    const EdgeTables edges{MakeEdgeTables(noise, vbmi)};
    const auto a_rows = Uninitialized<uint8_t>(size_t{TILE} * k);
    BuildVnniRows(inputs.a_rows.data(), k, TILE, row0, k, noise, edges, vbmi, a_rows.get());
    const auto panel = Uninitialized<int8_t>(size_t{TILE} * k);
    const auto col_corr = Uninitialized<int32_t>(size_t{steps} * TILE);
    if (vbmi) {
        std::array<const int8_t*, TILE> outer;
        for (uint32_t c = 0; c < TILE; ++c) outer[c] = noise.FRight(col0 + c).data();
        detail::PackNoisyColumnPanelAvx512Vbmi(inputs.b_cols.data(), k, k, outer.data(), edges.f_plus.data(),
                                               edges.f_minus.data(), panel.get(), col_corr.get());
    } else {
        std::vector<int8_t> b_rows(size_t{k} * TILE);
        for (uint32_t c = 0; c < TILE; ++c) {
            const int8_t* outer{noise.FRight(col0 + c).data()};
            for (uint32_t j = 0; j < k; ++j) {
                b_rows[size_t{j} * TILE + c] = static_cast<int8_t>(
                    inputs.b_cols[size_t{c} * k + j] + NoiseEntry(outer, noise.FPlus(j), noise.FMinus(j)));
            }
        }
        detail::PackPanelsAvx512(b_rows.data(), k, TILE, panel.get(), col_corr.get());
    }
    TileOperands op;
    op.k = k;
    op.a = reinterpret_cast<const int8_t*>(a_rows.get());
    op.lda = k;
    op.b_panel = panel.get();
    op.col_corr = col_corr.get();
    return detail::TileTranscriptAvx512Vnni(op);
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

    if (options.backend == TranscriptBackend::AVX512_VNNI) return UnitTranscriptVnni(data, noise, options);

    ScalarOperands prep;
    prep.k = shape.k;
    BuildScalarA(data.a.data(), shape.m, 0, noise, prep);
    const size_t n{shape.n};
    BuildScalarB([&](uint32_t j, uint32_t c) { return data.b[j * n + c]; }, shape.n, 0, noise, prep);

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
            TileOperands op{ScalarTile(prep, tile_row, tile_col)};
            if (!options.noisy_product.empty()) {
                op.product = options.noisy_product.data() + size_t{tile_row} * TILE * n + size_t{tile_col} * TILE;
                op.ldp = n;
            }
            out.states[t] = detail::TileTranscriptScalar(op);
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
    if (backend == TranscriptBackend::AVX512_VNNI) return TileTranscriptVnni(inputs, noise, row0, col0);
    ScalarOperands prep;
    prep.k = shape.k;
    BuildScalarA(inputs.a_rows.data(), TILE, row0, noise, prep);
    const size_t k{shape.k};
    BuildScalarB([&](uint32_t j, uint32_t c) { return inputs.b_cols[c * k + j]; }, TILE, col0, noise, prep);
    return detail::TileTranscriptScalar(ScalarTile(prep, 0, 0));
}

}  // namespace hpips::pouw
