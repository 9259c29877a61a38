// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_CHAIN_BLOB_META_H
#define HPIPS_CHAIN_BLOB_META_H

#include <primitives/blob.h>
#include <util/result.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

/**
 * The metadata file of one stored blob, `<datadir>/blobs/<id>.meta`
 * (doc/blobs.md, "Metadata file"):
 *
 *   magic "HPBM" (4) | version u8 = 1 | size u64 | refcount u32 | flags u8
 *   | vector<hash, MAX_BLOB_CHUNKS> chunk hashes | SHA-256 of all the bytes before (32)
 *
 * flags: bit 0 = pinned; the other bits must be 0. The file is
 * self-checking: the checksum catches a torn or bit-rotted file, and the chunk
 * hashes with the size must reproduce the id the file is named after, so a
 * metadata file can never describe another blob than its name says.
 *
 * Pure functions, thread-safe.
 */
namespace hpips {

/** The four bytes that start a metadata file. */
constexpr std::array<uint8_t, 4> BLOB_META_MAGIC{'H', 'P', 'B', 'M'};
/** The format version written and the only one read. */
constexpr uint8_t BLOB_META_VERSION = 1;
/** flags bit: the blob is pinned (kept by PruneUnreferenced). */
constexpr uint8_t BLOB_META_FLAG_PINNED = 0x01;
/** Largest metadata file: header (18) + CompactSize (3) + 256 hashes + checksum. */
constexpr size_t MAX_BLOB_META_SIZE = 4 + 1 + 8 + 4 + 1 + 3 + MAX_BLOB_CHUNKS * uint256::SIZE + uint256::SIZE;

/** What a metadata file holds. */
struct BlobMeta {
    BlobDescriptor blob;
    /** References held by the job ledger (BlobStore::AddRef / Release). */
    uint32_t refcount{0};
    /** Kept by PruneUnreferenced even when unreferenced. */
    bool pinned{false};
};

/** The file's bytes for `meta` (whose descriptor must be consistent: its
 *  chunk hashes produce its id). */
std::vector<uint8_t> EncodeBlobMeta(const BlobMeta& meta);

/** Parses a metadata file that must describe the blob `expected_id`. Fails
 *  (with the reason) on: more than MAX_BLOB_META_SIZE bytes, truncation,
 *  trailing bytes, a wrong magic or version, unknown flags, a size of 0 or
 *  above MAX_BLOB_SIZE, a chunk hash count that does not match the size, a
 *  checksum mismatch, or chunk hashes and size that do not produce
 *  `expected_id`. Never allocates more than the input's size. */
Result<BlobMeta> DecodeBlobMeta(std::span<const uint8_t> bytes, const uint256& expected_id);

}  // namespace hpips

#endif  // HPIPS_CHAIN_BLOB_META_H
