// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_GEMM_H
#define HPIPS_KERNELS_GEMM_H

#include <kernels/tensor.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace hpips {

class ThreadPool;

/** Largest inner dimension. With int8 operands every product has |a·b| ≤ 2^14
 *  (the extreme is (−128)·(−128)), so |Σ| ≤ 2^14 · 2^16 = 2^30 < 2^31: no
 *  int32 partial or final sum can overflow, whatever the summation order,
 *  and every correct implementation returns identical bits. */
constexpr size_t GEMM_MAX_K{size_t{1} << 16};
/** Largest number of output rows (bounds index arithmetic, not memory: the
 *  caller owns A and C). */
constexpr size_t GEMM_MAX_M{size_t{1} << 24};
/** Largest number of output columns; with GEMM_MAX_K it bounds a packed B to
 *  at most 2^30 bytes (+ padding). */
constexpr size_t GEMM_MAX_N{size_t{1} << 14};

/** The GEMM code paths. Every path returns exactly GemmReference's bits; they
 *  differ only in speed and in which CPUs can run them. */
enum class GemmIsa {
    SCALAR,       //!< portable C++; runs everywhere
    AVX2,         //!< vpmaddwd on sign-extended int16 pairs (x86-64-v3)
    AVX512_VNNI,  //!< vpdpbusd on zmm registers (Ice Lake, Zen 4 and later)
};

/** "scalar", "avx2" or "avx512vnni". */
std::string_view GemmIsaName(GemmIsa isa);
/** The inverse of GemmIsaName; an error for any other string. */
Result<GemmIsa> ParseGemmIsa(std::string_view name);
/** Whether this CPU (and OS) can run the given path. SCALAR always can. */
bool GemmIsaSupported(GemmIsa isa);
/** The fastest path this CPU supports. */
GemmIsa BestGemmIsa();
/** Every path this CPU supports, slowest first (for tests and benchmarks). */
std::vector<GemmIsa> SupportedGemmIsas();

/** The specification: C = A · B with A m×k, B k×n (both int8, row-major with
 *  their leading dimensions) and C m×n int32, by the plain triple loop.
 *  Errors (C untouched): inconsistent shapes (A.cols ≠ B.rows, C not m×n),
 *  malformed views, or a dimension above its GEMM_MAX_* bound. */
Result<void> GemmReference(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c);

/** B (the weights, reused across many GEMMs) rearranged once into the layout
 *  one code path streams from. The layout is private to the path:
 *  - SCALAR: B copied densely (ld = n).
 *  - AVX2: 16-column panels; within a panel, for each pair of k rows, 16
 *    columns × 2 sign-extended int16 values (one vpmaddwd operand).
 *  - AVX512_VNNI: 64-column panels; within a panel, for each group of four k
 *    rows, 64 columns × 4 bytes b + 128 as unsigned (four vpdpbusd operands).
 *  k and n are padded with zeros (which contribute nothing) to whole groups
 *  and panels. The buffer is 64-byte aligned. Packing is O(k·n) and
 *  independent of A, so a conv layer packs its weights once per job. */
class PackedB {
public:
    /** Packs B (k×n) for `isa`. Errors: malformed view, k or n zero or above
     *  GEMM_MAX_K / GEMM_MAX_N, or an ISA this CPU does not support. */
    static Result<PackedB> Pack(MatrixView<const int8_t> b, GemmIsa isa);

    /** Copies re-align the panels in the new buffer (a plain vector copy
     *  would not keep the 64-byte alignment the kernels load with). */
    PackedB(const PackedB& other);
    PackedB& operator=(const PackedB& other);
    PackedB(PackedB&&) noexcept = default;
    PackedB& operator=(PackedB&&) noexcept = default;
    ~PackedB() = default;

    size_t K() const { return m_k; }
    size_t N() const { return m_n; }
    GemmIsa Isa() const { return m_isa; }
    /** Start of the packed panels (64-byte aligned). */
    const uint8_t* Data() const { return m_storage.data() + m_offset; }
    /** Packed size in bytes. */
    size_t Bytes() const { return m_bytes; }

private:
    PackedB(size_t k, size_t n, GemmIsa isa, size_t bytes);
    uint8_t* MutableData() { return m_storage.data() + m_offset; }

    size_t m_k{0};
    size_t m_n{0};
    GemmIsa m_isa{GemmIsa::SCALAR};
    size_t m_bytes{0};
    size_t m_offset{0};
    std::vector<uint8_t> m_storage;
};

/** C = A · B with B pre-packed (the fast path). Rows of C are split across
 *  `pool` (nullptr = the calling thread only); each element is computed by
 *  exactly one thread, so every thread count gives identical bytes.
 *  Errors (C untouched): A.cols ≠ B.K(), C not A.rows × B.N(), malformed
 *  views, A.rows above GEMM_MAX_M, or a packed ISA this CPU cannot run. */
Result<void> Gemm(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c, ThreadPool* pool = nullptr);

/** Convenience: packs B for `isa`, then runs Gemm. Same errors as both. */
Result<void> Gemm(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c, GemmIsa isa,
                  ThreadPool* pool = nullptr);

}  // namespace hpips

#endif  // HPIPS_KERNELS_GEMM_H
