// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/framing.h>

#include <crypto/sha256.h>

#include <algorithm>
#include <cstring>

namespace hpips::net {

std::string_view FrameErrorName(FrameError error)
{
    switch (error) {
    case FrameError::BAD_MAGIC: return "bad magic";
    case FrameError::BAD_COMMAND: return "bad command";
    case FrameError::OVERSIZED: return "oversized";
    case FrameError::BAD_CHECKSUM: return "bad checksum";
    }
    return "";
}

std::array<uint8_t, CHECKSUM_SIZE> PayloadChecksum(std::span<const uint8_t> payload)
{
    const uint256 hash = Sha256d(payload);
    std::array<uint8_t, CHECKSUM_SIZE> out;
    std::copy_n(hash.span().begin(), CHECKSUM_SIZE, out.begin());
    return out;
}

bool ParseCommandField(std::span<const uint8_t, COMMAND_SIZE> field, std::string& command)
{
    size_t length{0};
    while (length < COMMAND_SIZE && field[length] != 0) {
        if (field[length] < 0x20 || field[length] > 0x7e) return false;
        ++length;
    }
    if (length == 0) return false;
    for (size_t i{length}; i < COMMAND_SIZE; ++i) {
        if (field[i] != 0) return false;
    }
    command.assign(reinterpret_cast<const char*>(field.data()), length);
    return true;
}

std::vector<uint8_t> BuildFrame(const std::array<uint8_t, 4>& magic, std::string_view command,
                                std::span<const uint8_t> payload)
{
    std::vector<uint8_t> frame(MESSAGE_HEADER_SIZE + payload.size());
    std::copy(magic.begin(), magic.end(), frame.begin());
    std::memcpy(frame.data() + 4, command.data(), std::min(command.size(), COMMAND_SIZE));
    const auto length = static_cast<uint32_t>(payload.size());
    for (size_t i{0}; i < 4; ++i) frame[16 + i] = static_cast<uint8_t>(length >> (8 * i));
    const auto checksum = PayloadChecksum(payload);
    std::copy(checksum.begin(), checksum.end(), frame.begin() + 20);
    std::copy(payload.begin(), payload.end(), frame.begin() + MESSAGE_HEADER_SIZE);
    return frame;
}

void FrameParser::ParseHeader()
{
    if (!std::equal(m_magic.begin(), m_magic.end(), m_header.begin())) {
        m_error = FrameError::BAD_MAGIC;
        m_error_detail = "message start does not match this chain";
        return;
    }
    if (!ParseCommandField(std::span<const uint8_t, COMMAND_SIZE>{m_header.data() + 4, COMMAND_SIZE}, m_command)) {
        m_error = FrameError::BAD_COMMAND;
        m_error_detail = "invalid command field";
        return;
    }
    m_length = 0;
    for (size_t i{0}; i < 4; ++i) m_length |= static_cast<uint32_t>(m_header[16 + i]) << (8 * i);
    const size_t limit = MaxPayloadSize(m_command);
    if (m_length > limit) {
        m_error = FrameError::OVERSIZED;
        m_error_detail = "command '" + m_command + "' payload " + std::to_string(m_length) + " > " +
                         std::to_string(limit);
        return;
    }
    std::copy_n(m_header.begin() + 20, CHECKSUM_SIZE, m_checksum.begin());
    m_payload.clear();
    m_payload.reserve(std::min<size_t>(m_length, PAYLOAD_RESERVE_STEP));
    m_in_payload = true;
}

size_t FrameParser::Feed(std::span<const uint8_t> data)
{
    size_t consumed{0};
    while (!m_error && !m_ready && consumed < data.size()) {
        if (!m_in_payload) {
            const size_t take = std::min(MESSAGE_HEADER_SIZE - m_header_filled, data.size() - consumed);
            std::copy_n(data.begin() + consumed, take, m_header.begin() + m_header_filled);
            m_header_filled += take;
            consumed += take;
            if (m_header_filled < MESSAGE_HEADER_SIZE) break;
            ParseHeader();
            if (m_error) break;
        } else {
            const size_t take = std::min<size_t>(m_length - m_payload.size(), data.size() - consumed);
            const size_t needed = m_payload.size() + take;
            if (needed > m_payload.capacity()) {
                // Grow by steps, never past the announced length: memory
                // follows the bytes that actually arrived.
                m_payload.reserve(std::min<size_t>(m_length, std::max(needed, m_payload.capacity() * 2)));
            }
            m_payload.insert(m_payload.end(), data.begin() + consumed, data.begin() + consumed + take);
            consumed += take;
        }
        if (m_in_payload && m_payload.size() == m_length) {
            if (PayloadChecksum(m_payload) != m_checksum) {
                m_error = FrameError::BAD_CHECKSUM;
                m_error_detail = "command '" + m_command + "' checksum mismatch";
                break;
            }
            m_ready = true;
        }
    }
    return consumed;
}

NetMessage FrameParser::TakeMessage()
{
    NetMessage message;
    message.command = std::move(m_command);
    message.payload = std::move(m_payload);
    message.wire_size = MESSAGE_HEADER_SIZE + message.payload.size();
    m_command.clear();
    m_payload = {};
    m_header_filled = 0;
    m_in_payload = false;
    m_ready = false;
    return message;
}

}  // namespace hpips::net
