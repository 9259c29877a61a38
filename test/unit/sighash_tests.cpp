// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/sighash.h>

#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include "primitives_test_util.h"

#include <functional>

namespace hpips {
namespace {

using test::FilledHash;
using test::FilledKey;

struct Fixture {
    MutableTransaction tx;
    std::vector<TxOut> spent;
};

Fixture Sample()
{
    Fixture f;
    f.tx.version = 1;
    f.tx.inputs.push_back(TxIn{OutPoint{FilledHash(0x11), 0}, SEQUENCE_FINAL, std::vector<uint8_t>(64, 0xa1)});
    f.tx.inputs.push_back(TxIn{OutPoint{FilledHash(0x22), 1}, 0xfffffffd, std::vector<uint8_t>(64, 0xa2)});
    f.tx.outputs.push_back(TxOut{3 * COIN, Destination::ForKey(FilledKey(0x33))});
    f.tx.outputs.push_back(TxOut{COIN / 2, Destination::ForKey(FilledKey(0x44))});
    f.tx.lock_time = 77;
    f.spent.push_back(TxOut{2 * COIN, Destination::ForKey(FilledKey(0x55))});
    f.spent.push_back(TxOut{2 * COIN, Destination::ForKey(FilledKey(0x66))});
    return f;
}

uint256 Hash(const Fixture& f, uint32_t index = 0, Network net = Network::MAIN)
{
    const Transaction tx{f.tx};
    auto pre = PrecomputedTxData::Compute(tx, f.spent);
    EXPECT_TRUE(pre) << pre.error_message();
    return SignatureHash(tx, index, *pre, net);
}

TEST(SighashTest, MatchesDocumentedLayout)
{
    // Rebuilds the message byte by byte as doc/transactions.md lists it.
    const Fixture f = Sample();
    const auto sha = [](const std::string& hex) { return Sha256Hash(ParseHex(hex).value()); };
    const std::string prevouts = HexStr(FilledHash(0x11).span()) + "00000000" + HexStr(FilledHash(0x22).span()) + "01000000";
    const std::string amounts = "00c2eb0b00000000" "00c2eb0b00000000";
    const std::string dests = "0120" + HexStr(FilledKey(0x55)) + "0120" + HexStr(FilledKey(0x66));
    const std::string sequences = "ffffffff" "fdffffff";
    const std::string outputs = "00a3e11100000000" "0120" + HexStr(FilledKey(0x33)) + "80f0fa0200000000" "0120" +
                                HexStr(FilledKey(0x44));
    const std::string msg = "04" + HexStr(StringBytes("main")) + "00" + "01000000" + "4d000000" +
                            HexStr(sha(prevouts).span()) + HexStr(sha(amounts).span()) +
                            HexStr(sha(dests).span()) + HexStr(sha(sequences).span()) +
                            HexStr(sha(outputs).span()) + "01000000";
    EXPECT_EQ(Hash(f, 1), TaggedHash("HPIPS/sighash", ParseHex(msg).value()));
    // Independently computed with Python's hashlib from the same bytes.
    EXPECT_EQ(Hash(f, 1).ToStorageHex(), "b10e75150dec369d5cd275967cfafbddbe72080c4e3a78d35cf05a5a61884e61");
}

TEST(SighashTest, EveryCommittedFieldChangesTheHash)
{
    const uint256 base = Hash(Sample());
    const std::vector<std::pair<std::string, std::function<void(Fixture&)>>> changes{
        {"spent amount 0", [](Fixture& f) { f.spent[0].amount += 1; }},
        {"spent amount 1", [](Fixture& f) { f.spent[1].amount -= 1; }},
        {"spent destination key", [](Fixture& f) { f.spent[1].destination.payload[31] ^= 1; }},
        {"spent destination kind", [](Fixture& f) { f.spent[0].destination.kind = 2; }},
        {"output amount", [](Fixture& f) { f.tx.outputs[1].amount += 1; }},
        {"output destination", [](Fixture& f) { f.tx.outputs[0].destination.payload[0] ^= 1; }},
        {"extra output", [](Fixture& f) { f.tx.outputs.push_back(TxOut{1, Destination::ForKey(FilledKey(9))}); }},
        {"outputs swapped", [](Fixture& f) { std::swap(f.tx.outputs[0], f.tx.outputs[1]); }},
        {"prevout txid", [](Fixture& f) { f.tx.inputs[1].prevout.txid = FilledHash(0x23); }},
        {"prevout index", [](Fixture& f) { f.tx.inputs[0].prevout.index = 1; }},
        {"sequence", [](Fixture& f) { f.tx.inputs[1].sequence = 0; }},
        {"version", [](Fixture& f) { f.tx.version = 2; }},
        {"lock_time", [](Fixture& f) { f.tx.lock_time = 78; }},
    };
    for (const auto& [name, change] : changes) {
        Fixture f = Sample();
        change(f);
        EXPECT_NE(Hash(f), base) << name;
    }
}

TEST(SighashTest, CommitsToChainAndIndex)
{
    const Fixture f = Sample();
    const uint256 main0 = Hash(f, 0, Network::MAIN);
    EXPECT_NE(Hash(f, 1, Network::MAIN), main0);
    EXPECT_NE(Hash(f, 0, Network::TEST), main0);
    EXPECT_NE(Hash(f, 0, Network::REGTEST), main0);
    EXPECT_NE(Hash(f, 0, Network::REGTEST), Hash(f, 0, Network::TEST));
}

TEST(SighashTest, WitnessChangesNeitherSighashNorTxid)
{
    const Fixture f = Sample();
    Fixture signed_differently = Sample();
    signed_differently.tx.inputs[0].witness.assign(64, 0x00);
    EXPECT_EQ(Hash(signed_differently), Hash(f));
    EXPECT_EQ(Transaction{signed_differently.tx}.GetTxid(), Transaction{f.tx}.GetTxid());
    EXPECT_NE(Transaction{signed_differently.tx}.GetWtxid(), Transaction{f.tx}.GetWtxid());
}

TEST(SighashTest, SpentOutputCountMustMatchInputs)
{
    Fixture f = Sample();
    f.spent.pop_back();
    auto pre = PrecomputedTxData::Compute(Transaction{f.tx}, f.spent);
    ASSERT_FALSE(pre);
    EXPECT_EQ(pre.error_message(), "spent outputs (1) do not match inputs (2)");
}

}  // namespace
}  // namespace hpips
