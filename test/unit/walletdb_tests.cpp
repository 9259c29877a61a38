// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/walletdb.h>

#include <consensus/params.h>

#include <gtest/gtest.h>

#include "chain_test_util.h"
#include <sqlite3.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <stdexcept>

namespace hpips::wallet {
namespace {

using test::TempDir;

uint256 Hash(uint8_t b)
{
    uint256 h;
    h.begin()[0] = b;
    h.begin()[31] = 0x5a;
    return h;
}

OutputRecord Output(uint8_t tx, uint32_t vout, Amount amount, std::optional<int64_t> height, bool coinbase = false)
{
    OutputRecord out;
    out.outpoint = {Hash(tx), vout};
    out.amount = amount;
    out.xonly = std::vector<uint8_t>(32, tx);
    out.height = height;
    out.coinbase = coinbase;
    return out;
}

std::unique_ptr<WalletDB> CreateDB(const std::filesystem::path& path)
{
    auto db = WalletDB::Create(path, {{"network", "regtest"}});
    EXPECT_TRUE(db) << db.error_message();
    return db ? std::move(*db) : nullptr;
}

TEST(WalletDB, ReopenKeepsEverything)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    {
        auto db = CreateDB(path);
        ASSERT_TRUE(db);
        auto r = db->Batch([&]() -> Result<void> {
            if (auto w = db->AddKey({0, 0, std::vector<uint8_t>(32, 7), true}); !w) return w;
            if (auto w = db->SetLabel(std::vector<uint8_t>(32, 7), "savings"); !w) return w;
            TxRecord tx;
            tx.txid = Hash(1);
            tx.raw = {1, 2, 3};
            tx.time = 1234;
            tx.block_hash = Hash(9);
            tx.block_height = 10;
            if (auto w = db->WriteTx(tx); !w) return w;
            return db->AddOutput(Output(1, 0, 5 * COIN, 10));
        });
        ASSERT_TRUE(r) << r.error_message();
    }
    auto reopened = WalletDB::Open(path);
    ASSERT_TRUE(reopened) << reopened.error_message();
    auto& db = *reopened;
    EXPECT_EQ(db->GetMeta("network"), "regtest");
    EXPECT_EQ(db->GetMeta("schema_version"), std::to_string(WALLET_SCHEMA_VERSION));
    auto keys = db->LoadKeys();
    ASSERT_TRUE(keys);
    ASSERT_EQ(keys->size(), 1u);
    EXPECT_TRUE((*keys)[0].issued);
    EXPECT_EQ(db->GetLabel(std::vector<uint8_t>(32, 7)), "savings");
    auto tx = db->GetTx(Hash(1));
    ASSERT_TRUE(tx);
    EXPECT_EQ(tx->raw, (std::vector<uint8_t>{1, 2, 3}));
    EXPECT_EQ(tx->block_height, 10);
    EXPECT_EQ(tx->block_hash, Hash(9));
    auto balances = db->Balances(/*tip_height=*/10, /*min_conf=*/1);
    ASSERT_TRUE(balances);
    EXPECT_EQ(balances->trusted, 5 * COIN);
}

TEST(WalletDB, FailedBatchLeavesNothing)
{
    TempDir dir;
    auto db = CreateDB(dir.path() / "wallet.dat");
    ASSERT_TRUE(db);
    auto r = db->Batch([&]() -> Result<void> {
        if (auto w = db->AddOutput(Output(1, 0, COIN, 5)); !w) return w;
        return Error{"stop here"};
    });
    EXPECT_FALSE(r);
    EXPECT_FALSE(db->GetOutput({Hash(1), 0}));
}

TEST(WalletDB, BalancesAndMaturity)
{
    TempDir dir;
    auto db = CreateDB(dir.path() / "wallet.dat");
    ASSERT_TRUE(db);
    const int64_t tip = 200;
    ASSERT_TRUE(db->Batch([&]() -> Result<void> {
        // A coinbase is spendable in block h + COINBASE_MATURITY: mature when
        // h + 100 <= tip + 1.
        if (auto w = db->AddOutput(Output(1, 0, 50 * COIN, tip + 1 - COINBASE_MATURITY, true)); !w) return w;
        if (auto w = db->AddOutput(Output(2, 0, 50 * COIN, tip + 2 - COINBASE_MATURITY, true)); !w) return w;
        if (auto w = db->AddOutput(Output(3, 0, 3 * COIN, tip)); !w) return w;
        OutputRecord pending = Output(4, 0, 2 * COIN, std::nullopt);
        pending.in_mempool = true;
        if (auto w = db->AddOutput(pending); !w) return w;
        OutputRecord change = Output(5, 1, COIN, std::nullopt);
        change.in_mempool = true;
        change.from_me = true;
        if (auto w = db->AddOutput(change); !w) return w;
        OutputRecord spent = Output(6, 0, 7 * COIN, 100);
        spent.spent_by = Hash(5);
        return db->AddOutput(spent);
    }));
    auto b0 = db->Balances(tip, 0);
    ASSERT_TRUE(b0);
    EXPECT_EQ(b0->trusted, 50 * COIN + 3 * COIN + COIN);
    EXPECT_EQ(b0->untrusted_pending, 2 * COIN);
    EXPECT_EQ(b0->immature, 50 * COIN);
    auto b2 = db->Balances(tip, 2);
    ASSERT_TRUE(b2);
    EXPECT_EQ(b2->trusted, 50 * COIN);

    UnspentFilter filter;
    filter.tip_height = tip;
    auto unspent = db->ListUnspent(filter);
    ASSERT_TRUE(unspent);
    EXPECT_EQ(unspent->size(), 2u);  // the mature coinbase and the 3-coin output
    filter.min_conf = 0;
    filter.mature_only = false;
    auto all = db->ListUnspent(filter);
    ASSERT_TRUE(all);
    EXPECT_EQ(all->size(), 5u);
    filter.unconfirmed_trusted_only = true;
    auto trusted = db->ListUnspent(filter);
    ASSERT_TRUE(trusted);
    EXPECT_EQ(trusted->size(), 4u);

    // Releasing the spender frees the spent output.
    ASSERT_TRUE(db->ReleaseSpentBy(Hash(5)));
    auto after = db->Balances(tip, 1);
    ASSERT_TRUE(after);
    EXPECT_EQ(after->trusted, 50 * COIN + 3 * COIN + 7 * COIN);
}

/** SQLite's query plan (EXPLAIN QUERY PLAN details, concatenated) for `sql`
 *  on a freshly created wallet file. */
std::string QueryPlan(const char* sql)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    EXPECT_TRUE(CreateDB(path));
    sqlite3* raw{nullptr};
    EXPECT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    sqlite3_stmt* stmt{nullptr};
    EXPECT_EQ(sqlite3_prepare_v2(raw, (std::string{"EXPLAIN QUERY PLAN "} + sql).c_str(), -1, &stmt, nullptr),
              SQLITE_OK);
    std::string plan;
    while (sqlite3_step(stmt) == SQLITE_ROW) plan += reinterpret_cast<const char*>(sqlite3_column_text(stmt, 3));
    sqlite3_finalize(stmt);
    sqlite3_close(raw);
    return plan;
}

TEST(WalletDB, BalanceUsesThePartialIndex)
{
    const std::string plan = QueryPlan("SELECT SUM(amount) FROM outputs INDEXED BY outputs_unspent "
                                       "WHERE spent_by IS NULL");
    EXPECT_NE(plan.find("COVERING INDEX outputs_unspent"), std::string::npos) << plan;
}

TEST(WalletDB, ListUnspentReadsOneIndexInOrder)
{
    // listunspent's statement (WalletDB::ListUnspent) must read only
    // outputs_unspent_list, in its order: no table lookups, no sort.
    const std::string plan = QueryPlan("SELECT txid, vout, amount, xonly, branch, idx, height, coinbase, "
                                       "from_me, in_mempool, spent_by FROM outputs INDEXED BY outputs_unspent_list "
                                       "WHERE spent_by IS NULL AND height IS NOT NULL AND height <= ?1 AND height >= ?2 "
                                       "AND (?3 = 0 OR coinbase = 0 OR height <= ?4) ORDER BY height, txid, vout");
    EXPECT_NE(plan.find("COVERING INDEX outputs_unspent_list"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST(WalletDB, CorruptFileIsRefused)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    {
        std::ofstream out{path, std::ios::binary};
        out << std::string(8192, '\x42');
    }
    auto db = WalletDB::Open(path);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error_message().find(path.string()), std::string::npos) << db.error_message();
}

TEST(WalletDB, TruncatedWalletIsRefused)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    {
        auto db = CreateDB(path);
        ASSERT_TRUE(db);
    }
    std::filesystem::remove(dir.path() / "wallet.dat-wal");
    std::filesystem::remove(dir.path() / "wallet.dat-shm");
    const auto size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size / 2);
    EXPECT_FALSE(WalletDB::Open(path));
}

TEST(WalletDB, ForeignSqliteFileIsRefused)
{
    TempDir dir;
    const auto path = dir.path() / "other.sqlite";
    sqlite3* raw{nullptr};
    ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
    ASSERT_EQ(sqlite3_exec(raw, "CREATE TABLE t (x INTEGER); INSERT INTO t VALUES (1);", nullptr, nullptr, nullptr),
              SQLITE_OK);
    sqlite3_close(raw);
    auto db = WalletDB::Open(path);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error_message().find("application id"), std::string::npos) << db.error_message();
}

TEST(WalletDB, OtherSchemaVersionIsRefused)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    {
        auto db = CreateDB(path);
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->SetMeta("schema_version", std::to_string(WALLET_SCHEMA_VERSION + 1)));
    }
    auto db = WalletDB::Open(path);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error_message().find("schema version"), std::string::npos) << db.error_message();
}

TEST(WalletDB, SchemaVersionOneIsUpgraded)
{
    // A version 1 file without listunspent's index opens and is upgraded to
    // the current version (the conflict tables and the index of version 3
    // are created, the listing works, and version 4's tx_notes);
    // version 0 is refused.
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    {
        auto db = CreateDB(path);
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->SetMeta("schema_version", "1"));
    }
    {
        sqlite3* raw{nullptr};
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(raw, "DROP INDEX outputs_unspent_list", nullptr, nullptr, nullptr), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(raw, "DROP TABLE tx_notes", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
    }
    {
        auto db = WalletDB::Open(path);
        ASSERT_TRUE(db) << db.error_message();
        EXPECT_EQ((*db)->GetMeta("schema_version"), std::to_string(WALLET_SCHEMA_VERSION));
        OutputRecord coin;
        coin.outpoint.txid = uint256::FromHex(std::string(63, '0') + "1").value();
        coin.xonly.assign(32, 7);
        coin.amount = 5;
        coin.height = 1;
        ASSERT_TRUE((*db)->AddOutput(coin));
        UnspentFilter filter;
        filter.tip_height = 1;
        auto listed = (*db)->ListUnspent(filter);
        ASSERT_TRUE(listed) << listed.error_message();
        EXPECT_EQ(listed->size(), 1U);
        const uint256 txid = uint256::FromHex(std::string(64, 'a')).value();
        EXPECT_FALSE((*db)->GetTxNote(txid).abandoned);
        ASSERT_TRUE((*db)->SetTxAbandoned(txid, true));
        ASSERT_TRUE((*db)->SetTxComment(txid, "rent", "landlord"));
        const TxNote note = (*db)->GetTxNote(txid);
        EXPECT_TRUE(note.abandoned);
        EXPECT_EQ(note.comment, "rent");
        EXPECT_EQ(note.comment_to, "landlord");
        ASSERT_TRUE((*db)->SetMeta("schema_version", "0"));
    }
    auto db = WalletDB::Open(path);
    ASSERT_FALSE(db);
    EXPECT_NE(db.error_message().find("schema version 0"), std::string::npos) << db.error_message();
}

TEST(WalletDB, SchemaVersionThreeIsUpgradedToFour)
{
    // A version 3 file (conflict tables, no tx_notes) gains tx_notes only;
    // its transactions' spends are not recomputed.
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    {
        auto db = CreateDB(path);
        ASSERT_TRUE(db);
        ASSERT_TRUE(db->SetMeta("schema_version", "3"));
    }
    {
        sqlite3* raw{nullptr};
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        EXPECT_EQ(sqlite3_exec(raw, "DROP TABLE tx_notes", nullptr, nullptr, nullptr), SQLITE_OK);
        sqlite3_close(raw);
    }
    auto db = WalletDB::Open(path);
    ASSERT_TRUE(db) << db.error_message();
    EXPECT_EQ((*db)->GetMeta("schema_version"), "4");
    const uint256 txid = uint256::FromHex(std::string(64, 'b')).value();
    ASSERT_TRUE((*db)->SetTxAbandoned(txid, true));
    EXPECT_TRUE((*db)->GetTxNote(txid).abandoned);
}

TEST(WalletDB, DeleteMetaAndScrub)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    auto db = CreateDB(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->SetMeta("secret", "a very recognisable secret string"));
    ASSERT_TRUE(db->ScrubFreedPages());
    ASSERT_TRUE(db->DeleteMeta("secret"));
    EXPECT_FALSE(db->GetMeta("secret"));
    ASSERT_TRUE(db->ScrubFreedPages());
    for (const char* suffix : {"", "-wal"}) {
        std::ifstream in{path.string() + suffix, std::ios::binary};
        const std::string bytes{std::istreambuf_iterator<char>{in}, std::istreambuf_iterator<char>{}};
        EXPECT_EQ(bytes.find("recognisable"), std::string::npos) << suffix;
    }
}

TEST(WalletDB, ConfirmedFromUsesTheHeightIndex)
{
    // listsinceblock reads transactions above a height through
    // ListConfirmedFrom: the index, never a walk of every transaction.
    const std::string plan = QueryPlan("SELECT seq, txid FROM transactions WHERE block_height >= 5 "
                                       "ORDER BY block_height, seq");
    EXPECT_NE(plan.find("USING INDEX transactions_by_height"), std::string::npos) << plan;
    EXPECT_EQ(plan.find("TEMP B-TREE"), std::string::npos) << plan;
}

TEST(WalletDB, CreateNeverOverwrites)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    ASSERT_TRUE(CreateDB(path));
    EXPECT_FALSE(WalletDB::Create(path, {}));
    EXPECT_FALSE(WalletDB::Open(dir.path() / "missing.dat"));
}

}  // namespace
}  // namespace hpips::wallet
