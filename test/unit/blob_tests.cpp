// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Blob ids and chunk proofs: the documented rule byte for byte, the size
// boundaries (empty, 1 byte, exactly one chunk, one chunk + 1, 256 MiB and
// one byte more), streaming equal to whole-blob hashing, and every kind of
// invalid chunk or proof refused with its failure class.
#include <primitives/blob.h>

#include <crypto/sha256.h>
#include <util/serialize.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace hpips {
namespace {

std::vector<uint8_t> RandomBytes(size_t n, uint64_t seed)
{
    std::mt19937_64 rng{seed};
    std::vector<uint8_t> out(n);
    for (auto& b : out) b = static_cast<uint8_t>(rng());
    return out;
}

std::span<const uint8_t> Chunk(const std::vector<uint8_t>& blob, uint64_t index)
{
    return std::span{blob}.subspan(BlobChunkOffset(index), BlobChunkLength(blob.size(), index));
}

BlobFailure FailureOf(const Result<void, BlobError>& result)
{
    EXPECT_FALSE(result);
    return result ? BlobFailure::EMPTY : result.error().failure;
}

TEST(BlobTest, ChunkArithmeticAtTheBoundaries)
{
    EXPECT_EQ(BlobChunkCount(0).error().failure, BlobFailure::EMPTY);
    EXPECT_EQ(*BlobChunkCount(1), 1u);
    EXPECT_EQ(*BlobChunkCount(BLOB_CHUNK_SIZE), 1u);
    EXPECT_EQ(*BlobChunkCount(BLOB_CHUNK_SIZE + 1), 2u);
    EXPECT_EQ(*BlobChunkCount(MAX_BLOB_SIZE), MAX_BLOB_CHUNKS);
    EXPECT_EQ(MAX_BLOB_CHUNKS, 256u);
    EXPECT_EQ(BlobChunkCount(MAX_BLOB_SIZE + 1).error().failure, BlobFailure::TOO_LARGE);
    EXPECT_EQ(BlobChunkCount(UINT64_MAX).error().failure, BlobFailure::TOO_LARGE);

    EXPECT_EQ(BlobChunkLength(1, 0), 1u);
    EXPECT_EQ(BlobChunkLength(1, 1), 0u);
    EXPECT_EQ(BlobChunkLength(BLOB_CHUNK_SIZE, 0), BLOB_CHUNK_SIZE);
    EXPECT_EQ(BlobChunkLength(BLOB_CHUNK_SIZE + 1, 0), BLOB_CHUNK_SIZE);
    EXPECT_EQ(BlobChunkLength(BLOB_CHUNK_SIZE + 1, 1), 1u);
    EXPECT_EQ(BlobChunkLength(MAX_BLOB_SIZE, MAX_BLOB_CHUNKS - 1), BLOB_CHUNK_SIZE);
    EXPECT_EQ(BlobChunkLength(MAX_BLOB_SIZE, MAX_BLOB_CHUNKS), 0u);
    EXPECT_EQ(BlobChunkLength(0, 0), 0u);
    EXPECT_EQ(BlobChunkLength(MAX_BLOB_SIZE + 1, 0), 0u);
}

TEST(BlobTest, IdMatchesDocumentedRule)
{
    // doc/blobs.md: leaf = TaggedHash("HPIPS/blob-leaf", chunk); the Merkle
    // root of domain "HPIPS/blob" commits to the count; id = TaggedHash(
    // "HPIPS/blob-id", u64 size || root).
    const std::vector<uint8_t> blob = RandomBytes(BLOB_CHUNK_SIZE + 3, 1);
    const uint256 leaf0 = TaggedHash("HPIPS/blob-leaf", Chunk(blob, 0));
    const uint256 leaf1 = TaggedHash("HPIPS/blob-leaf", Chunk(blob, 1));
    Writer node;
    node.WriteUint256(leaf0);
    node.WriteUint256(leaf1);
    const uint256 top = TaggedHash("HPIPS/blob-node", node.data());
    Writer root_data;
    root_data.WriteU64(2);
    root_data.WriteUint256(top);
    const uint256 root = TaggedHash("HPIPS/blob-root", root_data.data());
    Writer id_data;
    id_data.WriteU64(blob.size());
    id_data.WriteUint256(root);
    const uint256 expected = TaggedHash("HPIPS/blob-id", id_data.data());

    const auto described = DescribeBlob(blob);
    ASSERT_TRUE(described);
    EXPECT_EQ(described->id, expected);
    EXPECT_EQ(described->size, blob.size());
    EXPECT_EQ(described->chunk_hashes, (std::vector<uint256>{leaf0, leaf1}));
    EXPECT_EQ(*ComputeBlobId(blob), expected);
}

TEST(BlobTest, KnownVector)
{
    // The id of the 3 bytes "abc" (doc/blobs.md quotes it).
    const auto id = ComputeBlobId(StringBytes("abc"));
    ASSERT_TRUE(id);
    EXPECT_EQ(id->GetHex(), "dab25cff9aaf4eb55e13e095bb05ce9984c6f70bca833bf69ef5c01de265b0e3");
}

TEST(BlobTest, EmptyBlobDoesNotExist)
{
    EXPECT_EQ(ComputeBlobId({}).error().failure, BlobFailure::EMPTY);
    EXPECT_EQ(DescribeBlob({}).error().failure, BlobFailure::EMPTY);
    EXPECT_EQ(ChunkProof({}, 0).error().failure, BlobFailure::EMPTY);
    EXPECT_EQ(ComputeBlobIdFromChunkHashes(0, {}).error().failure, BlobFailure::EMPTY);
    BlobHasher hasher;
    EXPECT_EQ(hasher.Finalize().error().failure, BlobFailure::EMPTY);
    const uint8_t byte{0};
    EXPECT_EQ(FailureOf(VerifyChunk(uint256{}, 0, 0, std::span{&byte, 0}, MerkleProof{})), BlobFailure::EMPTY);
}

TEST(BlobTest, SizesAtChunkBoundaries)
{
    for (const uint64_t size : {uint64_t{1}, BLOB_CHUNK_SIZE - 1, BLOB_CHUNK_SIZE, BLOB_CHUNK_SIZE + 1,
                                3 * BLOB_CHUNK_SIZE}) {
        SCOPED_TRACE(size);
        const std::vector<uint8_t> blob = RandomBytes(size, size);
        const auto described = DescribeBlob(blob);
        ASSERT_TRUE(described);
        EXPECT_EQ(described->chunk_hashes.size(), *BlobChunkCount(size));
        for (uint64_t i = 0; i < described->chunk_hashes.size(); ++i) {
            const auto proof = ChunkProof(blob, i);
            ASSERT_TRUE(proof);
            EXPECT_TRUE(VerifyChunk(described->id, size, i, Chunk(blob, i), *proof));
            EXPECT_EQ(*proof, *BlobChunkProof(described->chunk_hashes, i));
        }
        // The id commits to the size: the same chunks under another size fail.
        EXPECT_FALSE(VerifyChunk(described->id, size + 1, 0, Chunk(blob, 0), *ChunkProof(blob, 0)));
    }
    // One chunk + 1: two chunks, the second of one byte, and distinct ids
    // for a blob and its prefix.
    const std::vector<uint8_t> blob = RandomBytes(BLOB_CHUNK_SIZE + 1, 7);
    EXPECT_EQ(DescribeBlob(blob)->chunk_hashes.size(), 2u);
    EXPECT_NE(*ComputeBlobId(blob), *ComputeBlobId(std::span{blob}.first(BLOB_CHUNK_SIZE)));
}

TEST(BlobTest, LargestBlobStreamedAndOneByteMore)
{
    // 256 MiB of zeros, streamed in 1 MiB pieces (memory: one piece); its id
    // equals the one built from 256 copies of the zero chunk's hash.
    const std::vector<uint8_t> zeros(BLOB_CHUNK_SIZE, 0);
    BlobHasher hasher;
    for (uint32_t i = 0; i < MAX_BLOB_CHUNKS; ++i) ASSERT_TRUE(hasher.Write(zeros));
    EXPECT_EQ(hasher.Size(), MAX_BLOB_SIZE);
    const uint8_t one_more{0};
    const auto refused = hasher.Write(std::span{&one_more, 1});
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().failure, BlobFailure::TOO_LARGE);
    EXPECT_EQ(hasher.Size(), MAX_BLOB_SIZE);  // nothing was appended
    const auto described = hasher.Finalize();
    ASSERT_TRUE(described);

    const std::vector<uint256> hashes(MAX_BLOB_CHUNKS, BlobChunkHash(zeros));
    EXPECT_EQ(described->chunk_hashes, hashes);
    EXPECT_EQ(described->id, *ComputeBlobIdFromChunkHashes(MAX_BLOB_SIZE, hashes));

    // The last chunk of the largest blob verifies with a full-depth proof.
    const auto proof = BlobChunkProof(hashes, MAX_BLOB_CHUNKS - 1);
    ASSERT_TRUE(proof);
    EXPECT_EQ(proof->branch.size(), MAX_BLOB_PROOF_DEPTH);
    EXPECT_TRUE(VerifyChunk(described->id, MAX_BLOB_SIZE, MAX_BLOB_CHUNKS - 1, zeros, *proof));
    EXPECT_LE(EncodeBlobChunkProof(*proof).size(), MAX_BLOB_PROOF_SIZE);

    // One byte more is refused everywhere, by arithmetic alone.
    std::vector<uint256> too_many(hashes);
    too_many.push_back(BlobChunkHash(std::span{&one_more, 1}));
    EXPECT_EQ(ComputeBlobIdFromChunkHashes(MAX_BLOB_SIZE + 1, too_many).error().failure, BlobFailure::TOO_LARGE);
    EXPECT_EQ(BlobChunkProof(too_many, 0).error().failure, BlobFailure::BAD_LENGTH);
    EXPECT_EQ(FailureOf(VerifyChunk(described->id, MAX_BLOB_SIZE + 1, MAX_BLOB_CHUNKS, std::span{&one_more, 1}, *proof)),
              BlobFailure::TOO_LARGE);
}

TEST(BlobTest, StreamingEqualsWholeBlob)
{
    const std::vector<uint8_t> blob = RandomBytes(2 * BLOB_CHUNK_SIZE + 12345, 3);
    const auto whole = DescribeBlob(blob);
    ASSERT_TRUE(whole);
    std::mt19937_64 rng{9};
    for (int round = 0; round < 4; ++round) {
        BlobHasher hasher;
        size_t pos = 0;
        while (pos < blob.size()) {
            const size_t take = std::min<size_t>(blob.size() - pos, rng() % (BLOB_CHUNK_SIZE + 777));
            ASSERT_TRUE(hasher.Write(std::span{blob}.subspan(pos, take)));
            pos += take;
        }
        const auto streamed = hasher.Finalize();
        ASSERT_TRUE(streamed);
        EXPECT_EQ(streamed->id, whole->id);
        EXPECT_EQ(streamed->chunk_hashes, whole->chunk_hashes);
        EXPECT_EQ(streamed->size, blob.size());
    }
}

TEST(BlobTest, ChunkHashCountMustMatchSize)
{
    const std::vector<uint256> hashes(3, uint256{});
    EXPECT_EQ(ComputeBlobIdFromChunkHashes(2 * BLOB_CHUNK_SIZE, hashes).error().failure, BlobFailure::BAD_LENGTH);
    EXPECT_EQ(ComputeBlobIdFromChunkHashes(3 * BLOB_CHUNK_SIZE + 1, hashes).error().failure, BlobFailure::BAD_LENGTH);
    EXPECT_TRUE(ComputeBlobIdFromChunkHashes(3 * BLOB_CHUNK_SIZE, hashes));
    EXPECT_EQ(BlobChunkProof({}, 0).error().failure, BlobFailure::BAD_LENGTH);
    EXPECT_EQ(BlobChunkProof(hashes, 3).error().failure, BlobFailure::BAD_INDEX);
}

class BlobProofTest : public ::testing::Test {
protected:
    // Five chunks, the last short: a tree with a promoted node.
    const std::vector<uint8_t> blob{RandomBytes(4 * BLOB_CHUNK_SIZE + 1000, 11)};
    const BlobDescriptor desc{DescribeBlob(blob).value()};

    MerkleProof Proof(uint64_t index) const { return BlobChunkProof(desc.chunk_hashes, index).value(); }
    BlobFailure Check(uint64_t index, std::span<const uint8_t> chunk, const MerkleProof& proof,
                      std::optional<uint64_t> size = std::nullopt, std::optional<uint256> id = std::nullopt) const
    {
        return FailureOf(VerifyChunk(id.value_or(desc.id), size.value_or(desc.size), index, chunk, proof));
    }
};

TEST_F(BlobProofTest, EveryChunkVerifies)
{
    for (uint64_t i = 0; i < 5; ++i) EXPECT_TRUE(VerifyChunk(desc.id, desc.size, i, Chunk(blob, i), Proof(i)));
}

TEST_F(BlobProofTest, BadIndex)
{
    EXPECT_EQ(Check(5, Chunk(blob, 4), Proof(4)), BlobFailure::BAD_INDEX);
    EXPECT_EQ(Check(UINT64_MAX, Chunk(blob, 4), Proof(4)), BlobFailure::BAD_INDEX);
}

TEST_F(BlobProofTest, BadLength)
{
    const auto chunk = Chunk(blob, 1);
    EXPECT_EQ(Check(1, chunk.first(chunk.size() - 1), Proof(1)), BlobFailure::BAD_LENGTH);
    EXPECT_EQ(Check(1, {}, Proof(1)), BlobFailure::BAD_LENGTH);
    std::vector<uint8_t> longer(chunk.begin(), chunk.end());
    longer.push_back(0);
    EXPECT_EQ(Check(1, longer, Proof(1)), BlobFailure::BAD_LENGTH);
    // The short last chunk must be exactly the rest of the blob.
    EXPECT_EQ(Check(4, Chunk(blob, 3), Proof(4)), BlobFailure::BAD_LENGTH);
    // A peer claiming a shorter blob is caught on the last chunk's length.
    EXPECT_EQ(Check(4, Chunk(blob, 4), Proof(4), desc.size - 1), BlobFailure::BAD_LENGTH);
}

TEST_F(BlobProofTest, BadProof)
{
    // Flipped data.
    std::vector<uint8_t> flipped(Chunk(blob, 2).begin(), Chunk(blob, 2).end());
    flipped[flipped.size() / 2] ^= 0x01;
    EXPECT_EQ(Check(2, flipped, Proof(2)), BlobFailure::BAD_PROOF);
    // Another chunk's proof, and a proof relabelled to the asked index.
    EXPECT_EQ(Check(2, Chunk(blob, 2), Proof(1)), BlobFailure::BAD_PROOF);
    MerkleProof relabelled = Proof(1);
    relabelled.leaf_index = 2;
    EXPECT_EQ(Check(2, Chunk(blob, 2), relabelled), BlobFailure::BAD_PROOF);
    // A swapped chunk (right length, wrong position).
    EXPECT_EQ(Check(2, Chunk(blob, 1), Proof(2)), BlobFailure::BAD_PROOF);
    // Wrong leaf count, missing, extra or flipped sibling.
    MerkleProof wrong_count = Proof(2);
    wrong_count.leaf_count = 6;
    EXPECT_EQ(Check(2, Chunk(blob, 2), wrong_count), BlobFailure::BAD_PROOF);
    MerkleProof missing = Proof(2);
    missing.branch.pop_back();
    EXPECT_EQ(Check(2, Chunk(blob, 2), missing), BlobFailure::BAD_PROOF);
    MerkleProof extra = Proof(2);
    extra.branch.push_back(uint256{});
    EXPECT_EQ(Check(2, Chunk(blob, 2), extra), BlobFailure::BAD_PROOF);
    MerkleProof too_deep = Proof(2);
    too_deep.branch.resize(MAX_BLOB_PROOF_DEPTH + 1);
    EXPECT_EQ(Check(2, Chunk(blob, 2), too_deep), BlobFailure::BAD_PROOF);
    for (size_t s = 0; s < Proof(2).branch.size(); ++s) {
        MerkleProof bad = Proof(2);
        bad.branch[s].data()[s] ^= 0x80;
        EXPECT_EQ(Check(2, Chunk(blob, 2), bad), BlobFailure::BAD_PROOF);
    }
    // Another id, and the right chunks under a larger claimed size with the
    // same count (the id commits to the size, so every chunk fails).
    std::array<uint8_t, 32> other_bytes = desc.id.bytes();
    other_bytes[0] ^= 1;
    EXPECT_EQ(Check(0, Chunk(blob, 0), Proof(0), std::nullopt, uint256{other_bytes}), BlobFailure::BAD_PROOF);
    for (uint64_t i = 0; i < 4; ++i) EXPECT_EQ(Check(i, Chunk(blob, i), Proof(i), desc.size + 1), BlobFailure::BAD_PROOF);
    // A claimed size with another chunk count.
    EXPECT_EQ(Check(0, Chunk(blob, 0), Proof(0), 8 * BLOB_CHUNK_SIZE), BlobFailure::BAD_PROOF);
}

TEST_F(BlobProofTest, SizeLimitsFirst)
{
    EXPECT_EQ(Check(0, Chunk(blob, 0), Proof(0), 0), BlobFailure::EMPTY);
    EXPECT_EQ(Check(0, Chunk(blob, 0), Proof(0), MAX_BLOB_SIZE + 1), BlobFailure::TOO_LARGE);
}

TEST_F(BlobProofTest, VerifyChunkHashAgrees)
{
    for (uint64_t i = 0; i < 5; ++i) {
        EXPECT_TRUE(VerifyChunkHash(desc.id, desc.size, i, Chunk(blob, i).size(), desc.chunk_hashes[i], Proof(i)));
    }
    EXPECT_EQ(FailureOf(VerifyChunkHash(desc.id, desc.size, 0, BLOB_CHUNK_SIZE, desc.chunk_hashes[1], Proof(0))),
              BlobFailure::BAD_PROOF);
}

TEST_F(BlobProofTest, ProofEncodingRoundTripsAndIsBounded)
{
    for (uint64_t i = 0; i < 5; ++i) {
        const auto bytes = EncodeBlobChunkProof(Proof(i));
        const auto decoded = DecodeBlobChunkProof(bytes);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, Proof(i));
        // Same bytes as the generic Merkle proof encoding.
        Writer w;
        WriteMerkleProof(w, Proof(i));
        EXPECT_EQ(w.data(), bytes);
        auto trailing = bytes;
        trailing.push_back(0);
        EXPECT_FALSE(DecodeBlobChunkProof(trailing));
        EXPECT_FALSE(DecodeBlobChunkProof(std::span{bytes}.first(bytes.size() - 1)));
    }
    // One more leaf, one more sibling than a blob can have.
    MerkleProof too_many_leaves{.leaf_index = 0, .leaf_count = MAX_BLOB_CHUNKS + 1, .branch = {}};
    EXPECT_FALSE(DecodeBlobChunkProof(EncodeBlobChunkProof(too_many_leaves)));
    MerkleProof too_deep{.leaf_index = 0, .leaf_count = MAX_BLOB_CHUNKS, .branch = {}};
    too_deep.branch.resize(MAX_BLOB_PROOF_DEPTH + 1);
    EXPECT_FALSE(DecodeBlobChunkProof(EncodeBlobChunkProof(too_deep)));
    too_deep.branch.resize(MAX_BLOB_PROOF_DEPTH);
    EXPECT_TRUE(DecodeBlobChunkProof(EncodeBlobChunkProof(too_deep)));
    MerkleProof index_out{.leaf_index = MAX_BLOB_CHUNKS, .leaf_count = MAX_BLOB_CHUNKS, .branch = {}};
    EXPECT_FALSE(DecodeBlobChunkProof(EncodeBlobChunkProof(index_out)));
}

TEST(BlobTest, FailureNames)
{
    EXPECT_EQ(BlobFailureName(BlobFailure::EMPTY), "empty");
    EXPECT_EQ(BlobFailureName(BlobFailure::TOO_LARGE), "too-large");
    EXPECT_EQ(BlobFailureName(BlobFailure::BAD_INDEX), "bad-index");
    EXPECT_EQ(BlobFailureName(BlobFailure::BAD_LENGTH), "bad-length");
    EXPECT_EQ(BlobFailureName(BlobFailure::BAD_PROOF), "bad-proof");
}

}  // namespace
}  // namespace hpips
