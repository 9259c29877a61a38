// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// COMMIT / REVEAL payloads, the job id and the commitment hash
// (primitives/job_commit.h).
#include <crypto/sha256.h>
#include <primitives/job_commit.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

uint256 Hash(uint8_t tag)
{
    std::array<uint8_t, 32> bytes{};
    bytes.fill(tag);
    return uint256{bytes};
}

TEST(JobCommitTest, RoundTripAndSizes)
{
    JobCommit commit{Hash(4), 77, {}, Hash(5)};
    commit.miner_key.fill(0x22);
    const auto bytes = EncodeJobCommit(commit);
    ASSERT_EQ(bytes.size(), JOB_COMMIT_PAYLOAD_SIZE);
    EXPECT_EQ(*DecodeJobCommit(bytes), commit);
    EXPECT_FALSE(DecodeJobCommit(std::span{bytes}.first(JOB_COMMIT_PAYLOAD_SIZE - 1)));
    auto longer = bytes;
    longer.push_back(0);
    EXPECT_FALSE(DecodeJobCommit(longer));
    // region is little-endian right after the job id
    EXPECT_EQ(bytes[32], 77);
    EXPECT_EQ(bytes[33], 0);

    const JobReveal reveal{Hash(6), Hash(7)};
    const auto rbytes = EncodeJobReveal(reveal);
    ASSERT_EQ(rbytes.size(), JOB_REVEAL_PAYLOAD_SIZE);
    EXPECT_EQ(*DecodeJobReveal(rbytes), reveal);
    EXPECT_FALSE(DecodeJobReveal(std::span{rbytes}.first(JOB_REVEAL_PAYLOAD_SIZE - 1)));
    auto rlonger = rbytes;
    rlonger.push_back(0);
    EXPECT_FALSE(DecodeJobReveal(rlonger));
}

TEST(JobCommitTest, JobIdAndCommitmentAreTaggedHashes)
{
    const uint256 txid = Hash(9);
    Writer w;
    w.WriteUint256(txid);
    w.WriteU32(3);
    EXPECT_EQ(ComputeJobId(txid, 3), TaggedHash("HPIPS/job", w.data()));
    EXPECT_EQ(ComputeJobId(OutPoint{txid, 3}), ComputeJobId(txid, 3));
    EXPECT_NE(ComputeJobId(txid, 3), ComputeJobId(txid, 4));

    std::array<uint8_t, 32> key;
    key.fill(0x33);
    const uint256 unit = Hash(10), root = Hash(11), salt = Hash(12);
    Writer c;
    c.WriteBytes(key);
    c.WriteUint256(unit);
    c.WriteUint256(root);
    c.WriteUint256(salt);
    const uint256 commitment = ComputeJobCommitment(key, unit, root, salt);
    EXPECT_EQ(commitment, TaggedHash("HPIPS/job-commit", c.data()));

    JobCommit commit{Hash(1), 0, key, commitment};
    EXPECT_TRUE(RevealOpensCommit(commit, JobReveal{root, salt}, unit));
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{root, Hash(13)}, unit));   // other salt
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{Hash(13), salt}, unit));   // other result
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{root, salt}, Hash(13)));   // other unit
    commit.miner_key.fill(0x44);                                                // a copier's key
    EXPECT_FALSE(RevealOpensCommit(commit, JobReveal{root, salt}, unit));
}

}  // namespace
}  // namespace hpips
