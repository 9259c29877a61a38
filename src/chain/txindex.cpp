// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/txindex.h>

#include <util/logging.h>
#include <util/serialize.h>

#include <leveldb/write_batch.h>

#include <algorithm>
#include <utility>

namespace hpips {
namespace {

constexpr char DB_TX = 't';
/** Key of the best-block record. */
constexpr std::string_view TXINDEX_BEST_KEY{"B"};
/** Size of a 't' record's value: block hash and position. */
constexpr size_t TX_VALUE_SIZE = uint256::SIZE + 4;

std::string TxKey(const uint256& txid)
{
    std::string key;
    key.reserve(1 + uint256::SIZE);
    key.push_back(DB_TX);
    key.append(reinterpret_cast<const char*>(txid.data()), uint256::SIZE);
    return key;
}

std::span<const uint8_t> StringBytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

leveldb::Slice BytesSlice(const std::vector<uint8_t>& bytes)
{
    return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

struct TxLocation {
    uint256 block_hash;
    uint32_t position{0};
};

std::vector<uint8_t> EncodeLocation(const uint256& block_hash, uint32_t position)
{
    Writer w{TX_VALUE_SIZE};
    w.WriteUint256(block_hash);
    w.WriteU32(position);
    return w.Take();
}

Result<TxLocation> DecodeLocation(std::string_view value)
{
    return Decode(StringBytes(value), [](Reader& r) {
        TxLocation out;
        out.block_hash = r.ReadUint256();
        out.position = r.ReadU32();
        return out;
    });
}

/** Reads the 't' record of `txid`: nullopt when absent. */
Result<std::optional<TxLocation>> ReadLocation(const Database& db, const uint256& txid)
{
    auto value = db.Read(TxKey(txid));
    if (!value) return value.error();
    if (!*value) return std::optional<TxLocation>{};
    auto location = DecodeLocation(**value);
    if (!location) return Error{"corrupt txindex entry for " + txid.GetHex() + ": " + location.error_message()};
    return std::optional<TxLocation>{*location};
}

struct BestRecord {
    int64_t height{0};
    std::vector<uint256> locator;
};

Result<BestRecord> DecodeBest(std::string_view value)
{
    return Decode(StringBytes(value), [](Reader& r) {
        BestRecord out;
        out.height = r.ReadI64();
        out.locator = r.ReadVector(MAX_LOCATOR_ENTRIES, uint256::SIZE, [](Reader& rr) { return rr.ReadUint256(); });
        if (out.locator.empty() || out.height < 0) throw SerializeError{"empty locator or negative height"};
        return out;
    });
}

std::vector<uint8_t> EncodeBest(int64_t height, const std::vector<uint256>& locator)
{
    Writer w;
    w.WriteI64(height);
    w.WriteVector(std::span<const uint256>{locator}, [](Writer& ww, const uint256& hash) { ww.WriteUint256(hash); });
    return w.Take();
}

int64_t SecondsSince(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::steady_clock::now() - since).count();
}

int64_t MillisecondsSince(std::chrono::steady_clock::time_point since)
{
    return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - since).count();
}

}  // namespace

Result<std::unique_ptr<TxIndex>> TxIndex::Open(Chainstate& chainstate, TxIndexOptions options)
{
    DBOptions db_options;
    db_options.cache_bytes = options.cache_bytes;
    db_options.wipe = options.wipe;
    db_options.format_version = TXINDEX_FORMAT_VERSION;
    auto db = Database::Open(options.dir, db_options);
    if (!db) return Error{"cannot open the transaction index in " + options.dir.string() + ": " + db.error_message()};
    auto stored = (*db)->Read(TXINDEX_BEST_KEY);
    if (!stored) return Error{"cannot read the transaction index: " + stored.error_message()};
    BestBlock best{chainstate.Params().genesis.GetHash(), 0};
    std::vector<uint256> locator;
    if (*stored) {
        auto record = DecodeBest(**stored);
        if (!record) return Error{"corrupt best block record in the transaction index: " + record.error_message()};
        best = {record->locator.front(), record->height};
        locator = std::move(record->locator);
    }
    // A best block the chainstate does not know (its block index was not
    // flushed before a crash): start from the newest locator entry it has
    // on its active chain. Entries above stay until overwritten; lookups
    // check the block they point at (see the file comment).
    if (!chainstate.GetBlockInfo(best.hash)) {
        BestBlock fork{chainstate.Params().genesis.GetHash(), 0};
        for (const uint256& hash : locator) {
            const auto info = chainstate.GetBlockInfo(hash);
            if (info && info->in_active_chain) {
                fork = {hash, info->height};
                break;
            }
        }
        LogInfo("txindex: best block {} (height {}) is unknown to the chainstate; resuming from height {}",
                best.hash.GetHex(), best.height, fork.height);
        best = fork;
    }
    return std::unique_ptr<TxIndex>{new TxIndex(chainstate, std::move(options), std::move(*db), best)};
}

TxIndex::TxIndex(Chainstate& chainstate, TxIndexOptions options, std::unique_ptr<Database> db, BestBlock best)
    : m_chainstate{chainstate}, m_options{std::move(options)}, m_db{std::move(db)}, m_thread_best{best}
{
    LockGuard lock{m_mutex};
    m_best = best;
}

TxIndex::~TxIndex() { Stop(); }

void TxIndex::Start()
{
    {
        LockGuard lock{m_mutex};
        if (m_started || m_stop) return;
        m_started = true;
    }
    m_chainstate.AddListener(this);
    m_thread = std::thread{[this] { ThreadMain(); }};
}

void TxIndex::Stop()
{
    bool was_started{false};
    {
        LockGuard lock{m_mutex};
        if (m_stop) return;
        m_stop = true;
        was_started = m_started;
    }
    m_cv.notify_all();
    if (!was_started) return;
    // First no more callbacks (RemoveListener waits for a running one), then the thread.
    m_chainstate.RemoveListener(this);
    if (m_thread.joinable()) m_thread.join();
}

bool TxIndex::Stopping() const
{
    LockGuard lock{m_mutex};
    return m_stop;
}

TxIndexSummary TxIndex::Summary() const
{
    LockGuard lock{m_mutex};
    return {m_synced, m_best.height, m_best.hash};
}

void TxIndex::ActiveTipChanged(const uint256& /*tip_hash*/, int64_t /*tip_height*/)
{
    {
        LockGuard lock{m_mutex};
        m_wake = true;
    }
    m_cv.notify_all();
}

bool TxIndex::WaitForTip(std::chrono::milliseconds timeout) const
{
    const uint256 tip = m_chainstate.TipHash();
    UniqueLock lock{m_mutex};
    return m_cv.wait_for(lock.native(), timeout,
                         [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_best.hash == tip || m_failed; }) &&
           !m_failed;
}

Result<std::optional<IndexedTx>> TxIndex::FindTx(const uint256& txid) const
{
    auto location = ReadLocation(*m_db, txid);
    if (!location) return location.error();
    if (!*location) return std::optional<IndexedTx>{};
    const uint256& block_hash = (*location)->block_hash;
    const auto info = m_chainstate.GetBlockInfo(block_hash);
    if (!info || !info->in_active_chain) return std::optional<IndexedTx>{};
    auto block = m_chainstate.ReadBlock(block_hash);
    if (!block) return Error{"cannot read block " + block_hash.GetHex() + ": " + block.error_message()};
    const uint32_t position = (*location)->position;
    if (position >= block->txs.size() || block->txs[position].GetTxid() != txid) {
        return std::optional<IndexedTx>{};
    }
    return std::optional<IndexedTx>{IndexedTx{std::move(block->txs[position]), block_hash, position}};
}

Result<void> TxIndex::Commit(leveldb::WriteBatch& batch, const BestBlock& best, bool sync, bool reached_tip)
{
    const auto record = EncodeBest(best.height, m_chainstate.GetLocator(best.hash));
    batch.Put(leveldb::Slice{TXINDEX_BEST_KEY.data(), TXINDEX_BEST_KEY.size()}, BytesSlice(record));
    if (auto written = m_db->Write(batch, sync); !written) return written;
    batch.Clear();
    {
        LockGuard lock{m_mutex};
        m_best = best;
        // With the best block, so a waiter woken by it sees the flag too.
        if (reached_tip) m_synced = true;
    }
    m_cv.notify_all();
    return {};
}

void TxIndex::ThreadMain()
{
    while (true) {
        {
            UniqueLock lock{m_mutex};
            m_cv.wait(lock.native(), [&]() EXCLUSIVE_LOCKS_REQUIRED(m_mutex) { return m_stop || m_wake; });
            if (m_stop) return;
            m_wake = false;
        }
        if (auto done = CatchUp(); !done) {
            const std::string message = "The transaction index failed: " + done.error_message();
            LogInfo("{}", message);
            {
                LockGuard lock{m_mutex};
                m_failed = true;
            }
            m_cv.notify_all();
            if (m_options.fatal_error) m_options.fatal_error(message);
            return;
        }
    }
}

Result<void> TxIndex::CatchUp()
{
    BestBlock& best = m_thread_best;
    leveldb::WriteBatch batch;
    int64_t pending_blocks{0};
    const auto started = std::chrono::steady_clock::now();
    auto last_log = started;
    const int64_t start_height = best.height;
    bool logged_start{false};
    bool was_synced{false};
    {
        LockGuard lock{m_mutex};
        was_synced = m_synced;
    }

    while (true) {
        if (Stopping()) return Commit(batch, best, /*sync=*/true);
        const BlockInfo tip = m_chainstate.TipInfo();
        if (best.hash == tip.hash) {
            if (auto committed = Commit(batch, best, /*sync=*/false, /*reached_tip=*/true); !committed) {
                return committed;
            }
            if (!was_synced) {
                LogInfo("txindex is enabled at height {} ({} blocks indexed in {} ms)", best.height,
                        best.height - start_height, MillisecondsSince(started));
            }
            return {};
        }
        if (!logged_start && !was_synced) {
            LogInfo("Syncing txindex with block chain from height {} to {}", best.height, tip.height);
            logged_start = true;
        }

        const auto best_info = m_chainstate.GetBlockInfo(best.hash);
        if (!best_info || !best_info->in_active_chain) {
            // Rewind one block: earlier appends must be on disk before their
            // entries are read back.
            if (auto committed = Commit(batch, best, /*sync=*/false); !committed) return committed;
            pending_blocks = 0;
            if (!best_info || best.height == 0) return Error{"best block " + best.hash.GetHex() + " vanished"};
            auto block = m_chainstate.ReadBlock(best.hash);
            if (!block) return Error{"cannot read block " + best.hash.GetHex() + ": " + block.error_message()};
            for (const Transaction& tx : block->txs) {
                auto location = ReadLocation(*m_db, tx.GetTxid());
                if (!location) return location.error();
                // Only entries that point here: a transaction mined again in
                // another block keeps that block's entry.
                if (*location && (*location)->block_hash == best.hash) batch.Delete(TxKey(tx.GetTxid()));
            }
            LogDebug(LogCategory::VALIDATION, "txindex: rewound block {} at height {}", best.hash.GetHex(),
                     best.height);
            best = {best_info->header.prev_block, best.height - 1};
            if (auto committed = Commit(batch, best, /*sync=*/false); !committed) return committed;
            continue;
        }

        const int64_t next_height = best.height + 1;
        const auto next_hash = m_chainstate.GetBlockHashAt(next_height);
        if (!next_hash) continue;  // the tip moved down meanwhile: look again
        auto block = m_chainstate.ReadBlock(*next_hash);
        if (!block) return Error{"cannot read block " + next_hash->GetHex() + ": " + block.error_message()};
        if (block->header.prev_block != best.hash) continue;  // a reorg meanwhile: look again
        for (uint32_t position{0}; position < block->txs.size(); ++position) {
            batch.Put(TxKey(block->txs[position].GetTxid()), BytesSlice(EncodeLocation(*next_hash, position)));
        }
        best = {*next_hash, next_height};
        if (++pending_blocks >= TXINDEX_MAX_BATCH_BLOCKS) {
            if (auto committed = Commit(batch, best, /*sync=*/false); !committed) return committed;
            pending_blocks = 0;
        }
        if (SecondsSince(last_log) >= TXINDEX_LOG_INTERVAL_SECONDS) {
            last_log = std::chrono::steady_clock::now();
            LogInfo("Syncing txindex with block chain from height {}: height {} of {} ({}%)", start_height,
                    best.height, tip.height, tip.height > 0 ? best.height * 100 / tip.height : 100);
        }
    }
}

}  // namespace hpips
