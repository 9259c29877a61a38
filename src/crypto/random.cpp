// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/random.h>

#include <openssl/rand.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>

namespace hpips {
namespace {

/** RAND_bytes takes an int length; ask in chunks well below that. */
constexpr size_t MAX_RAND_CHUNK{size_t{1} << 30};

}  // namespace

void GetStrongRandBytes(std::span<uint8_t> out)
{
    while (!out.empty()) {
        const size_t chunk{std::min(out.size(), MAX_RAND_CHUNK)};
        if (RAND_bytes(out.data(), static_cast<int>(chunk)) != 1) {
            std::fputs("Fatal: OpenSSL RAND_bytes failed; refusing to continue without randomness\n", stderr);
            std::abort();
        }
        out = out.subspan(chunk);
    }
}

}  // namespace hpips
