// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <util/serialize.h>

#include <util/strencodings.h>

#include <gtest/gtest.h>

#include <atomic>
#include <cstdlib>
#include <limits>
#include <new>

// Records the largest single allocation, so the tests can show that a huge
// length prefix is rejected before anything of that size is allocated.
namespace {
std::atomic<size_t> g_largest_allocation{0};
}  // namespace

void* operator new(size_t size)
{
    size_t seen = g_largest_allocation.load();
    while (size > seen && !g_largest_allocation.compare_exchange_weak(seen, size)) {
    }
    if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
    throw std::bad_alloc{};
}
// GCC cannot see that the replaced operator new above returns malloc memory.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wpragmas"
#pragma GCC diagnostic ignored "-Wmismatched-new-delete"
void operator delete(void* p) noexcept { std::free(p); }
void operator delete(void* p, size_t) noexcept { std::free(p); }
#pragma GCC diagnostic pop

namespace hpips {
namespace {

std::vector<uint8_t> Hex(std::string_view hex) { return ParseHex(hex).value(); }

TEST(SerializeTest, FixedWidthIntegersAreLittleEndian)
{
    Writer w;
    w.WriteU8(0x01);
    w.WriteU16(0x0302);
    w.WriteU32(0x07060504);
    w.WriteU64(0x0f0e0d0c0b0a0908);
    w.WriteI32(-2);
    w.WriteI64(-3);
    EXPECT_EQ(HexStr(w.data()), "01" "0203" "04050607" "08090a0b0c0d0e0f" "feffffff" "fdffffffffffffff");

    Reader r{w.data()};
    EXPECT_EQ(r.ReadU8(), 0x01);
    EXPECT_EQ(r.ReadU16(), 0x0302);
    EXPECT_EQ(r.ReadU32(), 0x07060504u);
    EXPECT_EQ(r.ReadU64(), 0x0f0e0d0c0b0a0908u);
    EXPECT_EQ(r.ReadI32(), -2);
    EXPECT_EQ(r.ReadI64(), -3);
    EXPECT_TRUE(r.AtEnd());
    EXPECT_NO_THROW(r.Finish());
}

TEST(SerializeTest, ExtremeIntegersRoundTrip)
{
    Writer w;
    w.WriteI32(std::numeric_limits<int32_t>::min());
    w.WriteI64(std::numeric_limits<int64_t>::min());
    w.WriteI64(std::numeric_limits<int64_t>::max());
    w.WriteU64(std::numeric_limits<uint64_t>::max());
    Reader r{w.data()};
    EXPECT_EQ(r.ReadI32(), std::numeric_limits<int32_t>::min());
    EXPECT_EQ(r.ReadI64(), std::numeric_limits<int64_t>::min());
    EXPECT_EQ(r.ReadI64(), std::numeric_limits<int64_t>::max());
    EXPECT_EQ(r.ReadU64(), std::numeric_limits<uint64_t>::max());
}

TEST(SerializeTest, CompactSizeEncodings)
{
    const std::vector<std::pair<uint64_t, std::string>> cases{
        {0, "00"},
        {0xfc, "fc"},
        {0xfd, "fdfd00"},
        {0xffff, "fdffff"},
        {0x10000, "fe00000100"},
        {0xffffffff, "feffffffff"},
        {0x100000000, "ff0000000001000000"},
        {std::numeric_limits<uint64_t>::max(), "ffffffffffffffffff"},
    };
    for (const auto& [value, hex] : cases) {
        Writer w;
        w.WriteCompactSize(value);
        EXPECT_EQ(HexStr(w.data()), hex) << value;
        auto decoded = Decode(w.data(), [](Reader& r) {
            return r.ReadCompactSize(std::numeric_limits<uint64_t>::max());
        });
        ASSERT_TRUE(decoded) << decoded.error_message();
        EXPECT_EQ(*decoded, value);
    }
}

TEST(SerializeTest, NonCanonicalCompactSizeRejectedForEachWidth)
{
    for (const char* hex : {"fd0000", "fdfc00", "fe00000000", "feffff0000", "ff0000000000000000",
                            "ffffffffff00000000"}) {
        auto decoded = Decode(Hex(hex), [](Reader& r) {
            return r.ReadCompactSize(std::numeric_limits<uint64_t>::max());
        });
        ASSERT_FALSE(decoded) << hex;
        EXPECT_EQ(decoded.error_message(), "non-canonical CompactSize") << hex;
    }
}

TEST(SerializeTest, CompactSizeMaximum)
{
    auto at_max = Decode(Hex("fd0010"), [](Reader& r) { return r.ReadCompactSize(0x1000); });
    ASSERT_TRUE(at_max);
    EXPECT_EQ(*at_max, 0x1000u);
    auto over = Decode(Hex("fd0110"), [](Reader& r) { return r.ReadCompactSize(0x1000); });
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error_message(), "CompactSize 4097 exceeds maximum 4096");
}

TEST(SerializeTest, ByteVectorRoundTrip)
{
    const std::vector<uint8_t> payload(300, 0xab);
    Writer w;
    w.WriteByteVector(payload);
    w.WriteByteVector({});
    EXPECT_EQ(w.size(), 3 + 300 + 1u);
    auto decoded = Decode(w.data(), [](Reader& r) {
        auto a = r.ReadByteVector(300);
        auto b = r.ReadByteVector(0);
        return std::make_pair(a, b);
    });
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(decoded->first, payload);
    EXPECT_TRUE(decoded->second.empty());
}

TEST(SerializeTest, OversizedLengthRejectedWithoutAllocation)
{
    // Claims 5000 bytes against a maximum of 4000.
    std::vector<uint8_t> input{Hex("fd8813")};
    input.resize(input.size() + 5000, 0);
    auto over = Decode(input, [](Reader& r) { return r.ReadByteVector(4000); });
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error_message(), "vector length 5000 exceeds maximum 4000");

    // Claims 2^64-1 bytes (or elements) with no maximum: rejected as truncated
    // before a container of that size is requested.
    const auto huge = Hex("ffffffffffffffffff");
    g_largest_allocation = 0;
    auto bytes = Decode(huge, [](Reader& r) { return r.ReadByteVector(std::numeric_limits<size_t>::max()); });
    ASSERT_FALSE(bytes);
    EXPECT_EQ(bytes.error_message(), "truncated");
    auto objects = Decode(huge, [](Reader& r) {
        return r.ReadVector(std::numeric_limits<size_t>::max(), 1, [](Reader& r) { return r.ReadU8(); });
    });
    ASSERT_FALSE(objects);
    EXPECT_EQ(objects.error_message(), "truncated");
    EXPECT_LT(g_largest_allocation.load(), size_t{4096});
}

TEST(SerializeTest, ObjectVectorCountCheckedAgainstRemainingInput)
{
    // 1000 elements of at least 8 bytes each cannot fit in 100 bytes: rejected
    // before reserving 1000 elements.
    std::vector<uint8_t> input{Hex("fde803")};
    input.resize(input.size() + 100, 0);
    g_largest_allocation = 0;
    auto decoded = Decode(input, [](Reader& r) {
        return r.ReadVector(10'000, 8, [](Reader& r) { return r.ReadU64(); });
    });
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "truncated");
    EXPECT_LT(g_largest_allocation.load(), size_t{1000 * 8});

    auto over = Decode(Hex("0301020304"), [](Reader& r) {
        return r.ReadVector(2, 1, [](Reader& r) { return r.ReadU8(); });
    });
    ASSERT_FALSE(over);
    EXPECT_EQ(over.error_message(), "vector length 3 exceeds maximum 2");
}

TEST(SerializeTest, ObjectVectorRoundTrip)
{
    const std::vector<uint32_t> values{1, 2, 0xffffffff};
    Writer w;
    w.WriteVector(std::span<const uint32_t>{values}, [](Writer& w, uint32_t v) { w.WriteU32(v); });
    EXPECT_EQ(HexStr(w.data()), "03" "01000000" "02000000" "ffffffff");
    auto decoded = Decode(w.data(), [](Reader& r) {
        return r.ReadVector(3, 4, [](Reader& r) { return r.ReadU32(); });
    });
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, values);
}

TEST(SerializeTest, TruncationAtEveryByte)
{
    Writer w;
    w.WriteU32(7);
    w.WriteCompactSize(0x12345);
    w.WriteByteVector(std::vector<uint8_t>(20, 1));
    w.WriteUint256(uint256{});
    w.WriteU64(9);
    const auto read_all = [](Reader& r) {
        r.ReadU32();
        r.ReadCompactSize(0x12345);
        r.ReadByteVector(20);
        r.ReadUint256();
        return r.ReadU64();
    };
    ASSERT_TRUE(Decode(w.data(), read_all));
    for (size_t len = 0; len < w.size(); ++len) {
        auto decoded = Decode(std::span{w.data()}.first(len), read_all);
        ASSERT_FALSE(decoded) << len;
        EXPECT_EQ(decoded.error_message(), "truncated") << len;
    }
}

TEST(SerializeTest, TrailingBytesRejected)
{
    auto decoded = Decode(Hex("0100000000"), [](Reader& r) { return r.ReadU32(); });
    ASSERT_FALSE(decoded);
    EXPECT_EQ(decoded.error_message(), "trailing bytes");

    Reader r{Hex("0102")};
    r.ReadU8();
    EXPECT_FALSE(r.AtEnd());
    EXPECT_EQ(r.Remaining(), 1u);
    EXPECT_THROW(r.Finish(), SerializeError);
}

TEST(SerializeTest, ArraysAndUint256KeepStorageOrder)
{
    std::array<uint8_t, 32> bytes;
    for (size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<uint8_t>(i);
    Writer w;
    w.WriteUint256(uint256{bytes});
    EXPECT_EQ(w.data(), std::vector<uint8_t>(bytes.begin(), bytes.end()));
    Reader r{w.data()};
    EXPECT_EQ(r.ReadArray<32>(), bytes);
}

TEST(SerializeTest, WriterTakeEmptiesIt)
{
    Writer w{16};
    w.WriteU16(1);
    const auto bytes = w.Take();
    EXPECT_EQ(bytes.size(), 2u);
    EXPECT_EQ(w.size(), 0u);
}

}  // namespace
}  // namespace hpips
