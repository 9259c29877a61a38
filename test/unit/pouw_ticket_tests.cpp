// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/key.h>
#include <crypto/sha256.h>
#include <pouw/noise.h>
#include <pouw/ticket.h>
#include <pouw/transcript.h>
#include <pouw/unit.h>
#include <primitives/block.h>
#include <primitives/target.h>
#include <util/serialize.h>
#include <util/strencodings.h>

#include "pouw_test_util.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iostream>
#include <map>
#include <sstream>
#include <string>

namespace hpips::pouw {
namespace {

/** The BIP-340 test vector 0 public key (secret key 3): a valid x-only key. */
std::array<uint8_t, 32> GoldenMinerKey()
{
    const auto bytes = ParseHex("f9308a019258c31049344f85f89d5229b531c845836f99b08601f113bce036f9");
    std::array<uint8_t, 32> key{};
    std::copy(bytes->begin(), bytes->end(), key.begin());
    return key;
}

BlockHeader GoldenHeader(uint32_t bits)
{
    BlockHeader h;
    h.version = 1;
    h.prev_block = uint256{[] { std::array<uint8_t, 32> b; b.fill(0x11); return b; }()};
    h.merkle_root = uint256{[] { std::array<uint8_t, 32> b; b.fill(0x22); return b; }()};
    h.time = 1700000000;
    h.bits = bits;
    h.proof.miner_key = GoldenMinerKey();
    return h;
}

std::string Values(std::span<const int8_t> values)
{
    std::string out;
    for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + std::to_string(values[i]);
    return out;
}

std::string PathValues(const StepPath& path)
{
    std::string out;
    for (uint32_t e = 0; e < 8; ++e) out += (e ? "," : "") + std::to_string(path.plus[e]) + ":" + std::to_string(path.minus[e]);
    return out;
}

std::string Hex512(const ArithUint512& v)
{
    std::ostringstream s;
    s << std::hex << v;
    return s.str();
}

/** Every golden value of one case, computed with the reference implementation. */
void AddCase(std::map<std::string, std::string>& out, const std::string& name, const BlockHeader& header,
             const UnitDescriptor& descriptor, const UnitData& data, uint32_t tile)
{
    const auto template_bytes = header.SerializeTemplate();
    const uint256 unit_id{ComputeUnitId(descriptor)};
    const uint256 seed{ComputeSeed(template_bytes, header.proof.miner_key, header.proof.nonce, unit_id)};
    const Noise noise{Noise::DrawTile(seed, descriptor.shape, tile)};
    const TileInputs inputs{ExtractTileInputs(data, tile)};
    const auto states = ReferenceStepStates(inputs, noise, tile);
    const auto state_bytes = EncodeState(states.back());
    const uint256 ticket{ComputeTicket(seed, tile, state_bytes)};
    const ArithUint256 target{*TargetFromBits(header.bits)};
    out[name + ".template"] = HexStr(template_bytes);
    out[name + ".miner_key"] = HexStr(header.proof.miner_key);
    out[name + ".nonce"] = std::to_string(header.proof.nonce);
    out[name + ".descriptor"] = HexStr(SerializeDescriptor(descriptor));
    out[name + ".unit_id"] = unit_id.ToStorageHex();
    out[name + ".seed"] = seed.ToStorageHex();
    out[name + ".tile"] = std::to_string(tile);
    out[name + ".a_row0_first8"] = Values(std::span{inputs.a_rows}.first(8));
    out[name + ".b_col0_first8"] = Values(std::span{inputs.b_cols}.first(8));
    out[name + ".e_left_first_row"] = Values(noise.ELeft(noise.RowBegin()));
    out[name + ".f_right_first_col"] = Values(noise.FRight(noise.ColBegin()));
    out[name + ".e_path0_first8"] = PathValues(noise.EPath(0));
    out[name + ".f_path0_first8"] = PathValues(noise.FPath(0));
    out[name + ".state_after_first_step"] = HexStr(EncodeState(states.front()));
    out[name + ".state_after_last_step"] = HexStr(state_bytes);
    out[name + ".ticket"] = ticket.ToStorageHex();
    out[name + ".bits"] = std::to_string(header.bits);
    out[name + ".k"] = std::to_string(descriptor.shape.k);
    out[name + ".target_times_k"] = Hex512(ArithUint512{target} * descriptor.shape.k);
    out[name + ".wins"] = TicketWins(ticket, target, descriptor.shape.k) ? "1" : "0";
}

std::map<std::string, std::string> ComputeGolden()
{
    std::map<std::string, std::string> out;
    const auto regtest = ShapeRules::Regtest();
    {
        BlockHeader header{GoldenHeader(0x207fffff)};
        header.proof.nonce = 42;
        const UnitDescriptor d{MakeFillerDescriptor(header.prev_block, header.proof.miner_key, 0, regtest)};
        AddCase(out, "filler", header, d, MakeFillerData(d.job_id, d.shape), 0);
    }
    {
        BlockHeader header{GoldenHeader(0x1f00ffff)};
        header.proof.nonce = 7;
        UnitData data{{128, 64, 128}, {}, {}};
        for (uint32_t i = 0; i < 128; ++i) {
            for (uint32_t j = 0; j < 128; ++j) data.a.push_back(static_cast<int8_t>(int32_t((i * 31 + j * 17) % 225) - 112));
        }
        for (uint32_t j = 0; j < 128; ++j) {
            for (uint32_t c = 0; c < 64; ++c) data.b.push_back(static_cast<int8_t>(int32_t((j * 13 + c * 29 + 5) % 225) - 112));
        }
        UnitDescriptor d;
        d.job_id = test::TestSeed(77);
        d.region = 2;
        d.shape = data.shape;
        d.clamp_min = -128;
        d.clamp_max = 127;
        d.a_root = ComputeARoot(data);
        d.b_root = ComputeBRoot(data);
        EXPECT_TRUE(ValidateDescriptor(d, regtest));
        AddCase(out, "job", header, d, data, 1);
    }
    return out;
}

TEST(PouwGolden, MatchesCommittedVectors)
{
    std::ifstream file{std::string{HPIPS_TEST_DATA_DIR} + "/pouw_golden.tsv"};
    ASSERT_TRUE(file) << "missing test/unit/data/pouw_golden.tsv";
    std::map<std::string, std::string> committed;
    std::string line;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#') continue;
        const auto tab = line.find('\t');
        ASSERT_NE(tab, std::string::npos) << line;
        committed[line.substr(0, tab)] = line.substr(tab + 1);
    }
    const auto computed = ComputeGolden();
    EXPECT_EQ(committed.size(), computed.size());
    for (const auto& [key, value] : computed) EXPECT_EQ(committed[key], value) << key;
    // The fast path agrees with the frozen reference states.
    for (const std::string name : {"filler", "job"}) {
        EXPECT_EQ(committed[name + ".state_after_last_step"].size(), 64u);
    }
}

/** Prints the vectors in the committed format (run once to freeze them:
 *  pouw_ticket_tests --gtest_also_run_disabled_tests --gtest_filter=*PrintGolden). */
TEST(PouwGolden, DISABLED_PrintGolden)
{
    std::cout << "# PoUW rules v1 golden vectors (doc/pouw.md), computed by the reference implementation.\n";
    for (const auto& [key, value] : ComputeGolden()) std::cout << key << "\t" << value << "\n";
}

TEST(PouwTicket, SeedAndTicketPreimages)
{
    const BlockHeader header{GoldenHeader(0x207fffff)};
    const auto template_bytes = header.SerializeTemplate();
    const uint256 unit{test::TestSeed(5)};
    Writer w;
    w.WriteBytes(template_bytes);
    w.WriteBytes(header.proof.miner_key);
    w.WriteU64(0x0102030405060708);
    w.WriteUint256(unit);
    ASSERT_EQ(w.size(), 148u);
    const uint256 seed{ComputeSeed(template_bytes, header.proof.miner_key, 0x0102030405060708, unit)};
    EXPECT_EQ(seed, Sha256d(w.data()));
    EXPECT_NE(seed, ComputeSeed(template_bytes, header.proof.miner_key, 0x0102030405060709, unit));
    std::array<uint8_t, 32> state{};
    state[31] = 9;
    Writer t;
    t.WriteUint256(seed);
    t.WriteU32(77);
    t.WriteBytes(state);
    EXPECT_EQ(ComputeTicket(seed, 77, state), Sha256Hash(t.data()));
    EXPECT_EQ(TemplateBits(template_bytes), 0x207fffffu);
    EXPECT_EQ(TemplatePrevBlock(template_bytes), header.prev_block);
}

TEST(PouwTicket, WinsIsProportionalToK)
{
    const ArithUint256 target{ArithUint256{1} << 200};
    // ticket · 4096 < target · k: for k = 2048 the bound is exactly target / 2.
    const ArithUint256 half{target / 2};
    EXPECT_TRUE(TicketWins(ArithToUint256(half - 1), target, 2048));
    EXPECT_FALSE(TicketWins(ArithToUint256(half), target, 2048));
    EXPECT_TRUE(TicketWins(ArithToUint256(target - 1), target, K_REF));
    EXPECT_FALSE(TicketWins(ArithToUint256(target), target, K_REF));
    // No overflow with the largest values.
    const ArithUint256 max{~ArithUint256{0}};
    EXPECT_TRUE(TicketWins(ArithToUint256(max - 1), max, K_REF));
    EXPECT_FALSE(TicketWins(ArithToUint256(max), max, K_REF));
    EXPECT_FALSE(TicketWins(ArithToUint256(max), max, 64));
}

TEST(PouwTicket, CheapHeaderCheck)
{
    const auto rules = ShapeRules::Regtest();
    BlockHeader header{GoldenHeader(0x207fffff)};  // regtest target: about half of all tickets win
    int wins{0};
    for (uint64_t nonce = 0; nonce < 64; ++nonce) {
        header.proof.nonce = nonce;
        const auto result = CheckTicketHeader(header, rules);
        if (result) {
            ++wins;
        } else {
            EXPECT_EQ(result.error_message(), "high-ticket");
        }
    }
    EXPECT_GT(wins, 10);
    EXPECT_LT(wins, 54);
    // Find a winning nonce, then break each other field.
    header.proof.nonce = 0;
    while (!CheckTicketHeader(header, rules)) ++header.proof.nonce;
    BlockHeader bad{header};
    bad.proof.miner_key.fill(0);
    EXPECT_EQ(CheckTicketHeader(bad, rules).error_message(), "bad-miner-key");
    bad = header;
    bad.proof.tile_index = rules.MaxTileCount();
    EXPECT_EQ(CheckTicketHeader(bad, rules).error_message(), "tile-index-out-of-range");
    bad = header;
    bad.bits = 0x03000001;  // target 1
    EXPECT_EQ(CheckTicketHeader(bad, rules).error_message(), "high-ticket");
    bad.bits = 0;  // not a valid target at all
    EXPECT_EQ(CheckTicketHeader(bad, rules).error_message().rfind("high-ticket", 0), 0u);
    EXPECT_TRUE(XOnlyPubKey{GoldenMinerKey()}.IsValid());
}

}  // namespace
}  // namespace hpips::pouw
