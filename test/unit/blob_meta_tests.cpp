// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The blob metadata file: round trip, the documented layout, and every kind
// of damage (each byte flipped, truncation, trailing bytes, unknown version or
// flags, wrong id, impossible sizes) refused with a reason.
#include <chain/blob_meta.h>

#include <crypto/sha256.h>
#include <util/serialize.h>

#include <gtest/gtest.h>

#include <random>
#include <vector>

namespace hpips {
namespace {

BlobMeta SampleMeta(uint64_t size, uint32_t refcount, bool pinned)
{
    std::mt19937_64 rng{size};
    BlobMeta meta;
    meta.blob.size = size;
    meta.blob.chunk_hashes.resize(*BlobChunkCount(size));
    for (auto& hash : meta.blob.chunk_hashes) {
        for (auto& b : std::span{hash.data(), uint256::SIZE}) b = static_cast<uint8_t>(rng());
    }
    meta.blob.id = *ComputeBlobIdFromChunkHashes(size, meta.blob.chunk_hashes);
    meta.refcount = refcount;
    meta.pinned = pinned;
    return meta;
}

/** Re-seals bytes whose body was edited: a fresh checksum over the body. */
std::vector<uint8_t> Reseal(std::vector<uint8_t> bytes)
{
    bytes.resize(bytes.size() - uint256::SIZE);
    const uint256 checksum = Sha256Hash(bytes);
    bytes.insert(bytes.end(), checksum.begin(), checksum.end());
    return bytes;
}

TEST(BlobMetaTest, RoundTrip)
{
    for (const auto& meta : {SampleMeta(1, 0, false), SampleMeta(3 * BLOB_CHUNK_SIZE + 5, 7, true),
                             SampleMeta(MAX_BLOB_SIZE, UINT32_MAX, true)}) {
        const auto bytes = EncodeBlobMeta(meta);
        EXPECT_LE(bytes.size(), MAX_BLOB_META_SIZE);
        const auto decoded = DecodeBlobMeta(bytes, meta.blob.id);
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(decoded->blob.id, meta.blob.id);
        EXPECT_EQ(decoded->blob.size, meta.blob.size);
        EXPECT_EQ(decoded->blob.chunk_hashes, meta.blob.chunk_hashes);
        EXPECT_EQ(decoded->refcount, meta.refcount);
        EXPECT_EQ(decoded->pinned, meta.pinned);
    }
    // The largest file is exactly the documented maximum.
    EXPECT_EQ(EncodeBlobMeta(SampleMeta(MAX_BLOB_SIZE, 0, false)).size(), MAX_BLOB_META_SIZE);
}

TEST(BlobMetaTest, DocumentedLayout)
{
    const BlobMeta meta = SampleMeta(BLOB_CHUNK_SIZE + 1, 0x01020304, true);
    const auto bytes = EncodeBlobMeta(meta);
    ASSERT_EQ(bytes.size(), 4 + 1 + 8 + 4 + 1 + 1 + 2 * 32 + 32u);
    EXPECT_EQ(std::vector<uint8_t>(bytes.begin(), bytes.begin() + 4), (std::vector<uint8_t>{'H', 'P', 'B', 'M'}));
    EXPECT_EQ(bytes[4], 1);                                          // version
    EXPECT_EQ(bytes[5], 0x01);                                       // size, little-endian
    EXPECT_EQ(bytes[7], 0x10);                                       // (0x100001)
    EXPECT_EQ(bytes[13], 0x04);                                      // refcount
    EXPECT_EQ(bytes[17], BLOB_META_FLAG_PINNED);                     // flags
    EXPECT_EQ(bytes[18], 2);                                         // chunk hash count
    EXPECT_TRUE(std::equal(meta.blob.chunk_hashes[0].begin(), meta.blob.chunk_hashes[0].end(), bytes.begin() + 19));
    const uint256 checksum = Sha256Hash(std::span{bytes}.first(bytes.size() - 32));
    EXPECT_TRUE(std::equal(checksum.begin(), checksum.end(), bytes.end() - 32));
}

TEST(BlobMetaTest, EveryFlippedByteIsRefused)
{
    const BlobMeta meta = SampleMeta(2 * BLOB_CHUNK_SIZE, 1, false);
    const auto bytes = EncodeBlobMeta(meta);
    for (size_t i = 0; i < bytes.size(); ++i) {
        auto damaged = bytes;
        damaged[i] ^= 0x01;
        EXPECT_FALSE(DecodeBlobMeta(damaged, meta.blob.id)) << "byte " << i;
    }
}

TEST(BlobMetaTest, TruncationAndTrailingBytes)
{
    const BlobMeta meta = SampleMeta(5, 0, false);
    const auto bytes = EncodeBlobMeta(meta);
    for (size_t n = 0; n < bytes.size(); ++n) EXPECT_FALSE(DecodeBlobMeta(std::span{bytes}.first(n), meta.blob.id));
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(DecodeBlobMeta(longer, meta.blob.id));
    const std::vector<uint8_t> huge(MAX_BLOB_META_SIZE + 1, 0);
    EXPECT_NE(DecodeBlobMeta(huge, meta.blob.id).error_message().find("exceeds"), std::string::npos);
}

TEST(BlobMetaTest, ResealedDamageIsStillRefused)
{
    // Edits with a valid checksum: the checks beyond the checksum catch them.
    const BlobMeta meta = SampleMeta(BLOB_CHUNK_SIZE + 1, 0, false);
    const auto bytes = EncodeBlobMeta(meta);
    const auto expect_error = [&](std::vector<uint8_t> edited, std::string_view reason) {
        const auto decoded = DecodeBlobMeta(Reseal(std::move(edited)), meta.blob.id);
        ASSERT_FALSE(decoded);
        EXPECT_NE(decoded.error_message().find(reason), std::string::npos) << decoded.error_message();
    };
    auto version = bytes;
    version[4] = 2;
    expect_error(version, "unknown version");
    auto flags = bytes;
    flags[17] = 0x02;
    expect_error(flags, "unknown flags");
    auto magic = bytes;
    magic[0] = 'X';
    expect_error(magic, "bad magic");
    // Size changed without the hashes: the id no longer matches (or the count).
    auto size = bytes;
    size[5] ^= 0x02;  // 1 MiB + 3: still 2 chunks
    expect_error(size, "describes blob");
    auto count = bytes;
    count[7] = 0x30;  // 3 MiB + 1: 4 chunks, but 2 hashes
    expect_error(count, "chunk hashes");
    auto zero = bytes;
    std::fill(zero.begin() + 5, zero.begin() + 13, 0);
    expect_error(zero, "at least 1 byte");
    auto huge = bytes;
    huge[12] = 0x01;
    expect_error(huge, "exceeds MAX_BLOB_SIZE");
    // A valid file for another blob under this blob's name.
    const BlobMeta other = SampleMeta(7, 0, false);
    const auto decoded = DecodeBlobMeta(EncodeBlobMeta(other), meta.blob.id);
    ASSERT_FALSE(decoded);
    EXPECT_NE(decoded.error_message().find("describes blob"), std::string::npos);
}

TEST(BlobMetaTest, ChecksumMismatch)
{
    const BlobMeta meta = SampleMeta(9, 0, false);
    auto bytes = EncodeBlobMeta(meta);
    bytes.back() ^= 0x01;
    EXPECT_EQ(DecodeBlobMeta(bytes, meta.blob.id).error_message(), "checksum mismatch");
}

}  // namespace
}  // namespace hpips
