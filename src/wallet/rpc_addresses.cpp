// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <wallet/rpc_addresses.h>

#include <primitives/address.h>
#include <primitives/descriptor.h>
#include <primitives/message.h>
#include <primitives/transaction.h>
#include <rpc/auth.h>
#include <rpc/util.h>
#include <util/serialize.h>
#include <util/strencodings.h>
#include <wallet/keys.h>
#include <wallet/rpc_wallet.h>
#include <wallet/wallet_manager.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <set>
#include <string>

namespace hpips::wallet {
namespace {

namespace json = boost::json;

/** An address argument of the wallet's network; -5 with the decoder's
 *  message otherwise. */
Destination AddressParam(const Wallet& wallet, const RPCRequest& request, size_t i)
{
    const std::string text = ParamString(request, i);
    auto dest = DecodeAddress(text, wallet.GetNetwork());
    if (!dest) throw RPCError{RPCErrorCode::INVALID_ADDRESS_OR_KEY, "Invalid address: " + dest.error_message()};
    return *dest;
}

/** A label argument: not "*" (Core's reserved name), at most MAX_LABEL_LENGTH bytes (-11). */
std::string LabelParam(const RPCRequest& request, size_t i)
{
    std::string label = ParamString(request, i);
    if (label == "*") throw RPCError{RPCErrorCode::WALLET_INVALID_LABEL_NAME, "Invalid label name"};
    if (label.size() > MAX_LABEL_LENGTH) throw RPCError{RPCErrorCode::WALLET_INVALID_LABEL_NAME, "Label too long"};
    return label;
}

std::string DestinationHexOf(const Destination& dest)
{
    Writer w;
    WriteDestination(w, dest);
    return HexStr(w.data());
}

const char* Purpose(bool mine) { return mine ? "receive" : "send"; }

}  // namespace

Result<void> RegisterWalletAddressRPCCommands(RPCTable& table, WalletManager& manager)
{
    WalletManager* wm = &manager;
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "wallet",
        .name = "getaddressinfo",
        .description =
            "Return information about the given HPIPS address.\n"
            "HPIPS addresses are bech32m over one x-only key (witness version 1): isscript is always false, "
            "witness_program and pubkey are that key, desc is the addr() descriptor, and hdkeypath is the key's "
            "path below the wallet's account (doc/wallet.md, \"getaddressinfo\"). No key birth time is stored, so "
            "timestamp is absent; hdseedid (legacy) is never given.",
        .args = {{"address", RPCArgType::STRING, false, "", "The HPIPS address for which to get information."}},
        .result = "{\n"
                  "  \"address\" : \"str\",          (string) The address validated.\n"
                  "  \"scriptPubKey\" : \"hex\",     (string) The destination's encoding (kind, length, key).\n"
                  "  \"ismine\" : true|false,      (boolean) If the address is one of the wallet's keys.\n"
                  "  \"solvable\" : true|false,    (boolean) Whether the wallet knows how to spend it (its own keys).\n"
                  "  \"desc\" : \"str\",             (string, optional) addr() descriptor, when solvable.\n"
                  "  \"iswatchonly\" : false,      (boolean) Always false (descriptor-style wallet, as Core).\n"
                  "  \"isscript\" : false,         (boolean) Always false.\n"
                  "  \"iswitness\" : true,         (boolean) Always true.\n"
                  "  \"witness_version\" : 1,      (numeric) The witness version.\n"
                  "  \"witness_program\" : \"hex\",  (string) The 32-byte x-only key.\n"
                  "  \"pubkey\" : \"hex\",           (string, optional) The x-only key, when ismine.\n"
                  "  \"ischange\" : true|false,    (boolean) If the key is on the change branch.\n"
                  "  \"hdkeypath\" : \"str\",        (string, optional) The key's BIP-32 path, when ismine.\n"
                  "  \"hdmasterfingerprint\" : \"hex\", (string, optional) Not given: the wallet stores the account "
                  "xpub, not the master key.\n"
                  "  \"labels\" : [ \"str\", ... ]   (json array) The address's label (at most one).\n"
                  "}",
        .examples = HelpExampleCli("getaddressinfo", "\"rhp1p...\"") + HelpExampleRpc("getaddressinfo", "\"rhp1p...\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const Destination dest = AddressParam(*wallet, request, 0);
            const AddressInfo info = wallet->GetAddressInfo(dest);
            const Network net = wallet->GetNetwork();
            json::object out;
            out["address"] = EncodeAddress(dest, net);
            out["scriptPubKey"] = DestinationHexOf(dest);
            out["ismine"] = info.ismine;
            out["solvable"] = info.ismine;
            if (info.ismine) out["desc"] = DestinationDescriptor(dest, net);
            out["iswatchonly"] = false;
            out["isscript"] = false;
            out["iswitness"] = true;
            out["witness_version"] = ADDRESS_WITNESS_VERSION;
            out["witness_program"] = HexStr(dest.payload);
            if (info.ismine) out["pubkey"] = HexStr(dest.payload);
            out["ischange"] = info.ismine && info.branch == KeyBranch::CHANGE;
            if (info.ismine) {
                out["hdkeypath"] = AccountPath(net) + "/" + std::to_string(static_cast<uint32_t>(info.branch)) + "/" +
                                   std::to_string(info.index);
            }
            json::array labels;
            if (info.label) labels.push_back(json::value(*info.label));
            out["labels"] = std::move(labels);
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "setlabel",
        .description = "Sets the label associated with the given address (the wallet's own, purpose \"receive\", "
                       "or any other, purpose \"send\").",
        .args = {{"address", RPCArgType::STRING, false, "", "The HPIPS address to be associated with a label."},
                 {"label", RPCArgType::STRING, false, "", "The label to assign to the address."}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("setlabel", "\"rhp1p...\" \"tabby\"") +
                    HelpExampleRpc("setlabel", "\"rhp1p...\", \"tabby\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const Destination dest = AddressParam(*wallet, request, 0);
            const std::string label = LabelParam(request, 1);
            if (auto set = wallet->SetLabel(dest, label); !set) {
                throw RPCError{RPCErrorCode::WALLET_ERROR, set.error_message()};
            }
            return nullptr;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "listlabels",
        .description = "Returns the list of all labels, or labels that are assigned to addresses with a specific "
                       "purpose.",
        .args = {{"purpose", RPCArgType::STRING, true, "",
                  "Address purpose to list labels for ('send','receive'). An empty string is the same as not "
                  "providing this argument."}},
        .result = "[ \"str\", ... ]    (json array) the labels, sorted",
        .examples = HelpExampleCli("listlabels", "") + HelpExampleCli("listlabels", "receive"),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const std::string purpose = OptionalParamString(request, 0).value_or("");
            if (!purpose.empty() && purpose != "send" && purpose != "receive") {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Invalid purpose (must be 'send' or 'receive')"};
            }
            auto entries = wallet->LabelEntries(std::nullopt);
            if (!entries) throw RPCError{RPCErrorCode::DATABASE_ERROR, entries.error_message()};
            json::array out;
            // Rows come by label: equal labels are adjacent.
            const std::string* last{nullptr};
            for (const auto& entry : *entries) {
                if (!purpose.empty() && purpose != Purpose(entry.mine)) continue;
                if (last != nullptr && *last == entry.label) continue;
                out.push_back(json::value(entry.label));
                last = &entry.label;
            }
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "getaddressesbylabel",
        .description = "Returns the list of addresses assigned the specified label.",
        .args = {{"label", RPCArgType::STRING, false, "", "The label."}},
        .result = "{\n  \"address\" : {    (json object) json object with information about address\n"
                  "    \"purpose\" : \"str\"    (string) Purpose of address (\"send\" for others' addresses, "
                  "\"receive\" for the wallet's own)\n  }, ...\n}",
        .examples = HelpExampleCli("getaddressesbylabel", "\"tabby\"") + HelpExampleRpc("getaddressesbylabel", "\"tabby\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const std::string label = LabelParam(request, 0);
            auto entries = wallet->LabelEntries(label);
            if (!entries) throw RPCError{RPCErrorCode::DATABASE_ERROR, entries.error_message()};
            if (entries->empty()) {
                throw RPCError{RPCErrorCode::WALLET_INVALID_LABEL_NAME, "No addresses with label " + TruncateForMessage(label)};
            }
            json::object out;
            for (const auto& entry : *entries) {
                Destination dest;
                dest.kind = static_cast<uint8_t>(DestinationKind::KEY);
                dest.payload = entry.xonly;
                json::object purpose;
                purpose["purpose"] = Purpose(entry.mine);
                out[EncodeAddress(dest, wallet->GetNetwork())] = std::move(purpose);
            }
            return out;
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "signmessage",
        .description = "Sign a message with the private key of an address of the wallet.\n"
                       "HPIPS: a BIP-340 Schnorr signature over TaggedHash(\"HPIPS/message\", message) by the "
                       "address's x-only key (doc/wallet.md, \"Signed messages\"); verify with verifymessage. "
                       "Requires wallet passphrase to be set with walletpassphrase call if wallet is encrypted.",
        .args = {{"address", RPCArgType::STRING, false, "", "The HPIPS address to use for the private key."},
                 {"message", RPCArgType::STRING, false, "", "The message to create a signature of (at most 1 MiB)."}},
        .result = "\"str\"    (string) The signature of the message encoded in base 64 (64 bytes)",
        .examples = HelpExampleCli("walletpassphrase", "\"mypassphrase\" 30") +
                    HelpExampleCli("signmessage", "\"rhp1p...\" \"my message\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            const Destination dest = AddressParam(*wallet, request, 0);
            const std::string message = ParamString(request, 1);
            if (message.size() > MAX_MESSAGE_SIZE) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER, "Message too long (at most 1048576 bytes)"};
            }
            auto sig = wallet->SignMessage(dest, message);
            if (!sig) {
                throw RPCError{sig.error().failure == SignFailure::LOCKED ? RPCErrorCode::WALLET_UNLOCK_NEEDED
                                                                          : RPCErrorCode::WALLET_ERROR,
                               sig.error().message};
            }
            return json::value(EncodeBase64(std::string_view{reinterpret_cast<const char*>(sig->data()), sig->size()}));
        },
    });

    methods.push_back({
        .category = "wallet",
        .name = "backupwallet",
        .description = "Safely copies the current wallet file to the specified destination, which can either be a "
                       "directory or a path with a filename.\nHPIPS: the copy is one consistent snapshot taken with "
                       "SQLite's online backup API while the wallet stays loaded; an existing destination file is "
                       "replaced only by a complete copy; the wallet's own file is refused. A directory destination "
                       "gets the wallet file's name, wallet.dat, as in Core. Restore by "
                       "placing the copy at <datadir>/wallets/<name>/wallet.dat and calling loadwallet.",
        .args = {{"destination", RPCArgType::STRING, false, "", "The destination directory or file"}},
        .result = "null    (json null)",
        .examples = HelpExampleCli("backupwallet", "\"backup.dat\"") + HelpExampleRpc("backupwallet", "\"backup.dat\""),
        .handler = [wm](const RPCRequest& request) -> json::value {
            auto wallet = WalletForRequest(*wm, request);
            std::filesystem::path destination{ParamString(request, 0)};
            if (destination.empty()) throw RPCError{RPCErrorCode::INVALID_PARAMETER, "destination is empty"};
            std::error_code ec;
            if (std::filesystem::is_directory(destination, ec)) {
                destination /= "wallet.dat";  // the wallet file's name, as Core
            }
            if (auto copied = BackupWalletFile(wm->WalletPath(wallet->Name()), destination); !copied) {
                throw RPCError{RPCErrorCode::WALLET_ERROR, "Error: Wallet backup failed! " + copied.error_message()};
            }
            return nullptr;
        },
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips::wallet
