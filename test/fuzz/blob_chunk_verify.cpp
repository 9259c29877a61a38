// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Checks arbitrary (id, size, index, proof, chunk) with VerifyChunk: it must
// terminate without fault for anything, agree with VerifyChunkHash, and — for
// the chunk taken as a one-chunk blob of its own — accept the true proof and
// nothing else.
//
// Input: id (32) | size u64 | index u64 | proof length u16 | proof bytes | chunk (the rest).
#include <primitives/blob.h>

#include <util/serialize.h>

#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    const std::span<const uint8_t> input{data, size};
    if (input.size() < 32 + 8 + 8 + 2) return 0;
    Reader r{input};
    const uint256 id = r.ReadUint256();
    const uint64_t blob_size = r.ReadU64();
    const uint64_t index = r.ReadU64();
    const size_t proof_length = std::min<size_t>(r.ReadU16(), r.Remaining());
    const auto proof_bytes = r.ReadBytes(proof_length);
    const auto chunk = r.ReadBytes(r.Remaining());

    const auto decoded = DecodeBlobChunkProof(proof_bytes);
    const MerkleProof proof = decoded ? *decoded : MerkleProof{};
    if (decoded && EncodeBlobChunkProof(*decoded) != std::vector<uint8_t>(proof_bytes.begin(), proof_bytes.end())) {
        std::abort();
    }

    // Arbitrary claims, and the same with the size reduced into range.
    for (const uint64_t claimed : {blob_size, blob_size % (MAX_BLOB_SIZE + 1)}) {
        const auto verdict = VerifyChunk(id, claimed, index, chunk, proof);
        const auto by_hash = VerifyChunkHash(id, claimed, index, chunk.size(), BlobChunkHash(chunk), proof);
        if (verdict.has_value() != by_hash.has_value()) std::abort();
        if (!verdict && !by_hash && verdict.error().failure != by_hash.error().failure) std::abort();
    }

    // The chunk as a blob of its own: the true proof passes, another fails.
    if (!chunk.empty() && chunk.size() <= BLOB_CHUNK_SIZE) {
        const auto real_id = ComputeBlobId(chunk);
        const auto real_proof = ChunkProof(chunk, 0);
        if (!real_id || !real_proof) std::abort();
        if (!VerifyChunk(*real_id, chunk.size(), 0, chunk, *real_proof)) std::abort();
        const bool accepted = VerifyChunk(*real_id, chunk.size(), 0, chunk, proof).has_value();
        if (accepted != (proof == *real_proof)) std::abort();
        if (VerifyChunk(*real_id, chunk.size() + 1, 0, chunk, *real_proof)) std::abort();
    }
    return 0;
}
