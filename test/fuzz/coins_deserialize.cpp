// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as each chainstate record — a coin, a block's undo
// data, a block index record — and, whatever decodes, requires that it
// re-encodes to exactly the same bytes (every format is canonical).
#include <chain/blockindex_db.h>
#include <chain/coin.h>
#include <chain/undo.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>
#include <vector>

namespace {

void CheckSame(const std::vector<uint8_t>& encoded, std::span<const uint8_t> input)
{
    if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end())) std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    if (auto coin = hpips::DecodeCoin(input)) {
        if (coin->IsSpent()) std::abort();
        CheckSame(hpips::EncodeCoin(*coin), input);
    }
    if (auto undo = hpips::DecodeBlockUndo(input)) {
        CheckSame(hpips::EncodeBlockUndo(*undo), input);
    }
    if (auto record = hpips::DecodeBlockIndexRecord(input)) {
        CheckSame(hpips::EncodeBlockIndexRecord(*record), input);
    }
    return 0;
}
