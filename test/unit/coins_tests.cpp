// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The coin encoding and the coins cache stack: unit cases for each flag rule,
// then thousands of random operations on a stack of caches checked against a
// plain std::map model at every level, ending on the real LevelDB (reopened).
#include <chain/coin.h>
#include <chain/coins_view.h>
#include <chain/coinsdb.h>

#include "chain_test_util.h"

#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <random>
#include <vector>

namespace hpips {
namespace {

using test::FilledHash;
using test::RandomCoin;
using test::TempDir;

/** A base view in memory that records what reached it. */
class MemoryCoinsView : public CoinsView {
public:
    std::optional<Coin> GetCoin(const OutPoint& outpoint) const override
    {
        ++lookups;
        const auto it = coins.find(outpoint);
        if (it == coins.end()) return std::nullopt;
        return it->second;
    }
    uint256 GetBestBlock() const override { return best_block; }
    Result<void> BatchWrite(const CoinsMap& map, const uint256& best) override
    {
        for (const auto& [outpoint, entry] : map) {
            if (!entry.IsDirty()) continue;
            written.push_back(outpoint);
            if (entry.coin.IsSpent()) {
                coins.erase(outpoint);
            } else {
                coins[outpoint] = entry.coin;
            }
        }
        best_block = best;
        return {};
    }

    std::map<OutPoint, Coin> coins;
    uint256 best_block;
    std::vector<OutPoint> written;
    mutable size_t lookups{0};
};

Coin SampleCoin(Amount amount = 5 * COIN, uint32_t height = 7, bool coinbase = false)
{
    TxOut out;
    out.amount = amount;
    out.destination = Destination::ForKey(std::array<uint8_t, 32>{1, 2, 3});
    return Coin{out, height, coinbase};
}

OutPoint Point(uint8_t txid_byte, uint32_t index) { return OutPoint{FilledHash(txid_byte), index}; }

// ---- Coin encoding -------------------------------------------------------

TEST(CoinTest, DefaultIsSpentAndClearFrees)
{
    EXPECT_TRUE(Coin{}.IsSpent());
    Coin coin{SampleCoin()};
    EXPECT_FALSE(coin.IsSpent());
    coin.Clear();
    EXPECT_TRUE(coin.IsSpent());
    EXPECT_EQ(coin.DynamicMemoryUsage(), 0u);
}

TEST(CoinTest, EncodingLayout)
{
    const Coin coin{SampleCoin(0x0011223344556677, 0x11223344, true)};
    const auto bytes = EncodeCoin(coin);
    ASSERT_EQ(bytes.size(), MIN_COIN_SIZE + 32);
    // height LE, coinbase flag, amount LE, kind, payload length.
    EXPECT_EQ(bytes[0], 0x44);
    EXPECT_EQ(bytes[3], 0x11);
    EXPECT_EQ(bytes[4], 1);
    EXPECT_EQ(bytes[5], 0x77);
    EXPECT_EQ(bytes[11], 0x11);
    EXPECT_EQ(bytes[12], 0x00);
    EXPECT_EQ(bytes[13], 1);
    EXPECT_EQ(bytes[14], 32);
    const auto decoded = DecodeCoin(bytes);
    ASSERT_TRUE(decoded) << decoded.error_message();
    EXPECT_EQ(*decoded, coin);
}

TEST(CoinTest, RoundTripRandom)
{
    std::mt19937_64 rng{1};
    for (int i = 0; i < 500; ++i) {
        const Coin coin{RandomCoin(rng)};
        const auto decoded = DecodeCoin(EncodeCoin(coin));
        ASSERT_TRUE(decoded);
        EXPECT_EQ(*decoded, coin);
    }
}

TEST(CoinTest, StrictDecoding)
{
    const auto good = EncodeCoin(SampleCoin());
    {
        auto bad = good;
        bad[4] = 2;  // coinbase flag
        EXPECT_EQ(DecodeCoin(bad).error_message(), "coin: coinbase flag must be 0 or 1");
    }
    {
        auto bad = good;
        bad.push_back(0);
        EXPECT_EQ(DecodeCoin(bad).error_message(), "trailing bytes");
    }
    for (size_t n = 0; n < good.size(); ++n) {
        EXPECT_FALSE(DecodeCoin(std::span{good}.first(n))) << "truncated to " << n;
    }
    for (const Amount amount : {Amount{-1}, MAX_MONEY + 1, std::numeric_limits<Amount>::min()}) {
        Writer w;
        w.WriteU32(1);
        w.WriteU8(0);
        w.WriteI64(amount);
        w.WriteU8(1);
        w.WriteCompactSize(0);
        EXPECT_EQ(DecodeCoin(w.data()).error_message(), "coin: amount out of range");
    }
    {
        Writer w;  // payload longer than MAX_DESTINATION_PAYLOAD
        w.WriteU32(1);
        w.WriteU8(0);
        w.WriteI64(1);
        w.WriteU8(1);
        w.WriteByteVector(std::vector<uint8_t>(MAX_DESTINATION_PAYLOAD + 1));
        EXPECT_FALSE(DecodeCoin(w.data()));
    }
    {
        Writer w;  // non-canonical CompactSize for the payload length
        w.WriteU32(1);
        w.WriteU8(0);
        w.WriteI64(1);
        w.WriteU8(1);
        w.WriteU8(COMPACT_SIZE_U16_MARKER);
        w.WriteU16(0);
        EXPECT_EQ(DecodeCoin(w.data()).error_message(), "non-canonical CompactSize");
    }
    EXPECT_FALSE(DecodeCoin(std::vector<uint8_t>(MAX_COIN_SIZE + 1)));
}

// ---- Cache flag rules ----------------------------------------------------

TEST(CoinsCacheTest, CreatedAndSpentNeverReachesBase)
{
    MemoryCoinsView base;
    CoinsViewCache cache{base};
    ASSERT_TRUE(cache.AddCoin(Point(1, 0), SampleCoin(), false));
    ASSERT_TRUE(cache.AddCoin(Point(1, 1), SampleCoin(), false));
    const auto spent = cache.SpendCoin(Point(1, 0));
    ASSERT_TRUE(spent);
    EXPECT_EQ(*spent, SampleCoin());
    EXPECT_FALSE(cache.HaveCoinInCache(Point(1, 0)));  // FRESH: erased outright
    cache.SetBestBlock(FilledHash(9));
    ASSERT_TRUE(cache.Flush());
    ASSERT_EQ(base.written.size(), 1u);
    EXPECT_EQ(base.written[0], Point(1, 1));
    EXPECT_EQ(base.best_block, FilledHash(9));
    EXPECT_EQ(cache.GetCacheSize(), 0u);
    EXPECT_EQ(cache.DynamicMemoryUsage(), 0u);
}

TEST(CoinsCacheTest, SpendOfBaseCoinIsFlushedAsDeletion)
{
    MemoryCoinsView base;
    base.coins[Point(2, 0)] = SampleCoin();
    CoinsViewCache cache{base};
    EXPECT_TRUE(cache.HaveCoin(Point(2, 0)));
    ASSERT_TRUE(cache.SpendCoin(Point(2, 0)));
    EXPECT_TRUE(cache.HaveCoinInCache(Point(2, 0)));  // a DIRTY spend is kept
    EXPECT_FALSE(cache.HaveCoin(Point(2, 0)));
    EXPECT_FALSE(cache.SpendCoin(Point(2, 0)));
    // Re-creating it over the DIRTY spend must not be FRESH: spending it again
    // has to still delete the base's copy.
    ASSERT_TRUE(cache.AddCoin(Point(2, 0), SampleCoin(1), false));
    ASSERT_TRUE(cache.SpendCoin(Point(2, 0)));
    ASSERT_TRUE(cache.Flush());
    EXPECT_FALSE(base.coins.contains(Point(2, 0)));
}

TEST(CoinsCacheTest, OverwriteRules)
{
    MemoryCoinsView base;
    CoinsViewCache cache{base};
    ASSERT_TRUE(cache.AddCoin(Point(3, 0), SampleCoin(1), false));
    const auto refused = cache.AddCoin(Point(3, 0), SampleCoin(2), false);
    ASSERT_FALSE(refused);
    EXPECT_NE(refused.error_message().find("refusing to overwrite"), std::string::npos);
    EXPECT_EQ(cache.GetCoin(Point(3, 0))->out.amount, 1);
    ASSERT_TRUE(cache.AddCoin(Point(3, 0), SampleCoin(2), true));
    EXPECT_EQ(cache.GetCoin(Point(3, 0))->out.amount, 2);
    EXPECT_FALSE(cache.AddCoin(Point(3, 1), Coin{}, true));  // spent coin
}

TEST(CoinsCacheTest, UncacheDropsOnlyCleanEntries)
{
    MemoryCoinsView base;
    base.coins[Point(4, 0)] = SampleCoin();
    CoinsViewCache cache{base};
    ASSERT_TRUE(cache.AddCoin(Point(4, 1), SampleCoin(), false));
    EXPECT_TRUE(cache.HaveCoin(Point(4, 0)));
    const size_t usage{cache.DynamicMemoryUsage()};
    cache.Uncache(Point(4, 0));
    cache.Uncache(Point(4, 1));
    EXPECT_FALSE(cache.HaveCoinInCache(Point(4, 0)));
    EXPECT_TRUE(cache.HaveCoinInCache(Point(4, 1)));
    EXPECT_LT(cache.DynamicMemoryUsage(), usage);
}

TEST(CoinsCacheTest, GetCoinCachesLookups)
{
    MemoryCoinsView base;
    base.coins[Point(5, 0)] = SampleCoin();
    CoinsViewCache cache{base};
    EXPECT_TRUE(cache.GetCoin(Point(5, 0)));
    EXPECT_TRUE(cache.GetCoin(Point(5, 0)));
    EXPECT_EQ(base.lookups, 1u);
    EXPECT_FALSE(cache.GetCoin(Point(5, 1)));
    EXPECT_FALSE(cache.HaveCoinInCache(Point(5, 1)));  // absent coins are not cached
}

TEST(CoinsCacheTest, OverlayDiscardLeavesParentUntouched)
{
    MemoryCoinsView base;
    base.coins[Point(6, 0)] = SampleCoin();
    CoinsViewCache cache{base};
    cache.SetBestBlock(FilledHash(1));
    {
        CoinsViewCache overlay{cache};
        ASSERT_TRUE(overlay.SpendCoin(Point(6, 0)));
        ASSERT_TRUE(overlay.AddCoin(Point(6, 1), SampleCoin(), false));
        overlay.SetBestBlock(FilledHash(2));
        // Block failed: the overlay is dropped.
    }
    EXPECT_TRUE(cache.HaveCoin(Point(6, 0)));
    EXPECT_FALSE(cache.HaveCoin(Point(6, 1)));
    EXPECT_EQ(cache.GetBestBlock(), FilledHash(1));
    {
        CoinsViewCache overlay{cache};
        ASSERT_TRUE(overlay.SpendCoin(Point(6, 0)));
        ASSERT_TRUE(overlay.AddCoin(Point(6, 1), SampleCoin(), false));
        overlay.SetBestBlock(FilledHash(2));
        ASSERT_TRUE(overlay.Flush());  // block connected
    }
    EXPECT_FALSE(cache.HaveCoin(Point(6, 0)));
    EXPECT_TRUE(cache.HaveCoin(Point(6, 1)));
    EXPECT_EQ(cache.GetBestBlock(), FilledHash(2));
}

TEST(CoinsCacheTest, FreshAcrossLevelsNeverTouchesBase)
{
    MemoryCoinsView base;
    CoinsViewCache cache{base};
    {
        CoinsViewCache overlay{cache};
        ASSERT_TRUE(overlay.AddCoin(Point(7, 0), SampleCoin(), false));
        ASSERT_TRUE(overlay.Flush());
    }
    {
        CoinsViewCache overlay{cache};
        ASSERT_TRUE(overlay.SpendCoin(Point(7, 0)));
        ASSERT_TRUE(overlay.Flush());
    }
    EXPECT_FALSE(cache.HaveCoinInCache(Point(7, 0)));
    cache.SetBestBlock(FilledHash(3));
    ASSERT_TRUE(cache.Flush());
    EXPECT_TRUE(base.written.empty());
}

TEST(CoinsCacheTest, MisappliedFreshIsReported)
{
    MemoryCoinsView base;
    CoinsViewCache cache{base};
    ASSERT_TRUE(cache.AddCoin(Point(8, 0), SampleCoin(), false));
    CoinsMap bogus;
    bogus[Point(8, 0)] = CoinsCacheEntry{SampleCoin(3), CoinsCacheEntry::DIRTY | CoinsCacheEntry::FRESH};
    EXPECT_FALSE(cache.BatchWrite(bogus, FilledHash(1)));
}

TEST(CoinsCacheTest, SyncKeepsCoinsClean)
{
    MemoryCoinsView base;
    base.coins[Point(9, 0)] = SampleCoin();
    CoinsViewCache cache{base};
    ASSERT_TRUE(cache.SpendCoin(Point(9, 0)));
    ASSERT_TRUE(cache.AddCoin(Point(9, 1), SampleCoin(), false));
    cache.SetBestBlock(FilledHash(4));
    ASSERT_TRUE(cache.Sync());
    EXPECT_FALSE(cache.HaveCoinInCache(Point(9, 0)));
    EXPECT_TRUE(cache.HaveCoinInCache(Point(9, 1)));
    EXPECT_TRUE(base.coins.contains(Point(9, 1)));
    base.written.clear();
    ASSERT_TRUE(cache.Flush());
    EXPECT_TRUE(base.written.empty());  // nothing was dirty any more
    EXPECT_EQ(base.best_block, FilledHash(4));
}

TEST(CoinsCacheTest, AddTransactionCoins)
{
    MemoryCoinsView base;
    CoinsViewCache cache{base};
    MutableTransaction mtx;
    mtx.inputs.resize(1);  // null prevout: a coinbase
    mtx.outputs.resize(3, SampleCoin().out);
    const Transaction coinbase{mtx};
    ASSERT_TRUE(coinbase.IsCoinbase());
    ASSERT_TRUE(AddTransactionCoins(cache, coinbase, 10));
    for (uint32_t i = 0; i < 3; ++i) {
        const auto coin = cache.GetCoin(OutPoint{coinbase.GetTxid(), i});
        ASSERT_TRUE(coin);
        EXPECT_TRUE(coin->coinbase);
        EXPECT_EQ(coin->height, 10u);
    }
    // A duplicate coinbase overwrites; a duplicate ordinary transaction is refused.
    ASSERT_TRUE(AddTransactionCoins(cache, coinbase, 11));
    mtx.inputs[0].prevout = Point(1, 0);
    const Transaction spend{mtx};
    ASSERT_TRUE(AddTransactionCoins(cache, spend, 12));
    EXPECT_FALSE(AddTransactionCoins(cache, spend, 12));
    EXPECT_TRUE(AddTransactionCoins(cache, spend, 12, /*check_overwrite=*/true));
}

// ---- Randomised model test -----------------------------------------------

/** Random operations on a stack DB ← cache ← overlays, with one std::map
 *  model per level (level 0 = the database). */
class CoinsSimulation {
public:
    CoinsSimulation(CoinsView& bottom, uint64_t seed) : m_rng{seed}
    {
        m_models.emplace_back();  // the bottom view starts empty
        m_bests.emplace_back();
        m_caches.push_back(std::make_unique<CoinsViewCache>(bottom));
        m_models.push_back(m_models.back());
        m_bests.push_back(m_bests.back());
    }

    /** The pool of outpoints: few txids, so collisions are frequent. */
    OutPoint RandomOutPoint() { return OutPoint{FilledHash(static_cast<uint8_t>(m_rng() % 40)), static_cast<uint32_t>(m_rng() % 4)}; }

    void Step()
    {
        CoinsViewCache& top{*m_caches.back()};
        auto& model{m_models.back()};
        const OutPoint outpoint{RandomOutPoint()};
        const bool exists{model.contains(outpoint)};
        const unsigned op{static_cast<unsigned>(m_rng() % 100)};
        if (op < 30) {  // add
            const Coin coin{RandomCoin(m_rng)};
            const bool overwrite{exists || m_rng() % 4 == 0};
            ASSERT_TRUE(top.AddCoin(outpoint, coin, overwrite));
            model[outpoint] = coin;
        } else if (op < 35) {  // refused overwrite
            // The refusal covers coins this cache holds: AddCoin does not read
            // the base view (the caller vouches for new outputs), so fetch first.
            if (exists) {
                ASSERT_TRUE(top.HaveCoin(outpoint));
                ASSERT_FALSE(top.AddCoin(outpoint, RandomCoin(m_rng), false));
            }
        } else if (op < 60) {  // spend
            const auto spent = top.SpendCoin(outpoint);
            ASSERT_EQ(spent.has_value(), exists);
            if (exists) {
                ASSERT_EQ(*spent, model[outpoint]);
                model.erase(outpoint);
            }
        } else if (op < 75) {  // lookup
            const auto coin = top.GetCoin(outpoint);
            ASSERT_EQ(coin.has_value(), exists);
            if (exists) { ASSERT_EQ(*coin, model[outpoint]); }
            ASSERT_EQ(top.HaveCoin(outpoint), exists);
        } else if (op < 80) {  // uncache, at any level
            m_caches[m_rng() % m_caches.size()]->Uncache(outpoint);
        } else if (op < 84) {  // new block hash at the top
            m_bests.back() = test::RandomHash(m_rng);
            top.SetBestBlock(m_bests.back());
        } else if (op < 88) {  // push an overlay
            if (m_caches.size() < 4) {
                m_caches.push_back(std::make_unique<CoinsViewCache>(top));
                m_models.push_back(model);
                m_bests.push_back(m_bests.back());
            }
        } else if (op < 91) {  // discard the top overlay (block failed)
            if (m_caches.size() > 1) {
                m_caches.pop_back();
                m_models.pop_back();
                m_bests.pop_back();
            }
        } else if (op < 98) {  // flush or sync the top into its parent
            if (m_bests.back().IsNull()) return;  // the database needs a best block
            const bool sync{m_rng() % 2 == 0};
            ASSERT_TRUE(sync ? top.Sync() : top.Flush());
            m_models[m_models.size() - 2] = model;
            m_bests[m_bests.size() - 2] = m_bests.back();
            if (!sync) { ASSERT_EQ(top.GetCacheSize(), 0u); }
            ++m_flushes;
        } else {  // check the memory estimate stays sane
            ASSERT_LE(top.DynamicMemoryUsage(), top.GetCacheSize() * 1024);
            if (top.GetCacheSize() == 0) { ASSERT_EQ(top.DynamicMemoryUsage(), 0u); }
        }
    }

    /** Every outpoint of the pool, at every level, against its model. */
    void CheckAll(const CoinsView& bottom)
    {
        for (uint8_t t = 0; t < 40; ++t) {
            for (uint32_t i = 0; i < 4; ++i) {
                const OutPoint outpoint{FilledHash(t), i};
                for (size_t level = 0; level <= m_caches.size(); ++level) {
                    const CoinsView& view{level == 0 ? bottom : *m_caches[level - 1]};
                    const auto& model{m_models[level]};
                    const auto coin = view.GetCoin(outpoint);
                    ASSERT_EQ(coin.has_value(), model.contains(outpoint)) << "level " << level;
                    if (coin) { ASSERT_EQ(*coin, model.at(outpoint)); }
                }
            }
        }
        for (size_t level = 1; level <= m_caches.size(); ++level) {
            if (!m_bests[level].IsNull()) { ASSERT_EQ(m_caches[level - 1]->GetBestBlock(), m_bests[level]); }
        }
    }

    /** Flushes every level down to the bottom view. */
    void FlushAll()
    {
        while (!m_caches.empty()) {
            if (m_bests.back().IsNull()) {
                m_bests.back() = FilledHash(0xee);
                m_caches.back()->SetBestBlock(m_bests.back());
            }
            ASSERT_TRUE(m_caches.back()->Flush());
            m_models[m_models.size() - 2] = m_models.back();
            m_bests[m_bests.size() - 2] = m_bests.back();
            m_caches.pop_back();
            m_models.pop_back();
            m_bests.pop_back();
        }
    }

    const std::map<OutPoint, Coin>& BottomModel() const { return m_models.front(); }
    const uint256& BottomBest() const { return m_bests.front(); }
    size_t Flushes() const { return m_flushes; }

private:
    std::mt19937_64 m_rng;
    std::vector<std::unique_ptr<CoinsViewCache>> m_caches;
    std::vector<std::map<OutPoint, Coin>> m_models;
    std::vector<uint256> m_bests;
    size_t m_flushes{0};
};

TEST(CoinsCacheTest, RandomOperationsAgainstModelInMemory)
{
    for (uint64_t seed = 1; seed <= 4; ++seed) {
        MemoryCoinsView base;
        CoinsSimulation sim{base, seed};
        for (int i = 0; i < 20'000; ++i) {
            ASSERT_NO_FATAL_FAILURE(sim.Step());
            if (i % 2'000 == 0) { ASSERT_NO_FATAL_FAILURE(sim.CheckAll(base)); }
        }
        ASSERT_NO_FATAL_FAILURE(sim.CheckAll(base));
        ASSERT_NO_FATAL_FAILURE(sim.FlushAll());
        EXPECT_EQ(base.coins, sim.BottomModel());
        EXPECT_GT(sim.Flushes(), 100u);
    }
}

TEST(CoinsCacheTest, RandomOperationsAgainstModelOnLevelDB)
{
    TempDir dir;
    std::map<OutPoint, Coin> expected;
    uint256 expected_best;
    {
        CoinsDBOptions options;
        options.max_batch_bytes = 4096;  // exercise split flushes too
        auto db = CoinsViewDB::Open(dir.path(), options);
        ASSERT_TRUE(db) << db.error_message();
        CoinsSimulation sim{**db, 42};
        for (int i = 0; i < 20'000; ++i) {
            ASSERT_NO_FATAL_FAILURE(sim.Step());
            if (i % 5'000 == 0) { ASSERT_NO_FATAL_FAILURE(sim.CheckAll(**db)); }
        }
        ASSERT_NO_FATAL_FAILURE(sim.CheckAll(**db));
        ASSERT_NO_FATAL_FAILURE(sim.FlushAll());
        expected = sim.BottomModel();
        expected_best = sim.BottomBest();
    }
    auto db = CoinsViewDB::Open(dir.path(), {});
    ASSERT_TRUE(db) << db.error_message();
    EXPECT_EQ((*db)->GetBestBlock(), expected_best);
    EXPECT_FALSE((*db)->GetFlushMarker());
    std::map<OutPoint, Coin> on_disk;
    const auto best = (*db)->ForEachCoin([&](const OutPoint& o, const Coin& c) { on_disk[o] = c; });
    ASSERT_TRUE(best) << best.error_message();
    EXPECT_EQ(on_disk, expected);
    for (const auto& [outpoint, coin] : expected) EXPECT_EQ((*db)->GetCoin(outpoint), coin);
}

}  // namespace
}  // namespace hpips
