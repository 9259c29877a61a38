// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/tx_json.h>

#include <consensus/block_check.h>
#include <primitives/address.h>
#include <primitives/descriptor.h>
#include <rpc/json.h>
#include <rpc/util.h>
#include <util/serialize.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>

#include <algorithm>
#include <cctype>
#include <fmt/format.h>
#include <map>

namespace hpips {
namespace {

namespace json = boost::json;

/** Decimals written when the ratio has an integer part (Core shows
 *  difficulty with double precision; 8 decimals are exact and ample). */
constexpr unsigned RATIO_DECIMALS_WITH_INTEGER = 8;

std::string TrimZeros(std::string text)
{
    if (text.find('.') == std::string::npos) return text;
    while (!text.empty() && text.back() == '0') text.pop_back();
    if (!text.empty() && text.back() == '.') text.pop_back();
    return text;
}

}  // namespace

std::string_view DestinationTypeName(const Destination& dest)
{
    return dest.IsKey() ? "witness_v1_taproot" : "nonstandard";
}

std::string DestinationHex(const Destination& dest)
{
    Writer w;
    WriteDestination(w, dest);
    return HexStr(w.data());
}

std::optional<Destination> DestinationFromBytes(std::span<const uint8_t> bytes)
{
    auto dest = Decode(bytes, [](Reader& r) { return ReadDestination(r); });
    if (!dest) return std::nullopt;
    return std::move(*dest);
}

std::string DestinationAsm(const Destination& dest)
{
    std::string out = std::to_string(dest.kind);
    if (!dest.payload.empty()) out += " " + HexStr(dest.payload);
    return out;
}

json::object ScriptPubKeyToJSON(const Destination& dest, Network net)
{
    json::object out;
    out["asm"] = DestinationAsm(dest);
    out["desc"] = DestinationDescriptor(dest, net);
    out["hex"] = DestinationHex(dest);
    const std::string address = EncodeAddress(dest, net);
    if (!address.empty()) out["address"] = address;
    out["type"] = DestinationTypeName(dest);
    return out;
}

std::optional<Amount> FeeFromSpent(const Transaction& tx, const TxUndo& spent)
{
    if (tx.IsCoinbase() || spent.spent.size() != tx.inputs().size()) return std::nullopt;
    Amount in_sum{0};
    for (const Coin& coin : spent.spent) {
        const auto sum = CheckedMoneyAdd(in_sum, coin.out.amount);
        if (!sum) return std::nullopt;
        in_sum = *sum;
    }
    Amount out_sum{0};
    for (const TxOut& o : tx.outputs()) {
        const auto sum = CheckedMoneyAdd(out_sum, o.amount);
        if (!sum) return std::nullopt;
        out_sum = *sum;
    }
    if (in_sum < out_sum) return std::nullopt;
    return in_sum - out_sum;
}

json::object TxToJSON(const Transaction& tx, Network net, std::optional<Amount> fee, bool include_hex,
                      const TxUndo* spent)
{
    json::object out;
    out["txid"] = tx.GetTxid().GetHex();
    out["hash"] = tx.GetWtxid().GetHex();
    out["version"] = tx.version();
    out["size"] = tx.GetTotalSize();
    out["vsize"] = tx.GetTotalSize();
    out["weight"] = tx.GetTotalSize();
    out["locktime"] = tx.lock_time();
    json::array vin;
    const bool coinbase = tx.IsCoinbase();
    const bool with_prevouts = spent != nullptr && !coinbase && spent->spent.size() == tx.inputs().size();
    for (size_t n{0}; n < tx.inputs().size(); ++n) {
        const TxIn& in = tx.inputs()[n];
        json::object input;
        if (coinbase) {
            input["coinbase"] = HexStr(in.witness);
        } else {
            input["txid"] = in.prevout.txid.GetHex();
            input["vout"] = in.prevout.index;
            if (!in.witness.empty()) input["txinwitness"] = json::array{json::value(HexStr(in.witness))};
            if (with_prevouts) {
                const Coin& coin = spent->spent[n];
                json::object prevout;
                prevout["generated"] = coin.coinbase;
                prevout["height"] = coin.height;
                prevout["value"] = ValueFromAmount(coin.out.amount);
                prevout["scriptPubKey"] = ScriptPubKeyToJSON(coin.out.destination, net);
                input["prevout"] = std::move(prevout);
            }
        }
        input["sequence"] = in.sequence;
        vin.push_back(std::move(input));
    }
    out["vin"] = std::move(vin);
    json::array vout;
    for (size_t i{0}; i < tx.outputs().size(); ++i) {
        const TxOut& output = tx.outputs()[i];
        json::object entry;
        entry["value"] = ValueFromAmount(output.amount);
        entry["n"] = i;
        entry["scriptPubKey"] = ScriptPubKeyToJSON(output.destination, net);
        vout.push_back(std::move(entry));
    }
    out["vout"] = std::move(vout);
    if (fee) out["fee"] = ValueFromAmount(*fee);
    if (include_hex) out["hex"] = HexStr(EncodeTransaction(tx));
    return out;
}

std::string FormatRatio(const ArithUint512& num, const ArithUint512& den, unsigned significant)
{
    if (den == 0) return "0";
    const ArithUint512 integer = num / den;
    ArithUint512 remainder = num % den;
    std::string out = integer.str();
    std::string fraction;
    if (integer != 0) {
        for (unsigned i{0}; i < RATIO_DECIMALS_WITH_INTEGER; ++i) {
            remainder *= 10;
            fraction += static_cast<char>('0' + static_cast<int>(remainder / den));
            remainder %= den;
        }
    } else {
        unsigned seen{0};
        while (remainder != 0 && seen < significant && fraction.size() < MAX_RATIO_DECIMALS) {
            remainder *= 10;
            const int digit = static_cast<int>(remainder / den);
            remainder %= den;
            fraction += static_cast<char>('0' + digit);
            if (digit != 0 || seen > 0) ++seen;
        }
    }
    if (fraction.empty()) return out;
    return TrimZeros(out + "." + fraction);
}

json::value DifficultyValue(uint32_t bits, const ArithUint256& pow_limit)
{
    // Difficulty 1 is the easiest target `bits` can express: the limit
    // rounded to compact form, as Core's 0x1d00ffff is Bitcoin's.
    const auto easiest = TargetFromBits(EncodeCompact(pow_limit));
    const auto target = TargetFromBits(bits);
    const std::string text =
        target && easiest ? FormatRatio(ArithUint512{*easiest}, ArithUint512{*target}) : std::string{"0"};
    return *MakeJsonNumber(text);
}

std::string ChainWorkHex(const ArithUint512& work)
{
    std::string hex = work.str(0, std::ios_base::hex);
    std::transform(hex.begin(), hex.end(), hex.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (hex.size() < 64) hex.insert(0, 64 - hex.size(), '0');
    return hex;
}

std::string BitsHex(uint32_t bits) { return fmt::format("{:08x}", bits); }

json::object PouwProofToJSON(const PouwProof& proof)
{
    json::object out;
    out["miner_key"] = HexStr(proof.miner_key);
    out["nonce"] = proof.nonce;
    out["unit_id"] = proof.unit_id.GetHex();
    out["tile_index"] = proof.tile_index;
    out["state"] = HexStr(proof.state);
    return out;
}

json::object BlockHeaderToJSON(const BlockInfo& info, const ChainParams& params)
{
    const BlockHeader& header = info.header;
    json::object out;
    out["hash"] = info.hash.GetHex();
    out["confirmations"] = info.in_active_chain ? info.confirmations : int64_t{-1};
    out["height"] = info.height;
    out["version"] = header.version;
    out["versionHex"] = fmt::format("{:08x}", static_cast<uint32_t>(header.version));
    out["merkleroot"] = header.merkle_root.GetHex();
    out["time"] = header.time;
    out["mediantime"] = info.median_time_past;
    out["nonce"] = header.proof.nonce;
    out["bits"] = BitsHex(header.bits);
    out["difficulty"] = DifficultyValue(header.bits, params.pow_limit);
    out["chainwork"] = ChainWorkHex(info.chain_work);
    out["nTx"] = info.tx_count;
    if (info.height > 0) out["previousblockhash"] = header.prev_block.GetHex();
    if (info.next_hash) out["nextblockhash"] = info.next_hash->GetHex();
    out["pouw"] = PouwProofToJSON(header.proof);
    return out;
}

json::object BlockToJSON(const Block& block, const BlockInfo& info, const ChainParams& params, int verbosity,
                         const BlockUndo* undo)
{
    json::object out = BlockHeaderToJSON(info, params);
    const size_t size = BlockSerializedSize(block);
    size_t witness_bytes{0};
    for (const Transaction& tx : block.txs) witness_bytes += tx.GetTotalSize() - tx.GetBaseSize();
    out["nTx"] = block.txs.size();
    out["size"] = size;
    out["strippedsize"] = size - witness_bytes;
    out["weight"] = size;
    out["opening_size"] = block.opening.size();
    json::array txs;
    if (verbosity <= 1) {
        for (const Transaction& tx : block.txs) txs.push_back(json::value(tx.GetTxid().GetHex()));
    } else {
        // Fees are known without undo data only when every input spends an
        // output of an earlier transaction of this block.
        std::map<OutPoint, Amount> created;
        // Undo data has one entry per transaction but the coinbase.
        const bool have_undo = undo != nullptr && !block.txs.empty() && undo->txs.size() == block.txs.size() - 1;
        for (size_t t{0}; t < block.txs.size(); ++t) {
            const Transaction& tx = block.txs[t];
            const TxUndo* spent = have_undo && t > 0 ? &undo->txs[t - 1] : nullptr;
            std::optional<Amount> fee;
            if (spent != nullptr) {
                fee = FeeFromSpent(tx, *spent);
            } else if (!tx.IsCoinbase()) {
                Amount in_sum{0};
                bool known{true};
                for (const TxIn& in : tx.inputs()) {
                    const auto it = created.find(in.prevout);
                    const auto sum = it == created.end() ? std::nullopt : CheckedMoneyAdd(in_sum, it->second);
                    if (!sum) {
                        known = false;
                        break;
                    }
                    in_sum = *sum;
                }
                Amount out_sum{0};
                for (const TxOut& o : tx.outputs()) {
                    const auto sum = CheckedMoneyAdd(out_sum, o.amount);
                    if (!sum) {
                        known = false;
                        break;
                    }
                    out_sum = *sum;
                }
                if (known && in_sum >= out_sum) fee = in_sum - out_sum;
            }
            for (uint32_t i{0}; i < tx.outputs().size(); ++i) {
                created.emplace(OutPoint{tx.GetTxid(), i}, tx.outputs()[i].amount);
            }
            txs.push_back(TxToJSON(tx, params.network, fee, /*include_hex=*/true, verbosity >= 3 ? spent : nullptr));
        }
    }
    out["tx"] = std::move(txs);
    return out;
}

}  // namespace hpips
