// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <chain/blockindex_db.h>

#include <util/serialize.h>

#include <fmt/format.h>
#include <leveldb/iterator.h>
#include <leveldb/write_batch.h>

#include <string>
#include <utility>

namespace hpips {
namespace {

std::string RecordKey(const uint256& hash)
{
    std::string key;
    key.reserve(1 + uint256::SIZE);
    key.push_back(DB_BLOCK_INDEX);
    key.append(reinterpret_cast<const char*>(hash.data()), uint256::SIZE);
    return key;
}

std::span<const uint8_t> StringBytes(std::string_view s)
{
    return {reinterpret_cast<const uint8_t*>(s.data()), s.size()};
}

void WritePos(Writer& w, const FlatFilePos& pos)
{
    w.WriteU32(pos.file);
    w.WriteU32(pos.offset);
}

FlatFilePos ReadPos(Reader& r)
{
    FlatFilePos pos;
    pos.file = r.ReadU32();
    pos.offset = r.ReadU32();
    return pos;
}

/** Decodes the value stored under `key`, checking that it belongs there. */
Result<BlockIndexRecord> DecodeKeyed(std::string_view key, std::string_view value)
{
    auto record = DecodeBlockIndexRecord(StringBytes(value));
    if (!record) return record;
    if (key.size() != 1 + uint256::SIZE ||
        uint256::FromBytes(StringBytes(key).subspan<1, uint256::SIZE>()) != record->GetHash()) {
        return Error{"block index record does not match its key"};
    }
    return record;
}

}  // namespace

std::vector<uint8_t> EncodeBlockIndexRecord(const BlockIndexRecord& record)
{
    Writer w{BLOCK_INDEX_RECORD_SIZE};
    WriteBlockHeader(w, record.header);
    w.WriteU32(record.height);
    w.WriteUint256(record.chain_work);
    w.WriteU32(record.status);
    WritePos(w, record.data_pos);
    WritePos(w, record.undo_pos);
    w.WriteU32(record.tx_count);
    return w.Take();
}

Result<BlockIndexRecord> DecodeBlockIndexRecord(std::span<const uint8_t> bytes)
{
    if (bytes.size() != BLOCK_INDEX_RECORD_SIZE) {
        return Error{fmt::format("block index record has {} bytes, expected {}", bytes.size(),
                                 BLOCK_INDEX_RECORD_SIZE)};
    }
    return Decode(bytes, [](Reader& r) {
        BlockIndexRecord record;
        record.header = ReadBlockHeader(r);
        record.height = r.ReadU32();
        record.chain_work = r.ReadUint256();
        record.status = r.ReadU32();
        if ((record.status & ~BLOCK_STATUS_KNOWN_BITS) != 0) throw SerializeError{"unknown block status bits"};
        record.data_pos = ReadPos(r);
        record.undo_pos = ReadPos(r);
        record.tx_count = r.ReadU32();
        return record;
    });
}

Result<std::unique_ptr<BlockIndexDB>> BlockIndexDB::Open(const std::filesystem::path& dir, const DBOptions& options)
{
    DBOptions db_options{options};
    db_options.format_version = BLOCK_INDEX_DB_VERSION;
    auto db = Database::Open(dir, db_options);
    if (!db) return db.error();
    return std::unique_ptr<BlockIndexDB>{new BlockIndexDB{std::move(*db)}};
}

Result<void> BlockIndexDB::WriteRecords(std::span<const BlockIndexRecord> records, bool sync)
{
    leveldb::WriteBatch batch;
    for (const BlockIndexRecord& record : records) {
        const std::vector<uint8_t> value{EncodeBlockIndexRecord(record)};
        batch.Put(RecordKey(record.GetHash()),
                  leveldb::Slice{reinterpret_cast<const char*>(value.data()), value.size()});
    }
    return m_db->Write(batch, sync);
}

Result<std::optional<BlockIndexRecord>> BlockIndexDB::ReadRecord(const uint256& hash) const
{
    const std::string key{RecordKey(hash)};
    auto value = m_db->Read(key);
    if (!value) return value.error();
    if (!value->has_value()) return std::optional<BlockIndexRecord>{};
    auto record = DecodeKeyed(key, **value);
    if (!record) return Error{fmt::format("corrupt block index record {}: {}", hash.GetHex(), record.error_message())};
    return std::optional<BlockIndexRecord>{std::move(*record)};
}

Result<std::vector<BlockIndexRecord>> BlockIndexDB::LoadAll() const
{
    std::vector<BlockIndexRecord> records;
    auto it = m_db->NewIterator();
    const char prefix[1]{DB_BLOCK_INDEX};
    for (it->Seek(leveldb::Slice{prefix, 1}); it->Valid(); it->Next()) {
        const std::string_view key{it->key().data(), it->key().size()};
        if (key.empty() || key[0] != DB_BLOCK_INDEX) break;
        auto record = DecodeKeyed(key, std::string_view{it->value().data(), it->value().size()});
        if (!record) return Error{"corrupt block index record: " + record.error_message()};
        records.push_back(std::move(*record));
    }
    if (!it->status().ok()) return Error{"block index read failed: " + it->status().ToString()};
    return records;
}

}  // namespace hpips
