// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <mining/miner_devices.h>

#include <algorithm>
#include <charconv>

namespace hpips {
namespace {

constexpr std::string_view CUDA_LIST_PREFIX{"cuda:"};

Error BadDevice(std::string_view text, std::string_view why)
{
    // The value comes from the command line: echo a bounded prefix only.
    constexpr size_t MAX_ECHO{32};
    return Error{"Invalid -minerdevice '" + std::string{text.substr(0, MAX_ECHO)} + "': " + std::string{why} +
                 " (expected auto, cpu, cuda or cuda:N[,N...])"};
}

std::string DeviceLabel(const DeviceInfo& device)
{
    return "cuda:" + std::to_string(device.index) + " (" + device.name + ", compute " +
           std::to_string(device.compute_major) + "." + std::to_string(device.compute_minor) + ")";
}

}  // namespace

Result<MinerDeviceRequest> ParseMinerDevice(std::string_view text)
{
    if (text.size() > MAX_MINER_DEVICE_TEXT) return BadDevice(text, "too long");
    MinerDeviceRequest request;
    if (text == "auto") return request;
    if (text == "cpu") {
        request.kind = MinerDeviceRequest::Kind::CPU;
        return request;
    }
    if (text == "cuda") {
        request.kind = MinerDeviceRequest::Kind::CUDA_ALL;
        return request;
    }
    if (!text.starts_with(CUDA_LIST_PREFIX)) return BadDevice(text, "unknown device");
    request.kind = MinerDeviceRequest::Kind::CUDA_LIST;
    std::string_view rest{text.substr(CUDA_LIST_PREFIX.size())};
    while (true) {
        const size_t comma{rest.find(',')};
        const std::string_view item{rest.substr(0, comma)};
        int index{-1};
        const auto [end, ec] = std::from_chars(item.data(), item.data() + item.size(), index);
        if (item.empty() || ec != std::errc{} || end != item.data() + item.size() || index < 0 ||
            index > MAX_MINER_CUDA_ORDINAL) {
            return BadDevice(text, "a device must be a number from 0 to " + std::to_string(MAX_MINER_CUDA_ORDINAL));
        }
        if (std::find(request.cuda_indices.begin(), request.cuda_indices.end(), index) !=
            request.cuda_indices.end()) {
            return BadDevice(text, "device " + std::to_string(index) + " is named twice");
        }
        if (request.cuda_indices.size() == MAX_MINER_CUDA_DEVICES) {
            return BadDevice(text, "more than " + std::to_string(MAX_MINER_CUDA_DEVICES) + " devices");
        }
        request.cuda_indices.push_back(index);
        if (comma == std::string_view::npos) break;
        rest = rest.substr(comma + 1);
    }
    return request;
}

Result<MinerDevicePlan> ResolveMinerDevices(const MinerDeviceRequest& request, std::span<const DeviceInfo> devices,
                                            std::string_view unavailable_reason)
{
    MinerDevicePlan plan;
    using Kind = MinerDeviceRequest::Kind;
    switch (request.kind) {
    case Kind::CPU:
        return plan;
    case Kind::AUTO:
    case Kind::CUDA_ALL:
        for (const DeviceInfo& device : devices) {
            if (device.IsUsable()) plan.cuda.push_back(device);
        }
        if (plan.cuda.empty()) {
            const std::string reason{unavailable_reason.empty() ? "no usable CUDA device"
                                                                : std::string{unavailable_reason}};
            if (request.kind == Kind::CUDA_ALL) return Error{"-minerdevice=cuda: no usable CUDA device: " + reason};
            plan.cpu_fallback_reason = reason;
        }
        return plan;
    case Kind::CUDA_LIST:
        for (const int index : request.cuda_indices) {
            const auto it{std::find_if(devices.begin(), devices.end(),
                                       [&](const DeviceInfo& device) { return device.index == index; })};
            if (it == devices.end()) {
                std::string why{"-minerdevice: CUDA device " + std::to_string(index) + " not found"};
                if (!unavailable_reason.empty() && devices.empty()) why += ": " + std::string{unavailable_reason};
                return Error{why};
            }
            if (!it->IsUsable()) {
                return Error{"-minerdevice: " + DeviceLabel(*it) + " is below compute capability " +
                             std::to_string(MIN_CUDA_COMPUTE_CAPABILITY / 10) + "." +
                             std::to_string(MIN_CUDA_COMPUTE_CAPABILITY % 10)};
            }
            plan.cuda.push_back(*it);
        }
        return plan;
    }
    return plan;
}

}  // namespace hpips
