// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_RPC_HTTP_CLIENT_H
#define HPIPS_RPC_HTTP_CLIENT_H

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace hpips {

/** Largest reply body hpips-cli accepts (a verbose block can be large). */
constexpr size_t MAX_RPC_REPLY_SIZE = 256 * 1024 * 1024;

/** Where and how to send one JSON-RPC POST. */
struct HTTPPostOptions {
    std::string host{"127.0.0.1"};
    uint16_t port{0};
    /** "/" or "/wallet/<url-encoded name>". */
    std::string target{"/"};
    std::string user;
    std::string password;
    /** Whole-exchange timeout; zero means none. */
    std::chrono::seconds timeout{0};
};

/** The outcome of one POST. */
struct HTTPPostResult {
    /** False if no connection could be made (nothing was sent). */
    bool connected{false};
    /** Non-empty if the exchange failed after connecting (or before: why). */
    std::string error;
    unsigned status{0};
    std::string body;
};

/** Sends `body` as application/json with Basic credentials, synchronously
 *  (Boost.Beast), and reads the reply. Never throws. */
HTTPPostResult PostJSONRPC(const HTTPPostOptions& options, const std::string& body);

/** Percent-encodes a wallet name for the /wallet/<name> path. */
std::string UrlEncode(const std::string& text);

}  // namespace hpips

#endif  // HPIPS_RPC_HTTP_CLIENT_H
