// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/addrman.h>

#include <consensus/params.h>
#include <crypto/sha256.h>

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>

namespace hpips::net {
namespace {

using C = AddrManConstants;

constexpr int64_t NOW = 1'800'000'000;
const std::array<uint8_t, 4> MAGIC = Params(Network::REGTEST).message_start;

uint256 Key(uint8_t fill)
{
    std::array<uint8_t, 32> bytes{};
    bytes.fill(fill);
    return uint256{bytes};
}

std::array<uint8_t, 32> Seed() { return {7}; }

AddressEntry Entry(uint8_t a, uint8_t b, uint8_t c, uint8_t d, uint16_t port = 9333, int64_t time = NOW)
{
    return AddressEntry{static_cast<uint32_t>(time), NODE_NETWORK, Service{NetAddr::FromIPv4(a, b, c, d), port}};
}

class AddrManTest : public ::testing::Test {
protected:
    AddrManTest() { clock.SetMockTime(NOW); }
    NodeClock clock;
    AddrMan addrman{clock, Key(1), Seed()};
    const NetAddr source = NetAddr::FromIPv4(250, 1, 2, 3);
};

TEST_F(AddrManTest, AddsOnlyRoutableAddressesOnce)
{
    const std::vector<AddressEntry> entries{Entry(1, 2, 3, 4), Entry(127, 0, 0, 1), Entry(10, 0, 0, 1),
                                            Entry(192, 168, 1, 1)};
    EXPECT_EQ(addrman.Add(entries, source), 1u);
    EXPECT_EQ(addrman.Size(), 1u);
    EXPECT_EQ(addrman.Add(entries, source), 0u);  // already known
    EXPECT_EQ(addrman.Size(NetType::IPV4, true), 1u);
    EXPECT_EQ(addrman.Size(NetType::IPV6), 0u);
    // Different ports are different entries.
    EXPECT_EQ(addrman.Add(std::vector{Entry(1, 2, 3, 4, 1)}, source), 1u);
    EXPECT_EQ(addrman.Size(), 2u);
}

TEST_F(AddrManTest, TimePenaltyExceptForSelfAnnouncement)
{
    const auto gossip = Entry(1, 2, 3, 4);
    addrman.Add(std::vector{gossip}, source, 2 * 3600);
    auto got = addrman.GetAddr(10, 0);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].time, NOW - 2 * 3600);
    const auto self = Entry(5, 6, 7, 8);
    addrman.Add(std::vector{self}, self.service.addr, 2 * 3600);
    for (const auto& e : addrman.GetAddr(10, 0)) {
        if (e.service == self.service) {
            EXPECT_EQ(e.time, NOW);
        }
    }
}

TEST_F(AddrManTest, BucketsDependOnGroupsNotOnIndividualAddresses)
{
    // Addresses of one group from one source group land in a bounded set of buckets.
    std::set<size_t> buckets;
    for (int i{0}; i < 2000; ++i) {
        const NetAddr addr = NetAddr::FromIPv4(1, 2, static_cast<uint8_t>(i / 256), static_cast<uint8_t>(i % 256));
        buckets.insert(addrman.NewBucket(addr, source));
    }
    EXPECT_EQ(buckets.size(), 1u);  // one address group, one source group: one bucket
    // Many address groups from one source group: at most NEW_BUCKETS_PER_SOURCE_GROUP buckets.
    buckets.clear();
    for (int i{0}; i < 5000; ++i) {
        const NetAddr addr = NetAddr::FromIPv4(static_cast<uint8_t>(1 + i / 256), static_cast<uint8_t>(i % 256), 1, 1);
        buckets.insert(addrman.NewBucket(addr, source));
    }
    EXPECT_LE(buckets.size(), C::NEW_BUCKETS_PER_SOURCE_GROUP);
    EXPECT_GT(buckets.size(), C::NEW_BUCKETS_PER_SOURCE_GROUP / 2);
    // One group in the tried table: at most TRIED_BUCKETS_PER_GROUP buckets.
    buckets.clear();
    for (int i{0}; i < 2000; ++i) {
        buckets.insert(addrman.TriedBucket(
            Service{NetAddr::FromIPv4(1, 2, static_cast<uint8_t>(i / 256), static_cast<uint8_t>(i % 256)), 1}));
    }
    EXPECT_LE(buckets.size(), C::TRIED_BUCKETS_PER_GROUP);
    // The key decides: another key, other buckets.
    AddrMan other{clock, Key(2), Seed()};
    size_t different{0};
    for (int i{0}; i < 100; ++i) {
        const NetAddr addr = NetAddr::FromIPv4(static_cast<uint8_t>(1 + i), 1, 1, 1);
        different += addrman.NewBucket(addr, source) != other.NewBucket(addr, source) ? 1 : 0;
    }
    EXPECT_GT(different, 90u);
}

TEST_F(AddrManTest, OneSourceGroupCannotFillTheTable)
{
    // 20,000 addresses from many groups, all told by one source /16.
    std::vector<AddressEntry> entries;
    for (int i{0}; i < 20'000; ++i) {
        entries.push_back(Entry(static_cast<uint8_t>(1 + i % 200), static_cast<uint8_t>(i / 200), 7, 7));
    }
    addrman.Add(entries, source);
    // At most 64 buckets of 64 slots.
    EXPECT_LE(addrman.Size(), C::NEW_BUCKETS_PER_SOURCE_GROUP * C::BUCKET_SIZE);
}

TEST_F(AddrManTest, GoodMovesToTriedAndSelectFindsIt)
{
    const auto entry = Entry(1, 2, 3, 4);
    addrman.Add(std::vector{entry}, source);
    auto pos = addrman.FindPosition(entry.service);
    ASSERT_TRUE(pos);
    EXPECT_FALSE(pos->tried);
    EXPECT_EQ(pos->bucket, addrman.NewBucket(entry.service.addr, source));
    EXPECT_EQ(pos->slot, addrman.BucketSlot(true, pos->bucket, entry.service));
    addrman.Good(entry.service);
    pos = addrman.FindPosition(entry.service);
    ASSERT_TRUE(pos);
    EXPECT_TRUE(pos->tried);
    EXPECT_EQ(pos->bucket, addrman.TriedBucket(entry.service));
    EXPECT_EQ(addrman.Size(std::nullopt, false), 1u);
    EXPECT_EQ(addrman.Size(std::nullopt, true), 0u);
    const auto selected = addrman.Select();
    ASSERT_TRUE(selected);
    EXPECT_EQ(selected->entry.service, entry.service);
    EXPECT_FALSE(addrman.Select(/*new_only=*/true));
    EXPECT_FALSE(addrman.Select(false, NetType::IPV6));
}

TEST_F(AddrManTest, TerribleAddressesAreNotReturned)
{
    addrman.Add(std::vector{Entry(1, 2, 3, 4, 9333, NOW - C::HORIZON - 10)}, source);
    addrman.Add(std::vector{Entry(1, 3, 3, 4, 9333, NOW + C::MAX_FUTURE + 100)}, source);
    addrman.Add(std::vector{Entry(1, 4, 3, 4)}, source);
    EXPECT_EQ(addrman.Size(), 3u);
    const auto got = addrman.GetAddr(100, 0);
    ASSERT_EQ(got.size(), 1u);
    EXPECT_EQ(got[0].service.addr, NetAddr::FromIPv4(1, 4, 3, 4));
    // Three failed attempts make a never-successful address terrible.
    const Service s = Entry(1, 4, 3, 4).service;
    for (int i{0}; i < C::RETRIES; ++i) {
        clock.SetMockTime(NOW + 100 * (i + 1));
        addrman.Attempt(s, true);
    }
    clock.SetMockTime(NOW + 10'000);
    for (const auto& e : addrman.GetAddr(100, 0)) EXPECT_NE(e.service, s);
}

TEST_F(AddrManTest, GetAddrRespectsCountPercentageAndNetwork)
{
    std::vector<AddressEntry> entries;
    for (int i{0}; i < 200; ++i) entries.push_back(Entry(static_cast<uint8_t>(1 + i), 9, 9, 9));
    // Sources from many groups so the entries spread over buckets.
    for (size_t i{0}; i < entries.size(); ++i) {
        addrman.Add(std::span{&entries[i], 1}, NetAddr::FromIPv4(static_cast<uint8_t>(1 + i), 1, 1, 1));
    }
    const size_t size = addrman.Size();
    EXPECT_GT(size, 150u);
    EXPECT_EQ(addrman.GetAddr(10, 0).size(), 10u);
    EXPECT_EQ(addrman.GetAddr(1000, 23).size(), 23 * size / 100);
    EXPECT_TRUE(addrman.GetAddr(1000, 0, NetType::IPV6).empty());
    const auto all = addrman.GetAddr(1000, 0);
    std::set<Service> distinct;
    for (const auto& e : all) distinct.insert(e.service);
    EXPECT_EQ(distinct.size(), all.size());
}

TEST_F(AddrManTest, SerializeRoundTripKeepsKeyTablesAndTimes)
{
    std::vector<AddressEntry> entries;
    for (int i{0}; i < 50; ++i) entries.push_back(Entry(static_cast<uint8_t>(1 + i), 2, 3, 4));
    for (size_t i{0}; i < entries.size(); ++i) {
        addrman.Add(std::span{&entries[i], 1}, NetAddr::FromIPv4(static_cast<uint8_t>(100 + i), 1, 1, 1));
    }
    addrman.Good(entries[0].service);
    addrman.Good(entries[1].service);
    addrman.Attempt(entries[2].service, true);
    const auto bytes = addrman.Serialize(MAGIC);
    auto loaded = AddrMan::Deserialize(bytes, MAGIC, clock);
    ASSERT_TRUE(loaded) << loaded.error_message();
    EXPECT_EQ((*loaded)->Size(), addrman.Size());
    EXPECT_EQ((*loaded)->Size(std::nullopt, false), 2u);
    for (const auto& e : entries) {
        const auto a = addrman.FindPosition(e.service);
        const auto b = (*loaded)->FindPosition(e.service);
        ASSERT_EQ(a.has_value(), b.has_value());
        if (!a) continue;
        EXPECT_EQ(a->tried, b->tried);
        EXPECT_EQ(a->bucket, b->bucket);
        EXPECT_EQ(a->slot, b->slot);
    }
    // Same bytes again: the encoding is deterministic.
    EXPECT_EQ((*loaded)->Serialize(MAGIC), bytes);
}

TEST_F(AddrManTest, DeserializeRefusesDamage)
{
    addrman.Add(std::vector{Entry(1, 2, 3, 4), Entry(5, 6, 7, 8)}, source);
    const auto bytes = addrman.Serialize(MAGIC);
    // Any flipped byte breaks the checksum.
    for (size_t i{0}; i < bytes.size(); i += 7) {
        auto damaged = bytes;
        damaged[i] ^= 0x40;
        EXPECT_FALSE(AddrMan::Deserialize(damaged, MAGIC, clock)) << i;
    }
    EXPECT_FALSE(AddrMan::Deserialize(std::span{bytes}.first(bytes.size() - 1), MAGIC, clock));
    EXPECT_FALSE(AddrMan::Deserialize({}, MAGIC, clock));
    // Another network's file.
    EXPECT_FALSE(AddrMan::Deserialize(bytes, Params(Network::MAIN).message_start, clock));
}

/** A peers.dat body with a valid checksum but `count` claimed entries. */
std::vector<uint8_t> WithCount(uint64_t count, size_t actual_entries)
{
    Writer w;
    w.WriteBytes(MAGIC);
    w.WriteU8(PEERS_FORMAT_VERSION);
    w.WriteUint256(Key(3));
    w.WriteCompactSize(count);
    for (size_t i{0}; i < actual_entries; ++i) {
        WriteAddressEntry(w, Entry(1, static_cast<uint8_t>(i), 1, 1));
        w.WriteBytes(NetAddr::FromIPv4(2, 2, 2, 2).Bytes());
        w.WriteI64(0);
        w.WriteI64(0);
        w.WriteI32(0);
        w.WriteU8(0);
    }
    auto bytes = w.Take();
    const uint256 checksum = Sha256d(bytes);
    bytes.insert(bytes.end(), checksum.span().begin(), checksum.span().end());
    return bytes;
}

TEST_F(AddrManTest, EntryCountIsBoundedBeforeAllocating)
{
    EXPECT_TRUE(AddrMan::Deserialize(WithCount(2, 2), MAGIC, clock));
    const auto over = AddrMan::Deserialize(WithCount(C::MAX_ENTRIES + 1, 0), MAGIC, clock);
    ASSERT_FALSE(over);
    EXPECT_NE(over.error_message().find("exceeds maximum"), std::string::npos);
    EXPECT_FALSE(AddrMan::Deserialize(WithCount(1'000, 2), MAGIC, clock));  // truncated
    EXPECT_FALSE(AddrMan::Deserialize(WithCount(1, 2), MAGIC, clock));      // trailing bytes
}

TEST_F(AddrManTest, FileRoundTripAndCorruptFileIsMovedAside)
{
    const auto dir = std::filesystem::temp_directory_path() /
                     ("hpips_addrman_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
                      "_" + std::to_string(reinterpret_cast<uintptr_t>(this)));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto path = dir / PEERS_FILE_NAME;
    EXPECT_EQ(LoadAddrMan(path, MAGIC, clock)->Size(), 0u);  // no file: empty
    addrman.Add(std::vector{Entry(1, 2, 3, 4)}, source);
    ASSERT_TRUE(addrman.SaveFile(path, MAGIC));
    EXPECT_EQ(LoadAddrMan(path, MAGIC, clock)->Size(), 1u);
    {
        std::fstream f{path, std::ios::in | std::ios::out | std::ios::binary};
        f.seekp(10);
        f.put('\x7f');
    }
    EXPECT_EQ(LoadAddrMan(path, MAGIC, clock)->Size(), 0u);
    EXPECT_FALSE(std::filesystem::exists(path));
    EXPECT_TRUE(std::filesystem::exists(dir / "peers.dat.bak"));
    std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace hpips::net
