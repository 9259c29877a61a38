// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_NET_FRAMING_H
#define HPIPS_NET_FRAMING_H

#include <net/protocol.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/**
 * Message framing: the 24-byte header (magic, command, payload length,
 * checksum) and an incremental parser that turns a byte stream into
 * messages.
 *
 * The parser validates the header as soon as its 24 bytes are in: the magic,
 * the command (1 to 12 printable ASCII characters, then NUL padding only),
 * and the payload length against the command's limit (protocol.h,
 * MaxPayloadSize). Only then does it accept payload bytes, and it grows the
 * payload buffer as bytes arrive, never to more than the announced length,
 * so a peer that announces a large payload and sends nothing costs nothing.
 * The checksum is checked when the payload is complete.
 *
 * Thread safety: a FrameParser is used by one connection's read path only.
 */
namespace hpips::net {

/** Why a stream was refused; each one ends the connection. */
enum class FrameError : uint8_t {
    /** The first four bytes are not this chain's message start. */
    BAD_MAGIC,
    /** The command is empty, has a byte outside 0x20..0x7e, or a non-NUL
     *  byte after the padding starts. */
    BAD_COMMAND,
    /** The announced payload length exceeds the command's limit. */
    OVERSIZED,
    /** The payload does not match the header's checksum. */
    BAD_CHECKSUM,
};

/** "bad magic", "bad command", "oversized", "bad checksum". */
std::string_view FrameErrorName(FrameError error);

/** A complete message as received. */
struct NetMessage {
    std::string command;
    std::vector<uint8_t> payload;
    /** Header and payload bytes, for the per-command byte counters. */
    size_t wire_size{0};
};

/** The first CHECKSUM_SIZE bytes of SHA256d(payload). */
std::array<uint8_t, CHECKSUM_SIZE> PayloadChecksum(std::span<const uint8_t> payload);

/** True if `field` (COMMAND_SIZE bytes) is a valid command field; `command`
 *  receives the name without its padding. */
bool ParseCommandField(std::span<const uint8_t, COMMAND_SIZE> field, std::string& command);

/** A complete frame: header and payload. `command` must be 1..12 bytes
 *  (not checked further, so tests can build bad frames with it). */
std::vector<uint8_t> BuildFrame(const std::array<uint8_t, 4>& magic, std::string_view command,
                                std::span<const uint8_t> payload);

/** Turns a byte stream into messages (see the file comment). */
class FrameParser {
public:
    /** Bytes of payload buffer reserved at once before the bytes arrive. */
    static constexpr size_t PAYLOAD_RESERVE_STEP = 64 * 1024;

    explicit FrameParser(const std::array<uint8_t, 4>& magic) : m_magic{magic} {}

    /** Consumes bytes from `data` until one message is complete, an error
     *  is found, or `data` is used up; returns how many bytes it consumed.
     *  After an error or while a message is ready it consumes nothing.
     *  Cost: linear in the bytes consumed, plus one SHA256d per message. */
    size_t Feed(std::span<const uint8_t> data);

    /** The error that stopped the stream, if any. */
    std::optional<FrameError> Error() const { return m_error; }
    /** A readable detail of the error for the log ("command 'block' payload
     *  5000000 > 4000000"). */
    const std::string& ErrorDetail() const { return m_error_detail; }

    /** True when a complete message waits in TakeMessage. */
    bool MessageReady() const { return m_ready; }
    /** Moves the ready message out and starts on the next header. */
    NetMessage TakeMessage();

    /** Bytes held for the message being read (header and payload buffer
     *  capacity): bounded by the largest payload limit. */
    size_t BufferedBytes() const { return m_header_filled + m_payload.capacity(); }

private:
    void ParseHeader();

    std::array<uint8_t, 4> m_magic;
    std::array<uint8_t, MESSAGE_HEADER_SIZE> m_header{};
    size_t m_header_filled{0};
    std::string m_command;
    uint32_t m_length{0};
    std::array<uint8_t, CHECKSUM_SIZE> m_checksum{};
    std::vector<uint8_t> m_payload;
    bool m_in_payload{false};
    bool m_ready{false};
    std::optional<FrameError> m_error;
    std::string m_error_detail;
};

}  // namespace hpips::net

#endif  // HPIPS_NET_FRAMING_H
