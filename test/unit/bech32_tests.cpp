// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/bech32.h>
#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <fstream>
#include <string>
#include <vector>

namespace hpips::bech32 {
namespace {

struct VectorRow {
    std::string encoding;
    bool valid{false};
    std::string str;
    std::string reason;
};

/** Turns the file's "\xNN" escapes back into single bytes. */
std::string Unescape(const std::string& in)
{
    std::string out;
    for (size_t i{0}; i < in.size(); ++i) {
        if (in[i] == '\\' && i + 3 < in.size() && in[i + 1] == 'x') {
            const auto byte{ParseHex(in.substr(i + 2, 2))};
            if (byte && byte->size() == 1) {
                out.push_back(static_cast<char>((*byte)[0]));
                i += 3;
                continue;
            }
        }
        out.push_back(in[i]);
    }
    return out;
}

std::vector<VectorRow> LoadVectors()
{
    std::ifstream file{std::string{HPIPS_VECTORS_DIR} + "/bech32.tsv"};
    std::vector<VectorRow> rows;
    std::string line;
    while (std::getline(file, line)) {
        if (line.empty() || line[0] == '#') continue;
        std::vector<std::string> cols;
        size_t start{0};
        while (true) {
            const size_t tab{line.find('\t', start)};
            cols.push_back(line.substr(start, tab == std::string::npos ? std::string::npos : tab - start));
            if (tab == std::string::npos) break;
            start = tab + 1;
        }
        if (cols.size() < 3) continue;
        rows.push_back(VectorRow{cols[0], cols[1] == "1", Unescape(cols[2]), cols.size() > 3 ? cols[3] : ""});
    }
    return rows;
}

std::string Lower(std::string s)
{
    for (char& c : s) {
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
    return s;
}

constexpr std::string_view CHARS{"qpzry9x8gf2tvdw0s3jn54khce6mua7l"};

/** Replaces the data character at `pos` by the one `delta` places further
 *  along the charset (delta in 1..31), so it is always a real substitution. */
void Substitute(std::string& s, size_t pos, size_t delta)
{
    const size_t index{CHARS.find(s[pos])};
    ASSERT_NE(index, std::string_view::npos);
    s[pos] = CHARS[(index + delta) % CHARS.size()];
}

TEST(bech32, VectorsFileHasBothKinds)
{
    const auto rows{LoadVectors()};
    ASSERT_GE(rows.size(), 40U);
    size_t valid{0};
    for (const auto& row : rows) valid += row.valid ? 1 : 0;
    EXPECT_EQ(valid, 14U);
}

TEST(bech32, ValidVectorsDecodeAndReencode)
{
    for (const auto& row : LoadVectors()) {
        if (!row.valid) continue;
        SCOPED_TRACE(row.str);
        const DecodeResult result{Decode(row.str)};
        ASSERT_TRUE(result.IsValid()) << result.error;
        const Encoding expected{row.encoding == "bech32m" ? Encoding::BECH32M : Encoding::BECH32};
        EXPECT_EQ(result.encoding, expected);
        EXPECT_EQ(Encode(expected, result.hrp, result.data), Lower(row.str));
        // The other encoding's checksum does not hold: the string is valid in one only.
        const Encoding other{expected == Encoding::BECH32 ? Encoding::BECH32M : Encoding::BECH32};
        EXPECT_NE(Encode(other, result.hrp, result.data), Lower(row.str));
        EXPECT_EQ(LocateErrors(row.str, expected), std::vector<size_t>{});
    }
}

TEST(bech32, InvalidVectorsAreRejected)
{
    for (const auto& row : LoadVectors()) {
        if (row.valid) continue;
        SCOPED_TRACE(row.str + " (" + row.reason + ")");
        const DecodeResult result{Decode(row.str)};
        EXPECT_FALSE(result.IsValid());
        EXPECT_FALSE(result.error.empty());
        if (row.reason.find("out of range") != std::string::npos) {
            EXPECT_EQ(result.error_positions, std::vector<size_t>{0});
        }
        if (row.reason == "overall max length exceeded") {
            EXPECT_NE(result.error.find("too long"), std::string::npos);
        }
        if (row.reason == "No separator character") {
            EXPECT_NE(result.error.find("separator"), std::string::npos);
        }
        if (row.reason == "Invalid data character" || row.reason == "Invalid character in checksum") {
            EXPECT_FALSE(result.error_positions.empty());
        }
        if (row.reason.find("uppercase form of HRP") != std::string::npos) {
            EXPECT_EQ(result.status, Status::BAD_CHECKSUM);
        }
    }
}

TEST(bech32, SingleSubstitutionIsLocatedExactly)
{
    size_t checked{0};
    for (const auto& row : LoadVectors()) {
        if (!row.valid) continue;
        const std::string good{Lower(row.str)};
        const size_t separator{good.rfind('1')};
        const Encoding encoding{row.encoding == "bech32m" ? Encoding::BECH32M : Encoding::BECH32};
        for (size_t pos{separator + 1}; pos < good.size(); ++pos) {
            for (size_t delta{1}; delta < 32; ++delta) {
                std::string bad{good};
                Substitute(bad, pos, delta);
                const DecodeResult result{Decode(bad)};
                ASSERT_EQ(result.status, Status::BAD_CHECKSUM) << bad;
                ASSERT_EQ(result.error_positions, std::vector<size_t>{pos}) << bad;
                ASSERT_EQ(LocateErrors(bad, encoding), std::vector<size_t>{pos}) << bad;
                ++checked;
            }
        }
    }
    EXPECT_GT(checked, 1000U);
}

TEST(bech32, TwoSubstitutionsAreLocatedExactly)
{
    // A 63-character string shaped like an HPIPS address.
    std::vector<uint8_t> values(53);
    for (size_t i{0}; i < values.size(); ++i) values[i] = static_cast<uint8_t>((i * 7 + 3) % 32);
    for (Encoding encoding : {Encoding::BECH32M, Encoding::BECH32}) {
        const std::string good{Encode(encoding, "thp", values)};
        ASSERT_EQ(good.size(), 63U);
        uint32_t state{12345};
        const auto next{[&state](uint32_t bound) {
            state = state * 1103515245U + 12345U; // fixed LCG: deterministic cases
            return (state >> 8) % bound;
        }};
        for (int round{0}; round < 2000; ++round) {
            const size_t data_start{4};
            size_t p1{data_start + next(59)};
            size_t p2{data_start + next(59)};
            if (p1 == p2) continue;
            if (p1 > p2) std::swap(p1, p2);
            std::string bad{good};
            Substitute(bad, p1, 1 + next(31));
            Substitute(bad, p2, 1 + next(31));
            const std::vector<size_t> expected{p1, p2};
            ASSERT_EQ(LocateErrors(bad, encoding), expected) << bad;
        }
    }
}

TEST(bech32, DecodeLocatesTwoErrorsInBech32mAddressShape)
{
    std::vector<uint8_t> values(53, 0);
    values[0] = 1;
    const std::string good{Encode(Encoding::BECH32M, "hp", values)};
    std::string bad{good};
    Substitute(bad, 5, 3);
    Substitute(bad, 40, 17);
    const DecodeResult result{Decode(bad)};
    EXPECT_EQ(result.status, Status::BAD_CHECKSUM);
    EXPECT_EQ(result.error_positions, (std::vector<size_t>{5, 40}));
}

TEST(bech32, ErrorsInHrpOrTooManyAreNotGuessed)
{
    std::vector<uint8_t> values(53, 9);
    const std::string good{Encode(Encoding::BECH32M, "thp", values)};
    std::string hrp_typo{good};
    hrp_typo[1] = 'x';
    EXPECT_EQ(Decode(hrp_typo).status, Status::BAD_CHECKSUM);
    EXPECT_EQ(LocateErrors(hrp_typo, Encoding::BECH32M), std::nullopt);

    // Three or more substitutions: whatever is reported is at most two positions.
    std::string many{good};
    Substitute(many, 10, 1);
    Substitute(many, 20, 2);
    Substitute(many, 30, 3);
    const DecodeResult result{Decode(many)};
    EXPECT_EQ(result.status, Status::BAD_CHECKSUM);
    EXPECT_LE(result.error_positions.size(), MAX_LOCATED_ERRORS);
    EXPECT_EQ(LocateErrors("not a bech32 string", Encoding::BECH32M), std::nullopt);
}

TEST(bech32, FormatErrors)
{
    const std::string ok{Encode(Encoding::BECH32M, "hp", std::vector<uint8_t>{1, 2, 3})};
    ASSERT_TRUE(Decode(ok).IsValid());

    std::string mixed{ok};
    mixed[0] = 'H';
    EXPECT_NE(Decode(mixed).error.find("Mixed"), std::string::npos);

    std::string upper{ok};
    for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    const DecodeResult upper_result{Decode(upper)};
    ASSERT_TRUE(upper_result.IsValid());
    EXPECT_EQ(upper_result.hrp, "hp");

    std::string bad_char{ok};
    bad_char[5] = 'b'; // not in the charset
    const DecodeResult bad_char_result{Decode(bad_char)};
    EXPECT_EQ(bad_char_result.status, Status::BAD_FORMAT);
    EXPECT_EQ(bad_char_result.error_positions, std::vector<size_t>{5});

    EXPECT_EQ(Decode("hp1qqqqq").status, Status::BAD_FORMAT); // 5-char data part
    EXPECT_EQ(Decode("").status, Status::BAD_FORMAT);
    EXPECT_EQ(Decode("1qqqqqq").error_positions, std::vector<size_t>{0});
    EXPECT_EQ(Decode(std::string(91, 'q')).status, Status::BAD_FORMAT);

    std::string with_space{ok};
    with_space[1] = ' ';
    EXPECT_EQ(Decode(with_space).error_positions, std::vector<size_t>{1});
}

TEST(bech32, EncodeRejectsBadArguments)
{
    const std::vector<uint8_t> values{0, 1, 31};
    EXPECT_FALSE(Encode(Encoding::BECH32M, "hp", values).empty());
    EXPECT_TRUE(Encode(Encoding::BECH32M, "", values).empty());
    EXPECT_TRUE(Encode(Encoding::BECH32M, "HP", values).empty());
    EXPECT_TRUE(Encode(Encoding::BECH32M, "h p", values).empty());
    EXPECT_TRUE(Encode(Encoding::BECH32M, "hp", std::vector<uint8_t>{32}).empty());
    // 2 + 1 + 81 + 6 = 90 fits; one more value does not.
    EXPECT_EQ(Encode(Encoding::BECH32, "hp", std::vector<uint8_t>(81, 0)).size(), MAX_LENGTH);
    EXPECT_TRUE(Encode(Encoding::BECH32, "hp", std::vector<uint8_t>(82, 0)).empty());
}

TEST(bech32, ConvertBits)
{
    const std::vector<uint8_t> bytes{0x00, 0xff, 0x12, 0x34, 0x56};
    const auto five{ConvertBits(bytes, 8, 5, true)};
    ASSERT_TRUE(five);
    EXPECT_EQ(five->size(), 8U);
    const auto back{ConvertBits(*five, 5, 8, false)};
    ASSERT_TRUE(back);
    EXPECT_EQ(*back, bytes);

    // 32 bytes -> 52 groups with 4 zero padding bits; back exactly.
    std::vector<uint8_t> key(32);
    for (size_t i{0}; i < key.size(); ++i) key[i] = static_cast<uint8_t>(i * 37);
    const auto groups{ConvertBits(key, 8, 5, true)};
    ASSERT_TRUE(groups);
    EXPECT_EQ(groups->size(), 52U);
    EXPECT_EQ(ConvertBits(*groups, 5, 8, false), key);

    // Non-zero padding bits, too much padding, and out-of-range inputs fail.
    std::vector<uint8_t> nonzero_pad{*groups};
    nonzero_pad.back() |= 1;
    EXPECT_EQ(ConvertBits(nonzero_pad, 5, 8, false), std::nullopt);
    // Three groups are 15 bits: one byte and 7 leftover bits, a whole group too many.
    EXPECT_EQ(ConvertBits(std::vector<uint8_t>{0, 0, 0}, 5, 8, false), std::nullopt);
    EXPECT_EQ(ConvertBits(std::vector<uint8_t>{0, 0}, 5, 8, false), std::vector<uint8_t>{0});
    EXPECT_EQ(ConvertBits(std::vector<uint8_t>{32}, 5, 8, true), std::nullopt);
    EXPECT_EQ(ConvertBits(bytes, 0, 5, true), std::nullopt);
    EXPECT_EQ(ConvertBits(bytes, 8, 9, true), std::nullopt);
}

TEST(bech32, Bip350TaprootAddressLayout)
{
    // BIP-350's witness v1 example: version 1 then the 32-byte program, bech32m.
    const DecodeResult result{Decode("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")};
    ASSERT_TRUE(result.IsValid()) << result.error;
    EXPECT_EQ(result.encoding, Encoding::BECH32M);
    EXPECT_EQ(result.hrp, "bc");
    ASSERT_FALSE(result.data.empty());
    EXPECT_EQ(result.data[0], 1);
    const auto program{ConvertBits(std::span{result.data}.subspan(1), 5, 8, false)};
    ASSERT_TRUE(program);
    EXPECT_EQ(HexStr(*program), "79be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798");
}

}  // namespace
}  // namespace hpips::bech32
