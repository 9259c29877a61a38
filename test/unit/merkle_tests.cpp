// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/merkle.h>

#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

std::vector<uint256> Leaves(const MerkleDomain& domain, std::initializer_list<std::string_view> items)
{
    std::vector<uint256> out;
    for (std::string_view item : items) out.push_back(domain.HashLeaf(StringBytes(item)));
    return out;
}

std::vector<uint256> NumberedLeaves(const MerkleDomain& domain, size_t n)
{
    std::vector<uint256> out;
    for (size_t i = 0; i < n; ++i) {
        Writer w;
        w.WriteU64(i);
        out.push_back(domain.HashLeaf(w.data()));
    }
    return out;
}

uint256 Root(const MerkleDomain& domain, const std::vector<uint256>& leaves)
{
    auto root = ComputeMerkleRoot(domain, leaves);
    EXPECT_TRUE(root) << root.error_message();
    return *root;
}

TEST(MerkleTest, MatchesDocumentedRule)
{
    const MerkleDomain domain{"HPIPS/merkle"};
    const auto leaf = [](std::string_view s) { return TaggedHash("HPIPS/merkle-leaf", StringBytes(s)); };
    const auto node = [](const uint256& l, const uint256& r) {
        Writer w;
        w.WriteUint256(l);
        w.WriteUint256(r);
        return TaggedHash("HPIPS/merkle-node", w.data());
    };
    const auto root = [](uint64_t n, const uint256& top) {
        Writer w;
        w.WriteU64(n);
        w.WriteUint256(top);
        return TaggedHash("HPIPS/merkle-root", w.data());
    };
    EXPECT_EQ(domain.HashLeaf(StringBytes("a")), leaf("a"));
    // Three leaves: the odd last leaf is promoted, not duplicated.
    const uint256 expected3 = root(3, node(node(leaf("a"), leaf("b")), leaf("c")));
    EXPECT_EQ(Root(domain, Leaves(domain, {"a", "b", "c"})), expected3);
    // Five leaves: c-d paired, e promoted twice.
    const uint256 expected5 =
        root(5, node(node(node(leaf("a"), leaf("b")), node(leaf("c"), leaf("d"))), leaf("e")));
    EXPECT_EQ(Root(domain, Leaves(domain, {"a", "b", "c", "d", "e"})), expected5);
    EXPECT_EQ(Root(domain, Leaves(domain, {"a"})), root(1, leaf("a")));
    EXPECT_EQ(Root(domain, {}), root(0, uint256{}));
}

TEST(MerkleTest, DuplicatedTailGivesADifferentRoot)
{
    const MerkleDomain domain{"HPIPS/merkle"};
    const auto abc = Leaves(domain, {"a", "b", "c"});
    const auto abcc = Leaves(domain, {"a", "b", "c", "c"});
    EXPECT_NE(Root(domain, abc), Root(domain, abcc));
    // Nor can two leaves pose as the inner node above them.
    const auto ab = Leaves(domain, {"a", "b"});
    const std::vector<uint256> as_one{domain.HashNode(ab[0], ab[1])};
    EXPECT_NE(Root(domain, ab), Root(domain, as_one));
    // Six leaves with the last pair duplicated, as in CVE-2012-2459.
    const auto six = Leaves(domain, {"a", "b", "c", "d", "e", "f"});
    const auto six_dup = Leaves(domain, {"a", "b", "c", "d", "e", "f", "e", "f"});
    EXPECT_NE(Root(domain, six), Root(domain, six_dup));
}

TEST(MerkleTest, DomainSeparatesTrees)
{
    const MerkleDomain a{"HPIPS/merkle"};
    const MerkleDomain b{"HPIPS/pouw-rows"};
    const auto leaves_a = Leaves(a, {"x", "y"});
    const auto leaves_b = Leaves(b, {"x", "y"});
    EXPECT_NE(leaves_a, leaves_b);
    EXPECT_NE(Root(a, leaves_a), Root(b, leaves_b));
}

TEST(MerkleTest, ProofsVerifyForEveryIndexAndSize)
{
    const MerkleDomain domain{"HPIPS/test"};
    for (size_t n = 1; n <= 33; ++n) {
        const auto leaves = NumberedLeaves(domain, n);
        const uint256 root = Root(domain, leaves);
        for (size_t i = 0; i < n; ++i) {
            auto proof = BuildMerkleProof(domain, leaves, i);
            ASSERT_TRUE(proof) << proof.error_message();
            EXPECT_EQ(proof->leaf_count, n);
            EXPECT_TRUE(VerifyMerkleProof(domain, root, leaves[i], *proof)) << n << " " << i;
            // Another leaf does not verify at this position.
            EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[(i + 1) % n], *proof) && n > 1) << n << " " << i;
        }
    }
}

TEST(MerkleTest, TamperedProofsFail)
{
    const MerkleDomain domain{"HPIPS/test"};
    const auto leaves = NumberedLeaves(domain, 11);
    const uint256 root = Root(domain, leaves);
    const MerkleProof good = BuildMerkleProof(domain, leaves, 6).value();
    ASSERT_TRUE(VerifyMerkleProof(domain, root, leaves[6], good));

    for (size_t k = 0; k < good.branch.size(); ++k) {
        MerkleProof bad = good;
        bad.branch[k].data()[0] ^= 1;
        EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[6], bad)) << "sibling " << k;
    }
    for (uint64_t index : {uint64_t{5}, uint64_t{7}, uint64_t{10}, uint64_t{11}, uint64_t{1000}}) {
        MerkleProof bad = good;
        bad.leaf_index = index;
        EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[6], bad)) << "index " << index;
    }
    for (uint64_t count : {uint64_t{0}, uint64_t{7}, uint64_t{12}, uint64_t{16}, MAX_MERKLE_LEAVES + 1}) {
        MerkleProof bad = good;
        bad.leaf_count = count;
        EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[6], bad)) << "count " << count;
    }
    MerkleProof extra = good;
    extra.branch.push_back(leaves[0]);
    EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[6], extra));
    MerkleProof missing = good;
    missing.branch.pop_back();
    EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[6], missing));
    EXPECT_FALSE(VerifyMerkleProof(MerkleDomain{"HPIPS/other"}, root, leaves[6], good));
    MerkleProof too_long = good;
    too_long.branch.assign(MAX_MERKLE_DEPTH + 1, leaves[0]);
    EXPECT_FALSE(VerifyMerkleProof(domain, root, leaves[6], too_long));
}

TEST(MerkleTest, PromotedLeafHasShortBranch)
{
    const MerkleDomain domain{"HPIPS/test"};
    const auto leaves = NumberedLeaves(domain, 5);
    // Leaf 4 is promoted at the two lowest levels and pairs only at the top.
    const MerkleProof proof = BuildMerkleProof(domain, leaves, 4).value();
    EXPECT_EQ(proof.branch.size(), 1u);
    EXPECT_EQ(BuildMerkleProof(domain, leaves, 0).value().branch.size(), 3u);
}

TEST(MerkleTest, BuildRejectsOutOfRangeIndex)
{
    const MerkleDomain domain{"HPIPS/test"};
    const auto leaves = NumberedLeaves(domain, 3);
    auto proof = BuildMerkleProof(domain, leaves, 3);
    ASSERT_FALSE(proof);
    EXPECT_EQ(proof.error_message(), "leaf index 3 out of range for 3 leaves");
    EXPECT_FALSE(BuildMerkleProof(domain, {}, 0));
}

TEST(MerkleTest, ProofSerialization)
{
    const MerkleDomain domain{"HPIPS/test"};
    const auto leaves = NumberedLeaves(domain, 300);
    const MerkleProof proof = BuildMerkleProof(domain, leaves, 257).value();
    Writer w;
    WriteMerkleProof(w, proof);
    EXPECT_EQ(w.size(), 3 + 3 + 1 + 32 * proof.branch.size());
    auto decoded = Decode(w.data(), ReadMerkleProof);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, proof);
    for (size_t len = 0; len < w.size(); ++len) {
        auto truncated = Decode(std::span{w.data()}.first(len), ReadMerkleProof);
        ASSERT_FALSE(truncated) << len;
        EXPECT_EQ(truncated.error_message(), "truncated") << len;
    }

    Writer long_branch;
    long_branch.WriteCompactSize(1);
    long_branch.WriteCompactSize(0);
    long_branch.WriteCompactSize(MAX_MERKLE_DEPTH + 1);
    auto too_long = Decode(long_branch.data(), ReadMerkleProof);
    ASSERT_FALSE(too_long);
    EXPECT_EQ(too_long.error_message(), "vector length 33 exceeds maximum 32");
}

TEST(MerkleTest, BlockRootCommitsToWitnesses)
{
    std::array<uint8_t, 32> key;
    key.fill(7);
    MutableTransaction coinbase;
    coinbase.inputs.push_back(TxIn{OutPoint{}, 0, {}});
    coinbase.outputs.push_back(TxOut{COIN, Destination::ForKey(key)});
    MutableTransaction spend;
    spend.inputs.push_back(TxIn{OutPoint{uint256{key}, 0}, SEQUENCE_FINAL, std::vector<uint8_t>(64, 1)});
    const std::vector<Transaction> txs{Transaction{coinbase}, Transaction{spend}};
    const uint256 root = BlockMerkleRoot(txs);

    MutableTransaction resigned = spend;
    resigned.inputs[0].witness[0] ^= 1;
    const std::vector<Transaction> mutated{Transaction{coinbase}, Transaction{resigned}};
    EXPECT_EQ(mutated[1].GetTxid(), txs[1].GetTxid());
    EXPECT_NE(BlockMerkleRoot(mutated), root);

    const std::vector<Transaction> reordered{txs[1], txs[0]};
    EXPECT_NE(BlockMerkleRoot(reordered), root);

    // A transaction's inclusion is provable from txid, wtxid and a proof.
    const MerkleDomain domain{BLOCK_MERKLE_DOMAIN};
    std::vector<uint256> leaves;
    for (const auto& tx : txs) leaves.push_back(domain.HashLeaf(BlockMerkleLeafData(tx)));
    const MerkleProof proof = BuildMerkleProof(domain, leaves, 1).value();
    EXPECT_TRUE(VerifyMerkleProof(domain, root, leaves[1], proof));
}

}  // namespace
}  // namespace hpips
