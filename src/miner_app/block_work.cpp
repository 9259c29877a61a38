// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <miner_app/block_work.h>

#include <primitives/merkle.h>
#include <primitives/transaction.h>
#include <util/strencodings.h>

#include <charconv>

namespace hpips::miner {

namespace json = boost::json;

namespace {

Result<std::string> StringField(const json::object& object, const char* name)
{
    const auto* value = object.if_contains(name);
    if (value == nullptr || !value->is_string()) return Error{std::string{"template field "} + name + " missing"};
    return std::string{value->as_string()};
}

Result<int64_t> IntField(const json::object& object, const char* name)
{
    const auto* value = object.if_contains(name);
    if (value == nullptr) return Error{std::string{"template field "} + name + " missing"};
    if (value->is_int64()) return value->as_int64();
    if (value->is_uint64() && value->as_uint64() <= INT64_MAX) return static_cast<int64_t>(value->as_uint64());
    return Error{std::string{"template field "} + name + " is not an integer"};
}

Result<Transaction> DecodeTxHex(const json::value& data, const std::string& what)
{
    if (!data.is_string()) return Error{what + " has no data"};
    const auto bytes = ParseHex(std::string_view{data.as_string()});
    if (!bytes || bytes->size() > MAX_BLOCK_SIZE) return Error{what + " is not hex of at most a block's size"};
    auto tx = DecodeTransaction(*bytes);
    if (!tx) return Error{what + ": " + tx.error_message()};
    return std::move(*tx);
}

}  // namespace

Result<pouw::ShapeRules> RulesForFiller(const pouw::UnitShape& shape)
{
    for (const auto rules : {pouw::ShapeRules::Main(), pouw::ShapeRules::Regtest()}) {
        const pouw::UnitShape filler = rules.FillerShape();
        if (filler.m == shape.m && filler.n == shape.n && filler.k == shape.k) return rules;
    }
    return Error{"the node's filler shape " + std::to_string(shape.m) + "x" + std::to_string(shape.n) + "x" +
                 std::to_string(shape.k) + " is not one this miner knows (different PoUW rules?)"};
}

Result<BlockWork> ParseBlockTemplate(const json::object& tmpl)
{
    BlockWork work;
    const auto* pouw_object = tmpl.if_contains("pouw");
    if (pouw_object == nullptr || !pouw_object->is_object()) return Error{"template field pouw missing"};
    const auto rules_version = IntField(pouw_object->as_object(), "rules_version");
    if (!rules_version) return rules_version.error();
    if (*rules_version != pouw::RULES_VERSION) {
        return Error{"the node uses PoUW rules version " + std::to_string(*rules_version) + ", this miner " +
                     std::to_string(pouw::RULES_VERSION)};
    }
    const auto* filler = pouw_object->as_object().if_contains("filler");
    if (filler == nullptr || !filler->is_object()) return Error{"template field pouw.filler missing"};
    pouw::UnitShape shape;
    for (auto [name, field] : {std::pair{"m", &shape.m}, std::pair{"n", &shape.n}, std::pair{"k", &shape.k}}) {
        const auto value = IntField(filler->as_object(), name);
        if (!value) return value.error();
        if (*value <= 0 || *value > UINT32_MAX) return Error{std::string{"template field pouw.filler."} + name + " out of range"};
        *field = static_cast<uint32_t>(*value);
    }
    auto rules = RulesForFiller(shape);
    if (!rules) return rules.error();
    work.rules = *rules;

    const auto* coinbase = tmpl.if_contains("coinbasetxn");
    if (coinbase == nullptr || !coinbase->is_object() || !coinbase->as_object().contains("data")) {
        return Error{"template has no coinbasetxn (the node did not build the coinbase)"};
    }
    auto coinbase_tx = DecodeTxHex(coinbase->as_object().at("data"), "coinbasetxn");
    if (!coinbase_tx) return coinbase_tx.error();
    if (coinbase_tx->outputs().size() != 1 || !coinbase_tx->outputs()[0].destination.IsKey()) {
        return Error{"coinbasetxn does not pay one key output"};
    }
    work.block.txs.push_back(std::move(*coinbase_tx));
    const auto* txs = tmpl.if_contains("transactions");
    if (txs == nullptr || !txs->is_array()) return Error{"template field transactions missing"};
    if (txs->as_array().size() > MAX_TEMPLATE_TXS) return Error{"template lists too many transactions"};
    for (const json::value& entry : txs->as_array()) {
        if (!entry.is_object() || !entry.as_object().contains("data")) return Error{"template transaction without data"};
        auto tx = DecodeTxHex(entry.as_object().at("data"), "template transaction");
        if (!tx) return tx.error();
        work.block.txs.push_back(std::move(*tx));
    }

    BlockHeader& header = work.block.header;
    const auto version = IntField(tmpl, "version");
    const auto time = IntField(tmpl, "curtime");
    const auto height = IntField(tmpl, "height");
    const auto prev = StringField(tmpl, "previousblockhash");
    const auto bits = StringField(tmpl, "bits");
    const auto longpollid = StringField(tmpl, "longpollid");
    if (!version) return version.error();
    if (!time) return time.error();
    if (!height) return height.error();
    if (!prev) return prev.error();
    if (!bits) return bits.error();
    if (!longpollid) return longpollid.error();
    if (*version < INT32_MIN || *version > INT32_MAX) return Error{"template field version out of range"};
    if (*time < 0 || *time > UINT32_MAX) return Error{"template field curtime out of range"};
    const auto prev_hash = uint256::FromHex(*prev);
    if (!prev_hash) return Error{"template field previousblockhash is not 64 hex digits"};
    uint32_t bits_value{0};
    const auto parsed_bits = std::from_chars(bits->data(), bits->data() + bits->size(), bits_value, 16);
    if (bits->size() != 8 || parsed_bits.ec != std::errc{} || parsed_bits.ptr != bits->data() + bits->size()) {
        return Error{"template field bits is not 8 hex digits"};
    }
    header.version = static_cast<int32_t>(*version);
    header.prev_block = *prev_hash;
    header.time = static_cast<uint32_t>(*time);
    header.bits = bits_value;
    header.merkle_root = BlockMerkleRoot(work.block.txs);
    const auto& key = work.block.txs[0].outputs()[0].destination.payload;
    std::copy(key.begin(), key.end(), header.proof.miner_key.begin());
    work.height = *height;
    work.longpollid = *longpollid;
    work.filler = pouw::MakeFillerUnit(header.prev_block, header.proof.miner_key, 0, work.rules);
    return work;
}

std::string FinishBlock(const BlockWork& work, const pouw::WinningTicket& win)
{
    Block block = work.block;
    block.header.proof = win.proof;
    block.opening = win.opening;
    return HexStr(EncodeBlock(block));
}

}  // namespace hpips::miner
