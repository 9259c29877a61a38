// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_MESSAGES_H
#define HPIPS_NET_MESSAGES_H

#include <net/netaddress.h>
#include <net/protocol.h>
#include <primitives/block.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/serialize.h>
#include <util/uint256.h>

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

/**
 * The payloads of every P2P message as structs, with one encoder and one
 * strict decoder each (doc/p2p.md, "Messages", has every byte).
 *
 * Decoders are bounded twice: the transport has already refused a payload
 * longer than the command's limit (protocol.h), and every count inside is
 * checked against its own maximum before anything is allocated. A decoder
 * accepts exactly one encoding: trailing bytes, a non-canonical CompactSize,
 * a count above its limit or a field out of its range is an error, which the
 * protocol logic treats as a violation.
 *
 * Integers are little-endian (util/serialize.h) except the port of an
 * address, which is big-endian (network byte order) as in Bitcoin.
 *
 * Thread safety: pure functions over values.
 */
namespace hpips::net {

/** An address as version carries it: services, IP, port (26 bytes). */
struct VersionAddress {
    uint64_t services{NODE_NONE};
    Service service;

    friend bool operator==(const VersionAddress&, const VersionAddress&) = default;
};

/** An address as addr carries it: time, services, IP, port (30 bytes). */
struct AddressEntry {
    /** Last time the address was seen (seconds since the epoch). */
    uint32_t time{0};
    uint64_t services{NODE_NONE};
    Service service;

    friend bool operator==(const AddressEntry&, const AddressEntry&) = default;
};

/** One inventory entry (inv, getdata, notfound). */
struct InvItem {
    uint32_t type{0};
    uint256 hash;

    friend bool operator==(const InvItem&, const InvItem&) = default;
};

/** version: the first message each side sends. */
struct VersionMsg {
    int32_t version{PROTOCOL_VERSION};
    uint64_t services{NODE_NONE};
    /** Sender's clock, seconds since the epoch. */
    int64_t time{0};
    /** The receiver's address as the sender sees it. */
    VersionAddress addr_recv;
    /** The sender's address; ignored (the receiver knows where the
     *  connection came from). Sent as the unspecified address. */
    VersionAddress addr_from;
    /** Random per connection: a node that receives its own nonce has
     *  connected to itself. */
    uint64_t nonce{0};
    /** At most MAX_SUBVERSION_LENGTH bytes. */
    std::string user_agent;
    /** The sender's best height. */
    int32_t start_height{0};
    /** False: do not announce transactions to me (block-relay-only). */
    bool relay{true};

    friend bool operator==(const VersionMsg&, const VersionMsg&) = default;
};

/** verack: version accepted. */
struct VerackMsg {
    friend bool operator==(const VerackMsg&, const VerackMsg&) = default;
};
/** ping: answer with pong and the same nonce. */
struct PingMsg {
    uint64_t nonce{0};
    friend bool operator==(const PingMsg&, const PingMsg&) = default;
};
/** pong: the answer to a ping. */
struct PongMsg {
    uint64_t nonce{0};
    friend bool operator==(const PongMsg&, const PongMsg&) = default;
};
/** sendheaders: announce new blocks to me with headers, not inv. */
struct SendHeadersMsg {
    friend bool operator==(const SendHeadersMsg&, const SendHeadersMsg&) = default;
};
/** feefilter: do not announce transactions below this fee rate to me. */
struct FeeFilterMsg {
    /** Base units per 1,000 bytes; 0..MAX_MONEY. */
    int64_t fee_rate{0};
    friend bool operator==(const FeeFilterMsg&, const FeeFilterMsg&) = default;
};
/** wtxidrelay: announce transactions to me by wtxid (sent before verack). */
struct WtxidRelayMsg {
    friend bool operator==(const WtxidRelayMsg&, const WtxidRelayMsg&) = default;
};
/** addr: addresses of other nodes. */
struct AddrMsg {
    std::vector<AddressEntry> addrs;
    friend bool operator==(const AddrMsg&, const AddrMsg&) = default;
};
/** getaddr: send me addresses (answered once per connection). */
struct GetAddrMsg {
    friend bool operator==(const GetAddrMsg&, const GetAddrMsg&) = default;
};
/** getheaders: headers after the first locator hash we share, up to `stop`. */
struct GetHeadersMsg {
    int32_t version{PROTOCOL_VERSION};
    /** Block hashes from the sender's tip backwards, at most MAX_LOCATOR_SZ. */
    std::vector<uint256> locator;
    /** Last header wanted; zero for "as many as fit". */
    uint256 stop;
    friend bool operator==(const GetHeadersMsg&, const GetHeadersMsg&) = default;
};
/** headers: consecutive block headers (184 bytes each, no transaction count). */
struct HeadersMsg {
    std::vector<BlockHeader> headers;
    friend bool operator==(const HeadersMsg&, const HeadersMsg&) = default;
};
/** inv: announcements. */
struct InvMsg {
    std::vector<InvItem> items;
    friend bool operator==(const InvMsg&, const InvMsg&) = default;
};
/** getdata: requests for announced objects. */
struct GetDataMsg {
    std::vector<InvItem> items;
    friend bool operator==(const GetDataMsg&, const GetDataMsg&) = default;
};
/** notfound: requested objects the sender does not have. */
struct NotFoundMsg {
    std::vector<InvItem> items;
    friend bool operator==(const NotFoundMsg&, const NotFoundMsg&) = default;
};
/** tx: one transaction in wire form. */
struct TxMsg {
    std::shared_ptr<const Transaction> tx;
    friend bool operator==(const TxMsg& a, const TxMsg& b) { return *a.tx == *b.tx; }
};
/** block: one block in wire form (header, transactions, PoUW opening). */
struct BlockMsg {
    std::shared_ptr<const Block> block;
    friend bool operator==(const BlockMsg& a, const BlockMsg& b) { return *a.block == *b.block; }
};
/** getblob: chunks [first_chunk, first_chunk + chunk_count) of a blob. */
struct GetBlobMsg {
    uint256 blob_id;
    uint32_t first_chunk{0};
    /** 1..MAX_GETBLOB_CHUNKS. */
    uint32_t chunk_count{1};
    friend bool operator==(const GetBlobMsg&, const GetBlobMsg&) = default;
};
/** blob: one chunk of a blob with its Merkle proof against the blob id.
 *  The proof is the blob format's MerkleProof (primitives/blob.h) with its
 *  leaf index and leaf count not repeated: they are chunk_index and
 *  chunk_count (net/blob_relay.h BlobMsgProof), so they cannot disagree with
 *  the chunk's position. */
struct BlobMsg {
    uint256 blob_id;
    /** < chunk_count. */
    uint32_t chunk_index{0};
    /** 1..MAX_BLOB_CHUNKS. */
    uint32_t chunk_count{1};
    /** The blob's total size, at most MAX_BLOB_SIZE. */
    uint64_t blob_size{0};
    /** At most MAX_BLOB_CHUNK_SIZE bytes. */
    std::vector<uint8_t> data;
    /** Sibling hashes from the chunk to the root, at most MAX_BLOB_PROOF_DEPTH. */
    std::vector<uint256> proof;
    friend bool operator==(const BlobMsg&, const BlobMsg&) = default;
};
/** mempool: send me inv for your whole mempool (whitelisted peers only). */
struct MempoolMsg {
    friend bool operator==(const MempoolMsg&, const MempoolMsg&) = default;
};

/** Any message of the command table. */
using Message = std::variant<VersionMsg, VerackMsg, PingMsg, PongMsg, SendHeadersMsg, FeeFilterMsg, WtxidRelayMsg,
                             AddrMsg, GetAddrMsg, GetHeadersMsg, HeadersMsg, InvMsg, GetDataMsg, NotFoundMsg, TxMsg,
                             BlockMsg, GetBlobMsg, BlobMsg, MempoolMsg>;

/** The command of a message ("version", "ping", ...). */
std::string_view CommandOf(const Message& message);

/** The payload of a message. Never fails; encoding a message whose fields
 *  break a decoder's rule (a user agent over 256 bytes) yields a payload the
 *  decoder refuses, which is how tests build invalid messages. */
std::vector<uint8_t> EncodePayload(const Message& message);

/** Decodes the payload of `command`. Errors: an unknown command ("unknown
 *  command"), a payload longer than the command's limit, or any rule of the
 *  file comment broken; the message says which. */
Result<Message> DecodeMessage(std::string_view command, std::span<const uint8_t> payload);

/** Writes / reads an address without time (version) and with time (addr).
 *  The readers throw SerializeError; for use inside a Decode() boundary. */
void WriteVersionAddress(Writer& w, const VersionAddress& addr);
VersionAddress ReadVersionAddress(Reader& r);
void WriteAddressEntry(Writer& w, const AddressEntry& entry);
AddressEntry ReadAddressEntry(Reader& r);

}  // namespace hpips::net

#endif  // HPIPS_NET_MESSAGES_H
