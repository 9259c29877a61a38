// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// Schema 3 of the wallet file: tx_spends / tx_conflicts (walletconflicts and
// conflicted depth), the upgrade from version 2, and the online backup.
#include <wallet/walletdb.h>

#include <primitives/transaction.h>

#include <gtest/gtest.h>
#include <sqlite3.h>

#include <algorithm>
#include <cstdlib>
#include <stdexcept>

namespace hpips::wallet {
namespace {

class TempDir {
public:
    TempDir()
    {
        std::string tmpl{(std::filesystem::path{::testing::TempDir()} / "hpips_walletc_XXXXXX").string()};
        if (::mkdtemp(tmpl.data()) == nullptr) throw std::runtime_error{"mkdtemp failed"};
        m_path = tmpl;
    }
    ~TempDir()
    {
        std::error_code ec;
        std::filesystem::remove_all(m_path, ec);
    }
    const std::filesystem::path& path() const { return m_path; }

private:
    std::filesystem::path m_path;
};

uint256 Hash(uint8_t b)
{
    uint256 h;
    h.begin()[0] = b;
    h.begin()[31] = 0x77;
    return h;
}

/** A transaction spending the given outpoints (one output, so txids differ by `tag`). */
Transaction Spending(std::vector<OutPoint> prevouts, int64_t tag)
{
    MutableTransaction mtx;
    for (const OutPoint& prevout : prevouts) {
        TxIn in;
        in.prevout = prevout;
        mtx.inputs.push_back(in);
    }
    Destination dest;
    dest.kind = static_cast<uint8_t>(DestinationKind::KEY);
    dest.payload.assign(32, 3);
    mtx.outputs.push_back({tag, dest});
    return Transaction{mtx};
}

std::unique_ptr<WalletDB> CreateDB(const std::filesystem::path& path)
{
    auto db = WalletDB::Create(path, {{"network", "regtest"}});
    EXPECT_TRUE(db) << db.error_message();
    return db ? std::move(*db) : nullptr;
}

TEST(WalletDBConflicts, SpendersConflictsAndBlocks)
{
    TempDir dir;
    auto db = CreateDB(dir.path() / "wallet.dat");
    ASSERT_TRUE(db);
    const OutPoint a{Hash(1), 0};
    const OutPoint b{Hash(2), 1};
    const Transaction tx1 = Spending({a, b}, 1000);
    const Transaction tx2 = Spending({a}, 2000);
    const Transaction tx3 = Spending({b}, 3000);
    const Transaction lone = Spending({{Hash(3), 0}}, 4000);
    for (const Transaction* tx : {&tx1, &tx2, &tx3, &lone}) ASSERT_TRUE(db->AddSpends(*tx));
    ASSERT_TRUE(db->AddSpends(tx1));  // idempotent
    auto spenders = db->SpendersOf(a);
    ASSERT_TRUE(spenders);
    EXPECT_EQ(spenders->size(), 2u);
    auto conflicts = db->ConflictsOf(tx1.GetTxid());
    ASSERT_TRUE(conflicts);
    std::vector<uint256> expected{tx2.GetTxid(), tx3.GetTxid()};
    std::sort(expected.begin(), expected.end());
    EXPECT_EQ(*conflicts, expected);
    EXPECT_EQ(*db->ConflictsOf(tx2.GetTxid()), std::vector<uint256>{tx1.GetTxid()});
    EXPECT_TRUE(db->ConflictsOf(lone.GetTxid())->empty());
    // The bulk form listsinceblock uses gives the same lists, and nothing
    // for a transaction without conflicts.
    auto all = db->LoadAllConflicts();
    ASSERT_TRUE(all) << all.error_message();
    EXPECT_EQ(all->size(), 3U);
    EXPECT_EQ(all->at(tx1.GetTxid()), *db->ConflictsOf(tx1.GetTxid()));
    EXPECT_EQ(all->at(tx2.GetTxid()), *db->ConflictsOf(tx2.GetTxid()));
    EXPECT_EQ(all->at(tx3.GetTxid()), *db->ConflictsOf(tx3.GetTxid()));
    EXPECT_FALSE(all->contains(lone.GetTxid()));

    EXPECT_FALSE(db->ConflictHeight(tx1.GetTxid()));
    ASSERT_TRUE(db->AddConflict(tx1.GetTxid(), Hash(10), 12));
    ASSERT_TRUE(db->AddConflict(tx1.GetTxid(), Hash(11), 15));
    ASSERT_TRUE(db->AddConflict(tx1.GetTxid(), Hash(10), 12));  // a block seen twice
    EXPECT_EQ(db->ConflictHeight(tx1.GetTxid()), 12);
    ASSERT_TRUE(db->RemoveConflictsOfBlock(Hash(10)));
    EXPECT_EQ(db->ConflictHeight(tx1.GetTxid()), 15);
    ASSERT_TRUE(db->RemoveConflictsFrom(15));
    EXPECT_FALSE(db->ConflictHeight(tx1.GetTxid()));
}

TEST(WalletDBConflicts, VersionTwoIsUpgradedAndSpendsFilled)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    const Transaction tx = Spending({{Hash(5), 2}}, 5000);
    {
        auto db = CreateDB(path);
        ASSERT_TRUE(db);
        TxRecord record;
        record.txid = tx.GetTxid();
        record.raw = EncodeTransaction(tx);
        ASSERT_TRUE(db->WriteTx(record));
        ASSERT_TRUE(db->SetMeta("schema_version", "2"));
    }
    {
        // A real version 2 file has no schema 3 tables.
        sqlite3* raw{nullptr};
        ASSERT_EQ(sqlite3_open(path.c_str(), &raw), SQLITE_OK);
        ASSERT_EQ(sqlite3_exec(raw, "DROP TABLE tx_spends; DROP TABLE tx_conflicts;", nullptr, nullptr, nullptr),
                  SQLITE_OK);
        sqlite3_close(raw);
    }
    auto db = WalletDB::Open(path);
    ASSERT_TRUE(db) << db.error_message();
    EXPECT_EQ((*db)->GetMeta("schema_version"), std::to_string(WALLET_SCHEMA_VERSION));
    EXPECT_EQ(*(*db)->SpendersOf({Hash(5), 2}), std::vector<uint256>{tx.GetTxid()});
}

TEST(WalletDBBackup, CopiesWhileOpenAndRefusesItsOwnFile)
{
    TempDir dir;
    const auto path = dir.path() / "wallet.dat";
    auto db = CreateDB(path);
    ASSERT_TRUE(db);
    ASSERT_TRUE(db->Batch([&]() { return db->SetMeta("marker", "before"); }));
    for (const char* own : {"wallet.dat", "wallet.dat-wal", "wallet.dat-shm"}) {
        auto refused = BackupWalletFile(path, dir.path() / own);
        ASSERT_FALSE(refused) << own;
        EXPECT_NE(refused.error_message().find("own file"), std::string::npos) << refused.error_message();
    }
    const auto copy = dir.path() / "copy.dat";
    ASSERT_TRUE(BackupWalletFile(path, copy));
    // Written after the copy: not in it; a second copy replaces the first.
    ASSERT_TRUE(db->Batch([&]() { return db->SetMeta("marker", "after"); }));
    {
        auto opened = WalletDB::Open(copy);
        ASSERT_TRUE(opened) << opened.error_message();
        EXPECT_EQ((*opened)->GetMeta("marker"), "before");
    }
    ASSERT_TRUE(BackupWalletFile(path, copy));
    auto opened = WalletDB::Open(copy);
    ASSERT_TRUE(opened) << opened.error_message();
    EXPECT_EQ((*opened)->GetMeta("marker"), "after");
    // No temporary file is left beside the destination.
    size_t files{0};
    for (const auto& entry : std::filesystem::directory_iterator(dir.path())) {
        EXPECT_EQ(entry.path().string().find(".tmp"), std::string::npos) << entry.path();
        ++files;
    }
    EXPECT_GE(files, 2u);
    // A destination in a directory that does not exist fails cleanly.
    EXPECT_FALSE(BackupWalletFile(path, dir.path() / "missing" / "copy.dat"));
}

}  // namespace
}  // namespace hpips::wallet
