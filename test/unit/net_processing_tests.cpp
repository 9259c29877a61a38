// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The protocol logic against a raw peer on loopback: the handshake and its
// order rules, ping/pong, sendheaders / feefilter / wtxidrelay recorded,
// getaddr answered once, addr rate limiting, and the extension point.
#include "net_test_util.h"

#include <gtest/gtest.h>

#include <atomic>

namespace hpips::net {
namespace {

using test::RawPeer;
using test::TestNetwork;
using test::WaitFor;

NodeId OnlyPeer(const TestNetwork& net)
{
    const auto stats = net.connman->GetNodeStats();
    EXPECT_EQ(stats.size(), 1u);
    return stats.empty() ? -1 : stats[0].conn.info.id;
}

TEST(NetProcessingTest, HandshakeSendsVersionWtxidrelayVerackThenPreferences)
{
    TestNetwork a;
    RawPeer peer{a.Port()};
    VersionMsg version;
    version.nonce = 5;
    version.services = NODE_NETWORK;
    version.user_agent = "/raw:1.0/\x01\x7f<script>";
    version.start_height = 11;
    version.relay = true;
    peer.Send(version);
    auto first = peer.Read();
    ASSERT_TRUE(first);
    EXPECT_EQ(first->command, cmd::VERSION);
    const auto theirs = DecodeMessage(cmd::VERSION, first->payload);
    ASSERT_TRUE(theirs);
    const auto& v = std::get<VersionMsg>(*theirs);
    EXPECT_EQ(v.version, PROTOCOL_VERSION);
    EXPECT_EQ(v.services, NODE_NETWORK);
    EXPECT_EQ(v.start_height, 7);
    EXPECT_EQ(v.user_agent, UserAgent());
    EXPECT_NE(v.nonce, 0u);
    EXPECT_EQ(peer.Read()->command, cmd::WTXIDRELAY);
    EXPECT_EQ(peer.Read()->command, cmd::VERACK);
    peer.Send(WtxidRelayMsg{});
    peer.Send(VerackMsg{});
    // After our verack: sendheaders, feefilter, then a ping.
    EXPECT_EQ(peer.Read()->command, cmd::SENDHEADERS);
    EXPECT_EQ(peer.Read()->command, cmd::FEEFILTER);
    const auto ping = peer.ReadUntil(cmd::PING);
    ASSERT_TRUE(ping);
    peer.Send(PongMsg{std::get<PingMsg>(*DecodeMessage(cmd::PING, ping->payload)).nonce});
    peer.Send(SendHeadersMsg{});
    peer.Send(FeeFilterMsg{5000});
    ASSERT_TRUE(peer.Sync());
    const auto stats = a.peerman->GetPeerStats(OnlyPeer(a));
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->start_height, 11);
    EXPECT_EQ(stats->user_agent, "/raw:1.0/script");  // reduced to safe characters
    EXPECT_TRUE(stats->prefer_headers);
    EXPECT_TRUE(stats->wtxid_relay);
    EXPECT_EQ(stats->fee_filter, 5000);
    EXPECT_TRUE(stats->last_ping_us.has_value());
    EXPECT_FALSE(stats->ping_wait_us.has_value());
}

/** Connects from `source`, runs `act`, and expects disconnection and discouragement. */
void ExpectViolation(TestNetwork& net, const std::string& source, const std::function<void(RawPeer&)>& act)
{
    {
        RawPeer peer{net.Port(), source};
        act(peer);
        EXPECT_TRUE(peer.WaitClosed());
    }
    const NetAddr addr = *ParseNetAddr(source);
    EXPECT_TRUE(WaitFor([&] { return net.connman->GetBanMan().IsDiscouraged(addr); })) << source;
}

TEST(NetProcessingTest, HandshakeOrderViolations)
{
    TestNetwork a;
    ExpectViolation(a, "127.0.1.1", [](RawPeer& p) { p.Send(PingMsg{1}); });
    ExpectViolation(a, "127.0.1.2", [](RawPeer& p) {
        p.SendRaw(BuildFrame(test::Magic(), "whatever", {}));
    });
    ExpectViolation(a, "127.0.1.3", [](RawPeer& p) {
        p.Send(VersionMsg{});
        p.Send(VersionMsg{});
    });
    ExpectViolation(a, "127.0.1.4", [](RawPeer& p) {
        p.Send(VersionMsg{});
        p.Send(GetAddrMsg{});
    });
    ExpectViolation(a, "127.0.1.5", [](RawPeer& p) {
        p.Handshake();
        p.Send(VerackMsg{});
    });
    ExpectViolation(a, "127.0.1.6", [](RawPeer& p) {
        p.Handshake();
        p.Send(WtxidRelayMsg{});
    });
    ExpectViolation(a, "127.0.1.7", [](RawPeer& p) {
        p.Handshake();
        p.SendRaw(BuildFrame(test::Magic(), cmd::ADDR, std::vector<uint8_t>{0x02, 0x00}));  // truncated
    });
    // An obsolete version: disconnected, not discouraged.
    {
        RawPeer peer{a.Port(), "127.0.1.8"};
        VersionMsg old;
        old.version = MIN_PEER_PROTO_VERSION - 1;
        peer.Send(old);
        EXPECT_TRUE(peer.WaitClosed());
    }
    EXPECT_FALSE(a.connman->GetBanMan().IsDiscouraged(*ParseNetAddr("127.0.1.8")));
    // Unknown commands within their limit are ignored after the handshake.
    RawPeer peer{a.Port()};
    peer.Handshake();
    peer.SendRaw(BuildFrame(test::Magic(), "sendcmpct", std::vector<uint8_t>(9)));
    EXPECT_TRUE(peer.Sync());
}

TEST(NetProcessingTest, SelfConnectionIsDropped)
{
    TestNetwork a;
    ASSERT_TRUE(a.connman->OpenManualConnection("127.0.0.1:" + std::to_string(a.Port())));
    // The outbound side sends version; its nonce comes back inbound.
    EXPECT_TRUE(WaitFor([&] { return a.Connected() == 0 && a.connman->GetNodeStats().empty(); }));
    EXPECT_FALSE(a.connman->GetBanMan().IsDiscouraged(NetAddr::FromIPv4(127, 0, 0, 1)));
}

TEST(NetProcessingTest, GetAddrIsAnsweredOnceFromTheAddressManager)
{
    TestNetwork a;
    a.clock.SetMockTime(1'800'000'000);
    std::vector<AddressEntry> known;
    for (uint8_t i{1}; i <= 20; ++i) {
        known.push_back(AddressEntry{1'800'000'000, NODE_NETWORK, Service{NetAddr::FromIPv4(8, i, 1, 1), 9333}});
    }
    a.connman->GetAddrMan().Add(known, NetAddr::FromIPv4(9, 9, 9, 9));
    const size_t stored = a.connman->GetAddrMan().Size();
    ASSERT_GT(stored, 15u);
    RawPeer peer{a.Port()};
    peer.Handshake();
    peer.Send(GetAddrMsg{});
    const auto answer = peer.ReadUntil(cmd::ADDR);
    ASSERT_TRUE(answer);
    const auto addr = DecodeMessage(cmd::ADDR, answer->payload);
    ASSERT_TRUE(addr);
    EXPECT_EQ(std::get<AddrMsg>(*addr).addrs.size(), MAX_PCT_ADDR_TO_SEND * stored / 100);
    // A second getaddr is ignored (a ping comes back, no addr).
    peer.Send(GetAddrMsg{});
    peer.Send(PingMsg{77});
    while (auto message = peer.Read()) {
        EXPECT_NE(message->command, cmd::ADDR);
        if (message->command == cmd::PONG) break;
    }
}

TEST(NetProcessingTest, AddrIsRateLimitedAndStored)
{
    TestNetwork a;
    constexpr int64_t NOW = 1'800'000'000;
    a.clock.SetMockTime(NOW);
    RawPeer peer{a.Port()};
    peer.Handshake();
    AddrMsg msg;
    for (uint8_t i{1}; i <= 50; ++i) {
        msg.addrs.push_back(AddressEntry{NOW, NODE_NETWORK, Service{NetAddr::FromIPv4(7, i, 1, 1), 9333}});
    }
    peer.Send(msg);
    ASSERT_TRUE(peer.Sync());
    auto stats = a.peerman->GetPeerStats(OnlyPeer(a));
    EXPECT_EQ(stats->addr_processed, 1u);
    EXPECT_EQ(stats->addr_rate_limited, 49u);
    EXPECT_EQ(a.connman->GetAddrMan().Size(), 1u);
    // Ten minutes later the bucket holds 60 more tokens.
    a.clock.SetMockTime(NOW + 600);
    peer.Send(msg);
    ASSERT_TRUE(peer.Sync());
    stats = a.peerman->GetPeerStats(OnlyPeer(a));
    EXPECT_EQ(stats->addr_processed, 51u);
    EXPECT_EQ(stats->addr_rate_limited, 49u);
    EXPECT_GT(a.connman->GetAddrMan().Size(), 40u);
}

TEST(NetProcessingTest, PingTimeoutDisconnectsWithoutDiscouraging)
{
    TestNetwork a;
    a.clock.SetMockTime(1'800'000'000);
    RawPeer peer{a.Port(), "127.0.2.1"};
    peer.Handshake();
    ASSERT_TRUE(peer.ReadUntil(cmd::PING));  // never answered
    a.clock.SetMockTime(1'800'000'000 + DEFAULT_PING_TIMEOUT + 1);
    EXPECT_TRUE(peer.WaitClosed());
    EXPECT_FALSE(a.connman->GetBanMan().IsDiscouraged(*ParseNetAddr("127.0.2.1")));
}

/** A handler that takes inv and refuses notfound. */
class TestHandler : public ProtocolHandler {
public:
    Result<Handling> HandleMessage(Peer&, const Message& message) override
    {
        if (std::holds_alternative<InvMsg>(message)) {
            ++invs;
            return Handling::HANDLED;
        }
        if (std::holds_alternative<NotFoundMsg>(message)) return Error{"notfound not welcome"};
        return Handling::NOT_HANDLED;
    }
    void OnPeerReady(Peer&) override { ++ready; }
    void OnPeerGone(NodeId) override { ++gone; }
    std::atomic<int> invs{0};
    std::atomic<int> ready{0};
    std::atomic<int> gone{0};
};

TEST(NetProcessingTest, ExtensionPoint)
{
    TestHandler handler;
    ConnmanOptions options;
    options.magic = test::Magic();
    options.use_addrman_outgoing = false;
    options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_NONE, true});
    NodeClock clock;
    ConnectionManager connman{options, clock};
    PeerManager peerman{connman, clock, PeerManagerOptions{}};
    peerman.RegisterHandler(handler);
    ASSERT_TRUE(connman.Start(peerman));
    const uint16_t port = connman.ListeningOn().at(0).port;
    {
        RawPeer peer{port};
        peer.Handshake();
        peer.Send(InvMsg{{InvItem{MSG_TX, uint256{}}}});
        peer.Send(HeadersMsg{});  // not handled: ignored
        ASSERT_TRUE(peer.Sync());
        EXPECT_EQ(handler.invs.load(), 1);
        EXPECT_EQ(handler.ready.load(), 1);
        peer.Send(NotFoundMsg{});
        EXPECT_TRUE(peer.WaitClosed());
    }
    EXPECT_TRUE(WaitFor([&] { return handler.gone.load() == 1; }));
    EXPECT_TRUE(connman.GetBanMan().IsDiscouraged(NetAddr::FromIPv4(127, 0, 0, 1)));
    connman.Stop();
}

}  // namespace
}  // namespace hpips::net
