// Copyright (c) The HPIPS developers. Distributed under the MIT software license.
#include <rpc/control.h>

#include <rpc/json.h>
#include <rpc/util.h>

#include <boost/json/array.hpp>
#include <boost/json/object.hpp>

#include <string>
#include <vector>

namespace hpips {
namespace {

namespace json = boost::json;

/** echo and echojson take up to ten arguments of any type. */
std::vector<RPCArg> EchoArgs()
{
    std::vector<RPCArg> args;
    for (int i{0}; i < 10; ++i) {
        args.push_back({"arg" + std::to_string(i), RPCArgType::ANY, true, "", ""});
    }
    return args;
}

}  // namespace

Result<void> RegisterControlRPCCommands(RPCTable& table, ControlContext context)
{
    const auto shared = std::make_shared<const ControlContext>(std::move(context));
    std::vector<RPCMethod> methods;

    methods.push_back({
        .category = "control",
        .name = "help",
        .description = "List all commands, or get help for a specified command.",
        .args = {{"command", RPCArgType::STRING, true, "all commands", "The command to get help on"}},
        .result = "\"text\"    (string) The help text",
        .examples = HelpExampleCli("help", "") + HelpExampleCli("help", "\"uptime\""),
        .handler = [&table](const RPCRequest& request) -> json::value {
            return json::value(table.Help(OptionalParamString(request, 0).value_or("")));
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "stop",
        .description = "Request a graceful shutdown of HPIPS.",
        .args = {},
        .result = "\"str\"    (string) A string with the content 'HPIPS server stopping'",
        .examples = HelpExampleCli("stop", ""),
        .handler = [shared](const RPCRequest&) -> json::value {
            shared->request_shutdown();
            return json::value("HPIPS server stopping");
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "uptime",
        .description = "Returns the total uptime of the server.",
        .args = {},
        .result = "n    (numeric) The number of seconds that the server has been running",
        .examples = HelpExampleCli("uptime", "") + HelpExampleRpc("uptime", ""),
        .handler = [shared](const RPCRequest&) -> json::value {
            const auto elapsed = std::chrono::steady_clock::now() - shared->start_time;
            return json::value(std::chrono::duration_cast<std::chrono::seconds>(elapsed).count());
        },
        .allowed_in_warmup = true,
    });

    methods.push_back({
        .category = "control",
        .name = "getrpcinfo",
        .description = "Returns details of the RPC server.",
        .args = {},
        .result = "{\n"
                  "  \"active_commands\" : [    (json array) All active commands\n"
                  "    {\n"
                  "      \"method\" : \"str\",    (string) The name of the RPC command\n"
                  "      \"duration\" : n       (numeric) The running time in microseconds\n"
                  "    },\n"
                  "    ...\n"
                  "  ],\n"
                  "  \"logpath\" : \"str\"      (string) The complete file path to the debug log\n"
                  "}",
        .examples = HelpExampleCli("getrpcinfo", "") + HelpExampleRpc("getrpcinfo", ""),
        .handler = [&table, shared](const RPCRequest&) -> json::value {
            json::array active;
            for (const auto& command : table.ActiveCommands()) {
                json::object entry;
                entry["method"] = command.method;
                entry["duration"] = command.duration.count();
                active.push_back(std::move(entry));
            }
            json::object result;
            result["active_commands"] = std::move(active);
            result["logpath"] = shared->log_path.string();
            return result;
        },
        .allowed_in_warmup = true,
    });

    for (const std::string name : {"echo", "echojson"}) {
        methods.push_back({
            .category = "hidden",
            .name = name,
            .description = "Simply echo back the input arguments. This command is for testing.\n\n"
                           "It will return an internal bug report when arg9='trigger_internal_bug' is passed.\n\n"
                           "The difference between echo and echojson is that echojson has argument conversion "
                           "enabled in the client-side table in hpips-cli and the GUI. There is no server-side "
                           "difference.",
            .args = EchoArgs(),
            .result = "any    (any) The arguments, as an array",
            .examples = "",
            .handler = [](const RPCRequest& request) -> json::value {
                if (request.params.size() > 9 && IsJsonString(request.params[9]) &&
                    request.params[9].get_string() == "trigger_internal_bug") {
                    throw RPCError{RPCErrorCode::INTERNAL_ERROR, "Internal bug detected: echo was asked to fail"};
                }
                return request.params;
            },
            .allowed_in_warmup = true,
        });
    }

    methods.push_back({
        .category = "hidden",
        .name = "setmocktime",
        .description = "Set the local time to given timestamp (-regtest only)",
        .args = {{"timestamp", RPCArgType::NUMBER, false, "",
                  "UNIX seconds-since-epoch timestamp\nPass 0 to go back to using the system time."}},
        .result = "null    (json null)",
        .examples = "",
        .handler = [shared](const RPCRequest& request) -> json::value {
            if (!shared->mockable_chain) {
                throw RPCError{RPCErrorCode::MISC_ERROR, "setmocktime is for regression testing (-regtest mode) only"};
            }
            const int64_t time = ParamInt64(request, 0);
            if (time < 0 || time > NodeClock::MAX_MOCK_TIME) {
                throw RPCError{RPCErrorCode::INVALID_PARAMETER,
                               "Mocktime must be in the range [0, " + std::to_string(NodeClock::MAX_MOCK_TIME) +
                                   "], not " + std::to_string(time) + "."};
            }
            shared->clock->SetMockTime(time);
            return nullptr;
        },
        .allowed_in_warmup = false,
    });

    for (auto& method : methods) {
        if (auto result = table.Register(std::move(method)); !result) return result;
    }
    return {};
}

}  // namespace hpips
