// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The chainstate database: key layout, round trips through a reopen, the
// flush marker (including a real crash in the middle of a flush), split
// batches, format versions, corruption and the UTXO set statistics.
#include <chain/coinsdb.h>

#include <crypto/sha256.h>

#include "chain_test_util.h"

#include <gtest/gtest.h>
#include <leveldb/db.h>
#include <leveldb/write_batch.h>

#include <cstdlib>
#include <map>
#include <random>
#include <set>
#include <string>

namespace hpips {
namespace {

using test::FilledHash;
using test::RandomCoin;
using test::TempDir;

std::unique_ptr<CoinsViewDB> OpenDB(const std::filesystem::path& dir, CoinsDBOptions options = {})
{
    auto db = CoinsViewDB::Open(dir, std::move(options));
    EXPECT_TRUE(db) << db.error_message();
    return db ? std::move(*db) : nullptr;
}

/** A map of `n` fresh dirty coins. */
CoinsMap DirtyCoins(size_t n, uint64_t seed, std::map<OutPoint, Coin>* model = nullptr)
{
    std::mt19937_64 rng{seed};
    CoinsMap map;
    for (size_t i = 0; i < n; ++i) {
        const OutPoint outpoint{test::RandomHash(rng), static_cast<uint32_t>(rng() % 3)};
        const Coin coin{RandomCoin(rng)};
        map[outpoint] = CoinsCacheEntry{coin, CoinsCacheEntry::DIRTY | CoinsCacheEntry::FRESH};
        if (model) (*model)[outpoint] = coin;
    }
    return map;
}

std::map<OutPoint, Coin> AllCoins(const CoinsViewDB& db)
{
    std::map<OutPoint, Coin> coins;
    const auto best = db.ForEachCoin([&](const OutPoint& o, const Coin& c) { coins[o] = c; });
    EXPECT_TRUE(best) << best.error_message();
    return coins;
}

TEST(CoinsDBTest, KeyLayoutAndOrder)
{
    const OutPoint outpoint{FilledHash(0xab), 0x01020304};
    const std::string key{CoinKey(outpoint)};
    ASSERT_EQ(key.size(), COIN_KEY_SIZE);
    EXPECT_EQ(key[0], 'C');
    EXPECT_EQ(static_cast<uint8_t>(key[1]), 0xab);
    EXPECT_EQ(key.substr(33), std::string("\x01\x02\x03\x04", 4));  // big-endian index
    // Byte order of keys equals outpoint order.
    std::mt19937_64 rng{7};
    for (int i = 0; i < 1000; ++i) {
        const OutPoint a{FilledHash(static_cast<uint8_t>(rng() % 3)), static_cast<uint32_t>(rng())};
        const OutPoint b{FilledHash(static_cast<uint8_t>(rng() % 3)), static_cast<uint32_t>(rng())};
        EXPECT_EQ(a < b, CoinKey(a) < CoinKey(b));
    }
}

TEST(CoinsDBTest, RoundTripThroughReopen)
{
    TempDir dir;
    std::map<OutPoint, Coin> model;
    {
        auto db = OpenDB(dir.path());
        ASSERT_TRUE(db);
        EXPECT_TRUE(db->GetBestBlock().IsNull());
        EXPECT_FALSE(db->GetFlushMarker());
        ASSERT_TRUE(db->BatchWrite(DirtyCoins(300, 1, &model), FilledHash(1)));
        // Spend a third of them, leave non-dirty entries that must be ignored.
        CoinsMap changes;
        size_t i{0};
        for (const auto& [outpoint, coin] : model) {
            if (i++ % 3 == 0) changes[outpoint] = CoinsCacheEntry{Coin{}, CoinsCacheEntry::DIRTY};
        }
        for (const auto& [outpoint, entry] : changes) model.erase(outpoint);
        std::mt19937_64 rng{3};
        changes[OutPoint{FilledHash(0x77), 0}] = CoinsCacheEntry{RandomCoin(rng), 0};
        ASSERT_TRUE(db->BatchWrite(changes, FilledHash(2)));
    }
    auto db = OpenDB(dir.path());
    ASSERT_TRUE(db);
    EXPECT_EQ(db->GetBestBlock(), FilledHash(2));
    EXPECT_FALSE(db->GetFlushMarker());
    EXPECT_EQ(AllCoins(*db), model);
    for (const auto& [outpoint, coin] : model) {
        EXPECT_EQ(db->GetCoin(outpoint), coin);
        EXPECT_TRUE(db->HaveCoin(outpoint));
    }
    EXPECT_FALSE(db->HaveCoin(OutPoint{FilledHash(0x77), 0}));
}

TEST(CoinsDBTest, SplitBatchesGiveTheSameState)
{
    TempDir whole_dir;
    TempDir split_dir;
    std::map<OutPoint, Coin> model;
    const CoinsMap coins{DirtyCoins(2000, 5, &model)};
    auto whole = OpenDB(whole_dir.path());
    CoinsDBOptions options;
    options.max_batch_bytes = 1024;
    auto split = OpenDB(split_dir.path(), options);
    ASSERT_TRUE(whole && split);
    ASSERT_TRUE(whole->BatchWrite(coins, FilledHash(1)));
    ASSERT_TRUE(split->BatchWrite(coins, FilledHash(1)));
    EXPECT_FALSE(split->GetFlushMarker());
    EXPECT_EQ(split->GetBestBlock(), FilledHash(1));
    EXPECT_EQ(AllCoins(*split), model);
    const auto a = ComputeUtxoStats(*whole);
    const auto b = ComputeUtxoStats(*split);
    ASSERT_TRUE(a && b);
    EXPECT_EQ(a->hash, b->hash);
}

TEST(CoinsDBTest, NullBestBlockRefused)
{
    TempDir dir;
    auto db = OpenDB(dir.path());
    ASSERT_TRUE(db);
    EXPECT_FALSE(db->BatchWrite(DirtyCoins(1, 1), uint256{}));
}

/** Opens the database at `dir`, writes state A (best block 0xaa), and closes it. */
void WriteStateA(const std::filesystem::path& dir, std::map<OutPoint, Coin>& model)
{
    CoinsDBOptions options;
    options.db.wipe = true;
    auto db = OpenDB(dir, options);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->BatchWrite(DirtyCoins(10, 11, &model), FilledHash(0xaa)));
}

TEST(CoinsDBTest, CrashInTheMiddleOfAFlushLeavesTheMarker)
{
    // The child process of the death test re-runs this body from the start
    // ("threadsafe" style re-executes the binary), so it must find the same
    // directory: the parent picks it and passes it through the environment.
    GTEST_FLAG_SET(death_test_style, "threadsafe");
    constexpr const char* DIR_VAR{"HPIPS_COINSDB_CRASH_DIR"};
    std::unique_ptr<TempDir> owned;
    std::filesystem::path dir;
    if (const char* inherited = std::getenv(DIR_VAR)) {
        dir = inherited;
    } else {
        owned = std::make_unique<TempDir>();
        dir = owned->path();
        ::setenv(DIR_VAR, dir.c_str(), 1);
    }

    std::map<OutPoint, Coin> state_a;
    ASSERT_NO_FATAL_FAILURE(WriteStateA(dir, state_a));
    std::map<OutPoint, Coin> new_coins;
    const CoinsMap flush_b{DirtyCoins(100, 12, &new_coins)};

    EXPECT_EXIT(
        {
            CoinsDBOptions options;
            options.crash_ratio = 1;  // always crash
            auto db = CoinsViewDB::Open(dir, options);
            if (!db) std::_Exit(2);
            (void)(*db)->BatchWrite(flush_b, FilledHash(0xbb));
            std::_Exit(3);  // not reached
        },
        ::testing::ExitedWithCode(1), "");
    if (!owned) return;  // in the child, nothing more to do
    ::unsetenv(DIR_VAR);

    // Reopening reports "needs recovery from A to B".
    auto db = OpenDB(dir);
    ASSERT_TRUE(db);
    EXPECT_TRUE(db->GetBestBlock().IsNull());
    const auto marker = db->GetFlushMarker();
    ASSERT_TRUE(marker);
    EXPECT_EQ(marker->from, FilledHash(0xaa));
    EXPECT_EQ(marker->to, FilledHash(0xbb));
    // Exactly the first half of the flush reached the database.
    const auto on_disk = AllCoins(*db);
    EXPECT_EQ(on_disk.size(), state_a.size() + new_coins.size() / 2);
    size_t seen{0};
    for (const auto& [outpoint, coin] : new_coins) {
        const auto it = on_disk.find(outpoint);
        if (seen++ < new_coins.size() / 2) {
            ASSERT_NE(it, on_disk.end());
            EXPECT_EQ(it->second, coin);
        } else {
            EXPECT_EQ(it, on_disk.end());
        }
    }
    const auto stats = ComputeUtxoStats(*db);
    ASSERT_FALSE(stats);
    EXPECT_NE(stats.error_message().find("needs recovery"), std::string::npos);

    // Recovery must finish the flush to B; any other target is refused.
    EXPECT_FALSE(db->BatchWrite(flush_b, FilledHash(0xcc)));
    ASSERT_TRUE(db->BatchWrite(flush_b, FilledHash(0xbb)));
    EXPECT_FALSE(db->GetFlushMarker());
    EXPECT_EQ(db->GetBestBlock(), FilledHash(0xbb));
    auto expected = state_a;
    expected.insert(new_coins.begin(), new_coins.end());
    EXPECT_EQ(AllCoins(*db), expected);
}

TEST(CoinsDBTest, RecoveryFlushKeepsTheOriginalStart)
{
    // A marker written by an interrupted flush (simulated by writing the
    // first batch by hand), then a recovery that is itself interrupted: the
    // marker must still name the original A.
    TempDir dir;
    std::map<OutPoint, Coin> state_a;
    ASSERT_NO_FATAL_FAILURE(WriteStateA(dir.path(), state_a));
    {
        leveldb::DB* raw{nullptr};
        ASSERT_TRUE(leveldb::DB::Open(leveldb::Options{}, dir.path().string(), &raw).ok());
        std::unique_ptr<leveldb::DB> ldb{raw};
        leveldb::WriteBatch batch;
        batch.Delete("B");
        std::string marker;
        marker.append(reinterpret_cast<const char*>(FilledHash(0xaa).data()), 32);
        marker.append(reinterpret_cast<const char*>(FilledHash(0xbb).data()), 32);
        batch.Put("H", marker);
        ASSERT_TRUE(ldb->Write(leveldb::WriteOptions{}, &batch).ok());
    }
    auto db = OpenDB(dir.path());
    ASSERT_TRUE(db);
    EXPECT_EQ(db->GetFlushMarker(), (FlushMarker{FilledHash(0xaa), FilledHash(0xbb)}));
    ASSERT_TRUE(db->BatchWrite(DirtyCoins(3, 13), FilledHash(0xbb)));
    EXPECT_FALSE(db->GetFlushMarker());
    EXPECT_EQ(db->GetBestBlock(), FilledHash(0xbb));
}

TEST(CoinsDBTest, FormatVersionIsChecked)
{
    TempDir dir;
    { ASSERT_TRUE(OpenDB(dir.path())); }
    DBOptions other;
    other.format_version = COINS_DB_VERSION + 1;
    const auto db = Database::Open(dir.path(), other);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error_message().find("unsupported format version"), std::string::npos);

    TempDir foreign;
    {
        leveldb::Options options;
        options.create_if_missing = true;
        leveldb::DB* raw{nullptr};
        ASSERT_TRUE(leveldb::DB::Open(options, foreign.path().string(), &raw).ok());
        std::unique_ptr<leveldb::DB> ldb{raw};
        ASSERT_TRUE(ldb->Put(leveldb::WriteOptions{}, "x", "y").ok());
    }
    const auto opened = CoinsViewDB::Open(foreign.path(), {});
    ASSERT_FALSE(opened);
    EXPECT_NE(opened.error_message().find("no format version"), std::string::npos);
}

TEST(CoinsDBTest, WipeStartsEmpty)
{
    TempDir dir;
    {
        auto db = OpenDB(dir.path());
        ASSERT_TRUE(db && db->BatchWrite(DirtyCoins(5, 1), FilledHash(1)));
    }
    CoinsDBOptions options;
    options.db.wipe = true;
    auto db = OpenDB(dir.path(), options);
    ASSERT_TRUE(db);
    EXPECT_TRUE(db->GetBestBlock().IsNull());
    EXPECT_TRUE(AllCoins(*db).empty());
}

TEST(CoinsDBTest, CorruptRecordIsFatalNotACrash)
{
    TempDir dir;
    const OutPoint outpoint{FilledHash(5), 1};
    {
        auto db = OpenDB(dir.path());
        CoinsMap map;
        std::mt19937_64 rng{1};
        map[outpoint] = CoinsCacheEntry{RandomCoin(rng), CoinsCacheEntry::DIRTY};
        ASSERT_TRUE(db && db->BatchWrite(map, FilledHash(1)));
    }
    {
        leveldb::DB* raw{nullptr};
        ASSERT_TRUE(leveldb::DB::Open(leveldb::Options{}, dir.path().string(), &raw).ok());
        std::unique_ptr<leveldb::DB> ldb{raw};
        ASSERT_TRUE(ldb->Put(leveldb::WriteOptions{}, CoinKey(outpoint), std::string(3, '\x07')).ok());
    }
    std::vector<std::string> errors;
    CoinsDBOptions options;
    options.fatal_error = [&](const std::string& reason) { errors.push_back(reason); };
    auto db = OpenDB(dir.path(), options);
    ASSERT_TRUE(db);
    EXPECT_FALSE(db->GetCoin(outpoint));
    ASSERT_EQ(errors.size(), 1u);
    EXPECT_NE(errors[0].find("corrupt coin record"), std::string::npos);
    const auto stats = ComputeUtxoStats(*db);
    ASSERT_FALSE(stats);
    EXPECT_NE(stats.error_message().find("corrupt coin record"), std::string::npos);
}

TEST(CoinsDBTest, UtxoStats)
{
    TempDir dir;
    auto db = OpenDB(dir.path());
    ASSERT_TRUE(db);
    {
        const auto empty = ComputeUtxoStats(*db);
        ASSERT_TRUE(empty) << empty.error_message();
        EXPECT_EQ(empty->coins, 0u);
        EXPECT_EQ(empty->hash, Sha256Hash({}));
    }
    std::map<OutPoint, Coin> model;
    // Two flushes in a different order of arrival must give the same result.
    CoinsMap all{DirtyCoins(500, 21, &model)};
    CoinsMap first;
    CoinsMap second;
    size_t i{0};
    for (auto& [outpoint, entry] : all) ((i++ % 2) ? first : second)[outpoint] = entry;
    ASSERT_TRUE(db->BatchWrite(first, FilledHash(1)));
    ASSERT_TRUE(db->BatchWrite(second, FilledHash(2)));

    const auto stats = ComputeUtxoStats(*db);
    ASSERT_TRUE(stats) << stats.error_message();
    EXPECT_EQ(stats->best_block, FilledHash(2));
    EXPECT_EQ(stats->coins, model.size());
    Sha256 hasher;
    Amount total{0};
    std::set<uint256> txids;
    for (const auto& [outpoint, coin] : model) {
        Writer w;
        w.WriteUint256(outpoint.txid);
        w.WriteU32(outpoint.index);
        w.WriteU32(coin.height);
        w.WriteU8(coin.coinbase ? 1 : 0);
        w.WriteI64(coin.out.amount);
        w.WriteU8(coin.out.destination.kind);
        w.WriteByteVector(coin.out.destination.payload);
        hasher.Write(w.data());
        total += coin.out.amount;
        txids.insert(outpoint.txid);
    }
    EXPECT_EQ(stats->hash, hasher.Finalize());
    EXPECT_EQ(stats->total_amount, total);
    EXPECT_EQ(stats->transactions, txids.size());

    // The same set built in one flush hashes the same.
    TempDir other_dir;
    auto other = OpenDB(other_dir.path());
    ASSERT_TRUE(other && other->BatchWrite(all, FilledHash(2)));
    const auto other_stats = ComputeUtxoStats(*other);
    ASSERT_TRUE(other_stats);
    EXPECT_EQ(other_stats->hash, stats->hash);
}

}  // namespace
}  // namespace hpips
