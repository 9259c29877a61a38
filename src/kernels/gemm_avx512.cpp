// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// AVX-512 VNNI GEMM path. Compiled with -mavx512f -mavx512bw -mavx512vl
// -mavx512vnni (src/kernels/CMakeLists.txt) and called only when the CPU has
// them (GemmIsaSupported).
//
// vpdpbusd multiplies UNSIGNED bytes by SIGNED bytes. We make B unsigned, not
// A: packing stores b + 128 (0..255), and
//     Σ_p a·b = Σ_p a·(b + 128) − 128 · Σ_p a,
// so each row of C starts from −128 · rowsum(A) and the kernel adds the
// biased products. Putting the bias on B costs nothing per call (B is packed
// once), lets A be read in place — its four bytes for one row and one k group
// are contiguous in row-major order, so the signed operand is a plain 32-bit
// broadcast that vpdpbusd takes straight from memory — and needs only one
// extra pass over A for the row sums. All arithmetic wraps modulo 2^32 and the
// true result fits in int32 (gemm.h), so it is exact.
#include <kernels/gemm_kernels.h>

#if defined(__x86_64__)

// GCC 12's AVX-512 headers pass _mm512_undefined_* as the merge source of
// unmasked intrinsics, which -W(maybe-)uninitialized reports as a false positive
// inside the header (GCC bug 105593); silence it for those lines only.
#pragma GCC diagnostic push
#if defined(__GNUC__) && !defined(__clang__)
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#pragma GCC diagnostic ignored "-Wuninitialized"
#endif
#include <immintrin.h>
#pragma GCC diagnostic pop

#include <algorithm>
#include <array>
#include <cstring>
#include <utility>

namespace hpips::gemm_detail {

namespace {

/** Rows of C per micro-kernel: 6 rows × 4 zmm = 24 accumulators, plus 4 B
 *  vectors and a broadcast of A, fit the 32 zmm registers. */
constexpr size_t MR{6};
/** zmm vectors (16 int32 columns each) per panel. */
constexpr size_t NV_MAX{VNNI_PANEL_COLS / 16};
/** Bytes of one packed k group of a panel: 64 columns × 4 k. */
constexpr size_t GROUP_BYTES{VNNI_PANEL_COLS * VNNI_K_STEP};
/** k groups per cache block (1024 k): a 64-column B block of 64 KiB, read
 *  from L2 while the micro-kernel sweeps the rows of an A block. Measured on
 *  Zen 4: 64 groups (an L1-sized block) loses 3-8% to the extra passes over C,
 *  larger blocks gain nothing; L2 feeds the 256 bytes of B per 24 vpdpbusd
 *  easily. */
constexpr size_t KC_GROUPS{256};
/** Rows per A block (with KC_GROUPS: 192 KiB of A, held in L2 across panels). */
constexpr size_t MC{192};
static_assert(MC % MR == 0);

int32_t LoadDword(const int8_t* p)
{
    int32_t v;
    std::memcpy(&v, p, sizeof(v));
    return v;
}

/** Σ row[0..k) with vpdpbusd against a vector of unsigned ones. */
int32_t RowSum(const int8_t* row, size_t k)
{
    const __m512i ones{_mm512_set1_epi8(1)};
    __m512i acc{_mm512_setzero_si512()};
    size_t p{0};
    for (; p + 64 <= k; p += 64) acc = _mm512_dpbusd_epi32(acc, ones, _mm512_loadu_si512(row + p));
    if (p < k) {
        const __mmask64 mask{(~uint64_t{0}) >> (64 - (k - p))};
        acc = _mm512_dpbusd_epi32(acc, ones, _mm512_maskz_loadu_epi8(mask, row + p));
    }
    return _mm512_reduce_add_epi32(acc);  // |sum| ≤ 2^23: no overflow
}

/** One ROWS × (16·NV) tile of C over `groups` k groups. `a` points at the
 *  tile's first row and first k of the block; `bp` at the block's first group
 *  of the panel. With tail_bytes ≠ 0 the last group holds only that many real
 *  k values: A is read through a zero-filled copy there (never past the row),
 *  and the packed B is zero in the missing slots. `init` (first k block)
 *  and `cols` (64 int32 for the panel) give each element's starting value
 *  init[r] + cols[j]; otherwise the tile continues from C.
 *
 *  The 24 accumulators are named variables, not an array: GCC keeps an array
 *  of vectors partly in memory and reloads it every step (measured: half the
 *  speed), while named variables all stay in zmm registers. Accumulators
 *  outside ROWS × NV are never touched and vanish at compile time. */
template <size_t ROWS, size_t NV>
void MicroKernel(const int8_t* a, size_t lda, const uint8_t* bp, size_t groups, size_t tail_bytes, int32_t* c,
                 size_t ldc, const __mmask16* col_masks, const int32_t* init, const int32_t* cols)
{
    static_assert(ROWS >= 1 && ROWS <= MR && NV >= 1 && NV <= NV_MAX);
    const __m512i zero{_mm512_setzero_si512()};
    __m512i c00{zero}, c01{zero}, c02{zero}, c03{zero}, c10{zero}, c11{zero}, c12{zero}, c13{zero};
    __m512i c20{zero}, c21{zero}, c22{zero}, c23{zero}, c30{zero}, c31{zero}, c32{zero}, c33{zero};
    __m512i c40{zero}, c41{zero}, c42{zero}, c43{zero}, c50{zero}, c51{zero}, c52{zero}, c53{zero};

// Applies OP(r, v, accumulator) to every live accumulator.
#define HPIPS_FOR_TILE(OP)                                                                                        \
    do {                                                                                                          \
        OP(0, 0, c00); OP(0, 1, c01); OP(0, 2, c02); OP(0, 3, c03);                                              \
        OP(1, 0, c10); OP(1, 1, c11); OP(1, 2, c12); OP(1, 3, c13);                                              \
        OP(2, 0, c20); OP(2, 1, c21); OP(2, 2, c22); OP(2, 3, c23);                                              \
        OP(3, 0, c30); OP(3, 1, c31); OP(3, 2, c32); OP(3, 3, c33);                                              \
        OP(4, 0, c40); OP(4, 1, c41); OP(4, 2, c42); OP(4, 3, c43);                                              \
        OP(5, 0, c50); OP(5, 1, c51); OP(5, 2, c52); OP(5, 3, c53);                                              \
    } while (false)

#define HPIPS_INIT(r, v, acc)                                                                                     \
    if constexpr ((r) < ROWS && (v) < NV) {                                                                       \
        acc = init != nullptr ? _mm512_add_epi32(_mm512_set1_epi32(init[r]), _mm512_load_si512(cols + 16 * (v)))  \
                              : _mm512_maskz_loadu_epi32(col_masks[v], c + (r) * ldc + 16 * (v));                 \
    }
// One k group for row r: broadcast its four A bytes, then one vpdpbusd per
// vector. Row by row, so only one broadcast is live (24 + 4 + 1 registers).
#define HPIPS_ROW_STEP(r, A_DWORD)                                                                                \
    if constexpr ((r) < ROWS) {                                                                                   \
        const __m512i a_bcast{_mm512_set1_epi32(A_DWORD)};                                                        \
        if constexpr (NV > 0) c##r##0 = _mm512_dpbusd_epi32(c##r##0, b0, a_bcast);                                \
        if constexpr (NV > 1) c##r##1 = _mm512_dpbusd_epi32(c##r##1, b1, a_bcast);                                \
        if constexpr (NV > 2) c##r##2 = _mm512_dpbusd_epi32(c##r##2, b2, a_bcast);                                \
        if constexpr (NV > 3) c##r##3 = _mm512_dpbusd_epi32(c##r##3, b3, a_bcast);                                \
    }
#define HPIPS_GROUP_STEP(GROUP_PTR, A_DWORD_OF)                                                                   \
    do {                                                                                                          \
        const uint8_t* group_ptr{GROUP_PTR};                                                                      \
        const __m512i b0{_mm512_load_si512(group_ptr)};                                                           \
        const __m512i b1{NV > 1 ? _mm512_load_si512(group_ptr + 64) : zero};                                      \
        const __m512i b2{NV > 2 ? _mm512_load_si512(group_ptr + 128) : zero};                                     \
        const __m512i b3{NV > 3 ? _mm512_load_si512(group_ptr + 192) : zero};                                    \
        HPIPS_ROW_STEP(0, A_DWORD_OF(0));                                                                         \
        HPIPS_ROW_STEP(1, A_DWORD_OF(1));                                                                         \
        HPIPS_ROW_STEP(2, A_DWORD_OF(2));                                                                         \
        HPIPS_ROW_STEP(3, A_DWORD_OF(3));                                                                         \
        HPIPS_ROW_STEP(4, A_DWORD_OF(4));                                                                         \
        HPIPS_ROW_STEP(5, A_DWORD_OF(5));                                                                         \
    } while (false)
#define HPIPS_STORE(r, v, acc)                                                                                    \
    if constexpr ((r) < ROWS && (v) < NV) _mm512_mask_storeu_epi32(c + (r) * ldc + 16 * (v), col_masks[v], acc);

    HPIPS_FOR_TILE(HPIPS_INIT);
    const size_t full{tail_bytes != 0 ? groups - 1 : groups};
    for (size_t g = 0; g < full; ++g) {
#define HPIPS_A_MAIN(r) LoadDword(a + (r) * lda + 4 * g)
        HPIPS_GROUP_STEP(bp + g * GROUP_BYTES, HPIPS_A_MAIN);
#undef HPIPS_A_MAIN
    }
    if (tail_bytes != 0) {
        int32_t partial[MR]{};
        for (size_t r = 0; r < ROWS; ++r) std::memcpy(&partial[r], a + r * lda + 4 * full, tail_bytes);
#define HPIPS_A_TAIL(r) partial[r]
        HPIPS_GROUP_STEP(bp + full * GROUP_BYTES, HPIPS_A_TAIL);
#undef HPIPS_A_TAIL
    }
    HPIPS_FOR_TILE(HPIPS_STORE);
#undef HPIPS_STORE
#undef HPIPS_GROUP_STEP
#undef HPIPS_ROW_STEP
#undef HPIPS_INIT
#undef HPIPS_FOR_TILE
}

/** The full 6 × 64 tile (every column of the panel valid), in assembly: GCC
 *  12 does not keep 24 zmm accumulators in registers across a loop written
 *  with intrinsics (it spills and copies several every step, measured at half
 *  speed), so the loop is spelled out. zmm0–23 accumulate (row r, vector v in
 *  zmm 4r+v), zmm24–27 hold the packed B group, zmm28/29 alternate as the
 *  broadcast of one row's four A bytes. The accumulators start from
 *  init[r] + cols[j] when init is given (cols: 64 int32, 64-byte aligned),
 *  else from C; they are stored to C at the end. */
void FullTileLoop(int32_t* c, size_t ldc, const int32_t* init, const int32_t* cols, const int8_t* a, size_t lda,
                  const uint8_t* bp, size_t groups)
{
    const int8_t* a3{a + 3 * lda};
    int32_t* c3{c + 3 * ldc};
    const size_t ldc_bytes{ldc * sizeof(int32_t)};
    asm volatile(
        "test %[init], %[init]\n\t"
        "jz 3f\n\t"
        "vmovdqa64 0(%[cols]), %%zmm24\n\t"
        "vmovdqa64 64(%[cols]), %%zmm25\n\t"
        "vmovdqa64 128(%[cols]), %%zmm26\n\t"
        "vmovdqa64 192(%[cols]), %%zmm27\n\t"
        "vpbroadcastd 0(%[init]), %%zmm28\n\t"
        "vpaddd %%zmm28, %%zmm24, %%zmm0\n\t"
        "vpaddd %%zmm28, %%zmm25, %%zmm1\n\t"
        "vpaddd %%zmm28, %%zmm26, %%zmm2\n\t"
        "vpaddd %%zmm28, %%zmm27, %%zmm3\n\t"
        "vpbroadcastd 4(%[init]), %%zmm28\n\t"
        "vpaddd %%zmm28, %%zmm24, %%zmm4\n\t"
        "vpaddd %%zmm28, %%zmm25, %%zmm5\n\t"
        "vpaddd %%zmm28, %%zmm26, %%zmm6\n\t"
        "vpaddd %%zmm28, %%zmm27, %%zmm7\n\t"
        "vpbroadcastd 8(%[init]), %%zmm28\n\t"
        "vpaddd %%zmm28, %%zmm24, %%zmm8\n\t"
        "vpaddd %%zmm28, %%zmm25, %%zmm9\n\t"
        "vpaddd %%zmm28, %%zmm26, %%zmm10\n\t"
        "vpaddd %%zmm28, %%zmm27, %%zmm11\n\t"
        "vpbroadcastd 12(%[init]), %%zmm28\n\t"
        "vpaddd %%zmm28, %%zmm24, %%zmm12\n\t"
        "vpaddd %%zmm28, %%zmm25, %%zmm13\n\t"
        "vpaddd %%zmm28, %%zmm26, %%zmm14\n\t"
        "vpaddd %%zmm28, %%zmm27, %%zmm15\n\t"
        "vpbroadcastd 16(%[init]), %%zmm28\n\t"
        "vpaddd %%zmm28, %%zmm24, %%zmm16\n\t"
        "vpaddd %%zmm28, %%zmm25, %%zmm17\n\t"
        "vpaddd %%zmm28, %%zmm26, %%zmm18\n\t"
        "vpaddd %%zmm28, %%zmm27, %%zmm19\n\t"
        "vpbroadcastd 20(%[init]), %%zmm28\n\t"
        "vpaddd %%zmm28, %%zmm24, %%zmm20\n\t"
        "vpaddd %%zmm28, %%zmm25, %%zmm21\n\t"
        "vpaddd %%zmm28, %%zmm26, %%zmm22\n\t"
        "vpaddd %%zmm28, %%zmm27, %%zmm23\n\t"
        "jmp 4f\n\t"
        "3:\n\t"
        "vmovdqu64 0(%[c0]), %%zmm0\n\t"
        "vmovdqu64 64(%[c0]), %%zmm1\n\t"
        "vmovdqu64 128(%[c0]), %%zmm2\n\t"
        "vmovdqu64 192(%[c0]), %%zmm3\n\t"
        "vmovdqu64 0(%[c0],%[ldc],1), %%zmm4\n\t"
        "vmovdqu64 64(%[c0],%[ldc],1), %%zmm5\n\t"
        "vmovdqu64 128(%[c0],%[ldc],1), %%zmm6\n\t"
        "vmovdqu64 192(%[c0],%[ldc],1), %%zmm7\n\t"
        "vmovdqu64 0(%[c0],%[ldc],2), %%zmm8\n\t"
        "vmovdqu64 64(%[c0],%[ldc],2), %%zmm9\n\t"
        "vmovdqu64 128(%[c0],%[ldc],2), %%zmm10\n\t"
        "vmovdqu64 192(%[c0],%[ldc],2), %%zmm11\n\t"
        "vmovdqu64 0(%[c3]), %%zmm12\n\t"
        "vmovdqu64 64(%[c3]), %%zmm13\n\t"
        "vmovdqu64 128(%[c3]), %%zmm14\n\t"
        "vmovdqu64 192(%[c3]), %%zmm15\n\t"
        "vmovdqu64 0(%[c3],%[ldc],1), %%zmm16\n\t"
        "vmovdqu64 64(%[c3],%[ldc],1), %%zmm17\n\t"
        "vmovdqu64 128(%[c3],%[ldc],1), %%zmm18\n\t"
        "vmovdqu64 192(%[c3],%[ldc],1), %%zmm19\n\t"
        "vmovdqu64 0(%[c3],%[ldc],2), %%zmm20\n\t"
        "vmovdqu64 64(%[c3],%[ldc],2), %%zmm21\n\t"
        "vmovdqu64 128(%[c3],%[ldc],2), %%zmm22\n\t"
        "vmovdqu64 192(%[c3],%[ldc],2), %%zmm23\n\t"
        "4:\n\t"
        "test %[groups], %[groups]\n\t"
        "jz 2f\n\t"
        ".p2align 5\n\t"
        "1:\n\t"
        "vmovdqa64 0(%[b]), %%zmm24\n\t"
        "vmovdqa64 64(%[b]), %%zmm25\n\t"
        "vmovdqa64 128(%[b]), %%zmm26\n\t"
        "vmovdqa64 192(%[b]), %%zmm27\n\t"
        "vpbroadcastd (%[a0]), %%zmm28\n\t"
        "vpdpbusd %%zmm28, %%zmm24, %%zmm0\n\t"
        "vpdpbusd %%zmm28, %%zmm25, %%zmm1\n\t"
        "vpdpbusd %%zmm28, %%zmm26, %%zmm2\n\t"
        "vpdpbusd %%zmm28, %%zmm27, %%zmm3\n\t"
        "vpbroadcastd (%[a0],%[lda],1), %%zmm29\n\t"
        "vpdpbusd %%zmm29, %%zmm24, %%zmm4\n\t"
        "vpdpbusd %%zmm29, %%zmm25, %%zmm5\n\t"
        "vpdpbusd %%zmm29, %%zmm26, %%zmm6\n\t"
        "vpdpbusd %%zmm29, %%zmm27, %%zmm7\n\t"
        "vpbroadcastd (%[a0],%[lda],2), %%zmm28\n\t"
        "vpdpbusd %%zmm28, %%zmm24, %%zmm8\n\t"
        "vpdpbusd %%zmm28, %%zmm25, %%zmm9\n\t"
        "vpdpbusd %%zmm28, %%zmm26, %%zmm10\n\t"
        "vpdpbusd %%zmm28, %%zmm27, %%zmm11\n\t"
        "vpbroadcastd (%[a3]), %%zmm29\n\t"
        "vpdpbusd %%zmm29, %%zmm24, %%zmm12\n\t"
        "vpdpbusd %%zmm29, %%zmm25, %%zmm13\n\t"
        "vpdpbusd %%zmm29, %%zmm26, %%zmm14\n\t"
        "vpdpbusd %%zmm29, %%zmm27, %%zmm15\n\t"
        "vpbroadcastd (%[a3],%[lda],1), %%zmm28\n\t"
        "vpdpbusd %%zmm28, %%zmm24, %%zmm16\n\t"
        "vpdpbusd %%zmm28, %%zmm25, %%zmm17\n\t"
        "vpdpbusd %%zmm28, %%zmm26, %%zmm18\n\t"
        "vpdpbusd %%zmm28, %%zmm27, %%zmm19\n\t"
        "vpbroadcastd (%[a3],%[lda],2), %%zmm29\n\t"
        "vpdpbusd %%zmm29, %%zmm24, %%zmm20\n\t"
        "vpdpbusd %%zmm29, %%zmm25, %%zmm21\n\t"
        "vpdpbusd %%zmm29, %%zmm26, %%zmm22\n\t"
        "vpdpbusd %%zmm29, %%zmm27, %%zmm23\n\t"
        "add $256, %[b]\n\t"
        "add $4, %[a0]\n\t"
        "add $4, %[a3]\n\t"
        "dec %[groups]\n\t"
        "jnz 1b\n\t"
        "2:\n\t"
        "vmovdqu64 %%zmm0, 0(%[c0])\n\t"
        "vmovdqu64 %%zmm1, 64(%[c0])\n\t"
        "vmovdqu64 %%zmm2, 128(%[c0])\n\t"
        "vmovdqu64 %%zmm3, 192(%[c0])\n\t"
        "vmovdqu64 %%zmm4, 0(%[c0],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm5, 64(%[c0],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm6, 128(%[c0],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm7, 192(%[c0],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm8, 0(%[c0],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm9, 64(%[c0],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm10, 128(%[c0],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm11, 192(%[c0],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm12, 0(%[c3])\n\t"
        "vmovdqu64 %%zmm13, 64(%[c3])\n\t"
        "vmovdqu64 %%zmm14, 128(%[c3])\n\t"
        "vmovdqu64 %%zmm15, 192(%[c3])\n\t"
        "vmovdqu64 %%zmm16, 0(%[c3],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm17, 64(%[c3],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm18, 128(%[c3],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm19, 192(%[c3],%[ldc],1)\n\t"
        "vmovdqu64 %%zmm20, 0(%[c3],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm21, 64(%[c3],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm22, 128(%[c3],%[ldc],2)\n\t"
        "vmovdqu64 %%zmm23, 192(%[c3],%[ldc],2)\n\t"
        : [a0] "+r"(a), [a3] "+r"(a3), [b] "+r"(bp), [groups] "+r"(groups)
        : [c0] "r"(c), [c3] "r"(c3), [ldc] "r"(ldc_bytes), [init] "r"(init), [cols] "r"(cols), [lda] "r"(lda)
        : "cc", "memory", "xmm0", "xmm1", "xmm2", "xmm3", "xmm4", "xmm5", "xmm6", "xmm7", "xmm8", "xmm9",
          "xmm10", "xmm11", "xmm12", "xmm13", "xmm14", "xmm15", "xmm16", "xmm17", "xmm18", "xmm19",
          "xmm20", "xmm21", "xmm22", "xmm23", "xmm24", "xmm25", "xmm26", "xmm27", "xmm28", "xmm29");
}

/** MicroKernel's contract for the full 6 × 64 tile, through FullTileLoop. The
 *  tail group is run from a zero-filled copy of the last A bytes (four per
 *  row, rows 4 bytes apart), continuing from C. */
void FullTileKernel(const int8_t* a, size_t lda, const uint8_t* bp, size_t groups, size_t tail_bytes, int32_t* c,
                    size_t ldc, const __mmask16*, const int32_t* init, const int32_t* cols)
{
    const size_t full{tail_bytes != 0 ? groups - 1 : groups};
    FullTileLoop(c, ldc, init, cols, a, lda, bp, full);
    if (tail_bytes != 0) {
        int8_t tail_a[MR * VNNI_K_STEP]{};
        for (size_t r = 0; r < MR; ++r) std::memcpy(tail_a + r * VNNI_K_STEP, a + r * lda + 4 * full, tail_bytes);
        FullTileLoop(c, ldc, nullptr, cols, tail_a, VNNI_K_STEP, bp + full * GROUP_BYTES, 1);
    }
}

using KernelFn = void (*)(const int8_t*, size_t, const uint8_t*, size_t, size_t, int32_t*, size_t, const __mmask16*,
                          const int32_t*, const int32_t*);

template <size_t ROWS, size_t... NVS>
constexpr std::array<KernelFn, NV_MAX> KernelRow(std::index_sequence<NVS...>)
{
    return {&MicroKernel<ROWS, NVS + 1>...};
}

template <size_t... ROWS>
constexpr std::array<std::array<KernelFn, NV_MAX>, MR> KernelTable(std::index_sequence<ROWS...>)
{
    return {KernelRow<ROWS + 1>(std::make_index_sequence<NV_MAX>{})...};
}

/** KERNELS[rows - 1][vectors - 1]. */
constexpr auto KERNELS{KernelTable(std::make_index_sequence<MR>{})};

}  // namespace

void PackBAvx512Vnni(MatrixView<const int8_t> b, uint8_t* out)
{
    const size_t k{b.rows};
    const size_t n{b.cols};
    const size_t groups{(k + VNNI_K_STEP - 1) / VNNI_K_STEP};
    const size_t panels{(n + VNNI_PANEL_COLS - 1) / VNNI_PANEL_COLS};
    const __m512i bias{_mm512_set1_epi8(static_cast<char>(0x80))};
    for (size_t panel = 0; panel < panels; ++panel) {
        const size_t j0{panel * VNNI_PANEL_COLS};
        const size_t width{std::min(VNNI_PANEL_COLS, n - j0)};
        const __mmask64 cols{width == 64 ? ~uint64_t{0} : (uint64_t{1} << width) - 1};
        for (size_t g = 0; g < groups; ++g) {
            // Four k rows of 64 columns; b + 128 is b ^ 0x80 as a byte. Missing
            // rows and columns stay 0 (not 0x80), so they add nothing.
            __m512i rows[VNNI_K_STEP];
            for (size_t t = 0; t < VNNI_K_STEP; ++t) {
                const size_t p{g * VNNI_K_STEP + t};
                const __m512i raw{p < k ? _mm512_maskz_loadu_epi8(cols, b.Row(p) + j0) : _mm512_setzero_si512()};
                rows[t] = p < k ? _mm512_maskz_mov_epi8(cols, _mm512_xor_si512(raw, bias)) : _mm512_setzero_si512();
            }
            // 4 × 64 byte transpose into 64 × 4: interleave bytes, then
            // 16-bit pairs (within 128-bit lanes), then gather the lanes.
            const __m512i t0{_mm512_unpacklo_epi8(rows[0], rows[1])};
            const __m512i t1{_mm512_unpackhi_epi8(rows[0], rows[1])};
            const __m512i t2{_mm512_unpacklo_epi8(rows[2], rows[3])};
            const __m512i t3{_mm512_unpackhi_epi8(rows[2], rows[3])};
            const __m512i u0{_mm512_unpacklo_epi16(t0, t2)};  // columns 16L + 0..3 of lane L
            const __m512i u1{_mm512_unpackhi_epi16(t0, t2)};  // 16L + 4..7
            const __m512i u2{_mm512_unpacklo_epi16(t1, t3)};  // 16L + 8..11
            const __m512i u3{_mm512_unpackhi_epi16(t1, t3)};  // 16L + 12..15
            const __m512i x0{_mm512_shuffle_i32x4(u0, u1, _MM_SHUFFLE(1, 0, 1, 0))};
            const __m512i x1{_mm512_shuffle_i32x4(u2, u3, _MM_SHUFFLE(1, 0, 1, 0))};
            const __m512i y0{_mm512_shuffle_i32x4(u0, u1, _MM_SHUFFLE(3, 2, 3, 2))};
            const __m512i y1{_mm512_shuffle_i32x4(u2, u3, _MM_SHUFFLE(3, 2, 3, 2))};
            uint8_t* dst{out + (panel * groups + g) * GROUP_BYTES};
            _mm512_store_si512(dst, _mm512_shuffle_i32x4(x0, x1, _MM_SHUFFLE(2, 0, 2, 0)));
            _mm512_store_si512(dst + 64, _mm512_shuffle_i32x4(x0, x1, _MM_SHUFFLE(3, 1, 3, 1)));
            _mm512_store_si512(dst + 128, _mm512_shuffle_i32x4(y0, y1, _MM_SHUFFLE(2, 0, 2, 0)));
            _mm512_store_si512(dst + 192, _mm512_shuffle_i32x4(y0, y1, _MM_SHUFFLE(3, 1, 3, 1)));
        }
    }
}

namespace {

/** The VNNI driver over k rows [group_begin · 4, group_begin · 4 + a.cols) of
 *  the packed B. With `accumulate` the product is added to C, with no bias
 *  (the slice that started the sum carried it). Otherwise C is overwritten,
 *  starting from −128 · rowsum + col_offset, where rowsum is row_sums[i]
 *  when given (the sum over every slice of the logical row) or else the sum
 *  of this slice's row. */
void VnniRows(MatrixView<const int8_t> a, const PackedB& b, size_t group_begin, MatrixView<int32_t> c,
              bool accumulate, const int32_t* row_sums, const int32_t* col_offset)
{
    const size_t m{a.rows};
    const size_t k{a.cols};
    const size_t n{b.N()};
    const size_t total_groups{(b.K() + VNNI_K_STEP - 1) / VNNI_K_STEP};
    const size_t groups{(k + VNNI_K_STEP - 1) / VNNI_K_STEP};
    const size_t panels{(n + VNNI_PANEL_COLS - 1) / VNNI_PANEL_COLS};
    const size_t tail{k % VNNI_K_STEP};
    int32_t row_init[MC];
    for (size_t i0 = 0; i0 < m; i0 += MC) {
        const size_t mc{std::min(MC, m - i0)};
        // −128 · rowsum(A) undoes the +128 bias of the packed B (see top).
        // |rowsum| ≤ 2^23, so the product fits.
        if (!accumulate) {
            for (size_t r = 0; r < mc; ++r) {
                row_init[r] = -128 * (row_sums != nullptr ? row_sums[i0 + r] : RowSum(a.Row(i0 + r), k));
            }
        }
        for (size_t g0 = 0; g0 < groups; g0 += KC_GROUPS) {
            const size_t kcg{std::min(KC_GROUPS, groups - g0)};
            const size_t tail_bytes{g0 + kcg == groups ? tail : 0};
            const bool first{g0 == 0 && !accumulate};
            for (size_t panel = 0; panel < panels; ++panel) {
                const size_t j0{panel * VNNI_PANEL_COLS};
                const size_t width{std::min(VNNI_PANEL_COLS, n - j0)};
                __mmask16 col_masks[NV_MAX];
                for (size_t v = 0; v < NV_MAX; ++v) {
                    const size_t valid{width > 16 * v ? std::min<size_t>(16, width - 16 * v) : 0};
                    col_masks[v] = static_cast<__mmask16>((1u << valid) - 1);
                }
                const size_t vectors{(width + 15) / 16};
                alignas(64) int32_t panel_cols[VNNI_PANEL_COLS]{};
                if (col_offset != nullptr) std::memcpy(panel_cols, col_offset + j0, width * sizeof(int32_t));
                const uint8_t* bp{b.Data() + (panel * total_groups + group_begin + g0) * GROUP_BYTES};
                for (size_t ir = 0; ir < mc; ir += MR) {
                    const size_t rows{std::min(MR, mc - ir)};
                    const KernelFn kernel{rows == MR && width == VNNI_PANEL_COLS ? &FullTileKernel
                                                                                   : KERNELS[rows - 1][vectors - 1]};
                    kernel(a.Row(i0 + ir) + g0 * VNNI_K_STEP, a.ld, bp, kcg, tail_bytes, c.Row(i0 + ir) + j0, c.ld,
                           col_masks, first ? row_init + ir : nullptr, panel_cols);
                }
            }
        }
    }
}

}  // namespace

int32_t RowSumAvx512Vnni(const int8_t* row, size_t count) { return RowSum(row, count); }

void GemmRowsAvx512Vnni(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c, const int32_t* col_offset)
{
    VnniRows(a, b, 0, c, false, nullptr, col_offset);
}

void GemmRowsAvx512VnniSlice(MatrixView<const int8_t> a, const PackedB& b, size_t k_begin, MatrixView<int32_t> c,
                             const int32_t* row_sums, const int32_t* col_offset)
{
    VnniRows(a, b, k_begin / VNNI_K_STEP, c, row_sums == nullptr, row_sums, col_offset);
}

}  // namespace hpips::gemm_detail

#else  // not x86-64: never selected (GemmIsaSupported is false)

namespace hpips::gemm_detail {
void PackBAvx512Vnni(MatrixView<const int8_t>, uint8_t*) {}
void GemmRowsAvx512Vnni(MatrixView<const int8_t>, const PackedB&, MatrixView<int32_t>, const int32_t*) {}
void GemmRowsAvx512VnniSlice(MatrixView<const int8_t>, const PackedB&, size_t, MatrixView<int32_t>, const int32_t*,
                             const int32_t*)
{
}
int32_t RowSumAvx512Vnni(const int8_t*, size_t) { return 0; }
}  // namespace hpips::gemm_detail

#endif
