// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/hash160.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

namespace hpips {
namespace {

TEST(Hash160, KnownValues)
{
    // RIPEMD160(SHA256("")): SHA256("") = e3b0..b855, whose RIPEMD-160 is this.
    EXPECT_EQ(HexStr(Hash160({})), "b472a266d0bd89c13706a4132ccfb16f7c3b9fcb");
    // The generator point's compressed key (private key 1), as used in many
    // Bitcoin examples: HASH160 = 751e76e8199196d454941c45d1b3a323f1433bd6.
    const auto g{ParseHex("0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798")};
    EXPECT_EQ(HexStr(Hash160(*g)), "751e76e8199196d454941c45d1b3a323f1433bd6");
}

}  // namespace
}  // namespace hpips
