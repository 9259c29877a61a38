// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#ifndef HPIPS_WALLET_WALLET_H
#define HPIPS_WALLET_WALLET_H

#include <primitives/amount.h>
#include <primitives/destination.h>
#include <primitives/transaction.h>
#include <util/result.h>
#include <util/threadsafety.h>
#include <wallet/chain_interface.h>
#include <wallet/coinselection.h>
#include <wallet/crypter.h>
#include <wallet/keys.h>
#include <wallet/spend.h>
#include <wallet/walletdb.h>

#include <array>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

/**
 * One loaded wallet: its keys, its file, and what it has seen of the chain
 * (doc/wallet.md).
 *
 * It follows the chain as a WalletChainListener: every transaction that pays
 * one of its keys or spends one of its outputs is stored, with its
 * confirmation (block, height) or its presence in the mempool; each event is
 * one SQL transaction. Keys are derived ahead of use (the keypool, a gap
 * limit of `keypool` keys beyond the last one used on each branch), so
 * payments to addresses not yet handed out, as after a restore, are found.
 *
 * Thread safety: m_mutex guards the database and the key maps; chain events
 * and RPC calls take it. Sending also holds m_send_mutex (taken first) over
 * building and broadcasting, so two sends never pick the same coins; the
 * broadcast itself runs without m_mutex, because the mempool reports the new
 * transaction back to this wallet on the same thread.
 *
 * Encryption (doc/wallet.md, "Encryption"): an encrypted wallet holds only
 * public keys (from the account xpub) while locked; Unlock puts the private
 * KeyChain and the master key in memory until walletlock or the deadline,
 * which a relock thread (started at the first unlock, joined by the
 * destructor) enforces under m_mutex.
 */
namespace hpips::wallet {

/** Default -keypool: keys derived ahead on each branch (Core's 1000). */
constexpr int64_t DEFAULT_KEYPOOL_SIZE = 1000;
/** Largest -keypool accepted. */
constexpr int64_t MAX_KEYPOOL_SIZE = 100'000;
/** Default fee rate when none is set (-fallbackfee), base units per 1000
 *  bytes: 0.0002 coin/kB as Core's regtest default. */
constexpr WalletFeeRate DEFAULT_FALLBACK_FEE = 20'000;
/** Largest -paytxfee / -fallbackfee accepted (0.1 coin/kB, Core's maxtxfee scale). */
constexpr WalletFeeRate MAX_WALLET_FEE_RATE = 10'000'000;

/** Default -txconfirmtarget: the blocks a send's estimated fee rate aims at (Core's 6). */
constexpr int64_t DEFAULT_TX_CONFIRM_TARGET = 6;

/** A wallet transaction event for -walletnotify (doc/wallet.md,
 *  "Notifications"): the transaction entered the wallet (block nullopt:
 *  unconfirmed, or the block it arrived in) or a block confirmed it. */
struct TxNotification {
    std::string wallet;
    uint256 txid;
    /** The confirming block; nullopt while unconfirmed. */
    std::optional<ChainBlockRef> block;
};

/** Options every wallet of the node shares. */
struct WalletOptions {
    /** Called once per TxNotification event, after the event is committed to
     *  the file, with the wallet's lock held: it must only queue work (the
     *  node queues -walletnotify on its CommandRunner). Empty: none. */
    std::function<void(const TxNotification&)> tx_notify;
    int64_t keypool{DEFAULT_KEYPOOL_SIZE};
    /** -paytxfee: the rate every send pays (settxfee changes it per wallet);
     *  nullopt: estimatesmartfee for the confirmation target. */
    std::optional<WalletFeeRate> pay_tx_fee;
    /** -fallbackfee: the rate when the node has no estimate (0: refuse to send). */
    WalletFeeRate fallback_fee{DEFAULT_FALLBACK_FEE};
    /** -txconfirmtarget. */
    int64_t confirm_target{DEFAULT_TX_CONFIRM_TARGET};
    /** The mempool's minimum relay fee rate: no transaction pays less, and
     *  outputs below its dust threshold are not made. */
    WalletFeeRate relay_fee_rate{1000};
};

/** How createwallet makes a wallet. */
struct CreateWalletOptions {
    /** Restore from this BIP-39 mnemonic (otherwise a new one). */
    std::optional<std::string> mnemonic;
    /** Watch-only from this account xpub (disable_private_keys). */
    std::optional<std::string> xpub;
    bool disable_private_keys{false};
    /** No keys at all until a seed is set (Core's blank). */
    bool blank{false};
    /** Non-empty: the wallet is created encrypted (its mnemonic is never
     *  written in the clear) and locked. */
    std::string passphrase;
};

/** Longest walletpassphrase timeout (seconds), as Core: about 3 years. */
constexpr int64_t MAX_UNLOCK_TIMEOUT = 100'000'000;

/** Why an encryption call failed: the RPC layer maps each to Core's code. */
enum class CryptFailure {
    /** -15: walletpassphrase / walletlock / walletpassphrasechange on an unencrypted wallet. */
    NOT_ENCRYPTED,
    /** -15: encryptwallet on an encrypted wallet. */
    ALREADY_ENCRYPTED,
    /** -14. */
    WRONG_PASSPHRASE,
    /** -13. */
    LOCKED,
    /** -16: nothing to encrypt (watch-only or blank). */
    NO_PRIVATE_KEYS,
    /** -4: the file or the cryptography failed. */
    FAILED,
};
struct CryptError {
    CryptFailure failure;
    std::string message;
};

/** getwalletinfo's numbers. */
struct WalletInfo {
    std::string name;
    int64_t schema_version{0};
    int64_t tx_count{0};
    int64_t keypool_size{0};
    int64_t keypool_size_change{0};
    bool private_keys_enabled{false};
    bool blank{false};
    int64_t best_height{-1};
    uint256 best_hash;
    bool encrypted{false};
    /** Node time (seconds) the wallet relocks at; 0 while locked. */
    int64_t unlocked_until{0};
};

/** One line of listtransactions / gettransaction's details. */
struct TxEntry {
    /** "send", "receive", "generate", "immature" or "orphan". */
    std::string category;
    std::string address;
    Amount amount{0};
    std::optional<std::string> label;
    uint32_t vout{0};
};

/** A wallet transaction as the reading RPCs show it. */
struct TxView {
    TxRecord record;
    /** Blocks on top of its block plus one; 0 unconfirmed; negative (minus
     *  the depth of the block) when a block confirmed a double spend of it
     *  (Core's conflicted transactions). */
    int64_t confirmations{0};
    /** Other wallet transactions spending one of its inputs (walletconflicts). */
    std::vector<uint256> conflicts;
    bool trusted{false};
    /** Net effect on the wallet without the fee (Core's "amount"). */
    Amount amount{0};
    /** Negative fee, when the wallet paid it. */
    std::optional<Amount> fee;
    std::vector<TxEntry> entries;
    /** The witness txid; nullopt if the stored bytes do not decode. */
    std::optional<uint256> wtxid;
    /** abandontransaction was called and it is neither confirmed nor pending. */
    bool abandoned{false};
    /** The send's comment and comment_to ("" when none). */
    std::string comment;
    std::string comment_to;
};

/** getaddressinfo's view of one address (wallet_addresses.cpp). */
struct AddressInfo {
    /** One of the wallet's derived keys (receive or change branch). */
    bool ismine{false};
    KeyBranch branch{KeyBranch::RECEIVE};
    uint32_t index{0};
    /** The wallet holds (or, encrypted, seals) the private key. */
    bool has_private_keys{false};
    std::optional<std::string> label;
};

/** Why signmessage failed: LOCKED -> -13, the others -4 as Core's
 *  "Private key not available". */
enum class SignFailure { LOCKED, NOT_MINE, NO_PRIVATE_KEYS };
struct SignError {
    SignFailure failure;
    std::string message;
};

/** Why a send failed: the RPC layer maps each to Core's error code. */
enum class SendFailure {
    INSUFFICIENT_FUNDS,
    INVALID,
    KEYS_DISABLED,
    LOCKED,
    REJECTED,
    DATABASE,
    /** A recipient paying the fee would be left below the dust threshold. */
    AMOUNT_TOO_SMALL,
    /** No estimate and -fallbackfee=0. */
    FEE_ESTIMATION,
};
struct SendError {
    SendFailure failure;
    std::string message;
};

/** One payment of a send. */
struct Recipient {
    Destination destination;
    Amount amount{0};
    /** This output pays (its share of) the fee. */
    bool subtract_fee{false};
};

class Wallet final : public WalletChainListener {
public:
    /** Creates `path` (which must not exist) and loads it. */
    static Result<std::shared_ptr<Wallet>> Create(const std::string& name, const std::filesystem::path& path,
                                                  WalletChain& chain, const WalletOptions& options,
                                                  const CreateWalletOptions& create);
    /** Opens an existing wallet file, checks it, and catches up with the
     *  chain (blocks since its best block; unconfirmed transactions are
     *  resubmitted to the mempool). Nothing is loaded on failure. */
    static Result<std::shared_ptr<Wallet>> Load(const std::string& name, const std::filesystem::path& path,
                                                WalletChain& chain, const WalletOptions& options);
    ~Wallet() override;
    Wallet(const Wallet&) = delete;
    Wallet& operator=(const Wallet&) = delete;

    const std::string& Name() const { return m_name; }
    Network GetNetwork() const { return m_network; }

    /** Starts following the chain and catches up; the manager calls it once after Create/Load. */
    Result<void> Attach() LOCKS_EXCLUDED(m_mutex);
    /** Stops following the chain (unload); no event runs on the wallet after it returns. */
    void Detach() LOCKS_EXCLUDED(m_mutex);

    // WalletChainListener.
    void BlockConnected(const Block& block, const ChainBlockRef& ref) override LOCKS_EXCLUDED(m_mutex);
    void BlockDisconnected(const Block& block, const ChainBlockRef& ref) override LOCKS_EXCLUDED(m_mutex);
    void TransactionAddedToMempool(const Transaction& tx, int64_t time) override LOCKS_EXCLUDED(m_mutex);
    void TransactionRemovedFromMempool(const uint256& txid, MempoolRemoval reason) override LOCKS_EXCLUDED(m_mutex);

    /** A fresh address on `branch` (labelled `label` on the receive branch). */
    Result<std::string> GetNewAddress(const std::string& label, KeyBranch branch) LOCKS_EXCLUDED(m_mutex);
    /** Balances as of the wallet's best block. */
    Result<BalanceSums> GetBalances(int64_t min_conf) LOCKS_EXCLUDED(m_mutex);
    /** Unspent outputs; `filter.tip_height` is filled in from the wallet's best block. */
    Result<std::vector<OutputRecord>> ListUnspent(UnspentFilter filter) LOCKS_EXCLUDED(m_mutex);
    /** The wallet's best block height (-1 before the first block). */
    int64_t BestHeight() const LOCKS_EXCLUDED(m_mutex);
    /** The address of a key the wallet knows (by x-only bytes) and its label. */
    std::string AddressOf(std::span<const uint8_t> xonly) const;
    std::optional<std::string> LabelOf(const std::vector<uint8_t>& xonly) LOCKS_EXCLUDED(m_mutex);
    /** Every label by key. */
    Result<std::map<std::vector<uint8_t>, std::string>> Labels() LOCKS_EXCLUDED(m_mutex);

    std::optional<TxView> GetTransaction(const uint256& txid) LOCKS_EXCLUDED(m_mutex);
    /** listtransactions: entries newest first, `skip` skipped, `count` taken,
     *  returned oldest to newest; `label` filters receive entries by label
     *  (and drops send entries), nullopt or "*" for all. */
    Result<std::vector<std::pair<TxView, TxEntry>>> ListTransactions(const std::optional<std::string>& label,
                                                                     int64_t count, int64_t skip)
        LOCKS_EXCLUDED(m_mutex);

    // Sending (spend.cpp; the fee rule is in spend.h).
    /** Builds, signs and broadcasts a payment (coinselection.h), change to a
     *  new change address; `comment` / `comment_to` are stored with it.
     *  Returns the txid. */
    Result<uint256, SendError> Send(const std::vector<Recipient>& recipients, const CoinControl& control = {},
                                    const std::string& comment = "", const std::string& comment_to = "")
        LOCKS_EXCLUDED(m_send_mutex, m_mutex);
    /** fundrawtransaction: adds wallet coins and change to `mtx` so that its
     *  inputs (the preset ones must be the wallet's unspent coins) pay its
     *  outputs and the fee; the outputs at `subtract_fee_outputs` pay the fee
     *  instead. Not signed; works while locked. */
    Result<FundedTransaction, SendError> Fund(MutableTransaction mtx, const std::vector<size_t>& subtract_fee_outputs,
                                              const CoinControl& control) LOCKS_EXCLUDED(m_send_mutex, m_mutex);
    /** signrawtransactionwithwallet: signs the inputs that spend the wallet's
     *  outputs; LOCKED while locked. */
    Result<SignedTransaction, SendError> SignTransaction(MutableTransaction mtx) LOCKS_EXCLUDED(m_mutex);
    /** abandontransaction: a wallet transaction neither confirmed nor in the
     *  mempool is marked abandoned (persisted): its inputs are free and it is
     *  never resubmitted; it clears if the transaction confirms later. */
    Result<void, AbandonError> AbandonTransaction(const uint256& txid) LOCKS_EXCLUDED(m_mutex);
    /** lockunspent: locks (or unlocks) every listed output, or none of them
     *  if any fails its check (coin_locks.cpp). Locks live in memory until
     *  the wallet is unloaded, as Core's non-persistent locks; coin selection
     *  never picks a locked coin. */
    Result<void, CoinLockError> SetCoinLocks(const std::vector<OutPoint>& outpoints, bool unlock)
        LOCKS_EXCLUDED(m_mutex);
    /** lockunspent true: unlocks every coin. */
    void UnlockAllCoins() LOCKS_EXCLUDED(m_mutex);
    /** listlockunspent, in outpoint order. */
    std::vector<OutPoint> LockedCoins() const LOCKS_EXCLUDED(m_mutex);
    /** settxfee: the wallet's fixed fee rate (nullopt: estimate again). */
    void SetPayTxFee(std::optional<WalletFeeRate> rate) LOCKS_EXCLUDED(m_mutex);
    std::optional<WalletFeeRate> PayTxFee() const LOCKS_EXCLUDED(m_mutex);
    /** The relay minimum the wallet pays at least (WalletOptions). */
    WalletFeeRate RelayFeeRate() const { return m_options.relay_fee_rate; }
    /** An encrypted wallet without its keys in memory. */
    bool IsLocked() const LOCKS_EXCLUDED(m_mutex);

    /** Reads blocks [start, stop] of the active chain and records what pays
     *  or spends the wallet. Returns the last height scanned. */
    Result<int64_t> Rescan(int64_t start, int64_t stop) LOCKS_EXCLUDED(m_mutex);

    WalletInfo GetInfo() LOCKS_EXCLUDED(m_mutex);
    /** The mnemonic, when the wallet has private keys (for backup); LOCKED
     *  while an encrypted wallet is locked, NO_PRIVATE_KEYS without keys. */
    Result<std::string, CryptError> GetMnemonic() LOCKS_EXCLUDED(m_mutex);

    /** listsinceblock (doc/wallet.md): entries of the wallet transactions
     *  confirmed in active blocks above the fork point of `since` with the
     *  active chain (all when nullopt), and of those not confirmed; with
     *  `include_removed`, entries of the wallet transactions of the blocks
     *  between `since` and that fork point (no longer active). `lastblock`
     *  is the active block `target_confirmations` - 1 below the wallet's
     *  best block. Confirmed transactions are found by the block_height
     *  index, never by a walk of every transaction. */
    struct SinceBlock {
        std::vector<std::pair<TxView, TxEntry>> transactions;
        std::vector<std::pair<TxView, TxEntry>> removed;
        uint256 lastblock;
    };
    enum class SinceBlockFailure { BLOCK_NOT_FOUND, DATABASE };
    struct SinceBlockError {
        SinceBlockFailure failure;
        std::string message;
    };
    /** BLOCK_NOT_FOUND: `since` is unknown or its data (or an ancestor's)
     *  cannot be read. */
    Result<SinceBlock, SinceBlockError> ListSinceBlock(const std::optional<uint256>& since, int64_t target_confirmations,
                                      bool include_removed) LOCKS_EXCLUDED(m_mutex);

    // Address book and messages (wallet_addresses.cpp; doc/wallet.md,
    // "Labels" and "Signed messages"). A label's purpose is not stored: it is
    // "receive" for the wallet's own keys and "send" for any other address.
    AddressInfo GetAddressInfo(const Destination& dest) LOCKS_EXCLUDED(m_mutex);
    /** setlabel: labels any KEY address (the wallet's own or another's). */
    Result<void> SetLabel(const Destination& dest, const std::string& label) LOCKS_EXCLUDED(m_mutex);
    /** Every (label, address key, is the wallet's own key), by label (the
     *  labels_by_label index); only rows with `label` when given. */
    struct LabelEntry {
        std::string label;
        std::vector<uint8_t> xonly;
        bool mine{false};
    };
    Result<std::vector<LabelEntry>> LabelEntries(const std::optional<std::string>& label) LOCKS_EXCLUDED(m_mutex);
    /** signmessage: BIP-340 signature of MessageHash(message) (primitives/message.h)
     *  by the wallet's key of `dest`. */
    Result<std::array<uint8_t, SCHNORR_SIGNATURE_SIZE>, SignError> SignMessage(const Destination& dest,
                                                                              std::string_view message)
        LOCKS_EXCLUDED(m_mutex);

    // Encryption (doc/wallet.md, "Encryption"). Passphrases are wiped by the
    // callee; the RPC layer passes its copies by value.
    /** encryptwallet: seals the mnemonic under a new master key sealed under
     *  `passphrase`; the clear mnemonic leaves the file. Leaves the wallet locked. */
    Result<void, CryptError> EncryptWallet(std::string passphrase) LOCKS_EXCLUDED(m_mutex);
    /** walletpassphrase: unlocks for `timeout` seconds (0 to MAX_UNLOCK_TIMEOUT);
     *  a relock timer locks it again. Unlocking again moves the deadline. */
    Result<void, CryptError> Unlock(std::string passphrase, int64_t timeout) LOCKS_EXCLUDED(m_mutex);
    /** walletlock: forgets the private keys now. */
    Result<void, CryptError> Lock() LOCKS_EXCLUDED(m_mutex);
    /** walletpassphrasechange: reseals the master key only; the lock state is kept. */
    Result<void, CryptError> ChangePassphrase(std::string old_passphrase, std::string new_passphrase)
        LOCKS_EXCLUDED(m_mutex);

private:
    struct KeyPos {
        KeyBranch branch;
        uint32_t index;
    };
    using XOnlyBytes = std::array<uint8_t, XONLY_KEY_SIZE>;

    Wallet(std::string name, std::unique_ptr<WalletDB> db, std::optional<KeyChain> keys, WalletChain& chain,
           const WalletOptions& options);
    static Result<std::shared_ptr<Wallet>> FromDB(const std::string& name, std::unique_ptr<WalletDB> db,
                                                  WalletChain& chain, const WalletOptions& options);

    /** Derives and stores keys until each branch has `keypool` unissued keys
     *  beyond the last issued or used one. Inside a Batch. */
    Result<void> TopUp() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Marks keys up to `pos` issued (a payment to it was seen). Inside a Batch. */
    Result<void> MarkUsed(const KeyPos& pos) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    std::optional<KeyPos> FindKey(const Destination& dest) const EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Records `tx` when it pays or spends the wallet: confirmed in `block`
     *  (at position `pos`) or in the mempool. Inside a Batch. Returns
     *  whether it was relevant. */
    Result<bool> SyncTransaction(const Transaction& tx, const std::optional<ChainBlockRef>& block, bool in_mempool,
                                 int64_t time) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> ConnectBlockLocked(const Block& block, const ChainBlockRef& ref, bool is_tip_event)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    Result<void> SetBest(const uint256& hash, int64_t height) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Makes a transaction neither confirmed nor pending (it left the
     *  mempool, its block was disconnected and it did not come back): its
     *  outputs stop counting and the coins it spent are free again. */
    Result<void> Deactivate(const uint256& txid) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** What MakeView otherwise queries per transaction or output, loaded
     *  once by a call that makes many views (listsinceblock makes 50,000). */
    struct ViewContext {
        std::map<std::vector<uint8_t>, std::string> labels;
        std::map<uint256, TxNote> notes;
        std::map<uint256, std::vector<uint256>> conflicts;
    };
    Result<ViewContext> LoadViewContext() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** The view of `record`, from `context` when given (no per-transaction
     *  label, note or conflict queries), else from the database. */
    TxView MakeView(const TxRecord& record, const ViewContext* context = nullptr) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Appends one (view, entry) pair per entry of `view` to `out`, moving
     *  the view into the last one. The views in the pairs carry no entries
     *  (each pair's entry is its second). */
    static void AppendEntries(TxView&& view, std::vector<std::pair<TxView, TxEntry>>& out);
    /** Opens the master key with `passphrase` (scrypt under the stored salt). */
    std::optional<CryptoKey> OpenMasterKey(std::string_view passphrase) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** The fee rate of a send (spend.h); reads no wallet state under m_mutex
     *  except the settxfee rate, and may read blocks (the estimate). */
    Result<WalletFeeRate, SendError> ChooseFeeRate(const CoinControl& control) const LOCKS_EXCLUDED(m_mutex);
    /** A built transaction and what signing it needs. */
    struct Built {
        MutableTransaction tx;
        /** Per input: the output it spends and the wallet key that signs it. */
        std::vector<TxOut> spent;
        Amount fee{0};
        int64_t change_position{-1};
    };
    /** Adds coins and change to `mtx` (see Fund). */
    Result<Built, SendError> BuildLocked(MutableTransaction mtx, const std::vector<size_t>& subtract_fee_outputs,
                                         const CoinControl& control, WalletFeeRate fee_rate)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Signs every input whose spent output is a wallet key. */
    std::vector<InputSigningError> SignLocked(MutableTransaction& mtx, const std::vector<std::optional<TxOut>>& spent)
        EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    /** Drops the private keys and the master key (locked state). */
    void LockLocked() EXCLUSIVE_LOCKS_REQUIRED(m_mutex);
    bool IsLockedLocked() const EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_encrypted && !m_master_key; }
    /** The relock thread: locks the wallet when its deadline passes. */
    void RelockThread() LOCKS_EXCLUDED(m_mutex);
    void Fatal(const std::string& what, const std::string& message) const;
    /** Hands the notifications of the batch that just ended to
     *  m_options.tx_notify when it committed, drops them when it did not. */
    void FlushNotifications(bool committed) EXCLUSIVE_LOCKS_REQUIRED(m_mutex);

    const std::string m_name;
    WalletChain& m_chain;
    const Network m_network;
    const WalletOptions m_options;
    bool m_attached{false};

    mutable Mutex m_send_mutex;
    mutable Mutex m_mutex;
    std::unique_ptr<WalletDB> m_db GUARDED_BY(m_mutex);
    /** Null for a blank wallet. */
    std::optional<KeyChain> m_keys GUARDED_BY(m_mutex);
    std::map<XOnlyBytes, KeyPos> m_key_index GUARDED_BY(m_mutex);
    /** Per branch: keys derived so far, and the next index to hand out. */
    std::array<uint32_t, 2> m_derived GUARDED_BY(m_mutex){0, 0};
    std::array<uint32_t, 2> m_next_index GUARDED_BY(m_mutex){0, 0};
    int64_t m_best_height GUARDED_BY(m_mutex){-1};
    uint256 m_best_hash GUARDED_BY(m_mutex);
    /** Events of the open batch (SyncTransaction), for FlushNotifications. */
    std::vector<TxNotification> m_pending_notifications GUARDED_BY(m_mutex);

    /** The mnemonic is sealed (meta crypt_*); m_keys is then watch-only
     *  (from the stored xpub) while locked, so addresses are still derived. */
    bool m_encrypted GUARDED_BY(m_mutex){false};
    /** The master key while unlocked (wiped at lock). */
    std::optional<CryptoKey> m_master_key GUARDED_BY(m_mutex);
    int64_t m_unlocked_until GUARDED_BY(m_mutex){0};
    std::chrono::steady_clock::time_point m_relock_at GUARDED_BY(m_mutex);
    bool m_stopping GUARDED_BY(m_mutex){false};
    std::condition_variable m_relock_cv;
    /** Started at the first unlock; joined by the destructor. */
    std::thread m_relock_thread;

    /** settxfee (starts as -paytxfee). */
    std::optional<WalletFeeRate> m_pay_tx_fee GUARDED_BY(m_mutex);
    /** Coins fundrawtransaction lockUnspents took (until restart). */
    std::set<OutPoint> m_locked_coins GUARDED_BY(m_mutex);
};

}  // namespace hpips::wallet

#endif  // HPIPS_WALLET_WALLET_H
