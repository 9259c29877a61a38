// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// The wallet file's per-transaction side tables (schema 3 and 4,
// doc/wallet.md "Storage"): tx_spends and tx_conflicts (walletconflicts,
// conflicted confirmations) and tx_notes (abandoned, comments).
#include <wallet/walletdb.h>

#include <wallet/walletdb_statement.h>

#include <primitives/transaction.h>

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace hpips::wallet {

using detail::Done;
using detail::SqliteError;
using detail::StatementUse;

TxNote WalletDB::GetTxNote(const uint256& txid)
{
    StatementUse s{Prepare("SELECT abandoned, comment, comment_to FROM tx_notes WHERE txid = ?1")};
    TxNote note;
    if (!s) return note;
    s.Bind(1, txid);
    if (s.Step() != SQLITE_ROW) return note;
    note.abandoned = s.Int(0) != 0;
    if (!s.IsNull(1)) note.comment = s.Text(1);
    if (!s.IsNull(2)) note.comment_to = s.Text(2);
    return note;
}

Result<std::map<uint256, TxNote>> WalletDB::LoadTxNotes()
{
    StatementUse s{Prepare("SELECT txid, abandoned, comment, comment_to FROM tx_notes")};
    if (!s) return Error{SqliteError(m_db, "read notes")};
    std::map<uint256, TxNote> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
        const auto txid = s.Hash(0);
        if (!txid) continue;
        TxNote& note = out[*txid];
        note.abandoned = s.Int(1) != 0;
        if (!s.IsNull(2)) note.comment = s.Text(2);
        if (!s.IsNull(3)) note.comment_to = s.Text(3);
    }
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read notes")};
    return out;
}

Result<void> WalletDB::SetTxAbandoned(const uint256& txid, bool abandoned)
{
    StatementUse s{Prepare("INSERT INTO tx_notes (txid, abandoned) VALUES (?1, ?2) ON CONFLICT (txid) DO UPDATE SET "
                           "abandoned = ?2")};
    if (s) {
        s.Bind(1, txid);
        s.Bind(2, int64_t{abandoned ? 1 : 0});
    }
    return Done(s, m_db, "write transaction note");
}

Result<void> WalletDB::SetTxComment(const uint256& txid, const std::string& comment, const std::string& comment_to)
{
    StatementUse s{Prepare("INSERT INTO tx_notes (txid, comment, comment_to) VALUES (?1, ?2, ?3) ON CONFLICT (txid) "
                           "DO UPDATE SET comment = ?2, comment_to = ?3")};
    if (s) {
        s.Bind(1, txid);
        s.Bind(2, comment);
        s.Bind(3, comment_to);
    }
    return Done(s, m_db, "write transaction note");
}

Result<void> WalletDB::AddSpends(const Transaction& tx)
{
    if (tx.IsCoinbase()) return {};
    for (const TxIn& in : tx.inputs()) {
        StatementUse s{Prepare("INSERT OR IGNORE INTO tx_spends (prev_txid, prev_vout, txid) VALUES (?1, ?2, ?3)")};
        if (s) {
            s.Bind(1, in.prevout.txid);
            s.Bind(2, in.prevout.index);
            s.Bind(3, tx.GetTxid());
        }
        if (auto r = Done(s, m_db, "write spends"); !r) return r;
    }
    return {};
}

Result<std::vector<uint256>> WalletDB::SpendersOf(const OutPoint& outpoint)
{
    StatementUse s{Prepare("SELECT txid FROM tx_spends WHERE prev_txid = ?1 AND prev_vout = ?2")};
    if (!s) return Error{SqliteError(m_db, "read spends")};
    s.Bind(1, outpoint.txid);
    s.Bind(2, outpoint.index);
    std::vector<uint256> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
        if (auto hash = s.Hash(0)) out.push_back(*hash);
    }
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read spends")};
    return out;
}

Result<std::vector<uint256>> WalletDB::ConflictsOf(const uint256& txid)
{
    StatementUse s{Prepare("SELECT DISTINCT other.txid FROM tx_spends AS mine INDEXED BY tx_spends_by_txid "
                           "JOIN tx_spends AS other ON other.prev_txid = mine.prev_txid AND other.prev_vout = "
                           "mine.prev_vout WHERE mine.txid = ?1 AND other.txid != ?1 ORDER BY other.txid")};
    if (!s) return Error{SqliteError(m_db, "read conflicts")};
    s.Bind(1, txid);
    std::vector<uint256> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
        if (auto hash = s.Hash(0)) out.push_back(*hash);
    }
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read conflicts")};
    return out;
}

Result<std::map<uint256, std::vector<uint256>>> WalletDB::LoadAllConflicts()
{
    // The same pairs as ConflictsOf, for every txid at once: each spend
    // joined with the other spends of its outpoint (the primary key).
    StatementUse s{Prepare("SELECT DISTINCT mine.txid, other.txid FROM tx_spends AS mine "
                           "JOIN tx_spends AS other ON other.prev_txid = mine.prev_txid AND other.prev_vout = "
                           "mine.prev_vout WHERE other.txid != mine.txid ORDER BY mine.txid, other.txid")};
    if (!s) return Error{SqliteError(m_db, "read conflicts")};
    std::map<uint256, std::vector<uint256>> out;
    int rc;
    while ((rc = s.Step()) == SQLITE_ROW) {
        const auto mine = s.Hash(0);
        const auto other = s.Hash(1);
        if (mine && other) out[*mine].push_back(*other);
    }
    if (rc != SQLITE_DONE) return Error{SqliteError(m_db, "read conflicts")};
    return out;
}

Result<void> WalletDB::AddConflict(const uint256& txid, const uint256& block_hash, int64_t height)
{
    StatementUse s{Prepare("INSERT OR REPLACE INTO tx_conflicts (txid, block_hash, block_height) VALUES (?1, ?2, ?3)")};
    if (s) {
        s.Bind(1, txid);
        s.Bind(2, block_hash);
        s.Bind(3, height);
    }
    return Done(s, m_db, "write conflict");
}

std::optional<int64_t> WalletDB::ConflictHeight(const uint256& txid)
{
    StatementUse s{Prepare("SELECT MIN(block_height) FROM tx_conflicts WHERE txid = ?1")};
    if (!s) return std::nullopt;
    s.Bind(1, txid);
    if (s.Step() != SQLITE_ROW) return std::nullopt;
    return s.OptInt(0);
}

Result<void> WalletDB::RemoveConflictsOfBlock(const uint256& block_hash)
{
    StatementUse s{Prepare("DELETE FROM tx_conflicts WHERE block_hash = ?1")};
    if (s) s.Bind(1, block_hash);
    return Done(s, m_db, "remove conflicts");
}

Result<void> WalletDB::RemoveConflictsFrom(int64_t height)
{
    StatementUse s{Prepare("DELETE FROM tx_conflicts WHERE block_height >= ?1")};
    if (s) s.Bind(1, height);
    return Done(s, m_db, "remove conflicts");
}

}  // namespace hpips::wallet
