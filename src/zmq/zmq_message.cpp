// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <zmq/zmq_message.h>

#include <algorithm>

namespace hpips {

std::string_view ZmqTopicName(ZmqTopic topic)
{
    switch (topic) {
    case ZmqTopic::HASHBLOCK: return "hashblock";
    case ZmqTopic::HASHTX: return "hashtx";
    case ZmqTopic::RAWBLOCK: return "rawblock";
    case ZmqTopic::RAWTX: return "rawtx";
    case ZmqTopic::SEQUENCE: return "sequence";
    }
    return "";
}

std::array<uint8_t, 32> ZmqHashBody(const uint256& hash)
{
    std::array<uint8_t, 32> body{};
    std::reverse_copy(hash.begin(), hash.end(), body.begin());
    return body;
}

std::vector<uint8_t> ZmqSequenceBody(const uint256& hash, ZmqSequenceLabel label, uint64_t mempool_sequence)
{
    const auto hash_body = ZmqHashBody(hash);
    std::vector<uint8_t> body(hash_body.begin(), hash_body.end());
    body.push_back(static_cast<uint8_t>(label));
    if (label == ZmqSequenceLabel::TX_ADDED || label == ZmqSequenceLabel::TX_REMOVED) {
        for (int i{0}; i < 8; ++i) body.push_back(static_cast<uint8_t>(mempool_sequence >> (8 * i)));
    }
    return body;
}

std::array<uint8_t, 4> ZmqSequenceFrame(uint32_t sequence)
{
    return {static_cast<uint8_t>(sequence), static_cast<uint8_t>(sequence >> 8), static_cast<uint8_t>(sequence >> 16),
            static_cast<uint8_t>(sequence >> 24)};
}

}  // namespace hpips
