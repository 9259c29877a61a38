// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The blob message as the relay sees it (net/blob_relay.h): a payload decoded
// as `blob` must re-encode to the same bytes; VerifyBlobMsg must terminate
// without fault for anything, and give the same verdict as VerifyChunk with
// the proof in its standalone encoding (EncodeBlobChunkProof /
// DecodeBlobChunkProof, what the store and the RPC use) — the message's
// proof fields and the MerkleProof are one format. A chunk taken as a
// one-chunk blob of its own, sent with MakeBlobMsg, must verify, and must
// not once its first byte is flipped.
//
// Input: a blob message payload (doc/p2p.md, "Messages").
#include <net/blob_relay.h>
#include <net/messages.h>

#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    using namespace hpips::net;
    const std::span<const uint8_t> payload{data, size};
    const auto decoded = DecodeMessage(cmd::BLOB, payload);
    if (!decoded) return 0;
    const BlobMsg& msg = std::get<BlobMsg>(*decoded);
    const auto encoded = EncodePayload(msg);
    if (!std::equal(encoded.begin(), encoded.end(), payload.begin(), payload.end())) std::abort();

    const MerkleProof proof = BlobMsgProof(msg);
    if (proof.leaf_index != msg.chunk_index || proof.leaf_count != msg.chunk_count) std::abort();
    const auto verdict = VerifyBlobMsg(msg);
    const auto standalone = DecodeBlobChunkProof(EncodeBlobChunkProof(proof));
    if (!standalone || *standalone != proof) std::abort();
    const auto again = VerifyChunk(msg.blob_id, msg.blob_size, msg.chunk_index, msg.data, *standalone);
    if (verdict.has_value() != again.has_value()) std::abort();
    if (!verdict && verdict.error().failure != again.error().failure) std::abort();

    // The data as a blob of its own: its one chunk verifies in a message.
    if (!msg.data.empty()) {
        const auto desc = DescribeBlob(msg.data);
        if (!desc) std::abort();  // ≤ 1 MiB by the decoder
        const auto chunk_proof = BlobChunkProof(desc->chunk_hashes, 0);
        if (!chunk_proof) std::abort();
        BlobMsg own = MakeBlobMsg(desc->id, desc->size, 0, BlobChunk{msg.data, *chunk_proof});
        if (!VerifyBlobMsg(own)) std::abort();
        own.data[0] ^= 1;
        if (VerifyBlobMsg(own)) std::abort();
    }
    return 0;
}
