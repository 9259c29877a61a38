// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The connection manager and connections over real loopback sockets: two
// in-process nodes connect and handshake; framing violations disconnect and
// discourage (noban peers only disconnect); banned and discouraged addresses
// are refused; full inbound slots evict or refuse; disconnectnode, added
// nodes and setnetworkactive; the receive queue pauses reading instead of
// buffering without limit.
#include "net_test_util.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

namespace hpips::net {
namespace {

using test::RawPeer;
using test::TestNetwork;
using test::WaitFor;

const NetAddr LOCALHOST = NetAddr::FromIPv4(127, 0, 0, 1);

TEST(ConnmanTest, TwoNodesConnectAndHandshake)
{
    TestNetwork a;
    TestNetwork b{[&](ConnmanOptions& o) { o.addnodes.push_back("127.0.0.1:" + std::to_string(a.Port())); }};
    ASSERT_TRUE(WaitFor([&] { return a.Connected() == 1 && b.Connected() == 1; }));
    const auto stats = b.connman->GetNodeStats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_EQ(stats[0].conn.info.type, ConnectionType::MANUAL);
    EXPECT_EQ(stats[0].conn.info.addr.port, a.Port());
    const auto peer = b.peerman->GetPeerStats(stats[0].conn.info.id);
    ASSERT_TRUE(peer);
    EXPECT_EQ(peer->version, PROTOCOL_VERSION);
    EXPECT_EQ(peer->start_height, 7);
    EXPECT_EQ(peer->user_agent, UserAgent());
    EXPECT_EQ(a.connman->CountInbound(), 1u);
    EXPECT_EQ(b.connman->CountOutbound(), 1u);
    const auto added = b.connman->GetAddedNodeInfo();
    ASSERT_EQ(added.size(), 1u);
    EXPECT_TRUE(added[0].connected);
    // Both sides measured a ping.
    EXPECT_TRUE(WaitFor([&] { return a.connman->GetNodeStats().at(0).min_ping_us != INT64_MAX; }));
    EXPECT_GT(a.connman->TotalBytesRecv(), 0u);

    // disconnectnode by id: the added node comes back.
    const NodeId old_id = stats[0].conn.info.id;
    EXPECT_TRUE(b.connman->DisconnectNode(old_id));
    EXPECT_FALSE(b.connman->DisconnectNode(NodeId{12345}));
    EXPECT_TRUE(WaitFor([&] {
        const auto now = b.connman->GetNodeStats();
        return now.size() == 1 && now[0].conn.info.id != old_id && now[0].successfully_connected;
    }));
    // Removed from the list, it stays away after a disconnect.
    EXPECT_TRUE(b.connman->RemoveAddedNode("127.0.0.1:" + std::to_string(a.Port())));
    EXPECT_FALSE(b.connman->RemoveAddedNode("127.0.0.1:" + std::to_string(a.Port())));
    b.connman->SetNetworkActive(false);
    EXPECT_TRUE(WaitFor([&] { return b.connman->GetNodeStats().empty() && a.connman->GetNodeStats().empty(); }));
}

TEST(ConnmanTest, FramingViolationsDisconnectAndDiscourage)
{
    TestNetwork a;
    {
        RawPeer peer{a.Port(), "127.0.0.2"};
        peer.Handshake();
        ASSERT_TRUE(peer.Sync());
        // A ping with a 9-byte payload: over the limit before it is read.
        std::vector<uint8_t> payload(9);
        peer.SendRaw(BuildFrame(test::Magic(), cmd::PING, payload));
        EXPECT_TRUE(peer.WaitClosed());
    }
    const NetAddr bad = NetAddr::FromIPv4(127, 0, 0, 2);
    EXPECT_TRUE(WaitFor([&] { return a.connman->GetBanMan().IsDiscouraged(bad); }));
    EXPECT_FALSE(a.connman->GetBanMan().IsDiscouraged(LOCALHOST));
    // A new connection from there is refused before anything is said.
    {
        RawPeer again{a.Port(), "127.0.0.2"};
        EXPECT_FALSE(again.Read());
    }
    // Others are still welcome.
    RawPeer good{a.Port()};
    good.Handshake();
    EXPECT_TRUE(good.Sync());
}

TEST(ConnmanTest, NobanPeersAreOnlyDisconnected)
{
    TestNetwork a{[](ConnmanOptions& o) { o.whitelist.push_back(*ParseWhitelist("noban@127.0.0.3")); }};
    {
        RawPeer peer{a.Port(), "127.0.0.3"};
        peer.Handshake();
        auto frame = BuildFrame(test::Magic(), cmd::PING, std::vector<uint8_t>(8));
        frame[20] ^= 1;  // bad checksum
        peer.SendRaw(frame);
        EXPECT_TRUE(peer.WaitClosed());
    }
    EXPECT_FALSE(a.connman->GetBanMan().IsDiscouraged(NetAddr::FromIPv4(127, 0, 0, 3)));
    RawPeer again{a.Port(), "127.0.0.3"};
    again.Handshake();
    EXPECT_TRUE(again.Sync());
}

TEST(ConnmanTest, BannedAddressesAreRefusedAndDisconnected)
{
    TestNetwork a;
    RawPeer peer{a.Port(), "127.0.0.4"};
    peer.Handshake();
    ASSERT_TRUE(peer.Sync());
    const SubNet subnet = *ParseSubNet("127.0.0.4/32");
    ASSERT_TRUE(a.connman->GetBanMan().Ban(subnet, 100, false));
    EXPECT_TRUE(a.connman->DisconnectNode(subnet));
    EXPECT_TRUE(peer.WaitClosed());
    RawPeer again{a.Port(), "127.0.0.4"};
    EXPECT_FALSE(again.Read());
    EXPECT_TRUE(a.connman->GetBanMan().Unban(subnet));
    RawPeer third{a.Port(), "127.0.0.4"};
    third.Handshake();
    EXPECT_TRUE(third.Sync());
}

TEST(ConnmanTest, FullInboundEvictsOrRefuses)
{
    // 11 connections: 10 outbound slots, one inbound.
    TestNetwork a{[](ConnmanOptions& o) { o.max_connections = 11; }};
    EXPECT_EQ(a.connman->MaxInbound(), 1);
    EXPECT_EQ(a.connman->MaxOutboundFullRelay(), 8);
    EXPECT_EQ(a.connman->MaxOutboundBlockRelay(), 2);
    RawPeer first{a.Port()};
    first.Handshake();
    ASSERT_TRUE(first.Sync());
    // The only inbound peer is protected (its group): the newcomer is refused.
    RawPeer second{a.Port(), "127.0.0.5"};
    EXPECT_FALSE(second.Read());
    EXPECT_TRUE(first.Sync());
}

TEST(ConnmanTest, SlotArithmetic)
{
    TestNetwork small{[](ConnmanOptions& o) { o.max_connections = 5; }};
    EXPECT_EQ(small.connman->MaxOutboundFullRelay(), 5);
    EXPECT_EQ(small.connman->MaxOutboundBlockRelay(), 0);
    EXPECT_EQ(small.connman->MaxInbound(), 0);
    RawPeer refused{small.Port()};
    EXPECT_FALSE(refused.Read());
    TestNetwork big;
    EXPECT_EQ(big.connman->MaxInbound(), DEFAULT_MAX_PEER_CONNECTIONS - 10);
}

TEST(ConnmanTest, ReceiveQueuePausesReadingInsteadOfBuffering)
{
    TestNetwork a;
    RawPeer peer{a.Port()};
    peer.Handshake();
    ASSERT_TRUE(peer.Sync());
    // 20 MB of pings in one go: the node reads as fast as it processes, with
    // at most MAX_RECEIVE_QUEUE_BYTES (+ one message) queued at any time.
    const auto ping = BuildFrame(test::Magic(), cmd::PING, EncodePayload(PingMsg{1}));
    std::vector<uint8_t> batch;
    for (int i{0}; i < 20'000; ++i) batch.insert(batch.end(), ping.begin(), ping.end());
    std::thread reader{[&] {
        // Keep reading the pongs so the node's send queue never fills.
        for (int i{0}; i < 30 * 20'000; ++i) {
            if (!peer.Read()) return;
        }
    }};
    size_t max_queued{0};
    for (int round{0}; round < 30; ++round) {
        peer.SendRaw(batch);
        for (const auto& s : a.connman->GetNodeStats()) max_queued = std::max(max_queued, s.conn.recv_queue_bytes);
    }
    reader.join();
    EXPECT_LE(max_queued, MAX_RECEIVE_QUEUE_BYTES + MESSAGE_HEADER_SIZE + MAX_PAYLOAD_ANY + QUEUED_MESSAGE_OVERHEAD);
    EXPECT_TRUE(peer.Sync(7));
}

TEST(ConnmanTest, PeerThatStopsReadingIsPausedThenDisconnected)
{
    TestNetwork a;
    a.clock.SetMockTime(1'800'000'000);
    RawPeer peer{a.Port()};
    peer.Handshake();
    ASSERT_TRUE(peer.Sync());
    // Pings whose pongs are never read, from another thread (sends block
    // once the node stops reading).
    const auto ping = BuildFrame(test::Magic(), cmd::PING, EncodePayload(PingMsg{1}));
    std::vector<uint8_t> batch;
    for (int i{0}; i < 10'000; ++i) batch.insert(batch.end(), ping.begin(), ping.end());
    std::atomic<bool> stop{false};
    std::thread sender{[&] {
        for (int i{0}; i < 400 && !stop; ++i) peer.SendRaw(batch);
    }};
    // The send queue passes the soft limit and stays there: processing stops.
    ASSERT_TRUE(WaitFor([&] {
        const auto stats = a.connman->GetNodeStats();
        return !stats.empty() && stats[0].conn.send_queue_bytes > SEND_BUFFER_SOFT_LIMIT;
    }));
    const auto stats = a.connman->GetNodeStats();
    ASSERT_EQ(stats.size(), 1u);
    EXPECT_LE(stats[0].conn.send_queue_bytes, SEND_BUFFER_SOFT_LIMIT + 2 * (ping.size() + QUEUED_MESSAGE_OVERHEAD));
    EXPECT_LE(stats[0].conn.recv_queue_bytes, MAX_RECEIVE_QUEUE_BYTES + ping.size() + QUEUED_MESSAGE_OVERHEAD);
    // Nothing taken for -peertimeout seconds: disconnected. (The kernel's
    // buffers may take a few more bytes first, so time moves on in steps.)
    int64_t now{1'800'000'000};
    EXPECT_TRUE(WaitFor([&] {
        now += 601;
        a.clock.SetMockTime(now);
        std::this_thread::sleep_for(std::chrono::milliseconds{600});  // a maintenance round
        return a.connman->GetNodeStats().empty();
    }));
    stop = true;
    peer.Close();
    sender.join();
    // Not misbehaviour.
    EXPECT_FALSE(a.connman->GetBanMan().IsDiscouraged(LOCALHOST));
}

TEST(ConnmanTest, QueuedFramesAreGatheredIntoWritesWholeAndInOrder)
{
    TestNetwork a;
    RawPeer peer{a.Port()};
    peer.Handshake();
    ASSERT_TRUE(peer.Sync());
    const auto conn = a.connman->FindNode(a.connman->GetNodeStats().at(0).conn.info.id);
    ASSERT_TRUE(conn);
    // Small frames, then frames that cross WRITE_BATCH_BYTES, then one
    // larger than a batch on its own: each arrives whole, in the order
    // pushed, whatever the writes gathered.
    std::vector<size_t> sizes;
    for (size_t i{0}; i < 300; ++i) sizes.push_back(8 + i % 50);
    for (size_t i{0}; i < 5; ++i) sizes.push_back(WRITE_BATCH_BYTES / 3 + i);
    sizes.push_back(WRITE_BATCH_BYTES + 1);
    for (size_t i{0}; i < 20; ++i) sizes.push_back(100 + i);
    for (size_t i{0}; i < sizes.size(); ++i) {
        std::vector<uint8_t> payload(sizes[i], static_cast<uint8_t>(i));
        conn->PushMessage(cmd::BLOCK, payload);
    }
    for (size_t i{0}; i < sizes.size(); ++i) {
        const auto message = peer.ReadUntil(cmd::BLOCK);
        ASSERT_TRUE(message) << "frame " << i;
        ASSERT_EQ(message->payload.size(), sizes[i]) << "frame " << i;
        EXPECT_EQ(message->payload.front(), static_cast<uint8_t>(i));
        EXPECT_EQ(message->payload.back(), static_cast<uint8_t>(i));
    }
    EXPECT_TRUE(WaitFor([&] { return conn->SendQueueBytes() == 0; }));
}

TEST(ConnmanTest, SendQueueHardLimitDisconnects)
{
    TestNetwork a;
    RawPeer peer{a.Port()};
    peer.Handshake();
    ASSERT_TRUE(peer.Sync());
    const auto conn = a.connman->FindNode(a.connman->GetNodeStats().at(0).conn.info.id);
    ASSERT_TRUE(conn);
    // The protocol logic pushing block after block to a peer that takes none.
    const std::vector<uint8_t> block(MAX_BLOCK_PAYLOAD, 0);
    int pushed{0};
    while (!conn->IsDisconnecting() && pushed < 20) {
        conn->PushMessage(cmd::BLOCK, block);
        ++pushed;
    }
    EXPECT_TRUE(conn->IsDisconnecting());
    EXPECT_EQ(conn->DisconnectReason(), "send queue limit exceeded");
    // The kernel takes a few MB; the queue never more than its limit.
    EXPECT_LT(pushed, 20);
}

}  // namespace
}  // namespace hpips::net
