// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/eviction.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

namespace hpips::net {
namespace {

/** `n` unremarkable candidates: ids 0..n-1, connected in id order, no ping,
 *  no deliveries, all in group 1. */
std::vector<EvictionCandidate> Plain(size_t n)
{
    std::vector<EvictionCandidate> out;
    for (size_t i{0}; i < n; ++i) {
        EvictionCandidate c;
        c.id = static_cast<int64_t>(i);
        c.connected_us = static_cast<int64_t>(i) * 1000;
        c.keyed_net_group = 1;
        out.push_back(c);
    }
    return out;
}

/** Every id that SelectNodeToEvict could ever pick, by removing the victim
 *  and asking again until nothing is left to evict. */
std::set<int64_t> Evictable(std::vector<EvictionCandidate> candidates)
{
    std::set<int64_t> out;
    while (true) {
        const auto victim = SelectNodeToEvict(candidates);
        if (!victim) return out;
        out.insert(*victim);
        std::erase_if(candidates, [&](const auto& c) { return c.id == *victim; });
    }
}

TEST(EvictionTest, NothingToEvictWhenAllProtected)
{
    EXPECT_FALSE(SelectNodeToEvict({}));
    // One candidate: protected by its network group.
    EXPECT_FALSE(SelectNodeToEvict(Plain(1)));
}

TEST(EvictionTest, NewestOfTheLargestGroupGoes)
{
    auto candidates = Plain(20);
    EXPECT_EQ(SelectNodeToEvict(candidates), 19);
    // A second, larger group takes the eviction.
    for (int64_t i{0}; i < 6; ++i) {
        EvictionCandidate c;
        c.id = 100 + i;
        c.connected_us = 1;  // old
        c.keyed_net_group = 2;
        candidates.push_back(c);
    }
    for (auto& c : candidates) {
        if (c.keyed_net_group == 1 && c.id >= 10) c.keyed_net_group = 3 + static_cast<uint64_t>(c.id);
    }
    // Group 1 has 10 members (ids 0..9), group 2 has 6, the rest one each.
    const auto victim = SelectNodeToEvict(candidates);
    ASSERT_TRUE(victim);
    EXPECT_LT(*victim, 10);
}

TEST(EvictionTest, FastPingersAreProtected)
{
    auto candidates = Plain(30);
    // The eight newest answer pings fastest.
    for (size_t i{22}; i < 30; ++i) candidates[i].min_ping_us = static_cast<int64_t>(100 + i);
    const auto evictable = Evictable(candidates);
    for (int64_t id{22}; id < 30; ++id) EXPECT_FALSE(evictable.contains(id)) << id;
    EXPECT_FALSE(evictable.empty());
}

TEST(EvictionTest, RecentDeliveriesAreProtected)
{
    auto candidates = Plain(40);
    // Newest peers: 4 delivered transactions, 4 delivered blocks, and 8
    // block-relay-only peers delivered blocks.
    for (size_t i{24}; i < 28; ++i) candidates[i].last_tx_time = static_cast<int64_t>(1000 + i);
    for (size_t i{28}; i < 32; ++i) candidates[i].last_block_time = static_cast<int64_t>(1000 + i);
    for (size_t i{32}; i < 40; ++i) {
        candidates[i].last_block_time = static_cast<int64_t>(500 + i);
        candidates[i].relay_txs = false;
    }
    const auto evictable = Evictable(candidates);
    for (int64_t id{24}; id < 40; ++id) EXPECT_FALSE(evictable.contains(id)) << id;
    EXPECT_FALSE(evictable.empty());
}

TEST(EvictionTest, DistinctNetGroupsAreProtected)
{
    auto candidates = Plain(20);
    // Four newest peers each alone in its own group.
    for (size_t i{16}; i < 20; ++i) candidates[i].keyed_net_group = 100 + i;
    const auto evictable = Evictable(candidates);
    // Up to four groups are protected (one member each); the big group has
    // five groups' worth of members, so at least three lone peers are kept
    // and the victims are old members of group 1 or the fourth loner.
    size_t lone_evicted{0};
    for (int64_t id{16}; id < 20; ++id) lone_evicted += evictable.contains(id) ? 1 : 0;
    EXPECT_LE(lone_evicted, 1u);
}

TEST(EvictionTest, LongestConnectedHalfIsProtected)
{
    auto candidates = Plain(40);
    // After the netgroup protection (the oldest of group 1) the 39 left lose
    // their older half (ids 1..19): the victims are the newest, one by one.
    EXPECT_EQ(SelectNodeToEvict(candidates), 39);
    // Even marked prefer_evict, the protected old peers are not chosen.
    for (size_t i{0}; i < 20; ++i) candidates[i].prefer_evict = true;
    EXPECT_EQ(SelectNodeToEvict(candidates), 39);
    candidates.pop_back();
    EXPECT_EQ(SelectNodeToEvict(candidates), 38);
}

TEST(EvictionTest, PreferEvictGoesFirstAmongTheUnprotected)
{
    auto candidates = Plain(30);
    // Unprotected: ids 15..29 (id 0 by group, 1..14 by uptime).
    candidates[25].prefer_evict = true;
    EXPECT_EQ(SelectNodeToEvict(candidates), 25);
}

}  // namespace
}  // namespace hpips::net
