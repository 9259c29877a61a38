// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/cpu_features.h>

namespace hpips {

CpuFeatures DetectCpuFeatures()
{
    CpuFeatures features{};
#if defined(__x86_64__) && (defined(__GNUC__) || defined(__clang__))
    __builtin_cpu_init();
    features.avx2 = __builtin_cpu_supports("avx2");
    features.avx512f = __builtin_cpu_supports("avx512f");
    features.avx512bw = __builtin_cpu_supports("avx512bw");
    features.avx512vl = __builtin_cpu_supports("avx512vl");
    features.avx512vnni = __builtin_cpu_supports("avx512vnni");
#endif
    return features;
}

}  // namespace hpips
