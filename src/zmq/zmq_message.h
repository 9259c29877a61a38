// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_ZMQ_ZMQ_MESSAGE_H
#define HPIPS_ZMQ_ZMQ_MESSAGE_H

#include <util/uint256.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

/** The ZMQ notification messages (doc/zmq.md), as Bitcoin Core sends them.
 *  Every message is three frames: the topic name, the body, and the
 *  topic's 4-byte little-endian sequence number (counted per topic and
 *  address from 0, one per message sent). Pure functions: no sockets here. */
namespace hpips {

/** What a publisher sends. */
enum class ZmqTopic {
    HASHBLOCK,  //!< body: the new tip's hash (32 bytes, display order)
    HASHTX,     //!< body: a transaction's txid (32 bytes, display order)
    RAWBLOCK,   //!< body: the new tip's serialized block
    RAWTX,      //!< body: a serialized transaction (with its witness)
    SEQUENCE,   //!< body: SequenceBody (blocks connected/disconnected, pool additions/removals)
};

/** Every topic, in the order getzmqnotifications lists them. */
constexpr std::array<ZmqTopic, 5> ALL_ZMQ_TOPICS{ZmqTopic::HASHBLOCK, ZmqTopic::HASHTX, ZmqTopic::RAWBLOCK,
                                                 ZmqTopic::RAWTX, ZmqTopic::SEQUENCE};

/** The topic frame: "hashblock", "hashtx", "rawblock", "rawtx", "sequence". */
std::string_view ZmqTopicName(ZmqTopic topic);

/** The label byte of a sequence message. */
enum class ZmqSequenceLabel : uint8_t {
    BLOCK_CONNECTED = 'C',
    BLOCK_DISCONNECTED = 'D',
    TX_ADDED = 'A',    //!< followed by the pool's 8-byte sequence number
    TX_REMOVED = 'R',  //!< followed by the pool's 8-byte sequence number
};

/** A 32-byte hash body: the hash in display order (the byte order of its
 *  hex form, reversed from how it is serialized), as Core sends it. */
std::array<uint8_t, 32> ZmqHashBody(const uint256& hash);

/** A sequence body: the hash (display order), the label, and for TX_ADDED
 *  and TX_REMOVED the pool's sequence number (8 bytes little-endian; see
 *  Mempool, "mempool_sequence"). 33 or 41 bytes. `mempool_sequence` is
 *  required for the transaction labels and ignored for the block ones. */
std::vector<uint8_t> ZmqSequenceBody(const uint256& hash, ZmqSequenceLabel label, uint64_t mempool_sequence = 0);

/** The third frame: `sequence` as 4 bytes little-endian. */
std::array<uint8_t, 4> ZmqSequenceFrame(uint32_t sequence);

}  // namespace hpips

#endif  // HPIPS_ZMQ_ZMQ_MESSAGE_H
