// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Row loops built with -mavx2 (set per file in CMakeLists.txt); only called
// after SelectRowKernels() saw AVX2 on the running CPU.
#if defined(__AVX2__)
#define HPIPS_ROW_KERNELS_TABLE_NAME "avx2"
#include "kernels/row_kernels_impl.h"
#endif

#include "kernels/row_kernels.h"

namespace hpips {

const RowKernels* Avx2RowKernels()
{
#if defined(__AVX2__)
    return &TABLE;
#else
    return nullptr;
#endif
}

}  // namespace hpips
