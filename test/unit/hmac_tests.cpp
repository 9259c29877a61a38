// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/hmac.h>
#include <crypto/sha256.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace hpips {
namespace {

struct Rfc4231Case {
    std::vector<uint8_t> key;
    std::vector<uint8_t> data;
    std::string sha256;
    std::string sha512;
};

std::vector<uint8_t> Bytes(std::string_view s) { return {s.begin(), s.end()}; }

std::vector<uint8_t> Sequence(uint8_t first, uint8_t last)
{
    std::vector<uint8_t> out;
    for (unsigned b{first}; b <= last; ++b) out.push_back(static_cast<uint8_t>(b));
    return out;
}

// RFC 4231 section 4, test cases 1-4, 6 and 7 (case 5 tests truncation,
// which these functions do not offer).
std::vector<Rfc4231Case> Cases()
{
    return {
        {std::vector<uint8_t>(20, 0x0b), Bytes("Hi There"),
         "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7",
         "87aa7cdea5ef619d4ff0b4241a1d6cb02379f4e2ce4ec2787ad0b30545e17cdedaa833b7d6b8a702038b274eaea3f4e4be9d914eeb61f1702e696c203a126854"},
        {Bytes("Jefe"), Bytes("what do ya want for nothing?"),
         "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
         "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"},
        {std::vector<uint8_t>(20, 0xaa), std::vector<uint8_t>(50, 0xdd),
         "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe",
         "fa73b0089d56a284efb0f0756c890be9b1b5dbdd8ee81a3655f83e33b2279d39bf3e848279a722c806b485a47e67c807b946a337bee8942674278859e13292fb"},
        {Sequence(0x01, 0x19), std::vector<uint8_t>(50, 0xcd),
         "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b",
         "b0ba465637458c6990e5a8c5f61d4af7e576d97ff94b872de76f8050361ee3dba91ca5c11aa25eb4d679275cc5788063a5f19741120c4f2de2adebeb10a298dd"},
        {std::vector<uint8_t>(131, 0xaa), Bytes("Test Using Larger Than Block-Size Key - Hash Key First"),
         "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54",
         "80b24263c7c1a3ebb71493c1dd7be8b49b46d1f41b4aeec1121b013783f8f3526b56d037e05f2598bd0fd2215d6a1e5295e64f73f63f0aec8b915a985d786598"},
        {std::vector<uint8_t>(131, 0xaa),
         Bytes("This is a test using a larger than block-size key and a larger than block-size data. The key needs to "
               "be hashed before being used by the HMAC algorithm."),
         "9b09ffa71b942fcb27635fbcd5b0e944bfdc63644f0713938a7f51535c3a35e2",
         "e37b6a775dc87dbaa4dfa9f96e5e3ffddebd71f8867289865df5a32d20cdc944b6022cac3c4982b10d5eeb55c3e4de15134676fb6de0446065c97440fa8c6a58"},
    };
}

TEST(Hmac, Rfc4231Sha256)
{
    for (const auto& c : Cases()) EXPECT_EQ(HexStr(HmacSha256(c.key, c.data)), c.sha256);
}

TEST(Hmac, Rfc4231Sha512)
{
    for (const auto& c : Cases()) EXPECT_EQ(HexStr(HmacSha512(c.key, c.data)), c.sha512);
}

TEST(Hmac, EmptyKeyAndData)
{
    // HMAC-SHA256("", ""), a widely published value.
    EXPECT_EQ(HexStr(HmacSha256({}, {})), "b613679a0814d9ec772f95d778c35fc5ff1697c493715653c6c712144292c5ad");
    // An empty key is the same as a block of zeros (RFC 2104 pads with zeros).
    const std::vector<uint8_t> zeros(128, 0);
    EXPECT_EQ(HmacSha512({}, StringBytes("x")), HmacSha512(zeros, StringBytes("x")));
}

TEST(Hmac, LongKeyEqualsItsHash)
{
    // RFC 2104: a key longer than the block (64 bytes for SHA-256, 128 for
    // SHA-512) is replaced by its digest; HmacSha* does that step itself.
    const std::vector<uint8_t> key(65, 0x5a);
    EXPECT_EQ(HmacSha256(key, StringBytes("m")), HmacSha256(Sha256Hash(key).span(), StringBytes("m")));
    const std::vector<uint8_t> block_key(64, 0x5a);
    EXPECT_NE(HmacSha256(block_key, StringBytes("m")), HmacSha256(Sha256Hash(block_key).span(), StringBytes("m")));
}

}  // namespace
}  // namespace hpips
