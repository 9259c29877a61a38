// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/coins_view.h>

#include <fmt/format.h>

#include <utility>

namespace hpips {
namespace {

/** glibc's malloc hands out chunks of a multiple of 16 bytes with an 8-byte
 *  header and a 32-byte minimum; the estimate follows that rule. */
constexpr size_t MallocUsage(size_t bytes)
{
    if (bytes == 0) return 0;
    const size_t chunk{(bytes + 8 + 15) / 16 * 16};
    return chunk < 32 ? 32 : chunk;
}

/** A red-black tree node holds a colour and three pointers before the value. */
constexpr size_t MAP_NODE_HEADER = 4 * sizeof(void*);

}  // namespace

size_t CoinsCacheEntryUsage(const CoinsCacheEntry& entry)
{
    return MallocUsage(MAP_NODE_HEADER + sizeof(CoinsMap::value_type)) + MallocUsage(entry.coin.DynamicMemoryUsage());
}

CoinsMap::iterator CoinsViewCache::Insert(const OutPoint& outpoint, CoinsCacheEntry entry) const
{
    const auto [it, inserted] = m_map.try_emplace(outpoint, std::move(entry));
    if (inserted) m_dynamic_usage += CoinsCacheEntryUsage(it->second);
    return it;
}

void CoinsViewCache::Erase(CoinsMap::iterator it) const
{
    m_dynamic_usage -= CoinsCacheEntryUsage(it->second);
    m_map.erase(it);
}

CoinsMap::iterator CoinsViewCache::FetchCoin(const OutPoint& outpoint) const
{
    if (const auto it = m_map.find(outpoint); it != m_map.end()) return it;
    std::optional<Coin> coin{m_base.GetCoin(outpoint)};
    if (!coin) return m_map.end();
    return Insert(outpoint, CoinsCacheEntry{std::move(*coin), 0});
}

std::optional<Coin> CoinsViewCache::GetCoin(const OutPoint& outpoint) const
{
    const auto it = FetchCoin(outpoint);
    if (it == m_map.end() || it->second.coin.IsSpent()) return std::nullopt;
    return it->second.coin;
}

bool CoinsViewCache::HaveCoin(const OutPoint& outpoint) const
{
    const auto it = FetchCoin(outpoint);
    return it != m_map.end() && !it->second.coin.IsSpent();
}

bool CoinsViewCache::HaveCoinInCache(const OutPoint& outpoint) const { return m_map.contains(outpoint); }

uint256 CoinsViewCache::GetBestBlock() const
{
    if (m_best_block.IsNull()) return m_base.GetBestBlock();
    return m_best_block;
}

Result<void> CoinsViewCache::AddCoin(const OutPoint& outpoint, Coin coin, bool possible_overwrite)
{
    if (coin.IsSpent()) return Error{"AddCoin: cannot add a spent coin"};
    auto it = m_map.find(outpoint);
    bool fresh{false};
    if (!possible_overwrite) {
        if (it != m_map.end() && !it->second.coin.IsSpent()) {
            return Error{fmt::format("AddCoin: refusing to overwrite unspent coin {}:{}", outpoint.txid.GetHex(),
                                     outpoint.index)};
        }
        // A DIRTY spend in this cache may be hiding an unspent coin in the
        // parent that the flush must delete, so such an entry cannot become
        // FRESH; anything else the caller vouches is absent below.
        fresh = it == m_map.end() || !it->second.IsDirty();
    }
    if (it == m_map.end()) it = Insert(outpoint, CoinsCacheEntry{});
    m_dynamic_usage -= CoinsCacheEntryUsage(it->second);
    it->second.coin = std::move(coin);
    it->second.flags |= CoinsCacheEntry::DIRTY | (fresh ? CoinsCacheEntry::FRESH : 0);
    m_dynamic_usage += CoinsCacheEntryUsage(it->second);
    return {};
}

std::optional<Coin> CoinsViewCache::SpendCoin(const OutPoint& outpoint)
{
    const auto it = FetchCoin(outpoint);
    if (it == m_map.end() || it->second.coin.IsSpent()) return std::nullopt;
    // Account before the move: moving the coin out takes its payload along.
    m_dynamic_usage -= CoinsCacheEntryUsage(it->second);
    Coin spent{std::move(it->second.coin)};
    it->second.coin.Clear();
    if (it->second.IsFresh()) {
        // The parent never saw this coin: forget it entirely.
        m_dynamic_usage += CoinsCacheEntryUsage(it->second);
        Erase(it);
    } else {
        it->second.flags |= CoinsCacheEntry::DIRTY;
        m_dynamic_usage += CoinsCacheEntryUsage(it->second);
    }
    return spent;
}

void CoinsViewCache::Uncache(const OutPoint& outpoint)
{
    const auto it = m_map.find(outpoint);
    if (it != m_map.end() && it->second.flags == 0) Erase(it);
}

Result<void> CoinsViewCache::BatchWrite(const CoinsMap& coins, const uint256& best_block)
{
    for (const auto& [outpoint, child] : coins) {
        if (!child.IsDirty()) continue;
        const auto it = m_map.find(outpoint);
        if (it == m_map.end()) {
            // A FRESH spend is a coin the child created and spent: nothing
            // to record here either.
            if (child.IsFresh() && child.coin.IsSpent()) continue;
            // The child's FRESH (relative to this cache) carries over: this
            // cache holds no entry, so its parent has no unspent coin here
            // either, as far as this cache's view is concerned.
            const uint8_t flags{static_cast<uint8_t>(CoinsCacheEntry::DIRTY | (child.flags & CoinsCacheEntry::FRESH))};
            Insert(outpoint, CoinsCacheEntry{child.coin, flags});
            continue;
        }
        CoinsCacheEntry& entry{it->second};
        if (child.IsFresh() && !entry.coin.IsSpent()) {
            return Error{fmt::format("BatchWrite: FRESH flag on coin {}:{} that is unspent in the parent cache",
                                     outpoint.txid.GetHex(), outpoint.index)};
        }
        if (entry.IsFresh() && child.coin.IsSpent()) {
            // Our parent never saw the coin, and now it is spent: drop it.
            Erase(it);
            continue;
        }
        // Never add FRESH here: if this cache holds a DIRTY spend, the spend
        // must still reach our parent.
        m_dynamic_usage -= CoinsCacheEntryUsage(entry);
        entry.coin = child.coin;
        entry.flags |= CoinsCacheEntry::DIRTY;
        m_dynamic_usage += CoinsCacheEntryUsage(entry);
    }
    m_best_block = best_block;
    return {};
}

Result<void> CoinsViewCache::Flush()
{
    if (auto written = m_base.BatchWrite(m_map, GetBestBlock()); !written) return written;
    m_map.clear();
    m_dynamic_usage = 0;
    return {};
}

Result<void> CoinsViewCache::Sync()
{
    if (auto written = m_base.BatchWrite(m_map, GetBestBlock()); !written) return written;
    for (auto it = m_map.begin(); it != m_map.end();) {
        if (it->second.coin.IsSpent()) {
            const auto spent = it++;
            Erase(spent);
        } else {
            it->second.flags = 0;
            ++it;
        }
    }
    return {};
}

Result<void> AddTransactionCoins(CoinsViewCache& cache, const Transaction& tx, uint32_t height, bool check_overwrite)
{
    const bool coinbase{tx.IsCoinbase()};
    const uint256& txid{tx.GetTxid()};
    for (uint32_t i = 0; i < tx.outputs().size(); ++i) {
        const OutPoint outpoint{txid, i};
        const bool overwrite{check_overwrite ? cache.HaveCoin(outpoint) : coinbase};
        if (auto added = cache.AddCoin(outpoint, Coin{tx.outputs()[i], height, coinbase}, overwrite); !added) {
            return added;
        }
    }
    return {};
}

}  // namespace hpips
