// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni; called only when
// TranscriptBackendSupported(AVX512_VNNI).
#include <pouw/transcript_kernels.h>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
// GCC 12 reports its own _mm512_undefined_* placeholders inside the intrinsic
// headers as "maybe uninitialized" (a known false positive).
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include <immintrin.h>
#endif

#include <algorithm>
#include <array>
#include <cstring>
#include <vector>

namespace hpips::pouw::detail {
#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
namespace {

/** zmm vectors per 64-column tile row (16 int32 lanes each). */
constexpr uint32_t VECS_PER_ROW{TILE / DIGEST_LANES};
static_assert(VECS_PER_ROW == 4);
/** vpdpbusd groups per transcript step. */
constexpr uint32_t GROUPS_PER_STEP{STEP / VNNI_GROUP};
/** Rows of a tile whose accumulators live in registers together. */
constexpr uint32_t ROWS_PER_BLOCK{4};
static_assert(TILE % ROWS_PER_BLOCK == 0);
static_assert(STEP == 32, "the noise builders handle one step per 32 int16 lanes");

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
 *  accumulators hold Σ (A' + 128)·B', so each step subtracts the columns'
 *  exact correction col_corr[s] before the element map. */
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
    const int8_t* panel{op.b_panel};
    for (uint32_t s = 0; s < steps; ++s) {
        for (uint32_t g = 0; g < GROUPS_PER_STEP; ++g) {
            const uint32_t j{(s * GROUPS_PER_STEP + g) * VNNI_GROUP};
            __m512i b[VECS_PER_ROW];
            for (uint32_t q = 0; q < VECS_PER_ROW; ++q) b[q] = _mm512_loadu_si512(panel + 64 * q);
            panel += PANEL_GROUP_BYTES;
            for (uint32_t r = 0; r < R; ++r) {
                const __m512i a{_mm512_set1_epi32(LoadI32(a_rows[r] + j))};
                for (uint32_t q = 0; q < VECS_PER_ROW; ++q) acc[r][q] = _mm512_dpbusd_epi32(acc[r][q], a, b[q]);
            }
        }
        __m512i corr[VECS_PER_ROW];
        for (uint32_t q = 0; q < VECS_PER_ROW; ++q) corr[q] = _mm512_loadu_si512(op.col_corr + s * TILE + DIGEST_LANES * q);
        __m512i digest{_mm512_loadu_si512(digests + s * DIGEST_LANES)};
        for (uint32_t r = 0; r < R; ++r) {
            __m512i row_sum{_mm512_xor_si512(_mm512_sub_epi32(acc[r][0], corr[0]), consts.column_keys[0])};
            for (uint32_t q = 1; q < VECS_PER_ROW; ++q) {
                row_sum = _mm512_add_epi32(row_sum,
                                           _mm512_xor_si512(_mm512_sub_epi32(acc[r][q], corr[q]), consts.column_keys[q]));
            }
            // Σ_c MR[r]·x_c = MR[r]·Σ_c x_c (mod 2^32): one multiply per row and step.
            const __m512i mr{_mm512_set1_epi32(static_cast<int32_t>(consts.row_multipliers[row0 + r]))};
            digest = _mm512_add_epi32(digest, _mm512_mullo_epi32(row_sum, mr));
        }
        _mm512_storeu_si512(digests + s * DIGEST_LANES, digest);
    }
    if (op.product != nullptr) {
        for (uint32_t q = 0; q < VECS_PER_ROW; ++q) {
            const __m512i corr{_mm512_loadu_si512(op.col_corr + (steps - 1) * TILE + DIGEST_LANES * q)};
            for (uint32_t r = 0; r < R; ++r) {
                _mm512_storeu_si512(op.product + (row0 + r) * op.ldp + DIGEST_LANES * q, _mm512_sub_epi32(acc[r][q], corr));
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
    for (uint32_t row0 = 0; row0 < TILE; row0 += ROWS_PER_BLOCK) {
        RowBlock<ROWS_PER_BLOCK>(op, consts, row0, digests.data());
    }
    TileState state{};
    for (uint32_t s = 0; s < steps; ++s) StateUpdate(state.data(), digests.data() + s * DIGEST_LANES, s);
    return state;
}

void BuildNoisyRowsAvx512(const int8_t* a, size_t rows, uint32_t k, const int8_t* const* e_left,
                          const int16_t* plus_idx, const int16_t* minus_idx, uint8_t* out)
{
    const __m512i offset{_mm512_set1_epi16(VNNI_OFFSET)};
    for (size_t r = 0; r < rows; ++r) {
        // E_L's row as a 64-entry int16 table: entries 0..31 and 32 (the rest unused).
        const int8_t* outer{e_left[r]};
        const __m512i table_lo{_mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(outer)))};
        const __m512i table_hi{_mm512_set1_epi16(outer[NOISE_DIM - 1])};
        const int8_t* src{a + r * k};
        uint8_t* dst{out + r * k};
        for (uint32_t j = 0; j < k; j += STEP) {
            const __m512i ip{_mm512_loadu_si512(plus_idx + j)};
            const __m512i im{_mm512_loadu_si512(minus_idx + j)};
            const __m512i e{_mm512_sub_epi16(_mm512_permutex2var_epi16(table_lo, ip, table_hi),
                                             _mm512_permutex2var_epi16(table_lo, im, table_hi))};
            const __m512i x{_mm512_cvtepi8_epi16(_mm256_loadu_si256(reinterpret_cast<const __m256i*>(src + j)))};
            const __m512i shifted{_mm512_add_epi16(_mm512_add_epi16(x, e), offset)};  // A' + 128 ∈ [1, 255]
            _mm256_storeu_si256(reinterpret_cast<__m256i*>(dst + j), _mm512_cvtepi16_epi8(shifted));
        }
    }
}

void PackPanelsAvx512(const int8_t* b_rows, uint32_t k, uint32_t cols, int8_t* panels, int32_t* col_corr)
{
    const uint32_t groups{k / VNNI_GROUP}, steps{k / STEP};
    const __m512i ones{_mm512_set1_epi8(1)};
    for (uint32_t p = 0; p < cols / TILE; ++p) {
        int8_t* panel{panels + size_t{p} * groups * PANEL_GROUP_BYTES};
        int32_t* corr{col_corr + size_t{p} * steps * TILE};
        __m512i sums[VECS_PER_ROW]{};
        for (uint32_t g = 0; g < groups; ++g) {
            const int8_t* row{b_rows + size_t{g} * VNNI_GROUP * cols + size_t{p} * TILE};
            const __m512i r0{_mm512_loadu_si512(row)};
            const __m512i r1{_mm512_loadu_si512(row + cols)};
            const __m512i r2{_mm512_loadu_si512(row + 2 * size_t{cols})};
            const __m512i r3{_mm512_loadu_si512(row + 3 * size_t{cols})};
            // Interleave the 4 rows into 4-byte column groups; unpack works per
            // 128-bit lane, so X_i holds columns {4i..4i+3} + 16·lane.
            const __m512i lo01{_mm512_unpacklo_epi8(r0, r1)}, hi01{_mm512_unpackhi_epi8(r0, r1)};
            const __m512i lo23{_mm512_unpacklo_epi8(r2, r3)}, hi23{_mm512_unpackhi_epi8(r2, r3)};
            const __m512i x0{_mm512_unpacklo_epi16(lo01, lo23)}, x1{_mm512_unpackhi_epi16(lo01, lo23)};
            const __m512i x2{_mm512_unpacklo_epi16(hi01, hi23)}, x3{_mm512_unpackhi_epi16(hi01, hi23)};
            // 4×4 transpose of 128-bit lanes: Q_q = columns 16q..16q+15.
            const __m512i t0{_mm512_shuffle_i64x2(x0, x1, 0x88)}, t1{_mm512_shuffle_i64x2(x0, x1, 0xdd)};
            const __m512i t2{_mm512_shuffle_i64x2(x2, x3, 0x88)}, t3{_mm512_shuffle_i64x2(x2, x3, 0xdd)};
            const __m512i q[VECS_PER_ROW]{_mm512_shuffle_i64x2(t0, t2, 0x88), _mm512_shuffle_i64x2(t1, t3, 0x88),
                                          _mm512_shuffle_i64x2(t0, t2, 0xdd), _mm512_shuffle_i64x2(t1, t3, 0xdd)};
            int8_t* out{panel + size_t{g} * PANEL_GROUP_BYTES};
            for (uint32_t v = 0; v < VECS_PER_ROW; ++v) {
                _mm512_storeu_si512(out + 64 * v, q[v]);
                sums[v] = _mm512_dpbusd_epi32(sums[v], ones, q[v]);  // Σ of the 4 k values per column
            }
            if ((g + 1) % GROUPS_PER_STEP == 0) {
                const uint32_t s{(g + 1) / GROUPS_PER_STEP - 1};
                for (uint32_t v = 0; v < VECS_PER_ROW; ++v) {
                    _mm512_storeu_si512(corr + s * TILE + DIGEST_LANES * v, _mm512_slli_epi32(sums[v], 7));
                }
            }
        }
    }
}
static_assert(VNNI_OFFSET == 1 << 7, "the column correction shifts by 7");

void AddPairProductAvx512(const int16_t* w, size_t rows, uint32_t pairs, const int16_t* g, uint32_t n, int32_t* c)
{
    constexpr size_t R{4};
    for (size_t i0 = 0; i0 < rows; i0 += R) {
        const size_t r_count{std::min(R, rows - i0)};
        for (uint32_t c0 = 0; c0 < n; c0 += TILE) {
            __m512i acc[R][VECS_PER_ROW];
            for (size_t r = 0; r < r_count; ++r) {
                for (uint32_t q = 0; q < VECS_PER_ROW; ++q) {
                    acc[r][q] = _mm512_loadu_si512(c + (i0 + r) * n + c0 + DIGEST_LANES * q);
                }
            }
            for (uint32_t p = 0; p < pairs; ++p) {
                __m512i gv[VECS_PER_ROW];
                for (uint32_t q = 0; q < VECS_PER_ROW; ++q) {
                    gv[q] = _mm512_loadu_si512(g + (size_t{p} * n + c0 + DIGEST_LANES * q) * 2);
                }
                for (size_t r = 0; r < r_count; ++r) {
                    int32_t pair;
                    std::memcpy(&pair, w + (i0 + r) * 2 * pairs + 2 * p, sizeof(pair));
                    const __m512i wv{_mm512_set1_epi32(pair)};
                    for (uint32_t q = 0; q < VECS_PER_ROW; ++q) acc[r][q] = _mm512_dpwssd_epi32(acc[r][q], wv, gv[q]);
                }
            }
            for (size_t r = 0; r < r_count; ++r) {
                for (uint32_t q = 0; q < VECS_PER_ROW; ++q) {
                    _mm512_storeu_si512(c + (i0 + r) * n + c0 + DIGEST_LANES * q, acc[r][q]);
                }
            }
        }
    }
}

#else
// Not an x86-64 build: never called (TranscriptBackendSupported says no).
TileState TileTranscriptAvx512Vnni(const TileOperands& op) { return TileTranscriptScalar(op); }
void BuildNoisyRowsAvx512(const int8_t*, size_t, uint32_t, const int8_t* const*, const int16_t*, const int16_t*,
                          uint8_t*) {}
void PackPanelsAvx512(const int8_t*, uint32_t, uint32_t, int8_t*, int32_t*) {}
void AddPairProductAvx512(const int16_t*, size_t, uint32_t, const int16_t*, uint32_t, int32_t*) {}
#endif

}  // namespace hpips::pouw::detail
