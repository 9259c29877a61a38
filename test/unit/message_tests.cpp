// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/message.h>

#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace hpips {
namespace {

std::vector<uint8_t> Bytes(std::string_view hex) { return *ParseHex(hex); }

// The fixed vector of doc/wallet.md ("Signed messages"), computed with an
// independent Python BIP-340 implementation (the BIP's algorithm written out
// in plain integers): secret = SHA256("HPIPS message signing test key"),
// aux_rand = 32 zero bytes, message "Hello, HPIPS".
constexpr std::string_view VECTOR_SECRET = "a60d91b58acf9647be3a1957d842fab22afd33297c42b24a0f8484e06f583a5b";
constexpr std::string_view VECTOR_XONLY = "b2cd2f96895e614e4fd13c87b43bf02b9eeb391379c860c6bbf4eeff0c31095d";
constexpr std::string_view VECTOR_MESSAGE = "Hello, HPIPS";
constexpr std::string_view VECTOR_HASH = "3b99b75cc5d083849d27f41a6f7729d2db98e95a8709bc04dcb762d7a0ba295c";
constexpr std::string_view VECTOR_SIG =
    "12f37b9c3c65378f6c8747e402e053dc35a5a879d6f935412942e24f9d25c501"
    "b3190308e12204ddd108f087a104d72d0d0828d8ce91d4803c6385fc9ebd4535";

PrivKey VectorKey() { return *PrivKey::FromBytes(Bytes(VECTOR_SECRET)); }

Destination VectorDestination()
{
    std::array<uint8_t, XONLY_KEY_SIZE> xonly{};
    const auto bytes = Bytes(VECTOR_XONLY);
    std::copy(bytes.begin(), bytes.end(), xonly.begin());
    return Destination::ForKey(xonly);
}

TEST(MessageTests, HashIsTheTaggedHashOfTheBytes)
{
    const uint256 hash = MessageHash(VECTOR_MESSAGE);
    EXPECT_EQ(HexStr(hash.span()), VECTOR_HASH);
    EXPECT_EQ(hash, TaggedHash("HPIPS/message", StringBytes(VECTOR_MESSAGE)));
    EXPECT_NE(MessageHash("Hello, HPIPS "), hash);
}

TEST(MessageTests, FixedVectorSignsAndVerifies)
{
    const PrivKey key = VectorKey();
    ASSERT_EQ(HexStr(key.GetXOnlyPubKey().bytes()), VECTOR_XONLY);
    const std::array<uint8_t, SCHNORR_AUX_RAND_SIZE> aux{};
    const auto sig = SignMessage(key, VECTOR_MESSAGE, aux);
    EXPECT_EQ(HexStr(sig), VECTOR_SIG);
    EXPECT_TRUE(VerifyMessage(VectorDestination(), Bytes(VECTOR_SIG), VECTOR_MESSAGE));
}

TEST(MessageTests, RandomisedSignaturesVerify)
{
    const PrivKey key = VectorKey();
    const auto a = SignMessage(key, "x");
    const auto b = SignMessage(key, "x");
    EXPECT_NE(a, b);
    EXPECT_TRUE(VerifyMessage(VectorDestination(), a, "x"));
    EXPECT_TRUE(VerifyMessage(VectorDestination(), b, "x"));
}

TEST(MessageTests, RejectsWrongMessageKeySizeAndKind)
{
    auto sig = Bytes(VECTOR_SIG);
    const Destination dest = VectorDestination();
    EXPECT_FALSE(VerifyMessage(dest, sig, "Hello, HPIPS!"));
    // Another key.
    const PrivKey other = PrivKey::Generate();
    EXPECT_FALSE(VerifyMessage(KeyDestination(other.GetXOnlyPubKey()), sig, VECTOR_MESSAGE));
    // One byte more or less than a signature.
    auto longer = sig;
    longer.push_back(0);
    EXPECT_FALSE(VerifyMessage(dest, longer, VECTOR_MESSAGE));
    EXPECT_FALSE(VerifyMessage(dest, std::span<const uint8_t>{sig.data(), sig.size() - 1}, VECTOR_MESSAGE));
    // A flipped bit.
    sig[10] ^= 1;
    EXPECT_FALSE(VerifyMessage(dest, sig, VECTOR_MESSAGE));
    // A destination that is not a key.
    Destination odd = dest;
    odd.kind = 2;
    EXPECT_FALSE(VerifyMessage(odd, Bytes(VECTOR_SIG), VECTOR_MESSAGE));
    odd = dest;
    odd.payload.pop_back();
    EXPECT_FALSE(VerifyMessage(odd, Bytes(VECTOR_SIG), VECTOR_MESSAGE));
}

}  // namespace
}  // namespace hpips
