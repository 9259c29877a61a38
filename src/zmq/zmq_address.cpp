// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_address.h>

#include <algorithm>
#include <cstdint>

namespace hpips {
namespace {

constexpr std::string_view TCP_SCHEME{"tcp://"};
constexpr std::string_view IPC_SCHEME{"ipc://"};
/** Digits of the largest port, 65535. */
constexpr size_t MAX_PORT_DIGITS = 5;

ZmqAddressError Fail(ZmqAddressFailure failure, std::string message)
{
    return ZmqAddressError{failure, std::move(message)};
}

Result<void, ZmqAddressError> CheckTcp(std::string_view rest)
{
    std::string_view host;
    std::string_view port;
    if (rest.starts_with('[')) {
        // An IPv6 host is bracketed, so its own colons are not the port's.
        const size_t close = rest.find(']');
        if (close == std::string_view::npos) {
            return Fail(ZmqAddressFailure::MISSING_HOST, "an IPv6 host must be written [host]");
        }
        host = rest.substr(0, close + 1);
        if (close + 1 == rest.size() || rest[close + 1] != ':') {
            return Fail(ZmqAddressFailure::BAD_PORT, "tcp:// needs <host>:<port>");
        }
        port = rest.substr(close + 2);
    } else {
        const size_t colon = rest.rfind(':');
        if (colon == std::string_view::npos) return Fail(ZmqAddressFailure::BAD_PORT, "tcp:// needs <host>:<port>");
        host = rest.substr(0, colon);
        port = rest.substr(colon + 1);
        if (host.find(':') != std::string_view::npos) {
            return Fail(ZmqAddressFailure::MISSING_HOST, "an IPv6 host must be written [host]");
        }
    }
    if (host.empty() || host == "[]") return Fail(ZmqAddressFailure::MISSING_HOST, "tcp:// needs a host before the port");
    const bool digits = !port.empty() && port.size() <= MAX_PORT_DIGITS &&
                        std::all_of(port.begin(), port.end(), [](char c) { return c >= '0' && c <= '9'; });
    uint32_t value{0};
    if (digits) {
        for (const char c : port) value = value * 10 + static_cast<uint32_t>(c - '0');
    }
    if (!digits || value == 0 || value > 65535) {
        return Fail(ZmqAddressFailure::BAD_PORT, "the port must be a number from 1 to 65535");
    }
    return {};
}

}  // namespace

Result<void, ZmqAddressError> CheckZmqAddress(std::string_view address)
{
    if (address.size() > MAX_ZMQ_ADDRESS_LENGTH) {
        return Fail(ZmqAddressFailure::TOO_LONG,
                    "longer than " + std::to_string(MAX_ZMQ_ADDRESS_LENGTH) + " characters");
    }
    if (address.starts_with(TCP_SCHEME)) return CheckTcp(address.substr(TCP_SCHEME.size()));
    if (address.starts_with(IPC_SCHEME)) {
        const std::string_view path = address.substr(IPC_SCHEME.size());
        if (path.empty() || path.size() > MAX_ZMQ_IPC_PATH_LENGTH) {
            return Fail(ZmqAddressFailure::BAD_PATH, "ipc:// needs a path of 1 to " +
                                                         std::to_string(MAX_ZMQ_IPC_PATH_LENGTH) + " characters");
        }
        return {};
    }
    return Fail(ZmqAddressFailure::UNSUPPORTED_SCHEME, "only tcp:// and ipc:// addresses are supported");
}

}  // namespace hpips
