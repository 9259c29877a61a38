// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a block; whatever decodes must re-encode to
// exactly the same bytes, and computing its Merkle root must not fail.
#include <primitives/block.h>
#include <primitives/merkle.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    auto block = hpips::DecodeBlock(input);
    if (!block) return 0;
    const auto encoded = hpips::EncodeBlock(*block);
    if (!std::equal(encoded.begin(), encoded.end(), input.begin(), input.end())) std::abort();
    size_t total = hpips::BLOCK_HEADER_SIZE;
    for (const auto& tx : block->txs) total += tx.GetTotalSize();
    if (total > size) std::abort();
    (void)hpips::BlockMerkleRoot(block->txs);
    return 0;
}
