// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <primitives/address.h>

#include <util/bech32.h>

#include <gtest/gtest.h>

#include <array>
#include <string>
#include <vector>

namespace hpips {
namespace {

constexpr std::array<Network, 3> NETWORKS{Network::MAIN, Network::TEST, Network::REGTEST};

std::array<uint8_t, XONLY_KEY_SIZE> SampleKey(uint8_t seed)
{
    std::array<uint8_t, XONLY_KEY_SIZE> key{};
    for (size_t i{0}; i < key.size(); ++i) key[i] = static_cast<uint8_t>(seed + i * 29);
    return key;
}

/** Encodes arbitrary address-shaped data for building invalid addresses. */
std::string Build(bech32::Encoding encoding, std::string_view hrp, uint8_t version, std::vector<uint8_t> program,
                  bool pad = true)
{
    const auto groups{bech32::ConvertBits(program, 8, 5, pad)};
    std::vector<uint8_t> values{version};
    values.insert(values.end(), groups->begin(), groups->end());
    return bech32::Encode(encoding, hrp, values);
}

bool Contains(const std::string& haystack, std::string_view needle)
{
    return haystack.find(needle) != std::string::npos;
}

TEST(address, Hrps)
{
    EXPECT_EQ(AddressHrp(Network::MAIN), "hp");
    EXPECT_EQ(AddressHrp(Network::TEST), "thp");
    EXPECT_EQ(AddressHrp(Network::REGTEST), "rhp");
}

TEST(address, RoundTripEveryNetwork)
{
    for (Network net : NETWORKS) {
        for (uint8_t seed : {0, 1, 77, 255}) {
            const Destination dest{Destination::ForKey(SampleKey(seed))};
            const std::string address{EncodeAddress(dest, net)};
            SCOPED_TRACE(address);
            EXPECT_EQ(address.rfind(std::string{AddressHrp(net)} + "1p", 0), 0U); // 'p' is witness version 1
            EXPECT_EQ(address.size(), AddressHrp(net).size() + 1 + 1 + 52 + 6);
            const auto decoded{DecodeAddress(address, net)};
            ASSERT_TRUE(decoded) << decoded.error_message();
            EXPECT_EQ(*decoded, dest);
            EXPECT_TRUE(decoded->IsKey());
            // Upper case is the same address.
            std::string upper{address};
            for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
            const auto decoded_upper{DecodeAddress(upper, net)};
            ASSERT_TRUE(decoded_upper) << decoded_upper.error_message();
            EXPECT_EQ(*decoded_upper, dest);
        }
    }
}

TEST(address, SameLayoutAsBip350Taproot)
{
    // The key of BIP-350's example taproot address, under our main HRP: the
    // data part is the same, only the prefix and checksum differ.
    const bech32::DecodeResult taproot{
        bech32::Decode("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0")};
    ASSERT_TRUE(taproot.IsValid());
    std::array<uint8_t, XONLY_KEY_SIZE> xonly{};
    const auto program{bech32::ConvertBits(std::span{taproot.data}.subspan(1), 5, 8, false)};
    ASSERT_TRUE(program);
    ASSERT_EQ(program->size(), xonly.size());
    std::copy(program->begin(), program->end(), xonly.begin());
    const std::string address{EncodeAddress(Destination::ForKey(xonly), Network::MAIN)};
    EXPECT_EQ(address.substr(2, 54), std::string{"1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vq"});
}

TEST(address, NonKeyDestinationsHaveNoAddress)
{
    Destination other{Destination::ForKey(SampleKey(3))};
    other.kind = 2;
    EXPECT_EQ(EncodeAddress(other, Network::MAIN), "");
    Destination short_key{Destination::ForKey(SampleKey(3))};
    short_key.payload.pop_back();
    EXPECT_EQ(EncodeAddress(short_key, Network::MAIN), "");
}

TEST(address, WrongNetworkNamesBoth)
{
    const std::string test_address{EncodeAddress(Destination::ForKey(SampleKey(5)), Network::TEST)};
    const auto result{DecodeAddress(test_address, Network::MAIN)};
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error_message(),
              "Address is for the test network, expected a main network address (prefix \"hp1\")");

    const auto regtest{DecodeAddress(EncodeAddress(Destination::ForKey(SampleKey(5)), Network::REGTEST), Network::TEST)};
    ASSERT_FALSE(regtest);
    EXPECT_TRUE(Contains(regtest.error_message(), "regtest network"));
    EXPECT_TRUE(Contains(regtest.error_message(), "expected a test network"));

    const auto bitcoin{DecodeAddress("bc1p0xlxvlhemja6c4dqv22uapctqupfhlxm9h8z3k2e72q4k9hcz7vqzk5jj0", Network::MAIN)};
    ASSERT_FALSE(bitcoin);
    EXPECT_EQ(bitcoin.error_message(), "Unknown address prefix \"bc\", expected \"hp\" for the main network");
}

TEST(address, WrongNetworkIsReportedBeforeTypo)
{
    std::string address{EncodeAddress(Destination::ForKey(SampleKey(6)), Network::TEST)};
    address[10] = address[10] == 'q' ? 'p' : 'q';
    const auto result{DecodeAddress(address, Network::MAIN)};
    ASSERT_FALSE(result);
    EXPECT_TRUE(Contains(result.error_message(), "test network"));
}

TEST(address, TyposAreLocated)
{
    const std::string good{EncodeAddress(Destination::ForKey(SampleKey(9)), Network::MAIN)};
    std::string one{good};
    one[5] = one[5] == 'x' ? 'y' : 'x';
    const auto r1{DecodeAddress(one, Network::MAIN)};
    ASSERT_FALSE(r1);
    EXPECT_EQ(r1.error_message(), "Invalid checksum (error at position 5)");

    std::string two{good};
    two[5] = two[5] == 'x' ? 'y' : 'x';
    two[12] = two[12] == '3' ? '4' : '3';
    const auto r2{DecodeAddress(two, Network::MAIN)};
    ASSERT_FALSE(r2);
    EXPECT_EQ(r2.error_message(), "Invalid checksum (error at positions 5, 12)");

    // A typo in the checksum itself is located as well.
    std::string in_checksum{good};
    const size_t last{good.size() - 1};
    in_checksum[last] = in_checksum[last] == 'q' ? 'p' : 'q';
    const auto r3{DecodeAddress(in_checksum, Network::MAIN)};
    ASSERT_FALSE(r3);
    EXPECT_EQ(r3.error_message(), "Invalid checksum (error at position " + std::to_string(last) + ")");
}

TEST(address, UnlocatableChecksumError)
{
    const std::string good{EncodeAddress(Destination::ForKey(SampleKey(10)), Network::MAIN)};
    // Swapping the two halves of the data part changes far more than two characters.
    std::string scrambled{good.substr(0, 3)};
    const std::string body{good.substr(3)};
    scrambled += body.substr(body.size() / 2) + body.substr(0, body.size() / 2);
    const auto result{DecodeAddress(scrambled, Network::MAIN)};
    ASSERT_FALSE(result);
    EXPECT_TRUE(Contains(result.error_message(), "Invalid checksum"));
}

TEST(address, Bech32ChecksumForVersion1IsRejected)
{
    const std::string address{Build(bech32::Encoding::BECH32, "hp", 1, std::vector<uint8_t>(32, 7))};
    const auto result{DecodeAddress(address, Network::MAIN)};
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error_message(), "Witness version 1 requires a bech32m checksum, found bech32");
}

TEST(address, WrongWitnessVersionIsRejected)
{
    for (uint8_t version : {0, 2, 16, 31}) {
        const std::string address{Build(bech32::Encoding::BECH32M, "hp", version, std::vector<uint8_t>(32, 7))};
        const auto result{DecodeAddress(address, Network::MAIN)};
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error_message(), "Unsupported witness version " + std::to_string(version) + " (expected 1)");
    }
    const auto empty{DecodeAddress(bech32::Encode(bech32::Encoding::BECH32M, "hp", {}), Network::MAIN)};
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error_message(), "Missing witness version");
}

TEST(address, WrongProgramLengthIsRejected)
{
    for (size_t size : {0, 20, 31, 33, 40}) {
        const std::string address{Build(bech32::Encoding::BECH32M, "hp", 1, std::vector<uint8_t>(size, 1))};
        const auto result{DecodeAddress(address, Network::MAIN)};
        ASSERT_FALSE(result);
        EXPECT_EQ(result.error_message(),
                  "Invalid program length " + std::to_string(size) + " bytes (expected 32)");
    }
}

TEST(address, BadPaddingIsRejected)
{
    // 32 bytes take 52 groups with 4 zero padding bits; set one of them.
    const auto groups{bech32::ConvertBits(std::vector<uint8_t>(32, 0xaa), 8, 5, true)};
    std::vector<uint8_t> values{1};
    values.insert(values.end(), groups->begin(), groups->end());
    values.back() |= 1;
    const auto result{DecodeAddress(bech32::Encode(bech32::Encoding::BECH32M, "hp", values), Network::MAIN)};
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error_message(), "Invalid padding in the program");
}

TEST(address, MalformedStringsAreRejected)
{
    const std::string good{EncodeAddress(Destination::ForKey(SampleKey(11)), Network::MAIN)};
    std::string mixed{good};
    mixed[0] = 'H';
    EXPECT_FALSE(DecodeAddress(mixed, Network::MAIN));
    EXPECT_FALSE(DecodeAddress("", Network::MAIN));
    EXPECT_FALSE(DecodeAddress("hp", Network::MAIN));
    EXPECT_FALSE(DecodeAddress(good + std::string(40, 'q'), Network::MAIN));
    std::string bad_char{good};
    bad_char[7] = 'o';
    const auto result{DecodeAddress(bad_char, Network::MAIN)};
    ASSERT_FALSE(result);
    EXPECT_EQ(result.error_message(), "Invalid data character (at position 7)");
}

}  // namespace
}  // namespace hpips
