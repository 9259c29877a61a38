// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/blob.h>

#include <crypto/sha256.h>
#include <util/serialize.h>

#include <algorithm>
#include <string>

namespace hpips {
namespace {

/** The chunk tree's hashers, built once (each construction hashes the tags). */
const MerkleDomain& BlobDomain()
{
    static const MerkleDomain domain{BLOB_MERKLE_DOMAIN};
    return domain;
}

/** The leaf hasher of the chunk tree with its tag prefix absorbed: equal to
 *  BlobDomain().HashLeaf, but it can be fed a chunk in pieces. */
const Sha256& ChunkHasherPrefix()
{
    static const Sha256 prefix{TaggedHasher(std::string{BLOB_MERKLE_DOMAIN} + "-leaf")};
    return prefix;
}

BlobError Fail(BlobFailure failure, std::string message) { return BlobError{failure, std::move(message)}; }

uint256 IdFromRoot(uint64_t size, const uint256& merkle_root)
{
    Writer w{8 + uint256::SIZE};
    w.WriteU64(size);
    w.WriteUint256(merkle_root);
    return TaggedHash(BLOB_ID_TAG, w.data());
}

}  // namespace

std::string_view BlobFailureName(BlobFailure failure)
{
    switch (failure) {
    case BlobFailure::EMPTY: return "empty";
    case BlobFailure::TOO_LARGE: return "too-large";
    case BlobFailure::BAD_INDEX: return "bad-index";
    case BlobFailure::BAD_LENGTH: return "bad-length";
    case BlobFailure::BAD_PROOF: return "bad-proof";
    }
    return "unknown";
}

Result<uint32_t, BlobError> BlobChunkCount(uint64_t size)
{
    if (size == 0) return Fail(BlobFailure::EMPTY, "a blob holds at least 1 byte");
    if (size > MAX_BLOB_SIZE) {
        return Fail(BlobFailure::TOO_LARGE, "blob of " + std::to_string(size) + " bytes exceeds MAX_BLOB_SIZE (" +
                                                std::to_string(MAX_BLOB_SIZE) + " bytes)");
    }
    return static_cast<uint32_t>((size + BLOB_CHUNK_SIZE - 1) / BLOB_CHUNK_SIZE);
}

uint64_t BlobChunkLength(uint64_t size, uint64_t index)
{
    const auto count = BlobChunkCount(size);
    if (!count || index >= *count) return 0;
    return std::min(BLOB_CHUNK_SIZE, size - BlobChunkOffset(index));
}

uint256 BlobChunkHash(std::span<const uint8_t> chunk) { return BlobDomain().HashLeaf(chunk); }

Result<uint256, BlobError> ComputeBlobIdFromChunkHashes(uint64_t size, std::span<const uint256> chunk_hashes)
{
    const auto count = BlobChunkCount(size);
    if (!count) return count.error();
    if (chunk_hashes.size() != *count) {
        return Fail(BlobFailure::BAD_LENGTH, std::to_string(chunk_hashes.size()) + " chunk hashes for a blob of " +
                                                 std::to_string(size) + " bytes (" + std::to_string(*count) +
                                                 " chunks)");
    }
    // At most MAX_BLOB_CHUNKS leaves, far below MAX_MERKLE_LEAVES: cannot fail.
    const auto root = ComputeMerkleRoot(BlobDomain(), chunk_hashes);
    return IdFromRoot(size, root.value());
}

Result<BlobDescriptor, BlobError> DescribeBlob(std::span<const uint8_t> blob)
{
    const auto count = BlobChunkCount(blob.size());
    if (!count) return count.error();
    BlobDescriptor out;
    out.size = blob.size();
    out.chunk_hashes.reserve(*count);
    for (uint32_t i = 0; i < *count; ++i) {
        out.chunk_hashes.push_back(BlobChunkHash(blob.subspan(BlobChunkOffset(i), BlobChunkLength(out.size, i))));
    }
    out.id = ComputeBlobIdFromChunkHashes(out.size, out.chunk_hashes).value();
    return out;
}

Result<uint256, BlobError> ComputeBlobId(std::span<const uint8_t> blob)
{
    auto described = DescribeBlob(blob);
    if (!described) return described.error();
    return described->id;
}

Result<MerkleProof, BlobError> BlobChunkProof(std::span<const uint256> chunk_hashes, uint64_t index)
{
    if (chunk_hashes.empty() || chunk_hashes.size() > MAX_BLOB_CHUNKS) {
        return Fail(BlobFailure::BAD_LENGTH, std::to_string(chunk_hashes.size()) + " chunk hashes (a blob has 1 to " +
                                                 std::to_string(MAX_BLOB_CHUNKS) + ")");
    }
    if (index >= chunk_hashes.size()) {
        return Fail(BlobFailure::BAD_INDEX, "chunk " + std::to_string(index) + " of a blob of " +
                                                std::to_string(chunk_hashes.size()) + " chunks");
    }
    // Count and index are in range, so building cannot fail.
    return BuildMerkleProof(BlobDomain(), chunk_hashes, index).value();
}

Result<MerkleProof, BlobError> ChunkProof(std::span<const uint8_t> blob, uint64_t index)
{
    auto described = DescribeBlob(blob);
    if (!described) return described.error();
    return BlobChunkProof(described->chunk_hashes, index);
}

Result<void, BlobError> VerifyChunkHash(const uint256& id, uint64_t size, uint64_t index, uint64_t chunk_length,
                                        const uint256& chunk_hash, const MerkleProof& proof)
{
    const auto count = BlobChunkCount(size);
    if (!count) return count.error();
    if (index >= *count) {
        return Fail(BlobFailure::BAD_INDEX,
                    "chunk " + std::to_string(index) + " of a blob of " + std::to_string(*count) + " chunks");
    }
    const uint64_t expected = BlobChunkLength(size, index);
    if (chunk_length != expected) {
        return Fail(BlobFailure::BAD_LENGTH, "chunk " + std::to_string(index) + " has " +
                                                 std::to_string(chunk_length) + " bytes, expected " +
                                                 std::to_string(expected));
    }
    // Refused before any hashing: a proof for another position or tree shape
    // costs two comparisons.
    if (proof.leaf_index != index || proof.leaf_count != *count || proof.branch.size() > MAX_BLOB_PROOF_DEPTH) {
        return Fail(BlobFailure::BAD_PROOF, "proof is for chunk " + std::to_string(proof.leaf_index) + " of " +
                                                std::to_string(proof.leaf_count) + " with " +
                                                std::to_string(proof.branch.size()) + " siblings");
    }
    const auto root = MerkleRootFromProof(BlobDomain(), chunk_hash, proof);
    if (!root) return Fail(BlobFailure::BAD_PROOF, "proof has the wrong number of siblings");
    if (IdFromRoot(size, *root) != id) {
        return Fail(BlobFailure::BAD_PROOF, "chunk " + std::to_string(index) + " does not belong to blob " +
                                                id.GetHex() + " of " + std::to_string(size) + " bytes");
    }
    return {};
}

Result<void, BlobError> VerifyChunk(const uint256& id, uint64_t size, uint64_t index, std::span<const uint8_t> chunk,
                                    const MerkleProof& proof)
{
    // The chunk is hashed only when every check before the root comparison
    // passes (length for its index, proof for its position), so a malformed
    // chunk or proof costs no hashing; otherwise VerifyChunkHash fails before
    // it looks at the hash.
    const uint64_t expected = BlobChunkLength(size, index);
    const bool hash_needed = expected != 0 && chunk.size() == expected && proof.leaf_index == index &&
                             proof.leaf_count == BlobChunkCount(size).value() &&
                             proof.branch.size() <= MAX_BLOB_PROOF_DEPTH;
    return VerifyChunkHash(id, size, index, chunk.size(), hash_needed ? BlobChunkHash(chunk) : uint256{}, proof);
}

BlobHasher::BlobHasher() : m_chunk{ChunkHasherPrefix()} {}

Result<void, BlobError> BlobHasher::Write(std::span<const uint8_t> data)
{
    if (data.size() > MAX_BLOB_SIZE - m_size) {
        return Fail(BlobFailure::TOO_LARGE, "blob exceeds MAX_BLOB_SIZE (" + std::to_string(MAX_BLOB_SIZE) +
                                                " bytes)");
    }
    while (!data.empty()) {
        const size_t take = static_cast<size_t>(std::min<uint64_t>(data.size(), BLOB_CHUNK_SIZE - m_in_chunk));
        m_chunk.Write(data.first(take));
        data = data.subspan(take);
        m_in_chunk += take;
        m_size += take;
        if (m_in_chunk == BLOB_CHUNK_SIZE) {
            m_chunk_hashes.push_back(m_chunk.Finalize());
            m_chunk = ChunkHasherPrefix();
            m_in_chunk = 0;
        }
    }
    return {};
}

Result<BlobDescriptor, BlobError> BlobHasher::Finalize()
{
    if (m_in_chunk > 0) {
        m_chunk_hashes.push_back(m_chunk.Finalize());
        m_in_chunk = 0;
    }
    BlobDescriptor out;
    out.size = m_size;
    auto id = ComputeBlobIdFromChunkHashes(m_size, m_chunk_hashes);
    if (!id) return id.error();
    out.id = *id;
    out.chunk_hashes = std::move(m_chunk_hashes);
    return out;
}

std::vector<uint8_t> EncodeBlobChunkProof(const MerkleProof& proof)
{
    Writer w{MAX_BLOB_PROOF_SIZE};
    WriteMerkleProof(w, proof);
    return w.Take();
}

Result<MerkleProof> DecodeBlobChunkProof(std::span<const uint8_t> bytes)
{
    return Decode(bytes, [](Reader& r) {
        MerkleProof proof;
        proof.leaf_count = r.ReadCompactSize(MAX_BLOB_CHUNKS);
        proof.leaf_index = r.ReadCompactSize(MAX_BLOB_CHUNKS - 1);
        proof.branch = r.ReadVector(MAX_BLOB_PROOF_DEPTH, uint256::SIZE, [](Reader& r) { return r.ReadUint256(); });
        return proof;
    });
}

}  // namespace hpips
