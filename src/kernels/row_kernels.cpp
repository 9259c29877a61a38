// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include "kernels/row_kernels.h"

namespace hpips {
namespace {

const RowKernels& Detect()
{
#if defined(__x86_64__) || defined(__i386__)
    __builtin_cpu_init();
    // __builtin_cpu_supports also checks that the OS saves the wider register
    // state (XGETBV), so a table is used only when it can run.
    if (const RowKernels* t{Avx512RowKernels()}; t && __builtin_cpu_supports("avx512f") &&
                                                  __builtin_cpu_supports("avx512bw")) {
        return *t;
    }
    if (const RowKernels* t{Avx2RowKernels()}; t && __builtin_cpu_supports("avx2")) return *t;
#endif
    return PortableRowKernels();
}

}  // namespace

const RowKernels& SelectRowKernels()
{
    static const RowKernels& selected{Detect()};
    return selected;
}

}  // namespace hpips
