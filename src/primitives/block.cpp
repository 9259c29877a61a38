// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/block.h>

#include <crypto/sha256.h>

#include <algorithm>
#include <string>

namespace hpips {
namespace {

void WriteTemplate(Writer& w, const BlockHeader& header)
{
    w.WriteI32(header.version);
    w.WriteUint256(header.prev_block);
    w.WriteUint256(header.merkle_root);
    w.WriteU32(header.time);
    w.WriteU32(header.bits);
}

void WriteProof(Writer& w, const PouwProof& proof)
{
    w.WriteBytes(proof.miner_key);
    w.WriteU64(proof.nonce);
    w.WriteUint256(proof.unit_id);
    w.WriteU32(proof.tile_index);
    w.WriteBytes(proof.state);
}

PouwProof ReadProof(Reader& r)
{
    PouwProof proof;
    proof.miner_key = r.ReadArray<32>();
    proof.nonce = r.ReadU64();
    proof.unit_id = r.ReadUint256();
    proof.tile_index = r.ReadU32();
    proof.state = r.ReadArray<32>();
    return proof;
}

}  // namespace

uint256 BlockHeader::GetHash() const
{
    return Sha256d(EncodeBlockHeader(*this));
}

std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> BlockHeader::SerializeTemplate() const
{
    Writer w{BLOCK_HEADER_TEMPLATE_SIZE};
    WriteTemplate(w, *this);
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> out;
    std::copy(w.data().begin(), w.data().end(), out.begin());
    return out;
}

void WriteBlockHeader(Writer& w, const BlockHeader& header)
{
    WriteTemplate(w, header);
    WriteProof(w, header.proof);
}

BlockHeader ReadBlockHeader(Reader& r)
{
    BlockHeader header;
    header.version = r.ReadI32();
    header.prev_block = r.ReadUint256();
    header.merkle_root = r.ReadUint256();
    header.time = r.ReadU32();
    header.bits = r.ReadU32();
    header.proof = ReadProof(r);
    return header;
}

void WriteBlock(Writer& w, const Block& block)
{
    WriteBlockHeader(w, block.header);
    w.WriteVector(std::span{block.txs}, [](Writer& w, const Transaction& tx) { WriteTransaction(w, tx.fields()); });
    w.WriteByteVector(block.opening);
}

Block ReadBlock(Reader& r)
{
    Block block;
    block.header = ReadBlockHeader(r);
    block.txs = r.ReadVector(MAX_BLOCK_TXS, MIN_TX_SIZE, ReadTransaction);
    block.opening = r.ReadByteVector(MAX_OPENING_SIZE);
    return block;
}

std::array<uint8_t, BLOCK_HEADER_SIZE> EncodeBlockHeader(const BlockHeader& header)
{
    Writer w{BLOCK_HEADER_SIZE};
    WriteBlockHeader(w, header);
    std::array<uint8_t, BLOCK_HEADER_SIZE> out;
    std::copy(w.data().begin(), w.data().end(), out.begin());
    return out;
}

Result<BlockHeader> DecodeBlockHeader(std::span<const uint8_t> bytes)
{
    return Decode(bytes, ReadBlockHeader);
}

std::vector<uint8_t> EncodeBlock(const Block& block)
{
    Writer w;
    WriteBlock(w, block);
    return w.Take();
}

Result<Block> DecodeBlock(std::span<const uint8_t> bytes)
{
    if (bytes.size() > MAX_BLOCK_SIZE) {
        return Error{"block size " + std::to_string(bytes.size()) + " exceeds maximum " +
                     std::to_string(MAX_BLOCK_SIZE)};
    }
    return Decode(bytes, ReadBlock);
}

}  // namespace hpips
