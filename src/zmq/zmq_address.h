// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_ZMQ_ZMQ_ADDRESS_H
#define HPIPS_ZMQ_ZMQ_ADDRESS_H

#include <util/result.h>

#include <cstddef>
#include <string>
#include <string_view>

/** Which -zmqpub* addresses the node binds: tcp://<host>:<port> and
 *  ipc://<path> only (the transports Core documents; libzmq's others,
 *  inproc:// and the multicast ones, make no sense for a node's clients).
 *  The check is syntactic; whether the host is a local interface is for
 *  the bind to say. */
namespace hpips {

/** Longest address accepted: far more than any host name and port need. */
constexpr size_t MAX_ZMQ_ADDRESS_LENGTH = 256;
/** Longest ipc:// path: a Unix socket path (sockaddr_un's 108 bytes less the NUL). */
constexpr size_t MAX_ZMQ_IPC_PATH_LENGTH = 107;

/** Why an address was refused. */
enum class ZmqAddressFailure {
    TOO_LONG,            //!< over MAX_ZMQ_ADDRESS_LENGTH
    UNSUPPORTED_SCHEME,  //!< neither tcp:// nor ipc://
    MISSING_HOST,        //!< tcp:// without a host (or an unclosed "[v6]")
    BAD_PORT,            //!< tcp:// without a port in 1..65535
    BAD_PATH,            //!< ipc:// with an empty path or one over MAX_ZMQ_IPC_PATH_LENGTH
};

/** A refused address: the class, and a sentence for the operator. */
struct ZmqAddressError {
    ZmqAddressFailure failure{ZmqAddressFailure::UNSUPPORTED_SCHEME};
    std::string message;
};

/** Checks `address` (see the file comment); the error's message says what
 *  is wrong without repeating the address. */
Result<void, ZmqAddressError> CheckZmqAddress(std::string_view address);

}  // namespace hpips

#endif  // HPIPS_ZMQ_ZMQ_ADDRESS_H
