// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Key material from text and bytes: the input as a WIF private key and as an
// address on each network, and its leading bytes as a secret, an x-only
// public key and a compressed public key. Whatever parses must re-encode to
// the same text or bytes, the networks must agree on what they share (test
// and regtest use one WIF version; an address belongs to one network), and
// a parsed secret must sign a message that its public keys verify.
#include <crypto/key.h>
#include <primitives/address.h>
#include <primitives/destination.h>
#include <primitives/key_io.h>
#include <primitives/network.h>
#include <util/uint256.h>

#include "fuzz_input.h"

#include <algorithm>
#include <array>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace {

using hpips::fuzz::Check;

std::string Lower(std::string_view in)
{
    std::string out{in};
    for (char& c : out) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return out;
}

template <typename A, typename B>
bool SameBytes(const A& a, const B& b)
{
    return std::equal(a.begin(), a.end(), b.begin(), b.end());
}

/** A parsed secret: its bytes round-trip, its public keys are valid and
 *  agree, and a signature made with it verifies under its x-only key. */
void CheckSecret(const hpips::PrivKey& key)
{
    using namespace hpips;
    const auto again{PrivKey::FromBytes(key.bytes())};
    Check(again && SameBytes(again->bytes(), key.bytes()));
    const XOnlyPubKey xonly{key.GetXOnlyPubKey()};
    Check(xonly.IsValid());
    const PubKey pubkey{key.GetPubKey()};
    Check(pubkey.GetXOnlyPubKey() == xonly);
    const auto reparsed{PubKey::Parse(pubkey.bytes())};
    Check(reparsed && *reparsed == pubkey);
    const uint256 msg{};
    const std::array<uint8_t, SCHNORR_AUX_RAND_SIZE> aux{};
    const auto sig{key.SignSchnorr(msg, aux)};
    Check(xonly.VerifySchnorr(msg, sig));
    for (const Network net : {Network::MAIN, Network::TEST, Network::REGTEST}) {
        const auto decoded{DecodeSecret(EncodeSecret(key, net), net)};
        Check(decoded && SameBytes(decoded->bytes(), key.bytes()));
        const std::string address{EncodeAddress(KeyDestination(xonly), net)};
        const auto dest{DecodeAddress(address, net)};
        Check(dest && *dest == KeyDestination(xonly));
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    const std::span<const uint8_t> input{data, size};
    const std::string_view text{reinterpret_cast<const char*>(data), size};

    // WIF: the same text on every network; test and regtest share a version byte.
    std::optional<PrivKey> wif[3];
    const Network networks[3]{Network::MAIN, Network::TEST, Network::REGTEST};
    for (size_t i = 0; i < 3; ++i) {
        wif[i] = DecodeSecret(text, networks[i]);
        if (wif[i]) {
            Check(EncodeSecret(*wif[i], networks[i]) == text);
            CheckSecret(*wif[i]);
        }
    }
    Check(!(wif[0] && wif[1]));
    Check(wif[1].has_value() == wif[2].has_value());

    // Addresses: at most one network accepts a given text.
    size_t accepted{0};
    for (const Network net : networks) {
        const auto dest{DecodeAddress(text, net)};
        if (!dest) {
            Check(!dest.error_message().empty());
            continue;
        }
        ++accepted;
        Check(dest->IsKey());
        Check(EncodeAddress(*dest, net) == Lower(text));
        // Any 32 bytes decode; only a point on the curve is a usable key.
        const XOnlyPubKey key{std::span<const uint8_t, XONLY_KEY_SIZE>{dest->payload.data(), XONLY_KEY_SIZE}};
        (void)key.IsValid();
    }
    Check(accepted <= 1);

    // Raw key bytes.
    if (const auto secret = PrivKey::FromBytes(input.first(std::min(size, PrivKey::SIZE)))) {
        Check(size >= PrivKey::SIZE);
        CheckSecret(*secret);
    }
    if (size >= XOnlyPubKey::SIZE) {
        const XOnlyPubKey xonly{input.first<XOnlyPubKey::SIZE>()};
        const bool valid{xonly.IsValid()};
        // Verification with whatever follows as the signature never crashes,
        // and never succeeds for an invalid key.
        const auto sig{input.subspan(XOnlyPubKey::SIZE)};
        if (xonly.VerifySchnorr(uint256{}, sig)) Check(valid && sig.size() == SCHNORR_SIGNATURE_SIZE);
        if (xonly.VerifySchnorr(input.first(size / 2), sig)) Check(valid);
    }
    if (const auto pubkey = PubKey::Parse(input.first(std::min(size, PubKey::SIZE)))) {
        Check(size >= PubKey::SIZE && SameBytes(pubkey->bytes(), input.first(PubKey::SIZE)));
        Check(pubkey->GetXOnlyPubKey().IsValid());
    }
    return 0;
}
