// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_KERNELS_CUDA_CUDA_BACKEND_H
#define HPIPS_KERNELS_CUDA_CUDA_BACKEND_H

// Plain C++ view of the CUDA runtime for the device registry: no CUDA header
// leaks out of src/kernels/cuda, so device.cpp compiles with the host compiler
// and calls this only when HPIPS_HAVE_CUDA is defined.

#include <kernels/device.h>
#include <util/result.h>

#include <string>
#include <vector>

namespace hpips::cuda {

/** What the CUDA runtime reports about this machine. */
struct CudaProbe {
    /** Every device the runtime lists, usable or not. */
    std::vector<DeviceInfo> devices;
    /** Why no device is listed ("CUDA driver not found", ...); empty when the
     *  runtime answered normally, even with zero devices. */
    std::string error;
};

/** Asks the CUDA runtime for its devices. A missing driver or GPU is reported
 *  in CudaProbe::error, never thrown or aborted on. */
CudaProbe ProbeCudaDevices();

/** Makes `index` the calling thread's current CUDA device (cudaSetDevice):
 *  every later launch of this thread runs there. Errors with the reason. */
Result<void> UseCudaDevice(int index);

}  // namespace hpips::cuda

#endif  // HPIPS_KERNELS_CUDA_CUDA_BACKEND_H
