// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CUDA_CUDA_CHECK_CUH
#define HPIPS_KERNELS_CUDA_CUDA_CHECK_CUH

// Shared by the .cu files only: turns CUDA runtime status codes into Result
// errors and owns device memory. Every runtime call in the backend goes through
// CudaCheck, so a missing driver, a full device or a failed launch becomes an
// error value with a reason, never an abort.

#include <kernels/device.h>
#include <util/result.h>

#include <cuda_runtime.h>

#include <cstddef>
#include <string>

namespace hpips::cuda {

/** A readable reason for a runtime status; the two "no GPU here" codes get the
 *  wording the registry logs. */
std::string DescribeCudaError(cudaError_t status);

/** Success, or an error "<what>: <reason>". Clears the runtime's last-error
 *  slot so a later, unrelated call does not report this failure again. */
Result<void> CudaCheck(cudaError_t status, const char* what);

/** Success when the current device exists and has compute capability of at
 *  least MIN_CUDA_COMPUTE_CAPABILITY; an error with the reason otherwise. The
 *  host entry points call this first so a machine without a GPU gets one clear
 *  message instead of a failed allocation. */
Result<void> RequireUsableDevice();

/** Device memory for count elements of T, freed on destruction. Not copyable,
 *  so a buffer is freed exactly once. */
template <typename T>
class DeviceBuffer {
public:
    DeviceBuffer() = default;
    DeviceBuffer(const DeviceBuffer&) = delete;
    DeviceBuffer& operator=(const DeviceBuffer&) = delete;
    ~DeviceBuffer()
    {
        if (m_data != nullptr) (void)cudaFree(m_data);
    }

    /** Allocates count elements (count > 0); any previous memory is freed. */
    Result<void> Allocate(size_t count)
    {
        if (m_data != nullptr) (void)cudaFree(m_data);
        m_data = nullptr;
        void* raw{nullptr};
        auto status = CudaCheck(cudaMalloc(&raw, count * sizeof(T)), "cudaMalloc");
        if (!status) return status;
        m_data = static_cast<T*>(raw);
        return {};
    }

    T* get() const { return m_data; }

private:
    T* m_data{nullptr};
};

/** Copies count elements host -> device. */
template <typename T>
Result<void> CopyToDevice(T* device, const T* host, size_t count)
{
    return CudaCheck(cudaMemcpy(device, host, count * sizeof(T), cudaMemcpyHostToDevice),
                     "cudaMemcpy to device");
}

/** Copies count elements device -> host. */
template <typename T>
Result<void> CopyToHost(T* host, const T* device, size_t count)
{
    return CudaCheck(cudaMemcpy(host, device, count * sizeof(T), cudaMemcpyDeviceToHost),
                     "cudaMemcpy to host");
}

/** Checks a kernel launch (configuration errors) on the given stream. */
inline Result<void> CheckLaunch(const char* kernel)
{
    return CudaCheck(cudaGetLastError(), kernel);
}

}  // namespace hpips::cuda

#endif  // HPIPS_KERNELS_CUDA_CUDA_CHECK_CUH
