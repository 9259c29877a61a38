// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Every P2P message: encode/decode round trips, the exact encodings that
// matter, and each count, length and range limit at the limit and one above.
#include <net/messages.h>

#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hpips::net {
namespace {

uint256 Hash(uint8_t fill)
{
    std::array<uint8_t, 32> bytes{};
    bytes.fill(fill);
    return uint256{bytes};
}

Message RoundTrip(const Message& message)
{
    const auto payload = EncodePayload(message);
    EXPECT_LE(payload.size(), MaxPayloadSize(CommandOf(message)));
    auto decoded = DecodeMessage(CommandOf(message), payload);
    EXPECT_TRUE(decoded) << CommandOf(message) << ": " << (decoded ? "" : decoded.error_message());
    return decoded ? *decoded : Message{};
}

VersionMsg SampleVersion()
{
    VersionMsg v;
    v.version = PROTOCOL_VERSION;
    v.services = NODE_NETWORK;
    v.time = 1'800'000'000;
    v.addr_recv.services = NODE_NETWORK;
    v.addr_recv.service = Service{NetAddr::FromIPv4(1, 2, 3, 4), 9333};
    v.nonce = 0x0102030405060708ULL;
    v.user_agent = "/HPIPS:0.1.0/";
    v.start_height = 42;
    v.relay = false;
    return v;
}

TEST(P2PMessagesTest, EveryMessageRoundTrips)
{
    std::vector<Message> messages;
    messages.emplace_back(SampleVersion());
    messages.emplace_back(VerackMsg{});
    messages.emplace_back(PingMsg{7});
    messages.emplace_back(PongMsg{8});
    messages.emplace_back(SendHeadersMsg{});
    messages.emplace_back(FeeFilterMsg{1000});
    messages.emplace_back(WtxidRelayMsg{});
    messages.emplace_back(AddrMsg{{AddressEntry{123, NODE_NETWORK, Service{NetAddr::FromIPv4(8, 8, 8, 8), 1}}}});
    messages.emplace_back(GetAddrMsg{});
    messages.emplace_back(GetHeadersMsg{PROTOCOL_VERSION, {Hash(1), Hash(2)}, Hash(3)});
    BlockHeader header;
    header.prev_block = Hash(4);
    header.time = 5;
    header.proof.nonce = 6;
    messages.emplace_back(HeadersMsg{{header, header}});
    messages.emplace_back(InvMsg{{InvItem{MSG_TX, Hash(5)}, InvItem{MSG_BLOCK, Hash(6)}}});
    messages.emplace_back(GetDataMsg{{InvItem{MSG_WTX, Hash(7)}}});
    messages.emplace_back(NotFoundMsg{{InvItem{MSG_BLOCK, Hash(8)}}});
    MutableTransaction tx;
    tx.inputs.push_back(TxIn{OutPoint{Hash(9), 0}, SEQUENCE_FINAL, std::vector<uint8_t>(64, 1)});
    tx.outputs.push_back(TxOut{5, Destination::ForKey({})});
    messages.emplace_back(TxMsg{std::make_shared<const Transaction>(tx)});
    Block block;
    block.header = header;
    block.txs.emplace_back(tx);
    block.opening = {1, 2, 3};
    messages.emplace_back(BlockMsg{std::make_shared<const Block>(block)});
    messages.emplace_back(GetBlobMsg{Hash(10), 3, 4});
    messages.emplace_back(BlobMsg{Hash(11), 2, 5, 4'500'000, std::vector<uint8_t>(100, 7), {Hash(12), Hash(13)}});
    messages.emplace_back(MempoolMsg{});
    ASSERT_EQ(messages.size(), std::variant_size_v<Message>);
    for (const auto& message : messages) EXPECT_EQ(RoundTrip(message), message) << CommandOf(message);
}

TEST(P2PMessagesTest, VersionEncoding)
{
    VersionMsg v = SampleVersion();
    v.user_agent = "ab";
    const auto payload = EncodePayload(v);
    // i32 version | u64 services | i64 time | addr_recv 26 | addr_from 26 | u64 nonce | "ab" | i32 height | relay
    ASSERT_EQ(payload.size(), 4u + 8 + 8 + 26 + 26 + 8 + 3 + 4 + 1);
    // The port is big-endian: 9333 = 0x2475.
    EXPECT_EQ(payload[20 + 8 + 16], 0x24);
    EXPECT_EQ(payload[20 + 8 + 17], 0x75);
    // IPv4 travels IPv4-mapped.
    EXPECT_EQ(HexStr(std::span{payload}.subspan(28, 16)), "00000000000000000000ffff01020304");
    EXPECT_EQ(payload.back(), 0);  // relay = false
}

TEST(P2PMessagesTest, VersionLimits)
{
    VersionMsg v = SampleVersion();
    v.user_agent.assign(MAX_SUBVERSION_LENGTH, 'a');
    const auto at_limit = EncodePayload(v);
    EXPECT_EQ(at_limit.size(), MAX_VERSION_PAYLOAD);  // the largest version is exactly the limit
    EXPECT_TRUE(DecodeMessage(cmd::VERSION, at_limit));
    v.user_agent.push_back('a');
    const auto too_long = EncodePayload(v);
    const auto decoded = DecodeMessage(cmd::VERSION, too_long);
    ASSERT_FALSE(decoded);
    EXPECT_NE(decoded.error_message().find("exceeds"), std::string::npos);

    auto bad_relay = EncodePayload(SampleVersion());
    bad_relay.back() = 2;
    EXPECT_FALSE(DecodeMessage(cmd::VERSION, bad_relay));  // a boolean is 0 or 1
    auto truncated = EncodePayload(SampleVersion());
    truncated.pop_back();
    EXPECT_FALSE(DecodeMessage(cmd::VERSION, truncated));  // the relay flag is required
    auto trailing = EncodePayload(SampleVersion());
    trailing.push_back(0);
    EXPECT_FALSE(DecodeMessage(cmd::VERSION, trailing));
}

TEST(P2PMessagesTest, EmptyMessagesTakeNoPayload)
{
    for (const auto command : {cmd::VERACK, cmd::SENDHEADERS, cmd::WTXIDRELAY, cmd::GETADDR, cmd::MEMPOOL}) {
        EXPECT_TRUE(DecodeMessage(command, {})) << command;
        const std::vector<uint8_t> one{0};
        EXPECT_FALSE(DecodeMessage(command, one)) << command;
    }
}

TEST(P2PMessagesTest, PingAndFeeFilter)
{
    EXPECT_FALSE(DecodeMessage(cmd::PING, std::vector<uint8_t>(7)));
    EXPECT_FALSE(DecodeMessage(cmd::PONG, std::vector<uint8_t>(9)));
    EXPECT_TRUE(DecodeMessage(cmd::FEEFILTER, EncodePayload(FeeFilterMsg{MAX_MONEY})));
    EXPECT_FALSE(DecodeMessage(cmd::FEEFILTER, EncodePayload(FeeFilterMsg{MAX_MONEY + 1})));
    EXPECT_FALSE(DecodeMessage(cmd::FEEFILTER, EncodePayload(FeeFilterMsg{-1})));
}

/** A message with `count` copies of `item` in its vector. */
template <typename Msg, typename Item>
std::vector<uint8_t> WithCount(size_t count, const Item& item)
{
    Msg msg;
    if constexpr (std::is_same_v<Msg, AddrMsg>) {
        msg.addrs.assign(count, item);
    } else if constexpr (std::is_same_v<Msg, HeadersMsg>) {
        msg.headers.assign(count, item);
    } else {
        msg.items.assign(count, item);
    }
    return EncodePayload(msg);
}

TEST(P2PMessagesTest, CountLimitsAtTheLimitAndOneAbove)
{
    const AddressEntry entry{1, 0, Service{NetAddr::FromIPv4(9, 9, 9, 9), 2}};
    const auto addr_max = WithCount<AddrMsg>(MAX_ADDR_TO_SEND, entry);
    EXPECT_EQ(addr_max.size(), MAX_ADDR_PAYLOAD);
    EXPECT_TRUE(DecodeMessage(cmd::ADDR, addr_max));
    EXPECT_FALSE(DecodeMessage(cmd::ADDR, WithCount<AddrMsg>(MAX_ADDR_TO_SEND + 1, entry)));

    const auto headers_max = WithCount<HeadersMsg>(MAX_HEADERS_RESULTS, BlockHeader{});
    EXPECT_EQ(headers_max.size(), MAX_HEADERS_PAYLOAD);
    EXPECT_TRUE(DecodeMessage(cmd::HEADERS, headers_max));
    EXPECT_FALSE(DecodeMessage(cmd::HEADERS, WithCount<HeadersMsg>(MAX_HEADERS_RESULTS + 1, BlockHeader{})));

    const InvItem item{MSG_TX, Hash(1)};
    const auto inv_max = WithCount<InvMsg>(MAX_INV_SZ, item);
    EXPECT_EQ(inv_max.size(), MAX_INV_PAYLOAD);
    EXPECT_TRUE(DecodeMessage(cmd::INV, inv_max));
    EXPECT_FALSE(DecodeMessage(cmd::INV, WithCount<InvMsg>(MAX_INV_SZ + 1, item)));
    EXPECT_TRUE(DecodeMessage(cmd::NOTFOUND, WithCount<NotFoundMsg>(MAX_INV_SZ, item)));
    EXPECT_FALSE(DecodeMessage(cmd::NOTFOUND, WithCount<NotFoundMsg>(MAX_INV_SZ + 1, item)));

    const auto getdata_max = WithCount<GetDataMsg>(MAX_GETDATA_SZ, item);
    EXPECT_EQ(getdata_max.size(), MAX_GETDATA_PAYLOAD);
    EXPECT_TRUE(DecodeMessage(cmd::GETDATA, getdata_max));
    EXPECT_FALSE(DecodeMessage(cmd::GETDATA, WithCount<GetDataMsg>(MAX_GETDATA_SZ + 1, item)));

    GetHeadersMsg getheaders;
    getheaders.locator.assign(MAX_LOCATOR_SZ, Hash(2));
    const auto locator_max = EncodePayload(getheaders);
    EXPECT_EQ(locator_max.size(), MAX_GETHEADERS_PAYLOAD);
    EXPECT_TRUE(DecodeMessage(cmd::GETHEADERS, locator_max));
    getheaders.locator.push_back(Hash(2));
    EXPECT_FALSE(DecodeMessage(cmd::GETHEADERS, EncodePayload(getheaders)));
}

TEST(P2PMessagesTest, CountBeyondTheBytesIsRefusedBeforeAllocating)
{
    // A count of 50,000 inventory entries with no entries after it.
    Writer w;
    w.WriteCompactSize(MAX_INV_SZ);
    const auto decoded = DecodeMessage(cmd::INV, w.data());
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "truncated");
}

TEST(P2PMessagesTest, BlobLimits)
{
    BlobMsg blob{Hash(1), 0, 1, 10, std::vector<uint8_t>(MAX_BLOB_CHUNK_SIZE, 1),
                 std::vector<uint256>(MAX_BLOB_PROOF_DEPTH, Hash(2))};
    const auto at_limit = EncodePayload(blob);
    EXPECT_EQ(at_limit.size(), MAX_BLOB_PAYLOAD);
    EXPECT_TRUE(DecodeMessage(cmd::BLOB, at_limit));
    auto over = blob;
    over.data.push_back(1);
    EXPECT_FALSE(DecodeMessage(cmd::BLOB, EncodePayload(over)));
    over = blob;
    over.proof.push_back(Hash(3));
    EXPECT_FALSE(DecodeMessage(cmd::BLOB, EncodePayload(over)));
    over = blob;
    over.chunk_count = MAX_BLOB_CHUNKS + 1;
    EXPECT_FALSE(DecodeMessage(cmd::BLOB, EncodePayload(over)));
    over = blob;
    over.chunk_count = 0;
    EXPECT_FALSE(DecodeMessage(cmd::BLOB, EncodePayload(over)));
    over = blob;
    over.chunk_index = 1;  // == chunk_count
    EXPECT_FALSE(DecodeMessage(cmd::BLOB, EncodePayload(over)));
    over = blob;
    over.blob_size = MAX_BLOB_SIZE + 1;
    EXPECT_FALSE(DecodeMessage(cmd::BLOB, EncodePayload(over)));

    EXPECT_TRUE(DecodeMessage(cmd::GETBLOB, EncodePayload(GetBlobMsg{Hash(1), 0, MAX_GETBLOB_CHUNKS})));
    EXPECT_FALSE(DecodeMessage(cmd::GETBLOB, EncodePayload(GetBlobMsg{Hash(1), 0, MAX_GETBLOB_CHUNKS + 1})));
    EXPECT_FALSE(DecodeMessage(cmd::GETBLOB, EncodePayload(GetBlobMsg{Hash(1), 0, 0})));
    EXPECT_TRUE(DecodeMessage(cmd::GETBLOB, EncodePayload(GetBlobMsg{Hash(1), MAX_BLOB_CHUNKS - 1, 1})));
    EXPECT_FALSE(DecodeMessage(cmd::GETBLOB, EncodePayload(GetBlobMsg{Hash(1), MAX_BLOB_CHUNKS - 1, 2})));
}

TEST(P2PMessagesTest, TxAndBlockUseTheConsensusDecoders)
{
    EXPECT_FALSE(DecodeMessage(cmd::TX, std::vector<uint8_t>{1, 2, 3}));
    EXPECT_FALSE(DecodeMessage(cmd::BLOCK, std::vector<uint8_t>(BLOCK_HEADER_SIZE)));  // no tx count
    // A payload over the command's limit is refused before parsing.
    EXPECT_FALSE(DecodeMessage(cmd::TX, std::vector<uint8_t>(MAX_TX_PAYLOAD + 1)));
    EXPECT_FALSE(DecodeMessage(cmd::BLOCK, std::vector<uint8_t>(MAX_BLOCK_PAYLOAD + 1)));
}

TEST(P2PMessagesTest, UnknownCommandIsNotDecoded)
{
    const auto decoded = DecodeMessage("sendcmpct", std::vector<uint8_t>(9));
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "unknown command");
}

TEST(P2PMessagesTest, LimitTableIsConsistent)
{
    // Every row's limit is the largest well-formed payload, and all fit the transport.
    for (const auto& info : CommandTable()) {
        EXPECT_LE(info.max_payload, MAX_PAYLOAD_ANY) << info.command;
        EXPECT_LE(info.command.size(), COMMAND_SIZE) << info.command;
        EXPECT_FALSE(info.reason.empty()) << info.command;
    }
    EXPECT_EQ(MAX_BLOCK_PAYLOAD, MAX_BLOCK_SIZE);
    EXPECT_LT(MAX_UNKNOWN_PAYLOAD, MAX_PING_PAYLOAD + 2'000);
    EXPECT_EQ(FindCommand("nosuch"), nullptr);
    EXPECT_EQ(MaxPayloadSize("nosuch"), MAX_UNKNOWN_PAYLOAD);
}

}  // namespace
}  // namespace hpips::net
