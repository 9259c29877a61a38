// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni; called only when
// TranscriptBackendSupported(AVX512_VNNI).
#include <pouw/transcript_kernels.h>

#if defined(__AVX512VNNI__)
#include <immintrin.h>
#endif

#include <array>
#include <cstring>
#include <vector>

namespace hpips::pouw::detail {
#if defined(__AVX512VNNI__)
namespace {

/** zmm vectors per 64-column tile row (16 int32 lanes each). */
constexpr uint32_t VECS_PER_ROW{TILE / DIGEST_LANES};
static_assert(VECS_PER_ROW == 4);
/** vpdpbusd groups per transcript step. */
constexpr uint32_t GROUPS_PER_STEP{STEP / VNNI_GROUP};

struct Constants {
    __m512i column_keys[VECS_PER_ROW];
    std::array<uint32_t, TILE> row_multipliers;
};

Constants MakeConstants()
{
    Constants k;
    alignas(64) uint32_t keys[TILE];
    for (uint32_t c = 0; c < TILE; ++c) keys[c] = ColumnKey(c);
    for (uint32_t q = 0; q < VECS_PER_ROW; ++q) k.column_keys[q] = _mm512_load_si512(keys + DIGEST_LANES * q);
    for (uint32_t r = 0; r < TILE; ++r) k.row_multipliers[r] = RowMultiplier(r);
    return k;
}

int32_t LoadI32(const int8_t* p)
{
    int32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

/** Rows [row0, row0 + R) of the tile over every step: the R×64 accumulators
 *  stay in registers for the whole k; after each step the rows' element maps
 *  are summed into that step's digest (digests[s], 16 lanes in memory). The
 *  accumulators hold Σ (B' + 128)·A', so each step subtracts the row's exact
 *  correction a_corr before the element map. */
template <uint32_t R>
void RowBlock(const TileOperands& op, const Constants& consts, uint32_t row0, uint32_t* digests)
{
    __m512i acc[R][VECS_PER_ROW];
    for (uint32_t r = 0; r < R; ++r) {
        for (uint32_t q = 0; q < VECS_PER_ROW; ++q) acc[r][q] = _mm512_setzero_si512();
    }
    const uint32_t steps{op.k / STEP};
    const int8_t* a_rows[R];
    for (uint32_t r = 0; r < R; ++r) a_rows[r] = op.a + (row0 + r) * op.lda;
    const uint8_t* panel{op.b_panel};
    for (uint32_t s = 0; s < steps; ++s) {
        for (uint32_t g = 0; g < GROUPS_PER_STEP; ++g) {
            const uint32_t j{(s * GROUPS_PER_STEP + g) * VNNI_GROUP};
            __m512i b[VECS_PER_ROW];
            for (uint32_t q = 0; q < VECS_PER_ROW; ++q) b[q] = _mm512_loadu_si512(panel + 64 * q);
            panel += PANEL_GROUP_BYTES;
            for (uint32_t r = 0; r < R; ++r) {
                const __m512i a{_mm512_set1_epi32(LoadI32(a_rows[r] + j))};
                for (uint32_t q = 0; q < VECS_PER_ROW; ++q) acc[r][q] = _mm512_dpbusd_epi32(acc[r][q], b[q], a);
            }
        }
        __m512i digest{_mm512_loadu_si512(digests + s * DIGEST_LANES)};
        for (uint32_t r = 0; r < R; ++r) {
            const __m512i corr{_mm512_set1_epi32(op.a_corr[(row0 + r) * op.ld_corr + s])};
            __m512i row_sum{_mm512_xor_si512(_mm512_sub_epi32(acc[r][0], corr), consts.column_keys[0])};
            for (uint32_t q = 1; q < VECS_PER_ROW; ++q) {
                row_sum = _mm512_add_epi32(row_sum,
                                           _mm512_xor_si512(_mm512_sub_epi32(acc[r][q], corr), consts.column_keys[q]));
            }
            // Σ_c MR[r]·x_c = MR[r]·Σ_c x_c (mod 2^32): one multiply per row and step.
            const __m512i mr{_mm512_set1_epi32(static_cast<int32_t>(consts.row_multipliers[row0 + r]))};
            digest = _mm512_add_epi32(digest, _mm512_mullo_epi32(row_sum, mr));
        }
        _mm512_storeu_si512(digests + s * DIGEST_LANES, digest);
    }
    if (op.product != nullptr) {
        for (uint32_t r = 0; r < R; ++r) {
            const __m512i corr{_mm512_set1_epi32(op.a_corr[(row0 + r) * op.ld_corr + steps - 1])};
            for (uint32_t q = 0; q < VECS_PER_ROW; ++q) {
                _mm512_storeu_si512(op.product + (row0 + r) * op.ldp + DIGEST_LANES * q,
                                    _mm512_sub_epi32(acc[r][q], corr));
            }
        }
    }
}

}  // namespace

TileState TileTranscriptAvx512Vnni(const TileOperands& op)
{
    const Constants consts{MakeConstants()};
    const uint32_t steps{op.k / STEP};
    std::vector<uint32_t> digests(size_t{steps} * DIGEST_LANES, 0);
    constexpr uint32_t ROWS_PER_BLOCK{4};
    static_assert(TILE % ROWS_PER_BLOCK == 0);
    for (uint32_t row0 = 0; row0 < TILE; row0 += ROWS_PER_BLOCK) {
        RowBlock<ROWS_PER_BLOCK>(op, consts, row0, digests.data());
    }
    TileState state{};
    for (uint32_t s = 0; s < steps; ++s) StateUpdate(state.data(), digests.data() + s * DIGEST_LANES, s);
    return state;
}
#else
// Not an x86-64 build: never called (TranscriptBackendSupported says no).
TileState TileTranscriptAvx512Vnni(const TileOperands& op) { return TileTranscriptScalar(op); }
#endif

}  // namespace hpips::pouw::detail
