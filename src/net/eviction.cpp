// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <net/eviction.h>

#include <algorithm>
#include <map>
#include <set>

namespace hpips::net {
namespace {

using Candidates = std::vector<EvictionCandidate>;

/** Older first. */
bool Older(const EvictionCandidate& a, const EvictionCandidate& b)
{
    if (a.connected_us != b.connected_us) return a.connected_us < b.connected_us;
    return a.id < b.id;
}

/** Removes up to `k` candidates that `eligible` accepts, best first by `better`. */
template <typename Better, typename Eligible>
void Protect(Candidates& candidates, size_t k, Better better, Eligible eligible)
{
    std::vector<size_t> order;
    for (size_t i{0}; i < candidates.size(); ++i) {
        if (eligible(candidates[i])) order.push_back(i);
    }
    std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
        if (better(candidates[a], candidates[b])) return true;
        if (better(candidates[b], candidates[a])) return false;
        return Older(candidates[a], candidates[b]);
    });
    if (order.size() > k) order.resize(k);
    std::set<size_t> protect{order.begin(), order.end()};
    Candidates kept;
    for (size_t i{0}; i < candidates.size(); ++i) {
        if (!protect.contains(i)) kept.push_back(candidates[i]);
    }
    candidates = std::move(kept);
}

void ProtectByNetGroup(Candidates& candidates)
{
    // Highest keyed group first; within a group, the oldest member.
    std::vector<EvictionCandidate> sorted = candidates;
    std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
        if (a.keyed_net_group != b.keyed_net_group) return a.keyed_net_group > b.keyed_net_group;
        return Older(a, b);
    });
    std::set<int64_t> protect;
    std::set<uint64_t> groups;
    for (const auto& c : sorted) {
        if (protect.size() >= PROTECT_BY_NETGROUP) break;
        if (groups.insert(c.keyed_net_group).second) protect.insert(c.id);
    }
    std::erase_if(candidates, [&](const auto& c) { return protect.contains(c.id); });
}

}  // namespace

std::optional<int64_t> SelectNodeToEvict(Candidates candidates)
{
    ProtectByNetGroup(candidates);
    Protect(candidates, PROTECT_BY_PING, [](const auto& a, const auto& b) { return a.min_ping_us < b.min_ping_us; },
            [](const auto& c) { return c.min_ping_us != INT64_MAX; });
    Protect(candidates, PROTECT_BY_TX, [](const auto& a, const auto& b) { return a.last_tx_time > b.last_tx_time; },
            [](const auto& c) { return c.last_tx_time != 0; });
    Protect(candidates, PROTECT_BLOCK_RELAY_BY_BLOCK,
            [](const auto& a, const auto& b) { return a.last_block_time > b.last_block_time; },
            [](const auto& c) { return c.last_block_time != 0 && !c.relay_txs; });
    Protect(candidates, PROTECT_BY_BLOCK,
            [](const auto& a, const auto& b) { return a.last_block_time > b.last_block_time; },
            [](const auto& c) { return c.last_block_time != 0; });
    Protect(candidates, candidates.size() / 2, [](const auto& a, const auto& b) { return Older(a, b); },
            [](const auto&) { return true; });
    if (candidates.empty()) return std::nullopt;

    if (std::any_of(candidates.begin(), candidates.end(), [](const auto& c) { return c.prefer_evict; })) {
        std::erase_if(candidates, [](const auto& c) { return !c.prefer_evict; });
    }

    // The largest group (ties: the one with the newest member) loses its newest member.
    std::map<uint64_t, std::vector<EvictionCandidate>> groups;
    for (const auto& c : candidates) groups[c.keyed_net_group].push_back(c);
    const std::vector<EvictionCandidate>* chosen = nullptr;
    const EvictionCandidate* chosen_newest = nullptr;
    for (const auto& [group, members] : groups) {
        const EvictionCandidate& newest = *std::max_element(members.begin(), members.end(), Older);
        if (chosen == nullptr || members.size() > chosen->size() ||
            (members.size() == chosen->size() && Older(*chosen_newest, newest))) {
            chosen = &members;
            chosen_newest = &newest;
        }
    }
    return chosen_newest->id;
}

}  // namespace hpips::net
