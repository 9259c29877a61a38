// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The node's P2P message handling, driven by a fake peer over a real socket:
// a ConnectionManager and PeerManager listening on 127.0.0.1 with BlockSync
// registered (as init.cpp sets them up), against a real regtest chainstate in
// a temporary directory. Each input is one inbound connection that sends the
// input's messages, then a ping; the node must answer the ping or close the
// connection (a disconnect is a valid outcome), never crash, hang or send a
// frame that does not parse. Afterwards the chain must be intact: its tip at
// least as high as before and one of the blocks this file mined (an input can
// deliver the valid blocks mined beyond the tip, but nothing else can be a
// valid block).
//
// The node is built once per process. Whenever an input left the block tree
// different from the starting one (a new tip, headers, an invalid mark), it
// is torn down and built again from the same blocks, so every input starts
// from the same chain and findings reproduce from one input.
//
// Input:
//   byte 0: flags. bit 0: connect to the listener with the noban permission
//           (unrequested blocks and misbehaviour take other paths); bit 1:
//           skip the version handshake (the messages come before version).
//   then records, each starting with a selector byte:
//     < COMMANDS.size()  that command, a 3-byte little-endian length (cut to
//                        what is left), the payload; framed with the right
//                        magic and checksum.
//     KNOWN_*            a message about the mined blocks (getheaders from
//                        a block, headers of a range, inv, getdata, notfound,
//                        a block), then a patch: 2-byte offset, 1-byte length,
//                        bytes XORed into the payload from that offset
//                        (wrapping), so mutations reach valid-looking blocks.
//     RAW_COMMAND        12 bytes of command field (any bytes), a 3-byte
//                        length, the payload; right magic and checksum.
//     RAW_BYTES          a 2-byte length and bytes sent as they are.
//     anything else      the command at selector % COMMANDS.size().
// Between connections the discouragement of 127.0.0.1 is cleared, so the
// next input is not refused.
#include <chain/blob_store.h>
#include <chain/chainstate.h>
#include <chain/mempool.h>
#include <consensus/params.h>
#include <consensus/validation_state.h>
#include <crypto/key.h>
#include <mining/block_assembler.h>
#include <mining/miner.h>
#include <net/blob_relay.h>
#include <net/block_sync.h>
#include <net/connman.h>
#include <net/framing.h>
#include <net/messages.h>
#include <net/net_permissions.h>
#include <net/net_processing.h>
#include <net/protocol.h>
#include <net/tx_relay.h>
#include <primitives/destination.h>
#include <util/clock.h>
#include <util/logging.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <thread>
#include <utility>
#include <vector>

namespace {

using namespace hpips;
using namespace hpips::net;

/** Blocks mined and connected before the first input. */
constexpr int CONNECTED_BLOCKS = 4;
/** Valid blocks mined on top of those but not given to the node: an input
 *  may deliver them (the only way the tip can move). */
constexpr int SPARE_BLOCKS = 2;
/** How long the node may take to answer the final ping or close: far above
 *  any honest processing time of one input, so passing it means a hang. */
constexpr auto ANSWER_TIMEOUT = std::chrono::seconds{60};
/** Nonce of the final ping (the node's own pings carry others). */
constexpr uint64_t FINAL_PING_NONCE = 0x6675'7a7a'7069'6e67;

constexpr std::array<std::string_view, 19> COMMANDS{
    cmd::VERSION,  cmd::VERACK,     cmd::PING,    cmd::PONG,    cmd::SENDHEADERS, cmd::FEEFILTER, cmd::WTXIDRELAY,
    cmd::ADDR,     cmd::GETADDR,    cmd::GETHEADERS, cmd::HEADERS, cmd::INV,      cmd::GETDATA,   cmd::NOTFOUND,
    cmd::TX,       cmd::BLOCK,      cmd::GETBLOB, cmd::BLOB,    cmd::MEMPOOL,
};
constexpr uint8_t KNOWN_GETHEADERS = 0xf0;
constexpr uint8_t KNOWN_HEADERS = 0xf1;
constexpr uint8_t KNOWN_INV = 0xf2;
constexpr uint8_t KNOWN_GETDATA = 0xf3;
constexpr uint8_t KNOWN_NOTFOUND = 0xf4;
constexpr uint8_t KNOWN_BLOCK = 0xf5;
constexpr uint8_t RAW_COMMAND = 0xfe;
constexpr uint8_t RAW_BYTES = 0xff;

constexpr uint8_t FLAG_NOBAN = 1u << 0;
constexpr uint8_t FLAG_NO_HANDSHAKE = 1u << 1;

[[noreturn]] void Fail(const char* what)
{
    std::fprintf(stderr, "p2p_message_handler: %s\n", what);
    std::abort();
}

/** Reads the input front to back; past the end every read yields zeros. */
class InputReader {
public:
    explicit InputReader(std::span<const uint8_t> data) : m_data{data} {}
    bool Empty() const { return m_data.empty(); }
    uint8_t Byte()
    {
        if (m_data.empty()) return 0;
        const uint8_t b = m_data.front();
        m_data = m_data.subspan(1);
        return b;
    }
    uint32_t Uint(size_t bytes)
    {
        uint32_t v{0};
        for (size_t i = 0; i < bytes; ++i) v |= uint32_t{Byte()} << (8 * i);
        return v;
    }
    std::span<const uint8_t> Bytes(size_t n)
    {
        const auto out = m_data.first(std::min(n, m_data.size()));
        m_data = m_data.subspan(out.size());
        return out;
    }

private:
    std::span<const uint8_t> m_data;
};

/** Magic, a raw command field, length, checksum, payload. */
std::vector<uint8_t> FrameWithField(const std::array<uint8_t, 4>& magic, std::span<const uint8_t> field,
                                    std::span<const uint8_t> payload)
{
    std::vector<uint8_t> frame(magic.begin(), magic.end());
    for (size_t i = 0; i < COMMAND_SIZE; ++i) frame.push_back(i < field.size() ? field[i] : 0);
    const auto size = static_cast<uint32_t>(payload.size());
    for (size_t i = 0; i < 4; ++i) frame.push_back(static_cast<uint8_t>(size >> (8 * i)));
    const auto checksum = PayloadChecksum(payload);
    frame.insert(frame.end(), checksum.begin(), checksum.end());
    frame.insert(frame.end(), payload.begin(), payload.end());
    return frame;
}

/** The blocks every node instance is built from, mined once per process in a
 *  scratch chainstate with a fixed clock and key, so they are the same in
 *  every run: genesis, CONNECTED_BLOCKS, then SPARE_BLOCKS. */
struct MinedChain {
    std::vector<Block> blocks;
    int64_t last_time{0};
};

std::unique_ptr<Chainstate> OpenChainstate(const std::filesystem::path& dir, const NodeClock& clock)
{
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    ChainstateOptions options;
    options.datadir = dir;
    options.coins_cache_bytes = 1 << 20;
    options.script_check_threads = 1;
    options.now = [&clock] { return clock.Now(); };
    options.fatal_error = [](const std::string& message) {
        std::fprintf(stderr, "chainstate fatal error: %s\n", message.c_str());
        std::abort();
    };
    auto opened = Chainstate::Open(Params(Network::REGTEST), std::move(options));
    if (!opened) Fail("cannot open the chainstate");
    return std::move(*opened);
}

MinedChain MineChain(const std::filesystem::path& dir)
{
    const auto& params = Params(Network::REGTEST);
    NodeClock clock;
    int64_t now = params.genesis.header.time + 1000;
    clock.SetMockTime(now);
    MinedChain chain;
    auto chainstate = OpenChainstate(dir, clock);
    const auto key = PrivKey::FromBytes(std::vector<uint8_t>(32, 0x42));
    if (!key) Fail("bad key");
    const Destination payout = KeyDestination(key->GetXOnlyPubKey());
    chain.blocks.push_back(params.genesis);
    for (int i = 0; i < CONNECTED_BLOCKS + SPARE_BLOCKS; ++i) {
        now += 60;
        clock.SetMockTime(now);
        auto tmpl = CreateBlockTemplate(*chainstate, payout, {}, 0, now);
        if (!tmpl) Fail("cannot create a block template");
        auto mined = MineBlock(*tmpl, params, nullptr, nullptr, nullptr);
        if (!mined || !mined->has_value()) Fail("cannot mine a regtest block");
        BlockValidationState state;
        if (!chainstate->ProcessNewBlock(**mined, state)) Fail("a mined block is invalid");
        chain.blocks.push_back(std::move(**mined));
    }
    chain.last_time = now;
    chainstate.reset();
    std::filesystem::remove_all(dir);
    return chain;
}

/** One node: chainstate, connection manager, peer manager and every
 *  protocol handler (block sync, blob relay, tx relay over a mempool). */
class Node {
public:
    Node(const std::filesystem::path& dir, const MinedChain& chain)
    {
        // The clock stays at the last spare block's time: every mined block is
        // in its past, nothing the node times by it expires during a run.
        m_clock.SetMockTime(chain.last_time);
        m_chainstate = OpenChainstate(dir, m_clock);
        for (int i = 1; i <= CONNECTED_BLOCKS; ++i) {
            BlockValidationState state;
            if (!m_chainstate->ProcessNewBlock(chain.blocks[i], state)) Fail("cannot connect a mined block");
        }

        ConnmanOptions options;
        options.magic = Params(Network::REGTEST).message_start;
        options.default_port = Params(Network::REGTEST).default_port;
        options.use_addrman_outgoing = false;
        options.io_threads = 1;
        options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_NONE, true});
        options.listen_on.push_back({Service{NetAddr::FromIPv4(127, 0, 0, 1), 0}, PF_NOBAN, true});
        m_connman = std::make_unique<ConnectionManager>(std::move(options), m_clock);
        PeerManagerOptions peer_options;
        peer_options.best_height = [this] { return m_chainstate->Height(); };
        peer_options.random_seed = std::array<uint8_t, 32>{};
        m_peerman = std::make_unique<PeerManager>(*m_connman, m_clock, std::move(peer_options));
        // Every handler init.cpp registers, in its order.
        m_block_sync = std::make_unique<BlockSync>(*m_chainstate, *m_peerman, *m_connman, m_clock);
        m_peerman->RegisterHandler(*m_block_sync);
        auto store = BlobStore::Open(BlobStoreOptions{.dir = dir / "blobs", .quota = 64 << 20});
        if (!store) Fail("cannot open the blob store");
        m_blob_store = std::move(*store);
        m_blob_relay = std::make_unique<BlobRelay>(*m_peerman, *m_blob_store, m_clock);
        m_peerman->RegisterHandler(*m_blob_relay);
        m_mempool = std::make_unique<Mempool>(*m_chainstate, MempoolOptions{});
        TxRelayOptions tx_options;
        tx_options.random_seed = std::array<uint8_t, 32>{};
        m_tx_relay = std::make_unique<TxRelay>(*m_chainstate, *m_mempool, m_clock, tx_options);
        m_peerman->RegisterHandler(*m_tx_relay);
        if (!m_connman->Start(*m_peerman)) Fail("cannot start the connection manager");
        const auto listening = m_connman->ListeningOn();
        if (listening.size() != 2) Fail("expected two listening sockets");
        m_ports = {listening[0].port, listening[1].port};
        m_start_tips = Tips();
    }

    ~Node()
    {
        m_connman->Stop();
        m_tx_relay.reset();
        m_mempool.reset();
        m_blob_relay.reset();
        m_blob_store.reset();
        m_block_sync.reset();
        m_peerman.reset();
        m_connman.reset();
        m_chainstate.reset();
    }
    Node(const Node&) = delete;
    Node& operator=(const Node&) = delete;

    uint16_t Port(bool noban) const { return m_ports[noban ? 1 : 0]; }
    ConnectionManager& Connman() { return *m_connman; }
    Chainstate& Chain() { return *m_chainstate; }

    /** Every tip of the block tree with its status. */
    std::vector<std::pair<uint256, std::string>> Tips() const
    {
        std::vector<std::pair<uint256, std::string>> tips;
        for (const auto& tip : m_chainstate->GetChainTips()) tips.emplace_back(tip.hash, tip.status);
        std::sort(tips.begin(), tips.end());
        return tips;
    }
    /** The block tree is not the one the node started with. */
    bool Changed() const { return Tips() != m_start_tips || m_chainstate->HeadersOnlyCount() != 0; }

private:
    NodeClock m_clock;
    std::unique_ptr<Chainstate> m_chainstate;
    std::unique_ptr<ConnectionManager> m_connman;
    std::unique_ptr<PeerManager> m_peerman;
    std::unique_ptr<BlockSync> m_block_sync;
    std::unique_ptr<BlobStore> m_blob_store;
    std::unique_ptr<BlobRelay> m_blob_relay;
    std::unique_ptr<Mempool> m_mempool;
    std::unique_ptr<TxRelay> m_tx_relay;
    std::array<uint16_t, 2> m_ports{};
    std::vector<std::pair<uint256, std::string>> m_start_tips;
};

/** The process's node; rebuilt from the mined chain when an input changed it. */
class Harness {
public:
    Harness()
    {
        // Every input makes the node log; libFuzzer's own output must stay readable.
        GetLogger().SetPrintToConsole(false);
        std::filesystem::remove_all(m_root);
        m_chain = MineChain(m_root / "mine");
        m_node = std::make_unique<Node>(m_root / "node", m_chain);
    }
    ~Harness()
    {
        m_node.reset();
        std::error_code ec;
        std::filesystem::remove_all(m_root, ec);
    }
    Harness(const Harness&) = delete;
    Harness& operator=(const Harness&) = delete;

    Node& GetNode() { return *m_node; }
    const MinedChain& Chain() const { return m_chain; }
    void Rebuild()
    {
        m_node.reset();
        m_node = std::make_unique<Node>(m_root / "node", m_chain);
    }

private:
    std::filesystem::path m_root{std::filesystem::temp_directory_path() /
                                 ("hpips_fuzz_p2p_message_handler_" + std::to_string(::getpid()))};
    MinedChain m_chain;
    std::unique_ptr<Node> m_node;
};

Harness& TheHarness()
{
    static Harness harness;
    return harness;
}

/** The fake peer: a non-blocking socket that writes everything queued while
 *  reading (so a node answering with much data never blocks on us). */
class FakePeer {
public:
    explicit FakePeer(uint16_t port) : m_parser{Params(Network::REGTEST).message_start}
    {
        m_fd = ::socket(AF_INET, SOCK_STREAM, 0);
        if (m_fd < 0) Fail("socket() failed");
        sockaddr_in remote{};
        remote.sin_family = AF_INET;
        remote.sin_port = htons(port);
        ::inet_pton(AF_INET, "127.0.0.1", &remote.sin_addr);
        if (::connect(m_fd, reinterpret_cast<sockaddr*>(&remote), sizeof(remote)) != 0) {
            // An interrupted connect goes on in the background: wait for it.
            if (errno != EINTR) Fail("connect() failed");
            pollfd pfd{m_fd, POLLOUT, 0};
            while (::poll(&pfd, 1, -1) < 0) {
                if (errno != EINTR) Fail("poll() failed");
            }
            int error{0};
            socklen_t length{sizeof(error)};
            if (::getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &error, &length) != 0 || error != 0) Fail("connect() failed");
        }
    }
    ~FakePeer() { ::close(m_fd); }
    FakePeer(const FakePeer&) = delete;
    FakePeer& operator=(const FakePeer&) = delete;

    void Queue(std::span<const uint8_t> bytes)
    {
        m_out.insert(m_out.end(), bytes.begin(), bytes.end());
        Model(bytes);
    }
    /** If the bytes queued so far stop inside a frame (raw bytes can
     *  announce a payload and not send it), queues zeros until the node's
     *  parser ends that frame: otherwise the final ping would only feed the
     *  payload and the node would rightly wait for more. At most one
     *  payload limit (MAX_PAYLOAD_ANY) of zeros. */
    void EndFrame()
    {
        const std::vector<uint8_t> zeros(64 * 1024, 0);
        while (!m_model.Error() && m_model_partial > 0) {
            // Feed stops at the frame's end: queue exactly what it took.
            const size_t n = m_model.Feed(zeros);
            if (n == 0 && !m_model.MessageReady()) Fail("the frame parser made no progress");
            m_out.insert(m_out.end(), zeros.begin(), zeros.begin() + static_cast<ptrdiff_t>(n));
            m_model_partial += n;
            if (m_model.MessageReady()) {
                (void)m_model.TakeMessage();
                m_model_partial = 0;
            }
        }
    }
    void Queue(const Message& message)
    {
        Queue(BuildFrame(Params(Network::REGTEST).message_start, CommandOf(message), EncodePayload(message)));
    }

    /** Sends what is queued and reads until a message of `command` (and, for
     *  pong, the final nonce) arrives: true; or the node closed: false.
     *  Aborts when neither happens within ANSWER_TIMEOUT. */
    bool Exchange(std::string_view command)
    {
        const auto deadline = std::chrono::steady_clock::now() + ANSWER_TIMEOUT;
        while (true) {
            if (const auto found = TakeMessage(command)) return *found;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            if (left.count() <= 0) Fail("the node neither answered nor closed the connection");
            pollfd pfd{m_fd, static_cast<short>(POLLIN | (m_sent < m_out.size() ? POLLOUT : 0)), 0};
            // libFuzzer's -timeout alarm interrupts system calls: EINTR is no failure.
            if (::poll(&pfd, 1, static_cast<int>(std::min<int64_t>(left.count(), 1000))) < 0) {
                if (errno == EINTR) continue;
                Fail("poll() failed");
            }
            if (pfd.revents & POLLOUT) {
                const ssize_t n = ::send(m_fd, m_out.data() + m_sent, m_out.size() - m_sent, MSG_NOSIGNAL | MSG_DONTWAIT);
                if (n > 0) m_sent += static_cast<size_t>(n);
                // A failed send means the node closed: drop the rest, the
                // read below sees the close.
                if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) m_out.resize(m_sent);
            }
            if (pfd.revents & (POLLIN | POLLHUP | POLLERR)) {
                std::array<uint8_t, 64 * 1024> buffer;
                const ssize_t n = ::recv(m_fd, buffer.data(), buffer.size(), MSG_DONTWAIT);
                if (n == 0 || (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR)) return false;
                if (n > 0) m_in.insert(m_in.end(), buffer.begin(), buffer.begin() + n);
            }
        }
    }

private:
    /** Follows the node's parser over the bytes we send. */
    void Model(std::span<const uint8_t> bytes)
    {
        while (!bytes.empty() && !m_model.Error()) {
            const size_t n = m_model.Feed(bytes);
            bytes = bytes.subspan(n);
            m_model_partial += n;
            if (m_model.MessageReady()) {
                (void)m_model.TakeMessage();
                m_model_partial = 0;
            }
        }
    }

    /** Parses what was received; true/false once `command` is found, nullopt
     *  when more bytes are needed. */
    std::optional<bool> TakeMessage(std::string_view command)
    {
        while (m_in_used < m_in.size() || m_parser.MessageReady()) {
            m_in_used += m_parser.Feed(std::span{m_in}.subspan(m_in_used));
            if (m_parser.Error()) Fail("the node sent a frame that does not parse");
            if (!m_parser.MessageReady()) break;
            const NetMessage message = m_parser.TakeMessage();
            if (!DecodeMessage(message.command, message.payload)) Fail("the node sent a message that does not decode");
            if (message.command != command) continue;
            if (command == cmd::PONG) {
                const auto pong = DecodeMessage(cmd::PONG, message.payload);
                if (std::get<PongMsg>(*pong).nonce != FINAL_PING_NONCE) continue;
            }
            return true;
        }
        if (m_in_used == m_in.size()) {
            m_in.clear();
            m_in_used = 0;
        }
        return std::nullopt;
    }

    int m_fd{-1};
    std::vector<uint8_t> m_out;
    size_t m_sent{0};
    std::vector<uint8_t> m_in;
    size_t m_in_used{0};
    FrameParser m_parser;
    /** The node's view of our stream, and the bytes of its unfinished frame. */
    FrameParser m_model{Params(Network::REGTEST).message_start};
    size_t m_model_partial{0};
};

/** The payload of a KNOWN_* record (before its patch). */
std::pair<std::string_view, std::vector<uint8_t>> KnownMessage(uint8_t selector, InputReader& input,
                                                               const std::vector<Block>& blocks)
{
    const auto pick = [&]() -> const Block& { return blocks[input.Byte() % blocks.size()]; };
    switch (selector) {
    case KNOWN_GETHEADERS: {
        GetHeadersMsg msg;
        msg.locator.push_back(pick().GetHash());
        return {cmd::GETHEADERS, EncodePayload(msg)};
    }
    case KNOWN_HEADERS: {
        const size_t first = input.Byte() % blocks.size();
        const size_t count = 1 + input.Byte() % (blocks.size() - first);
        HeadersMsg msg;
        for (size_t i = first; i < first + count; ++i) msg.headers.push_back(blocks[i].header);
        return {cmd::HEADERS, EncodePayload(msg)};
    }
    case KNOWN_INV:
    case KNOWN_GETDATA:
    case KNOWN_NOTFOUND: {
        const std::vector<InvItem> items{InvItem{MSG_BLOCK, pick().GetHash()}};
        if (selector == KNOWN_INV) return {cmd::INV, EncodePayload(InvMsg{items})};
        if (selector == KNOWN_GETDATA) return {cmd::GETDATA, EncodePayload(GetDataMsg{items})};
        return {cmd::NOTFOUND, EncodePayload(NotFoundMsg{items})};
    }
    default:
        return {cmd::BLOCK, EncodePayload(BlockMsg{std::make_shared<const Block>(pick())})};
    }
}

/** Turns the records of the input into frames for `peer`. */
void QueueRecords(InputReader& input, FakePeer& peer, const std::vector<Block>& blocks)
{
    const auto& magic = Params(Network::REGTEST).message_start;
    while (!input.Empty()) {
        const uint8_t selector = input.Byte();
        if (selector == RAW_BYTES) {
            peer.Queue(input.Bytes(input.Uint(2)));
        } else if (selector == RAW_COMMAND) {
            const auto field = input.Bytes(COMMAND_SIZE);
            peer.Queue(FrameWithField(magic, field, input.Bytes(input.Uint(3))));
        } else if (selector >= KNOWN_GETHEADERS && selector <= KNOWN_BLOCK) {
            auto [command, payload] = KnownMessage(selector, input, blocks);
            const size_t offset = input.Uint(2);
            const auto patch = input.Bytes(input.Byte());
            for (size_t i = 0; i < patch.size() && !payload.empty(); ++i) {
                payload[(offset + i) % payload.size()] ^= patch[i];
            }
            peer.Queue(BuildFrame(magic, command, payload));
        } else {
            const std::string_view command = COMMANDS[selector % COMMANDS.size()];
            peer.Queue(BuildFrame(magic, command, input.Bytes(input.Uint(3))));
        }
    }
}

/** Waits until the node dropped every connection (bounded like an answer). */
void WaitDisconnected(ConnectionManager& connman)
{
    const auto deadline = std::chrono::steady_clock::now() + ANSWER_TIMEOUT;
    while (!connman.GetNodeStats().empty()) {
        if (std::chrono::steady_clock::now() > deadline) Fail("the node kept a closed connection");
        std::this_thread::sleep_for(std::chrono::milliseconds{1});
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    Harness& harness = TheHarness();
    Node& node = harness.GetNode();
    const auto& blocks = harness.Chain().blocks;
    const int64_t height_before = node.Chain().Height();

    InputReader input{std::span{data, size}};
    const uint8_t flags = input.Byte();
    {
        FakePeer peer{node.Port((flags & FLAG_NOBAN) != 0)};
        bool open = true;
        if ((flags & FLAG_NO_HANDSHAKE) == 0) {
            VersionMsg version;
            version.services = NODE_NETWORK;
            version.nonce = 0x5eed;
            version.user_agent = "/fuzz/";
            peer.Queue(version);
            open = peer.Exchange(cmd::VERACK);
            if (open) peer.Queue(VerackMsg{});
        }
        if (open) {
            QueueRecords(input, peer, blocks);
            peer.EndFrame();
            peer.Queue(PingMsg{FINAL_PING_NONCE});
            (void)peer.Exchange(cmd::PONG);
        }
    }
    WaitDisconnected(node.Connman());
    node.Connman().GetBanMan().ClearBanned();

    // The chain: never lower, and its tip one of the mined blocks.
    const int64_t height_after = node.Chain().Height();
    if (height_after < height_before) Fail("the tip height went down");
    if (height_after >= static_cast<int64_t>(blocks.size()) ||
        node.Chain().TipHash() != blocks[static_cast<size_t>(height_after)].GetHash()) {
        Fail("the tip is not one of the mined blocks");
    }
    if (node.Chain().HasFatalError()) Fail("the chainstate stopped");
    if (node.Changed()) harness.Rebuild();
    return 0;
}
