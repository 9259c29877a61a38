// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <pouw/engine.h>
#include <pouw/noise.h>
#include <pouw/opening.h>
#include <pouw/ticket.h>
#include <pouw/transcript.h>
#include <pouw/verify.h>
#include <primitives/target.h>
#include <util/strencodings.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <optional>

namespace hpips::pouw {
namespace {

constexpr uint32_t REGTEST_BITS{0x207fffff};

std::array<uint8_t, 32> MinerKey()
{
    const auto bytes = ParseHex("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

BlockHeader Header(uint32_t bits = REGTEST_BITS)
{
    BlockHeader h;
    h.prev_block = test::TestSeed(100);
    h.merkle_root = test::TestSeed(101);
    h.time = 1700000000;
    h.bits = bits;
    return h;
}

WorkUnit JobUnit(const UnitShape& shape, uint32_t salt)
{
    WorkUnit unit;
    unit.data = test::RandomUnit(shape, salt);
    unit.descriptor.job_id = test::TestSeed(salt);
    unit.descriptor.region = 1;
    unit.descriptor.shape = shape;
    unit.descriptor.clamp_min = -128;
    unit.descriptor.clamp_max = 127;
    unit.descriptor.a_root = ComputeARoot(unit.data);
    unit.descriptor.b_root = ComputeBRoot(unit.data);
    return unit;
}

/** Mines until one tile wins; the header carries the proof. */
std::pair<BlockHeader, std::vector<uint8_t>> Mine(const WorkUnit& unit, BlockHeader header = Header())
{
    EngineRequest request;
    request.template_bytes = header.SerializeTemplate();
    request.miner_key = MinerKey();
    request.nonce_begin = 0;
    request.nonce_end = 1'000'000;
    request.backend = BestTranscriptBackend();
    auto result = EvaluateUnits(request, std::span{&unit, 1}, ShapeRules::Regtest(), nullptr, nullptr);
    EXPECT_TRUE(result) << result.error_message();
    EXPECT_FALSE(result->wins.empty());
    header.proof = result->wins.front().proof;
    return {header, result->wins.front().opening};
}

std::string Reason(const BlockHeader& header, std::span<const uint8_t> opening,
                   const ShapeRules& rules = ShapeRules::Regtest())
{
    const auto result = VerifyTicket(header, opening, rules);
    return result ? "ok" : std::string{TicketFailureName(result.error().reason)};
}

class PouwVerify : public ::testing::Test {
protected:
    static void SetUpTestSuite()
    {
        const WorkUnit filler{MakeFillerUnit(Header().prev_block, MinerKey(), 0, ShapeRules::Regtest())};
        s_filler = Mine(filler);
        s_job_unit = JobUnit({128, 128, 128}, 5);
        s_job = Mine(*s_job_unit);
    }
    static inline std::pair<BlockHeader, std::vector<uint8_t>> s_filler;
    static inline std::optional<WorkUnit> s_job_unit;
    static inline std::pair<BlockHeader, std::vector<uint8_t>> s_job;
};

TEST_F(PouwVerify, AcceptsHonestProofsOnEveryBackend)
{
    for (const auto* mined : {&s_filler, &s_job}) {
        const auto& [header, opening] = *mined;
        EXPECT_EQ(Reason(header, opening), "ok");
        EXPECT_TRUE(CheckTicketHeader(header, ShapeRules::Regtest()));
        for (const auto backend : SupportedTranscriptBackends()) {
            EXPECT_TRUE(VerifyTicket(header.SerializeTemplate(), header.proof, opening, ShapeRules::Regtest(), backend));
        }
    }
    EXPECT_EQ(s_filler.second.size(), UNIT_DESCRIPTOR_SIZE);
}

TEST_F(PouwVerify, RejectsOversizedOpeningFirst)
{
    std::vector<uint8_t> huge(MAX_OPENING_SIZE + 1, 0xff);
    EXPECT_EQ(Reason(s_job.first, huge), "opening-too-large");
    // At exactly the limit the size is fine and the encoding is what fails.
    huge.pop_back();
    EXPECT_EQ(Reason(s_job.first, huge), "bad-opening-encoding");
    auto decoded = DecodeOpening(std::vector<uint8_t>(MAX_OPENING_SIZE + 1));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "opening-too-large");
}

TEST_F(PouwVerify, RejectsBadEncodings)
{
    const auto& [header, opening] = s_job;
    EXPECT_EQ(Reason(header, std::span{opening}.first(opening.size() - 1)), "bad-opening-encoding");
    auto longer = opening;
    longer.push_back(0);
    EXPECT_EQ(Reason(header, longer), "bad-opening-encoding");
    EXPECT_EQ(Reason(header, std::span{opening}.first(100)), "bad-opening-encoding");
    EXPECT_EQ(Reason(header, {}), "bad-opening-encoding");
    auto filler_longer = s_filler.second;
    filler_longer.push_back(1);
    EXPECT_EQ(Reason(s_filler.first, filler_longer), "bad-opening-encoding");
    // A descriptor announcing a huge k is refused as truncated, without allocating for it.
    auto huge_k = opening;
    huge_k[46] = 0xff;
    huge_k[47] = 0xff;
    huge_k[48] = 0xff;
    huge_k[49] = 0x7f;
    EXPECT_EQ(Reason(header, huge_k), "bad-opening-encoding");
    // Round trip.
    auto decoded = DecodeOpening(opening);
    ASSERT_TRUE(decoded);
    EXPECT_EQ(EncodeOpening(*decoded), opening);
    EXPECT_EQ(decoded->row_proofs.size(), TILE);
    EXPECT_EQ(decoded->cols.size(), size_t{TILE} * 128);
}

TEST_F(PouwVerify, RejectsDescriptorsOutsideTheAllowedSet)
{
    // A regtest-only shape under main-chain rules.
    EXPECT_EQ(Reason(s_job.first, s_job.second, ShapeRules::Main()), "bad-descriptor");
    EXPECT_EQ(Reason(s_filler.first, s_filler.second, ShapeRules::Main()), "bad-descriptor");
    // An invalid field, with the header's unit id updated to match.
    auto decoded = *DecodeOpening(s_job.second);
    decoded.descriptor.noise_rank = 16;
    BlockHeader header{s_job.first};
    header.proof.unit_id = ComputeUnitId(decoded.descriptor);
    const auto result = VerifyTicket(header, EncodeOpening(decoded), ShapeRules::Regtest());
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error_message(), "bad-descriptor: noise_rank");
}

TEST_F(PouwVerify, RejectsUnitIdMismatchAndTileOutOfRange)
{
    BlockHeader header{s_job.first};
    header.proof.unit_id = test::TestSeed(999);
    EXPECT_EQ(Reason(header, s_job.second), "unit-id-mismatch");
    auto tampered = s_job.second;
    tampered[40] ^= 1;  // a descriptor byte (the shape's m): another unit
    EXPECT_EQ(Reason(s_job.first, tampered), "bad-descriptor");
    tampered = s_job.second;
    tampered[10] ^= 1;  // the job id: still valid, but not the header's unit
    EXPECT_EQ(Reason(s_job.first, tampered), "unit-id-mismatch");
    header = s_job.first;
    header.proof.tile_index = 4;  // a 128×128 unit has 4 tiles
    EXPECT_EQ(Reason(header, s_job.second), "tile-index-out-of-range");
    header = s_filler.first;
    header.proof.tile_index = 1;
    EXPECT_EQ(Reason(header, s_filler.second), "tile-index-out-of-range");
}

TEST_F(PouwVerify, RejectsBadMinerAndFillerKeys)
{
    BlockHeader header{s_filler.first};
    header.proof.miner_key.fill(0);
    EXPECT_EQ(Reason(header, s_filler.second), "bad-miner-key");
    // Another (valid) miner key: the filler unit is not theirs.
    header = s_filler.first;
    const auto other = ParseHex("dff1d77f2a671c5f36183726db2341be58feae1da2deced843240f7b502ba659");
    std::copy(other->begin(), other->end(), header.proof.miner_key.begin());
    EXPECT_EQ(Reason(header, s_filler.second), "bad-filler-key");
    // Another parent block.
    header = s_filler.first;
    header.prev_block = test::TestSeed(5555);
    EXPECT_EQ(Reason(header, s_filler.second), "bad-filler-key");
    // A filler index that does not match the key.
    auto decoded = *DecodeOpening(s_filler.second);
    decoded.descriptor.region = 1;
    header = s_filler.first;
    header.proof.unit_id = ComputeUnitId(decoded.descriptor);
    EXPECT_EQ(Reason(header, EncodeOpening(decoded)), "bad-filler-key");
}

TEST_F(PouwVerify, RejectsBadMerkleProofs)
{
    const auto& [header, opening] = s_job;
    const PouwOpening good{*DecodeOpening(opening)};
    // Named through an init-capture: clang 14 cannot capture a structured binding.
    auto check = [&, &job_header = header](const PouwOpening& o) { return Reason(job_header, EncodeOpening(o)); };
    PouwOpening o{good};
    o.rows[5] ^= 1;  // tampered data
    EXPECT_EQ(check(o), "bad-merkle-proof");
    o = good;
    o.cols[TILE * 128 - 1] ^= 2;
    EXPECT_EQ(check(o), "bad-merkle-proof");
    o = good;
    o.row_proofs[3].branch[0].data()[0] ^= 1;  // bad sibling
    EXPECT_EQ(check(o), "bad-merkle-proof");
    o = good;
    o.col_proofs[63].branch.push_back(test::TestSeed(1));  // extra sibling
    EXPECT_EQ(check(o), "bad-merkle-proof");
    o = good;
    o.col_proofs[0].branch.pop_back();  // missing sibling
    EXPECT_EQ(check(o), "bad-merkle-proof");
    o = good;
    std::swap(o.row_proofs[0], o.row_proofs[1]);  // right proofs, wrong places
    EXPECT_EQ(check(o), "bad-merkle-proof");
    o = good;
    o.row_proofs[0].leaf_count = 256;  // another tree size
    EXPECT_EQ(check(o), "bad-merkle-proof");
    // The neighbour tile's opening under this tile's proof.
    const uint32_t neighbour{(header.proof.tile_index + 1) % 4};
    auto other = MakeJobOpening(s_job_unit->descriptor, s_job_unit->data, neighbour);
    ASSERT_TRUE(other);
    EXPECT_EQ(check(*other), "bad-merkle-proof");
    // This tile's opening under the neighbour tile's index.
    BlockHeader moved{header};
    moved.proof.tile_index = neighbour;
    EXPECT_EQ(Reason(moved, opening), "bad-merkle-proof");
}

TEST_F(PouwVerify, RejectsInputsOutOfRange)
{
    // A job whose committed data has a value beyond ±112 in the tile's rows.
    WorkUnit unit{JobUnit({64, 64, 64}, 17)};
    unit.data.a[100] = 113;
    unit.descriptor.a_root = ComputeARoot(unit.data);
    auto opening = MakeJobOpening(unit.descriptor, unit.data, 0);
    ASSERT_TRUE(opening);
    BlockHeader header{Header()};
    header.proof.miner_key = MinerKey();
    header.proof.unit_id = ComputeUnitId(unit.descriptor);
    EXPECT_EQ(Reason(header, EncodeOpening(*opening)), "input-out-of-range");
    unit.data.a[100] = 0;
    unit.data.b[7] = -113;
    unit.descriptor.a_root = ComputeARoot(unit.data);
    unit.descriptor.b_root = ComputeBRoot(unit.data);
    header.proof.unit_id = ComputeUnitId(unit.descriptor);
    EXPECT_EQ(Reason(header, EncodeOpening(*MakeJobOpening(unit.descriptor, unit.data, 0))), "input-out-of-range");
}

TEST_F(PouwVerify, RejectsTamperedState)
{
    for (const auto* mined : {&s_filler, &s_job}) {
        for (size_t byte = 0; byte < 32; byte += 7) {
            BlockHeader header{mined->first};
            header.proof.state[byte] ^= 0x10;
            EXPECT_EQ(Reason(header, mined->second), "state-mismatch");
        }
        BlockHeader header{mined->first};
        header.proof.nonce += 1;  // another seed: the state no longer matches
        EXPECT_EQ(Reason(header, mined->second), "state-mismatch");
        header = mined->first;
        header.time += 1;  // another template
        EXPECT_EQ(Reason(header, mined->second), "state-mismatch");
    }
}

TEST_F(PouwVerify, RejectsALosingTicket)
{
    // An honest state whose ticket does not meet the target: a proof of
    // correct work that did not win (the "wrong target").
    const WorkUnit unit{*s_job_unit};
    BlockHeader header{Header(0x1f00ffff)};  // much harder than regtest
    header.proof.miner_key = MinerKey();
    header.proof.unit_id = ComputeUnitId(unit.descriptor);
    header.proof.nonce = 3;
    header.proof.tile_index = 2;
    const auto template_bytes = header.SerializeTemplate();
    const uint256 seed{ComputeSeed(template_bytes, header.proof.miner_key, header.proof.nonce, header.proof.unit_id)};
    const TileState state{*ComputeTileTranscript(ExtractTileInputs(unit.data, 2),
                                                 Noise::DrawTile(seed, unit.descriptor.shape, 2), 2,
                                                 TranscriptBackend::SCALAR)};
    header.proof.state = EncodeState(state);
    const auto opening = EncodeOpening(*MakeJobOpening(unit.descriptor, unit.data, 2));
    EXPECT_EQ(Reason(header, opening), "high-ticket");
    EXPECT_EQ(CheckTicketHeader(header, ShapeRules::Regtest()).error().reason, TicketFailure::HIGH_TICKET);
    const uint256 ticket{ComputeTicket(seed, 2, header.proof.state)};
    EXPECT_FALSE(TicketWins(ticket, *TargetFromBits(0x1f00ffff), 128));
}

}  // namespace
}  // namespace hpips::pouw

namespace hpips::pouw {
namespace {

TEST(TicketFailureCodes, NamesAndClassesAreTheDocumentedOnes)
{
    // doc/pouw.md §9, in check order; the first five say the opening does not
    // belong to its header (the block is MUTATED, not invalid).
    const std::vector<std::pair<TicketFailure, std::string_view>> expected{
        {TicketFailure::OPENING_TOO_LARGE, "opening-too-large"},
        {TicketFailure::BAD_OPENING_ENCODING, "bad-opening-encoding"},
        {TicketFailure::BAD_DESCRIPTOR, "bad-descriptor"},
        {TicketFailure::UNIT_ID_MISMATCH, "unit-id-mismatch"},
        {TicketFailure::TILE_INDEX_OUT_OF_RANGE, "tile-index-out-of-range"},
        {TicketFailure::BAD_MINER_KEY, "bad-miner-key"},
        {TicketFailure::BAD_FILLER_KEY, "bad-filler-key"},
        {TicketFailure::BAD_MERKLE_PROOF, "bad-merkle-proof"},
        {TicketFailure::INPUT_OUT_OF_RANGE, "input-out-of-range"},
        {TicketFailure::STATE_MISMATCH, "state-mismatch"},
        {TicketFailure::HIGH_TICKET, "high-ticket"},
    };
    for (const auto& [failure, name] : expected) {
        EXPECT_EQ(TicketFailureName(failure), name);
        const bool mismatch = failure == TicketFailure::OPENING_TOO_LARGE ||
                              failure == TicketFailure::BAD_OPENING_ENCODING ||
                              failure == TicketFailure::BAD_DESCRIPTOR || failure == TicketFailure::UNIT_ID_MISMATCH ||
                              failure == TicketFailure::BAD_MERKLE_PROOF;
        EXPECT_EQ(IsOpeningMismatch(failure), mismatch) << name;
    }
    const TicketError error = TicketError::Make(TicketFailure::BAD_MERKLE_PROOF, "row");
    EXPECT_EQ(error.message, "bad-merkle-proof: row");
    EXPECT_EQ(TicketError::Make(TicketFailure::HIGH_TICKET).message, "high-ticket");
}

}  // namespace
}  // namespace hpips::pouw
