// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/scantxoutset.h>

#include <chain/chainstate.h>
#include <primitives/address.h>
#include <primitives/descriptor.h>
#include <rpc/tx_json.h>
#include <rpc/util.h>
#include <util/strencodings.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** How many coins pass between two looks at the abort flag. */
constexpr uint64_t ABORT_CHECK_INTERVAL = 1000;

/** The one scan that may run, shared by every call. */
struct ScanState {
    std::atomic<bool> running{false};
    std::atomic<bool> abort{false};
    /** Percent of the key space (by the txid's first byte) walked. */
    std::atomic<int> progress{0};
};

/** Holds ScanState::running for one scan (Core's CoinsViewScanReserver). */
class ScanReservation {
public:
    explicit ScanReservation(ScanState& state) : m_state{state}
    {
        bool expected = false;
        m_reserved = m_state.running.compare_exchange_strong(expected, true);
        if (m_reserved) {
            m_state.abort = false;
            m_state.progress = 0;
        }
    }
    ~ScanReservation()
    {
        if (m_reserved) m_state.running = false;
    }
    ScanReservation(const ScanReservation&) = delete;
    ScanReservation& operator=(const ScanReservation&) = delete;
    bool reserved() const { return m_reserved; }

private:
    ScanState& m_state;
    bool m_reserved{false};
};

/** Encoding of a destination: the key scan objects are matched by. */
using DestKey = std::pair<uint8_t, std::vector<uint8_t>>;

/** One scan object: `addr(ADDRESS)` or `raw(HEX)`, with an optional checksum. */
Destination ParseScanObject(const json::value& object, Network net)
{
    std::string text;
    if (object.is_string()) {
        text = std::string{object.as_string()};
    } else if (object.is_object() && object.as_object().contains("desc") &&
               object.as_object().at("desc").is_string()) {
        if (object.as_object().contains("range")) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Range should not be specified for an un-ranged descriptor"};
        }
        text = std::string{object.as_object().at("desc").as_string()};
    } else {
        throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid scan object"};
    }
    std::string body = text;
    if (const auto hash = text.find('#'); hash != std::string::npos) {
        if (!CheckDescriptorChecksum(text)) {
            const auto expected = DescriptorChecksum(text.substr(0, hash));
            throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY,
                           "Provided checksum '" + TruncateForMessage(text.substr(hash + 1)) +
                               "' does not match computed checksum '" + expected.value_or("") + "'"};
        }
        body = text.substr(0, hash);
    }
    const auto inner = [&](std::string_view name) -> std::optional<std::string> {
        if (body.size() < name.size() + 2 || !body.starts_with(name) || body[name.size()] != '(' || body.back() != ')') {
            return std::nullopt;
        }
        return body.substr(name.size() + 1, body.size() - name.size() - 2);
    };
    if (const auto address = inner("addr")) {
        auto dest = DecodeAddress(*address, net);
        if (!dest) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Address is not valid"};
        return std::move(*dest);
    }
    if (const auto hex = inner("raw")) {
        const auto bytes = ParseHex(*hex);
        if (!bytes) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Raw script is not hex"};
        auto dest = DestinationFromBytes(*bytes);
        if (!dest) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Raw script is not a destination's encoding"};
        return std::move(*dest);
    }
    throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY,
                   "'" + TruncateForMessage(body) + "' is not a valid descriptor function (HPIPS: addr or raw)"};
}

json::value ScanTxOutSet(const ChainContext& ctx, ScanState& state, const RPCRequest& request)
{
    const json::array& objects = [&]() -> const json::array& {
        const json::value* param = OptionalParam(request, 1);
        if (param == nullptr) {
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "scanobjects argument is required for the start action"};
        }
        if (!param->is_array()) throw RPCError{RPCErrorCode::TYPE_ERROR, "Expected type array for scanobjects"};
        return param->as_array();
    }();
    if (objects.size() > MAX_SCAN_OBJECTS) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Too many scan objects: " + std::to_string(objects.size()) +
                                                            " (at most " + std::to_string(MAX_SCAN_OBJECTS) + ")"};
    }
    const Network net = ctx.params.network;
    std::map<DestKey, std::string> needles;  // destination -> its descriptor
    for (const json::value& object : objects) {
        Destination dest = ParseScanObject(object, net);
        std::string desc = DestinationDescriptor(dest, net);
        needles.emplace(DestKey{dest.kind, std::move(dest.payload)}, std::move(desc));
    }

    ScanReservation reservation{state};
    if (!reservation.reserved()) {
        throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Scan already in progress, use action \"abort\" or \"status\""};
    }
    json::array unspents;
    Amount total{0};
    uint64_t searched{0};
    bool aborted = false;
    DestKey probe;
    auto best = ctx.chainstate.ScanCoins([&](const OutPoint& outpoint, const Coin& coin) {
        if (++searched % ABORT_CHECK_INTERVAL == 0) {
            if (state.abort.load() || (ctx.interrupt != nullptr && ctx.interrupt->load())) {
                aborted = true;
                return false;
            }
            state.progress = static_cast<int>(outpoint.txid.span()[0]) * 100 / 256;
        }
        probe.first = coin.out.destination.kind;
        probe.second.assign(coin.out.destination.payload.begin(), coin.out.destination.payload.end());
        const auto found = needles.find(probe);
        if (found == needles.end()) return true;
        json::object item;
        item["txid"] = outpoint.txid.GetHex();
        item["vout"] = outpoint.index;
        item["scriptPubKey"] = DestinationHex(coin.out.destination);
        item["desc"] = found->second;
        item["amount"] = ValueFromAmount(coin.out.amount);
        item["coinbase"] = coin.coinbase;
        item["height"] = coin.height;
        unspents.push_back(std::move(item));
        total = CheckedMoneyAdd(total, coin.out.amount).value_or(MAX_MONEY);
        return true;
    });
    if (!best) throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Unable to read UTXO set: " + best.error_message()};
    const auto info = ctx.chainstate.GetBlockInfo(*best);
    json::object out;
    out["success"] = !aborted;
    out["txouts"] = searched;
    out["height"] = info ? info->height : int64_t{-1};
    out["bestblock"] = best->GetHex();
    out["unspents"] = std::move(unspents);
    out["total_amount"] = ValueFromAmount(total);
    return out;
}

}  // namespace

Result<void> RegisterScanTxOutSetRPCCommands(RPCTable& table, ChainContext& context)
{
    ChainContext* ctx = &context;
    const auto state = std::make_shared<ScanState>();
    return table.Register({
        .category = "blockchain",
        .name = "scantxoutset",
        .description =
            "Scans the unspent transaction output set for entries that match certain output descriptors.\n"
            "Examples of output descriptors are:\n"
            "    addr(<address>)    Outputs paying the address\n"
            "    raw(<hex>)         Outputs whose scriptPubKey (destination encoding) equals the hex\n"
            "Each may end in #checksum. At most 10000 scan objects. Only one scan runs at a time; "
            "mempool outputs are not included.",
        .args = {{"action", RPCArgType::STRING, false, "",
                  "\"start\" for starting a scan, \"abort\" for aborting the current scan (returns true when "
                  "abort was successful), \"status\" for progress report (in %) of the current scan"},
                 {"scanobjects", RPCArgType::ARRAY, true, "",
                  "Array of scan objects (required for \"start\"): a descriptor string, or an object "
                  "{\"desc\": descriptor}"}},
        .result = "when action=='start': {\n"
                  "  \"success\" : true|false,   (boolean) Whether the scan was completed\n"
                  "  \"txouts\" : n,             (numeric) The number of unspent transaction outputs scanned\n"
                  "  \"height\" : n,             (numeric) The current block height (index)\n"
                  "  \"bestblock\" : \"hex\",      (string) The hash of the block at the tip of the chain\n"
                  "  \"unspents\" : [ { \"txid\", \"vout\", \"scriptPubKey\", \"desc\", \"amount\", \"coinbase\", "
                  "\"height\" }, ... ],\n"
                  "  \"total_amount\" : n        (numeric) The total amount of all found unspent outputs\n"
                  "}\n"
                  "when action=='abort': true|false\n"
                  "when action=='status': { \"progress\" : n } or null when no scan is in progress",
        .examples = HelpExampleCli("scantxoutset", "start '[\"addr(rhp1p...)\"]'") +
                    HelpExampleRpc("scantxoutset", "\"start\", [\"addr(rhp1p...)\"]"),
        .handler = [ctx, state](const RPCRequest& request) -> json::value {
            const std::string action = ParamString(request, 0);
            if (action == "status") {
                if (!state->running.load()) return nullptr;
                json::object out;
                out["progress"] = state->progress.load();
                return out;
            }
            if (action == "abort") {
                if (!state->running.load()) return false;
                state->abort = true;
                return true;
            }
            if (action == "start") return ScanTxOutSet(*ctx, *state, request);
            throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid action '" + TruncateForMessage(action) + "'"};
        },
    });
}

}  // namespace hpips
