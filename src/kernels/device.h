// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_DEVICE_H
#define HPIPS_KERNELS_DEVICE_H

#include <util/result.h>

#include <cstdint>
#include <mutex>
#include <string>
#include <string_view>
#include <vector>

namespace hpips {

/** Where the kernels run. Both backends give identical bits (integer
 *  arithmetic only), so the choice is about speed, never about results. */
enum class Backend { CPU, CUDA };

/** "cpu" or "cuda". */
std::string_view BackendName(Backend backend);

/** The lowest compute capability the CUDA backend accepts, as major * 10 +
 *  minor: 8.0 (Ampere). The heavy kernels use int8 tensor cores through WMMA
 *  m16n16k16, which exist from 7.2, but the binary is built only for sm_80 and
 *  sm_90 (see cmake/Cuda.cmake), so older devices could not load it anyway. */
constexpr int MIN_CUDA_COMPUTE_CAPABILITY{80};

/** One CUDA device as the runtime reports it. */
struct DeviceInfo {
    /** The runtime's device ordinal (what cudaSetDevice takes). */
    int index{0};
    std::string name;
    int compute_major{0};
    int compute_minor{0};
    uint64_t total_memory_bytes{0};
    int multiprocessor_count{0};

    /** compute_major * 10 + compute_minor, comparable with
     *  MIN_CUDA_COMPUTE_CAPABILITY. */
    int ComputeCapability() const { return compute_major * 10 + compute_minor; }
    /** Whether the CUDA backend can run on this device. */
    bool IsUsable() const { return ComputeCapability() >= MIN_CUDA_COMPUTE_CAPABILITY; }
};

/** The CUDA devices of this machine, usable or not. Empty when the binary was
 *  built without CUDA, when no driver is installed, or when there is no GPU.
 *  Never throws and never aborts. */
std::vector<DeviceInfo> ListCudaDevices();

/** Why there is no usable CUDA device ("CUDA driver not found", "built
 *  without CUDA", "no device of compute capability 8.0 or higher: ...");
 *  an empty string when there is one. */
std::string CudaUnavailableReason();

/** Makes CUDA device `index` the calling thread's current device, so the
 *  CUDA backends' calls from this thread run there (one engine thread per
 *  device). An error when built without CUDA or when the runtime refuses. */
Result<void> UseCudaDeviceOnThisThread(int index);

/** Resolves a user's backend preference once per object and logs the outcome
 *  of the first "auto" resolution as one line ("kernels: ..."), so a node that
 *  asks per job does not repeat itself. Thread-safe. */
class BackendSelector {
public:
    /** preference is "auto", "cpu" or "cuda".
     *  - "auto": CUDA when a usable device exists (see
     *    MIN_CUDA_COMPUTE_CAPABILITY), else CPU; never an error.
     *  - "cpu": CPU.
     *  - "cuda": CUDA, or an error with the reason when no usable device exists.
     *  - anything else: an error naming the accepted values. */
    Result<Backend> Select(std::string_view preference);

private:
    std::once_flag m_logged;
};

/** BackendSelector::Select on the process's one selector (so the "auto" line
 *  appears once per process). */
Result<Backend> SelectBackend(std::string_view preference);

}  // namespace hpips

#endif  // HPIPS_KERNELS_DEVICE_H
