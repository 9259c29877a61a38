// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/job_commit.h>

#include <crypto/sha256.h>

namespace hpips {

uint256 ComputeJobId(const uint256& txid, uint32_t vout)
{
    Writer w{uint256::SIZE + 4};
    w.WriteUint256(txid);
    w.WriteU32(vout);
    return TaggedHash(JOB_ID_TAG, w.data());
}

uint256 ComputeJobCommitment(std::span<const uint8_t, XONLY_KEY_SIZE> miner_key, const uint256& unit_id,
                             const uint256& result_root, const uint256& salt)
{
    Writer w{4 * uint256::SIZE};
    w.WriteBytes(miner_key);
    w.WriteUint256(unit_id);
    w.WriteUint256(result_root);
    w.WriteUint256(salt);
    return TaggedHash(JOB_COMMITMENT_TAG, w.data());
}

bool RevealOpensCommit(const JobCommit& commit, const JobReveal& reveal, const uint256& unit_id)
{
    return ComputeJobCommitment(commit.miner_key, unit_id, reveal.result_root, reveal.salt) == commit.commitment;
}

std::vector<uint8_t> EncodeJobCommit(const JobCommit& commit)
{
    Writer w{JOB_COMMIT_PAYLOAD_SIZE};
    w.WriteUint256(commit.job_id);
    w.WriteU32(commit.region);
    w.WriteBytes(commit.miner_key);
    w.WriteUint256(commit.commitment);
    return w.Take();
}

Result<JobCommit> DecodeJobCommit(std::span<const uint8_t> bytes)
{
    if (bytes.size() != JOB_COMMIT_PAYLOAD_SIZE) return Error{"job commit: wrong payload size"};
    return Decode(bytes, [](Reader& r) {
        JobCommit commit;
        commit.job_id = r.ReadUint256();
        commit.region = r.ReadU32();
        commit.miner_key = r.ReadArray<XONLY_KEY_SIZE>();
        commit.commitment = r.ReadUint256();
        return commit;
    });
}

std::vector<uint8_t> EncodeJobReveal(const JobReveal& reveal)
{
    Writer w{JOB_REVEAL_PAYLOAD_SIZE};
    w.WriteUint256(reveal.result_root);
    w.WriteUint256(reveal.salt);
    return w.Take();
}

Result<JobReveal> DecodeJobReveal(std::span<const uint8_t> bytes)
{
    if (bytes.size() != JOB_REVEAL_PAYLOAD_SIZE) return Error{"job reveal: wrong payload size"};
    return Decode(bytes, [](Reader& r) {
        JobReveal reveal;
        reveal.result_root = r.ReadUint256();
        reveal.salt = r.ReadUint256();
        return reveal;
    });
}

}  // namespace hpips
