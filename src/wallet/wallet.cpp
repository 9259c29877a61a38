// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/wallet.h>
#include <wallet/wallet_meta.h>

#include <consensus/params.h>
#include <crypto/cleanse.h>
#include <crypto/random.h>
#include <primitives/address.h>
#include <primitives/sighash.h>
#include <util/logging.h>
#include <util/strencodings.h>

#include <algorithm>

namespace hpips::wallet {
namespace {

/** A block that may disagree with the wallet's best block when it is loaded
 *  is looked for this far back (deeper reorgs while the wallet was not
 *  loaded need rescanblockchain). */
constexpr int64_t MAX_LOAD_REORG_DEPTH = 1000;

std::vector<uint8_t> ToVector(std::span<const uint8_t> bytes) { return {bytes.begin(), bytes.end()}; }

}  // namespace

std::optional<int64_t> ParseMetaInt(const std::optional<std::string>& text)
{
    if (!text || text->empty() || text->size() > 20) return std::nullopt;
    int64_t value{0};
    bool negative{false};
    size_t i{0};
    if ((*text)[0] == '-') {
        negative = true;
        i = 1;
    }
    if (i == text->size()) return std::nullopt;
    for (; i < text->size(); ++i) {
        const char c = (*text)[i];
        if (c < '0' || c > '9') return std::nullopt;
        if (value > (INT64_MAX - (c - '0')) / 10) return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return negative ? -value : value;
}

Wallet::Wallet(std::string name, std::unique_ptr<WalletDB> db, std::optional<KeyChain> keys, WalletChain& chain,
               const WalletOptions& options)
    : m_name{std::move(name)}, m_chain{chain}, m_network{chain.GetNetwork()}, m_options{options}, m_db{std::move(db)},
      m_keys{std::move(keys)}, m_pay_tx_fee{options.pay_tx_fee}
{
}

Wallet::~Wallet()
{
    Detach();
    {
        LockGuard lock{m_mutex};
        m_stopping = true;
        LockLocked();
    }
    m_relock_cv.notify_all();
    if (m_relock_thread.joinable()) m_relock_thread.join();
}

void Wallet::Fatal(const std::string& what, const std::string& message) const
{
    LogInfo("Wallet {}: error while {}: {}", m_name, what, message);
}

Result<std::shared_ptr<Wallet>> Wallet::Create(const std::string& name, const std::filesystem::path& path,
                                               WalletChain& chain, const WalletOptions& options,
                                               const CreateWalletOptions& create)
{
    std::vector<std::pair<std::string, std::string>> meta;
    meta.emplace_back(META_NETWORK, std::string{NetworkName(chain.GetNetwork())});
    if (!create.passphrase.empty() && (create.xpub || create.disable_private_keys || create.blank)) {
        return Error{"Passphrase provided but private keys are disabled. A passphrase is only used to encrypt "
                     "private keys, so cannot be used for wallets with private keys disabled."};
    }
    if (create.xpub) {
        auto keys = KeyChain::FromAccountXpub(*create.xpub);
        if (!keys) return keys.error();
        meta.emplace_back(META_XPUB, keys->AccountXpub());
    } else if (create.disable_private_keys || create.blank) {
        if (create.mnemonic) return Error{"A mnemonic cannot be given to a wallet without private keys or a blank one"};
        meta.emplace_back(META_BLANK, "1");
    } else {
        std::string mnemonic = create.mnemonic ? *create.mnemonic : KeyChain::NewMnemonic();
        auto keys = KeyChain::FromMnemonic(mnemonic, chain.GetNetwork());
        if (!keys) {
            MemoryCleanse(mnemonic.data(), mnemonic.size());
            return keys.error();
        }
        meta.emplace_back(META_XPUB, keys->AccountXpub());
        if (create.passphrase.empty()) {
            meta.emplace_back(META_MNEMONIC, mnemonic);
        } else {
            // Created encrypted: the clear mnemonic never reaches the file.
            auto sealed = EncryptMnemonic(mnemonic, create.passphrase);
            if (!sealed) {
                MemoryCleanse(mnemonic.data(), mnemonic.size());
                return Error{"Wallet encryption failed: " + sealed.error_message()};
            }
            meta.insert(meta.end(), sealed->begin(), sealed->end());
        }
        MemoryCleanse(mnemonic.data(), mnemonic.size());
    }
    // A new wallet starts at the tip: a restored one (mnemonic, xpub) finds
    // its older coins with rescanblockchain from where they are, as in Core,
    // so createwallet never blocks on a scan of the whole chain.
    const ChainBlockRef tip = chain.Tip();
    meta.emplace_back(META_BEST_HASH, tip.hash.GetHex());
    meta.emplace_back(META_BEST_HEIGHT, std::to_string(tip.height));
    std::error_code ec;
    std::filesystem::create_directories(path.parent_path(), ec);
    if (ec) return Error{"Cannot create wallet directory " + path.parent_path().string() + ": " + ec.message()};
    auto db = WalletDB::Create(path, meta);
    for (auto& [key, value] : meta) MemoryCleanse(value.data(), value.size());
    if (!db) return db.error();
    return FromDB(name, std::move(*db), chain, options);
}

Result<std::shared_ptr<Wallet>> Wallet::Load(const std::string& name, const std::filesystem::path& path,
                                             WalletChain& chain, const WalletOptions& options)
{
    auto db = WalletDB::Open(path);
    if (!db) return db.error();
    return FromDB(name, std::move(*db), chain, options);
}

Result<std::shared_ptr<Wallet>> Wallet::FromDB(const std::string& name, std::unique_ptr<WalletDB> db,
                                               WalletChain& chain, const WalletOptions& options)
{
    const auto network = db->GetMeta(META_NETWORK);
    if (!network || *network != std::string{NetworkName(chain.GetNetwork())}) {
        return Error{"Wallet " + name + " is for another network (" + network.value_or("unknown").substr(0, 16) + ")"};
    }
    std::optional<KeyChain> keys;
    bool encrypted{false};
    if (db->GetMeta(META_CRYPT_MNEMONIC)) {
        // Encrypted: starts locked, with the public keys of the stored xpub.
        // The sealed entries must be well formed (the passphrase is checked
        // only at unlock).
        const auto salt = ParseHex(db->GetMeta(META_CRYPT_SALT).value_or(""));
        const auto master = ParseHex(db->GetMeta(META_CRYPT_MASTER_KEY).value_or(""));
        const ScryptParams params{static_cast<uint64_t>(ParseMetaInt(db->GetMeta(META_CRYPT_N)).value_or(0)),
                                  static_cast<uint64_t>(ParseMetaInt(db->GetMeta(META_CRYPT_R)).value_or(0)),
                                  static_cast<uint64_t>(ParseMetaInt(db->GetMeta(META_CRYPT_P)).value_or(0))};
        if (!salt || salt->size() != WALLET_CRYPTO_SALT_SIZE || !master ||
            master->size() != WALLET_CRYPTO_NONCE_SIZE + WALLET_CRYPTO_KEY_SIZE + WALLET_CRYPTO_TAG_SIZE ||
            !ScryptParamsValid(params) || !ParseHex(*db->GetMeta(META_CRYPT_MNEMONIC)) || db->GetMeta(META_MNEMONIC)) {
            return Error{"Wallet " + name + " has damaged encryption entries"};
        }
        auto xpub = db->GetMeta(META_XPUB);
        auto chain_keys = KeyChain::FromAccountXpub(xpub.value_or(""));
        if (!chain_keys) return Error{"Wallet " + name + " has a damaged xpub: " + chain_keys.error_message()};
        keys = std::move(*chain_keys);
        encrypted = true;
    } else if (auto mnemonic = db->GetMeta(META_MNEMONIC)) {
        auto chain_keys = KeyChain::FromMnemonic(*mnemonic, chain.GetNetwork());
        MemoryCleanse(mnemonic->data(), mnemonic->size());
        if (!chain_keys) return Error{"Wallet " + name + " has a damaged seed: " + chain_keys.error_message()};
        keys = std::move(*chain_keys);
    } else if (auto xpub = db->GetMeta(META_XPUB)) {
        auto chain_keys = KeyChain::FromAccountXpub(*xpub);
        if (!chain_keys) return Error{"Wallet " + name + " has a damaged xpub: " + chain_keys.error_message()};
        keys = std::move(*chain_keys);
    } else if (db->GetMeta(META_BLANK) != "1") {
        return Error{"Wallet " + name + " has neither keys nor the blank flag"};
    }
    auto keys_loaded = db->LoadKeys();
    if (!keys_loaded) return keys_loaded.error();

    std::shared_ptr<Wallet> wallet{new Wallet{name, std::move(db), std::move(keys), chain, options}};
    LockGuard lock{wallet->m_mutex};
    wallet->m_encrypted = encrypted;
    for (const KeyRecord& key : *keys_loaded) {
        if (key.branch > 1 || key.xonly.size() != XONLY_KEY_SIZE) {
            return Error{"Wallet " + name + " has a damaged key record"};
        }
        XOnlyBytes bytes;
        std::copy(key.xonly.begin(), key.xonly.end(), bytes.begin());
        wallet->m_key_index[bytes] = {static_cast<KeyBranch>(key.branch), key.index};
        wallet->m_derived[key.branch] = std::max(wallet->m_derived[key.branch], key.index + 1);
    }
    const auto next_receive = ParseMetaInt(wallet->m_db->GetMeta(META_NEXT_RECEIVE)).value_or(0);
    const auto next_change = ParseMetaInt(wallet->m_db->GetMeta(META_NEXT_CHANGE)).value_or(0);
    if (next_receive < 0 || next_receive > MAX_KEY_INDEX || next_change < 0 || next_change > MAX_KEY_INDEX) {
        return Error{"Wallet " + name + " has a damaged key counter"};
    }
    wallet->m_next_index = {static_cast<uint32_t>(next_receive), static_cast<uint32_t>(next_change)};
    wallet->m_best_height = ParseMetaInt(wallet->m_db->GetMeta(META_BEST_HEIGHT)).value_or(-1);
    if (auto hash = wallet->m_db->GetMeta(META_BEST_HASH)) {
        wallet->m_best_hash = uint256::FromHex(*hash).value_or(uint256{});
    }
    if (auto topped = wallet->m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(wallet->m_mutex) { return wallet->TopUp(); });
        !topped) {
        return Error{"Wallet " + name + ": cannot derive keys: " + topped.error_message()};
    }
    return wallet;
}

Result<void> Wallet::Attach()
{
    // Events first, then catch up: a block connected meanwhile is seen twice
    // at worst, and recording is idempotent.
    m_chain.AddListener(this);
    m_attached = true;
    int64_t start{0};
    {
        LockGuard lock{m_mutex};
        if (m_best_height >= 0 && !m_best_hash.IsNull()) {
            if (m_chain.ActiveBlock(m_best_hash)) {
                start = m_best_height + 1;
            } else {
                // The chain moved away from the wallet's best block while the
                // wallet was not loaded: forget confirmations above the
                // fork's possible depth and scan again from there.
                start = std::max<int64_t>(0, m_best_height - MAX_LOAD_REORG_DEPTH);
                auto stale = m_db->ListConfirmedFrom(start);
                if (!stale) return stale.error();
                auto undone = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
                    if (auto r = m_db->RemoveConflictsFrom(start); !r) return r;
                    for (const TxRecord& tx : *stale) {
                        if (tx.block_hash && m_chain.ActiveBlock(*tx.block_hash)) continue;
                        if (auto r = m_db->SetTxBlock(tx.txid, std::nullopt, std::nullopt, 0); !r) return r;
                        if (auto r = Deactivate(tx.txid); !r) return r;
                    }
                    return {};
                });
                if (!undone) return undone;
            }
        }
    }
    const int64_t tip = m_chain.Tip().height;
    if (start <= tip) {
        LogInfo("Wallet {}: scanning blocks {} to {}", m_name, start, tip);
        if (auto scanned = Rescan(start, tip); !scanned) return scanned.error();
    }
    // Pending transactions go back to the mempool (it may have been lost at
    // restart); those it refuses stop counting.
    std::vector<Transaction> resubmit;
    {
        LockGuard lock{m_mutex};
        auto pending = m_db->ListUnconfirmedTxs();
        if (!pending) return pending.error();
        for (const TxRecord& record : *pending) {
            // An abandoned transaction stays out of the mempool (abandontransaction).
            if (record.coinbase || m_db->GetTxNote(record.txid).abandoned) continue;
            auto tx = DecodeTransaction(record.raw);
            if (tx) resubmit.push_back(std::move(*tx));
        }
    }
    for (const Transaction& tx : resubmit) {
        if (m_chain.InMempool(tx.GetTxid())) continue;
        if (auto sent = m_chain.BroadcastTransaction(tx); !sent) {
            LockGuard lock{m_mutex};
            auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return Deactivate(tx.GetTxid()); });
            if (!r) Fatal("resubmitting", r.error_message());
        }
    }
    return {};
}

void Wallet::Detach()
{
    if (m_attached) {
        m_chain.RemoveListener(this);
        m_attached = false;
    }
}

Result<void> Wallet::TopUp()
{
    if (!m_keys) return {};
    const int64_t pool = std::max<int64_t>(m_options.keypool, 1);
    for (uint32_t branch = 0; branch < 2; ++branch) {
        const int64_t want = std::min<int64_t>(int64_t{m_next_index[branch]} + pool, int64_t{MAX_KEY_INDEX} + 1);
        while (int64_t{m_derived[branch]} < want) {
            const uint32_t index = m_derived[branch];
            auto key = m_keys->PubKeyAt(static_cast<KeyBranch>(branch), index);
            if (!key) return key.error();
            KeyRecord record{branch, index, ToVector(key->bytes()), false};
            if (auto r = m_db->AddKey(record); !r) return r;
            XOnlyBytes bytes;
            std::copy(key->bytes().begin(), key->bytes().end(), bytes.begin());
            m_key_index[bytes] = {static_cast<KeyBranch>(branch), index};
            ++m_derived[branch];
        }
    }
    return {};
}

Result<void> Wallet::MarkUsed(const KeyPos& pos)
{
    const auto branch = static_cast<uint32_t>(pos.branch);
    if (pos.index < m_next_index[branch]) return {};
    for (uint32_t i = m_next_index[branch]; i <= pos.index; ++i) {
        if (auto r = m_db->SetKeyIssued(branch, i); !r) return r;
    }
    m_next_index[branch] = pos.index + 1;
    if (auto r = m_db->SetMeta(branch == 0 ? META_NEXT_RECEIVE : META_NEXT_CHANGE, std::to_string(pos.index + 1)); !r) {
        return r;
    }
    return TopUp();
}

std::optional<Wallet::KeyPos> Wallet::FindKey(const Destination& dest) const
{
    if (!dest.IsKey()) return std::nullopt;
    XOnlyBytes bytes;
    std::copy(dest.payload.begin(), dest.payload.end(), bytes.begin());
    const auto it = m_key_index.find(bytes);
    if (it == m_key_index.end()) return std::nullopt;
    return it->second;
}

Result<bool> Wallet::SyncTransaction(const Transaction& tx, const std::optional<ChainBlockRef>& block, bool in_mempool,
                                     int64_t time)
{
    const uint256& txid = tx.GetTxid();
    auto existing = m_db->GetTx(txid);
    if (block && !tx.IsCoinbase()) {
        // A block transaction double-spending a wallet transaction's input
        // makes that one conflicted (Core's MarkConflicted), whether or not
        // the block transaction is the wallet's own.
        for (const TxIn& in : tx.inputs()) {
            auto spenders = m_db->SpendersOf(in.prevout);
            if (!spenders) return spenders.error();
            for (const uint256& other : *spenders) {
                if (other == txid) continue;
                if (auto r = m_db->AddConflict(other, block->hash, block->height); !r) return r.error();
            }
        }
    }
    bool from_me{false};
    bool all_inputs_mine{!tx.IsCoinbase()};
    Amount input_total{0};
    if (!tx.IsCoinbase()) {
        for (const TxIn& in : tx.inputs()) {
            auto spent = m_db->GetOutput(in.prevout);
            if (!spent) {
                all_inputs_mine = false;
                continue;
            }
            from_me = true;
            input_total += spent->amount;
            if (auto r = m_db->MarkSpent(in.prevout, txid); !r) return r.error();
        }
    }
    std::vector<std::pair<uint32_t, KeyPos>> mine;
    for (uint32_t i = 0; i < tx.outputs().size(); ++i) {
        if (auto pos = FindKey(tx.outputs()[i].destination)) mine.emplace_back(i, *pos);
    }
    if (!from_me && mine.empty() && !existing) return false;

    TxRecord record = existing.value_or(TxRecord{});
    if (!existing) {
        record.txid = txid;
        record.raw = EncodeTransaction(tx);
        record.time = time;
        record.coinbase = tx.IsCoinbase();
    }
    record.from_me = record.from_me || from_me;
    if (from_me && all_inputs_mine) {
        Amount output_total{0};
        for (const TxOut& out : tx.outputs()) output_total += out.amount;
        record.fee = input_total - output_total;
    }
    if (block) {
        record.block_hash = block->hash;
        record.block_height = block->height;
        record.block_time = block->time;
    }
    record.in_mempool = in_mempool;
    // -walletnotify events: the transaction is new to the wallet, or a block
    // it was not recorded in confirms it (exactly once each, also across
    // restarts, because the record remembers its block).
    if (!existing || (block && existing->block_hash != block->hash)) {
        m_pending_notifications.push_back({m_name, txid, block});
    }
    if (auto r = m_db->WriteTx(record); !r) return r.error();
    if (!existing) {
        if (auto r = m_db->AddSpends(tx); !r) return r.error();
    }
    // An abandoned transaction that confirms or comes back is no longer abandoned.
    if (existing && (block || in_mempool) && m_db->GetTxNote(txid).abandoned) {
        if (auto r = m_db->SetTxAbandoned(txid, false); !r) return r.error();
    }

    for (const auto& [index, pos] : mine) {
        OutputRecord out;
        out.outpoint = {txid, index};
        out.amount = tx.outputs()[index].amount;
        out.xonly = tx.outputs()[index].destination.payload;
        out.branch = static_cast<uint32_t>(pos.branch);
        out.index = pos.index;
        out.coinbase = tx.IsCoinbase();
        out.from_me = record.from_me;
        if (auto r = m_db->AddOutput(out); !r) return r.error();
        if (auto r = MarkUsed(pos); !r) return r.error();
    }
    if (auto r = m_db->SetOutputsState(txid, record.block_height, record.in_mempool); !r) return r.error();
    return true;
}

Result<void> Wallet::SetBest(const uint256& hash, int64_t height)
{
    m_best_hash = hash;
    m_best_height = height;
    if (auto r = m_db->SetMeta(META_BEST_HASH, hash.GetHex()); !r) return r;
    return m_db->SetMeta(META_BEST_HEIGHT, std::to_string(height));
}

Result<void> Wallet::Deactivate(const uint256& txid)
{
    if (auto r = m_db->SetTxMempool(txid, false); !r) return r;
    if (auto r = m_db->SetOutputsState(txid, std::nullopt, false); !r) return r;
    return m_db->ReleaseSpentBy(txid);
}

Result<void> Wallet::ConnectBlockLocked(const Block& block, const ChainBlockRef& ref, bool is_tip_event)
{
    auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        for (const Transaction& tx : block.txs) {
            auto synced = SyncTransaction(tx, ref, /*in_mempool=*/false, ref.time);
            if (!synced) return synced.error();
        }
        if (is_tip_event || ref.height > m_best_height) return SetBest(ref.hash, ref.height);
        return {};
    });
    FlushNotifications(r.has_value());
    return r;
}

void Wallet::FlushNotifications(bool committed)
{
    std::vector<TxNotification> events;
    events.swap(m_pending_notifications);
    if (!committed || !m_options.tx_notify) return;
    for (const TxNotification& event : events) m_options.tx_notify(event);
}

void Wallet::BlockConnected(const Block& block, const ChainBlockRef& ref)
{
    LockGuard lock{m_mutex};
    if (auto r = ConnectBlockLocked(block, ref, /*is_tip_event=*/true); !r) Fatal("connecting a block", r.error_message());
}

void Wallet::BlockDisconnected(const Block& block, const ChainBlockRef& ref)
{
    LockGuard lock{m_mutex};
    auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        for (const Transaction& tx : block.txs) {
            const uint256& txid = tx.GetTxid();
            auto record = m_db->GetTx(txid);
            if (!record) continue;
            if (auto w = m_db->SetTxBlock(txid, std::nullopt, std::nullopt, 0); !w) return w;
            // Back in the mempool (the pool re-accepts a disconnected block's
            // transactions) or gone: a coinbase never comes back.
            const bool pending = !tx.IsCoinbase() && m_chain.InMempool(txid);
            if (pending) {
                if (auto w = m_db->SetTxMempool(txid, true); !w) return w;
                if (auto w = m_db->SetOutputsState(txid, std::nullopt, true); !w) return w;
            } else if (auto w = Deactivate(txid); !w) {
                return w;
            }
        }
        if (auto w = m_db->RemoveConflictsOfBlock(ref.hash); !w) return w;
        return SetBest(block.header.prev_block, ref.height - 1);
    });
    if (!r) Fatal("disconnecting a block", r.error_message());
}

void Wallet::TransactionAddedToMempool(const Transaction& tx, int64_t time)
{
    LockGuard lock{m_mutex};
    auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        // A transaction already confirmed (a race with its block) keeps its block.
        if (auto existing = m_db->GetTx(tx.GetTxid()); existing && existing->block_height) return {};
        auto synced = SyncTransaction(tx, std::nullopt, /*in_mempool=*/true, time);
        if (!synced) return synced.error();
        return {};
    });
    FlushNotifications(r.has_value());
    if (!r) Fatal("adding a mempool transaction", r.error_message());
}

void Wallet::TransactionRemovedFromMempool(const uint256& txid, MempoolRemoval reason)
{
    if (reason == MempoolRemoval::BLOCK) return;  // its block confirms it
    LockGuard lock{m_mutex};
    auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        auto record = m_db->GetTx(txid);
        if (!record || record->block_height) return {};
        return Deactivate(txid);
    });
    if (!r) Fatal("removing a mempool transaction", r.error_message());
}

Result<std::string> Wallet::GetNewAddress(const std::string& label, KeyBranch branch)
{
    if (label.size() > MAX_LABEL_LENGTH) return Error{"Label too long"};
    LockGuard lock{m_mutex};
    if (!m_keys) return Error{"This wallet has no available keys"};
    const auto b = static_cast<uint32_t>(branch);
    const uint32_t index = m_next_index[b];
    if (index > MAX_KEY_INDEX) return Error{"Keypool ran out"};
    std::optional<XOnlyPubKey> key;
    auto r = m_db->Batch([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        if (auto used = MarkUsed({branch, index}); !used) return used;
        auto derived = m_keys->PubKeyAt(branch, index);
        if (!derived) return derived.error();
        key = *derived;
        if (branch == KeyBranch::RECEIVE) return m_db->SetLabel(ToVector(key->bytes()), label);
        return {};
    });
    if (!r) return r.error();
    return EncodeAddress(KeyDestination(*key), m_network);
}

Result<BalanceSums> Wallet::GetBalances(int64_t min_conf)
{
    LockGuard lock{m_mutex};
    return m_db->Balances(m_best_height, min_conf);
}

Result<std::vector<OutputRecord>> Wallet::ListUnspent(UnspentFilter filter)
{
    LockGuard lock{m_mutex};
    filter.tip_height = m_best_height;
    return m_db->ListUnspent(filter);
}

int64_t Wallet::BestHeight() const
{
    LockGuard lock{m_mutex};
    return m_best_height;
}

std::string Wallet::AddressOf(std::span<const uint8_t> xonly) const
{
    Destination dest;
    dest.kind = static_cast<uint8_t>(DestinationKind::KEY);
    dest.payload.assign(xonly.begin(), xonly.end());
    return EncodeAddress(dest, m_network);
}

std::optional<std::string> Wallet::LabelOf(const std::vector<uint8_t>& xonly)
{
    LockGuard lock{m_mutex};
    return m_db->GetLabel(xonly);
}

Result<std::map<std::vector<uint8_t>, std::string>> Wallet::Labels()
{
    LockGuard lock{m_mutex};
    return m_db->LoadLabels();
}

void Wallet::AppendEntries(TxView&& view, std::vector<std::pair<TxView, TxEntry>>& out)
{
    std::vector<TxEntry> entries = std::move(view.entries);
    for (size_t i = 0; i < entries.size(); ++i) {
        if (i + 1 == entries.size()) {
            out.emplace_back(std::move(view), std::move(entries[i]));
        } else {
            out.emplace_back(view, entries[i]);
        }
    }
}

Result<Wallet::ViewContext> Wallet::LoadViewContext()
{
    ViewContext context;
    auto labels = m_db->LoadLabels();
    if (!labels) return labels.error();
    context.labels = std::move(*labels);
    auto notes = m_db->LoadTxNotes();
    if (!notes) return notes.error();
    context.notes = std::move(*notes);
    auto conflicts = m_db->LoadAllConflicts();
    if (!conflicts) return conflicts.error();
    context.conflicts = std::move(*conflicts);
    return context;
}

TxView Wallet::MakeView(const TxRecord& record, const ViewContext* context)
{
    TxView view;
    view.record = record;
    if (record.block_height) {
        view.confirmations = m_best_height - *record.block_height + 1;
    } else if (const auto conflict = m_db->ConflictHeight(record.txid); conflict && *conflict <= m_best_height) {
        view.confirmations = -(m_best_height - *conflict + 1);
    }
    if (context == nullptr) {
        if (auto conflicts = m_db->ConflictsOf(record.txid)) view.conflicts = std::move(*conflicts);
    } else if (const auto it = context->conflicts.find(record.txid); it != context->conflicts.end()) {
        view.conflicts = it->second;
    }
    view.trusted = view.confirmations > 0 || (record.from_me && record.in_mempool);
    auto tx = DecodeTransaction(record.raw);
    if (!tx) return view;
    view.wtxid = tx->GetWtxid();
    // from_me is set exactly when an input was the wallet's (SyncTransaction):
    // a payment from others debits nothing, and needs no lookup per input.
    Amount debit{0};
    for (const TxIn& in : tx->inputs()) {
        if (tx->IsCoinbase() || !record.from_me) break;
        if (auto spent = m_db->GetOutput(in.prevout)) debit += spent->amount;
    }
    Amount credit{0};
    const bool mature = !record.coinbase ||
                        (record.block_height && *record.block_height + COINBASE_MATURITY <= m_best_height + 1);
    for (uint32_t i = 0; i < tx->outputs().size(); ++i) {
        const TxOut& out = tx->outputs()[i];
        const auto pos = FindKey(out.destination);
        if (pos) credit += out.amount;
        // Change (an output to the change branch of a transaction we sent)
        // is neither a send nor a receive.
        if (pos && pos->branch == KeyBranch::CHANGE && record.from_me) continue;
        if (record.from_me && !pos) {
            view.entries.push_back({"send", EncodeAddress(out.destination, m_network), -out.amount, std::nullopt, i});
        }
        if (pos) {
            std::string category = "receive";
            if (record.coinbase) {
                category = !record.block_height ? "orphan" : mature ? "generate" : "immature";
            }
            std::optional<std::string> label;
            if (context == nullptr) {
                label = m_db->GetLabel(out.destination.payload);
            } else if (const auto it = context->labels.find(out.destination.payload); it != context->labels.end()) {
                label = it->second;
            }
            view.entries.push_back({category, EncodeAddress(out.destination, m_network), out.amount, std::move(label), i});
        }
    }
    TxNote note;
    if (context == nullptr) {
        note = m_db->GetTxNote(record.txid);
    } else if (const auto it = context->notes.find(record.txid); it != context->notes.end()) {
        note = it->second;
    }
    view.abandoned = note.abandoned && !record.block_height && !record.in_mempool;
    view.comment = note.comment;
    view.comment_to = note.comment_to;
    if (record.from_me && record.fee) {
        view.fee = -*record.fee;
        view.amount = credit - debit + *record.fee;
    } else {
        view.amount = credit - debit;
    }
    return view;
}

std::optional<TxView> Wallet::GetTransaction(const uint256& txid)
{
    LockGuard lock{m_mutex};
    auto record = m_db->GetTx(txid);
    if (!record) return std::nullopt;
    return MakeView(*record);
}

Result<std::vector<std::pair<TxView, TxEntry>>> Wallet::ListTransactions(const std::optional<std::string>& label,
                                                                          int64_t count, int64_t skip)
{
    LockGuard lock{m_mutex};
    std::vector<std::pair<TxView, TxEntry>> newest_first;
    int64_t seen{0};
    // Walk transactions newest first in pages until `count` entries after
    // `skip` are found; skipped entries are only counted, never kept.
    constexpr int64_t PAGE = 256;
    for (int64_t offset = 0; static_cast<int64_t>(newest_first.size()) < count; offset += PAGE) {
        auto page = m_db->ListTxsNewestFirst(PAGE, offset);
        if (!page) return page.error();
        for (const TxRecord& record : *page) {
            TxView view = MakeView(record);
            // Entries of one transaction newest first too (reverse order).
            for (auto it = view.entries.rbegin(); it != view.entries.rend(); ++it) {
                if (label && *label != "*" && (it->category == "send" || it->label != *label)) continue;
                if (seen++ < skip) continue;
                if (static_cast<int64_t>(newest_first.size()) < count) newest_first.emplace_back(view, *it);
            }
            if (static_cast<int64_t>(newest_first.size()) >= count) break;
        }
        if (static_cast<int64_t>(page->size()) < PAGE) break;
    }
    std::reverse(newest_first.begin(), newest_first.end());
    return newest_first;
}

Result<Wallet::SinceBlock, Wallet::SinceBlockError> Wallet::ListSinceBlock(const std::optional<uint256>& since, int64_t target_confirmations,
                                                  bool include_removed)
{
    // Walk from `since` back to the active chain (reading each stale block,
    // without the wallet's lock: disk I/O), as Core does.
    int64_t fork_height{-1};
    // Only the txids of stale blocks are kept: memory follows the branch's
    // transaction count, not its block sizes.
    std::vector<uint256> stale_txids;
    if (since) {
        uint256 hash = *since;
        while (true) {
            if (const auto active = m_chain.ActiveBlock(hash)) {
                fork_height = active->height;
                break;
            }
            auto block = m_chain.ReadBlock(hash);
            if (!block) return SinceBlockError{SinceBlockFailure::BLOCK_NOT_FOUND, "Block not found"};
            hash = block->header.prev_block;
            if (include_removed) {
                for (const Transaction& tx : block->txs) stale_txids.push_back(tx.GetTxid());
            }
        }
    }
    SinceBlock out;
    LockGuard lock{m_mutex};
    auto read = m_db->Read([&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) -> Result<void> {
        // Confirmed above the fork (the block_height index), then the unconfirmed.
        auto confirmed = m_db->ListConfirmedFrom(fork_height + 1);
        if (!confirmed) return confirmed.error();
        auto unconfirmed = m_db->ListUnconfirmedTxs();
        if (!unconfirmed) return unconfirmed.error();
        auto context = LoadViewContext();
        if (!context) return context.error();
        out.transactions.reserve(confirmed->size() + unconfirmed->size());
        for (const auto* list : {&*confirmed, &*unconfirmed}) {
            for (const TxRecord& record : *list) AppendEntries(MakeView(record, &*context), out.transactions);
        }
        for (const uint256& txid : stale_txids) {
            auto record = m_db->GetTx(txid);
            if (!record) continue;
            AppendEntries(MakeView(*record, &*context), out.removed);
        }
        return {};
    });
    if (!read) return SinceBlockError{SinceBlockFailure::DATABASE, read.error_message()};
    const int64_t last_height = m_best_height + 1 - std::min(target_confirmations, m_best_height + 1);
    if (last_height == m_best_height) {
        out.lastblock = m_best_hash;
    } else if (const auto ref = m_chain.BlockAt(std::max<int64_t>(last_height, 0))) {
        out.lastblock = ref->hash;
    }
    return out;
}

Result<int64_t> Wallet::Rescan(int64_t start, int64_t stop)
{
    int64_t last{-1};
    for (int64_t height = std::max<int64_t>(start, 0); height <= stop; ++height) {
        const auto ref = m_chain.BlockAt(height);
        if (!ref) break;
        auto block = m_chain.ReadBlock(ref->hash);
        if (!block) return Error{"Cannot read block " + ref->hash.GetHex() + ": " + block.error_message()};
        LockGuard lock{m_mutex};
        // A block disconnected since it was read is skipped: checked under
        // m_mutex, so a disconnect after this check has its event delivered
        // after this write (the event needs m_mutex) and undoes it.
        if (!m_chain.ActiveBlock(ref->hash)) break;
        if (auto r = ConnectBlockLocked(*block, *ref, /*is_tip_event=*/false); !r) return r.error();
        last = height;
    }
    return last;
}

WalletInfo Wallet::GetInfo()
{
    LockGuard lock{m_mutex};
    WalletInfo info;
    info.name = m_name;
    info.schema_version = WALLET_SCHEMA_VERSION;
    info.tx_count = m_db->CountTxs();
    info.keypool_size = int64_t{m_derived[0]} - m_next_index[0];
    info.keypool_size_change = int64_t{m_derived[1]} - m_next_index[1];
    info.private_keys_enabled = m_encrypted || (m_keys && m_keys->HasPrivateKeys());
    info.blank = !m_keys;
    info.best_height = m_best_height;
    info.best_hash = m_best_hash;
    info.encrypted = m_encrypted;
    info.unlocked_until = m_master_key ? m_unlocked_until : 0;
    return info;
}

}  // namespace hpips::wallet
