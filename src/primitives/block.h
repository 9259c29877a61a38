// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_BLOCK_H
#define HPIPS_PRIMITIVES_BLOCK_H

#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <span>
#include <vector>

/**
 * Block headers (with their proof of useful work) and blocks.
 *
 * Header wire form, always BLOCK_HEADER_SIZE = 184 bytes:
 *   template (76): version i32 | prev_block 32 | merkle_root 32 | time u32 | bits u32
 *   proof (108):   miner_key 32 | nonce u64 | unit_id 32 | tile_index u32 | state 32
 * Block wire form: header | CompactSize n_tx | n_tx × transaction (wire form)
 *                  | CompactSize opening length | opening bytes
 * doc/serialization.md has every byte.
 */
namespace hpips {

/** Largest encoded block, in bytes (consensus). Checked before a block is
 *  parsed, so nothing larger is ever allocated for one. */
constexpr size_t MAX_BLOCK_SIZE = 4'000'000;
static_assert(MAX_TX_SIZE == MAX_BLOCK_SIZE, "a transaction may be as large as a block, no larger");

/** Largest PoUW opening a block may carry (the tile's rows and columns with
 *  their Merkle proofs); 1 MiB. */
constexpr size_t MAX_OPENING_SIZE = 1 << 20;

/** Most transactions a block of MAX_BLOCK_SIZE can hold. */
constexpr size_t MAX_BLOCK_TXS = MAX_BLOCK_SIZE / MIN_TX_SIZE;

/** Size of the header fields the PoUW seed hashes (everything but the proof). */
constexpr size_t BLOCK_HEADER_TEMPLATE_SIZE = 4 + 32 + 32 + 4 + 4;
/** Size of the encoded PoUW proof. */
constexpr size_t POUW_PROOF_SIZE = 32 + 8 + 32 + 4 + 32;
/** Size of an encoded header: fixed, so a headers message is a plain array. */
constexpr size_t BLOCK_HEADER_SIZE = BLOCK_HEADER_TEMPLATE_SIZE + POUW_PROOF_SIZE;
static_assert(BLOCK_HEADER_SIZE == 184);

/** The proof of useful work carried in a header (protocol.md §4): which miner,
 *  which nonce and work unit seeded the noise, which 64×64 output tile won,
 *  and that tile's final transcript state. */
struct PouwProof {
    /** The miner's BIP-340 x-only public key (bound into the seed). */
    std::array<uint8_t, 32> miner_key{};
    /** Miner's nonce (bound into the seed). */
    uint64_t nonce{0};
    /** Id U of the work unit computed. */
    uint256 unit_id;
    /** Index of the winning output tile within the unit. */
    uint32_t tile_index{0};
    /** The tile's 256-bit transcript state. */
    std::array<uint8_t, 32> state{};

    friend bool operator==(const PouwProof&, const PouwProof&) = default;
};

/** A block header. Its hash (GetHash) is SHA256d of its 184-byte encoding. */
struct BlockHeader {
    /** Block version. */
    int32_t version{1};
    /** Hash of the previous block's header. */
    uint256 prev_block;
    /** BlockMerkleRoot (merkle.h) of the block's transactions: commits to
     *  every txid and every wtxid. */
    uint256 merkle_root;
    /** Seconds since the Unix epoch. */
    uint32_t time{0};
    /** The target in compact form (target.h). */
    uint32_t bits{0};
    /** The proof of useful work; not part of the template. */
    PouwProof proof;

    /** SHA256d of the 184-byte encoding: the block's id. */
    uint256 GetHash() const;
    /** The 76-byte encoding of the fields before the proof (version, prev,
     *  merkle root, time, bits): what the PoUW seed hashes. */
    std::array<uint8_t, BLOCK_HEADER_TEMPLATE_SIZE> SerializeTemplate() const;

    friend bool operator==(const BlockHeader&, const BlockHeader&) = default;
};

/** A block: header, transactions (the first is the coinbase, by consensus)
 *  and the opaque PoUW opening the proof's verification reads. */
struct Block {
    BlockHeader header;
    /** The transactions in Merkle-tree order; the first is the coinbase. */
    std::vector<Transaction> txs;
    /** What verifying header.proof reads (doc/pouw.md); opaque here, at
     *  most MAX_OPENING_SIZE bytes. */
    std::vector<uint8_t> opening;

    /** The header's hash: the block's id. */
    uint256 GetHash() const { return header.GetHash(); }

    friend bool operator==(const Block&, const Block&) = default;
};

/** Writes the 184-byte header. */
void WriteBlockHeader(Writer& w, const BlockHeader& header);
/** Reads a header. Throws SerializeError; for use inside a Decode() boundary. */
BlockHeader ReadBlockHeader(Reader& r);
/** Writes the block's wire form. */
void WriteBlock(Writer& w, const Block& block);
/** Reads a block's wire form (bounds: MAX_BLOCK_TXS, MAX_OPENING_SIZE, the
 *  transaction bounds and the bytes left). The caller is responsible for
 *  MAX_BLOCK_SIZE. Throws SerializeError; for use inside a Decode() boundary. */
Block ReadBlock(Reader& r);

/** The 184-byte encoding of a header. */
std::array<uint8_t, BLOCK_HEADER_SIZE> EncodeBlockHeader(const BlockHeader& header);
/** Decodes exactly BLOCK_HEADER_SIZE bytes. */
Result<BlockHeader> DecodeBlockHeader(std::span<const uint8_t> bytes);
/** The wire form of a block. */
std::vector<uint8_t> EncodeBlock(const Block& block);
/** Decodes exactly one block. Rejects an input larger than MAX_BLOCK_SIZE
 *  before parsing; any malformed or trailing byte gives an error with the reason. */
Result<Block> DecodeBlock(std::span<const uint8_t> bytes);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_BLOCK_H
