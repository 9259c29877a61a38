// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// The chainstate's and block index's key/record decoders as the node meets
// them: the input becomes key/value records written into a real LevelDB
// (what a corrupt or hostile data directory can hold), and the database is
// then opened and read through every public reader of CoinsViewDB and
// BlockIndexDB — coin keys ('C' | txid | index), coin records, the best
// block and flush marker, block index keys and records, undo data (decoded
// with DecodeBlockUndo from each value). Every reader must refuse or accept
// cleanly; whatever is accepted must be consistent (the walk's coins are the
// point lookups' coins, every loaded index record is found under its hash).
//
// Input: a sequence of records, each an op byte and its fields:
//   op % 4 == 0: key length u8, key, value length u16, value   (any key)
//   op % 4 == 1: txid (32), index u32, value length u16, value (a coin key)
//   op % 4 == 2: BLOCK_INDEX_RECORD_SIZE bytes of value, keyed by the hash
//                of the header they start with (op & 4: a wrong key)
//   op % 4 == 3: which of 'B', 'H', 'V' (u8 % 3), value length u8, value
#include <chain/blockindex_db.h>
#include <chain/coinsdb.h>
#include <chain/dbwrapper.h>
#include <chain/undo.h>
#include <primitives/amount.h>
#include <primitives/block.h>
#include <util/logging.h>

#include "fuzz_input.h"

#include <leveldb/write_batch.h>

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <utility>
#include <vector>

namespace {

using hpips::fuzz::Check;

/** Records written per input (each costs a LevelDB put). */
constexpr size_t MAX_RECORDS = 64;

std::string AsString(std::span<const uint8_t> bytes) { return std::string{bytes.begin(), bytes.end()}; }

std::span<const uint8_t> AsBytes(const std::string& s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

/** The records the input describes, as LevelDB would hold them (last write wins). */
std::map<std::string, std::string> ParseRecords(hpips::fuzz::FuzzInput& in)
{
    using namespace hpips;
    std::map<std::string, std::string> records;
    for (size_t n = 0; n < MAX_RECORDS && !in.Empty(); ++n) {
        const uint8_t op{in.U8()};
        std::string key;
        std::string value;
        switch (op % 4) {
        case 0:
            key = AsString(in.Bytes(in.U8()));
            value = AsString(in.Bytes(in.U16()));
            break;
        case 1:
            key.push_back(DB_COIN);
            key += AsString(in.Bytes(uint256::SIZE + 4));
            value = AsString(in.Bytes(in.U16()));
            break;
        case 2: {
            value = AsString(in.Bytes(BLOCK_INDEX_RECORD_SIZE));
            key.push_back(DB_BLOCK_INDEX);
            uint256 hash;
            if (value.size() >= BLOCK_HEADER_SIZE) {
                if (auto header = DecodeBlockHeader(AsBytes(value).first(BLOCK_HEADER_SIZE))) hash = header->GetHash();
            }
            if ((op & 4) != 0) hash.data()[0] ^= 1;  // a record under another block's key
            key.append(reinterpret_cast<const char*>(hash.data()), uint256::SIZE);
            break;
        }
        default: {
            static constexpr char SPECIAL[3]{'B', 'H', 'V'};
            key.push_back(SPECIAL[in.U8() % 3]);
            value = AsString(in.Bytes(in.U8()));
            break;
        }
        }
        records[std::move(key)] = std::move(value);
    }
    return records;
}

void CheckCoins(const std::filesystem::path& dir, const std::map<std::string, std::string>& records)
{
    using namespace hpips;
    CoinsDBOptions options;
    options.db.cache_bytes = 1 << 16;
    options.db.write_buffer_bytes = 1 << 16;
    // A corrupt record is what this target feeds: count it instead of aborting the process.
    size_t fatal_errors{0};
    options.fatal_error = [&fatal_errors](const std::string&) { ++fatal_errors; };
    auto db = CoinsViewDB::Open(dir, std::move(options));
    if (!db) return;  // e.g. a 'V' record of another format version

    const uint256 best{(*db)->GetBestBlock()};
    const auto marker{(*db)->GetFlushMarker()};
    const auto best_record{records.find(std::string{DB_BEST_BLOCK})};
    if (best_record == records.end()) Check(best.IsNull());
    if (marker) Check(records.contains(std::string{DB_HEAD_BLOCKS}));

    std::vector<std::pair<OutPoint, Coin>> walked;
    const auto walk = (*db)->ForEachCoin([&](const OutPoint& outpoint, const Coin& coin) {
        Check(!coin.IsSpent());
        walked.emplace_back(outpoint, coin);
    });
    if (walk) {
        Check(*walk == best);
        // Every coin the walk produced is stored under its own key, in key order,
        // and a point lookup returns the same coin.
        std::optional<std::string> previous;
        for (const auto& [outpoint, coin] : walked) {
            const std::string key{CoinKey(outpoint)};
            Check(records.contains(key));
            Check(!previous || *previous < key);
            previous = key;
            const size_t errors_before{fatal_errors};
            const auto looked_up{(*db)->GetCoin(outpoint)};
            Check(fatal_errors == errors_before && looked_up && *looked_up == coin);
            Check(EncodeCoin(coin) == std::vector<uint8_t>(records.at(key).begin(), records.at(key).end()));
        }
        const auto stats{ComputeUtxoStats(**db)};
        if (stats) {
            Check(stats->coins == walked.size());
            Check(stats->transactions <= stats->coins);
            Check(MoneyRange(stats->total_amount));
        }
    }
    // Point lookups of every coin key written, decodable or not.
    for (const auto& [key, value] : records) {
        if (key.size() != COIN_KEY_SIZE || key[0] != DB_COIN) continue;
        OutPoint outpoint;
        outpoint.txid = uint256::FromBytes(AsBytes(key).subspan<1, uint256::SIZE>());
        const auto index_bytes{AsBytes(key).subspan<1 + uint256::SIZE, 4>()};
        outpoint.index = (uint32_t{index_bytes[0]} << 24) | (uint32_t{index_bytes[1]} << 16) |
                         (uint32_t{index_bytes[2]} << 8) | uint32_t{index_bytes[3]};
        Check(CoinKey(outpoint) == key);
        const size_t errors_before{fatal_errors};
        const auto coin{(*db)->GetCoin(outpoint)};
        // Found exactly when the stored value decodes; refused only through fatal_error.
        Check(coin.has_value() == DecodeCoin(AsBytes(value)).has_value());
        Check(coin.has_value() || fatal_errors == errors_before + 1);
    }
}

void CheckBlockIndex(const std::filesystem::path& dir, const std::map<std::string, std::string>& records)
{
    using namespace hpips;
    DBOptions options;
    options.cache_bytes = 1 << 16;
    options.write_buffer_bytes = 1 << 16;
    auto db = BlockIndexDB::Open(dir, options);
    if (!db) return;
    if (const auto all = (*db)->LoadAll()) {
        for (const BlockIndexRecord& record : *all) {
            const auto found{(*db)->ReadRecord(record.GetHash())};
            Check(found && found->has_value() && **found == record);
            Check((record.status & ~BLOCK_STATUS_KNOWN_BITS) == 0);
        }
    }
    for (const auto& [key, value] : records) {
        if (key.size() != 1 + uint256::SIZE || key[0] != DB_BLOCK_INDEX) continue;
        const uint256 hash{uint256::FromBytes(AsBytes(key).subspan<1, uint256::SIZE>())};
        const auto found{(*db)->ReadRecord(hash)};
        if (found && found->has_value()) Check((*found)->GetHash() == hash);
        // Undo data is stored in files, not here, but its decoder takes any bytes too.
        if (const auto undo = DecodeBlockUndo(AsBytes(value))) Check(EncodeBlockUndo(*undo).size() == value.size());
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    using namespace hpips;
    static const fuzz::TempDir temp{"coins_keys"};
    // Every input wipes the database, which the chain code logs.
    static const bool quiet{(GetLogger().SetPrintToConsole(false), true)};
    (void)quiet;
    const std::filesystem::path dir{temp.path() / "db"};
    fuzz::FuzzInput in{std::span<const uint8_t>{data, size}};
    const std::map<std::string, std::string> records{ParseRecords(in)};

    {
        // A fresh database of the current format, then the records (which may replace 'V').
        DBOptions options;
        options.wipe = true;
        options.cache_bytes = 1 << 16;
        options.write_buffer_bytes = 1 << 16;
        options.format_version = COINS_DB_VERSION;
        auto db = Database::Open(dir, options);
        Check(db.has_value());
        leveldb::WriteBatch batch;
        for (const auto& [key, value] : records) batch.Put(key, value);
        Check((*db)->Write(batch, /*sync=*/false).has_value());
    }
    static_assert(COINS_DB_VERSION == BLOCK_INDEX_DB_VERSION, "one database serves both readers here");
    CheckCoins(dir, records);
    CheckBlockIndex(dir, records);
    return 0;
}
