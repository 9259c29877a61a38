// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/cuda/cuda_backend.h>
#include <kernels/cuda/cuda_check.cuh>

#include <cuda_runtime.h>

#include <string>
#include <utility>

namespace hpips::cuda {

std::string DescribeCudaError(cudaError_t status)
{
    switch (status) {
    case cudaErrorInsufficientDriver:
        return "CUDA driver not found";
    case cudaErrorNoDevice:
        return "no CUDA device";
    default:
        return cudaGetErrorString(status);
    }
}

Result<void> CudaCheck(cudaError_t status, const char* what)
{
    if (status == cudaSuccess) return {};
    (void)cudaGetLastError();
    return Error{std::string{what} + ": " + DescribeCudaError(status)};
}

Result<void> RequireUsableDevice()
{
    int count{0};
    const cudaError_t status{cudaGetDeviceCount(&count)};
    if (status != cudaSuccess) {
        (void)cudaGetLastError();
        return Error{"no CUDA device (" + DescribeCudaError(status) + ")"};
    }
    if (count == 0) return Error{"no CUDA device"};
    int device{0};
    if (auto r = CudaCheck(cudaGetDevice(&device), "cudaGetDevice"); !r) return r;
    int major{0};
    int minor{0};
    if (auto r = CudaCheck(cudaDeviceGetAttribute(&major, cudaDevAttrComputeCapabilityMajor, device),
                           "cudaDeviceGetAttribute");
        !r) {
        return r;
    }
    if (auto r = CudaCheck(cudaDeviceGetAttribute(&minor, cudaDevAttrComputeCapabilityMinor, device),
                           "cudaDeviceGetAttribute");
        !r) {
        return r;
    }
    if (major * 10 + minor < MIN_CUDA_COMPUTE_CAPABILITY) {
        return Error{"CUDA device " + std::to_string(device) + " has compute capability " +
                     std::to_string(major) + "." + std::to_string(minor) + ", below the required " +
                     std::to_string(MIN_CUDA_COMPUTE_CAPABILITY / 10) + "." +
                     std::to_string(MIN_CUDA_COMPUTE_CAPABILITY % 10)};
    }
    return {};
}

CudaProbe ProbeCudaDevices()
{
    CudaProbe probe;
    int count{0};
    const cudaError_t status{cudaGetDeviceCount(&count)};
    if (status != cudaSuccess) {
        (void)cudaGetLastError();
        probe.error = DescribeCudaError(status);
        return probe;
    }
    for (int index{0}; index < count; ++index) {
        cudaDeviceProp prop{};
        if (cudaGetDeviceProperties(&prop, index) != cudaSuccess) {
            // One unreadable device should not hide the others.
            (void)cudaGetLastError();
            continue;
        }
        DeviceInfo info;
        info.index = index;
        info.name = prop.name;
        info.compute_major = prop.major;
        info.compute_minor = prop.minor;
        info.total_memory_bytes = prop.totalGlobalMem;
        info.multiprocessor_count = prop.multiProcessorCount;
        probe.devices.push_back(std::move(info));
    }
    return probe;
}

Result<void> UseCudaDevice(int index)
{
    return CudaCheck(cudaSetDevice(index), "cudaSetDevice");
}

}  // namespace hpips::cuda
