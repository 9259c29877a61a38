// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_BLOB_H
#define HPIPS_PRIMITIVES_BLOB_H

#include <primitives/merkle.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * Content addressing of job data ("blobs": input tensors, weights, frames,
 * results). doc/blobs.md has the full text; in short:
 *
 *  - A blob is 1 … MAX_BLOB_SIZE bytes, split into chunks of exactly
 *    BLOB_CHUNK_SIZE bytes; the last chunk holds the rest (1 … BLOB_CHUNK_SIZE
 *    bytes). The empty blob does not exist: it has no chunk to transfer or
 *    prove, and no job needs it.
 *  - chunk_hash_i = the leaf hash of chunk i in the Merkle domain
 *    BLOB_MERKLE_DOMAIN (primitives/merkle.h): TaggedHash("HPIPS/blob-leaf", chunk_i).
 *  - merkle_root  = ComputeMerkleRoot over the chunk hashes (it commits to the
 *    chunk count).
 *  - id           = TaggedHash("HPIPS/blob-id", u64 size || merkle_root).
 *
 * The id therefore commits to the total size, the chunk count and every
 * chunk; each chunk can be checked on arrival, alone, with a MerkleProof of
 * at most MAX_BLOB_PROOF_DEPTH siblings, against (id, size). A peer that
 * claims another size for an id fails on the first chunk it sends.
 *
 * All functions are pure and thread-safe. Cost: hashing is one SHA-256 pass
 * over the data; a proof check is one chunk hash plus ≤ 9 node hashes.
 */
namespace hpips {

/** Bytes per chunk: the unit of transfer, of the check on arrival and of one
 *  disk read when serving. A chunk with its proof fits in one P2P message
 *  well below the block message, and a forged chunk costs the receiver at
 *  most 1 MiB before it is caught. */
constexpr uint64_t BLOB_CHUNK_SIZE = uint64_t{1} << 20;
/** Largest blob, 256 MiB: a job's input (about 43 frames of 1920×1080 RGB,
 *  or the int8 weights of any single conv layer the job market posts) fits,
 *  while one download's disk reservation and a proof's depth stay small. Jobs
 *  with more data post several blobs. */
constexpr uint64_t MAX_BLOB_SIZE = uint64_t{256} << 20;
/** Chunks of the largest blob (256). */
constexpr uint32_t MAX_BLOB_CHUNKS = static_cast<uint32_t>(MAX_BLOB_SIZE / BLOB_CHUNK_SIZE);
/** Most siblings in a chunk proof: log2(MAX_BLOB_CHUNKS). */
constexpr size_t MAX_BLOB_PROOF_DEPTH = 8;
/** Largest encoded chunk proof: CompactSize count (3) + index (3) + branch
 *  length (1) + the siblings. */
constexpr size_t MAX_BLOB_PROOF_SIZE = 3 + 3 + 1 + MAX_BLOB_PROOF_DEPTH * uint256::SIZE;

/** The Merkle domain of the chunk tree. */
constexpr std::string_view BLOB_MERKLE_DOMAIN{"HPIPS/blob"};
/** The tag of the id, which wraps the chunk tree's root with the size. */
constexpr std::string_view BLOB_ID_TAG{"HPIPS/blob-id"};

static_assert(MAX_BLOB_SIZE % BLOB_CHUNK_SIZE == 0);
static_assert((uint64_t{1} << MAX_BLOB_PROOF_DEPTH) == MAX_BLOB_CHUNKS);

/** Why a blob, a chunk or a proof was refused. Callers decide on the class
 *  (the P2P layer disconnects a peer for BAD_LENGTH / BAD_PROOF / BAD_INDEX of
 *  a chunk it requested), never on the message text. */
enum class BlobFailure : uint8_t {
    /** Size 0: there is no empty blob. */
    EMPTY,
    /** Size above MAX_BLOB_SIZE. */
    TOO_LARGE,
    /** Chunk index not below the blob's chunk count. */
    BAD_INDEX,
    /** A chunk of the wrong length for its index, or a list of chunk hashes
     *  whose count does not match the size. */
    BAD_LENGTH,
    /** A proof of the wrong shape, for another index or count, or one that
     *  does not lead to the id. */
    BAD_PROOF,
};

/** Short lower-case name of a failure class ("too-large", "bad-proof"...),
 *  for logs and RPC messages. */
std::string_view BlobFailureName(BlobFailure failure);

/** A refusal: its class and a human-readable reason. */
struct BlobError {
    BlobFailure failure{BlobFailure::BAD_PROOF};
    std::string message;
};

/** What identifies and proves a blob's chunks: its id, byte size and the hash
 *  of every chunk (at most MAX_BLOB_CHUNKS, so at most 8 KiB). */
struct BlobDescriptor {
    uint256 id;
    uint64_t size{0};
    std::vector<uint256> chunk_hashes;
};

/** The number of chunks of a blob of `size` bytes: ceil(size / BLOB_CHUNK_SIZE).
 *  Fails EMPTY for 0 and TOO_LARGE above MAX_BLOB_SIZE. */
Result<uint32_t, BlobError> BlobChunkCount(uint64_t size);

/** The byte length of chunk `index` of a blob of `size` bytes; 0 when the
 *  size or the index is invalid (so 0 never matches a real chunk). */
uint64_t BlobChunkLength(uint64_t size, uint64_t index);

/** The byte offset of chunk `index` in its blob. */
constexpr uint64_t BlobChunkOffset(uint64_t index) { return index * BLOB_CHUNK_SIZE; }

/** The hash of one chunk's bytes (a leaf of the chunk tree). */
uint256 BlobChunkHash(std::span<const uint8_t> chunk);

/** The id of a blob of `size` bytes from its chunk hashes, in order: what a
 *  streaming reader computes after hashing chunk by chunk. Fails EMPTY,
 *  TOO_LARGE, or BAD_LENGTH when the number of hashes is not the size's chunk
 *  count. */
Result<uint256, BlobError> ComputeBlobIdFromChunkHashes(uint64_t size, std::span<const uint256> chunk_hashes);

/** The id, size and chunk hashes of a whole blob held in memory. Fails EMPTY
 *  or TOO_LARGE. */
Result<BlobDescriptor, BlobError> DescribeBlob(std::span<const uint8_t> blob);

/** The id of a whole blob held in memory. Fails EMPTY or TOO_LARGE. */
Result<uint256, BlobError> ComputeBlobId(std::span<const uint8_t> blob);

/** The proof of chunk `index` from all the blob's chunk hashes (what a store
 *  keeps, so it can prove a chunk without reading the others). Fails
 *  BAD_INDEX, or BAD_LENGTH when there are no hashes or more than
 *  MAX_BLOB_CHUNKS. */
Result<MerkleProof, BlobError> BlobChunkProof(std::span<const uint256> chunk_hashes, uint64_t index);

/** The proof of chunk `index` of a whole blob held in memory. Fails EMPTY,
 *  TOO_LARGE or BAD_INDEX. */
Result<MerkleProof, BlobError> ChunkProof(std::span<const uint8_t> blob, uint64_t index);

/** Checks that `chunk` is chunk `index` of the blob `id` of `size` bytes.
 *  In order: EMPTY / TOO_LARGE (size), BAD_INDEX (index ≥ chunk count),
 *  BAD_LENGTH (chunk is not exactly BlobChunkLength(size, index) bytes),
 *  BAD_PROOF (the proof is for another index or count, has too many or too
 *  few siblings, or does not lead to `id`). A wrong `size` for a genuine id
 *  always fails, with BAD_LENGTH or BAD_PROOF. Cost: one hash of the chunk
 *  (≤ 1 MiB) and ≤ 9 node hashes; never allocates. */
Result<void, BlobError> VerifyChunk(const uint256& id, uint64_t size, uint64_t index, std::span<const uint8_t> chunk,
                                    const MerkleProof& proof);

/** VerifyChunk for a caller that has already hashed the chunk (BlobChunkHash)
 *  and needs the hash itself (a store keeps it): the same checks in the same
 *  order, with the chunk's length and hash instead of its bytes. */
Result<void, BlobError> VerifyChunkHash(const uint256& id, uint64_t size, uint64_t index, uint64_t chunk_length,
                                        const uint256& chunk_hash, const MerkleProof& proof);

/** Incremental id computation for data that arrives as a stream (a file read
 *  in pieces): memory is one SHA-256 state plus the chunk hashes (≤ 8 KiB).
 *  Not thread-safe. */
class BlobHasher {
public:
    BlobHasher();

    /** Appends bytes. Fails TOO_LARGE (and appends nothing) when the total
     *  would exceed MAX_BLOB_SIZE; the hasher keeps its earlier state. */
    Result<void, BlobError> Write(std::span<const uint8_t> data);
    /** Bytes written so far. */
    uint64_t Size() const { return m_size; }
    /** The descriptor of everything written. Fails EMPTY if nothing was.
     *  The hasher must not be used afterwards. */
    Result<BlobDescriptor, BlobError> Finalize();

private:
    Sha256 m_chunk;
    uint64_t m_size{0};
    uint64_t m_in_chunk{0};
    std::vector<uint256> m_chunk_hashes;
};

/** Encodes a chunk proof: the MerkleProof encoding (WriteMerkleProof), at
 *  most MAX_BLOB_PROOF_SIZE bytes for a blob's proof. */
std::vector<uint8_t> EncodeBlobChunkProof(const MerkleProof& proof);

/** Decodes a chunk proof, bounded for blobs: count ≤ MAX_BLOB_CHUNKS, index
 *  below it, ≤ MAX_BLOB_PROOF_DEPTH siblings, no trailing bytes. The shape
 *  is checked by VerifyChunk, not here. */
Result<MerkleProof> DecodeBlobChunkProof(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_BLOB_H
