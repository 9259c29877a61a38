// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_MERKLE_H
#define HPIPS_PRIMITIVES_MERKLE_H

#include <crypto/sha256.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * Domain-separated Merkle trees (doc/serialization.md, "Merkle trees").
 *
 * For a domain named D and leaves x_0..x_{n-1} (byte strings):
 *   leaf_i = TaggedHash(D + "-leaf", x_i)
 *   node   = TaggedHash(D + "-node", left || right)
 *   Levels are built bottom-up pairing neighbours; a level with an odd number
 *   of nodes promotes its last node unchanged to the next level (it is never
 *   paired with a copy of itself).
 *   top    = the single node left (the 32 zero bytes when n = 0)
 *   root   = TaggedHash(D + "-root", u64 n || top)
 * The tree's shape is a function of n alone and the root commits to n, so two
 * different leaf lists cannot share a root without a SHA-256 collision (no
 * CVE-2012-2459-style duplication).
 */
namespace hpips {

/** Most leaves a tree may have: indexes and counts fit in 32 bits. */
constexpr uint64_t MAX_MERKLE_LEAVES = uint64_t{1} << 32;
/** Most levels above the leaves (log2 of MAX_MERKLE_LEAVES), so the most
 *  siblings an inclusion proof can hold. */
constexpr size_t MAX_MERKLE_DEPTH = 32;

/** The domain of the block transaction tree. */
constexpr std::string_view BLOCK_MERKLE_DOMAIN = "HPIPS/merkle";

/** The three tagged hashers of one Merkle domain, with the tag prefixes
 *  absorbed once so that hashing a node costs one compression of its data. */
class MerkleDomain {
public:
    /** Tags `name` + "-leaf", "-node" and "-root". */
    explicit MerkleDomain(std::string_view name);

    /** Hash of a leaf's bytes. */
    uint256 HashLeaf(std::span<const uint8_t> data) const;
    /** Hash of an inner node from its two children. */
    uint256 HashNode(const uint256& left, const uint256& right) const;
    /** The root from the leaf count and the top node. */
    uint256 HashRoot(uint64_t leaf_count, const uint256& top) const;

private:
    Sha256 m_leaf;
    Sha256 m_node;
    Sha256 m_root;
};

/** Proof that a leaf is at `leaf_index` in a tree of `leaf_count` leaves: the
 *  siblings from the leaf level up, skipping levels where the node was
 *  promoted without a sibling. */
struct MerkleProof {
    uint64_t leaf_index{0};
    uint64_t leaf_count{0};
    std::vector<uint256> branch;

    friend bool operator==(const MerkleProof&, const MerkleProof&) = default;
};

/** Root of a tree over already-hashed leaves (each from domain.HashLeaf).
 *  Fails only when there are more than MAX_MERKLE_LEAVES leaves. */
Result<uint256> ComputeMerkleRoot(const MerkleDomain& domain, std::span<const uint256> leaf_hashes);

/** The inclusion proof of leaf `index` among `leaf_hashes`. Fails when the
 *  index is out of range or there are too many leaves. */
Result<MerkleProof> BuildMerkleProof(const MerkleDomain& domain, std::span<const uint256> leaf_hashes,
                                     uint64_t index);

/** True when `proof` shows that `leaf_hash` (from domain.HashLeaf) is leaf
 *  proof.leaf_index of the tree with `root`. Rejects an index not below the
 *  count, a count above MAX_MERKLE_LEAVES, and a branch with a missing or
 *  extra sibling. Work is bounded by MAX_MERKLE_DEPTH. */
bool VerifyMerkleProof(const MerkleDomain& domain, const uint256& root, const uint256& leaf_hash,
                       const MerkleProof& proof);

/** The root that `proof` leads to from `leaf_hash`: the same walk as
 *  VerifyMerkleProof, for callers whose commitment wraps the Merkle root
 *  (a blob id also commits to the blob's byte size, primitives/blob.h).
 *  Nullopt for a proof of the wrong shape (index not below the count, count
 *  above MAX_MERKLE_LEAVES, a missing or extra sibling). Work is bounded by
 *  MAX_MERKLE_DEPTH. */
std::optional<uint256> MerkleRootFromProof(const MerkleDomain& domain, const uint256& leaf_hash,
                                           const MerkleProof& proof);

/** Writes a proof: CompactSize leaf_count, CompactSize leaf_index,
 *  CompactSize branch length, then the siblings (32 bytes each). */
void WriteMerkleProof(Writer& w, const MerkleProof& proof);
/** Reads a proof (count at most MAX_MERKLE_LEAVES, branch at most
 *  MAX_MERKLE_DEPTH). Shape is checked by VerifyMerkleProof, not here.
 *  Throws SerializeError; for use inside a Decode() boundary. */
MerkleProof ReadMerkleProof(Reader& r);

/** The leaf bytes of a transaction in the block tree: txid || wtxid (64 bytes). */
std::array<uint8_t, 64> BlockMerkleLeafData(const Transaction& tx);

/** The header's merkle_root: the tree of domain BLOCK_MERKLE_DOMAIN over
 *  BlockMerkleLeafData of each transaction in block order. It commits to every
 *  txid and to every witness, and a transaction's inclusion can be proven from
 *  its txid, its wtxid and a MerkleProof. */
uint256 BlockMerkleRoot(std::span<const Transaction> txs);

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_MERKLE_H
