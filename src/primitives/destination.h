// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_PRIMITIVES_DESTINATION_H
#define HPIPS_PRIMITIVES_DESTINATION_H

#include <crypto/key.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <vector>

namespace hpips {

/** The kinds of destination an output can pay to. The encoding (kind byte,
 *  then a length-prefixed payload) is the same for every kind, so kinds added
 *  later — job escrow, result commitment, bond — never change how today's
 *  kinds are written. */
enum class DestinationKind : uint8_t {
    /** Pay to a BIP-340 x-only public key (payload: 32 bytes). The address of
     *  this kind is bech32m with witness version 1. */
    KEY = 1,
    /** A job posting (doc/jobs.md): amount = escrowed bounty, payload = the
     *  canonical JobSpec encoding (primitives/job.h). */
    JOB = 2,
    /** A result commitment: amount = bond, payload = job id, region,
     *  miner key, commitment hash (primitives/job_commit.h). */
    COMMIT = 3,
    /** The reveal of a commitment: spends the COMMIT output, amount = bond,
     *  payload = result root and salt (primitives/job_commit.h). */
    REVEAL = 4,
    /** Coins destroyed (the per-unit posting fee); empty payload, unspendable. */
    BURN = 5,
    /** A fraud proof against a reveal (primitives/fraud_proof.h); unspendable. */
    FRAUD = 6,
};

/** Largest payload of a KEY destination or of a kind this software does not
 *  know, as the encoding accepted it before the job kinds existed (consensus
 *  checks the exact size: 32 for KEY; an unknown kind is invalid). Coins and
 *  undo records are bounded with it (chain/coin.h): the job kinds are not
 *  active yet, so no coin of theirs can exist (doc/jobs.md, "Not yet wired"). */
constexpr size_t MAX_DESTINATION_PAYLOAD = 256;

/** Payload sizes of the job kinds (doc/jobs.md); primitives/job.h,
 *  job_commit.h and fraud_proof.h define the encodings and check at compile
 *  time that they agree with these. */
/** Largest canonical JobSpec encoding (primitives/job.h computes it). */
constexpr size_t MAX_JOB_SPEC_SIZE = 1'231;
/** A COMMIT payload: job id (32), region u32, miner x-only key (32), commitment hash (32). */
constexpr size_t JOB_COMMIT_PAYLOAD_SIZE = 32 + 4 + 32 + 32;
/** A REVEAL payload: result root (32), salt (32). */
constexpr size_t JOB_REVEAL_PAYLOAD_SIZE = 32 + 32;
/** Largest fraud-proof encoding (primitives/fraud_proof.h computes it: a
 *  light row proof with 2^20 bytes of input rows, 225 row proofs and a 2^18-byte
 *  claimed row, every Merkle proof at the largest depth), about 1.47 MiB,
 *  below MAX_TX_SIZE / 2. */
constexpr size_t MAX_FRAUD_PROOF_SIZE = 1'545'587;

/** The largest payload any kind accepts (a FRAUD output's). */
constexpr size_t MAX_ANY_DESTINATION_PAYLOAD = MAX_FRAUD_PROOF_SIZE;
/** The largest payload of a kind whose outputs can be spent (KEY, JOB,
 *  COMMIT, REVEAL): what coin records will need once the ledger stores job
 *  coins. BURN and FRAUD outputs never become coins. */
constexpr size_t MAX_SPENDABLE_DESTINATION_PAYLOAD =
    MAX_JOB_SPEC_SIZE > MAX_DESTINATION_PAYLOAD ? MAX_JOB_SPEC_SIZE : MAX_DESTINATION_PAYLOAD;

/** The most payload bytes the decoder accepts for a destination of `kind`:
 *  the exact size for COMMIT and REVEAL, 0 for BURN, MAX_JOB_SPEC_SIZE for
 *  JOB, MAX_FRAUD_PROOF_SIZE for FRAUD, MAX_DESTINATION_PAYLOAD for KEY and
 *  for every kind this software does not know (unchanged from before the job
 *  kinds). Consensus checks exact sizes and contents. */
constexpr size_t MaxDestinationPayload(uint8_t kind)
{
    switch (static_cast<DestinationKind>(kind)) {
    case DestinationKind::KEY: return MAX_DESTINATION_PAYLOAD;
    case DestinationKind::JOB: return MAX_JOB_SPEC_SIZE;
    case DestinationKind::COMMIT: return JOB_COMMIT_PAYLOAD_SIZE;
    case DestinationKind::REVEAL: return JOB_REVEAL_PAYLOAD_SIZE;
    case DestinationKind::BURN: return 0;
    case DestinationKind::FRAUD: return MAX_FRAUD_PROOF_SIZE;
    }
    return MAX_DESTINATION_PAYLOAD;
}

/** True for the kinds of the job market (JOB through FRAUD). */
constexpr bool IsJobDestinationKind(uint8_t kind)
{
    return kind >= static_cast<uint8_t>(DestinationKind::JOB) && kind <= static_cast<uint8_t>(DestinationKind::FRAUD);
}

/** Size of an x-only public key. */
constexpr size_t XONLY_KEY_SIZE = 32;

/** Where an output's coins go: a kind and its payload bytes. A payload of a
 *  kind this software does not know still round-trips through serialization
 *  (consensus decides whether it is allowed). */
struct Destination {
    uint8_t kind{0};
    std::vector<uint8_t> payload;

    /** A KEY destination for a 32-byte x-only key. */
    static Destination ForKey(const std::array<uint8_t, XONLY_KEY_SIZE>& xonly_key)
    {
        return Destination{static_cast<uint8_t>(DestinationKind::KEY), {xonly_key.begin(), xonly_key.end()}};
    }
    /** True for a KEY destination with a 32-byte payload. */
    bool IsKey() const
    {
        return kind == static_cast<uint8_t>(DestinationKind::KEY) && payload.size() == XONLY_KEY_SIZE;
    }

    friend bool operator==(const Destination&, const Destination&) = default;
};

/** The KEY destination paying to a BIP-340 public key. */
inline Destination KeyDestination(const XOnlyPubKey& key)
{
    std::array<uint8_t, XONLY_KEY_SIZE> bytes;
    std::copy(key.bytes().begin(), key.bytes().end(), bytes.begin());
    return Destination::ForKey(bytes);
}

}  // namespace hpips

#endif  // HPIPS_PRIMITIVES_DESTINATION_H
