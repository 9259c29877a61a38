// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/coinsdb.h>

#include <crypto/random.h>
#include <crypto/sha256.h>
#include <primitives/amount.h>
#include <util/logging.h>
#include <util/serialize.h>

#include <leveldb/iterator.h>
#include <leveldb/write_batch.h>

#include <cstdlib>
#include <cstring>
#include <utility>

namespace hpips {
namespace {

leveldb::Slice ToSlice(std::string_view s) { return leveldb::Slice{s.data(), s.size()}; }

std::string BytesToString(const std::vector<uint8_t>& bytes) { return std::string{bytes.begin(), bytes.end()}; }

std::span<const uint8_t> StringBytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/** Decodes a coin key; nullopt unless it is exactly 'C' | txid | index. */
std::optional<OutPoint> ParseCoinKey(std::string_view key)
{
    if (key.size() != COIN_KEY_SIZE || key[0] != DB_COIN) return std::nullopt;
    const auto bytes = StringBytes(key);
    OutPoint outpoint;
    outpoint.txid = uint256::FromBytes(bytes.subspan<1, 32>());
    outpoint.index = (uint32_t{bytes[33]} << 24) | (uint32_t{bytes[34]} << 16) | (uint32_t{bytes[35]} << 8) |
                     uint32_t{bytes[36]};
    return outpoint;
}

std::string EncodeMarker(const FlushMarker& marker)
{
    Writer w{64};
    w.WriteUint256(marker.from);
    w.WriteUint256(marker.to);
    return BytesToString(w.Take());
}

uint32_t RandomU32()
{
    uint8_t bytes[4];
    GetStrongRandBytes(bytes);
    uint32_t value;
    std::memcpy(&value, bytes, sizeof(value));
    return value;
}

}  // namespace

std::string CoinKey(const OutPoint& outpoint)
{
    std::string key;
    key.reserve(COIN_KEY_SIZE);
    key.push_back(DB_COIN);
    key.append(reinterpret_cast<const char*>(outpoint.txid.data()), uint256::SIZE);
    for (int shift = 24; shift >= 0; shift -= 8) key.push_back(static_cast<char>(outpoint.index >> shift));
    return key;
}

Result<std::unique_ptr<CoinsViewDB>> CoinsViewDB::Open(const std::filesystem::path& dir, CoinsDBOptions options)
{
    options.db.format_version = COINS_DB_VERSION;
    auto db = Database::Open(dir, options.db);
    if (!db) return db.error();
    if (!options.fatal_error) {
        options.fatal_error = [](const std::string& reason) {
            LogInfo("Fatal chainstate database error: {}. Restart with -reindex-chainstate.", reason);
            std::abort();
        };
    }
    return std::unique_ptr<CoinsViewDB>{new CoinsViewDB{std::move(*db), std::move(options)}};
}

CoinsViewDB::CoinsViewDB(std::unique_ptr<Database> db, CoinsDBOptions options)
    : m_db{std::move(db)}, m_options{std::move(options)}
{
}

void CoinsViewDB::Fatal(const std::string& reason) const { m_options.fatal_error(reason); }

std::optional<Coin> CoinsViewDB::GetCoin(const OutPoint& outpoint) const
{
    auto value = m_db->Read(CoinKey(outpoint));
    if (!value) {
        Fatal(value.error_message());
        return std::nullopt;
    }
    if (!value->has_value()) return std::nullopt;
    auto coin = DecodeCoin(StringBytes(**value));
    if (!coin) {
        Fatal(fmt::format("corrupt coin record {}:{}: {}", outpoint.txid.GetHex(), outpoint.index,
                          coin.error_message()));
        return std::nullopt;
    }
    return std::move(*coin);
}

bool CoinsViewDB::HaveCoin(const OutPoint& outpoint) const { return GetCoin(outpoint).has_value(); }

uint256 CoinsViewDB::GetBestBlock() const
{
    auto value = m_db->Read(DB_BEST_BLOCK);
    if (!value) {
        Fatal(value.error_message());
        return {};
    }
    if (!value->has_value()) return {};
    if ((*value)->size() != uint256::SIZE) {
        Fatal("corrupt best block record");
        return {};
    }
    return uint256::FromBytes(StringBytes(**value).first<uint256::SIZE>());
}

std::optional<FlushMarker> CoinsViewDB::GetFlushMarker() const
{
    auto value = m_db->Read(DB_HEAD_BLOCKS);
    if (!value) {
        Fatal(value.error_message());
        return std::nullopt;
    }
    if (!value->has_value()) return std::nullopt;
    if ((*value)->size() != 2 * uint256::SIZE) {
        Fatal("corrupt flush marker record");
        return std::nullopt;
    }
    const auto bytes = StringBytes(**value);
    return FlushMarker{uint256::FromBytes(bytes.first<32>()), uint256::FromBytes(bytes.subspan<32, 32>())};
}

Result<void> CoinsViewDB::BatchWrite(const CoinsMap& coins, const uint256& best_block)
{
    if (best_block.IsNull()) return Error{"BatchWrite: null best block"};
    uint256 old_tip{GetBestBlock()};
    if (old_tip.IsNull()) {
        if (const auto marker = GetFlushMarker()) {
            // Recovery is finishing an interrupted flush: it must end where
            // that flush meant to, and until it does the marker keeps the
            // original starting point.
            if (marker->to != best_block) {
                return Error{fmt::format("BatchWrite: an interrupted flush to {} must be completed first",
                                         marker->to.GetHex())};
            }
            old_tip = marker->from;
        }
    }

    size_t dirty_count{0};
    for (const auto& [outpoint, entry] : coins) dirty_count += entry.IsDirty() ? 1 : 0;
    const bool split{m_options.crash_ratio != 0};
    const size_t split_at{dirty_count / 2};

    leveldb::WriteBatch batch;
    batch.Delete(ToSlice(DB_BEST_BLOCK));
    batch.Put(ToSlice(DB_HEAD_BLOCKS), EncodeMarker(FlushMarker{old_tip, best_block}));

    size_t written{0};
    bool split_done{!split};
    auto write_partial = [&]() -> Result<void> {
        auto status = m_db->Write(batch, /*sync=*/false);
        batch.Clear();
        return status;
    };
    // The crash knob's split: the marker and the first half of the changes
    // reach the database, then (maybe) the process dies.
    auto split_here = [&]() -> Result<void> {
        split_done = true;
        if (auto ok = write_partial(); !ok) return ok;
        if (RandomU32() % m_options.crash_ratio == 0) {
            LogInfo("Simulating a crash in the middle of a coins flush (crash ratio {})", m_options.crash_ratio);
            std::_Exit(1);
        }
        return {};
    };
    for (const auto& [outpoint, entry] : coins) {
        if (!entry.IsDirty()) continue;
        if (!split_done && written == split_at) {
            if (auto ok = split_here(); !ok) return ok;
        }
        const std::string key{CoinKey(outpoint)};
        if (entry.coin.IsSpent()) {
            batch.Delete(key);
        } else {
            batch.Put(key, BytesToString(EncodeCoin(entry.coin)));
        }
        ++written;
        if (batch.ApproximateSize() > m_options.max_batch_bytes) {
            if (auto ok = write_partial(); !ok) return ok;
        }
    }
    if (!split_done) {
        if (auto ok = split_here(); !ok) return ok;
    }

    batch.Delete(ToSlice(DB_HEAD_BLOCKS));
    batch.Put(ToSlice(DB_BEST_BLOCK), ToSlice(std::string_view{reinterpret_cast<const char*>(best_block.data()),
                                                               uint256::SIZE}));
    if (auto ok = m_db->Write(batch, /*sync=*/true); !ok) return ok;
    LogDebug(LogCategory::COINDB, "Flushed {} coin changes to the chainstate (best block {})", written,
             best_block.GetHex());
    return {};
}

CoinsViewDB::Snapshot::Snapshot(const CoinsViewDB& db) : m_db{db}, m_snapshot{db.m_db->GetSnapshot()} {}

CoinsViewDB::Snapshot::~Snapshot() { m_db.m_db->ReleaseSnapshot(m_snapshot); }

Result<uint256> CoinsViewDB::ForEachCoin(const std::function<void(const OutPoint&, const Coin&)>& visit,
                                         const Snapshot* given) const
{
    return ForEachCoinWhile(
        [&](const OutPoint& outpoint, const Coin& coin) {
            visit(outpoint, coin);
            return true;
        },
        given);
}

Result<uint256> CoinsViewDB::ForEachCoinWhile(const std::function<bool(const OutPoint&, const Coin&)>& visit,
                                              const Snapshot* given) const
{
    std::optional<Snapshot> taken;
    if (given == nullptr) given = &taken.emplace(*this);
    const leveldb::Snapshot* snapshot{given->m_snapshot};

    auto best = m_db->Read(DB_BEST_BLOCK, snapshot);
    if (!best) return best.error();
    uint256 best_block;
    if (best->has_value()) {
        if ((*best)->size() != uint256::SIZE) return Error{"corrupt best block record"};
        best_block = uint256::FromBytes(StringBytes(**best).first<uint256::SIZE>());
    }

    auto it = m_db->NewIterator(snapshot);
    const char prefix[1]{DB_COIN};
    for (it->Seek(leveldb::Slice{prefix, 1}); it->Valid(); it->Next()) {
        const std::string_view key{it->key().data(), it->key().size()};
        if (key.empty() || key[0] != DB_COIN) break;
        const auto outpoint = ParseCoinKey(key);
        if (!outpoint) return Error{"corrupt coin key in chainstate"};
        auto coin = DecodeCoin(StringBytes(std::string_view{it->value().data(), it->value().size()}));
        if (!coin) {
            return Error{fmt::format("corrupt coin record {}:{}: {}", outpoint->txid.GetHex(), outpoint->index,
                                     coin.error_message())};
        }
        if (!visit(*outpoint, *coin)) return best_block;
    }
    if (!it->status().ok()) return Error{"chainstate read failed: " + it->status().ToString()};
    return best_block;
}

uint64_t CoinsViewDB::EstimateDiskSize() const
{
    const char begin[1]{DB_COIN};
    const char end[1]{DB_COIN + 1};
    return m_db->EstimateSize({begin, 1}, {end, 1});
}

Result<UtxoStats> ComputeUtxoStats(const CoinsViewDB& db, const CoinsViewDB::Snapshot* snapshot)
{
    UtxoStats stats;
    Sha256 hasher;
    std::optional<uint256> last_txid;
    bool overflow{false};
    auto best = db.ForEachCoin([&](const OutPoint& outpoint, const Coin& coin) {
        Writer w{64 + coin.out.destination.payload.size()};
        w.WriteUint256(outpoint.txid);
        w.WriteU32(outpoint.index);
        w.WriteU32(coin.height);
        w.WriteU8(coin.coinbase ? 1 : 0);
        WriteTxOut(w, coin.out);
        hasher.Write(w.data());
        ++stats.coins;
        if (!last_txid || *last_txid != outpoint.txid) {
            ++stats.transactions;
            last_txid = outpoint.txid;
        }
        const auto sum = CheckedMoneyAdd(stats.total_amount, coin.out.amount);
        if (!sum) overflow = true;
        stats.total_amount = sum.value_or(stats.total_amount);
    }, snapshot);
    if (!best) return best.error();
    if (best->IsNull()) {
        if (db.GetFlushMarker()) return Error{"chainstate needs recovery from an interrupted flush"};
    }
    if (overflow) return Error{"UTXO set total exceeds MAX_MONEY"};
    stats.best_block = *best;
    stats.hash = hasher.Finalize();
    stats.disk_size = db.EstimateDiskSize();
    return stats;
}

}  // namespace hpips
