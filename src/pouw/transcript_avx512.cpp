// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The AVX-512 VNNI transcript micro-kernel and the vector fold of step
// digests. Compiled with -mavx512f -mavx512bw -mavx512vl -mavx512vnni; called
// only when TranscriptBackendSupported(AVX512_VNNI).
#include <pouw/transcript_kernels.h>

#if defined(__AVX512VNNI__) && defined(__AVX512BW__)
// GCC 12 reports its own _mm512_undefined_* placeholders inside the intrinsic
// headers as "(maybe) uninitialized" (a known false positive, GCC bug 105593).
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#include <pouw/transpose_avx512.h>
#endif

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
/** Tiles folded together by FoldDigestsAvx512: one per 32-bit lane. */
constexpr uint32_t FOLD_LANES{16};

/** The element map's constants: KC[c] and MR[r] of a tile. */
struct Constants {
    alignas(64) uint32_t column_keys[TILE];
    std::array<uint32_t, TILE> row_multipliers;
};

Constants MakeConstants()
{
    Constants k;
    for (uint32_t c = 0; c < TILE; ++c) k.column_keys[c] = ColumnKey(c);
    for (uint32_t r = 0; r < TILE; ++r) k.row_multipliers[r] = RowMultiplier(r);
    return k;
}

/** Rows [row0, row0 + 4) of the tile over every step: the 4×64 accumulators
 *  stay in registers for the whole k; after each step the rows' element maps
 *  are summed into that step's digest (digests[s], 16 lanes; the first row
 *  block writes it, the others add). The accumulators hold Σ (A' + 128)·B',
 *  so each step subtracts the columns' exact correction col_corr[s] before
 *  the element map; Σ_c MR[r]·(x_c XOR KC[c]) = MR[r]·Σ_c (x_c XOR KC[c])
 *  (mod 2^32) takes one multiply per row and step.
 *
 *  In assembly: GCC 12 does not keep 16 zmm accumulators plus the step's
 *  constants in registers across this loop when written with intrinsics (it
 *  spills several every step; measured 25% slower in the miner), the same
 *  finding as kernels/gemm_avx512.cpp. Registers: zmm0–15 accumulate (row r,
 *  vector q in zmm 4r+q), zmm16–19 hold the packed B' group (and are the
 *  digest temporaries after the step), zmm20/21 alternate as the broadcast of
 *  one row's four A' + 128 bytes, zmm22–25 the column keys, zmm26–29 the
 *  rows' multipliers, zmm30 the step digest. */
void RowBlock4(const TileOperands& op, const Constants& consts, uint32_t row0, uint32_t* digests)
{
    static_assert(GROUPS_PER_STEP == 8 && PANEL_GROUP_BYTES == 256, "the assembly unrolls 8 groups of 256 bytes");
    const int8_t* a0{op.a + row0 * op.lda};
    const int8_t* a3{a0 + 3 * op.lda};
    const size_t lda{op.lda};
    const int8_t* panel{op.b_panel};
    const int32_t* corr{op.col_corr};
    uint32_t* digest{digests};
    size_t steps{op.k / STEP};
    // The column keys, then the block's four row multipliers (one pointer: the asm is short of registers).
    alignas(64) uint32_t block_consts[TILE + ROWS_PER_BLOCK];
    std::memcpy(block_consts, consts.column_keys, sizeof(consts.column_keys));
    std::memcpy(block_consts + TILE, consts.row_multipliers.data() + row0, ROWS_PER_BLOCK * sizeof(uint32_t));
    const size_t first{row0 == 0 ? size_t{1} : size_t{0}};
    int32_t* p0{op.product != nullptr ? op.product + row0 * op.ldp : nullptr};
    const size_t ldp_bytes{op.ldp * sizeof(int32_t)};
    // Two cache lines of the caller's next input per step (PREFETCH_BYTES_PER_STEP).
    const int8_t* prefetch{op.prefetch != nullptr
                               ? op.prefetch + size_t{row0 / ROWS_PER_BLOCK} * steps * PREFETCH_BYTES_PER_STEP
                               : op.b_panel};
    const size_t prefetch_step{op.prefetch != nullptr ? PREFETCH_BYTES_PER_STEP : 0};
// One row's share of the step digest: accumulators C0..C3, multiplier register MR.
#define HPIPS_DIGEST_ROW(C0, C1, C2, C3, MR)                                                                      \
    "vpsubd 0(%[corr]), %%zmm" C0 ", %%zmm16\n\t"                                                                \
    "vpsubd 64(%[corr]), %%zmm" C1 ", %%zmm17\n\t"                                                               \
    "vpsubd 128(%[corr]), %%zmm" C2 ", %%zmm18\n\t"                                                              \
    "vpsubd 192(%[corr]), %%zmm" C3 ", %%zmm19\n\t"                                                              \
    "vpxord %%zmm22, %%zmm16, %%zmm16\n\t"                                                                       \
    "vpxord %%zmm23, %%zmm17, %%zmm17\n\t"                                                                       \
    "vpxord %%zmm24, %%zmm18, %%zmm18\n\t"                                                                       \
    "vpxord %%zmm25, %%zmm19, %%zmm19\n\t"                                                                       \
    "vpaddd %%zmm17, %%zmm16, %%zmm16\n\t"                                                                       \
    "vpaddd %%zmm19, %%zmm18, %%zmm18\n\t"                                                                       \
    "vpaddd %%zmm18, %%zmm16, %%zmm16\n\t"                                                                       \
    "vpmulld %%zmm" MR ", %%zmm16, %%zmm16\n\t"                                                                  \
    "vpaddd %%zmm16, %%zmm30, %%zmm30\n\t"
// Row R's A'·B' (accumulators C0..C3): the accumulators minus the last step's correction.
#define HPIPS_PRODUCT_ROW(C0, C1, C2, C3)                                                                         \
    "vpsubd -256(%[corr]), %%zmm" C0 ", %%zmm16\n\t"                                                             \
    "vpsubd -192(%[corr]), %%zmm" C1 ", %%zmm17\n\t"                                                             \
    "vpsubd -128(%[corr]), %%zmm" C2 ", %%zmm18\n\t"                                                             \
    "vpsubd -64(%[corr]), %%zmm" C3 ", %%zmm19\n\t"                                                              \
    "vmovdqu64 %%zmm16, 0(%[p0])\n\t"                                                                            \
    "vmovdqu64 %%zmm17, 64(%[p0])\n\t"                                                                           \
    "vmovdqu64 %%zmm18, 128(%[p0])\n\t"                                                                          \
    "vmovdqu64 %%zmm19, 192(%[p0])\n\t"                                                                          \
    "add %[ldp], %[p0]\n\t"
    asm volatile(
        "vmovdqu64 0(%[consts]), %%zmm22\n\t"
        "vmovdqu64 64(%[consts]), %%zmm23\n\t"
        "vmovdqu64 128(%[consts]), %%zmm24\n\t"
        "vmovdqu64 192(%[consts]), %%zmm25\n\t"
        "vpbroadcastd 256(%[consts]), %%zmm26\n\t"
        "vpbroadcastd 260(%[consts]), %%zmm27\n\t"
        "vpbroadcastd 264(%[consts]), %%zmm28\n\t"
        "vpbroadcastd 268(%[consts]), %%zmm29\n\t"
        ".irp i,0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15\n\t"
        "vpxord %%zmm\\i, %%zmm\\i, %%zmm\\i\n\t"
        ".endr\n\t"
        "1:\n\t"
        ".irp g,0,1,2,3,4,5,6,7\n\t"
        "vmovdqu64 \\g*256(%[panel]), %%zmm16\n\t"
        "vmovdqu64 \\g*256+64(%[panel]), %%zmm17\n\t"
        "vmovdqu64 \\g*256+128(%[panel]), %%zmm18\n\t"
        "vmovdqu64 \\g*256+192(%[panel]), %%zmm19\n\t"
        "vpbroadcastd \\g*4(%[a0]), %%zmm20\n\t"
        "vpbroadcastd \\g*4(%[a0],%[lda],1), %%zmm21\n\t"
        "vpdpbusd %%zmm16, %%zmm20, %%zmm0\n\t"
        "vpdpbusd %%zmm17, %%zmm20, %%zmm1\n\t"
        "vpdpbusd %%zmm18, %%zmm20, %%zmm2\n\t"
        "vpdpbusd %%zmm19, %%zmm20, %%zmm3\n\t"
        "vpbroadcastd \\g*4(%[a0],%[lda],2), %%zmm20\n\t"
        "vpdpbusd %%zmm16, %%zmm21, %%zmm4\n\t"
        "vpdpbusd %%zmm17, %%zmm21, %%zmm5\n\t"
        "vpdpbusd %%zmm18, %%zmm21, %%zmm6\n\t"
        "vpdpbusd %%zmm19, %%zmm21, %%zmm7\n\t"
        "vpbroadcastd \\g*4(%[a3]), %%zmm21\n\t"
        "vpdpbusd %%zmm16, %%zmm20, %%zmm8\n\t"
        "vpdpbusd %%zmm17, %%zmm20, %%zmm9\n\t"
        "vpdpbusd %%zmm18, %%zmm20, %%zmm10\n\t"
        "vpdpbusd %%zmm19, %%zmm20, %%zmm11\n\t"
        "vpdpbusd %%zmm16, %%zmm21, %%zmm12\n\t"
        "vpdpbusd %%zmm17, %%zmm21, %%zmm13\n\t"
        "vpdpbusd %%zmm18, %%zmm21, %%zmm14\n\t"
        "vpdpbusd %%zmm19, %%zmm21, %%zmm15\n\t"
        ".endr\n\t"
        // The step's digest: the first row block starts it, the others add to it.
        "cmpq $0, %[first]\n\t"
        "je 2f\n\t"
        "vpxord %%zmm30, %%zmm30, %%zmm30\n\t"
        "jmp 3f\n\t"
        "2:\n\t"
        "vmovdqu64 (%[digest]), %%zmm30\n\t"
        "3:\n\t"
        HPIPS_DIGEST_ROW("0", "1", "2", "3", "26")
        HPIPS_DIGEST_ROW("4", "5", "6", "7", "27")
        HPIPS_DIGEST_ROW("8", "9", "10", "11", "28")
        HPIPS_DIGEST_ROW("12", "13", "14", "15", "29")
        "vmovdqu64 %%zmm30, (%[digest])\n\t"
        "prefetcht1 (%[pf])\n\t"
        "prefetcht1 64(%[pf])\n\t"
        "add %[pf_step], %[pf]\n\t"
        "add $2048, %[panel]\n\t"
        "add $32, %[a0]\n\t"
        "add $32, %[a3]\n\t"
        "add $256, %[corr]\n\t"
        "add $64, %[digest]\n\t"
        "dec %[steps]\n\t"
        "jnz 1b\n\t"
        // A'·B' of the four rows: the accumulators minus the last step's correction.
        "test %[p0], %[p0]\n\t"
        "jz 4f\n\t"
        HPIPS_PRODUCT_ROW("0", "1", "2", "3")
        HPIPS_PRODUCT_ROW("4", "5", "6", "7")
        HPIPS_PRODUCT_ROW("8", "9", "10", "11")
        HPIPS_PRODUCT_ROW("12", "13", "14", "15")
        "4:\n\t"
        : [a0] "+r"(a0), [a3] "+r"(a3), [panel] "+r"(panel), [corr] "+r"(corr), [digest] "+r"(digest),
          [steps] "+r"(steps), [pf] "+r"(prefetch), [p0] "+r"(p0)
        : [pf_step] "r"(prefetch_step), [lda] "r"(lda), [consts] "r"(block_consts), [first] "m"(first),
          [ldp] "r"(ldp_bytes)
        : "cc", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9", "xmm10",
          "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19", "xmm20", "xmm21", "xmm22",
          "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29", "xmm30");
#undef HPIPS_DIGEST_ROW
#undef HPIPS_PRODUCT_ROW
}

}  // namespace

void TileDigestsAvx512Vnni(const TileOperands& op, uint32_t* digests)
{
    const Constants consts{MakeConstants()};
    for (uint32_t row0 = 0; row0 < TILE; row0 += ROWS_PER_BLOCK) RowBlock4(op, consts, row0, digests);
}

TileState TileTranscriptAvx512Vnni(const TileOperands& op)
{
    const uint32_t steps{op.k / STEP};
    std::vector<uint32_t> digests(size_t{steps} * DIGEST_LANES);
    TileDigestsAvx512Vnni(op, digests.data());
    TileState state{};
    for (uint32_t s = 0; s < steps; ++s) StateUpdate(state.data(), digests.data() + s * DIGEST_LANES, s);
    return state;
}

void FoldDigestsAvx512(const uint32_t* const* digests, uint32_t count, uint32_t steps, TileState* states)
{
    static_assert(DIGEST_LANES == FOLD_LANES && STATE_WORDS * 2 == DIGEST_LANES);
    // Lane l of every vector belongs to tile l (missing tiles read tile 0 and are dropped).
    __m512i state[STATE_WORDS];
    for (auto& w : state) w = _mm512_setzero_si512();
    for (uint32_t s = 0; s < steps; ++s) {
        __m512i x[DIGEST_LANES];
        for (uint32_t l = 0; l < FOLD_LANES; ++l) {
            x[l] = _mm512_loadu_si512(digests[l < count ? l : 0] + size_t{s} * DIGEST_LANES);
        }
        TransposeDwords16(x);  // x[i] = word i of every tile's digest
        for (uint32_t i = 0; i < DIGEST_LANES; ++i) x[i] = _mm512_xor_si512(x[i], state[i % STATE_WORDS]);
        x[0] = _mm512_add_epi32(x[0], _mm512_set1_epi32(static_cast<int32_t>(s)));
        for (int round = 0; round < STATE_DOUBLE_ROUNDS; ++round) DoubleRound16(x);
        for (uint32_t i = 0; i < STATE_WORDS; ++i) {
            state[i] = _mm512_ternarylogic_epi32(state[i], x[i], x[i + STATE_WORDS], 0x96);  // a ^ b ^ c
        }
    }
    alignas(64) uint32_t words[STATE_WORDS][FOLD_LANES];
    for (uint32_t i = 0; i < STATE_WORDS; ++i) _mm512_store_si512(words[i], state[i]);
    for (uint32_t l = 0; l < count; ++l) {
        for (uint32_t i = 0; i < STATE_WORDS; ++i) states[l][i] = words[i][l];
    }
}

#else
// Not an x86-64 build: never called (TranscriptBackendSupported says no).
void TileDigestsAvx512Vnni(const TileOperands&, uint32_t*) {}
TileState TileTranscriptAvx512Vnni(const TileOperands& op) { return TileTranscriptScalar(op); }
void FoldDigestsAvx512(const uint32_t* const*, uint32_t, uint32_t, TileState*) {}
#endif

}  // namespace hpips::pouw::detail
