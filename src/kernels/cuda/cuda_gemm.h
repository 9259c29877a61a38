// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CUDA_CUDA_GEMM_H
#define HPIPS_KERNELS_CUDA_CUDA_GEMM_H

// The heavy stage on int8 tensor cores: C = A · B with A (m × k int8,
// row-major), B (k × n int8, row-major), C (m × n int32). Plain C++ header: the
// kernels live in cuda_gemm.cu. Products are exact (int32 accumulation with
// k ≤ CUDA_GEMM_MAX_K, see requantize.h), so the result is bit-identical to
// the CPU GEMM (gemm.h) whatever the tiling.

#include <kernels/gemm.h>
#include <kernels/tensor.h>
#include <util/result.h>

#include <cstddef>
#include <cstdint>

struct CUstream_st;

namespace hpips::cuda {

/** Largest leading dimension of any view, so row * ld never approaches the
 *  size_t range whatever the caller passes. The shape bounds themselves are
 *  the CPU GEMM's (GEMM_MAX_K, GEMM_MAX_M, GEMM_MAX_N in gemm.h): both
 *  backends accept exactly the same shapes. */
constexpr size_t CUDA_GEMM_MAX_LD{size_t{1} << 30};
/** Largest dense operand or result the host-memory entry point copies to the
 *  device (2^30 elements: 1 GiB of int8, 4 GiB of int32). Bounds device
 *  allocations before any is made. */
constexpr size_t CUDA_GEMM_MAX_ELEMENTS{size_t{1} << 30};

/** A CUDA stream as an opaque pointer (cudaStream_t); nullptr is the default
 *  stream. Keeps this header free of CUDA includes. */
using CudaStream = CUstream_st*;

/** Checks the views as the CPU GemmReference does (well-formed, a.cols ==
 *  b.rows, c is a.rows × b.cols, GEMM_MAX_* bounds) plus ld ≤
 *  CUDA_GEMM_MAX_LD. */
Result<void> CheckGemmShape(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c);

/** C = A · B on the current CUDA device. Views hold HOST memory; the operands
 *  are copied to the device, multiplied on int8 tensor cores (WMMA
 *  m16n16k16, zero-padded edges) and the result copied back into c. Blocks
 *  until done. Errors (bad shape, no device, allocation or launch failure)
 *  come back as values; c is unspecified after an error. Besides
 *  CheckGemmShape, each dense operand must have at most
 *  CUDA_GEMM_MAX_ELEMENTS elements. */
Result<void> CudaGemmS8S8S32(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c);

/** As CudaGemmS8S8S32 but the views hold DEVICE memory and the kernel is only
 *  enqueued on stream (no copy, no wait): launch errors are reported, errors
 *  during execution appear at the caller's next synchronisation. */
Result<void> CudaGemmS8S8S32Device(MatrixView<const int8_t> a, MatrixView<const int8_t> b, MatrixView<int32_t> c,
                                   CudaStream stream = nullptr);

}  // namespace hpips::cuda

#endif  // HPIPS_KERNELS_CUDA_CUDA_GEMM_H
