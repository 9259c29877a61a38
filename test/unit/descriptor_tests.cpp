// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/address.h>
#include <primitives/descriptor.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace hpips {
namespace {

/** The published pairs in data/descriptor_checksums.txt (sources named there). */
std::vector<std::string> PublishedPairs()
{
    std::ifstream in{std::string{HPIPS_TEST_DATA_DIR} + "/descriptor_checksums.txt"};
    std::vector<std::string> out;
    for (std::string line; std::getline(in, line);) {
        if (!line.empty() && line[0] != '#') out.push_back(line);
    }
    return out;
}

TEST(DescriptorTests, PublishedChecksumsMatch)
{
    const auto pairs = PublishedPairs();
    ASSERT_EQ(pairs.size(), 3u);
    for (const std::string& pair : pairs) {
        const size_t hash = pair.rfind('#');
        ASSERT_NE(hash, std::string::npos) << pair;
        EXPECT_EQ(DescriptorChecksum(pair.substr(0, hash)), pair.substr(hash + 1)) << pair;
        EXPECT_EQ(AddDescriptorChecksum(pair.substr(0, hash)), pair);
        EXPECT_TRUE(CheckDescriptorChecksum(pair)) << pair;
    }
}

// BIP-380's invalid checksum vectors.
TEST(DescriptorTests, Bip380InvalidVectorsFail)
{
    EXPECT_FALSE(CheckDescriptorChecksum("raw(deadbeef)"));           // no checksum
    EXPECT_FALSE(CheckDescriptorChecksum("raw(deadbeef)#"));          // missing checksum
    EXPECT_FALSE(CheckDescriptorChecksum("raw(deadbeef)#89f8spxmx")); // too long
    EXPECT_FALSE(CheckDescriptorChecksum("raw(deadbeef)#89f8spx"));   // too short
    EXPECT_FALSE(CheckDescriptorChecksum("raw(deedbeef)#89f8spxm"));  // error in payload
    EXPECT_FALSE(CheckDescriptorChecksum("raw(deedbeef)##9f8spxm"));  // error in checksum
    EXPECT_FALSE(CheckDescriptorChecksum("raw(\xc3\x9c)#00000000"));  // invalid characters
    EXPECT_EQ(DescriptorChecksum("raw(\xc3\x9c)"), std::nullopt);
}

TEST(DescriptorTests, EveryOneCharacterChangeIsDetected)
{
    const std::string good{"raw(deadbeef)#89f8spxm"};
    const std::string alphabet{"0123456789abcdefghijklmnopqrstuvwxyz()"};
    for (size_t i{0}; i < good.size(); ++i) {
        if (good[i] == '#') continue;
        for (const char c : alphabet) {
            if (c == good[i]) continue;
            std::string changed = good;
            changed[i] = c;
            EXPECT_FALSE(CheckDescriptorChecksum(changed)) << changed;
        }
    }
}

TEST(DescriptorTests, DestinationDescriptors)
{
    std::array<uint8_t, XONLY_KEY_SIZE> key{};
    for (size_t i{0}; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i + 1);
    const Destination dest = Destination::ForKey(key);
    const std::string desc = DestinationDescriptor(dest, Network::REGTEST);
    EXPECT_EQ(desc.substr(0, desc.size() - 9), "addr(" + EncodeAddress(dest, Network::REGTEST) + ")");
    EXPECT_TRUE(CheckDescriptorChecksum(desc));
    // A kind with no address form: raw(<destination encoding>).
    const Destination unknown{7, {0xab, 0xcd}};
    EXPECT_EQ(DestinationDescriptor(unknown, Network::REGTEST).substr(0, 14), "raw(0702abcd)#");
    EXPECT_TRUE(CheckDescriptorChecksum(DestinationDescriptor(unknown, Network::REGTEST)));
}

}  // namespace
}  // namespace hpips
