// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <kernels/device.h>

#include <util/logging.h>

#ifdef HPIPS_HAVE_CUDA
#include <kernels/cuda/cuda_backend.h>
#endif

#include <algorithm>
#include <string>
#include <utility>

namespace hpips {
namespace {

/** How much of an unknown backend name an error message repeats. */
constexpr size_t MAX_ECHOED_PREFERENCE{32};

/** The runtime's answer, asked once: devices do not come and go while the
 *  process runs, and the driver query is slow on some systems. */
struct Probe {
    std::vector<DeviceInfo> devices;
    std::string error;
};

const Probe& GetProbe()
{
    static const Probe probe{[] {
        Probe result;
#ifdef HPIPS_HAVE_CUDA
        cuda::CudaProbe cuda_probe{cuda::ProbeCudaDevices()};
        result.devices = std::move(cuda_probe.devices);
        result.error = std::move(cuda_probe.error);
#else
        result.error = "built without CUDA";
#endif
        return result;
    }()};
    return probe;
}

const DeviceInfo* FirstUsableDevice(const Probe& probe)
{
    const auto it{std::find_if(probe.devices.begin(), probe.devices.end(),
                               [](const DeviceInfo& device) { return device.IsUsable(); })};
    return it == probe.devices.end() ? nullptr : &*it;
}

std::string ReasonFor(const Probe& probe)
{
    if (FirstUsableDevice(probe) != nullptr) return "";
    if (!probe.error.empty()) return probe.error;
    if (probe.devices.empty()) return "no CUDA device";
    std::string reason{fmt::format("no device of compute capability {}.{} or higher:",
                                   MIN_CUDA_COMPUTE_CAPABILITY / 10, MIN_CUDA_COMPUTE_CAPABILITY % 10)};
    for (const DeviceInfo& device : probe.devices) {
        reason += fmt::format(" {} ({}.{})", device.name, device.compute_major, device.compute_minor);
    }
    return reason;
}

}  // namespace

std::string_view BackendName(Backend backend)
{
    switch (backend) {
    case Backend::CPU:
        return "cpu";
    case Backend::CUDA:
        return "cuda";
    }
    return "cpu";
}

std::vector<DeviceInfo> ListCudaDevices() { return GetProbe().devices; }

std::string CudaUnavailableReason() { return ReasonFor(GetProbe()); }

Result<void> UseCudaDeviceOnThisThread(int index)
{
#ifdef HPIPS_HAVE_CUDA
    return cuda::UseCudaDevice(index);
#else
    (void)index;
    return Error{"built without CUDA"};
#endif
}

Result<Backend> BackendSelector::Select(std::string_view preference)
{
    const Probe& probe{GetProbe()};
    const DeviceInfo* device{FirstUsableDevice(probe)};
    if (preference == "cpu") return Backend::CPU;
    if (preference == "cuda") {
        if (device == nullptr) return Error{"CUDA backend requested but unavailable: " + ReasonFor(probe)};
        return Backend::CUDA;
    }
    if (preference == "auto") {
        std::call_once(m_logged, [&] {
            if (device != nullptr) {
                LogInfo("kernels: using the CUDA backend on device {} ({}, compute {}.{}, {} SMs, {} MiB)",
                        device->index, device->name, device->compute_major, device->compute_minor,
                        device->multiprocessor_count, device->total_memory_bytes >> 20);
            } else {
                LogInfo("kernels: no CUDA device ({}); using the CPU backend", ReasonFor(probe));
            }
        });
        return device != nullptr ? Backend::CUDA : Backend::CPU;
    }
    // The preference comes from the command line or RPC: echo a bounded prefix.
    return Error{fmt::format("unknown kernel backend \"{}\" (expected auto, cpu or cuda)",
                             preference.substr(0, MAX_ECHOED_PREFERENCE))};
}

Result<Backend> SelectBackend(std::string_view preference)
{
    // The one process-wide selector, so the "auto" line is logged once per
    // process however many callers ask.
    static BackendSelector selector;
    return selector.Select(preference);
}

}  // namespace hpips
