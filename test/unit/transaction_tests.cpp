// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/transaction.h>

#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include "primitives_test_util.h"

namespace hpips {
namespace {

using test::FilledHash;
using test::FilledKey;

MutableTransaction SampleTx()
{
    MutableTransaction tx;
    tx.version = 2;
    tx.inputs.push_back(TxIn{OutPoint{FilledHash(0x11), 0}, 0xfffffffe, std::vector<uint8_t>(64, 0xa1)});
    tx.inputs.push_back(TxIn{OutPoint{FilledHash(0x22), 3}, SEQUENCE_FINAL, std::vector<uint8_t>(64, 0xa2)});
    tx.outputs.push_back(TxOut{5 * COIN, Destination::ForKey(FilledKey(0x33))});
    tx.outputs.push_back(TxOut{12345, Destination{7, {1, 2, 3}}});
    tx.lock_time = 1000;
    return tx;
}

std::vector<uint8_t> Encode(const MutableTransaction& tx)
{
    return EncodeTransaction(Transaction{tx});
}

TEST(TransactionTest, RoundTrip)
{
    const Transaction tx{SampleTx()};
    const auto bytes = EncodeTransaction(tx);
    EXPECT_EQ(bytes.size(), tx.GetTotalSize());
    auto decoded = DecodeTransaction(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, tx);
    EXPECT_EQ(decoded->GetTxid(), tx.GetTxid());
    EXPECT_EQ(decoded->GetWtxid(), tx.GetWtxid());
    EXPECT_EQ(EncodeTransaction(*decoded), bytes);
}

TEST(TransactionTest, WireLayout)
{
    const Transaction tx{SampleTx()};
    const auto bytes = EncodeTransaction(tx);
    const std::string hex = HexStr(bytes);
    const std::string base =
        "02000000"                                                 // version
        "02"                                                       // input count
        + HexStr(FilledHash(0x11).span()) + "00000000" + "feffffff"    // input 0: txid, index, sequence
        + HexStr(FilledHash(0x22).span()) + "03000000" + "ffffffff"    // input 1
        + "02"                                                     // output count
        + "0065cd1d00000000" + "01" + "20" + HexStr(FilledKey(0x33))     // output 0: amount, kind, length, key
        + "3930000000000000" + "07" + "03" + "010203"              // output 1
        + "e8030000";                                              // lock_time
    // Witness section: one length-prefixed witness per input, no count.
    const std::string witnesses = "40" + HexStr(std::vector<uint8_t>(64, 0xa1)) + "40" +
                                  HexStr(std::vector<uint8_t>(64, 0xa2));
    EXPECT_EQ(hex, base + witnesses);
    EXPECT_EQ(tx.GetBaseSize(), base.size() / 2);
    EXPECT_EQ(tx.GetTotalSize(), bytes.size());
}

TEST(TransactionTest, TxidExcludesWitnessWtxidIncludesIt)
{
    const Transaction tx{SampleTx()};
    const auto bytes = EncodeTransaction(tx);
    EXPECT_EQ(tx.GetTxid(), Sha256d(std::span{bytes}.first(tx.GetBaseSize())));
    EXPECT_EQ(tx.GetWtxid(), Sha256d(bytes));
    Writer no_witness;
    WriteTransactionNoWitness(no_witness, tx.fields());
    EXPECT_EQ(tx.GetTxid(), Sha256d(no_witness.data()));

    MutableTransaction changed = SampleTx();
    changed.inputs[1].witness[10] ^= 1;
    const Transaction other{changed};
    EXPECT_EQ(other.GetTxid(), tx.GetTxid());
    EXPECT_NE(other.GetWtxid(), tx.GetWtxid());

    changed.inputs[1].witness.clear();
    EXPECT_EQ(Transaction{changed}.GetTxid(), tx.GetTxid());

    MutableTransaction changed_fields = SampleTx();
    changed_fields.lock_time += 1;
    EXPECT_NE(Transaction{changed_fields}.GetTxid(), tx.GetTxid());
}

TEST(TransactionTest, PinnedIds)
{
    // Vector for a second implementation (also in doc/transactions.md); the
    // ids were computed independently with Python's hashlib.
    MutableTransaction tx;
    tx.version = 1;
    tx.inputs.push_back(TxIn{OutPoint{}, 0, {}});
    tx.outputs.push_back(TxOut{50 * COIN, Destination::ForKey(FilledKey(0x01))});
    tx.lock_time = 0;
    const Transaction coinbase{tx};
    EXPECT_TRUE(coinbase.IsCoinbase());
    EXPECT_EQ(HexStr(EncodeTransaction(coinbase)),
              "01000000"
              "01" "0000000000000000000000000000000000000000000000000000000000000000" "ffffffff" "00000000"
              "01" "00f2052a01000000" "01" "20" "0101010101010101010101010101010101010101010101010101010101010101"
              "00000000"
              "00");
    EXPECT_EQ(coinbase.GetTxid().GetHex(), "9c7207573f62c3c03201fb9054672d7ed9f2bf8665b36b79b7da366223dcfcb5");
    EXPECT_EQ(coinbase.GetWtxid().GetHex(), "a47b11242148b3183dbc12130592b036c4707e6205fa7e439f56d768120a2ca3");
}

TEST(TransactionTest, IsCoinbase)
{
    MutableTransaction tx;
    tx.inputs.push_back(TxIn{OutPoint{}, 0, {}});
    EXPECT_TRUE(Transaction{tx}.IsCoinbase());
    tx.inputs[0].prevout.index = 0;
    EXPECT_FALSE(Transaction{tx}.IsCoinbase());
    tx.inputs[0].prevout = OutPoint{FilledHash(1), OutPoint::NULL_INDEX};
    EXPECT_FALSE(Transaction{tx}.IsCoinbase());
    tx.inputs[0].prevout = OutPoint{};
    tx.inputs.push_back(TxIn{OutPoint{}, 0, {}});
    EXPECT_FALSE(Transaction{tx}.IsCoinbase());
    EXPECT_FALSE(Transaction{}.IsCoinbase());
}

TEST(TransactionTest, TruncatedAtEveryLength)
{
    const auto bytes = Encode(SampleTx());
    for (size_t len = 0; len < bytes.size(); ++len) {
        auto decoded = DecodeTransaction(std::span{bytes}.first(len));
        ASSERT_FALSE(decoded) << len;
        EXPECT_EQ(decoded.error_message(), "truncated") << len;
    }
}

TEST(TransactionTest, TrailingBytesRejected)
{
    auto bytes = Encode(SampleTx());
    bytes.push_back(0);
    auto decoded = DecodeTransaction(bytes);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "trailing bytes");
}

TEST(TransactionTest, OversizedCountsRejected)
{
    // Input count one above MAX_TX_INPUTS.
    Writer w;
    w.WriteU32(1);
    w.WriteCompactSize(MAX_TX_INPUTS + 1);
    auto inputs = DecodeTransaction(w.data());
    ASSERT_FALSE(inputs);
    EXPECT_EQ(inputs.error_message(), "vector length " + std::to_string(MAX_TX_INPUTS + 1) + " exceeds maximum " +
                                          std::to_string(MAX_TX_INPUTS));

    // A count the remaining input cannot hold is truncated, not allocated.
    Writer w2;
    w2.WriteU32(1);
    w2.WriteCompactSize(1000);
    auto short_inputs = DecodeTransaction(w2.data());
    ASSERT_FALSE(short_inputs);
    EXPECT_EQ(short_inputs.error_message(), "truncated");

    Writer w3;
    w3.WriteU32(1);
    w3.WriteCompactSize(0);
    w3.WriteCompactSize(MAX_TX_OUTPUTS + 1);
    auto outputs = DecodeTransaction(w3.data());
    ASSERT_FALSE(outputs);
    EXPECT_EQ(outputs.error_message(), "vector length " + std::to_string(MAX_TX_OUTPUTS + 1) + " exceeds maximum " +
                                           std::to_string(MAX_TX_OUTPUTS));
}

TEST(TransactionTest, OversizedWitnessRejected)
{
    MutableTransaction tx = SampleTx();
    tx.inputs[0].witness.assign(MAX_WITNESS_SIZE, 7);
    ASSERT_TRUE(DecodeTransaction(Encode(tx)));
    tx.inputs[0].witness.push_back(7);
    auto decoded = DecodeTransaction(Encode(tx));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "vector length " + std::to_string(MAX_WITNESS_SIZE + 1) +
                                           " exceeds maximum " + std::to_string(MAX_WITNESS_SIZE));
}

TEST(TransactionTest, OversizedDestinationRejected)
{
    MutableTransaction tx = SampleTx();
    tx.outputs[1].destination.payload.assign(MAX_DESTINATION_PAYLOAD, 1);
    ASSERT_TRUE(DecodeTransaction(Encode(tx)));
    tx.outputs[1].destination.payload.push_back(1);
    auto decoded = DecodeTransaction(Encode(tx));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "vector length 257 exceeds maximum 256");
}

TEST(TransactionTest, NonCanonicalCompactSizeRejected)
{
    // The input count 2 written as fd 02 00 instead of 02.
    const auto bytes = Encode(SampleTx());
    std::vector<uint8_t> bad{bytes.begin(), bytes.begin() + 4};
    bad.insert(bad.end(), {0xfd, 0x02, 0x00});
    bad.insert(bad.end(), bytes.begin() + 5, bytes.end());
    auto decoded = DecodeTransaction(bad);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "non-canonical CompactSize");
}

TEST(TransactionTest, TooLargeInputRejectedBeforeParsing)
{
    const std::vector<uint8_t> huge(MAX_TX_SIZE + 1, 0);
    auto decoded = DecodeTransaction(huge);
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(),
              "transaction size " + std::to_string(MAX_TX_SIZE + 1) + " exceeds maximum " + std::to_string(MAX_TX_SIZE));
}

TEST(TransactionTest, AnyAmountAndUnknownKindRoundTrip)
{
    MutableTransaction tx;
    tx.outputs.push_back(TxOut{-1, Destination{0xff, {}}});
    tx.outputs.push_back(TxOut{std::numeric_limits<Amount>::max(), Destination{0, std::vector<uint8_t>(256, 9)}});
    const auto bytes = Encode(tx);
    auto decoded = DecodeTransaction(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(decoded->fields(), tx);
}

TEST(TransactionTest, EmptyTransactionIsMinimal)
{
    EXPECT_EQ(Encode(MutableTransaction{}).size(), MIN_TX_SIZE);
    EXPECT_EQ(Transaction{}.GetTotalSize(), MIN_TX_SIZE);
}

TEST(TransactionTest, OutPointOrder)
{
    const OutPoint a{FilledHash(1), 5};
    const OutPoint b{FilledHash(1), 6};
    const OutPoint c{FilledHash(2), 0};
    EXPECT_LT(a, b);
    EXPECT_LT(b, c);
    EXPECT_TRUE(OutPoint{}.IsNull());
}

}  // namespace
}  // namespace hpips
