// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_HD_H
#define HPIPS_KERNELS_HD_H

/** HPIPS_HD marks arithmetic shared by the CPU and the CUDA backend
 *  (`__host__ __device__` under nvcc, nothing under a host compiler). Every
 *  per-pixel and per-element formula is written once as an HPIPS_HD inline
 *  function, so the CPU unit tests exercise exactly the arithmetic the GPU
 *  runs. Such functions use integers only and no library calls. */
#if defined(__CUDACC__)
#define HPIPS_HD __host__ __device__ __forceinline__
#else
#define HPIPS_HD inline
#endif

#endif  // HPIPS_KERNELS_HD_H
