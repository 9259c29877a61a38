// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_PROTOCOL_H
#define HPIPS_NET_PROTOCOL_H

#include <primitives/blob.h>
#include <primitives/block.h>
#include <primitives/transaction.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

/**
 * The P2P protocol's constants: versions, service bits, commands, and the
 * per-command payload limits the transport enforces before it reads a
 * payload (doc/p2p.md has the table with every number and its reason).
 *
 * A message on the wire is a 24-byte header and a payload:
 *   magic (4, ChainParams::message_start) | command (12, ASCII, NUL-padded)
 *   | payload length (u32 LE) | checksum (first 4 bytes of SHA256d(payload))
 */
namespace hpips::net {

/** Protocol version this node speaks. */
constexpr int32_t PROTOCOL_VERSION = 10'001;
/** Oldest protocol version a peer may announce; older peers are
 *  disconnected (not discouraged: being old is not an attack). */
constexpr int32_t MIN_PEER_PROTO_VERSION = 10'001;

/** Service bits announced in version and addr. */
enum ServiceFlags : uint64_t {
    NODE_NONE = 0,
    /** Serves the full block chain. */
    NODE_NETWORK = 1 << 0,
    /** Serves job data blobs (getblob/blob, net/blob_relay.h). */
    NODE_BLOBS = 1 << 24,
};

/** Names of the set service bits, as getpeerinfo's servicesnames. */
std::vector<std::string> ServiceFlagNames(uint64_t services);

/** Size of a message header. */
constexpr size_t MESSAGE_HEADER_SIZE = 24;
/** Size of the command field. */
constexpr size_t COMMAND_SIZE = 12;
/** Size of the checksum field. */
constexpr size_t CHECKSUM_SIZE = 4;

/** Command names. */
namespace cmd {
inline constexpr std::string_view VERSION{"version"};
inline constexpr std::string_view VERACK{"verack"};
inline constexpr std::string_view PING{"ping"};
inline constexpr std::string_view PONG{"pong"};
inline constexpr std::string_view SENDHEADERS{"sendheaders"};
inline constexpr std::string_view FEEFILTER{"feefilter"};
inline constexpr std::string_view WTXIDRELAY{"wtxidrelay"};
inline constexpr std::string_view ADDR{"addr"};
inline constexpr std::string_view GETADDR{"getaddr"};
inline constexpr std::string_view GETHEADERS{"getheaders"};
inline constexpr std::string_view HEADERS{"headers"};
inline constexpr std::string_view INV{"inv"};
inline constexpr std::string_view GETDATA{"getdata"};
inline constexpr std::string_view NOTFOUND{"notfound"};
inline constexpr std::string_view TX{"tx"};
inline constexpr std::string_view BLOCK{"block"};
inline constexpr std::string_view GETBLOB{"getblob"};
inline constexpr std::string_view BLOB{"blob"};
inline constexpr std::string_view MEMPOOL{"mempool"};
}  // namespace cmd

/** Longest user agent in a version message. */
constexpr size_t MAX_SUBVERSION_LENGTH = 256;
/** Most addresses in one addr message (and in one getaddr answer). */
constexpr size_t MAX_ADDR_TO_SEND = 1'000;
/** Most hashes in a block locator (getheaders): enough for a chain of
 *  2^64 blocks with Core's exponential spacing, never more. */
constexpr size_t MAX_LOCATOR_SZ = 101;
/** Most headers in one headers message. */
constexpr size_t MAX_HEADERS_RESULTS = 2'000;
/** Most entries in one inv or notfound message. */
constexpr size_t MAX_INV_SZ = 50'000;
/** Most entries in one getdata message: a peer may ask for this many
 *  objects at once, each of which may cost us a disk read. */
constexpr size_t MAX_GETDATA_SZ = 1'000;

/** Largest blob (job input, weights or result): the blob format's own limit
 *  (primitives/blob.h, 256 MiB); chunks are what travel. */
constexpr uint64_t MAX_BLOB_SIZE = hpips::MAX_BLOB_SIZE;
/** Largest chunk of a blob in one blob message: the format's chunk size. */
constexpr size_t MAX_BLOB_CHUNK_SIZE = static_cast<size_t>(BLOB_CHUNK_SIZE);
/** Most chunks of one blob. */
constexpr uint32_t MAX_BLOB_CHUNKS = hpips::MAX_BLOB_CHUNKS;
/** Depth of the Merkle tree over MAX_BLOB_CHUNKS chunks: the most sibling
 *  hashes a chunk's proof carries. */
constexpr size_t MAX_BLOB_PROOF_DEPTH = hpips::MAX_BLOB_PROOF_DEPTH;
static_assert((uint32_t{1} << MAX_BLOB_PROOF_DEPTH) == MAX_BLOB_CHUNKS);
static_assert(MAX_BLOB_SIZE == uint64_t{256} << 20 && MAX_BLOB_CHUNK_SIZE == size_t{1} << 20,
              "doc/p2p.md states these numbers");
/** Most chunks one getblob asks for. */
constexpr uint32_t MAX_GETBLOB_CHUNKS = 16;

/** Encoded size of one address with its time (addr message). */
constexpr size_t ADDR_ENTRY_SIZE = 4 + 8 + 16 + 2;
/** Encoded size of one address without time (version message). */
constexpr size_t VERSION_ADDR_SIZE = 8 + 16 + 2;
/** Encoded size of one inventory entry: type u32, hash 32. */
constexpr size_t INV_ENTRY_SIZE = 4 + 32;

/** Bytes of the CompactSize encoding of n. */
constexpr size_t CompactSizeBytes(uint64_t n)
{
    return n <= 0xfc ? 1 : n <= 0xffff ? 3 : n <= 0xffffffff ? 5 : 9;
}

// Per-command payload limits: the largest payload a well-formed message of
// that command can have. The transport refuses a header announcing more
// before it reads a payload byte.

/** version: i32 version, u64 services, i64 time, two addresses, u64 nonce,
 *  user agent (CompactSize + at most 256 bytes), i32 height, u8 relay. */
constexpr size_t MAX_VERSION_PAYLOAD =
    4 + 8 + 8 + 2 * VERSION_ADDR_SIZE + 8 + CompactSizeBytes(MAX_SUBVERSION_LENGTH) + MAX_SUBVERSION_LENGTH + 4 + 1;
/** ping, pong: one u64 nonce. */
constexpr size_t MAX_PING_PAYLOAD = 8;
/** feefilter: one i64 fee rate. */
constexpr size_t MAX_FEEFILTER_PAYLOAD = 8;
/** addr: up to MAX_ADDR_TO_SEND addresses with their time. */
constexpr size_t MAX_ADDR_PAYLOAD = CompactSizeBytes(MAX_ADDR_TO_SEND) + MAX_ADDR_TO_SEND * ADDR_ENTRY_SIZE;
/** getheaders: i32 version, the locator, the stop hash. */
constexpr size_t MAX_GETHEADERS_PAYLOAD = 4 + CompactSizeBytes(MAX_LOCATOR_SZ) + MAX_LOCATOR_SZ * 32 + 32;
/** headers: up to MAX_HEADERS_RESULTS fixed-size headers. */
constexpr size_t MAX_HEADERS_PAYLOAD =
    CompactSizeBytes(MAX_HEADERS_RESULTS) + MAX_HEADERS_RESULTS * BLOCK_HEADER_SIZE;
/** inv, notfound: up to MAX_INV_SZ entries. */
constexpr size_t MAX_INV_PAYLOAD = CompactSizeBytes(MAX_INV_SZ) + MAX_INV_SZ * INV_ENTRY_SIZE;
/** getdata: up to MAX_GETDATA_SZ entries. */
constexpr size_t MAX_GETDATA_PAYLOAD = CompactSizeBytes(MAX_GETDATA_SZ) + MAX_GETDATA_SZ * INV_ENTRY_SIZE;
/** tx: one transaction. */
constexpr size_t MAX_TX_PAYLOAD = MAX_TX_SIZE;
/** block: one block. The PoUW opening is part of the block's encoding and
 *  already counts toward MAX_BLOCK_SIZE (consensus' BlockSerializedSize),
 *  so no valid block message is larger than MAX_BLOCK_SIZE. */
constexpr size_t MAX_BLOCK_PAYLOAD = MAX_BLOCK_SIZE;
static_assert(MAX_OPENING_SIZE < MAX_BLOCK_SIZE, "the opening travels inside the block's size");
/** getblob: blob id, first chunk u32, chunk count u32. */
constexpr size_t MAX_GETBLOB_PAYLOAD = 32 + 4 + 4;
/** blob: blob id, chunk index u32, chunk count u32, blob size u64, the
 *  chunk (CompactSize + bytes), the proof (CompactSize + hashes). */
constexpr size_t MAX_BLOB_PAYLOAD = 32 + 4 + 4 + 8 + CompactSizeBytes(MAX_BLOB_CHUNK_SIZE) + MAX_BLOB_CHUNK_SIZE +
                                    CompactSizeBytes(MAX_BLOB_PROOF_DEPTH) + MAX_BLOB_PROOF_DEPTH * 32;
/** Commands this node does not know: small enough that a future feature
 *  negotiation message fits (Core's are at most a few bytes), far too small
 *  to be a way of making us buffer data. */
constexpr size_t MAX_UNKNOWN_PAYLOAD = 1'024;

/** The largest payload of any command. */
constexpr size_t MAX_PAYLOAD_ANY = MAX_BLOCK_PAYLOAD;
static_assert(MAX_PAYLOAD_ANY >= MAX_TX_PAYLOAD && MAX_PAYLOAD_ANY >= MAX_INV_PAYLOAD &&
              MAX_PAYLOAD_ANY >= MAX_BLOB_PAYLOAD);

/** When a command may arrive on a connection. */
enum class HandshakeRule : uint8_t {
    /** Only as the peer's first message. */
    VERSION_ONLY,
    /** After version (verack, wtxidrelay): before the peer's verack. */
    BEFORE_VERACK,
    /** Only after the peer's verack. */
    AFTER_VERACK,
};

/** One row of the command table. */
struct CommandInfo {
    std::string_view command;
    /** Largest payload the transport lets in. */
    size_t max_payload;
    HandshakeRule rule;
    /** Why the limit is what it is (doc/p2p.md repeats it). */
    std::string_view reason;
};

/** Every known command with its limit. */
std::span<const CommandInfo> CommandTable();

/** The row of `command`, or nullptr if this node does not know it. */
const CommandInfo* FindCommand(std::string_view command);

/** The payload limit the transport applies to `command`: its row's, or
 *  MAX_UNKNOWN_PAYLOAD for an unknown command. */
size_t MaxPayloadSize(std::string_view command);

/** Inventory types (inv, getdata, notfound). */
enum InvType : uint32_t {
    MSG_TX = 1,
    MSG_BLOCK = 2,
    /** A transaction announced by wtxid (after wtxidrelay). */
    MSG_WTX = 5,
    /** A blob, by id: a notfound entry answering a getblob the sender cannot
     *  serve (net/blob_relay.h). */
    MSG_BLOB = 0x40,
};

/** The user agent this node announces: "/HPIPS:<version>/". */
std::string UserAgent();

/** The client version as a number: major·10000 + minor·100 + patch (Core's
 *  getnetworkinfo "version"). */
int ClientVersion();

}  // namespace hpips::net

#endif  // HPIPS_NET_PROTOCOL_H
