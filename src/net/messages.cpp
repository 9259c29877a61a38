// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/messages.h>

#include <primitives/amount.h>
#include <util/strencodings.h>

#include <type_traits>

namespace hpips::net {
namespace {

void WriteService(Writer& w, const Service& service)
{
    w.WriteBytes(service.addr.Bytes());
    // Network byte order, as Bitcoin.
    w.WriteU8(static_cast<uint8_t>(service.port >> 8));
    w.WriteU8(static_cast<uint8_t>(service.port & 0xff));
}

Service ReadService(Reader& r)
{
    Service service;
    service.addr = NetAddr{r.ReadArray<NetAddr::SIZE>()};
    const uint8_t hi = r.ReadU8();
    const uint8_t lo = r.ReadU8();
    service.port = static_cast<uint16_t>((hi << 8) | lo);
    return service;
}

void WriteInvItems(Writer& w, const std::vector<InvItem>& items)
{
    w.WriteCompactSize(items.size());
    for (const auto& item : items) {
        w.WriteU32(item.type);
        w.WriteUint256(item.hash);
    }
}

std::vector<InvItem> ReadInvItems(Reader& r, size_t max_count)
{
    return r.ReadVector(max_count, INV_ENTRY_SIZE, [](Reader& in) {
        InvItem item;
        item.type = in.ReadU32();
        item.hash = in.ReadUint256();
        return item;
    });
}

void WriteBool(Writer& w, bool v) { w.WriteU8(v ? 1 : 0); }

bool ReadBool(Reader& r)
{
    const uint8_t v = r.ReadU8();
    if (v > 1) throw SerializeError{"boolean byte " + std::to_string(v) + " is neither 0 nor 1"};
    return v == 1;
}

void Write(Writer& w, const VersionMsg& m)
{
    w.WriteI32(m.version);
    w.WriteU64(m.services);
    w.WriteI64(m.time);
    WriteVersionAddress(w, m.addr_recv);
    WriteVersionAddress(w, m.addr_from);
    w.WriteU64(m.nonce);
    w.WriteByteVector(StringBytes(m.user_agent));
    w.WriteI32(m.start_height);
    WriteBool(w, m.relay);
}

VersionMsg ReadVersion(Reader& r)
{
    VersionMsg m;
    m.version = r.ReadI32();
    m.services = r.ReadU64();
    m.time = r.ReadI64();
    m.addr_recv = ReadVersionAddress(r);
    m.addr_from = ReadVersionAddress(r);
    m.nonce = r.ReadU64();
    const auto agent = r.ReadByteVector(MAX_SUBVERSION_LENGTH);
    m.user_agent.assign(agent.begin(), agent.end());
    m.start_height = r.ReadI32();
    m.relay = ReadBool(r);
    return m;
}

void Write(Writer& w, const GetHeadersMsg& m)
{
    w.WriteI32(m.version);
    w.WriteCompactSize(m.locator.size());
    for (const auto& hash : m.locator) w.WriteUint256(hash);
    w.WriteUint256(m.stop);
}

GetHeadersMsg ReadGetHeaders(Reader& r)
{
    GetHeadersMsg m;
    m.version = r.ReadI32();
    m.locator = r.ReadVector(MAX_LOCATOR_SZ, 32, [](Reader& in) { return in.ReadUint256(); });
    m.stop = r.ReadUint256();
    return m;
}

void Write(Writer& w, const BlobMsg& m)
{
    w.WriteUint256(m.blob_id);
    w.WriteU32(m.chunk_index);
    w.WriteU32(m.chunk_count);
    w.WriteU64(m.blob_size);
    w.WriteByteVector(m.data);
    w.WriteCompactSize(m.proof.size());
    for (const auto& hash : m.proof) w.WriteUint256(hash);
}

BlobMsg ReadBlob(Reader& r)
{
    BlobMsg m;
    m.blob_id = r.ReadUint256();
    m.chunk_index = r.ReadU32();
    m.chunk_count = r.ReadU32();
    m.blob_size = r.ReadU64();
    if (m.chunk_count == 0 || m.chunk_count > MAX_BLOB_CHUNKS) {
        throw SerializeError{"blob chunk count " + std::to_string(m.chunk_count) + " outside 1.." +
                             std::to_string(MAX_BLOB_CHUNKS)};
    }
    if (m.chunk_index >= m.chunk_count) throw SerializeError{"blob chunk index beyond the chunk count"};
    if (m.blob_size > MAX_BLOB_SIZE) throw SerializeError{"blob size exceeds maximum"};
    m.data = r.ReadByteVector(MAX_BLOB_CHUNK_SIZE);
    m.proof = r.ReadVector(MAX_BLOB_PROOF_DEPTH, 32, [](Reader& in) { return in.ReadUint256(); });
    return m;
}

GetBlobMsg ReadGetBlob(Reader& r)
{
    GetBlobMsg m;
    m.blob_id = r.ReadUint256();
    m.first_chunk = r.ReadU32();
    m.chunk_count = r.ReadU32();
    if (m.chunk_count == 0 || m.chunk_count > MAX_GETBLOB_CHUNKS) {
        throw SerializeError{"getblob chunk count " + std::to_string(m.chunk_count) + " outside 1.." +
                             std::to_string(MAX_GETBLOB_CHUNKS)};
    }
    if (m.first_chunk >= MAX_BLOB_CHUNKS || m.chunk_count > MAX_BLOB_CHUNKS - m.first_chunk) {
        throw SerializeError{"getblob chunk range beyond the largest blob"};
    }
    return m;
}

/** Reads the payload of `command` (already known to be in the table). */
Message ReadMessage(std::string_view command, Reader& r)
{
    if (command == cmd::VERSION) return ReadVersion(r);
    if (command == cmd::VERACK) return VerackMsg{};
    if (command == cmd::PING) return PingMsg{r.ReadU64()};
    if (command == cmd::PONG) return PongMsg{r.ReadU64()};
    if (command == cmd::SENDHEADERS) return SendHeadersMsg{};
    if (command == cmd::FEEFILTER) {
        const int64_t rate = r.ReadI64();
        if (!MoneyRange(rate)) throw SerializeError{"fee rate out of range"};
        return FeeFilterMsg{rate};
    }
    if (command == cmd::WTXIDRELAY) return WtxidRelayMsg{};
    if (command == cmd::ADDR) return AddrMsg{r.ReadVector(MAX_ADDR_TO_SEND, ADDR_ENTRY_SIZE, ReadAddressEntry)};
    if (command == cmd::GETADDR) return GetAddrMsg{};
    if (command == cmd::GETHEADERS) return ReadGetHeaders(r);
    if (command == cmd::HEADERS) return HeadersMsg{r.ReadVector(MAX_HEADERS_RESULTS, BLOCK_HEADER_SIZE, ReadBlockHeader)};
    if (command == cmd::INV) return InvMsg{ReadInvItems(r, MAX_INV_SZ)};
    if (command == cmd::GETDATA) return GetDataMsg{ReadInvItems(r, MAX_GETDATA_SZ)};
    if (command == cmd::NOTFOUND) return NotFoundMsg{ReadInvItems(r, MAX_INV_SZ)};
    if (command == cmd::TX) return TxMsg{std::make_shared<const Transaction>(ReadTransaction(r))};
    if (command == cmd::BLOCK) return BlockMsg{std::make_shared<const Block>(ReadBlock(r))};
    if (command == cmd::GETBLOB) return ReadGetBlob(r);
    if (command == cmd::BLOB) return ReadBlob(r);
    if (command == cmd::MEMPOOL) return MempoolMsg{};
    throw SerializeError{"unknown command"};
}

}  // namespace

void WriteVersionAddress(Writer& w, const VersionAddress& addr)
{
    w.WriteU64(addr.services);
    WriteService(w, addr.service);
}

VersionAddress ReadVersionAddress(Reader& r)
{
    VersionAddress addr;
    addr.services = r.ReadU64();
    addr.service = ReadService(r);
    return addr;
}

void WriteAddressEntry(Writer& w, const AddressEntry& entry)
{
    w.WriteU32(entry.time);
    w.WriteU64(entry.services);
    WriteService(w, entry.service);
}

AddressEntry ReadAddressEntry(Reader& r)
{
    AddressEntry entry;
    entry.time = r.ReadU32();
    entry.services = r.ReadU64();
    entry.service = ReadService(r);
    return entry;
}

std::string_view CommandOf(const Message& message)
{
    return std::visit(
        [](const auto& m) -> std::string_view {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, VersionMsg>) return cmd::VERSION;
            else if constexpr (std::is_same_v<T, VerackMsg>) return cmd::VERACK;
            else if constexpr (std::is_same_v<T, PingMsg>) return cmd::PING;
            else if constexpr (std::is_same_v<T, PongMsg>) return cmd::PONG;
            else if constexpr (std::is_same_v<T, SendHeadersMsg>) return cmd::SENDHEADERS;
            else if constexpr (std::is_same_v<T, FeeFilterMsg>) return cmd::FEEFILTER;
            else if constexpr (std::is_same_v<T, WtxidRelayMsg>) return cmd::WTXIDRELAY;
            else if constexpr (std::is_same_v<T, AddrMsg>) return cmd::ADDR;
            else if constexpr (std::is_same_v<T, GetAddrMsg>) return cmd::GETADDR;
            else if constexpr (std::is_same_v<T, GetHeadersMsg>) return cmd::GETHEADERS;
            else if constexpr (std::is_same_v<T, HeadersMsg>) return cmd::HEADERS;
            else if constexpr (std::is_same_v<T, InvMsg>) return cmd::INV;
            else if constexpr (std::is_same_v<T, GetDataMsg>) return cmd::GETDATA;
            else if constexpr (std::is_same_v<T, NotFoundMsg>) return cmd::NOTFOUND;
            else if constexpr (std::is_same_v<T, TxMsg>) return cmd::TX;
            else if constexpr (std::is_same_v<T, BlockMsg>) return cmd::BLOCK;
            else if constexpr (std::is_same_v<T, GetBlobMsg>) return cmd::GETBLOB;
            else if constexpr (std::is_same_v<T, BlobMsg>) return cmd::BLOB;
            else if constexpr (std::is_same_v<T, MempoolMsg>) return cmd::MEMPOOL;
            else static_assert(sizeof(T) == 0, "every message has a command");
        },
        message);
}

std::vector<uint8_t> EncodePayload(const Message& message)
{
    Writer w;
    std::visit(
        [&w](const auto& m) {
            using T = std::decay_t<decltype(m)>;
            if constexpr (std::is_same_v<T, VersionMsg> || std::is_same_v<T, GetHeadersMsg> ||
                          std::is_same_v<T, BlobMsg>) {
                Write(w, m);
            } else if constexpr (std::is_same_v<T, PingMsg> || std::is_same_v<T, PongMsg>) {
                w.WriteU64(m.nonce);
            } else if constexpr (std::is_same_v<T, FeeFilterMsg>) {
                w.WriteI64(m.fee_rate);
            } else if constexpr (std::is_same_v<T, AddrMsg>) {
                w.WriteCompactSize(m.addrs.size());
                for (const auto& entry : m.addrs) WriteAddressEntry(w, entry);
            } else if constexpr (std::is_same_v<T, HeadersMsg>) {
                w.WriteCompactSize(m.headers.size());
                for (const auto& header : m.headers) WriteBlockHeader(w, header);
            } else if constexpr (std::is_same_v<T, InvMsg> || std::is_same_v<T, GetDataMsg> ||
                                 std::is_same_v<T, NotFoundMsg>) {
                WriteInvItems(w, m.items);
            } else if constexpr (std::is_same_v<T, TxMsg>) {
                WriteTransaction(w, m.tx->fields());
            } else if constexpr (std::is_same_v<T, BlockMsg>) {
                WriteBlock(w, *m.block);
            } else if constexpr (std::is_same_v<T, GetBlobMsg>) {
                w.WriteUint256(m.blob_id);
                w.WriteU32(m.first_chunk);
                w.WriteU32(m.chunk_count);
            } else {
                // verack, sendheaders, wtxidrelay, getaddr, mempool: empty.
                static_assert(std::is_empty_v<T>, "a message with fields needs an encoder");
            }
        },
        message);
    return w.Take();
}

Result<Message> DecodeMessage(std::string_view command, std::span<const uint8_t> payload)
{
    const CommandInfo* info = FindCommand(command);
    if (info == nullptr) return Error{"unknown command"};
    if (payload.size() > info->max_payload) {
        return Error{"payload of " + std::to_string(payload.size()) + " bytes exceeds the " + std::string{command} +
                     " limit of " + std::to_string(info->max_payload)};
    }
    return Decode(payload, [command](Reader& r) { return ReadMessage(command, r); });
}

}  // namespace hpips::net
