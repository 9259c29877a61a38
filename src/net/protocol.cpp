// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/protocol.h>

#include <array>

namespace hpips::net {
namespace {

constexpr auto COMMANDS = std::to_array<CommandInfo>({
    {cmd::VERSION, MAX_VERSION_PAYLOAD, HandshakeRule::VERSION_ONLY,
     "fixed fields plus a user agent of at most 256 bytes"},
    {cmd::VERACK, 0, HandshakeRule::BEFORE_VERACK, "no payload"},
    {cmd::WTXIDRELAY, 0, HandshakeRule::BEFORE_VERACK, "no payload"},
    {cmd::PING, MAX_PING_PAYLOAD, HandshakeRule::AFTER_VERACK, "one 8-byte nonce"},
    {cmd::PONG, MAX_PING_PAYLOAD, HandshakeRule::AFTER_VERACK, "one 8-byte nonce"},
    {cmd::SENDHEADERS, 0, HandshakeRule::AFTER_VERACK, "no payload"},
    {cmd::FEEFILTER, MAX_FEEFILTER_PAYLOAD, HandshakeRule::AFTER_VERACK, "one 8-byte fee rate"},
    {cmd::GETADDR, 0, HandshakeRule::AFTER_VERACK, "no payload"},
    {cmd::MEMPOOL, 0, HandshakeRule::AFTER_VERACK, "no payload"},
    {cmd::ADDR, MAX_ADDR_PAYLOAD, HandshakeRule::AFTER_VERACK, "at most 1,000 addresses of 30 bytes"},
    {cmd::GETHEADERS, MAX_GETHEADERS_PAYLOAD, HandshakeRule::AFTER_VERACK,
     "a locator of at most 101 hashes and a stop hash"},
    {cmd::HEADERS, MAX_HEADERS_PAYLOAD, HandshakeRule::AFTER_VERACK, "at most 2,000 headers of 184 bytes"},
    {cmd::INV, MAX_INV_PAYLOAD, HandshakeRule::AFTER_VERACK, "at most 50,000 entries of 36 bytes"},
    {cmd::NOTFOUND, MAX_INV_PAYLOAD, HandshakeRule::AFTER_VERACK, "at most 50,000 entries of 36 bytes"},
    {cmd::GETDATA, MAX_GETDATA_PAYLOAD, HandshakeRule::AFTER_VERACK, "at most 1,000 entries of 36 bytes"},
    {cmd::TX, MAX_TX_PAYLOAD, HandshakeRule::AFTER_VERACK, "one transaction of at most MAX_TX_SIZE"},
    {cmd::BLOCK, MAX_BLOCK_PAYLOAD, HandshakeRule::AFTER_VERACK,
     "one block of at most MAX_BLOCK_SIZE, which counts its PoUW opening"},
    {cmd::GETBLOB, MAX_GETBLOB_PAYLOAD, HandshakeRule::AFTER_VERACK, "a blob id and a chunk range"},
    {cmd::BLOB, MAX_BLOB_PAYLOAD, HandshakeRule::AFTER_VERACK,
     "one chunk of at most 1 MiB with a Merkle proof of at most 8 hashes"},
});

}  // namespace

std::vector<std::string> ServiceFlagNames(uint64_t services)
{
    std::vector<std::string> names;
    for (unsigned bit{0}; bit < 64; ++bit) {
        const uint64_t flag = uint64_t{1} << bit;
        if ((services & flag) == 0) continue;
        switch (flag) {
        case NODE_NETWORK: names.emplace_back("NETWORK"); break;
        case NODE_BLOBS: names.emplace_back("BLOBS"); break;
        default: names.push_back("UNKNOWN[" + std::to_string(flag) + "]"); break;
        }
    }
    return names;
}

std::span<const CommandInfo> CommandTable() { return COMMANDS; }

const CommandInfo* FindCommand(std::string_view command)
{
    for (const auto& info : COMMANDS) {
        if (info.command == command) return &info;
    }
    return nullptr;
}

size_t MaxPayloadSize(std::string_view command)
{
    const CommandInfo* info = FindCommand(command);
    return info != nullptr ? info->max_payload : MAX_UNKNOWN_PAYLOAD;
}

std::string UserAgent() { return "/HPIPS:" HPIPS_VERSION "/"; }

int ClientVersion() { return HPIPS_VERSION_MAJOR * 10'000 + HPIPS_VERSION_MINOR * 100 + HPIPS_VERSION_PATCH; }

}  // namespace hpips::net
