// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/gemm.h>

#include <kernels/cpu_features.h>
#include <kernels/gemm_kernels.h>
#include <kernels/requantize.h>
#include <util/thread_pool.h>

#include <algorithm>
#include <string>

namespace hpips {

namespace {

/** Rows per unit of work handed to the thread pool: a multiple of every
 *  micro-kernel's row count (4, 6, 8, 12, 16), so chunk borders never create
 *  extra partial tiles, and small enough to balance 2..8 threads on the
 *  1024-row work units. */
constexpr size_t GEMM_ROW_GRAIN{48};

/** Alignment of packed panels: one cache line, one zmm. */
constexpr size_t PACK_ALIGNMENT{64};

std::string Dims(size_t rows, size_t cols) { return std::to_string(rows) + "x" + std::to_string(cols); }

/** Shape checks shared by every entry point: consistent, well-formed, bounded. */
Result<void> CheckShapes(size_t m, size_t k, size_t n, MatrixView<const int8_t> a, MatrixView<int32_t> c)
{
    if (!a.IsWellFormed()) return Error{"gemm: malformed A view"};
    if (!c.IsWellFormed()) return Error{"gemm: malformed C view"};
    if (a.rows != m || a.cols != k) return Error{"gemm: A is " + Dims(a.rows, a.cols) + ", expected " + Dims(m, k)};
    if (c.rows != m || c.cols != n) return Error{"gemm: C is " + Dims(c.rows, c.cols) + ", expected " + Dims(m, n)};
    if (k == 0 || k > GEMM_MAX_K) return Error{"gemm: k = " + std::to_string(k) + " outside [1, 65536]"};
    if (n == 0 || n > GEMM_MAX_N) return Error{"gemm: n = " + std::to_string(n) + " outside [1, GEMM_MAX_N]"};
    if (m > GEMM_MAX_M) return Error{"gemm: m = " + std::to_string(m) + " above GEMM_MAX_M"};
    return {};
}

}  // namespace

std::string_view GemmIsaName(GemmIsa isa)
{
    switch (isa) {
    case GemmIsa::SCALAR: return "scalar";
    case GemmIsa::AVX2: return "avx2";
    case GemmIsa::AVX512_VNNI: return "avx512vnni";
    }
    return "unknown";
}

Result<GemmIsa> ParseGemmIsa(std::string_view name)
{
    for (const GemmIsa isa : {GemmIsa::SCALAR, GemmIsa::AVX2, GemmIsa::AVX512_VNNI}) {
        if (GemmIsaName(isa) == name) return isa;
    }
    return Error{"unknown GEMM code path '" + std::string{name} + "' (scalar, avx2, avx512vnni)"};
}

bool GemmIsaSupported(GemmIsa isa)
{
    const CpuFeatures features{DetectCpuFeatures()};
    switch (isa) {
    case GemmIsa::SCALAR: return true;
    case GemmIsa::AVX2: return features.HasAvx2();
    case GemmIsa::AVX512_VNNI: return features.HasAvx512Vnni();
    }
    return false;
}

std::vector<GemmIsa> SupportedGemmIsas()
{
    std::vector<GemmIsa> isas;
    for (const GemmIsa isa : {GemmIsa::SCALAR, GemmIsa::AVX2, GemmIsa::AVX512_VNNI}) {
        if (GemmIsaSupported(isa)) isas.push_back(isa);
    }
    return isas;
}

GemmIsa BestGemmIsa() { return SupportedGemmIsas().back(); }

Result<void> GemmReference(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c)
{
    if (!b.IsWellFormed()) return Error{"gemm: malformed B view"};
    if (auto ok{CheckShapes(a.rows, b.rows, b.cols, a, c)}; !ok) return ok;
    for (size_t i = 0; i < a.rows; ++i) {
        for (size_t j = 0; j < b.cols; ++j) {
            int32_t acc{0};
            for (size_t p = 0; p < a.cols; ++p) acc = MacStep(acc, a.At(i, p), b.At(p, j));
            c.At(i, j) = acc;
        }
    }
    return {};
}

PackedB::PackedB(size_t k, size_t n, GemmIsa isa, size_t bytes)
    : m_k{k}, m_n{n}, m_isa{isa}, m_bytes{bytes}, m_storage(bytes + PACK_ALIGNMENT, 0)
{
    const auto address{reinterpret_cast<uintptr_t>(m_storage.data())};
    m_offset = (PACK_ALIGNMENT - address % PACK_ALIGNMENT) % PACK_ALIGNMENT;
}

PackedB::PackedB(const PackedB& other) : PackedB{other.m_k, other.m_n, other.m_isa, other.m_bytes}
{
    std::copy(other.Data(), other.Data() + m_bytes, MutableData());
}

PackedB& PackedB::operator=(const PackedB& other)
{
    if (this != &other) *this = PackedB{other};
    return *this;
}

Result<PackedB> PackedB::Pack(MatrixView<const int8_t> b, GemmIsa isa)
{
    if (!b.IsWellFormed()) return Error{"gemm: malformed B view"};
    if (b.rows == 0 || b.rows > GEMM_MAX_K) return Error{"gemm: k = " + std::to_string(b.rows) + " outside [1, 65536]"};
    if (b.cols == 0 || b.cols > GEMM_MAX_N) return Error{"gemm: n = " + std::to_string(b.cols) + " outside [1, GEMM_MAX_N]"};
    if (!GemmIsaSupported(isa)) return Error{"gemm: this CPU cannot run the " + std::string{GemmIsaName(isa)} + " path"};
    PackedB packed{b.rows, b.cols, isa, gemm_detail::PackedBBytes(isa, b.rows, b.cols)};
    switch (isa) {
    case GemmIsa::SCALAR: gemm_detail::PackBScalar(b, packed.MutableData()); break;
    case GemmIsa::AVX2: gemm_detail::PackBAvx2(b, packed.MutableData()); break;
    case GemmIsa::AVX512_VNNI: gemm_detail::PackBAvx512Vnni(b, packed.MutableData()); break;
    }
    return packed;
}

Result<void> Gemm(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c, ThreadPool* pool)
{
    if (auto ok{CheckShapes(a.rows, b.K(), b.N(), a, c)}; !ok) return ok;
    if (!GemmIsaSupported(b.Isa())) return Error{"gemm: this CPU cannot run the " + std::string{GemmIsaName(b.Isa())} + " path"};
    if (a.rows == 0) return {};
    const size_t grains{(a.rows + GEMM_ROW_GRAIN - 1) / GEMM_ROW_GRAIN};
    const auto body{[&](size_t begin, size_t end) {
        const size_t row_begin{begin * GEMM_ROW_GRAIN};
        const size_t row_end{std::min(end * GEMM_ROW_GRAIN, a.rows)};
        const MatrixView<const int8_t> a_part{a.Row(row_begin), row_end - row_begin, a.cols, a.ld};
        const MatrixView<int32_t> c_part{c.Row(row_begin), row_end - row_begin, c.cols, c.ld};
        gemm_detail::GemmRows(a_part, b, c_part);
    }};
    if (pool == nullptr) {
        body(0, grains);
    } else {
        pool->ParallelFor(grains, body);
    }
    return {};
}

Result<void> Gemm(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c, GemmIsa isa,
                  ThreadPool* pool)
{
    auto packed{PackedB::Pack(b, isa)};
    if (!packed) return packed.error();
    return Gemm(a, *packed, c, pool);
}

namespace gemm_detail {

size_t PackedBBytes(GemmIsa isa, size_t k, size_t n)
{
    const auto round_up{[](size_t v, size_t step) { return (v + step - 1) / step * step; }};
    switch (isa) {
    case GemmIsa::SCALAR: return k * n;
    case GemmIsa::AVX2: return round_up(k, AVX2_K_STEP) * round_up(n, AVX2_PANEL_COLS) * sizeof(int16_t);
    case GemmIsa::AVX512_VNNI: return round_up(k, VNNI_K_STEP) * round_up(n, VNNI_PANEL_COLS);
    }
    return 0;
}

void GemmRows(MatrixView<const int8_t> a, const PackedB& b, MatrixView<int32_t> c, const int32_t* col_offset)
{
    switch (b.Isa()) {
    case GemmIsa::SCALAR: GemmRowsScalar(a, b, c); break;
    case GemmIsa::AVX2: GemmRowsAvx2(a, b, c); break;
    case GemmIsa::AVX512_VNNI: GemmRowsAvx512Vnni(a, b, c, col_offset); return;
    }
    if (col_offset == nullptr) return;
    for (size_t i = 0; i < c.rows; ++i) {
        int32_t* row{c.Row(i)};
        for (size_t j = 0; j < c.cols; ++j) row[j] = WrappingAdd(row[j], col_offset[j]);
    }
}

}  // namespace gemm_detail

}  // namespace hpips
