// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/key_io.h>

#include <crypto/base58.h>
#include <crypto/cleanse.h>

#include <algorithm>
#include <array>
#include <span>
#include <vector>

namespace hpips {

uint8_t WifVersion(Network net) { return net == Network::MAIN ? WIF_VERSION_MAIN : WIF_VERSION_TEST; }

std::string EncodeSecret(const PrivKey& key, Network net)
{
    std::array<uint8_t, WIF_PAYLOAD_SIZE> payload{};
    payload[0] = WifVersion(net);
    std::copy(key.bytes().begin(), key.bytes().end(), payload.begin() + 1);
    payload[WIF_PAYLOAD_SIZE - 1] = WIF_COMPRESSED_FLAG;
    std::string out = EncodeBase58Check(payload);
    MemoryCleanse(payload.data(), payload.size());
    return out;
}

std::optional<PrivKey> DecodeSecret(std::string_view text, Network net)
{
    if (text.size() > MAX_WIF_LENGTH) return std::nullopt;
    auto decoded = DecodeBase58Check(text, WIF_PAYLOAD_SIZE);
    if (!decoded) return std::nullopt;
    std::vector<uint8_t>& payload = *decoded;
    std::optional<PrivKey> key;
    if (payload.size() == WIF_PAYLOAD_SIZE && payload[0] == WifVersion(net) &&
        payload[WIF_PAYLOAD_SIZE - 1] == WIF_COMPRESSED_FLAG) {
        key = PrivKey::FromBytes(std::span{payload}.subspan(1, PrivKey::SIZE));
    }
    MemoryCleanse(payload.data(), payload.size());
    return key;
}

}  // namespace hpips
