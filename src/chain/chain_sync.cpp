// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// What the network asks of the block tree: locators, headers after a
// locator, which blocks to download next, and the bound on headers-only
// entries (chainstate.h, "What the network asks").
#include <chain/chainstate.h>

#include <util/logging.h>

#include <algorithm>
#include <map>
#include <queue>

namespace hpips {

std::vector<uint256> Chainstate::GetLocator(const std::optional<uint256>& from) const
{
    LockGuard lock{m_mutex};
    const BlockIndex* index = from ? Lookup(*from) : nullptr;
    if (index == nullptr) index = m_chain.Tip();
    std::vector<uint256> locator;
    int64_t step = 1;
    while (index != nullptr && locator.size() + 1 < MAX_LOCATOR_ENTRIES) {
        locator.push_back(index->hash);
        if (index->height == 0) return locator;
        // Ten steps of one, then doubling: a locator of n entries covers 2^(n-10) blocks.
        if (locator.size() >= 10) step *= 2;
        index = index->GetAncestor(std::max<int64_t>(0, index->height - step));
    }
    locator.push_back(m_params.genesis_hash);
    return locator;
}

std::vector<BlockHeader> Chainstate::GetHeadersAfter(std::span<const uint256> locator, const uint256& stop,
                                                     size_t max_count) const
{
    LockGuard lock{m_mutex};
    const BlockIndex* fork = m_chain.Genesis();
    for (const uint256& hash : locator) {
        const BlockIndex* index = Lookup(hash);
        if (index != nullptr && m_chain.Contains(index)) {
            fork = index;
            break;
        }
    }
    std::vector<BlockHeader> headers;
    for (const BlockIndex* next = m_chain.Next(fork); next != nullptr && headers.size() < max_count;
         next = m_chain.Next(next)) {
        headers.push_back(next->header);
        if (next->hash == stop) break;
    }
    return headers;
}

std::vector<uint256> Chainstate::FindBlocksToDownload(const uint256& target_hash, int64_t max_height,
                                                      size_t max_count,
                                                      const std::function<bool(const uint256&)>& skip) const
{
    LockGuard lock{m_mutex};
    std::vector<uint256> wanted;
    const BlockIndex* target = Lookup(target_hash);
    if (target == nullptr || target->IsInvalid() || target->chain_work <= m_chain.Tip()->chain_work) return wanted;
    const BlockIndex* fork = m_chain.FindFork(target);
    const int64_t last = std::min(target->height, max_height);
    for (int64_t height = (fork ? fork->height : -1) + 1; height <= last && wanted.size() < max_count; ++height) {
        const BlockIndex* index = target->GetAncestor(height);
        if (index->IsInvalid()) break;  // nothing beyond an invalid block is worth fetching
        if (index->HasStatus(BlockStatus::HAVE_DATA)) continue;
        if (skip && skip(index->hash)) continue;
        wanted.push_back(index->hash);
    }
    return wanted;
}

std::optional<Chainstate::HeaderInfo> Chainstate::GetHeaderInfo(const uint256& hash) const
{
    LockGuard lock{m_mutex};
    const BlockIndex* index = Lookup(hash);
    if (index == nullptr) return std::nullopt;
    return HeaderInfo{index->height, index->chain_work, index->HasStatus(BlockStatus::HAVE_DATA),
                      index->IsInvalid(), m_chain.Contains(index)};
}

bool Chainstate::IsAncestorOrSelf(const uint256& ancestor, const uint256& descendant) const
{
    LockGuard lock{m_mutex};
    const BlockIndex* older = Lookup(ancestor);
    const BlockIndex* newer = Lookup(descendant);
    if (older == nullptr || newer == nullptr || older->height > newer->height) return false;
    return newer->GetAncestor(older->height) == older;
}

uint256 Chainstate::BestHeaderHash() const
{
    LockGuard lock{m_mutex};
    const BlockIndex* best = m_best_header;
    if (best == nullptr || best->chain_work < m_chain.Tip()->chain_work) best = m_chain.Tip();
    return best->hash;
}

size_t Chainstate::HeadersOnlyCount() const
{
    LockGuard lock{m_mutex};
    return m_headers_only;
}

void Chainstate::PruneHeadersOnly()
{
    if (m_headers_only <= MAX_HEADERS_ONLY) return;
    // Down to 90%, so the O(n) scan below is paid once per many headers.
    const size_t keep = MAX_HEADERS_ONLY / 10 * 9;
    std::map<const BlockIndex*, size_t> children;
    for (const auto& [hash, entry] : m_index) {
        if (entry->prev != nullptr) ++children[entry->prev];
    }
    // Lowest work first; the hash breaks ties so the order never depends on memory.
    const auto higher = [](const BlockIndex* a, const BlockIndex* b) {
        return a->chain_work != b->chain_work ? a->chain_work > b->chain_work : b->hash < a->hash;
    };
    std::priority_queue<BlockIndex*, std::vector<BlockIndex*>, decltype(higher)> leaves{higher};
    for (const auto& [hash, entry] : m_index) {
        if (!entry->HasStatus(BlockStatus::HAVE_DATA) && children.count(entry.get()) == 0) leaves.push(entry.get());
    }
    size_t pruned{0};
    bool best_header_pruned{false};
    while (m_headers_only > keep && !leaves.empty()) {
        BlockIndex* leaf = leaves.top();
        leaves.pop();
        BlockIndex* parent = leaf->prev;
        best_header_pruned |= leaf == m_best_header;
        m_dirty.erase(leaf);
        m_index.erase(leaf->hash);  // frees it: nothing else points at a leaf without data
        --m_headers_only;
        ++pruned;
        if (parent != nullptr && --children[parent] == 0 && !parent->HasStatus(BlockStatus::HAVE_DATA)) {
            leaves.push(parent);
        }
    }
    if (best_header_pruned) {
        m_best_header = m_chain.Tip();
        for (const auto& [hash, entry] : m_index) {
            if (!entry->IsInvalid() && entry->chain_work > m_best_header->chain_work) m_best_header = entry.get();
        }
    }
    LogInfo("chainstate: forgot {} headers without block data (over MAX_HEADERS_ONLY = {})", pruned,
            MAX_HEADERS_ONLY);
}

}  // namespace hpips
