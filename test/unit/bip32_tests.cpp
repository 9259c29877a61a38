// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/bip32.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace hpips {
namespace {

/** Data rows of a vectors TSV file ('#' lines are comments), split on tabs. */
std::vector<std::vector<std::string>> ReadTsv(const std::string& name)
{
    std::ifstream file{std::string{HPIPS_VECTORS_DIR} + "/" + name};
    EXPECT_TRUE(file.is_open()) << name;
    std::vector<std::vector<std::string>> rows;
    std::string line;
    while (std::getline(file, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> fields;
        size_t start{0};
        for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
            fields.push_back(line.substr(start, tab - start));
        }
        fields.push_back(line.substr(start));
        rows.push_back(std::move(fields));
    }
    return rows;
}

// BIP-32 test vectors 1-4: every row, private and public serializations,
// both directions, and public derivation wherever the last step is normal.
TEST(bip32, Vectors)
{
    const auto rows{ReadTsv("bip32.tsv")};
    ASSERT_EQ(rows.size(), 17u);
    for (const auto& row : rows) {
        ASSERT_EQ(row.size(), 5u);
        const std::string& path{row[2]};
        const std::string& xpub{row[3]};
        const std::string& xprv{row[4]};
        SCOPED_TRACE("vector " + row[0] + " " + path);

        const auto seed{ParseHex(row[1])};
        ASSERT_TRUE(seed);
        const auto master{ExtKey::FromSeed(*seed)};
        ASSERT_TRUE(master) << master.error_message();
        const auto key{master->DerivePath(path)};
        ASSERT_TRUE(key) << key.error_message();
        EXPECT_EQ(key->ToString(), xprv);
        EXPECT_EQ(key->Neuter().ToString(), xpub);

        const auto indexes{ParseBip32Path(path)};
        ASSERT_TRUE(indexes);
        EXPECT_EQ(key->GetDepth(), indexes->size());

        // Decoding and re-encoding is the identity.
        const auto decoded_prv{ExtKey::FromString(xprv)};
        ASSERT_TRUE(decoded_prv) << decoded_prv.error_message();
        EXPECT_EQ(decoded_prv->ToString(), xprv);
        EXPECT_EQ(decoded_prv->Neuter(), key->Neuter());
        const auto decoded_pub{ExtPubKey::FromString(xpub)};
        ASSERT_TRUE(decoded_pub) << decoded_pub.error_message();
        EXPECT_EQ(decoded_pub->ToString(), xpub);
        EXPECT_EQ(*decoded_pub, key->Neuter());
        // Each decoder refuses the other kind.
        EXPECT_FALSE(ExtKey::FromString(xpub));
        EXPECT_FALSE(ExtPubKey::FromString(xprv));

        if (!indexes->empty()) {
            const uint32_t last{indexes->back()};
            std::string parent_path{path.substr(0, path.rfind('/'))};
            const auto parent{master->DerivePath(parent_path)};
            ASSERT_TRUE(parent);
            EXPECT_EQ(key->GetParentFingerprint(), parent->GetFingerprint());
            EXPECT_EQ(key->GetChildIndex(), last);
            const auto by_step{parent->Derive(last)};
            ASSERT_TRUE(by_step);
            EXPECT_EQ(by_step->ToString(), xprv);
            const auto pub_child{parent->Neuter().Derive(last)};
            if (last & BIP32_HARDENED) {
                EXPECT_FALSE(pub_child);
            } else {
                ASSERT_TRUE(pub_child) << pub_child.error_message();
                EXPECT_EQ(pub_child->ToString(), xpub);
            }
        }
    }
}

// BIP-32 test vector 5: every invalid extended key is rejected by both decoders.
TEST(bip32, InvalidKeys)
{
    const auto rows{ReadTsv("bip32_invalid.tsv")};
    ASSERT_EQ(rows.size(), 16u);
    for (const auto& row : rows) {
        ASSERT_EQ(row.size(), 2u);
        SCOPED_TRACE(row[1] + ": " + row[0]);
        EXPECT_FALSE(ExtKey::FromString(row[0]));
        EXPECT_FALSE(ExtPubKey::FromString(row[0]));
    }
}

TEST(bip32, PathParsing)
{
    const auto ok{ParseBip32Path("m/0'/1/2h/3H/2147483647h")};
    ASSERT_TRUE(ok) << ok.error_message();
    EXPECT_EQ(*ok, (std::vector<uint32_t>{BIP32_HARDENED, 1, 2 | BIP32_HARDENED, 3 | BIP32_HARDENED, 0xffffffff}));
    EXPECT_TRUE(ParseBip32Path("m")->empty());
    for (const std::string& bad : std::vector<std::string>{"", "M", "m/", "/1", "m//1", "m/1/", "m/2147483648", "m/2147483648h",
                                  "m/99999999999", "m/01", "m/-1", "m/+1", "m/ 1", "m/1 ", "m/1hh", "m/h", "m/1x",
                                  "n/1", "m1", "m/0x10"}) {
        EXPECT_FALSE(ParseBip32Path(bad)) << bad;
    }
    std::string deepest{"m"};
    for (int i{0}; i < 255; ++i) deepest += "/0";
    EXPECT_TRUE(ParseBip32Path(deepest));
    EXPECT_FALSE(ParseBip32Path(deepest + "/0"));
    EXPECT_FALSE(ParseBip32Path("m" + std::string(BIP32_MAX_PATH_LENGTH, '/')));
}

TEST(bip32, DepthLimitAndSeedSize)
{
    const std::vector<uint8_t> seed(32, 0x42);
    auto key{ExtKey::FromSeed(seed)};
    ASSERT_TRUE(key);
    std::string path{"m"};
    for (int i{0}; i < 255; ++i) path += "/1";
    const auto deepest{key->DerivePath(path)};
    ASSERT_TRUE(deepest) << deepest.error_message();
    EXPECT_EQ(deepest->GetDepth(), 255);
    EXPECT_FALSE(deepest->Derive(0));
    EXPECT_FALSE(deepest->Neuter().Derive(0));
    // The path counts from the key it is applied to.
    EXPECT_FALSE(key->DerivePath("m/1")->DerivePath(path));

    EXPECT_FALSE(ExtKey::FromSeed(std::vector<uint8_t>(15, 1)));
    EXPECT_FALSE(ExtKey::FromSeed(std::vector<uint8_t>(65, 1)));
    EXPECT_TRUE(ExtKey::FromSeed(std::vector<uint8_t>(16, 1)));
    EXPECT_TRUE(ExtKey::FromSeed(std::vector<uint8_t>(64, 1)));
}

TEST(bip32, PublicPathDerivationMatchesPrivate)
{
    const auto key{ExtKey::FromSeed(std::vector<uint8_t>(16, 7))};
    ASSERT_TRUE(key);
    const auto account{key->DerivePath("m/86h/0h/0h")};
    ASSERT_TRUE(account);
    const auto by_private{account->DerivePath("m/0/5")};
    const auto by_public{account->Neuter().DerivePath("m/0/5")};
    ASSERT_TRUE(by_private);
    ASSERT_TRUE(by_public);
    EXPECT_EQ(by_private->Neuter(), *by_public);
    EXPECT_FALSE(account->Neuter().DerivePath("m/0h"));
    const ExtKey copy{account->Clone()};
    EXPECT_EQ(copy.ToString(), account->ToString());
}

}  // namespace
}  // namespace hpips
