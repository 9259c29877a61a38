// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_MINING_MINER_DEVICES_H
#define HPIPS_MINING_MINER_DEVICES_H

#include <kernels/device.h>
#include <util/result.h>

#include <cstddef>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/** Which devices the built-in miner runs on (-minerdevice): the parsing of the
 *  option and its resolution against the CUDA devices the runtime lists. Pure
 *  functions over data, so both are tested without a GPU. */
namespace hpips {

/** Longest -minerdevice value accepted ("cuda:" and a list of ordinals). */
constexpr size_t MAX_MINER_DEVICE_TEXT{256};
/** Most CUDA ordinals one -minerdevice list may name. */
constexpr size_t MAX_MINER_CUDA_DEVICES{64};
/** Largest CUDA ordinal accepted in a list (the runtime numbers from 0). */
constexpr int MAX_MINER_CUDA_ORDINAL{1023};

/** What -minerdevice asked for. */
struct MinerDeviceRequest {
    enum class Kind {
        AUTO,       //!< every usable GPU, or the CPU when there is none
        CPU,        //!< the CPU only
        CUDA_ALL,   //!< every usable GPU; an error when there is none
        CUDA_LIST,  //!< the GPUs in `cuda_indices`; an error when one is missing or unusable
    };
    Kind kind{Kind::AUTO};
    /** CUDA_LIST only: distinct ordinals, in the order given. */
    std::vector<int> cuda_indices;
};

/** Parses "auto", "cpu", "cuda" or "cuda:I[,J...]" (decimal ordinals, no
 *  repeats, at most MAX_MINER_CUDA_DEVICES of them, each at most
 *  MAX_MINER_CUDA_ORDINAL). The error names the accepted forms. */
Result<MinerDeviceRequest> ParseMinerDevice(std::string_view text);

/** The GPUs the miner runs one engine each on, and why there are none. */
struct MinerDevicePlan {
    std::vector<DeviceInfo> cuda;
    /** AUTO with no usable GPU: the reason, for the one log line; else empty. */
    std::string cpu_fallback_reason;
};

/** Resolves `request` against `devices` (the runtime's list, usable or not);
 *  `unavailable_reason` is CudaUnavailableReason() (said when no GPU is
 *  usable). CPU → no GPU. AUTO → every usable GPU, or none with the reason.
 *  CUDA_ALL → every usable GPU, or an error with the reason. CUDA_LIST → the
 *  named GPUs, or an error naming the first that is absent or unusable. */
Result<MinerDevicePlan> ResolveMinerDevices(const MinerDeviceRequest& request, std::span<const DeviceInfo> devices,
                                            std::string_view unavailable_reason);

}  // namespace hpips

#endif  // HPIPS_MINING_MINER_DEVICES_H
