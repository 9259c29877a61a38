// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/merkle.h>

#include <util/strencodings.h>

#include <algorithm>
#include <array>
#include <cassert>
#include <string>

namespace hpips {
namespace {

Sha256 HasherForTag(std::string_view name, std::string_view suffix)
{
    std::string tag{name};
    tag += suffix;
    return TaggedHasher(tag);
}

/** Replaces `level` by the level above it, in place. */
void ReduceLevel(const MerkleDomain& domain, std::vector<uint256>& level)
{
    const size_t size = level.size();
    size_t out = 0;
    for (size_t i = 0; i + 1 < size; i += 2) level[out++] = domain.HashNode(level[i], level[i + 1]);
    // An odd last node is promoted unchanged; the root's leaf count keeps this unambiguous.
    if (size % 2 == 1) level[out++] = level[size - 1];
    level.resize(out);
}

Result<void> CheckLeafCount(size_t count)
{
    if (count > MAX_MERKLE_LEAVES) {
        return Error{"Merkle tree of " + std::to_string(count) + " leaves exceeds maximum " +
                     std::to_string(MAX_MERKLE_LEAVES)};
    }
    return {};
}

}  // namespace

MerkleDomain::MerkleDomain(std::string_view name)
    : m_leaf{HasherForTag(name, "-leaf")}, m_node{HasherForTag(name, "-node")}, m_root{HasherForTag(name, "-root")}
{
}

uint256 MerkleDomain::HashLeaf(std::span<const uint8_t> data) const
{
    Sha256 hasher{m_leaf};
    return hasher.Write(data).Finalize();
}

uint256 MerkleDomain::HashNode(const uint256& left, const uint256& right) const
{
    Sha256 hasher{m_node};
    return hasher.Write(left.span()).Write(right.span()).Finalize();
}

uint256 MerkleDomain::HashRoot(uint64_t leaf_count, const uint256& top) const
{
    Writer w{8 + uint256::SIZE};
    w.WriteU64(leaf_count);
    w.WriteUint256(top);
    Sha256 hasher{m_root};
    return hasher.Write(w.data()).Finalize();
}

Result<uint256> ComputeMerkleRoot(const MerkleDomain& domain, std::span<const uint256> leaf_hashes)
{
    if (auto ok = CheckLeafCount(leaf_hashes.size()); !ok) return ok.error();
    std::vector<uint256> level{leaf_hashes.begin(), leaf_hashes.end()};
    while (level.size() > 1) ReduceLevel(domain, level);
    const uint256 top = level.empty() ? uint256{} : level[0];
    return domain.HashRoot(leaf_hashes.size(), top);
}

Result<MerkleProof> BuildMerkleProof(const MerkleDomain& domain, std::span<const uint256> leaf_hashes,
                                     uint64_t index)
{
    if (auto ok = CheckLeafCount(leaf_hashes.size()); !ok) return ok.error();
    if (index >= leaf_hashes.size()) {
        return Error{"leaf index " + std::to_string(index) + " out of range for " +
                     std::to_string(leaf_hashes.size()) + " leaves"};
    }
    MerkleProof proof{.leaf_index = index, .leaf_count = leaf_hashes.size(), .branch = {}};
    std::vector<uint256> level{leaf_hashes.begin(), leaf_hashes.end()};
    uint64_t pos = index;
    while (level.size() > 1) {
        const uint64_t sibling = pos ^ 1;
        if (sibling < level.size()) proof.branch.push_back(level[sibling]);
        ReduceLevel(domain, level);
        pos /= 2;
    }
    return proof;
}

std::optional<uint256> MerkleRootFromProof(const MerkleDomain& domain, const uint256& leaf_hash,
                                           const MerkleProof& proof)
{
    if (proof.leaf_count > MAX_MERKLE_LEAVES || proof.leaf_index >= proof.leaf_count) return std::nullopt;
    if (proof.branch.size() > MAX_MERKLE_DEPTH) return std::nullopt;
    uint256 node = leaf_hash;
    uint64_t pos = proof.leaf_index;
    uint64_t size = proof.leaf_count;
    size_t used = 0;
    while (size > 1) {
        const uint64_t sibling = pos ^ 1;
        if (sibling < size) {
            if (used == proof.branch.size()) return std::nullopt;
            const uint256& other = proof.branch[used++];
            node = (pos % 2 == 0) ? domain.HashNode(node, other) : domain.HashNode(other, node);
        }
        pos /= 2;
        size = (size + 1) / 2;
    }
    if (used != proof.branch.size()) return std::nullopt;
    return domain.HashRoot(proof.leaf_count, node);
}

bool VerifyMerkleProof(const MerkleDomain& domain, const uint256& root, const uint256& leaf_hash,
                       const MerkleProof& proof)
{
    const auto computed = MerkleRootFromProof(domain, leaf_hash, proof);
    return computed.has_value() && *computed == root;
}

void WriteMerkleProof(Writer& w, const MerkleProof& proof)
{
    w.WriteCompactSize(proof.leaf_count);
    w.WriteCompactSize(proof.leaf_index);
    w.WriteVector(std::span{proof.branch}, [](Writer& w, const uint256& h) { w.WriteUint256(h); });
}

MerkleProof ReadMerkleProof(Reader& r)
{
    MerkleProof proof;
    proof.leaf_count = r.ReadCompactSize(MAX_MERKLE_LEAVES);
    proof.leaf_index = r.ReadCompactSize(MAX_MERKLE_LEAVES - 1);
    proof.branch = r.ReadVector(MAX_MERKLE_DEPTH, uint256::SIZE, [](Reader& r) { return r.ReadUint256(); });
    return proof;
}

std::array<uint8_t, 64> BlockMerkleLeafData(const Transaction& tx)
{
    std::array<uint8_t, 64> data;
    std::copy(tx.GetTxid().begin(), tx.GetTxid().end(), data.begin());
    std::copy(tx.GetWtxid().begin(), tx.GetWtxid().end(), data.begin() + 32);
    return data;
}

uint256 BlockMerkleRoot(std::span<const Transaction> txs)
{
    const MerkleDomain domain{BLOCK_MERKLE_DOMAIN};
    std::vector<uint256> leaves;
    leaves.reserve(txs.size());
    for (const Transaction& tx : txs) leaves.push_back(domain.HashLeaf(BlockMerkleLeafData(tx)));
    auto root = ComputeMerkleRoot(domain, leaves);
    // A block holds at most MAX_BLOCK_TXS transactions, far below MAX_MERKLE_LEAVES.
    assert(root.has_value());
    return root.value();
}

}  // namespace hpips
