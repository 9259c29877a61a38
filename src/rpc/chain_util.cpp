// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/chain_util.h>

#include <primitives/address.h>
#include <rpc/json.h>
#include <rpc/util.h>
#include <util/strencodings.h>

#include <limits>
#include <thread>

namespace hpips {
namespace {

namespace json = boost::json;

}  // namespace

uint256 ParseHashV(const json::value& value, std::string_view name)
{
    if (!IsJsonString(value)) {
        throw RPCError{RPCErrorCode::TYPE_ERROR, std::string{name} + " must be a string (not " +
                                                     std::string{JsonTypeName(value)} + ")"};
    }
    const std::string_view text{value.get_string()};
    if (text.size() != 2 * uint256::SIZE) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, std::string{name} + " must be of length 64 (not " +
                                                            std::to_string(text.size()) + ", for '" +
                                                            TruncateForMessage(text) + "')"};
    }
    const auto hash = uint256::FromHex(text);
    if (!hash) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                       std::string{name} + " must be hexadecimal string (not '" + std::string{text} + "')"};
    }
    return *hash;
}

uint256 ParseHashO(const json::object& object, std::string_view key)
{
    const json::value* value = object.if_contains(key);
    if (value == nullptr || value->is_null()) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid parameter, missing " + std::string{key} + " key"};
    }
    return ParseHashV(*value, key);
}

std::optional<std::vector<uint8_t>> ParseBoundedHex(std::string_view hex, size_t max_length)
{
    if (hex.size() > max_length) return std::nullopt;
    return ParseHex(hex);
}

Result<Transaction> DecodeHexTx(std::string_view hex)
{
    if (hex.size() > MAX_TX_HEX_LENGTH) return Error{"transaction larger than " + std::to_string(MAX_TX_SIZE) + " bytes"};
    const auto bytes = ParseHex(hex);
    if (!bytes) return Error{"not a hex string"};
    return DecodeTransaction(*bytes);
}

Result<Block> DecodeHexBlock(std::string_view hex)
{
    if (hex.size() > MAX_BLOCK_HEX_LENGTH) return Error{"block larger than " + std::to_string(MAX_BLOCK_SIZE) + " bytes"};
    const auto bytes = ParseHex(hex);
    if (!bytes) return Error{"not a hex string"};
    return DecodeBlock(*bytes);
}

Destination ParseAddressOrThrow(std::string_view address, Network net, std::string_view message_prefix)
{
    auto dest = DecodeAddress(address, net);
    if (!dest) {
        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, std::string{message_prefix} + TruncateForMessage(address)};
    }
    return std::move(*dest);
}

uint64_t UInt64FromValue(const json::value& value)
{
    if (value.is_uint64()) return value.get_uint64();
    if (value.is_int64() && value.get_int64() >= 0) return static_cast<uint64_t>(value.get_int64());
    if (IsJsonNumber(value)) throw RPCError{RPCErrorCode::TYPE_ERROR, "JSON integer out of range"};
    throw RPCError{RPCErrorCode::TYPE_ERROR,
                   "JSON value of type " + std::string{JsonTypeName(value)} + " is not of expected type number"};
}

Amount ParseFeeRate(const json::value& value)
{
    const Amount rate = AmountFromValue(value);
    if (rate >= COIN) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Fee rates larger than or equal to 1 coin/kvB are not accepted"};
    }
    return rate;
}

PollEnd PollChain(const ChainContext& ctx, std::chrono::milliseconds max_wait, const std::function<bool()>& done)
{
    const auto deadline = std::chrono::steady_clock::now() + max_wait;
    while (true) {
        if (done()) return PollEnd::DONE;
        if (ctx.interrupt != nullptr && ctx.interrupt->load()) return PollEnd::SHUTDOWN;
        const auto now = std::chrono::steady_clock::now();
        if (now >= deadline) return PollEnd::TIMEOUT;
        const std::chrono::steady_clock::duration interval = CHAIN_POLL_INTERVAL;
        std::this_thread::sleep_for(std::min(interval, deadline - now));
    }
}

}  // namespace hpips
