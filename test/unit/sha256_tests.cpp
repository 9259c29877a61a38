// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

std::string Sha256Hex(std::string_view msg) { return Sha256Hash(StringBytes(msg)).ToStorageHex(); }

// FIPS 180-2 examples.
TEST(Sha256, KnownVectors)
{
    EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    EXPECT_EQ(Sha256Hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    EXPECT_EQ(Sha256Hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
              "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
}

TEST(Sha256, IncrementalMatchesOneShot)
{
    const std::string msg(1000, 'a');
    Sha256 hasher;
    for (size_t i = 0; i < msg.size(); i += 7) {
        hasher.Write(StringBytes(std::string_view{msg}.substr(i, 7)));
    }
    EXPECT_EQ(hasher.Finalize(), Sha256Hash(StringBytes(msg)));
    hasher.Reset().Write(StringBytes("abc"));
    EXPECT_EQ(hasher.Finalize().ToStorageHex(),
              "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

TEST(Sha256, DoubleAndCopy)
{
    // SHA256d("hello") as used by Bitcoin.
    EXPECT_EQ(Sha256d(StringBytes("hello")).ToStorageHex(),
              "9595c9df90075148eb06860365df33584b75bff782a510c6cd4883a419833d50");
    Sha256 a;
    a.Write(StringBytes("ab"));
    Sha256 b{a};
    a.Write(StringBytes("c"));
    b.Write(StringBytes("c"));
    EXPECT_EQ(a.Finalize(), b.Finalize());
}

TEST(Sha256, TaggedHashDefinition)
{
    const uint256 tag = Sha256Hash(StringBytes("BIP0340/challenge"));
    Sha256 manual;
    manual.Write(tag.span()).Write(tag.span()).Write(StringBytes("msg"));
    EXPECT_EQ(TaggedHash("BIP0340/challenge", StringBytes("msg")), manual.Finalize());
}

}  // namespace
}  // namespace hpips
