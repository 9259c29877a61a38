// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/blob_meta.h>

#include <crypto/sha256.h>
#include <util/serialize.h>

#include <algorithm>
#include <string>

namespace hpips {

std::vector<uint8_t> EncodeBlobMeta(const BlobMeta& meta)
{
    Writer w{MAX_BLOB_META_SIZE};
    w.WriteBytes(BLOB_META_MAGIC);
    w.WriteU8(BLOB_META_VERSION);
    w.WriteU64(meta.blob.size);
    w.WriteU32(meta.refcount);
    w.WriteU8(meta.pinned ? BLOB_META_FLAG_PINNED : 0);
    w.WriteVector(std::span{meta.blob.chunk_hashes}, [](Writer& w, const uint256& h) { w.WriteUint256(h); });
    const uint256 checksum = Sha256Hash(w.data());
    w.WriteUint256(checksum);
    return w.Take();
}

Result<BlobMeta> DecodeBlobMeta(std::span<const uint8_t> bytes, const uint256& expected_id)
{
    if (bytes.size() > MAX_BLOB_META_SIZE) {
        return Error{"metadata file of " + std::to_string(bytes.size()) + " bytes exceeds " +
                     std::to_string(MAX_BLOB_META_SIZE)};
    }
    auto meta = Decode(bytes, [](Reader& r) {
        const auto magic = r.ReadArray<BLOB_META_MAGIC.size()>();
        if (magic != BLOB_META_MAGIC) throw SerializeError{"bad magic"};
        if (const uint8_t version = r.ReadU8(); version != BLOB_META_VERSION) {
            throw SerializeError{"unknown version " + std::to_string(version)};
        }
        BlobMeta meta;
        meta.blob.size = r.ReadU64();
        meta.refcount = r.ReadU32();
        const uint8_t flags = r.ReadU8();
        if ((flags & ~BLOB_META_FLAG_PINNED) != 0) throw SerializeError{"unknown flags"};
        meta.pinned = (flags & BLOB_META_FLAG_PINNED) != 0;
        meta.blob.chunk_hashes =
            r.ReadVector(MAX_BLOB_CHUNKS, uint256::SIZE, [](Reader& r) { return r.ReadUint256(); });
        // The checksum covers everything read so far: the input minus its last 32 bytes.
        const uint256 checksum = r.ReadUint256();
        if (r.Remaining() != 0) throw SerializeError{"trailing bytes"};
        return std::pair{std::move(meta), checksum};
    });
    if (!meta) return meta.error();
    auto [decoded, checksum] = std::move(*meta);
    if (Sha256Hash(bytes.first(bytes.size() - uint256::SIZE)) != checksum) return Error{"checksum mismatch"};
    const auto id = ComputeBlobIdFromChunkHashes(decoded.blob.size, decoded.blob.chunk_hashes);
    if (!id) return Error{id.error().message};
    if (*id != expected_id) return Error{"describes blob " + id->GetHex() + ", not " + expected_id.GetHex()};
    decoded.blob.id = *id;
    return decoded;
}

}  // namespace hpips
