// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_message.h>

#include <util/strencodings.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

/** A hash whose serialized bytes are 00 01 02 ... 1f. */
uint256 CountingHash()
{
    uint256 hash;
    for (size_t i{0}; i < hash.size(); ++i) hash.data()[i] = static_cast<uint8_t>(i);
    return hash;
}

TEST(ZmqMessage, TopicNames)
{
    EXPECT_EQ(ZmqTopicName(ZmqTopic::HASHBLOCK), "hashblock");
    EXPECT_EQ(ZmqTopicName(ZmqTopic::HASHTX), "hashtx");
    EXPECT_EQ(ZmqTopicName(ZmqTopic::RAWBLOCK), "rawblock");
    EXPECT_EQ(ZmqTopicName(ZmqTopic::RAWTX), "rawtx");
    EXPECT_EQ(ZmqTopicName(ZmqTopic::SEQUENCE), "sequence");
}

TEST(ZmqMessage, HashBodyIsDisplayOrder)
{
    const uint256 hash = CountingHash();
    const auto body = ZmqHashBody(hash);
    // The body reads as the hash's hex form: last serialized byte first.
    EXPECT_EQ(HexStr(body), hash.GetHex());
    EXPECT_EQ(body.front(), 0x1f);
    EXPECT_EQ(body.back(), 0x00);
}

TEST(ZmqMessage, SequenceBodies)
{
    const uint256 hash = CountingHash();
    const std::string hex = hash.GetHex();
    EXPECT_EQ(HexStr(ZmqSequenceBody(hash, ZmqSequenceLabel::BLOCK_CONNECTED)), hex + "43");
    EXPECT_EQ(HexStr(ZmqSequenceBody(hash, ZmqSequenceLabel::BLOCK_DISCONNECTED, 7)), hex + "44");
    EXPECT_EQ(HexStr(ZmqSequenceBody(hash, ZmqSequenceLabel::TX_ADDED, 0x0102030405060708)),
              hex + "41" + "0807060504030201");
    EXPECT_EQ(HexStr(ZmqSequenceBody(hash, ZmqSequenceLabel::TX_REMOVED, 1)), hex + "52" + "0100000000000000");
}

TEST(ZmqMessage, SequenceFrameIsLittleEndian)
{
    EXPECT_EQ(HexStr(ZmqSequenceFrame(0)), "00000000");
    EXPECT_EQ(HexStr(ZmqSequenceFrame(1)), "01000000");
    EXPECT_EQ(HexStr(ZmqSequenceFrame(0x12345678)), "78563412");
    EXPECT_EQ(HexStr(ZmqSequenceFrame(0xffffffff)), "ffffffff");
}

}  // namespace
}  // namespace hpips
