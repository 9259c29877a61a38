// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Feeds arbitrary text to the Base58 and Base58Check decoders. Whatever is
// accepted must re-encode to exactly the same text (the encoding is
// canonical) and respect the length bound.
#include <crypto/base58.h>

#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

constexpr size_t MAX_DECODED{100};

void Check(bool condition)
{
    if (!condition) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};
    if (const auto decoded{hpips::DecodeBase58(text, MAX_DECODED)}) {
        Check(decoded->size() <= MAX_DECODED);
        Check(hpips::EncodeBase58(*decoded) == text);
    }
    if (const auto payload{hpips::DecodeBase58Check(text, MAX_DECODED)}) {
        Check(payload->size() <= MAX_DECODED);
        Check(hpips::EncodeBase58Check(*payload) == text);
    }
    return 0;
}
