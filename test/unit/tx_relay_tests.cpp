// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Transaction relay against a real regtest chainstate and pool, a real
// ConnectionManager on loopback and raw TCP peers. The relay's clock is the
// test's (TxRelayOptions::now), so timers fire only when the test moves it.
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <net/tx_relay.h>
#include <primitives/sighash.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include "net_test_util.h"

#include <atomic>
#include <set>

namespace hpips::net {
namespace {

using hpips::test::TempDir;
using test::RawPeer;
using test::WaitFor;

class TxRelayTest : public ::testing::Test {
protected:
    void SetUp() override
    {
        ChainstateOptions chain_options;
        chain_options.datadir = m_dir.path();
        chain_options.now = [this] { return m_block_time; };
        auto opened = Chainstate::Open(Params(Network::REGTEST), chain_options);
        ASSERT_TRUE(opened) << opened.error_message();
        m_chainstate = std::move(*opened);
        m_pool = std::make_unique<Mempool>(*m_chainstate, MempoolOptions{});
        for (int i = 0; i < 105; ++i) MineBlock({});

        ConnmanOptions options;
        options.magic = test::Magic();
        options.default_port = 1;
        options.use_addrman_outgoing = false;
        options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_NONE, true});
        options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_MEMPOOL, true});
        options.peer_connect_timeout = 600;
        m_connman = std::make_unique<ConnectionManager>(std::move(options), m_clock);
        PeerManagerOptions peer_options;
        peer_options.best_height = [] { return int64_t{105}; };
        m_peerman = std::make_unique<PeerManager>(*m_connman, m_clock, std::move(peer_options));
        TxRelayOptions relay_options;
        relay_options.now = [this] { return std::chrono::microseconds{m_now_us.load()}; };
        relay_options.random_seed = std::array<uint8_t, 32>{7};
        m_relay = std::make_unique<TxRelay>(*m_chainstate, *m_pool, m_clock, std::move(relay_options));
        m_peerman->RegisterHandler(*m_relay);
        const auto started = m_connman->Start(*m_peerman);
        ASSERT_TRUE(started) << (started ? "" : started.error_message());
    }

    void TearDown() override
    {
        if (m_connman) m_connman->Stop();
        m_relay.reset();
        m_peerman.reset();
        m_connman.reset();
    }

    uint16_t Port() const { return m_connman->ListeningOn().at(0).port; }
    uint16_t MempoolPort() const { return m_connman->ListeningOn().at(1).port; }

    /** Moves the relay's clock far enough for every timer and delay. */
    void AdvanceTime() { m_now_us += std::chrono::microseconds{std::chrono::minutes{10}}.count(); }

    /** Handshake, with wtxidrelay before verack if asked; then two ping
     *  round trips, so the relay's first round for the peer is over. */
    static void Connect(RawPeer& peer, bool wtxid_relay = false)
    {
        VersionMsg version;
        version.nonce = 42;
        version.services = NODE_NETWORK;
        version.user_agent = "/raw/";
        peer.Send(version);
        ASSERT_TRUE(peer.ReadUntil(cmd::VERACK));
        if (wtxid_relay) peer.Send(WtxidRelayMsg{});
        peer.Send(VerackMsg{});
        ASSERT_TRUE(peer.Sync(1));
        ASSERT_TRUE(peer.Sync(2));
    }

    /** The id of the newest connection. */
    NodeId NewestPeer() const
    {
        NodeId newest{-1};
        for (const auto& stats : m_connman->GetNodeStats()) newest = std::max(newest, stats.conn.info.id);
        return newest;
    }

    /** Reads messages until one of `command` arrives, decoded. */
    template <typename M>
    static std::optional<M> ReadDecoded(RawPeer& peer, std::string_view command)
    {
        const auto message = peer.ReadUntil(command);
        if (!message) return std::nullopt;
        auto decoded = DecodeMessage(command, message->payload);
        if (!decoded) return std::nullopt;
        return std::get<M>(*decoded);
    }

    Destination Dest() const { return KeyDestination(m_key.GetXOnlyPubKey()); }

    void MineBlock(const std::vector<Transaction>& txs, Amount fees = 0)
    {
        m_block_time += 60;
        auto tmpl = CreateBlockTemplate(*m_chainstate, Dest(), txs, fees, m_block_time, m_extra_nonce++);
        ASSERT_TRUE(tmpl);
        auto block = hpips::MineBlock(*tmpl, m_chainstate->Params(), nullptr, nullptr, nullptr);
        ASSERT_TRUE(block && block->has_value());
        BlockValidationState state;
        ASSERT_TRUE(m_chainstate->ProcessNewBlock(**block, state)) << state.ToString();
    }

    std::pair<OutPoint, TxOut> Coinbase(int64_t height) const
    {
        const Block block = *m_chainstate->ReadBlock(*m_chainstate->GetBlockHashAt(height));
        return {OutPoint{block.txs[0].GetTxid(), 0}, block.txs[0].outputs()[0]};
    }

    /** A signed spend of `prevout` (worth `spent`) to one output, paying `fee`. */
    Transaction Spend(const OutPoint& prevout, const TxOut& spent, Amount fee) const
    {
        MutableTransaction mtx;
        mtx.inputs = {TxIn{prevout, SEQUENCE_FINAL, {}}};
        mtx.outputs = {TxOut{spent.amount - fee, Dest()}};
        const Transaction unsigned_tx{mtx};
        const auto pre = PrecomputedTxData::Compute(unsigned_tx, std::span{&spent, 1});
        const auto sig = m_key.SignSchnorr(SignatureHash(unsigned_tx, 0, *pre, Network::REGTEST),
                                           std::array<uint8_t, 32>{});
        mtx.inputs[0].witness.assign(sig.begin(), sig.end());
        return Transaction{mtx};
    }

    /** A transaction the pool refuses before looking at coins (policy:
     *  its lock time is far in the future); `n` makes each one distinct. */
    Transaction NonFinal(uint32_t n) const
    {
        MutableTransaction mtx;
        uint256 prev;
        prev.data()[0] = 0x77;
        mtx.inputs = {TxIn{OutPoint{prev, 0}, SEQUENCE_FINAL - 1, {}}};
        mtx.outputs = {TxOut{1'000, Dest()}};
        mtx.lock_time = 1'000'000 + n;
        return Transaction{mtx};
    }

    static uint256 Hash(uint32_t n)
    {
        uint256 hash;
        for (size_t i{0}; i < 4; ++i) hash.data()[i] = static_cast<uint8_t>(n >> (8 * i));
        hash.data()[31] = 0xab;
        return hash;
    }

    TempDir m_dir;
    int64_t m_block_time{Params(Network::REGTEST).genesis.header.time + 100};
    uint64_t m_extra_nonce{0};
    PrivKey m_key = *PrivKey::FromBytes(std::vector<uint8_t>(32, 0x22));
    std::unique_ptr<Chainstate> m_chainstate;
    std::unique_ptr<Mempool> m_pool;
    std::atomic<int64_t> m_now_us{1'000'000'000'000};
    NodeClock m_clock;
    std::unique_ptr<ConnectionManager> m_connman;
    std::unique_ptr<PeerManager> m_peerman;
    std::unique_ptr<TxRelay> m_relay;
};

TEST_F(TxRelayTest, AnnouncesOnTheTimerByWtxidOrTxidAndServesGetData)
{
    RawPeer by_wtxid{Port()};
    Connect(by_wtxid, /*wtxid_relay=*/true);
    const NodeId wtxid_id = NewestPeer();
    RawPeer by_txid{Port()};
    Connect(by_txid);
    const NodeId txid_id = NewestPeer();

    const auto [prevout, spent] = Coinbase(1);
    const Transaction tx = Spend(prevout, spent, 10'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(tx).Accepted());
    // Queued, not announced: the trickle's timer has not fired.
    EXPECT_EQ(m_relay->GetPeerStats(wtxid_id)->to_announce, 1u);
    EXPECT_EQ(m_relay->GetPeerStats(txid_id)->to_announce, 1u);
    // Before its announcement nobody gets it.
    by_txid.Send(GetDataMsg{{InvItem{MSG_TX, tx.GetTxid()}}});
    const auto withheld = ReadDecoded<NotFoundMsg>(by_txid, cmd::NOTFOUND);
    ASSERT_TRUE(withheld);
    EXPECT_EQ(withheld->items, (std::vector{InvItem{MSG_TX, tx.GetTxid()}}));

    AdvanceTime();
    const auto inv_w = ReadDecoded<InvMsg>(by_wtxid, cmd::INV);
    ASSERT_TRUE(inv_w);
    EXPECT_EQ(inv_w->items, (std::vector{InvItem{MSG_WTX, tx.GetWtxid()}}));
    const auto inv_t = ReadDecoded<InvMsg>(by_txid, cmd::INV);
    ASSERT_TRUE(inv_t);
    EXPECT_EQ(inv_t->items, (std::vector{InvItem{MSG_TX, tx.GetTxid()}}));
    EXPECT_EQ(m_relay->GetPeerStats(wtxid_id)->to_announce, 0u);

    by_wtxid.Send(GetDataMsg{{InvItem{MSG_WTX, tx.GetWtxid()}}});
    const auto served_w = ReadDecoded<TxMsg>(by_wtxid, cmd::TX);
    ASSERT_TRUE(served_w);
    EXPECT_EQ(*served_w->tx, tx);
    by_txid.Send(GetDataMsg{{InvItem{MSG_TX, tx.GetTxid()}}});
    const auto served_t = ReadDecoded<TxMsg>(by_txid, cmd::TX);
    ASSERT_TRUE(served_t);
    EXPECT_EQ(*served_t->tx, tx);
    // Announced once only, however often the timer fires.
    AdvanceTime();
    ASSERT_TRUE(by_txid.Sync(3));
    ASSERT_TRUE(by_txid.Sync(4));
    EXPECT_EQ(m_relay->GetPeerStats(txid_id)->to_announce, 0u);
}

TEST_F(TxRelayTest, GetDataForAnUnknownTransactionGetsNotFound)
{
    RawPeer peer{Port()};
    Connect(peer);
    const std::vector<InvItem> unknown{{MSG_TX, Hash(1)}, {MSG_WTX, Hash(2)}};
    peer.Send(GetDataMsg{unknown});
    const auto notfound = ReadDecoded<NotFoundMsg>(peer, cmd::NOTFOUND);
    ASSERT_TRUE(notfound);
    EXPECT_EQ(notfound->items, unknown);
    // A getdata of only non-transaction entries is for another handler.
    peer.Send(GetDataMsg{{InvItem{MSG_BLOCK, Hash(3)}}});
    EXPECT_TRUE(peer.Sync());
}

TEST_F(TxRelayTest, AnnouncementsAndRequestsPerPeerAreCapped)
{
    RawPeer peer{Port()};
    Connect(peer);
    const NodeId id = NewestPeer();
    // One more announcement than a peer may have tracked: dropped, not punished.
    std::vector<InvItem> items;
    for (uint32_t i{0}; i < MAX_PEER_TX_ANNOUNCEMENTS + 1; ++i) items.push_back(InvItem{MSG_TX, Hash(i)});
    peer.Send(InvMsg{items});
    ASSERT_TRUE(peer.Sync());
    auto stats = m_relay->GetPeerStats(id);
    ASSERT_TRUE(stats);
    EXPECT_EQ(stats->announcements, MAX_PEER_TX_ANNOUNCEMENTS);
    EXPECT_EQ(stats->announcements_dropped, 1u);
    EXPECT_EQ(stats->in_flight, 0u);  // an inbound announcer waits NONPREF_PEER_TX_DELAY
    EXPECT_EQ(m_relay->DownloadCount(), MAX_PEER_TX_ANNOUNCEMENTS);

    // Past the delay: at most MAX_PEER_TX_REQUEST_IN_FLIGHT requests at once,
    // each of an announced hash, none twice.
    const std::set<uint256> announced = [&] {
        std::set<uint256> hashes;
        for (const InvItem& item : items) hashes.insert(item.hash);
        return hashes;
    }();
    std::set<uint256> requested;
    const auto expect_batch = [&](const std::optional<GetDataMsg>& getdata) {
        ASSERT_TRUE(getdata);
        EXPECT_EQ(getdata->items.size(), MAX_PEER_TX_REQUEST_IN_FLIGHT);
        for (const InvItem& item : getdata->items) {
            EXPECT_EQ(item.type, MSG_TX);
            EXPECT_EQ(announced.count(item.hash), 1u);
            EXPECT_TRUE(requested.insert(item.hash).second);
        }
    };
    AdvanceTime();
    const auto getdata = ReadDecoded<GetDataMsg>(peer, cmd::GETDATA);
    ASSERT_TRUE(getdata);
    expect_batch(getdata);
    EXPECT_EQ(m_relay->GetPeerStats(id)->in_flight, MAX_PEER_TX_REQUEST_IN_FLIGHT);

    // notfound frees the slots: the next ones are requested.
    peer.Send(NotFoundMsg{getdata->items});
    expect_batch(ReadDecoded<GetDataMsg>(peer, cmd::GETDATA));
    stats = m_relay->GetPeerStats(id);
    EXPECT_EQ(stats->in_flight, MAX_PEER_TX_REQUEST_IN_FLIGHT);
    EXPECT_EQ(stats->announcements, MAX_PEER_TX_ANNOUNCEMENTS - MAX_PEER_TX_REQUEST_IN_FLIGHT);
    // Unanswered requests expire (GETDATA_TX_INTERVAL) and are dropped.
    AdvanceTime();
    expect_batch(ReadDecoded<GetDataMsg>(peer, cmd::GETDATA));
    EXPECT_EQ(m_relay->GetPeerStats(id)->announcements, MAX_PEER_TX_ANNOUNCEMENTS - 2 * MAX_PEER_TX_REQUEST_IN_FLIGHT);
    // Its announcements go with the peer.
    peer.Close();
    EXPECT_TRUE(WaitFor([&] { return !m_relay->GetPeerStats(id) && m_relay->DownloadCount() == 0; }));
}

TEST_F(TxRelayTest, RecentRejectsAreBoundedAndForgottenWhenTheTipMoves)
{
    RawPeer peer{Port()};
    Connect(peer, /*wtxid_relay=*/true);
    const NodeId id = NewestPeer();
    // One more rejected transaction than remembered: the oldest is forgotten.
    std::vector<uint8_t> frames;
    for (uint32_t n{0}; n <= MAX_RECENT_REJECTS; ++n) {
        const auto frame = BuildFrame(test::Magic(), cmd::TX,
                                      EncodePayload(TxMsg{std::make_shared<const Transaction>(NonFinal(n))}));
        frames.insert(frames.end(), frame.begin(), frame.end());
    }
    peer.SendRaw(frames);
    ASSERT_TRUE(peer.Sync());
    EXPECT_EQ(m_relay->RecentRejectCount(), MAX_RECENT_REJECTS);
    EXPECT_EQ(m_pool->Size(), 0u);
    EXPECT_EQ(m_relay->GetPeerStats(id)->unrequested_txs, MAX_RECENT_REJECTS + 1);
    // A remembered reject is not fetched again; the forgotten one is.
    peer.Send(InvMsg{{InvItem{MSG_WTX, NonFinal(MAX_RECENT_REJECTS).GetWtxid()}}});
    ASSERT_TRUE(peer.Sync());
    EXPECT_EQ(m_relay->GetPeerStats(id)->announcements, 0u);
    peer.Send(InvMsg{{InvItem{MSG_WTX, NonFinal(0).GetWtxid()}}});
    ASSERT_TRUE(peer.Sync());
    EXPECT_EQ(m_relay->GetPeerStats(id)->announcements, 1u);
    // A new tip can make a rejected transaction valid: all are forgotten.
    MineBlock({});
    peer.Send(InvMsg{{InvItem{MSG_WTX, NonFinal(1).GetWtxid()}}});
    ASSERT_TRUE(peer.Sync());
    EXPECT_EQ(m_relay->RecentRejectCount(), 0u);
    EXPECT_EQ(m_relay->GetPeerStats(id)->announcements, 2u);
    // Announcements of the other kind (txid from a wtxidrelay peer) are ignored.
    peer.Send(InvMsg{{InvItem{MSG_TX, Hash(9)}}});
    ASSERT_TRUE(peer.Sync());
    EXPECT_EQ(m_relay->GetPeerStats(id)->announcements, 2u);
}

TEST_F(TxRelayTest, AnInvalidTransactionDisconnectsAndDiscourages)
{
    RawPeer peer{Port()};
    Connect(peer);
    MutableTransaction no_outputs = NonFinal(0).fields();
    no_outputs.outputs.clear();
    peer.Send(TxMsg{std::make_shared<const Transaction>(Transaction{no_outputs})});
    EXPECT_TRUE(peer.WaitClosed());
    EXPECT_TRUE(WaitFor([&] { return m_connman->GetBanMan().IsDiscouraged(NetAddr::FromIPv4(127, 0, 0, 1)); }));
}

TEST_F(TxRelayTest, MempoolMessageNeedsThePermission)
{
    const auto [prevout, spent] = Coinbase(2);
    const Transaction tx = Spend(prevout, spent, 10'000);
    ASSERT_TRUE(m_pool->AcceptToMemoryPool(tx).Accepted());
    {
        RawPeer allowed{MempoolPort()};
        Connect(allowed);
        allowed.Send(MempoolMsg{});
        const auto inv = ReadDecoded<InvMsg>(allowed, cmd::INV);
        ASSERT_TRUE(inv);
        EXPECT_EQ(inv->items, (std::vector{InvItem{MSG_TX, tx.GetTxid()}}));
        // Announced by the answer: getdata is served at once.
        allowed.Send(GetDataMsg{{InvItem{MSG_TX, tx.GetTxid()}}});
        ASSERT_TRUE(ReadDecoded<TxMsg>(allowed, cmd::TX));
    }
    RawPeer refused{Port()};
    Connect(refused);
    refused.Send(MempoolMsg{});
    EXPECT_TRUE(refused.WaitClosed());
    // Disconnected, not discouraged (as Core).
    EXPECT_FALSE(m_connman->GetBanMan().IsDiscouraged(NetAddr::FromIPv4(127, 0, 0, 1)));
}

TEST_F(TxRelayTest, OrphansFetchTheirParentsFromTheSenderAndLeaveWithIt)
{
    RawPeer peer{Port()};
    Connect(peer);
    const auto [prevout, spent] = Coinbase(3);
    const Transaction parent = Spend(prevout, spent, 10'000);
    const Transaction child = Spend(OutPoint{parent.GetTxid(), 0}, parent.outputs()[0], 10'000);
    peer.Send(TxMsg{std::make_shared<const Transaction>(child)});
    // The sender has the parent: it is asked for it, by txid, at once.
    const auto getdata = ReadDecoded<GetDataMsg>(peer, cmd::GETDATA);
    ASSERT_TRUE(getdata);
    EXPECT_EQ(getdata->items, (std::vector{InvItem{MSG_TX, parent.GetTxid()}}));
    EXPECT_EQ(m_pool->OrphanCount(), 1u);
    peer.Send(TxMsg{std::make_shared<const Transaction>(parent)});
    ASSERT_TRUE(peer.Sync());
    EXPECT_TRUE(m_pool->Exists(parent.GetTxid()));
    EXPECT_TRUE(m_pool->Exists(child.GetTxid()));
    EXPECT_EQ(m_pool->OrphanCount(), 0u);
    EXPECT_EQ(m_relay->GetPeerStats(NewestPeer())->in_flight, 0u);

    // An orphan whose sender leaves goes with it.
    const auto [p4, s4] = Coinbase(4);
    const Transaction parent2 = Spend(p4, s4, 10'000);
    peer.Send(TxMsg{std::make_shared<const Transaction>(
        Spend(OutPoint{parent2.GetTxid(), 0}, parent2.outputs()[0], 10'000))});
    ASSERT_TRUE(peer.ReadUntil(cmd::GETDATA));
    EXPECT_EQ(m_pool->OrphanCount(), 1u);
    peer.Close();
    EXPECT_TRUE(WaitFor([&] { return m_pool->OrphanCount() == 0; }));
}

}  // namespace
}  // namespace hpips::net
