// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/pbkdf2.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <array>
#include <vector>

namespace hpips {
namespace {

std::string Derive(std::string_view password, std::string_view salt, uint32_t iterations, size_t len)
{
    std::vector<uint8_t> out(len);
    Pbkdf2HmacSha512(StringBytes(password), StringBytes(salt), iterations, out);
    return HexStr(out);
}

// RFC 6070's inputs with HMAC-SHA512 as the PRF; these outputs are the
// commonly published SHA-512 counterparts of RFC 6070's SHA-1 table.
TEST(Pbkdf2, Rfc6070StyleSha512)
{
    EXPECT_EQ(Derive("password", "salt", 1, 64),
              "867f70cf1ade02cff3752599a3a53dc4af34c7a669815ae5d513554e1c8cf252c02d470a285a0501bad999bfe943c08f050235d7d6"
              "8b1da55e63f73b60a57fce");
    EXPECT_EQ(Derive("password", "salt", 2, 64),
              "e1d9c16aa681708a45f5c7c4e215ceb66e011a2e9f0040713f18aefdb866d53cf76cab2868a39b9f7840edce4fef5a82be67335c77"
              "a6068e04112754f27ccf4e");
    EXPECT_EQ(Derive("passwordPASSWORDpassword", "saltSALTsaltSALTsaltSALTsaltSALTsalt", 4096, 64),
              "8c0511f4c6e597c6ac6315d8f0362e225f3c501495ba23b868c005174dc4ee71115b59f9e60cd9532fa33e0f75aefe30225c583a18"
              "6cd82bd4daea9724a3d3b8");
}

TEST(Pbkdf2, OutputLengthIsAPrefix)
{
    // PBKDF2 output blocks are independent, so a shorter request is a prefix.
    const std::string full{Derive("pw", "salt", 3, 100)};
    EXPECT_EQ(full.substr(0, 2 * 20), Derive("pw", "salt", 3, 20));
    EXPECT_EQ(full.size(), 200u);
}

TEST(Pbkdf2, EmptyPasswordAndSalt)
{
    EXPECT_EQ(Derive("", "", 1, 64).size(), 128u);
    EXPECT_NE(Derive("", "", 1, 64), Derive("", "x", 1, 64));
}

// BIP-39 seeds exercise PBKDF2 with 2048 rounds; see bip39_tests.

}  // namespace
}  // namespace hpips
