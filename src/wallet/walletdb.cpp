// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/walletdb.h>

#include <wallet/walletdb_statement.h>

#include <consensus/params.h>

#include <sqlite3.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <span>

namespace hpips::wallet {
namespace {

using detail::Done;
using detail::SqliteError;
using detail::StatementUse;

/** The schema of version 1 (doc/wallet.md, "Storage"). */
constexpr const char* SCHEMA_V1 = R"sql(
CREATE TABLE meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);
CREATE TABLE keys (branch INTEGER NOT NULL, idx INTEGER NOT NULL, xonly BLOB NOT NULL UNIQUE,
                   issued INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (branch, idx)) WITHOUT ROWID;
CREATE TABLE labels (xonly BLOB PRIMARY KEY, label TEXT NOT NULL) WITHOUT ROWID;
CREATE INDEX labels_by_label ON labels (label);
CREATE TABLE transactions (seq INTEGER PRIMARY KEY AUTOINCREMENT, txid BLOB NOT NULL UNIQUE, raw BLOB NOT NULL,
                           time INTEGER NOT NULL, block_hash BLOB, block_height INTEGER,
                           block_time INTEGER NOT NULL DEFAULT 0, in_mempool INTEGER NOT NULL,
                           from_me INTEGER NOT NULL, coinbase INTEGER NOT NULL, fee INTEGER);
CREATE INDEX transactions_by_height ON transactions (block_height);
CREATE TABLE outputs (txid BLOB NOT NULL, vout INTEGER NOT NULL, amount INTEGER NOT NULL, xonly BLOB NOT NULL,
                      branch INTEGER NOT NULL, idx INTEGER NOT NULL, height INTEGER, coinbase INTEGER NOT NULL,
                      from_me INTEGER NOT NULL, in_mempool INTEGER NOT NULL, spent_by BLOB,
                      PRIMARY KEY (txid, vout)) WITHOUT ROWID;
CREATE INDEX outputs_unspent ON outputs (height, coinbase, amount, from_me, in_mempool, spent_by)
    WHERE spent_by IS NULL;
CREATE INDEX outputs_by_spender ON outputs (spent_by) WHERE spent_by IS NOT NULL;
)sql";

/** Added by version 3: listunspent's index. It covers every column the
 *  listing reads (spent_by included, always NULL here, so SQLite need not
 *  visit the table) in the listing's order (height, txid, vout), so 50,000
 *  coins come out of one index range without a sort. */
constexpr const char* SCHEMA_V3_ADDITIONS = R"sql(
CREATE INDEX IF NOT EXISTS outputs_unspent_list
    ON outputs (height, txid, vout, amount, xonly, branch, idx, coinbase, from_me, in_mempool, spent_by)
    WHERE spent_by IS NULL;
)sql";

/** Added by version 3 (doc/wallet.md, "Storage"): every input of a wallet
 *  transaction, and the blocks that confirmed a double spend of one. */
constexpr const char* SCHEMA_V3_TABLES = R"sql(
CREATE TABLE IF NOT EXISTS tx_spends (prev_txid BLOB NOT NULL, prev_vout INTEGER NOT NULL, txid BLOB NOT NULL,
                        PRIMARY KEY (prev_txid, prev_vout, txid)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tx_spends_by_txid ON tx_spends (txid);
CREATE TABLE IF NOT EXISTS tx_conflicts (txid BLOB NOT NULL, block_hash BLOB NOT NULL, block_height INTEGER NOT NULL,
                           PRIMARY KEY (txid, block_hash)) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS tx_conflicts_by_block ON tx_conflicts (block_hash);
CREATE INDEX IF NOT EXISTS tx_conflicts_by_height ON tx_conflicts (block_height);
)sql";

/** Added by version 4 (doc/wallet.md, "Storage"): the wallet's own notes on
 *  its transactions (abandontransaction, send comments), in a table of their
 *  own so the chain-driven transactions rows never carry them. */
constexpr const char* SCHEMA_V4_TABLES = R"sql(
CREATE TABLE IF NOT EXISTS tx_notes (txid BLOB PRIMARY KEY, abandoned INTEGER NOT NULL DEFAULT 0, comment TEXT,
                                     comment_to TEXT) WITHOUT ROWID;
)sql";

TxRecord ReadTxRow(const StatementUse& s)
{
    // Columns: seq, txid, raw, time, block_hash, block_height, block_time, in_mempool, from_me, coinbase, fee
    TxRecord tx;
    tx.seq = s.Int(0);
    tx.txid = s.Hash(1).value_or(uint256{});
    tx.raw = s.Blob(2);
    tx.time = s.Int(3);
    tx.block_hash = s.Hash(4);
    tx.block_height = s.OptInt(5);
    tx.block_time = s.Int(6);
    tx.in_mempool = s.Int(7) != 0;
    tx.from_me = s.Int(8) != 0;
    tx.coinbase = s.Int(9) != 0;
    tx.fee = s.OptInt(10);
    return tx;
}

constexpr const char* TX_COLUMNS =
    "seq, txid, raw, time, block_hash, block_height, block_time, in_mempool, from_me, coinbase, fee";

OutputRecord ReadOutputRow(const StatementUse& s)
{
    // Columns: txid, vout, amount, xonly, branch, idx, height, coinbase, from_me, in_mempool, spent_by
    OutputRecord out;
    out.outpoint.txid = s.Hash(0).value_or(uint256{});
    out.outpoint.index = static_cast<uint32_t>(s.Int(1));
    out.amount = s.Int(2);
    out.xonly = s.Blob(3);
    out.branch = static_cast<uint32_t>(s.Int(4));
    out.index = static_cast<uint32_t>(s.Int(5));
    out.height = s.OptInt(6);
    out.coinbase = s.Int(7) != 0;
    out.from_me = s.Int(8) != 0;
    out.in_mempool = s.Int(9) != 0;
    out.spent_by = s.Hash(10);
    return out;
}

#define OUTPUT_COLUMNS "txid, vout, amount, xonly, branch, idx, height, coinbase, from_me, in_mempool, spent_by"

/** Opens the file and sets the connection up (WAL, foreign keys off, busy
 *  timeout); fails for a file that is not an SQLite database. */
Result<sqlite3*> OpenConnection(const std::filesystem::path& path, bool create)
{
    sqlite3* db{nullptr};
    const int flags = SQLITE_OPEN_READWRITE | (create ? SQLITE_OPEN_CREATE : 0) | SQLITE_OPEN_NOMUTEX;
    if (sqlite3_open_v2(path.c_str(), &db, flags, nullptr) != SQLITE_OK) {
        std::string message = SqliteError(db, "Cannot open wallet file " + path.string());
        sqlite3_close(db);
        return Error{message};
    }
    sqlite3_extended_result_codes(db, 1);
    sqlite3_busy_timeout(db, 5000);
    // The file is untrusted input: defensive mode (no writes to the schema
    // through PRAGMAs), no functions from the schema, and checks of every
    // b-tree cell as it is read, so a damaged file is an error, not a fault.
    sqlite3_db_config(db, SQLITE_DBCONFIG_DEFENSIVE, 1, nullptr);
    sqlite3_db_config(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, nullptr);
    // WAL: readers never block the writer; synchronous=FULL so a committed
    // state change survives power loss. A 32 MiB page cache and reads through
    // mmap (up to 256 MiB of the file) keep listunspent on a large wallet
    // from re-reading its pages through read() on every call.
    char* err{nullptr};
    if (sqlite3_exec(db, "PRAGMA cell_size_check=ON; PRAGMA secure_delete=ON; PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL; "
                              "PRAGMA cache_size=-32768; PRAGMA mmap_size=268435456;", nullptr, nullptr, &err) != SQLITE_OK) {
        std::string message = "Cannot open wallet file " + path.string() + ": " + (err ? err : "unknown error") +
                              " (not an HPIPS wallet?)";
        sqlite3_free(err);
        sqlite3_close(db);
        return Error{message};
    }
    return db;
}

}  // namespace

WalletDB::WalletDB(sqlite3* db) : m_db{db} {}

WalletDB::~WalletDB()
{
    for (auto& [_, stmt] : m_statements) sqlite3_finalize(stmt);
    sqlite3_close(m_db);
}

Result<void> WalletDB::Exec(const char* sql)
{
    char* err{nullptr};
    if (sqlite3_exec(m_db, sql, nullptr, nullptr, &err) != SQLITE_OK) {
        std::string message = err ? err : sqlite3_errmsg(m_db);
        sqlite3_free(err);
        return Error{message};
    }
    return {};
}

sqlite3_stmt* WalletDB::Prepare(const char* sql)
{
    for (auto& [text, stmt] : m_statements) {
        if (text == sql) return stmt;
    }
    sqlite3_stmt* stmt{nullptr};
    if (sqlite3_prepare_v3(m_db, sql, -1, SQLITE_PREPARE_PERSISTENT, &stmt, nullptr) != SQLITE_OK) return nullptr;
    m_statements.emplace_back(sql, stmt);
    return stmt;
}

Result<std::unique_ptr<WalletDB>> WalletDB::Create(const std::filesystem::path& path,
                                                   const std::vector<std::pair<std::string, std::string>>& meta)
{
    std::error_code ec;
    if (std::filesystem::exists(path, ec)) return Error{"Wallet file " + path.string() + " already exists"};
    auto conn = OpenConnection(path, /*create=*/true);
    if (!conn) return conn.error();
    std::unique_ptr<WalletDB> db{new WalletDB{*conn}};
    auto created = db->Batch([&]() -> Result<void> {
        const std::string pragma = "PRAGMA application_id=" + std::to_string(WALLET_APPLICATION_ID) + ";";
        if (auto r = db->Exec(pragma.c_str()); !r) return r;
        if (auto r = db->Exec(SCHEMA_V1); !r) return r;
        if (auto r = db->Exec(SCHEMA_V3_TABLES); !r) return r;
        if (auto r = db->Exec(SCHEMA_V4_TABLES); !r) return r;
        if (auto r = db->Exec(SCHEMA_V3_ADDITIONS); !r) return r;
        if (auto r = db->SetMeta("schema_version", std::to_string(WALLET_SCHEMA_VERSION)); !r) return r;
        for (const auto& [key, value] : meta) {
            if (auto r = db->SetMeta(key, value); !r) return r;
        }
        return {};
    });
    if (!created) {
        db.reset();
        std::filesystem::remove(path, ec);
        return Error{"Cannot create wallet file " + path.string() + ": " + created.error_message()};
    }
    return db;
}

Result<std::unique_ptr<WalletDB>> WalletDB::Open(const std::filesystem::path& path)
{
    std::error_code ec;
    if (!std::filesystem::is_regular_file(path, ec)) return Error{"Wallet file " + path.string() + " not found"};
    auto conn = OpenConnection(path, /*create=*/false);
    if (!conn) return conn.error();
    std::unique_ptr<WalletDB> db{new WalletDB{*conn}};
    const std::string bad = "Wallet file " + path.string() + " is not a valid HPIPS wallet: ";
    {
        StatementUse s{db->Prepare("PRAGMA application_id")};
        if (!s || s.Step() != SQLITE_ROW) return Error{bad + "not an SQLite database"};
        if (s.Int(0) != WALLET_APPLICATION_ID) return Error{bad + "wrong application id (a foreign SQLite file)"};
    }
    {
        StatementUse s{db->Prepare("PRAGMA quick_check")};
        if (!s || s.Step() != SQLITE_ROW || s.Text(0) != "ok") return Error{bad + "the database is corrupt"};
    }
    const auto version = db->GetMeta("schema_version");
    if (!version) return Error{bad + "no schema version"};
    if (*version == "1" || *version == "2" || *version == "3") {
        // Version 2 only added meta entries (encryption), version 3 the
        // conflict tables and listunspent's index (tx_spends filled from the
        // stored transactions), version 4 the tx_notes table: older files are
        // upgraded in place, in one transaction, before anything else reads
        // them.
        const bool before_v3 = *version != "3";
        auto upgraded = db->Batch([&]() -> Result<void> {
            if (before_v3) {
                if (auto r = db->Exec(SCHEMA_V3_TABLES); !r) return r;
                if (auto r = db->Exec(SCHEMA_V3_ADDITIONS); !r) return r;
                std::vector<std::vector<uint8_t>> raws;
                {
                    StatementUse s{db->Prepare("SELECT raw FROM transactions WHERE coinbase = 0")};
                    if (!s) return Error{SqliteError(db->m_db, "read transactions")};
                    int rc;
                    while ((rc = s.Step()) == SQLITE_ROW) raws.push_back(s.Blob(0));
                    if (rc != SQLITE_DONE) return Error{SqliteError(db->m_db, "read transactions")};
                }
                for (const auto& raw : raws) {
                    auto tx = DecodeTransaction(raw);
                    if (!tx) return Error{"a stored transaction does not decode"};
                    if (auto r = db->AddSpends(*tx); !r) return r;
                }
            }
            if (auto r = db->Exec(SCHEMA_V4_TABLES); !r) return r;
            return db->SetMeta("schema_version", std::to_string(WALLET_SCHEMA_VERSION));
        });
        if (!upgraded) {
            return Error{bad + "cannot upgrade schema version " + *version + " to " +
                         std::to_string(WALLET_SCHEMA_VERSION) + ": " + upgraded.error_message()};
        }
    } else if (*version != std::to_string(WALLET_SCHEMA_VERSION)) {
        return Error{bad + "unsupported schema version " + version->substr(0, 20) + " (this software reads 1 to " +
                     std::to_string(WALLET_SCHEMA_VERSION) + ")"};
    }
    // Every table of the schema must be there with its columns: a statement
    // of each kind prepares only if they are.
    for (const char* probe : {"SELECT branch, idx, xonly, issued FROM keys LIMIT 0",
                              "SELECT xonly, label FROM labels LIMIT 0",
                              "SELECT seq, txid, raw, time, block_hash, block_height, block_time, in_mempool, "
                              "from_me, coinbase, fee FROM transactions LIMIT 0",
                              "SELECT " OUTPUT_COLUMNS " FROM outputs LIMIT 0",
                              "SELECT prev_txid, prev_vout, txid FROM tx_spends LIMIT 0",
                              "SELECT txid, block_hash, block_height FROM tx_conflicts LIMIT 0",
                              "SELECT txid, abandoned, comment, comment_to FROM tx_notes LIMIT 0"}) {
        sqlite3_stmt* stmt{nullptr};
        const int rc = sqlite3_prepare_v2(db->m_db, probe, -1, &stmt, nullptr);
        sqlite3_finalize(stmt);
        if (rc != SQLITE_OK) return Error{bad + "missing or damaged table (" + sqlite3_errmsg(db->m_db) + ")"};
    }
    return db;
}

Result<void> WalletDB::Batch(const std::function<Result<void>()>& fn)
{
    if (auto begun = Exec("BEGIN IMMEDIATE"); !begun) return Error{"Cannot begin a wallet transaction: " + begun.error_message()};
    auto result = fn();
    if (!result) {
        (void)Exec("ROLLBACK");
        return result;
    }
    if (auto committed = Exec("COMMIT"); !committed) {
        (void)Exec("ROLLBACK");
        return Error{"Cannot commit a wallet transaction: " + committed.error_message()};
    }
    return {};
}

Result<void> WalletDB::Read(const std::function<Result<void>()>& fn)
{
    if (auto begun = Exec("BEGIN DEFERRED"); !begun) return Error{"Cannot begin a wallet read: " + begun.error_message()};
    auto result = fn();
    // Nothing was written: ending the transaction only releases the snapshot.
    (void)Exec(result ? "COMMIT" : "ROLLBACK");
    return result;
}

std::optional<std::string> WalletDB::GetMeta(const std::string& key)
{
    StatementUse s{Prepare("SELECT value FROM meta WHERE key = ?1")};
    if (!s) return std::nullopt;
    s.Bind(1, key);
    if (s.Step() != SQLITE_ROW) return std::nullopt;
    const auto blob = s.Blob(0);
    return std::string{blob.begin(), blob.end()};
}

Result<void> WalletDB::SetMeta(const std::string& key, const std::string& value)
{
    StatementUse s{Prepare("INSERT INTO meta (key, value) VALUES (?1, ?2) ON CONFLICT (key) DO UPDATE SET value = ?2")};
    if (s) {
        s.Bind(1, key);
        s.Bind(2, std::span<const uint8_t>{reinterpret_cast<const uint8_t*>(value.data()), value.size()});
    }
    return Done(s, m_db, "write meta");
}

Result<void> WalletDB::DeleteMeta(const std::string& key)
{
    StatementUse s{Prepare("DELETE FROM meta WHERE key = ?1")};
    if (s) s.Bind(1, key);
    return Done(s, m_db, "delete meta");
}

Result<void> WalletDB::ScrubFreedPages()
{
    // secure_delete (set at open) zeroes deleted content in the pages; the
    // checkpoint writes them into the main file and truncates the WAL, which
    // held the old pages.
    return Exec("PRAGMA wal_checkpoint(TRUNCATE)");
}

Result<void> WalletDB::AddKey(const KeyRecord& key)
{
    StatementUse s{Prepare("INSERT OR IGNORE INTO keys (branch, idx, xonly, issued) VALUES (?1, ?2, ?3, ?4)")};
    if (s) {
        s.Bind(1, key.branch);
        s.Bind(2, key.index);
        s.Bind(3, key.xonly);
        s.Bind(4, key.issued ? 1 : 0);
    }
    return Done(s, m_db, "write key");
}

Result<void> WalletDB::SetKeyIssued(uint32_t branch, uint32_t index)
{
    StatementUse s{Prepare("UPDATE keys SET issued = 1 WHERE branch = ?1 AND idx = ?2")};
    if (s) {
        s.Bind(1, branch);
        s.Bind(2, index);
    }
    return Done(s, m_db, "mark key issued");
}

Result<std::vector<KeyRecord>> WalletDB::LoadKeys()
{
    StatementUse s{Prepare("SELECT branch, idx, xonly, issued FROM keys ORDER BY branch, idx")};
    if (!s) return Error{SqliteError(m_db, "read keys")};
    std::vector<KeyRecord> keys;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
        keys.push_back({static_cast<uint32_t>(s.Int(0)), static_cast<uint32_t>(s.Int(1)), s.Blob(2), s.Int(3) != 0});
    }
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read keys")};
    return keys;
}

Result<void> WalletDB::SetLabel(const std::vector<uint8_t>& xonly, const std::string& label)
{
    StatementUse s{Prepare("INSERT INTO labels (xonly, label) VALUES (?1, ?2) ON CONFLICT (xonly) DO UPDATE SET label = ?2")};
    if (s) {
        s.Bind(1, xonly);
        s.Bind(2, label);
    }
    return Done(s, m_db, "write label");
}

std::optional<std::string> WalletDB::GetLabel(const std::vector<uint8_t>& xonly)
{
    StatementUse s{Prepare("SELECT label FROM labels WHERE xonly = ?1")};
    if (!s) return std::nullopt;
    s.Bind(1, xonly);
    if (s.Step() != SQLITE_ROW) return std::nullopt;
    return s.Text(0);
}

Result<std::map<std::vector<uint8_t>, std::string>> WalletDB::LoadLabels()
{
    StatementUse s{Prepare("SELECT xonly, label FROM labels")};
    if (!s) return Error{SqliteError(m_db, "read labels")};
    std::map<std::vector<uint8_t>, std::string> labels;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) labels.emplace(s.Blob(0), s.Text(1));
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read labels")};
    return labels;
}

Result<std::vector<std::pair<std::string, std::vector<uint8_t>>>> WalletDB::LabelRows(
    const std::optional<std::string>& label)
{
    StatementUse s{Prepare(label ? "SELECT label, xonly FROM labels INDEXED BY labels_by_label WHERE label = ?1"
                                 : "SELECT label, xonly FROM labels INDEXED BY labels_by_label ORDER BY label")};
    if (!s) return Error{SqliteError(m_db, "read labels")};
    if (label) s.Bind(1, *label);
    std::vector<std::pair<std::string, std::vector<uint8_t>>> rows;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) rows.emplace_back(s.Text(0), s.Blob(1));
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read labels")};
    return rows;
}

std::optional<TxRecord> WalletDB::GetTx(const uint256& txid)
{
    static const std::string sql = std::string{"SELECT "} + TX_COLUMNS + " FROM transactions WHERE txid = ?1";
    StatementUse s{Prepare(sql.c_str())};
    if (!s) return std::nullopt;
    s.Bind(1, txid);
    if (s.Step() != SQLITE_ROW) return std::nullopt;
    return ReadTxRow(s);
}

Result<void> WalletDB::WriteTx(const TxRecord& tx)
{
    StatementUse s{Prepare(
        "INSERT INTO transactions (txid, raw, time, block_hash, block_height, block_time, in_mempool, from_me, "
        "coinbase, fee) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10) ON CONFLICT (txid) DO UPDATE SET "
        "block_hash = ?4, block_height = ?5, block_time = ?6, in_mempool = ?7, from_me = ?8, fee = ?10")};
    if (s) {
        s.Bind(1, tx.txid);
        s.Bind(2, tx.raw);
        s.Bind(3, tx.time);
        s.BindOptional(4, tx.block_hash);
        s.BindOptional(5, tx.block_height);
        s.Bind(6, tx.block_time);
        s.Bind(7, tx.in_mempool ? 1 : 0);
        s.Bind(8, tx.from_me ? 1 : 0);
        s.Bind(9, tx.coinbase ? 1 : 0);
        s.BindOptional(10, tx.fee);
    }
    return Done(s, m_db, "write transaction");
}

Result<void> WalletDB::SetTxMempool(const uint256& txid, bool in_mempool)
{
    StatementUse s{Prepare("UPDATE transactions SET in_mempool = ?2 WHERE txid = ?1")};
    if (s) {
        s.Bind(1, txid);
        s.Bind(2, in_mempool ? 1 : 0);
    }
    return Done(s, m_db, "update transaction");
}

Result<void> WalletDB::SetTxBlock(const uint256& txid, const std::optional<uint256>& block_hash,
                                  std::optional<int64_t> height, int64_t block_time)
{
    StatementUse s{Prepare("UPDATE transactions SET block_hash = ?2, block_height = ?3, block_time = ?4 WHERE txid = ?1")};
    if (s) {
        s.Bind(1, txid);
        s.BindOptional(2, block_hash);
        s.BindOptional(3, height);
        s.Bind(4, block_time);
    }
    return Done(s, m_db, "update transaction");
}

Result<std::vector<TxRecord>> WalletDB::ListTxsNewestFirst(int64_t count, int64_t skip)
{
    static const std::string sql =
        std::string{"SELECT "} + TX_COLUMNS + " FROM transactions ORDER BY seq DESC LIMIT ?1 OFFSET ?2";
    StatementUse s{Prepare(sql.c_str())};
    if (!s) return Error{SqliteError(m_db, "list transactions")};
    s.Bind(1, count);
    s.Bind(2, skip);
    std::vector<TxRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadTxRow(s));
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "list transactions")};
    return out;
}

Result<std::vector<TxRecord>> WalletDB::ListUnconfirmedTxs()
{
    static const std::string sql =
        std::string{"SELECT "} + TX_COLUMNS + " FROM transactions WHERE block_height IS NULL ORDER BY seq";
    StatementUse s{Prepare(sql.c_str())};
    if (!s) return Error{SqliteError(m_db, "list transactions")};
    std::vector<TxRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadTxRow(s));
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "list transactions")};
    return out;
}

Result<std::vector<TxRecord>> WalletDB::ListConfirmedFrom(int64_t height)
{
    static const std::string sql =
        std::string{"SELECT "} + TX_COLUMNS + " FROM transactions WHERE block_height >= ?1 ORDER BY block_height, seq";
    StatementUse s{Prepare(sql.c_str())};
    if (!s) return Error{SqliteError(m_db, "list transactions")};
    s.Bind(1, height);
    std::vector<TxRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadTxRow(s));
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "list transactions")};
    return out;
}

int64_t WalletDB::CountTxs()
{
    StatementUse s{Prepare("SELECT COUNT(*) FROM transactions")};
    if (!s || s.Step() != SQLITE_ROW) return 0;
    return s.Int(0);
}

Result<void> WalletDB::AddOutput(const OutputRecord& out)
{
    StatementUse s{Prepare("INSERT INTO outputs (" OUTPUT_COLUMNS ") VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, "
                           "?10, ?11) ON CONFLICT (txid, vout) DO NOTHING")};
    if (s) {
        s.Bind(1, out.outpoint.txid);
        s.Bind(2, out.outpoint.index);
        s.Bind(3, out.amount);
        s.Bind(4, out.xonly);
        s.Bind(5, out.branch);
        s.Bind(6, out.index);
        s.BindOptional(7, out.height);
        s.Bind(8, out.coinbase ? 1 : 0);
        s.Bind(9, out.from_me ? 1 : 0);
        s.Bind(10, out.in_mempool ? 1 : 0);
        s.BindOptional(11, out.spent_by);
    }
    return Done(s, m_db, "write output");
}

std::optional<OutputRecord> WalletDB::GetOutput(const OutPoint& outpoint)
{
    StatementUse s{Prepare("SELECT " OUTPUT_COLUMNS " FROM outputs WHERE txid = ?1 AND vout = ?2")};
    if (!s) return std::nullopt;
    s.Bind(1, outpoint.txid);
    s.Bind(2, outpoint.index);
    if (s.Step() != SQLITE_ROW) return std::nullopt;
    return ReadOutputRow(s);
}

Result<std::vector<OutputRecord>> WalletDB::OutputsOf(const uint256& txid)
{
    StatementUse s{Prepare("SELECT " OUTPUT_COLUMNS " FROM outputs WHERE txid = ?1 ORDER BY vout")};
    if (!s) return Error{SqliteError(m_db, "read outputs")};
    s.Bind(1, txid);
    std::vector<OutputRecord> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadOutputRow(s));
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read outputs")};
    return out;
}

Result<void> WalletDB::MarkSpent(const OutPoint& outpoint, const uint256& spender)
{
    StatementUse s{Prepare("UPDATE outputs SET spent_by = ?3 WHERE txid = ?1 AND vout = ?2")};
    if (s) {
        s.Bind(1, outpoint.txid);
        s.Bind(2, outpoint.index);
        s.Bind(3, spender);
    }
    return Done(s, m_db, "mark output spent");
}

Result<void> WalletDB::ReleaseSpentBy(const uint256& spender)
{
    StatementUse s{Prepare("UPDATE outputs SET spent_by = NULL WHERE spent_by = ?1")};
    if (s) s.Bind(1, spender);
    return Done(s, m_db, "release spent outputs");
}

Result<void> WalletDB::SetOutputsState(const uint256& txid, std::optional<int64_t> height, bool in_mempool)
{
    StatementUse s{Prepare("UPDATE outputs SET height = ?2, in_mempool = ?3 WHERE txid = ?1")};
    if (s) {
        s.Bind(1, txid);
        s.BindOptional(2, height);
        s.Bind(3, in_mempool ? 1 : 0);
    }
    return Done(s, m_db, "update outputs");
}

Result<BalanceSums> WalletDB::Balances(int64_t tip_height, int64_t min_conf)
{
    // ?1: highest height of a mature coinbase (spendable in the next block,
    // the consensus rule); ?2: highest height with min_conf confirmations.
    StatementUse s{Prepare(
        "SELECT "
        " COALESCE(SUM(CASE WHEN height IS NOT NULL AND (coinbase = 0 OR height <= ?1) AND height <= ?2 "
        "                   THEN amount ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN height IS NULL AND in_mempool = 1 AND from_me = 1 THEN amount ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN height IS NULL AND in_mempool = 1 AND from_me = 0 THEN amount ELSE 0 END), 0),"
        " COALESCE(SUM(CASE WHEN height IS NOT NULL AND coinbase = 1 AND height > ?1 THEN amount ELSE 0 END), 0) "
        "FROM outputs INDEXED BY outputs_unspent WHERE spent_by IS NULL")};
    if (!s) return Error{SqliteError(m_db, "balance")};
    s.Bind(1, tip_height + 1 - COINBASE_MATURITY);
    s.Bind(2, tip_height + 1 - std::max<int64_t>(min_conf, 1));
    if (s.Step() != SQLITE_ROW) return Error{SqliteError(m_db, "balance")};
    BalanceSums sums;
    sums.trusted = s.Int(0) + (min_conf <= 0 ? s.Int(1) : 0);
    sums.untrusted_pending = s.Int(2);
    sums.immature = s.Int(3);
    return sums;
}

Result<std::vector<OutputRecord>> WalletDB::ListUnspent(const UnspentFilter& filter)
{
    // Confirmed outputs within [min_conf, max_conf] in (height, txid, vout)
    // order, then unconfirmed ones (in the mempool) in (txid, vout) order,
    // only when min_conf is 0, and then only trusted ones if asked. Two
    // statements so each reads outputs_unspent_list in its own order.
    const int64_t tip = filter.tip_height;
    std::vector<OutputRecord> out;
    {
        StatementUse s{Prepare("SELECT " OUTPUT_COLUMNS " FROM outputs INDEXED BY outputs_unspent_list"
                               " WHERE spent_by IS NULL AND height IS NOT NULL AND height <= ?1 AND height >= ?2"
                               " AND (?3 = 0 OR coinbase = 0 OR height <= ?4) ORDER BY height, txid, vout")};
        if (!s) return Error{SqliteError(m_db, "list unspent")};
        s.Bind(1, tip + 1 - std::max<int64_t>(filter.min_conf, 1));
        s.Bind(2, tip + 1 - std::max<int64_t>(filter.max_conf, 1));
        s.Bind(3, filter.mature_only ? 1 : 0);
        s.Bind(4, tip + 1 - COINBASE_MATURITY);
        int rc;
        while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadOutputRow(s));
        if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "list unspent")};
    }
    if (filter.min_conf <= 0 && filter.max_conf >= 0) {
        StatementUse s{Prepare("SELECT " OUTPUT_COLUMNS " FROM outputs INDEXED BY outputs_unspent_list"
                               " WHERE spent_by IS NULL AND height IS NULL AND in_mempool = 1"
                               " AND (?1 = 0 OR from_me = 1) ORDER BY height, txid, vout")};
        if (!s) return Error{SqliteError(m_db, "list unspent")};
        s.Bind(1, filter.unconfirmed_trusted_only ? 1 : 0);
        int rc;
        while ((rc = s.Step()) == SQLITE_ROW) out.push_back(ReadOutputRow(s));
        if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "list unspent")};
    }
    return out;
}

}  // namespace hpips::wallet
