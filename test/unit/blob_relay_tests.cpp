// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// net/blob_relay: the blob message's proof format, serving getblob from a real
// BlobStore, and fetching into it from a raw test peer over loopback —
// including the violations (bad proof, unrequested chunk) and a timeout
// driven by the node clock's mock time.
#include <net/blob_relay.h>

#include "chain_test_util.h"
#include "net_test_util.h"

#include <gtest/gtest.h>

#include <random>

namespace hpips::net {
namespace {

using test::RawPeer;
using hpips::test::TempDir;
using test::WaitFor;

std::vector<uint8_t> RandomBytes(size_t n, uint64_t seed)
{
    std::mt19937_64 rng{seed};
    std::vector<uint8_t> out(n);
    for (auto& b : out) b = static_cast<uint8_t>(rng());
    return out;
}

/** A 2.5 MiB blob: three chunks, the last one half full. */
const std::vector<uint8_t>& TestBlob()
{
    static const auto blob = RandomBytes(2 * (size_t{1} << 20) + (size_t{1} << 19), 7);
    return blob;
}

/** The blob message a peer holding `blob` sends for chunk `index`. */
BlobMsg ChunkMessage(const std::vector<uint8_t>& blob, uint32_t index)
{
    const auto id = ComputeBlobId(blob).value();
    const uint64_t offset = BlobChunkOffset(index);
    const uint64_t length = BlobChunkLength(blob.size(), index);
    BlobChunk chunk{std::vector<uint8_t>(blob.begin() + static_cast<ptrdiff_t>(offset),
                                         blob.begin() + static_cast<ptrdiff_t>(offset + length)),
                    ChunkProof(blob, index).value()};
    return MakeBlobMsg(id, blob.size(), index, std::move(chunk));
}

TEST(BlobRelayTest, MessageCarriesTheMerkleProof)
{
    const auto& blob = TestBlob();
    const auto id = ComputeBlobId(blob).value();
    for (uint32_t i{0}; i < 3; ++i) {
        const BlobMsg msg = ChunkMessage(blob, i);
        EXPECT_EQ(msg.chunk_index, i);
        EXPECT_EQ(msg.chunk_count, 3u);
        EXPECT_EQ(BlobMsgProof(msg), ChunkProof(blob, i).value());
        EXPECT_TRUE(VerifyBlobMsg(msg));
        // Encoded and decoded, it is the same message and still verifies.
        auto decoded = DecodeMessage(cmd::BLOB, EncodePayload(msg));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(std::get<BlobMsg>(*decoded), msg);
        EXPECT_EQ(msg.blob_id, id);
    }
    BlobMsg flipped = ChunkMessage(blob, 1);
    flipped.data[5] ^= 1;
    EXPECT_EQ(VerifyBlobMsg(flipped).error().failure, BlobFailure::BAD_PROOF);
    BlobMsg wrong_count = ChunkMessage(blob, 1);
    wrong_count.chunk_count = 4;
    EXPECT_EQ(VerifyBlobMsg(wrong_count).error().failure, BlobFailure::BAD_PROOF);
    BlobMsg wrong_size = ChunkMessage(blob, 2);
    wrong_size.blob_size += 1;
    EXPECT_FALSE(VerifyBlobMsg(wrong_size));
    BlobMsg short_proof = ChunkMessage(blob, 0);
    short_proof.proof.pop_back();
    EXPECT_EQ(VerifyBlobMsg(short_proof).error().failure, BlobFailure::BAD_PROOF);
}

/** A node's network with a blob store and the relay registered. */
struct RelayNode {
    RelayNode()
    {
        store = BlobStore::Open(BlobStoreOptions{.dir = dir.path() / "blobs"}).value();
        ConnmanOptions options;
        options.magic = test::Magic();
        options.default_port = 1;
        options.use_addrman_outgoing = false;
        options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_NONE, true});
        options.peer_connect_timeout = 600;
        connman = std::make_unique<ConnectionManager>(std::move(options), clock);
        PeerManagerOptions peer_options;
        peer_options.local_services = NODE_NETWORK | NODE_BLOBS;
        peerman = std::make_unique<PeerManager>(*connman, clock, std::move(peer_options));
        relay = std::make_unique<BlobRelay>(*peerman, *store, clock);
        peerman->RegisterHandler(*relay);
        const auto started = connman->Start(*peerman);
        EXPECT_TRUE(started);
    }
    ~RelayNode()
    {
        connman->Stop();
        relay.reset();
        peerman.reset();
        connman.reset();
    }
    uint16_t Port() const { return connman->ListeningOn().at(0).port; }
    bool Discouraged(const std::string& ip) const { return connman->GetBanMan().IsDiscouraged(*ParseNetAddr(ip)); }

    TempDir dir;
    NodeClock clock;
    std::unique_ptr<BlobStore> store;
    std::unique_ptr<ConnectionManager> connman;
    std::unique_ptr<PeerManager> peerman;
    std::unique_ptr<BlobRelay> relay;
};

/** A raw peer that announces NODE_BLOBS and has completed the handshake. */
std::unique_ptr<RawPeer> BlobPeer(uint16_t port, const std::string& source)
{
    auto peer = std::make_unique<RawPeer>(port, source);
    VersionMsg version;
    version.nonce = 4242;
    version.services = NODE_NETWORK | NODE_BLOBS;
    version.user_agent = "/blobpeer/";
    peer->Send(version);
    EXPECT_TRUE(peer->ReadUntil(cmd::VERACK));
    peer->Send(VerackMsg{});
    EXPECT_TRUE(peer->Sync());
    return peer;
}

template <typename T>
T ReadAs(RawPeer& peer, std::string_view command)
{
    const auto message = peer.ReadUntil(command);
    EXPECT_TRUE(message) << command;
    if (!message) return T{};
    auto decoded = DecodeMessage(command, message->payload);
    EXPECT_TRUE(decoded);
    return decoded ? std::get<T>(*decoded) : T{};
}

NodeId OnlyPeerId(const RelayNode& node)
{
    const auto stats = node.connman->GetNodeStats();
    EXPECT_EQ(stats.size(), 1u);
    return stats.empty() ? -1 : stats.front().conn.info.id;
}

TEST(BlobRelayTest, ServesChunksWithProofsAndNotFound)
{
    RelayNode node;
    const auto& blob = TestBlob();
    const auto info = node.store->Put(blob, true);
    ASSERT_TRUE(info);
    auto peer = BlobPeer(node.Port(), "127.0.3.1");
    peer->Send(GetBlobMsg{info->id, 0, 3});
    for (uint32_t i{0}; i < 3; ++i) {
        const auto msg = ReadAs<BlobMsg>(*peer, cmd::BLOB);
        EXPECT_EQ(msg, ChunkMessage(blob, i));
        EXPECT_TRUE(VerifyBlobMsg(msg));
    }
    // A blob we lack, and a range beyond the blob's chunks: notfound {MSG_BLOB, id}.
    const uint256 unknown{std::array<uint8_t, 32>{1, 2, 3}};
    peer->Send(GetBlobMsg{unknown, 0, 1});
    EXPECT_EQ(ReadAs<NotFoundMsg>(*peer, cmd::NOTFOUND).items, (std::vector<InvItem>{{MSG_BLOB, unknown}}));
    peer->Send(GetBlobMsg{info->id, 2, 2});
    EXPECT_EQ(ReadAs<NotFoundMsg>(*peer, cmd::NOTFOUND).items, (std::vector<InvItem>{{MSG_BLOB, info->id}}));
    EXPECT_TRUE(peer->Sync());
    EXPECT_FALSE(node.Discouraged("127.0.3.1"));
}

TEST(BlobRelayTest, FetchesVerifiesAndStores)
{
    RelayNode node;
    const auto& blob = TestBlob();
    const auto id = ComputeBlobId(blob).value();
    EXPECT_EQ(node.relay->FetchBlob(id).error().failure, BlobFetchFailure::NO_PEERS);
    auto peer = BlobPeer(node.Port(), "127.0.3.2");
    EXPECT_EQ(node.relay->FetchBlob(id, OnlyPeerId(node) + 100).error().failure, BlobFetchFailure::NO_SUCH_PEER);
    const auto started = node.relay->FetchBlob(id);
    ASSERT_TRUE(started);
    EXPECT_EQ(started->state, BlobFetchState::SEARCHING);
    // Searching: chunk 0 first, which tells the size.
    const auto first = ReadAs<GetBlobMsg>(*peer, cmd::GETBLOB);
    EXPECT_EQ(first, (GetBlobMsg{id, 0, 1}));
    peer->Send(ChunkMessage(blob, 0));
    // Then the rest, in one request (within the in-flight limit).
    const auto rest = ReadAs<GetBlobMsg>(*peer, cmd::GETBLOB);
    EXPECT_EQ(rest, (GetBlobMsg{id, 1, 2}));
    const auto during = node.relay->GetFetch(id);
    ASSERT_TRUE(during);
    EXPECT_EQ(during->state, BlobFetchState::DOWNLOADING);
    EXPECT_EQ(during->size, blob.size());
    EXPECT_EQ(node.store->GetInfo(id)->received, 1u);
    peer->Send(ChunkMessage(blob, 1));
    peer->Send(ChunkMessage(blob, 2));
    ASSERT_TRUE(WaitFor([&] { return node.store->Has(id); }));
    const auto done = node.relay->GetFetch(id);
    ASSERT_TRUE(done);
    EXPECT_EQ(done->state, BlobFetchState::COMPLETE);
    EXPECT_EQ(done->received, 3u);
    EXPECT_EQ(done->sources.size(), 1u);
    for (uint32_t i{0}; i < 3; ++i) EXPECT_EQ(node.store->GetChunk(id, i).value().data, ChunkMessage(blob, i).data);
    // Already stored: complete at once.
    EXPECT_EQ(node.relay->FetchBlob(id)->state, BlobFetchState::COMPLETE);
    EXPECT_TRUE(peer->Sync());
}

TEST(BlobRelayTest, BadProofDisconnectsAndDiscourages)
{
    RelayNode node;
    const auto& blob = TestBlob();
    const auto id = ComputeBlobId(blob).value();
    auto peer = BlobPeer(node.Port(), "127.0.3.3");
    ASSERT_TRUE(node.relay->FetchBlob(id));
    EXPECT_EQ(ReadAs<GetBlobMsg>(*peer, cmd::GETBLOB), (GetBlobMsg{id, 0, 1}));
    BlobMsg bad = ChunkMessage(blob, 0);
    bad.data[100] ^= 0x80;
    peer->Send(bad);
    EXPECT_TRUE(peer->WaitClosed());
    EXPECT_TRUE(WaitFor([&] { return node.Discouraged("127.0.3.3"); }));
    // Nothing of it was stored, and with no peer left the fetch failed.
    EXPECT_FALSE(node.store->GetInfo(id));
    EXPECT_TRUE(WaitFor([&] { return node.relay->GetFetch(id)->state == BlobFetchState::FAILED; }));
}

TEST(BlobRelayTest, UnrequestedChunkDisconnectsAndDiscourages)
{
    RelayNode node;
    auto peer = BlobPeer(node.Port(), "127.0.3.4");
    // A perfectly valid chunk nobody asked for.
    peer->Send(ChunkMessage(TestBlob(), 1));
    EXPECT_TRUE(peer->WaitClosed());
    EXPECT_TRUE(WaitFor([&] { return node.Discouraged("127.0.3.4"); }));
    EXPECT_TRUE(node.store->List().empty());
}

TEST(BlobRelayTest, NotFoundFailsTheFetch)
{
    RelayNode node;
    const auto id = ComputeBlobId(TestBlob()).value();
    auto peer = BlobPeer(node.Port(), "127.0.3.5");
    ASSERT_TRUE(node.relay->FetchBlob(id));
    EXPECT_EQ(ReadAs<GetBlobMsg>(*peer, cmd::GETBLOB), (GetBlobMsg{id, 0, 1}));
    peer->Send(NotFoundMsg{{InvItem{MSG_BLOB, id}}});
    ASSERT_TRUE(WaitFor([&] { return node.relay->GetFetch(id)->state == BlobFetchState::FAILED; }));
    EXPECT_NE(node.relay->GetFetch(id)->error.find("not found"), std::string::npos);
    EXPECT_TRUE(peer->Sync());
    EXPECT_FALSE(node.Discouraged("127.0.3.5"));
}

TEST(BlobRelayTest, TimeoutMovesOnAndALateAnswerIsWelcome)
{
    RelayNode node;
    node.clock.SetMockTime(1'700'000'000);
    const auto& blob = TestBlob();
    const auto id = ComputeBlobId(blob).value();
    auto peer = BlobPeer(node.Port(), "127.0.3.6");
    ASSERT_TRUE(node.relay->FetchBlob(id));
    EXPECT_EQ(ReadAs<GetBlobMsg>(*peer, cmd::GETBLOB), (GetBlobMsg{id, 0, 1}));
    EXPECT_EQ(node.relay->GetFetch(id)->in_flight, 1u);
    node.clock.SetMockTime(1'700'000'000 + BLOB_REQUEST_TIMEOUT);
    // The only peer timed out: nobody is left to ask.
    ASSERT_TRUE(WaitFor([&] { return node.relay->GetFetch(id)->state == BlobFetchState::FAILED; }));
    EXPECT_NE(node.relay->GetFetch(id)->error.find("not found"), std::string::npos);
    // The answer arrives late: still a requested chunk, not a violation.
    peer->Send(ChunkMessage(blob, 0));
    EXPECT_TRUE(peer->Sync());
    EXPECT_FALSE(node.Discouraged("127.0.3.6"));
}

TEST(BlobRelayTest, TooManyFetches)
{
    RelayNode node;
    auto peer = BlobPeer(node.Port(), "127.0.3.7");
    for (size_t i{0}; i < MAX_BLOB_FETCHES; ++i) {
        ASSERT_TRUE(node.relay->FetchBlob(ComputeBlobId(RandomBytes(10, i)).value()));
    }
    // One more than allowed.
    const auto refused = node.relay->FetchBlob(ComputeBlobId(RandomBytes(10, 99)).value());
    ASSERT_FALSE(refused);
    EXPECT_EQ(refused.error().failure, BlobFetchFailure::TOO_MANY);
    // Asking again for a running one returns its status.
    EXPECT_TRUE(node.relay->FetchBlob(ComputeBlobId(RandomBytes(10, 0)).value()));
}

}  // namespace
}  // namespace hpips::net
