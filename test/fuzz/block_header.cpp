// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a block header; whatever decodes must re-encode
// to exactly the same bytes, and its template must be their first 76 bytes.
#include <crypto/sha256.h>
#include <primitives/block.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    auto header = hpips::DecodeBlockHeader(input);
    if (!header) return 0;
    const auto encoded = hpips::EncodeBlockHeader(*header);
    if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end())) std::abort();
    const auto tmpl = header->SerializeTemplate();
    if (!std::equal(tmpl.begin(), tmpl.end(), input.begin())) std::abort();
    if (header->GetHash() != hpips::Sha256d(input)) std::abort();
    return 0;
}
