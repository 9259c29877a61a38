// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a transaction; whatever decodes must re-encode
// to exactly the same bytes (the encoding is canonical) and its ids must match
// the hashes of those bytes.
#include <crypto/sha256.h>
#include <primitives/transaction.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    auto tx = hpips::DecodeTransaction(input);
    if (!tx) return 0;
    const auto encoded = hpips::EncodeTransaction(*tx);
    if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end())) std::abort();
    if (tx->GetTotalSize() != size) std::abort();
    if (tx->GetWtxid() != hpips::Sha256d(input)) std::abort();
    if (tx->GetTxid() != hpips::Sha256d(input.first(tx->GetBaseSize()))) std::abort();
    return 0;
}
