// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_WALLETDB_H
#define HPIPS_WALLET_WALLETDB_H

#include <primitives/amount.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/uint256.h>

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

struct sqlite3;
struct sqlite3_stmt;

/**
 * The wallet file: one SQLite database in WAL mode (schema and version in
 * doc/wallet.md, "Storage"). Each state change of the wallet (a block, a
 * mempool transaction, a new address) is one SQL transaction through
 * Batch(), so a crash leaves the file at a state boundary.
 *
 * Queries that must stay fast on large wallets use indexes: unspent outputs
 * have a partial covering index (outputs_unspent) that getbalance sums and
 * listunspent walks without touching spent outputs or transactions.
 *
 * Not thread-safe: the Wallet that owns it serialises every call under its
 * own mutex.
 */
namespace hpips::wallet {

/** Version written to meta "schema_version". Version 2 added the
 *  encryption entries of meta; version 3 the tx_spends and tx_conflicts
 *  tables (walletconflicts, conflicted confirmations) and the
 *  outputs_unspent_list index (listunspent). A version 1 or 2 file
 *  is upgraded to 3 when opened (the new tables are created and tx_spends
 *  filled from the stored transactions, in one transaction); any other
 *  version is refused. Version 4 adds the tx_notes table (abandoned
 *  transactions, send comments); a version 3 file is upgraded to 4 the same
 *  way (older ones go through 3 first). */
constexpr int64_t WALLET_SCHEMA_VERSION = 4;
/** Longest sendtoaddress comment / comment_to stored (bytes). */
constexpr size_t MAX_TX_COMMENT_LENGTH = 1024;
/** SQLite application_id of an HPIPS wallet ("HPWL"): a foreign SQLite file
 *  is recognised before any table is read. */
constexpr int32_t WALLET_APPLICATION_ID = 0x4850574c;
/** Longest label accepted (bytes). */
constexpr size_t MAX_LABEL_LENGTH = 1024;

/** One derived key. */
struct KeyRecord {
    uint32_t branch{0};
    uint32_t index{0};
    std::vector<uint8_t> xonly;
    /** Handed out by getnewaddress / used for change. */
    bool issued{false};
};

/** One wallet transaction. */
struct TxRecord {
    uint256 txid;
    std::vector<uint8_t> raw;
    /** When the wallet first saw it (node clock, seconds). */
    int64_t time{0};
    std::optional<uint256> block_hash;
    std::optional<int64_t> block_height;
    int64_t block_time{0};
    bool in_mempool{false};
    /** At least one input spends a wallet output. */
    bool from_me{false};
    bool coinbase{false};
    /** Fee, when every input is the wallet's. */
    std::optional<Amount> fee;
    /** Insertion order (listtransactions' order). */
    int64_t seq{0};
};

/** The wallet's own notes on one of its transactions (table tx_notes). */
struct TxNote {
    /** abandontransaction: never resubmitted to the mempool. */
    bool abandoned{false};
    /** sendtoaddress / sendmany comment and comment_to ("" when none). */
    std::string comment;
    std::string comment_to;
};

/** One output paying the wallet. */
struct OutputRecord {
    OutPoint outpoint;
    Amount amount{0};
    std::vector<uint8_t> xonly;
    uint32_t branch{0};
    uint32_t index{0};
    /** Height of the confirming block; nullopt while unconfirmed. */
    std::optional<int64_t> height;
    bool coinbase{false};
    /** The creating transaction is the wallet's own (trusted while unconfirmed). */
    bool from_me{false};
    /** The creating transaction is in the mempool (meaningful while unconfirmed). */
    bool in_mempool{false};
    std::optional<uint256> spent_by;
};

/** Sums over unspent outputs, split as getbalances reports them. */
struct BalanceSums {
    Amount trusted{0};
    Amount untrusted_pending{0};
    Amount immature{0};
};

/** A filter for unspent outputs (listunspent, coin selection). */
struct UnspentFilter {
    /** The tip height the confirmations are counted from. */
    int64_t tip_height{0};
    int64_t min_conf{1};
    int64_t max_conf{9'999'999};
    /** Leave out coinbase outputs that are not spendable in the next block. */
    bool mature_only{true};
    /** With min_conf 0: take only unconfirmed outputs of the wallet's own
     *  transactions (trusted change), not those others sent. */
    bool unconfirmed_trusted_only{false};
};

/** backupwallet: copies the wallet file `source` to `destination` while the
 *  wallet stays loaded and written. A connection of its own reads one
 *  snapshot (a WAL read transaction, so the owning connection's writers are
 *  not blocked and no lock of the Wallet is held) through SQLite's online
 *  backup API into a new file beside `destination`, which is synced and
 *  then renamed over it: the copy is a consistent state boundary, and an
 *  existing `destination` is replaced only by a complete copy. Refuses a
 *  destination that is the source file itself (or its -wal / -shm file). */
Result<void> BackupWalletFile(const std::filesystem::path& source, const std::filesystem::path& destination);

class WalletDB {
public:
    /** Creates a new wallet file at `path` (which must not exist) with the
     *  schema and the given meta entries, in one transaction. */
    static Result<std::unique_ptr<WalletDB>> Create(const std::filesystem::path& path,
                                                    const std::vector<std::pair<std::string, std::string>>& meta);
    /** Opens an existing wallet file: checks it is an SQLite database, the
     *  application id, the schema version and an integrity check before
     *  anything is loaded; any failure is a clear error and nothing is kept open. */
    static Result<std::unique_ptr<WalletDB>> Open(const std::filesystem::path& path);
    ~WalletDB();
    WalletDB(const WalletDB&) = delete;
    WalletDB& operator=(const WalletDB&) = delete;

    /** Runs `fn` inside one SQL transaction: committed when it returns
     *  success, rolled back when it fails (or any statement in it fails). */
    Result<void> Batch(const std::function<Result<void>()>& fn);
    /** Runs `fn`, which only reads, inside one read transaction: one
     *  consistent snapshot, and SQLite takes its file locks once instead of
     *  once per statement (listsinceblock runs ~150,000 statements). */
    Result<void> Read(const std::function<Result<void>()>& fn);

    // Meta.
    std::optional<std::string> GetMeta(const std::string& key);
    Result<void> SetMeta(const std::string& key, const std::string& value);
    Result<void> DeleteMeta(const std::string& key);
    /** After secrets were replaced (encryption): makes sure their old bytes
     *  are no longer in the file or its write-ahead log (secure_delete is on,
     *  then a truncating checkpoint). Outside a Batch. */
    Result<void> ScrubFreedPages();

    // Keys and labels.
    Result<void> AddKey(const KeyRecord& key);
    Result<void> SetKeyIssued(uint32_t branch, uint32_t index);
    Result<std::vector<KeyRecord>> LoadKeys();
    Result<void> SetLabel(const std::vector<uint8_t>& xonly, const std::string& label);
    std::optional<std::string> GetLabel(const std::vector<uint8_t>& xonly);
    /** Every label by key (one query, for listings of many outputs). */
    Result<std::map<std::vector<uint8_t>, std::string>> LoadLabels();
    /** (label, key) rows ordered by label, only those of `label` when given:
     *  a walk or a range of the labels_by_label index (listlabels,
     *  getaddressesbylabel). */
    Result<std::vector<std::pair<std::string, std::vector<uint8_t>>>> LabelRows(const std::optional<std::string>& label);

    // Transactions.
    std::optional<TxRecord> GetTx(const uint256& txid);
    /** Inserts a new transaction (seq assigned) or updates its state fields. */
    Result<void> WriteTx(const TxRecord& tx);
    Result<void> SetTxMempool(const uint256& txid, bool in_mempool);
    Result<void> SetTxBlock(const uint256& txid, const std::optional<uint256>& block_hash,
                            std::optional<int64_t> height, int64_t block_time);
    /** The notes of `txid` (all defaults when it has none). */
    TxNote GetTxNote(const uint256& txid);
    /** Every transaction's notes (few: only sends with a comment and
     *  abandoned transactions have any), for calls that list many. */
    Result<std::map<uint256, TxNote>> LoadTxNotes();
    Result<void> SetTxAbandoned(const uint256& txid, bool abandoned);
    Result<void> SetTxComment(const uint256& txid, const std::string& comment, const std::string& comment_to);
    /** Transactions newest first (by seq), `count` of them after skipping `skip`. */
    Result<std::vector<TxRecord>> ListTxsNewestFirst(int64_t count, int64_t skip);
    int64_t CountTxs();
    /** Transactions without a block (pending or inactive). */
    Result<std::vector<TxRecord>> ListUnconfirmedTxs();
    /** Transactions confirmed at `height` or above, by height then seq (a
     *  range of the block_height index, no sort: listsinceblock). */
    Result<std::vector<TxRecord>> ListConfirmedFrom(int64_t height);

    // Conflicts (schema 3): the inputs of every wallet transaction, and the
    // blocks that confirmed a transaction double-spending one of them.
    /** Records the outpoints `tx` spends (nothing for a coinbase). */
    Result<void> AddSpends(const Transaction& tx);
    /** Wallet transactions spending `outpoint` (tx_spends' primary key). */
    Result<std::vector<uint256>> SpendersOf(const OutPoint& outpoint);
    /** The other wallet transactions spending an input of `txid`
     *  (walletconflicts), by txid. */
    Result<std::vector<uint256>> ConflictsOf(const uint256& txid);
    /** ConflictsOf for every wallet transaction that has conflicts, in one
     *  pass over tx_spends, for calls that list many. */
    Result<std::map<uint256, std::vector<uint256>>> LoadAllConflicts();
    /** Block `block_hash` at `height` confirmed a transaction that
     *  double-spends wallet transaction `txid`. */
    Result<void> AddConflict(const uint256& txid, const uint256& block_hash, int64_t height);
    /** The lowest height of a block recorded as conflicting `txid`. */
    std::optional<int64_t> ConflictHeight(const uint256& txid);
    /** Forgets the conflicts block `block_hash` caused (it was disconnected). */
    Result<void> RemoveConflictsOfBlock(const uint256& block_hash);
    /** Forgets the conflicts of blocks at `height` or above (load after a reorg). */
    Result<void> RemoveConflictsFrom(int64_t height);

    // Outputs.
    Result<void> AddOutput(const OutputRecord& out);
    std::optional<OutputRecord> GetOutput(const OutPoint& outpoint);
    /** Outputs of one transaction (gettransaction details). */
    Result<std::vector<OutputRecord>> OutputsOf(const uint256& txid);
    Result<void> MarkSpent(const OutPoint& outpoint, const uint256& spender);
    /** Releases every output `spender` spent (it left the mempool unconfirmed). */
    Result<void> ReleaseSpentBy(const uint256& spender);
    /** Copies a transaction's confirmation height and mempool flag onto its outputs. */
    Result<void> SetOutputsState(const uint256& txid, std::optional<int64_t> height, bool in_mempool);
    /** getbalances over unspent outputs (the partial index only). */
    Result<BalanceSums> Balances(int64_t tip_height, int64_t min_conf);
    /** Unspent outputs matching `filter`, oldest first. */
    Result<std::vector<OutputRecord>> ListUnspent(const UnspentFilter& filter);

private:
    explicit WalletDB(sqlite3* db);
    Result<void> Exec(const char* sql);
    sqlite3_stmt* Prepare(const char* sql);

    sqlite3* m_db{nullptr};
    std::vector<std::pair<const char*, sqlite3_stmt*>> m_statements;
};

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_WALLETDB_H
