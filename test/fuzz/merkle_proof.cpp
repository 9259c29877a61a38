// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Decodes arbitrary bytes as a Merkle proof; whatever decodes must re-encode
// to exactly the same bytes, and verifying it against arbitrary data must
// terminate without fault.
#include <primitives/merkle.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::span<const uint8_t> input{data, size};
    auto proof = hpips::Decode(input, hpips::ReadMerkleProof);
    if (!proof) return 0;
    hpips::Writer w;
    hpips::WriteMerkleProof(w, *proof);
    if (!std::equal(w.data().begin(), w.data().end(), input.begin(), input.end())) std::abort();
    const hpips::MerkleDomain domain{"HPIPS/fuzz"};
    const hpips::uint256 leaf = domain.HashLeaf(input);
    (void)hpips::VerifyMerkleProof(domain, hpips::uint256{}, leaf, *proof);
    return 0;
}
