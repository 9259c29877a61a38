// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CPU_FEATURES_H
#define HPIPS_KERNELS_CPU_FEATURES_H

namespace hpips {

/** The instruction-set extensions the kernels can use, as this CPU and OS
 *  report them at run time. A feature counts only when the OS also saves the
 *  register state it needs (the compiler's runtime checks XGETBV), so a kernel
 *  compiled for an extension is called only when it can run. On non-x86
 *  builds every flag is false and the portable paths are used. */
struct CpuFeatures {
    bool avx2{false};
    bool avx512f{false};
    bool avx512bw{false};
    bool avx512vl{false};
    /** AVX-512 VNNI (`vpdpbusd` on zmm registers). */
    bool avx512vnni{false};

    /** AVX2 kernels need AVX2 alone. */
    bool HasAvx2() const { return avx2; }
    /** The AVX-512 VNNI kernels need F, BW, VL and VNNI together. */
    bool HasAvx512Vnni() const { return avx512f && avx512bw && avx512vl && avx512vnni; }
};

/** Queries the CPU (cheap: the compiler runtime caches CPUID at start-up). */
CpuFeatures DetectCpuFeatures();

}  // namespace hpips

#endif  // HPIPS_KERNELS_CPU_FEATURES_H
