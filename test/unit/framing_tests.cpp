// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/framing.h>

#include <consensus/params.h>
#include <crypto/sha256.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hpips::net {
namespace {

const std::array<uint8_t, 4> MAGIC = Params(Network::REGTEST).message_start;

std::vector<uint8_t> Payload(size_t n, uint8_t fill = 0x5a) { return std::vector<uint8_t>(n, fill); }

/** Feeds the whole stream; returns the messages and the error, if any. */
struct FeedResult {
    std::vector<NetMessage> messages;
    std::optional<FrameError> error;
    size_t consumed{0};
};

FeedResult FeedAll(FrameParser& parser, std::span<const uint8_t> stream, size_t step = SIZE_MAX)
{
    FeedResult result;
    while (result.consumed < stream.size()) {
        const size_t len = std::min(step, stream.size() - result.consumed);
        const size_t n = parser.Feed(stream.subspan(result.consumed, len));
        result.consumed += n;
        if (parser.MessageReady()) {
            result.messages.push_back(parser.TakeMessage());
            continue;
        }
        if (parser.Error()) {
            result.error = parser.Error();
            return result;
        }
        if (n == 0) break;
    }
    return result;
}

TEST(FramingTest, HeaderLayout)
{
    const auto frame = BuildFrame(MAGIC, "ping", Payload(8, 1));
    ASSERT_EQ(frame.size(), MESSAGE_HEADER_SIZE + 8);
    EXPECT_TRUE(std::equal(MAGIC.begin(), MAGIC.end(), frame.begin()));
    EXPECT_EQ(std::string(reinterpret_cast<const char*>(frame.data() + 4), 4), "ping");
    for (size_t i{8}; i < 16; ++i) EXPECT_EQ(frame[i], 0) << i;  // NUL padding
    EXPECT_EQ(frame[16], 8);                                      // length, little-endian
    EXPECT_EQ(frame[17] | frame[18] | frame[19], 0);
    const uint256 hash = Sha256d(Payload(8, 1));
    EXPECT_TRUE(std::equal(frame.begin() + 20, frame.begin() + 24, hash.span().begin()));
}

TEST(FramingTest, EmptyPayloadChecksumIsSha256dOfNothing)
{
    // SHA256d("") starts 5d f6 e0 e2.
    const auto checksum = PayloadChecksum({});
    EXPECT_EQ(checksum, (std::array<uint8_t, 4>{0x5d, 0xf6, 0xe0, 0xe2}));
}

TEST(FramingTest, ParsesBackToBackMessagesInAnySplit)
{
    std::vector<uint8_t> stream;
    for (const auto& [command, size] : std::vector<std::pair<std::string, size_t>>{
             {"verack", 0}, {"ping", 8}, {"addr", 31}, {"somethingnew", 5}}) {
        const auto frame = BuildFrame(MAGIC, command, Payload(size, static_cast<uint8_t>(size)));
        stream.insert(stream.end(), frame.begin(), frame.end());
    }
    for (const size_t step : {size_t{1}, size_t{7}, size_t{24}, size_t{25}, SIZE_MAX}) {
        FrameParser parser{MAGIC};
        const auto result = FeedAll(parser, stream, step);
        ASSERT_FALSE(result.error) << step;
        ASSERT_EQ(result.messages.size(), 4u) << step;
        EXPECT_EQ(result.messages[0].command, "verack");
        EXPECT_TRUE(result.messages[0].payload.empty());
        EXPECT_EQ(result.messages[1].command, "ping");
        EXPECT_EQ(result.messages[1].payload, Payload(8, 8));
        EXPECT_EQ(result.messages[2].payload.size(), 31u);
        EXPECT_EQ(result.messages[2].wire_size, MESSAGE_HEADER_SIZE + 31);
        EXPECT_EQ(result.messages[3].command, "somethingnew");
    }
}

TEST(FramingTest, BadMagicIsRefusedAtTheHeader)
{
    auto frame = BuildFrame(Params(Network::MAIN).message_start, "ping", Payload(8));
    FrameParser parser{MAGIC};
    // The error shows once the header is complete, before any payload byte.
    EXPECT_EQ(parser.Feed(std::span{frame}.first(MESSAGE_HEADER_SIZE)), MESSAGE_HEADER_SIZE);
    EXPECT_EQ(parser.Error(), FrameError::BAD_MAGIC);
    EXPECT_EQ(parser.Feed(std::span{frame}.subspan(MESSAGE_HEADER_SIZE)), 0u);
}

TEST(FramingTest, BadChecksumIsRefused)
{
    auto frame = BuildFrame(MAGIC, "ping", Payload(8));
    frame[20] ^= 1;
    FrameParser parser{MAGIC};
    const auto result = FeedAll(parser, frame);
    EXPECT_EQ(result.error, FrameError::BAD_CHECKSUM);
    EXPECT_TRUE(result.messages.empty());
}

TEST(FramingTest, CommandFieldRules)
{
    const auto check = [](std::array<uint8_t, COMMAND_SIZE> field) {
        std::string command;
        return ParseCommandField(field, command);
    };
    std::array<uint8_t, COMMAND_SIZE> field{};
    EXPECT_FALSE(check(field));  // empty
    field = {'p', 'i', 'n', 'g'};
    EXPECT_TRUE(check(field));
    field = {'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l'};
    EXPECT_TRUE(check(field));  // twelve characters, no padding
    field = {'p', 'i', 0, 'g'};
    EXPECT_FALSE(check(field));  // a character after the padding started
    field = {'p', 0x1f};
    EXPECT_FALSE(check(field));  // control character
    field = {'p', 0x7f};
    EXPECT_FALSE(check(field));  // DEL
    field = {'p', 0x80};
    EXPECT_FALSE(check(field));  // not ASCII
    field = {' ', '~'};
    EXPECT_TRUE(check(field));  // the printable range ends are allowed

    auto frame = BuildFrame(MAGIC, "ping", Payload(8));
    frame[4 + 6] = 'x';  // garbage after the NUL
    FrameParser parser{MAGIC};
    EXPECT_EQ(FeedAll(parser, frame).error, FrameError::BAD_COMMAND);
}

/** A header announcing `length` bytes for `command`, with no payload after it. */
std::vector<uint8_t> HeaderOnly(std::string_view command, uint32_t length)
{
    auto frame = BuildFrame(MAGIC, command, {});
    for (size_t i{0}; i < 4; ++i) frame[16 + i] = static_cast<uint8_t>(length >> (8 * i));
    return frame;
}

TEST(FramingTest, EveryCommandLimitHoldsAtTheLimitAndFailsOneAbove)
{
    std::vector<std::pair<std::string, size_t>> limits;
    for (const auto& info : CommandTable()) limits.emplace_back(std::string{info.command}, info.max_payload);
    limits.emplace_back("unknowncmd", MAX_UNKNOWN_PAYLOAD);
    for (const auto& [command, limit] : limits) {
        EXPECT_EQ(MaxPayloadSize(command), limit);
        {
            // One above: refused from the header alone, nothing buffered.
            FrameParser parser{MAGIC};
            const auto header = HeaderOnly(command, static_cast<uint32_t>(limit + 1));
            EXPECT_EQ(parser.Feed(header), MESSAGE_HEADER_SIZE);
            EXPECT_EQ(parser.Error(), FrameError::OVERSIZED) << command;
            EXPECT_EQ(parser.BufferedBytes(), MESSAGE_HEADER_SIZE);
        }
        {
            // At the limit: the payload is read and the message delivered.
            FrameParser parser{MAGIC};
            const auto frame = BuildFrame(MAGIC, command, Payload(limit));
            const auto result = FeedAll(parser, frame, 65536);
            EXPECT_FALSE(result.error) << command;
            ASSERT_EQ(result.messages.size(), 1u) << command;
            EXPECT_EQ(result.messages[0].payload.size(), limit);
        }
    }
}

TEST(FramingTest, LargeAnnouncedPayloadCostsOnlyWhatArrives)
{
    FrameParser parser{MAGIC};
    const auto header = HeaderOnly("block", static_cast<uint32_t>(MAX_BLOCK_PAYLOAD));
    EXPECT_EQ(parser.Feed(header), MESSAGE_HEADER_SIZE);
    EXPECT_FALSE(parser.Error());
    const auto some = Payload(10);
    EXPECT_EQ(parser.Feed(some), 10u);
    EXPECT_LE(parser.BufferedBytes(), MESSAGE_HEADER_SIZE + FrameParser::PAYLOAD_RESERVE_STEP);
    // Growth follows the bytes, never past the announced length.
    const auto more = Payload(MAX_BLOCK_PAYLOAD - 10);
    EXPECT_EQ(parser.Feed(more), more.size());
    EXPECT_LE(parser.BufferedBytes(), MESSAGE_HEADER_SIZE + MAX_BLOCK_PAYLOAD);
    EXPECT_EQ(parser.Error(), FrameError::BAD_CHECKSUM);  // the header's checksum was for an empty payload
}

TEST(FramingTest, StopsAfterEachMessage)
{
    auto stream = BuildFrame(MAGIC, "verack", {});
    const auto second = BuildFrame(MAGIC, "verack", {});
    stream.insert(stream.end(), second.begin(), second.end());
    FrameParser parser{MAGIC};
    EXPECT_EQ(parser.Feed(stream), MESSAGE_HEADER_SIZE);
    EXPECT_TRUE(parser.MessageReady());
    EXPECT_EQ(parser.Feed(std::span{stream}.subspan(MESSAGE_HEADER_SIZE)), 0u);  // until taken
    parser.TakeMessage();
    EXPECT_EQ(parser.Feed(std::span{stream}.subspan(MESSAGE_HEADER_SIZE)), MESSAGE_HEADER_SIZE);
    EXPECT_TRUE(parser.MessageReady());
}

}  // namespace
}  // namespace hpips::net
