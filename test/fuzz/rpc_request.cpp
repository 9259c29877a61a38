// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
//
// Untrusted RPC input: the JSON parser (and its exact-number round trip),
// the whole JSON-RPC envelope with the control methods, the Authorization
// header, amounts and the configuration-file parser must never crash, and
// what WriteJson prints must always parse again.
#include <node/settings.h>
#include <rpc/auth.h>
#include <rpc/control.h>
#include <rpc/json.h>
#include <rpc/request.h>
#include <rpc/util.h>

#include <array>
#include <cstdint>
#include <cstdlib>
#include <string_view>

namespace {

constexpr auto SPECS = std::to_array<hpips::OptionSpec>({
    {"regtest", hpips::OptionKind::BOOL, "", "", "chain"},
    {"rpcport", hpips::OptionKind::VALUE, "port", "", "rpc", true},
    {"rpcauth", hpips::OptionKind::LIST, "userpw", "", "rpc"},
});

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    const std::string_view text{reinterpret_cast<const char*>(data), size};

    if (auto parsed = hpips::ParseJson(text)) {
        const std::string written = hpips::WriteJson(*parsed);
        const auto again = hpips::ParseJson(written);
        if (!again || hpips::WriteJson(*again) != written) std::abort();
        (void)hpips::WriteJson(*parsed, 2);
        if (parsed->is_array()) {
            for (const auto& element : parsed->get_array()) {
                try {
                    const hpips::Amount amount = hpips::AmountFromValue(element);
                    if (hpips::AmountFromValue(hpips::ValueFromAmount(amount)) != amount) std::abort();
                } catch (const hpips::RPCError&) {
                }
            }
        }
    }

    static hpips::RPCTable table;
    static hpips::NodeClock clock;
    static const bool registered = [] {
        hpips::ControlContext context;
        context.request_shutdown = [] {};
        context.clock = &clock;
        context.mockable_chain = true;
        return static_cast<bool>(hpips::RegisterControlRPCCommands(table, std::move(context)));
    }();
    if (!registered) std::abort();
    const auto reply = hpips::ExecuteJSONRPCBody(table, text, hpips::RPCRequest{});
    if (!reply.body.empty() && !hpips::ParseJson(reply.body)) std::abort();

    (void)hpips::ParseBasicAuth(text);
    (void)hpips::ParseRPCAuth(text);
    hpips::Settings settings{SPECS};
    (void)settings.ReadConfig(text, true);
    return 0;
}
