// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CONV_KERNELS_H
#define HPIPS_KERNELS_CONV_KERNELS_H

#include <kernels/requantize.h>

#include <cstddef>
#include <cstdint>

/** Internal to the kernels library: the per-ISA bodies of the conv output
 *  stage. Each equals RequantizeValue element by element; callers validate
 *  the params (RequantParamsValid) first. */
namespace hpips::conv_detail {

/** dst[i] = RequantizeValue(src[i], p) for i < count, by the fastest path. */
void RequantizeSpan(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p);
/** The same with the portable loop (the specification, used by the reference). */
void RequantizeSpanScalar(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p);
/** The same with AVX-512 (F, BW, VL); only called when the CPU has them. */
void RequantizeSpanAvx512(const int32_t* src, int8_t* dst, size_t count, const RequantParams& p);

}  // namespace hpips::conv_detail

#endif  // HPIPS_KERNELS_CONV_KERNELS_H
