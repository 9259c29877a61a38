// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
// backupwallet's copy: SQLite's online backup from a second, read-only
// connection (doc/wallet.md, "Backup").
#include <wallet/walletdb.h>

#include <wallet/walletdb_statement.h>

#include <array>
#include <filesystem>
#include <string>
#include <system_error>

namespace hpips::wallet {

using detail::SqliteError;

Result<void> BackupWalletFile(const std::filesystem::path& source, const std::filesystem::path& destination)
{
    std::error_code ec;
    const auto source_real = std::filesystem::weakly_canonical(source, ec);
    if (ec) return Error{"Cannot resolve the wallet file " + source.string() + ": " + ec.message()};
    const auto dest_real = std::filesystem::weakly_canonical(destination, ec);
    if (ec) return Error{"Cannot resolve the backup destination " + destination.string() + ": " + ec.message()};
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) {
        if (dest_real == std::filesystem::path{source_real.string() + suffix}) {
            return Error{"The backup destination is the wallet's own file " + destination.string()};
        }
    }
    if (std::filesystem::is_directory(dest_real, ec)) {
        return Error{"The backup destination " + destination.string() + " is a directory"};
    }
    // A fresh temporary name beside the destination (the same file system,
    // so the rename is atomic).
    std::array<uint8_t, 8> rand{};
    sqlite3_randomness(static_cast<int>(rand.size()), rand.data());
    std::string suffix = ".tmp";
    for (uint8_t b : rand) suffix += "0123456789abcdef"[b & 0xf];
    const std::filesystem::path temp{dest_real.string() + suffix};

    sqlite3* from{nullptr};
    if (sqlite3_open_v2(source.c_str(), &from, SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX, nullptr) != SQLITE_OK) {
        std::string message = SqliteError(from, "Cannot open wallet file " + source.string());
        sqlite3_close(from);
        return Error{message};
    }
    sqlite3_busy_timeout(from, 5000);
    sqlite3* to{nullptr};
    if (sqlite3_open_v2(temp.c_str(), &to, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr) !=
        SQLITE_OK) {
        std::string message = SqliteError(to, "Cannot create backup file " + temp.string());
        sqlite3_close(to);
        sqlite3_close(from);
        std::filesystem::remove(temp, ec);
        return Error{message};
    }
    sqlite3_busy_timeout(to, 5000);
    (void)sqlite3_exec(to, "PRAGMA synchronous=FULL", nullptr, nullptr, nullptr);
    std::string failure;
    sqlite3_backup* backup = sqlite3_backup_init(to, "main", from, "main");
    if (backup == nullptr) {
        failure = SqliteError(to, "Cannot start the backup");
    } else {
        // All pages in one step: one read transaction, one snapshot.
        const int rc = sqlite3_backup_step(backup, -1);
        if (rc != SQLITE_DONE) failure = std::string{"Backup failed: "} + sqlite3_errstr(rc);
        if (sqlite3_backup_finish(backup) != SQLITE_OK && failure.empty()) {
            failure = SqliteError(to, "Backup failed");
        }
    }
    sqlite3_close(from);
    if (sqlite3_close(to) != SQLITE_OK && failure.empty()) failure = "Cannot close the backup file";
    if (failure.empty()) {
        std::filesystem::rename(temp, dest_real, ec);
        if (ec) failure = "Cannot move the backup to " + destination.string() + ": " + ec.message();
    }
    if (!failure.empty()) {
        std::filesystem::remove(temp, ec);
        return Error{failure};
    }
    return {};
}

}  // namespace hpips::wallet
