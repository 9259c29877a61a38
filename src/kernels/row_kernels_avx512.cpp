// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Row loops built with -mavx512bw (set per file in CMakeLists.txt); only
// called after SelectRowKernels() saw AVX-512F/BW on the running CPU.
#if defined(__AVX512BW__)
#define HPIPS_ROW_KERNELS_TABLE_NAME "avx512bw"
#include "kernels/row_kernels_impl.h"
#endif

#include "kernels/row_kernels.h"

namespace hpips {

const RowKernels* Avx512RowKernels()
{
#if defined(__AVX512BW__)
    return &TABLE;
#else
    return nullptr;
#endif
}

}  // namespace hpips
