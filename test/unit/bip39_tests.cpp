// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <crypto/bip32.h>
#include <crypto/bip39.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace hpips {
namespace {

constexpr std::string_view PASSPHRASE{"TREZOR"};

struct Row {
    std::string entropy;
    std::string mnemonic;
    std::string seed;
    std::string xprv;
};

std::vector<Row> ReadVectors()
{
    std::ifstream file{std::string{HPIPS_VECTORS_DIR} + "/bip39.tsv"};
    EXPECT_TRUE(file.is_open());
    std::vector<Row> rows;
    std::string line;
    while (std::getline(file, line)) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> f;
        size_t start{0};
        for (size_t tab; (tab = line.find('\t', start)) != std::string::npos; start = tab + 1) {
            f.push_back(line.substr(start, tab - start));
        }
        f.push_back(line.substr(start));
        EXPECT_EQ(f.size(), 4u) << line;
        if (f.size() == 4) rows.push_back({f[0], f[1], f[2], f[3]});
    }
    return rows;
}

// Every row of the Trezor vectors (passphrase "TREZOR"): entropy -> mnemonic,
// mnemonic -> entropy, mnemonic -> seed, seed -> BIP-32 master xprv.
TEST(bip39, Vectors)
{
    const auto rows{ReadVectors()};
    ASSERT_EQ(rows.size(), 24u);
    for (const Row& row : rows) {
        SCOPED_TRACE(row.mnemonic);
        const auto entropy{ParseHex(row.entropy)};
        ASSERT_TRUE(entropy);
        const auto mnemonic{MnemonicFromEntropy(*entropy)};
        ASSERT_TRUE(mnemonic) << mnemonic.error_message();
        EXPECT_EQ(*mnemonic, row.mnemonic);

        const auto back{EntropyFromMnemonic(row.mnemonic)};
        ASSERT_TRUE(back) << back.error_message();
        EXPECT_EQ(HexStr(*back), row.entropy);

        const auto seed{SeedFromMnemonic(row.mnemonic, PASSPHRASE)};
        ASSERT_TRUE(seed) << seed.error_message();
        EXPECT_EQ(HexStr(*seed), row.seed);

        const auto master{ExtKey::FromSeed(*seed)};
        ASSERT_TRUE(master);
        EXPECT_EQ(master->ToString(), row.xprv);
    }
}

// The embedded list is exactly the committed copy of the BIP-39 English word
// list (data/vectors/bip39-english.txt, the bips repository's english.txt).
TEST(bip39, EmbeddedWordlistMatchesFile)
{
    std::ifstream file{std::string{HPIPS_VECTORS_DIR} + "/bip39-english.txt"};
    ASSERT_TRUE(file.is_open());
    std::vector<std::string> words;
    for (std::string line; std::getline(file, line);) {
        if (!line.empty() && line.back() == '\r') line.pop_back();
        words.push_back(line);
    }
    ASSERT_EQ(words.size(), BIP39_WORDLIST_SIZE);
    const auto& embedded{Bip39EnglishWordlist()};
    for (size_t i{0}; i < BIP39_WORDLIST_SIZE; ++i) EXPECT_EQ(embedded[i], words[i]) << i;
    EXPECT_TRUE(std::is_sorted(embedded.begin(), embedded.end()));
}

TEST(bip39, EntropySizes)
{
    for (size_t size : {0, 1, 12, 15, 17, 33, 64}) {
        EXPECT_FALSE(MnemonicFromEntropy(std::vector<uint8_t>(size, 0))) << size;
    }
    for (size_t size : {16, 20, 24, 28, 32}) {
        const auto mnemonic{MnemonicFromEntropy(std::vector<uint8_t>(size, 0xa5))};
        ASSERT_TRUE(mnemonic);
        const auto words{std::count(mnemonic->begin(), mnemonic->end(), ' ') + 1};
        EXPECT_EQ(static_cast<size_t>(words), size * 3 / 4);
        EXPECT_EQ(*EntropyFromMnemonic(*mnemonic), std::vector<uint8_t>(size, 0xa5));
    }
}

TEST(bip39, ErrorsAreClear)
{
    const std::string valid{"legal winner thank year wave sausage worth useful legal winner thank yellow"};
    ASSERT_TRUE(EntropyFromMnemonic(valid));

    const auto unknown{EntropyFromMnemonic("legal winner thank year wave sausage worth useful legal winnr thank yellow")};
    ASSERT_FALSE(unknown);
    EXPECT_NE(unknown.error_message().find("unknown word 'winnr' at position 10"), std::string::npos)
        << unknown.error_message();

    // Last word changed to another valid word: checksum mismatch.
    const auto checksum{
        EntropyFromMnemonic("legal winner thank year wave sausage worth useful legal winner thank year")};
    ASSERT_FALSE(checksum);
    EXPECT_NE(checksum.error_message().find("checksum"), std::string::npos) << checksum.error_message();

    const auto count{EntropyFromMnemonic("legal winner thank year wave sausage worth useful legal winner thank")};
    ASSERT_FALSE(count);
    EXPECT_NE(count.error_message().find("word count 11"), std::string::npos) << count.error_message();

    EXPECT_FALSE(EntropyFromMnemonic(""));
    EXPECT_FALSE(EntropyFromMnemonic(" " + valid));
    EXPECT_FALSE(EntropyFromMnemonic(valid + " "));
    EXPECT_FALSE(EntropyFromMnemonic("legal  winner thank year wave sausage worth useful legal winner thank yellow"));
    EXPECT_FALSE(EntropyFromMnemonic("legal\twinner thank year wave sausage worth useful legal winner thank yellow"));
    EXPECT_FALSE(EntropyFromMnemonic("Legal winner thank year wave sausage worth useful legal winner thank yellow"));
    std::string many;
    for (int i{0}; i < 25; ++i) many += i == 0 ? "act" : " act";
    EXPECT_FALSE(EntropyFromMnemonic(many));
    EXPECT_FALSE(EntropyFromMnemonic(std::string(BIP39_MAX_MNEMONIC_LENGTH + 1, 'a')));
}

TEST(bip39, SeedInputRules)
{
    const std::string mnemonic{"abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon "
                               "abandon about"};
    // Seed derivation does not validate the mnemonic (BIP-39), only the text.
    EXPECT_TRUE(SeedFromMnemonic("not a real mnemonic", ""));
    EXPECT_FALSE(SeedFromMnemonic(mnemonic, "caf\xc3\xa9"));
    EXPECT_FALSE(SeedFromMnemonic("\xc3\xa9", ""));
    EXPECT_FALSE(SeedFromMnemonic(mnemonic, std::string(BIP39_MAX_PASSPHRASE_LENGTH + 1, 'p')));
    EXPECT_NE(*SeedFromMnemonic(mnemonic, ""), *SeedFromMnemonic(mnemonic, "TREZOR"));
}

}  // namespace
}  // namespace hpips
