// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Compiled by the host compiler into hpips_pouw (not the CUDA library): it
// checks sizes with the pouw types, lays the noise and inputs out as the plain
// arrays of cuda_pouw_launch.h and calls the launchers in cuda_pouw.cu.
#include <pouw/cuda/cuda_transcript.h>

#include <pouw/prg.h>

#include <algorithm>
#include <array>
#include <utility>

namespace hpips::pouw::cuda {
namespace {

/** The host-drawn noise of a block of rows and columns as plain arrays. */
struct FactorArrays {
    std::vector<int8_t> e_left;
    std::vector<int8_t> f_right;
    std::vector<uint8_t> e_plus, e_minus, f_plus, f_minus;

    NoiseFactorsView View() const
    {
        return NoiseFactorsView{e_left.data(), f_right.data(), e_plus.data(),
                                e_minus.data(), f_plus.data(), f_minus.data()};
    }
};

FactorArrays Flatten(const Noise& noise, uint32_t row0, uint32_t rows, uint32_t col0, uint32_t cols, uint32_t k)
{
    FactorArrays out;
    out.e_left.resize(size_t{rows} * NOISE_DIM);
    out.f_right.resize(size_t{cols} * NOISE_DIM);
    for (uint32_t i = 0; i < rows; ++i) {
        const OuterVector& row{noise.ELeft(row0 + i)};
        std::copy(row.begin(), row.end(), out.e_left.begin() + size_t{i} * NOISE_DIM);
    }
    for (uint32_t c = 0; c < cols; ++c) {
        const OuterVector& col{noise.FRight(col0 + c)};
        std::copy(col.begin(), col.end(), out.f_right.begin() + size_t{c} * NOISE_DIM);
    }
    out.e_plus.resize(k);
    out.e_minus.resize(k);
    out.f_plus.resize(k);
    out.f_minus.resize(k);
    for (uint32_t j = 0; j < k; ++j) {
        out.e_plus[j] = noise.EPlus(j);
        out.e_minus[j] = noise.EMinus(j);
        out.f_plus[j] = noise.FPlus(j);
        out.f_minus[j] = noise.FMinus(j);
    }
    return out;
}

std::vector<TileState> UnpackStates(const std::vector<uint32_t>& words)
{
    std::vector<TileState> states(words.size() / STATE_WORDS);
    for (size_t t = 0; t < states.size(); ++t) {
        for (size_t i = 0; i < STATE_WORDS; ++i) states[t][i] = words[t * STATE_WORDS + i];
    }
    return states;
}

Result<void> CheckUnitSizes(const UnitData& data)
{
    const UnitShape& shape{data.shape};
    if (auto ok = CheckDeviceShape(shape.m, shape.n, shape.k); !ok) return ok;
    if (data.a.size() != size_t{shape.m} * shape.k || data.b.size() != size_t{shape.k} * shape.n) {
        return Error{"unit data does not match its shape"};
    }
    return {};
}

}  // namespace

Result<UnitTranscript> CudaUnitTranscript(const UnitData& data, const Noise& noise, std::span<int32_t> noisy_product)
{
    const UnitShape& shape{data.shape};
    if (auto ok = CheckUnitSizes(data); !ok) return ok.error();
    if (!(noise.Shape() == shape) || noise.RowBegin() != 0 || noise.RowCount() != shape.m ||
        noise.ColBegin() != 0 || noise.ColCount() != shape.n) {
        return Error{"noise does not cover the unit"};
    }
    if (!noisy_product.empty() && noisy_product.size() != size_t{shape.m} * shape.n) {
        return Error{"noisy product buffer must be m*n"};
    }
    const FactorArrays factors{Flatten(noise, 0, shape.m, 0, shape.n, shape.k)};
    std::vector<uint32_t> words(size_t{shape.TileCount()} * STATE_WORDS);
    DeviceRun run;
    run.rows = shape.m;
    run.cols = shape.n;
    run.k = shape.k;
    run.a = data.a.data();
    run.b = data.b.data();
    run.noise = factors.View();
    run.states = words.data();
    run.noisy_product = noisy_product.empty() ? nullptr : noisy_product.data();
    if (auto ok = RunOnDevice(run); !ok) return ok.error();
    return UnitTranscript{UnpackStates(words), true};
}

Result<TileState> CudaTileTranscript(const TileInputs& inputs, const Noise& noise, uint32_t tile_index)
{
    const UnitShape& shape{noise.Shape()};
    if (auto ok = CheckDeviceShape(shape.m, shape.n, shape.k); !ok) return ok.error();
    if (tile_index >= shape.TileCount()) return Error{"tile index out of range"};
    const size_t k{shape.k};
    if (inputs.k != shape.k || inputs.a_rows.size() != TILE * k || inputs.b_cols.size() != TILE * k) {
        return Error{"tile inputs do not match the shape"};
    }
    const uint32_t tiles_per_row{shape.n / TILE};
    const uint32_t row0{(tile_index / tiles_per_row) * TILE}, col0{(tile_index % tiles_per_row) * TILE};
    if (row0 < noise.RowBegin() || row0 + TILE > noise.RowBegin() + noise.RowCount() || col0 < noise.ColBegin() ||
        col0 + TILE > noise.ColBegin() + noise.ColCount()) {
        return Error{"noise does not cover the tile"};
    }
    // The device reads B as k × cols row-major; the opening holds columns.
    std::vector<int8_t> b_rows(TILE * k);
    for (size_t c = 0; c < TILE; ++c) {
        for (size_t j = 0; j < k; ++j) b_rows[j * TILE + c] = inputs.b_cols[c * k + j];
    }
    const FactorArrays factors{Flatten(noise, row0, TILE, col0, TILE, shape.k)};
    std::vector<uint32_t> words(STATE_WORDS);
    DeviceRun run;
    run.rows = TILE;
    run.cols = TILE;
    run.k = shape.k;
    run.a = inputs.a_rows.data();
    run.b = b_rows.data();
    run.noise = factors.View();
    run.states = words.data();
    if (auto ok = RunOnDevice(run); !ok) return ok.error();
    return UnpackStates(words)[0];
}

Result<CudaUnitResult> CudaMineUnit(const UnitData& data, const uint256& seed, bool want_output)
{
    const UnitShape& shape{data.shape};
    if (auto ok = CheckUnitSizes(data); !ok) return ok.error();
    const std::array<uint32_t, 8> key{KeyWords(seed)};
    std::vector<uint32_t> words(size_t{shape.TileCount()} * STATE_WORDS);
    CudaUnitResult result;
    if (want_output) result.output.resize(size_t{shape.m} * shape.n);
    DeviceRun run;
    run.rows = shape.m;
    run.cols = shape.n;
    run.k = shape.k;
    run.a = data.a.data();
    run.b = data.b.data();
    run.seed_words = key.data();
    run.states = words.data();
    run.output = want_output ? result.output.data() : nullptr;
    if (auto ok = RunOnDevice(run); !ok) return ok.error();
    result.states = UnpackStates(words);
    return result;
}

Result<CudaNoiseFactors> CudaDrawNoise(const uint256& seed, const UnitShape& shape)
{
    if (auto ok = CheckDeviceShape(shape.m, shape.n, shape.k); !ok) return ok.error();
    const std::array<uint32_t, 8> key{KeyWords(seed)};
    CudaNoiseFactors out;
    out.e_left.resize(size_t{shape.m} * NOISE_DIM);
    out.f_right.resize(size_t{shape.n} * NOISE_DIM);
    out.e_plus.resize(shape.k);
    out.e_minus.resize(shape.k);
    out.f_plus.resize(shape.k);
    out.f_minus.resize(shape.k);
    const NoiseFactorsOut dst{out.e_left.data(), out.f_right.data(), out.e_plus.data(),
                              out.e_minus.data(), out.f_plus.data(), out.f_minus.data()};
    if (auto ok = DrawNoiseOnDevice(key.data(), 0, shape.m, 0, shape.n, shape.k, dst); !ok) return ok.error();
    return out;
}

CudaUnitSession::CudaUnitSession(std::unique_ptr<DeviceUnitSession> session) : m_session{std::move(session)} {}

Result<CudaUnitSession> CudaUnitSession::Open(const UnitData& data)
{
    if (auto ok = CheckUnitSizes(data); !ok) return ok.error();
    auto session = DeviceUnitSession::Open(data.shape.m, data.shape.n, data.shape.k, data.a.data(), data.b.data());
    if (!session) return session.error();
    return CudaUnitSession{std::move(*session)};
}

uint32_t CudaUnitSession::Tiles() const { return m_session->Tiles(); }

Result<std::vector<TileState>> CudaUnitSession::Run(std::span<const uint256> seeds)
{
    if (seeds.empty() || seeds.size() > SESSION_MAX_BATCH) return Error{"device session: batch of 1 to 256 nonces"};
    std::vector<uint32_t> keys;
    keys.reserve(seeds.size() * 8);
    for (const uint256& seed : seeds) {
        const std::array<uint32_t, 8> key{KeyWords(seed)};
        keys.insert(keys.end(), key.begin(), key.end());
    }
    std::vector<uint32_t> words(seeds.size() * m_session->Tiles() * STATE_WORDS);
    if (auto ok = m_session->RunBatch(keys.data(), static_cast<uint32_t>(seeds.size()), words.data()); !ok) {
        return ok.error();
    }
    return UnpackStates(words);
}

}  // namespace hpips::pouw::cuda
