// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_WALLETDB_STATEMENT_H
#define HPIPS_WALLET_WALLETDB_STATEMENT_H

#include <util/result.h>
#include <util/uint256.h>

#include <sqlite3.h>

#include <algorithm>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

/** Internal to the walletdb*.cpp files: one use of a cached SQLite
 *  statement (bind, step, read columns, reset on scope exit) and the error
 *  text of a failed call. Not part of the wallet's interface. Not
 *  thread-safe: used under the WalletDB owner's lock. */
namespace hpips::wallet::detail {

inline std::string SqliteError(sqlite3* db, std::string_view what)
{
    return std::string{what} + ": " + (db ? sqlite3_errmsg(db) : "out of memory");
}

/** Resets a cached statement when the caller is done with it. */
class StatementUse {
public:
    explicit StatementUse(sqlite3_stmt* stmt) : m_stmt{stmt} {}
    ~StatementUse()
    {
        if (m_stmt) {
            sqlite3_reset(m_stmt);
            sqlite3_clear_bindings(m_stmt);
        }
    }
    StatementUse(const StatementUse&) = delete;
    StatementUse& operator=(const StatementUse&) = delete;
    sqlite3_stmt* get() const { return m_stmt; }
    explicit operator bool() const { return m_stmt != nullptr; }

    void Bind(int i, int64_t v) { sqlite3_bind_int64(m_stmt, i, v); }
    void Bind(int i, std::span<const uint8_t> v)
    {
        sqlite3_bind_blob(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    void Bind(int i, const uint256& v) { Bind(i, std::span<const uint8_t>{v.begin(), v.end()}); }
    void Bind(int i, const std::string& v)
    {
        sqlite3_bind_text(m_stmt, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT);
    }
    void BindNull(int i) { sqlite3_bind_null(m_stmt, i); }
    template <typename T>
    void BindOptional(int i, const std::optional<T>& v)
    {
        if (v) {
            Bind(i, *v);
        } else {
            BindNull(i);
        }
    }

    int Step() { return sqlite3_step(m_stmt); }

    int64_t Int(int col) const { return sqlite3_column_int64(m_stmt, col); }
    bool IsNull(int col) const { return sqlite3_column_type(m_stmt, col) == SQLITE_NULL; }
    std::optional<int64_t> OptInt(int col) const { return IsNull(col) ? std::nullopt : std::optional{Int(col)}; }
    std::vector<uint8_t> Blob(int col) const
    {
        const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(m_stmt, col));
        const int size = sqlite3_column_bytes(m_stmt, col);
        if (data == nullptr || size <= 0) return {};
        return {data, data + size};
    }
    std::string Text(int col) const
    {
        const auto* data = reinterpret_cast<const char*>(sqlite3_column_text(m_stmt, col));
        const int size = sqlite3_column_bytes(m_stmt, col);
        if (data == nullptr || size <= 0) return {};
        return {data, static_cast<size_t>(size)};
    }
    /** A 32-byte column as a hash; nullopt for NULL or any other size (a
     *  damaged row reads as missing, never out of bounds). */
    std::optional<uint256> Hash(int col) const
    {
        if (IsNull(col) || sqlite3_column_bytes(m_stmt, col) != 32) return std::nullopt;
        const auto* data = static_cast<const uint8_t*>(sqlite3_column_blob(m_stmt, col));
        uint256 out;
        std::copy(data, data + 32, out.begin());
        return out;
    }

private:
    sqlite3_stmt* m_stmt;
};

inline Result<void> Done(StatementUse& stmt, sqlite3* db, std::string_view what)
{
    if (!stmt) return Error{SqliteError(db, what)};
    const int rc = stmt.Step();
    if (rc != SQLITE_DONE && rc != SQLITE_ROW) return Error{SqliteError(db, what)};
    return {};
}

}  // namespace hpips::wallet::detail

#endif  // HPIPS_WALLET_WALLETDB_STATEMENT_H
